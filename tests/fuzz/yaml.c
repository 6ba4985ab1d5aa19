/* yaml.c - fuzz target: the YAML subset parser (lib/yaml.c) and its getters on whatever it builds */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/yaml.h"

static void walk(const struct yaml_node *n, unsigned depth)
{
	char err[128];
	const char *s;
	long long i;
	double f;
	int b;
	size_t count = 0;

	if (depth > YAML_DEPTH_CAP + 1 || !n->file || !n->line || !n->col)
		abort();
	if (n->kind == YAML_SCALAR) {
		if (n->text[n->len] != 0)
			abort();
		yaml_str(n, &s, err, sizeof(err));
		yaml_int(n, -100, 100, &i, err, sizeof(err));
		yaml_float(n, &f, err, sizeof(err));
		yaml_bool(n, &b, err, sizeof(err));
		return;
	}
	yaml_foreach(c, n) {
		count++;
		walk(c, depth + 1);
		if (n->kind == YAML_MAP) {
			if (!c->value || c->kind != YAML_SCALAR)
				abort();
			walk(c->value, depth + 1);
			if (yaml_get_key(n, c->text) == NULL && !memchr(c->text, 0, c->len))
				abort();
		}
	}
	if (count != n->count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yaml_limits lim = { 1u << 16, 64, 10000 };
	char err[256];
	struct yaml_doc *d;

	d = yaml_parse("fuzz.yaml", (const char *)data, size, &lim, err, sizeof(err));
	if (d) {
		walk(d->root, 0);
		yaml_free(d);
	} else if (strncmp(err, "fuzz.yaml:", 10)) {
		abort();        /* every error names the file */
	}
	return 0;
}
