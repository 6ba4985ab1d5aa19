/* xmlrpc.c - fuzz target: the bounded XML-RPC methodResponse decoder; every container counts
 * its children, every struct member has a name, text is NUL-terminated */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/xmlrpc.h"

static void walk(const struct xmlrpc_value *v, unsigned depth)
{
	size_t n = 0;

	if (depth > XMLRPC_DEPTH_MAX + 1 || !v->s || v->s[v->len] != 0)
		abort();
	for (const struct xmlrpc_value *c = v->child; c; c = c->next, n++) {
		if ((v->type == XR_STRUCT) != (c->name != NULL))
			abort();
		if (c->name)
			xmlrpc_member(v, c->name);
		walk(c, depth + 1);
	}
	if (n != v->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xmlrpc_response r;
	char err[XMLRPC_ERR_MAX], text[512];

	err[0] = 0;
	if (xmlrpc_decode(&r, (const char *)data, size, err, sizeof(err)) == 0) {
		if (!r.value || (r.fault && !r.fault_string))
			abort();
		walk(r.value, 0);
		xmlrpc_repr(r.value, text, sizeof(text));
		if (strlen(text) >= sizeof(text))
			abort();
		xmlrpc_response_free(&r);
	} else if (!err[0]) {
		abort();
	}
	return 0;
}
