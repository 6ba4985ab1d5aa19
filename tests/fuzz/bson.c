/* bson.c - fuzz target: the BSON reader (every element of every nested document walked,
 * each number read) and the wire-message frame (OP_MSG, OP_REPLY) around a reply; the
 * writer's output read back. Byte 0: 0 a document, 1 a message (its length field is set to
 * the input's), 2 a document written from the input's text and read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/bson.h"

static size_t seen;

static void walk(const unsigned char *p, size_t n, int depth)
{
	struct bson_it it;
	struct bson_el e;
	double d;

	if (depth > BSON_DEPTH_MAX + 1 || bson_it(&it, p, n) < 0)
		return;
	while (bson_next(&it, &e) > 0) {
		if (e.v < p || e.v + e.len > p + n)
			abort();
		if (bson_num(&e, &d) == 0)
			seen += d != 0;
		if (e.type == BSON_STRING && e.v[e.len])
			abort();
		if (e.type == BSON_DOC || e.type == BSON_ARRAY)
			walk(e.v, e.len, depth + 1);
	}
}

static void doc(const unsigned char *p, size_t n)
{
	struct bson_el e;
	long l = bson_valid(p, n);

	if (l > (long)n)
		abort();
	if (l >= 0) {
		walk(p, (size_t)l, 1);
		if (bson_get(p, (size_t)l, "ok", &e) && (e.v < p || e.v + e.len > p + l))
			abort();
	}
}

static void msg(const unsigned char *data, size_t size)
{
	unsigned char *m = malloc(size ? size : 1);
	const unsigned char *body;
	const char *why;
	size_t len;

	memcpy(m, data, size);
	if (size >= 4)
		m[0] = (unsigned char)size, m[1] = (unsigned char)(size >> 8),
		m[2] = (unsigned char)(size >> 16), m[3] = (unsigned char)(size >> 24);
	if (bson_msg_body(m, size, 1, &body, &len, &why) == 0) {
		if (body < m || body + len > m + size || bson_valid(body, len) != (long)len)
			abort();
		walk(body, len, 1);
	}
	free(m);
}

/* name NUL value: written as a string element and a nested document, then read back */
static void written(const unsigned char *data, size_t size)
{
	unsigned char buf[512];
	char name[64], val[256];
	const unsigned char *z = memchr(data, 0, size);
	size_t nl = z ? (size_t)(z - data) : size, vl = z ? size - nl - 1 : 0;
	struct bson_w w;
	struct bson_el e;
	size_t n;

	if (nl >= sizeof(name) || vl >= sizeof(val) || memchr(z ? z + 1 : data, 0, vl))
		return;
	memcpy(name, data, nl);
	name[nl] = 0;
	if (vl)
		memcpy(val, z + 1, vl);
	val[vl] = 0;
	bson_w_init(&w, buf, sizeof(buf));
	bson_cmd(&w, size & 1 ? BSON_OP_MSG : BSON_OP_QUERY, 7, "admin");
	bson_str(&w, name, val);
	bson_open(&w, BSON_DOC, "d");
	bson_bin(&w, name, val, vl);
	bson_close(&w);
	if (!(n = bson_cmd_end(&w, size & 1 ? BSON_OP_MSG : BSON_OP_QUERY, "admin")))
		return;
	if (bson_u32(buf) != n)
		abort();
	if (size & 1) {
		const unsigned char *d = buf + 21;
		if (bson_valid(d, n - 21) != (long)(n - 21) || !bson_get(d, n - 21, name, &e) ||
		    e.type != BSON_STRING || e.len != vl || memcmp(e.v, val, vl))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 16)
		return 0;
	switch (data[0] % 3) {
	case 0: doc(data + 1, size - 1); break;
	case 1: msg(data + 1, size - 1); break;
	case 2: written(data + 1, size - 1); break;
	}
	return 0;
}
