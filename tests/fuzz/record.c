/* record.c - fuzz target: arbitrary bytes as keys and string values through the record and
 * its text, JSON and Prometheus writers */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r;
	const char *nul = memchr(data, 0, size);
	size_t klen = nul ? (size_t)(nul - (const char *)data) : size > 16 ? 16 : size;
	char key[64];
	const char *labels[] = { "target", key, NULL };
	FILE *f = fopen("/dev/null", "w");
	const char *list[2];

	if (!f)
		return 0;
	if (klen >= sizeof(key))
		klen = sizeof(key) - 1;
	memcpy(key, data, klen);
	key[klen] = 0;
	record_init(&r);
	record_set_strn(&r, key, (const char *)data, size);
	record_set_strn(&r, "body", (const char *)data, size);
	record_set_float(&r, key[0] ? "f" : "g", size ? (double)data[0] / 7 : 0);
	list[0] = key;
	list[1] = "x";
	record_set_list(&r, "l", list, 2);
	record_append_str(&r, "l", key);
	record_set_int(&r, "n", (int64_t)size);
	if (record_write_text(&r, f) || record_write_json(&r, f) ||
	    record_write_prom(&r, f, labels, 1, 0.5))
		abort();
	record_free(&r);
	fclose(f);
	return 0;
}
