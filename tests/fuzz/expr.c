/* expr.c - fuzz target: compile arbitrary bytes as an expectation and evaluate it (twice)
 * against a small fixed record holding every value type */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/expr.h"

static struct record rec;

static void setup(void)
{
	static const char *const sans[] = { "example.org", "www.example.org" };

	record_init(&rec);
	record_set_bool(&rec, "tcp.success", 1);
	record_set_float(&rec, "tcp.con.time.perf", 0.0123);
	record_set_int(&rec, "http.resp.status", 200);
	record_set_str(&rec, "http.resp.header.content_type", "application/json");
	record_set_strn(&rec, "http.resp.body", "{\"a\":\0\xff}", 8);
	record_set_none(&rec, "ssl.con.compression");
	record_set_time(&rec, "ssl.con.cert.notAfter", 1767225600);
	record_set_list(&rec, "ssl.con.cert.subjectAltName", (const char *const *)sans, 2);
	record_set_str(&rec, "auth.password", "hunter2");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char *src, err[128];
	struct expr *e;
	struct expr_result r1, r2;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size > EXPR_MAX_LEN + 16)
		return 0;
	src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = 0;
	e = expr_compile(src, err, sizeof(err));
	if (e) {
		expr_eval(e, &rec, 1767225600, &r1);
		expr_eval(e, &rec, 1767225600, &r2);
		/* evaluation is pure: the same answer every time; the secret shows only if the
		 * expression spells it itself */
		if (r1.verdict != r2.verdict || strcmp(r1.text, r2.text) || strcmp(r1.reason, r2.reason))
			abort();
		if (!strstr(src, "hunter") && (strstr(r1.text, "hunter") || strstr(r1.reason, "hunter")))
			abort();
		expr_free(e);
	} else if (!err[0]) {
		abort();
	}
	free(src);
	return 0;
}
