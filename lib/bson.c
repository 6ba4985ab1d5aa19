/* bson.c - BSON (bsonspec.org 1.1): a bounded writer, a strict reader, and the MongoDB wire
 * messages around them (OP_MSG 2013, OP_QUERY 2004, OP_REPLY 1; MongoDB Wire Protocol). */
//kbuild:obj-$(CONFIG_BSON) += bson.o
//config:config BSON
//config:	bool

#include "bson.h"

#include <string.h>

static uint32_t rd32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t bson_u32(const void *p)
{
	return rd32(p);
}

static void wr32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

int bson_it(struct bson_it *it, const void *p, size_t n)
{
	const unsigned char *d = p;
	uint32_t l;

	if (n < 5 || (l = rd32(d)) < 5 || l > n || d[l - 1])
		return -1;
	it->p = d + 4;
	it->end = d + l - 1;
	return 0;
}

/* the length of a string value (int32 length, bytes, NUL) at p with left bytes, 0 if bad */
static size_t strval(const unsigned char *p, size_t left)
{
	uint32_t l;

	if (left < 4 || (l = rd32(p)) < 1 || l > left - 4 || p[3 + l])
		return 0;
	return 4 + (size_t)l;
}

int bson_next(struct bson_it *it, struct bson_el *e)
{
	const unsigned char *p = it->p;
	size_t left = (size_t)(it->end - p), n, sz;
	uint32_t l;

	if (!left)
		return 0;
	e->type = *p++;
	e->sub = 0;
	e->name = (const char *)p;
	n = strnlen(e->name, --left);
	if (n == left)
		return -1;
	p += n + 1;
	left -= n + 1;
	e->v = p;
	switch (e->type) {
	case 0x06: case 0x0a: case 0x7f: case 0xff:	/* undefined, null, max/min key */
		sz = 0;
		break;
	case BSON_BOOL:
		sz = 1;
		if (left && p[0] > 1)
			return -1;
		break;
	case BSON_INT32:
		sz = 4;
		break;
	case BSON_DOUBLE: case 0x09: case 0x11: case BSON_INT64:	/* datetime, timestamp */
		sz = 8;
		break;
	case 0x07:	/* ObjectId */
		sz = 12;
		break;
	case 0x13:	/* decimal128 */
		sz = 16;
		break;
	case BSON_STRING: case 0x0d: case 0x0e:	/* JavaScript code, symbol */
		if (!(sz = strval(p, left)))
			return -1;
		e->v = p + 4;
		e->len = sz - 5;
		it->p = p + sz;
		return 1;
	case BSON_DOC: case BSON_ARRAY:
		if (left < 5 || (l = rd32(p)) < 5 || l > left || p[l - 1])
			return -1;
		sz = l;
		break;
	case BSON_BINARY:
		if (left < 5 || (l = rd32(p)) > left - 5)
			return -1;
		e->sub = p[4];
		e->v = p + 5;
		e->len = l;
		it->p = p + 5 + l;
		return 1;
	case 0x0b:	/* regular expression: two C strings */
		n = strnlen((const char *)p, left);
		if (n == left || (sz = strnlen((const char *)p + n + 1, left - n - 1)) == left - n - 1)
			return -1;
		sz += n + 2;
		break;
	default:	/* unknown, or deprecated and never in a reply (DBPointer, code with scope) */
		return -1;
	}
	if (sz > left)
		return -1;
	e->len = sz;
	it->p = p + sz;
	return 1;
}

static long valid(const unsigned char *p, size_t n, int depth)
{
	struct bson_it it;
	struct bson_el e;
	int rc;

	if (depth > BSON_DEPTH_MAX || bson_it(&it, p, n) < 0)
		return -1;
	while ((rc = bson_next(&it, &e)) > 0)
		if ((e.type == BSON_DOC || e.type == BSON_ARRAY) && valid(e.v, e.len, depth + 1) < 0)
			return -1;
	return rc < 0 ? -1 : (long)rd32(p);
}

long bson_valid(const void *p, size_t n)
{
	return valid(p, n, 1);
}

int bson_get(const void *p, size_t n, const char *name, struct bson_el *e)
{
	struct bson_it it;

	if (bson_it(&it, p, n) < 0)
		return 0;
	while (bson_next(&it, e) > 0)
		if (!strcmp(e->name, name))
			return 1;
	return 0;
}

int bson_num(const struct bson_el *e, double *d)
{
	uint64_t u;

	switch (e->type) {
	case BSON_BOOL:
		*d = e->v[0];
		return 0;
	case BSON_INT32:
		*d = (int32_t)rd32(e->v);
		return 0;
	case BSON_INT64: case BSON_DOUBLE:
		u = rd32(e->v) | (uint64_t)rd32(e->v + 4) << 32;
		if (e->type == BSON_INT64)
			*d = (double)(int64_t)u;
		else
			memcpy(d, &u, sizeof(*d));
		return 0;
	}
	return -1;
}

/* --- writer ------------------------------------------------------------------------------ */

void bson_w_init(struct bson_w *w, void *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->p = buf;
	w->cap = cap;
}

static void raw(struct bson_w *w, const void *p, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = 1;
		return;
	}
	if (n)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

static void raw32(struct bson_w *w, uint32_t v)
{
	unsigned char b[4];

	wr32(b, v);
	raw(w, b, 4);
}

static void head(struct bson_w *w, int type, const char *name)
{
	unsigned char t = (unsigned char)type;

	raw(w, &t, 1);
	raw(w, name, strlen(name) + 1);
}

void bson_put(struct bson_w *w, int type, const char *name, const void *v, size_t len)
{
	head(w, type, name);
	raw(w, v, len);
}

void bson_open(struct bson_w *w, int type, const char *name)
{
	if (name)
		head(w, type, name);
	if (w->depth == BSON_WDEPTH)
		w->err = 1;
	if (w->err)
		return;
	w->open[w->depth++] = w->len;
	raw32(w, 0);
}

void bson_close(struct bson_w *w)
{
	raw(w, "", 1);
	if (w->err || !w->depth)
		return;
	w->depth--;
	wr32(w->p + w->open[w->depth], (uint32_t)(w->len - w->open[w->depth]));
}

void bson_int(struct bson_w *w, const char *name, int32_t v)
{
	unsigned char b[4];

	wr32(b, (uint32_t)v);
	bson_put(w, BSON_INT32, name, b, 4);
}

void bson_bool(struct bson_w *w, const char *name, int v)
{
	unsigned char b = !!v;

	bson_put(w, BSON_BOOL, name, &b, 1);
}

void bson_str(struct bson_w *w, const char *name, const char *s)
{
	size_t n = strlen(s) + 1;

	head(w, BSON_STRING, name);
	raw32(w, (uint32_t)n);
	raw(w, s, n);
}

void bson_bin(struct bson_w *w, const char *name, const void *p, size_t n)
{
	head(w, BSON_BINARY, name);
	raw32(w, (uint32_t)n);
	raw(w, "", 1);
	raw(w, p, n);
}

/* --- wire messages ------------------------------------------------------------------------- */

void bson_cmd(struct bson_w *w, int op, int32_t reqid, const char *db)
{
	raw32(w, 0);			/* messageLength, at the end */
	raw32(w, (uint32_t)reqid);
	raw32(w, 0);			/* responseTo */
	raw32(w, (uint32_t)op);
	raw32(w, 0);			/* flags */
	if (op == BSON_OP_MSG) {
		raw(w, "", 1);		/* section kind 0: the body */
	} else {
		raw(w, db, strlen(db));
		raw(w, ".$cmd", 6);
		raw32(w, 0);		/* numberToSkip */
		raw32(w, (uint32_t)-1);	/* numberToReturn: one document, no cursor */
	}
	bson_open(w, 0, NULL);
}

size_t bson_cmd_end(struct bson_w *w, int op, const char *db)
{
	if (op == BSON_OP_MSG)
		bson_str(w, "$db", db);
	bson_close(w);
	if (w->err || w->depth)
		return 0;
	wr32(w->p, (uint32_t)w->len);
	return w->len;
}

int bson_msg_body(const void *msg, size_t n, int32_t reqid, const unsigned char **doc,
		  size_t *len, const char **why)
{
	const unsigned char *m = msg, *p, *end = m + n, *body = NULL;
	uint32_t op, flags, l;

	*why = "a message whose length is not its header's";
	if (n < 16 || rd32(m) != n)
		return -1;
	*why = "not a reply to our request";
	if (rd32(m + 8) != (uint32_t)reqid)
		return -1;
	op = rd32(m + 12);
	if (op == BSON_OP_REPLY) {
		/* responseFlags, cursorID, startingFrom, numberReturned, then the documents */
		*why = "an OP_REPLY without a document";
		if (n < 36 + 5 || (int32_t)rd32(m + 32) < 1)
			return -1;
		body = m + 36;
	} else if (op == BSON_OP_MSG) {
		*why = "an OP_MSG without a body";
		if (n < 20)
			return -1;
		*why = "an OP_MSG with unknown required flags";
		if ((flags = rd32(m + 16)) & 0xfffc)
			return -1;
		if (flags & 1)		/* checksumPresent: CRC-32C, not checked */
			end -= n < 24 ? 0 : 4;
		*why = "a malformed OP_MSG section";
		for (p = m + 20; p < end; ) {
			if (*p == 0 && !body && end - p > 5) {
				body = p + 1;
				if ((l = rd32(body)) < 5 || l > (size_t)(end - body))
					return -1;
				p = body + l;
			} else if (*p == 1 && end - p > 5 && (l = rd32(p + 1)) >= 5 &&
				   l <= (size_t)(end - p - 1)) {
				p += 1 + l;	/* a document sequence: not ours to read */
			} else {
				return -1;
			}
		}
		*why = "an OP_MSG without a body";
		if (!body)
			return -1;
	} else {
		*why = "an unexpected opcode in the reply";
		return -1;
	}
	*why = "a malformed BSON document in the reply";
	if (bson_valid(body, (size_t)(end - body)) < 0)
		return -1;
	*doc = body;
	*len = rd32(body);
	return 0;
}
