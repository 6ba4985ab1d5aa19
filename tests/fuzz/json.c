/* json.c - fuzz target: the bounded JSON reader; every node's span lies in the input and
 * every container counts its children */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/json.h"

static void walk(const struct json *v, size_t len, unsigned depth)
{
	size_t n = 0;
	long l;

	if (v->start > v->end || v->end > len || depth > JSON_DEPTH_MAX + 1)
		abort();
	if (v->type == JSON_STR && v->s[v->len] != 0)
		abort();
	json_long(v, -1000, 1000, &l);
	for (const struct json *c = v->child; c; c = c->next, n++) {
		if ((v->type == JSON_OBJ) != (c->key != NULL))
			abort();
		if (c->key)
			json_get(v, c->key);
		walk(c, len, depth + 1);
	}
	if (n != v->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_doc d;
	char err[200];

	if (json_parse(&d, (const char *)data, size, err, sizeof(err)) == 0) {
		walk(d.root, size, 0);
		json_free(&d);
	} else if (!strstr(err, "offset") && !strstr(err, "longer")) {
		abort();
	}
	return 0;
}
