/* bson.c - unit tests: the BSON writer against bsonspec.org's examples, the reader's bounds
 * (lengths, names, types, nesting), numbers, and the wire-message frame of replies */
#include <stdint.h>
#include <string.h>

#include "../../lib/bson.h"
#include "t.h"

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static long valid(const unsigned char *p, size_t n)
{
	return bson_valid(p, n);
}

/* the document of the elements at p (n bytes): 1 when it reads */
static int el(const char *p, size_t n)
{
	unsigned char d[256];

	d[0] = (unsigned char)(n + 5), d[1] = d[2] = d[3] = 0;
	memcpy(d + 4, p, n);
	d[4 + n] = 0;
	return bson_valid(d, n + 5) == (long)(n + 5);
}
#define EL(lit) el(lit, sizeof(lit) - 1)

/* a message around body: header (length, reqid 5, responseTo, op), then body */
static size_t frame(unsigned char *out, int32_t to, int32_t op, const void *body, size_t n)
{
	uint32_t h[4] = { (uint32_t)(16 + n), 5, (uint32_t)to, (uint32_t)op };

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(h[i] >> 8 * j);
	memcpy(out + 16, body, n);
	return 16 + n;
}

static const char *body_of(const unsigned char *m, size_t n, int32_t reqid, size_t *len)
{
	const unsigned char *doc;
	const char *why;

	if (bson_msg_body(m, n, reqid, &doc, len, &why) < 0)
		return why;
	return doc == m + n - *len - (m[16] & 1 ? 4 : 0) || doc == m + 36 ? "ok" : "wrong place";
}

int main(void)
{
	unsigned char buf[256], m[256];
	struct bson_w w;
	struct bson_el e;
	struct bson_it it;
	double d;
	size_t n, len;

	/* writer: bsonspec.org's {"hello": "world"} */
	bson_w_init(&w, buf, sizeof(buf));
	bson_open(&w, 0, NULL);
	bson_str(&w, "hello", "world");
	bson_close(&w);
	CHECK("writer: {hello: world}", !w.err && w.len == 22 &&
	      !memcmp(buf, "\x16\0\0\0\x02hello\0\x06\0\0\0world\0\0", 22));
	/* nested, int, bool, binary */
	bson_w_init(&w, buf, sizeof(buf));
	bson_open(&w, 0, NULL);
	bson_int(&w, "a", -2);
	bson_open(&w, BSON_DOC, "o");
	bson_bool(&w, "t", 1);
	bson_close(&w);
	bson_bin(&w, "b", "xy", 2);
	bson_close(&w);
	CHECK("writer: nested", !w.err && w.len == 34 &&
	      !memcmp(buf, "\x22\0\0\0\x10" "a\0\xfe\xff\xff\xff\x03o\0\x09\0\0\0\x08t\0\x01\0"
		      "\x05" "b\0\x02\0\0\0\0xy\0", 34));
	CHECK("writer: its output reads back", valid(buf, w.len) == 34 &&
	      bson_get(buf, w.len, "b", &e) && e.type == BSON_BINARY && e.sub == 0 && e.len == 2 &&
	      !memcmp(e.v, "xy", 2));
	/* a document that does not fit is an error, once, at the end */
	bson_w_init(&w, buf, 20);
	bson_open(&w, 0, NULL);
	bson_str(&w, "hello", "world, longer than the buffer");
	bson_close(&w);
	CHECK("writer: overflow is sticky", w.err && w.len <= 20);
	bson_w_init(&w, buf, sizeof(buf));
	bson_open(&w, 0, NULL);
	for (int i = 0; i < BSON_WDEPTH; i++)
		bson_open(&w, BSON_DOC, "x");
	CHECK("writer: nesting beyond its stack", w.err);

	/* a command: OP_MSG carries $db, OP_QUERY names DB.$cmd */
	bson_w_init(&w, buf, sizeof(buf));
	bson_cmd(&w, BSON_OP_MSG, 3, "admin");
	bson_int(&w, "ping", 1);
	n = bson_cmd_end(&w, BSON_OP_MSG, "admin");
	CHECK("OP_MSG ping", n == 51 && bson_u32(buf) == 51 && bson_u32(buf + 4) == 3 &&
	      bson_u32(buf + 12) == 2013 && bson_u32(buf + 16) == 0 && buf[20] == 0 &&
	      valid(buf + 21, n - 21) == 30 && bson_get(buf + 21, 30, "$db", &e) &&
	      e.type == BSON_STRING && !strcmp((const char *)e.v, "admin"));
	bson_w_init(&w, buf, sizeof(buf));
	bson_cmd(&w, BSON_OP_QUERY, 4, "test");
	bson_int(&w, "isMaster", 1);
	n = bson_cmd_end(&w, BSON_OP_QUERY, "test");
	CHECK("OP_QUERY isMaster on test.$cmd", n == 16 + 4 + 10 + 8 + 19 &&
	      bson_u32(buf + 12) == 2004 && !memcmp(buf + 20, "test.$cmd\0", 10) &&
	      bson_u32(buf + 30) == 0 && bson_u32(buf + 34) == 0xffffffff &&
	      valid(buf + 38, n - 38) == 19 && !bson_get(buf + 38, 19, "$db", &e));
	bson_w_init(&w, buf, 30);
	bson_cmd(&w, BSON_OP_MSG, 1, "admin");
	bson_int(&w, "ping", 1);
	CHECK("a command that does not fit: 0", bson_cmd_end(&w, BSON_OP_MSG, "admin") == 0);

	/* reader: what is well-formed */
	CHECK("empty document", valid(S("\5\0\0\0\0")) == 5);
	CHECK("bytes after the document", valid(S("\5\0\0\0\0junk")) == 5);
	CHECK("every fixed-size type", EL("\x01" "d\0" "12345678" "\x07" "o\0" "123456789012"
		"\x08" "b\0\1" "\x09" "t\0" "12345678" "\x0a" "n\0" "\x10" "i\0" "1234" "\x11" "s\0"
		"12345678" "\x12" "l\0" "12345678" "\x13" "m\0" "1234567890123456" "\x7f" "x\0"
		"\xff" "y\0" "\x06" "u\0"));
	CHECK("regular expression", EL("\x0br\0a*\0i\0"));
	CHECK("symbol and code", EL("\x0e" "s\0\2\0\0\0s\0" "\x0d" "c\0\2\0\0\0c\0"));
	CHECK("a string's NUL, not the document's", EL("\x02s\0\3\0\0\0ab\0"));
	CHECK("empty name", EL("\x10\0" "1234"));
	/* lengths that lie */
	CHECK("shorter than 5", valid(S("\4\0\0\0")) == -1);
	CHECK("length below 5", valid(S("\4\0\0\0\0")) == -1);
	CHECK("length above the buffer", valid(S("\6\0\0\0\0")) == -1);
	CHECK("negative length", valid(S("\xff\xff\xff\xff\0")) == -1);
	CHECK("no closing NUL", valid(S("\5\0\0\0\1")) == -1);
	CHECK("string length past the document", !EL("\x02s\0\7\0\0\0abc\0"));
	CHECK("string length 0", !EL("\x02s\0\0\0\0\0"));
	CHECK("string length huge", !EL("\x02s\0\xff\xff\xff\x7f" "ab\0"));
	CHECK("string length negative", !EL("\x02s\0\xfe\xff\xff\xff" "ab\0"));
	CHECK("string without its NUL", !EL("\x02s\0\3\0\0\0abc"));
	CHECK("name without its NUL", !EL("\x10" "ab"));
	CHECK("type without a name", !EL("\x10"));
	CHECK("int32 cut short", !EL("\x10i\0" "12"));
	CHECK("double cut short", !EL("\x01" "d\0" "1234567"));
	CHECK("binary length past the end", !EL("\x05" "b\0\x05\0\0\0\0ab"));
	CHECK("binary length negative", !EL("\x05" "b\0\xff\xff\xff\xff\0ab"));
	CHECK("binary without its subtype", !EL("\x05" "b\0\0\0\0\0"));
	CHECK("bool other than 0 or 1", !EL("\x08" "b\0\2"));
	CHECK("bool cut short", !EL("\x08" "b\0"));
	CHECK("unknown type", !EL("\x20" "x\0"));
	CHECK("deprecated DBPointer", !EL("\x0c" "x\0\2\0\0\0s\0" "123456789012"));
	CHECK("deprecated code with scope", !EL("\x0f" "x\0\x0e\0\0\0\2\0\0\0c\0\5\0\0\0\0"));
	CHECK("regular expression without its end", !EL("\x0br\0a*\0i"));
	CHECK("nested document past its parent", !EL("\x03" "d\0\x09\0\0\0\0"));
	CHECK("nested document without its NUL", !EL("\x03" "d\0\x05\0\0\0\1"));
	CHECK("nested document shorter than 5", !EL("\x03" "d\0\x04\0\0\0"));
	CHECK("malformed deep inside", !EL("\x04" "a\0\x0f\0\0\0\x03" "0\0\x07\0\0\0\x20\0\0\0"));
	/* nesting: BSON_DEPTH_MAX levels pass, one more fails */
	for (int depth = BSON_DEPTH_MAX; depth <= BSON_DEPTH_MAX + 1; depth++) {
		unsigned char deep[256];
		size_t at = 0, total = 5 + (size_t)(depth - 1) * 8;

		for (int i = 0; i < depth - 1; i++) {
			size_t l = total - (size_t)i * 8;
			deep[at] = (unsigned char)l, deep[at + 1] = deep[at + 2] = deep[at + 3] = 0;
			memcpy(deep + at + 4, "\x03" "a\0", 3);
			at += 7;
		}
		memcpy(deep + at, "\5\0\0\0\0", 5);
		at += 5;
		for (int i = 0; i < depth - 1; i++)
			deep[at++] = 0;
		if (depth == BSON_DEPTH_MAX)
			CHECK("nesting at the cap", valid(deep, at) == (long)total);
		else
			CHECK("nesting beyond the cap", valid(deep, at) == -1);
	}

	/* elements and numbers, written with bson_put */
	bson_w_init(&w, buf, sizeof(buf));
	bson_open(&w, 0, NULL);
	bson_put(&w, BSON_DOUBLE, "ok", "\0\0\0\0\0\0\xf0\x3f", 8);
	bson_int(&w, "w", 21);
	bson_put(&w, BSON_INT64, "l", "\0\0\0\0\0\1\0\0", 8);
	bson_bool(&w, "b", 1);
	bson_str(&w, "s", "hi");
	bson_put(&w, 0x0a, "n", NULL, 0);
	bson_put(&w, BSON_BINARY, "p", "\1\0\0\0\x80z", 6);
	bson_close(&w);
	n = w.len;
	CHECK("the reply reads", !w.err && valid(buf, n) == (long)n);
	CHECK("double 1.0", bson_get(buf, n, "ok", &e) && bson_num(&e, &d) == 0 && d == 1.0);
	CHECK("int32 21", bson_get(buf, n, "w", &e) && bson_num(&e, &d) == 0 && d == 21);
	CHECK("int64 2^40", bson_get(buf, n, "l", &e) && bson_num(&e, &d) == 0 &&
	      d == 1099511627776.0);
	CHECK("bool as a number", bson_get(buf, n, "b", &e) && bson_num(&e, &d) == 0 && d == 1);
	CHECK("string", bson_get(buf, n, "s", &e) && e.type == BSON_STRING && e.len == 2 &&
	      !strcmp((const char *)e.v, "hi") && bson_num(&e, &d) < 0);
	CHECK("null is no number", bson_get(buf, n, "n", &e) && bson_num(&e, &d) < 0);
	CHECK("binary subtype", bson_get(buf, n, "p", &e) && e.sub == 0x80 && e.len == 1 &&
	      e.v[0] == 'z');
	CHECK("missing element", !bson_get(buf, n, "nope", &e));
	len = 0;
	bson_it(&it, buf, n);
	while (bson_next(&it, &e) > 0)
		len++;
	CHECK("seven elements", len == 7);

	/* the frame of a reply */
	{
		static const unsigned char ok[] = "\x11\0\0\0\x01" "ok\0\0\0\0\0\0\0\xf0\x3f\0";
		unsigned char b[128];

		memcpy(b, "\0\0\0\0\0", 5);
		memcpy(b + 5, ok, 17);
		n = frame(m, 7, 2013, b, 22);
		CHECK_STR("OP_MSG body", body_of(m, n, 7, &len), "ok");
		CHECK("its length", len == 17);
		CHECK_STR("a reply to another request", body_of(m, n, 8, &len), "not a reply to our request");
		CHECK_STR("a length other than the message's", body_of(m, n - 1, 7, &len),
			  "a message whose length is not its header's");
		b[0] = 4;
		n = frame(m, 7, 2013, b, 22);
		CHECK_STR("an unknown required flag", body_of(m, n, 7, &len),
			  "an OP_MSG with unknown required flags");
		b[0] = 0, b[2] = 1;	/* an optional flag (exhaustAllowed, bit 16) is fine */
		n = frame(m, 7, 2013, b, 22);
		CHECK_STR("an optional flag", body_of(m, n, 7, &len), "ok");
		b[2] = 0, b[0] = 1;	/* checksumPresent: four bytes at the end */
		memcpy(b + 22, "CRC!", 4);
		n = frame(m, 7, 2013, b, 26);
		CHECK_STR("checksum present", body_of(m, n, 7, &len), "ok");
		b[0] = 0;
		CHECK_STR("four bytes too many", body_of(m, frame(m, 7, 2013, b, 26), 7, &len),
			  "a malformed OP_MSG section");
		memcpy(b + 22, "\0", 1);
		memcpy(b + 23, ok, 17);
		CHECK_STR("two bodies", body_of(m, frame(m, 7, 2013, b, 40), 7, &len),
			  "a malformed OP_MSG section");
		/* a document sequence before the body is skipped */
		memcpy(b + 4, "\1\x0e\0\0\0docs\0\5\0\0\0\0\0", 16);
		memcpy(b + 20, ok, 17);
		CHECK_STR("document sequence, then the body", body_of(m, frame(m, 7, 2013, b, 37), 7,
								       &len), "ok");
		b[5] = 0x40;
		CHECK_STR("document sequence past the end", body_of(m, frame(m, 7, 2013, b, 37), 7,
								     &len), "a malformed OP_MSG section");
		memcpy(b + 4, "\2", 1);
		CHECK_STR("unknown section kind", body_of(m, frame(m, 7, 2013, b, 37), 7, &len),
			  "a malformed OP_MSG section");
		CHECK_STR("flags only", body_of(m, frame(m, 7, 2013, "\0\0\0\0", 4), 7, &len),
			  "an OP_MSG without a body");
		CHECK_STR("not even flags", body_of(m, frame(m, 7, 2013, "\0", 1), 7, &len),
			  "an OP_MSG without a body");
		CHECK_STR("no body", body_of(m, frame(m, 7, 2013, "\0\0\0\0\1\5\0\0\0x\0", 11), 7, &len),
			  "a malformed OP_MSG section");
		memcpy(b, "\0\0\0\0\0", 5);
		memcpy(b + 5, "\x11\0\0\0\x01" "ok\0\0\0\0\0\0\0\xf0\x3f\1", 17);
		CHECK_STR("a body that is no BSON", body_of(m, frame(m, 7, 2013, b, 22), 7, &len),
			  "a malformed BSON document in the reply");
		/* OP_REPLY: flags, cursor id, starting from, number returned, the document */
		memset(b, 0, 20);
		b[16] = 1;
		memcpy(b + 20, ok, 17);
		CHECK_STR("OP_REPLY", body_of(m, frame(m, 7, 1, b, 37), 7, &len), "ok");
		b[16] = 0;
		CHECK_STR("OP_REPLY without documents", body_of(m, frame(m, 7, 1, b, 37), 7, &len),
			  "an OP_REPLY without a document");
		b[16] = 1;
		CHECK_STR("OP_COMPRESSED", body_of(m, frame(m, 7, 2012, b, 37), 7, &len),
			  "an unexpected opcode in the reply");
		CHECK_STR("header only", body_of(m, frame(m, 7, 1, b, 0), 7, &len),
			  "an OP_REPLY without a document");
	}
	return t_done();
}
