/* grpc.c - unit tests: HPACK (RFC 7541 Appendix C's examples, Huffman, the bounds), the
 * HTTP/2 frame reader (a scripted server's frames), the gRPC health messages and codes, and
 * grpc_health_probe's Go durations */
#include <stdint.h>
#include <stdlib.h>

#include "../../net/grpc.h"
#include "../../net/h2.h"
#include "../../net/hpack.h"
#include "t.h"

int grpc_health_probe_parse_duration(const char *s, int64_t *ns);
void grpc_health_probe_format_duration(int64_t ns, char *b, size_t len);

static struct hpack hp;
static char out[4096];

static int collect(void *arg, const char *name, size_t nl, const char *value, size_t vl)
{
	size_t n = strlen(out);

	(void)arg;
	snprintf(out + n, sizeof(out) - n, "%.*s: %.*s\n", (int)nl, name, (int)vl, value);
	return 0;
}

static size_t unhex(const char *hex, unsigned char *b)
{
	size_t n = 0;

	for (; *hex; hex++) {
		unsigned v;
		if (*hex == ' ')
			continue;
		sscanf(hex, "%2x", &v);
		b[n++] = (unsigned char)v;
		hex++;
	}
	return n;
}

/* decode hex with the shared decoder: the fields, one "name: value\n" each, or "ERR: ..." */
static const char *dec(const char *hex)
{
	static unsigned char b[2048];
	char err[128];
	size_t n = unhex(hex, b);

	out[0] = 0;
	if (hpack_decode(&hp, b, n, collect, NULL, err, sizeof(err)) < 0)
		snprintf(out, sizeof(out), "ERR: %s", err);
	return out;
}

static const char *huff(const char *hex)
{
	static char s[256];
	unsigned char b[256];
	size_t n = unhex(hex, b);
	long l = hpack_huffman(&hp, b, n, (unsigned char *)s, sizeof(s) - 1);

	if (l < 0)
		return "ERR";
	s[l] = 0;
	return s;
}

static void test_hpack(void)
{
	unsigned char b[256];
	size_t n = 0;

	hpack_init(&hp);
	/* C.2: one field each */
	CHECK_STR("C.2.1 literal with indexing",
		  dec("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"),
		  "custom-key: custom-header\n");
	CHECK("C.2.1 table size 55", hp.size == 55 && hp.n == 1);
	CHECK_STR("C.2.2 without indexing", dec("040c 2f73 616d 706c 652f 7061 7468"),
		  ":path: /sample/path\n");
	CHECK_STR("C.2.3 never indexed", dec("1008 7061 7373 776f 7264 0673 6563 7265 74"),
		  "password: secret\n");
	CHECK("C.2.2/3 not added", hp.n == 1);
	CHECK_STR("C.2.4 indexed", dec("82"), ":method: GET\n");
	CHECK_STR("dynamic index 62", dec("be"), "custom-key: custom-header\n");

	/* C.3: requests without Huffman, one table */
	hpack_init(&hp);
	CHECK_STR("C.3.1", dec("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"),
		  ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n");
	CHECK_STR("C.3.2", dec("8286 84be 5808 6e6f 2d63 6163 6865"),
		  ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
		  "cache-control: no-cache\n");
	CHECK_STR("C.3.3", dec("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d "
			       "7661 6c75 65"),
		  ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\n"
		  "custom-key: custom-value\n");
	CHECK("C.3.3 table size 164", hp.size == 164 && hp.n == 3);

	/* C.4: the same with Huffman */
	hpack_init(&hp);
	CHECK_STR("C.4.1", dec("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"),
		  ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n");
	CHECK_STR("C.4.2", dec("8286 84be 5886 a8eb 1064 9cbf"),
		  ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
		  "cache-control: no-cache\n");
	CHECK_STR("C.4.3", dec("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"),
		  ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\n"
		  "custom-key: custom-value\n");

	/* C.5: responses with a 256-byte table: evictions */
	hpack_init(&hp);
	hp.max = 256;
	CHECK_STR("C.5.1", dec("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 "
			       "7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 "
			       "3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"),
		  ":status: 302\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\n"
		  "location: https://www.example.com\n");
	CHECK("C.5.1 table size 222", hp.size == 222 && hp.n == 4);
	CHECK_STR("C.5.2 (evicts :status 302)", dec("4803 3330 37c1 c0bf"),
		  ":status: 307\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\n"
		  "location: https://www.example.com\n");
	CHECK("C.5.2 table size 222", hp.size == 222 && hp.n == 4);
	CHECK_STR("C.5.3", dec("88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 "
			       "3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 "
			       "514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 "
			       "2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"),
		  ":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\n"
		  "location: https://www.example.com\ncontent-encoding: gzip\n"
		  "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n");
	CHECK("C.5.3 table size 215", hp.size == 215 && hp.n == 3);

	/* C.6: the same with Huffman */
	hpack_init(&hp);
	hp.max = 256;
	CHECK_STR("C.6.1", dec("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 "
			       "0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae "
			       "43d3"),
		  ":status: 302\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\n"
		  "location: https://www.example.com\n");
	CHECK_STR("C.6.2", dec("4883 640e ffc1 c0bf"),
		  ":status: 307\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:21 GMT\n"
		  "location: https://www.example.com\n");
	CHECK_STR("C.6.3", dec("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff "
			       "c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af "
			       "2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 "
			       "07"),
		  ":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\n"
		  "location: https://www.example.com\ncontent-encoding: gzip\n"
		  "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n");

	/* Huffman alone, and its padding rules (5.2) */
	CHECK_STR("huffman www.example.com", huff("f1e3 c2e5 f23a 6ba0 ab90 f4ff"), "www.example.com");
	CHECK_STR("huffman empty", huff(""), "");
	CHECK_STR("huffman padding of 8 bits refused", huff("1fff"), "ERR");	/* 'a' + 0xff */
	CHECK_STR("huffman padding of zeros refused", huff("18"), "ERR");	/* 'a' + 000 */
	CHECK_STR("huffman EOS refused", huff("ffff fffc"), "ERR");
	CHECK_STR("huffman 'a' with 3 bits of padding", huff("1f"), "a");

	/* the bounds */
	hpack_init(&hp);
	CHECK_STR("index 0 refused", dec("80"), "ERR: HPACK: an index beyond the tables");
	CHECK_STR("index 62 of an empty table", dec("be"), "ERR: HPACK: an index beyond the tables");
	CHECK_STR("integer too long", dec("ff ffffffff7f"), "ERR: HPACK: truncated or malformed");
	CHECK_STR("string beyond the block", dec("0005 6162"), "ERR: HPACK: truncated or malformed");
	CHECK_STR("table size above 4096", dec("3fe21f"),
		  "ERR: HPACK: a table size above the 4096 bytes allowed");
	CHECK_STR("table size update after a field", dec("8220"),
		  "ERR: HPACK: a table size update after a field");
	CHECK_STR("table size update to 0 empties", dec("20"), "");
	CHECK_STR("truncated block", dec("40"), "ERR: HPACK: truncated or malformed");
	{	/* a list above HPACK_LIST_MAX: 5 fields of 4000 bytes */
		static unsigned char big[5 * 4010];
		static char value[4001];
		size_t bl = 0;
		char err[128];
		memset(value, 'y', 4000);
		for (int i = 0; i < 5; i++)
			hpack_put(big, sizeof(big), &bl, 0, "x", value);
		out[0] = 0;
		CHECK("a header list above 16384 bytes refused",
		      hpack_decode(&hp, big, bl, collect, NULL, err, sizeof(err)) < 0 &&
		      strstr(err, "16384"));
	}
	/* an entry larger than the table empties it */
	hpack_init(&hp);
	hp.max = 40;
	CHECK_STR("entry above the table size", dec("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f "
						    "6d2d 6865 6164 6572"),
		  "custom-key: custom-header\n");
	CHECK("not added, table empty", hp.n == 0 && hp.size == 0);

	/* encoding: literals round-trip */
	hpack_init(&hp);
	CHECK("put :path", hpack_put(b, sizeof(b), &n, 4, NULL, "/grpc.health.v1.Health/Check") == 0);
	CHECK("put te", hpack_put(b, sizeof(b), &n, 0, "te", "trailers") == 0);
	CHECK("put POST", hpack_put_int(b, sizeof(b), &n, 7, 0x80, 3) == 0);
	CHECK("put a long value", hpack_put(b, sizeof(b), &n, 58, NULL,
					    "a-user-agent-longer-than-127-bytes-xxxxxxxxxxxxxxxxxxxxxxxxx"
					    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") == 0);
	out[0] = 0;
	{
		char err[128];
		CHECK("round trip decodes", hpack_decode(&hp, b, n, collect, NULL, err, sizeof(err)) == 0);
	}
	CHECK("round trip fields", !strncmp(out, ":path: /grpc.health.v1.Health/Check\nte: trailers\n"
					   ":method: POST\nuser-agent: a-user-agent-longer", 93));
	CHECK("round trip adds nothing to the table", hp.n == 0);
	n = 0;
	CHECK("put does not overflow", hpack_put(b, 10, &n, 0, "te", "trailers") < 0);
}

/* --- HTTP/2 ---------------------------------------------------------------------------------- */

static struct h2 *h;
static char got[1024];

static const char *f_field(void *arg, int block, const char *name, size_t nl, const char *value,
			   size_t vl)
{
	size_t n = strlen(got);

	(void)arg;
	snprintf(got + n, sizeof(got) - n, "%d %.*s=%.*s\n", block, (int)nl, name, (int)vl, value);
	return nl == 4 && !memcmp(name, "fail", 4) ? "refused" : NULL;
}

static const char *f_data(void *arg, const unsigned char *p, size_t n)
{
	size_t l = strlen(got);

	(void)arg;
	snprintf(got + l, sizeof(got) - l, "data %zu\n", n);
	(void)p;
	return NULL;
}

/* a frame in hex: LEN is computed; "TYPE FLAGS STREAM PAYLOAD" */
static size_t frame(unsigned char *b, unsigned type, unsigned flags, uint32_t sid, const char *hex)
{
	size_t n = unhex(hex, b + 9);

	h2_header(b, n, type, flags, sid);
	return 9 + n;
}

/* feed bytes one at a time (frames arrive in pieces) */
static int feed(const unsigned char *b, size_t n)
{
	int rc = H2_MORE;

	for (size_t i = 0; i < n && rc == H2_MORE; i++) {
		size_t space;
		unsigned char *p = h2_space(h, &space);
		*p = b[i];
		rc = h2_received(h, 1);
	}
	return rc;
}

static void fresh(void)
{
	static const struct h2_cb cb = { f_field, f_data, NULL };

	h2_init(h, &cb);
	got[0] = 0;
}

/* a connection past its SETTINGS with the request sent */
static void opened(void)
{
	unsigned char b[64];

	fresh();
	feed(b, frame(b, 4, 0, 0, ""));
	h->outlen = 0;
	h2_request(h, (const unsigned char *)"\x83", 1, "\0\0\0\0\0", 5);
	h->outlen = 0;
}

static void test_h2(void)
{
	unsigned char b[20000];
	size_t n;

	h = malloc(sizeof(*h));
	fresh();
	CHECK("preface queued", h->outlen == 24 + 9 + 12 &&
	      !memcmp(h->out, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24) && h->out[24 + 3] == 4);
	h->outlen = 0;
	CHECK("request refused before SETTINGS", h->state == H2_S_PREFACE);
	n = frame(b, 4, 0, 0, "0004 0010 0000 0005 0000 4000");	/* window 1 MiB, frames 16 KiB */
	n += frame(b + n, 6, 0, 0, "0102 0304 0506 0708");		/* PING */
	n += frame(b + n, 8, 0, 0, "0000 1000");			/* WINDOW_UPDATE */
	CHECK("SETTINGS, PING, WINDOW_UPDATE", feed(b, n) == H2_MORE && h->state == H2_S_OPEN);
	CHECK("window read", h->window == 0x100000);
	CHECK("SETTINGS ACK and PING ACK queued", h->outlen == 9 + 17 && h->out[3] == 4 &&
	      h->out[4] == 1 && h->out[9 + 3] == 6 && h->out[9 + 4] == 1 &&
	      !memcmp(h->out + 18, "\1\2\3\4\5\6\7\10", 8));
	h->outlen = 0;
	CHECK("request queued", h2_request(h, (const unsigned char *)"\x83\x86", 2, "\0\0\0\0\0", 5) == 0 &&
	      h->outlen == 11 + 14 && h->out[3] == 1 && h->out[4] == 4 && h->out[8] == 1 &&
	      h->out[11 + 3] == 0 && h->out[11 + 4] == 1);

	/* a response: HEADERS split by CONTINUATION, DATA with padding, trailers */
	n = frame(b, 1, 0, 1, "88");					/* :status 200 */
	n += frame(b + n, 9, 4, 1, "5f10 6170 706c 6963 6174 696f 6e2f 6772 7063");
	n += frame(b + n, 0, 8, 1, "02 0000 0000 0208 01 ffff");	/* padded */
	n += frame(b + n, 1, 5, 1, "000b 6772 7063 2d73 7461 7475 7301 30");
	CHECK("response read", feed(b, n) == H2_DONE && h->ended && h->blocks == 2);
	CHECK_STR("fields and data", got, "0 :status=200\n0 content-type=application/grpc\n"
					  "data 7\n1 grpc-status=0\n");

	opened();
	n = frame(b, 1, 5, 1, "88 000b 6772 7063 2d73 7461 7475 7301 35");
	CHECK("trailers-only", feed(b, n) == H2_DONE && h->blocks == 1);

	opened();
	n = frame(b, 3, 0, 1, "0000 0007");
	CHECK("RST_STREAM", feed(b, n) == H2_FAIL && h->rst && h->rst_code == H2_REFUSED_STREAM &&
	      strstr(h->err, "REFUSED_STREAM"));
	opened();
	n = frame(b, 7, 0, 0, "0000 0000 0000 0000 6279 65");
	CHECK("GOAWAY before our stream", feed(b, n) == H2_FAIL && h->goaway &&
	      strstr(h->err, "NO_ERROR: bye"));
	opened();
	n = frame(b, 7, 0, 0, "0000 0001 0000 0002");
	CHECK("GOAWAY after it goes on", feed(b, n) == H2_MORE && h->goaway);
	CHECK("then EOF", h2_eof(h) == H2_FAIL && strstr(h->err, "INTERNAL_ERROR"));

	/* what is refused */
	opened();
	n = frame(b, 0, 1, 1, "00");
	CHECK("DATA before HEADERS", feed(b, n) == H2_FAIL && !strcmp(h->err, "an invalid DATA frame"));
	opened();
	n = frame(b, 1, 4, 3, "88");
	CHECK("HEADERS on another stream", feed(b, n) == H2_FAIL &&
	      !strcmp(h->err, "an invalid HEADERS frame"));
	opened();
	n = frame(b, 1, 0, 1, "88");
	n += frame(b + n, 6, 0, 0, "0000 0000 0000 0000");
	CHECK("a frame inside a header block", feed(b, n) == H2_FAIL &&
	      strstr(h->err, "inside a header block"));
	opened();
	n = frame(b, 9, 4, 1, "88");
	CHECK("CONTINUATION alone", feed(b, n) == H2_FAIL);
	opened();
	n = frame(b, 1, 4, 1, "88");
	n += frame(b + n, 1, 4, 1, "88");
	CHECK("trailers without END_STREAM", feed(b, n) == H2_FAIL);
	opened();
	n = frame(b, 5, 4, 1, "0000 0002 88");
	CHECK("PUSH_PROMISE", feed(b, n) == H2_FAIL && strstr(h->err, "PUSH_PROMISE"));
	opened();
	n = frame(b, 1, 4 | 8, 1, "05 88");
	CHECK("padding beyond the frame", feed(b, n) == H2_FAIL && strstr(h->err, "invalid HEADERS"));
	opened();
	n = frame(b, 1, 5, 1, "0004 6661 696c 00");
	CHECK("callback refusal", feed(b, n) == H2_FAIL && !strcmp(h->err, "refused"));
	opened();
	n = frame(b, 1, 5, 1, "ff");
	CHECK("HPACK error", feed(b, n) == H2_FAIL && strstr(h->err, "HPACK"));
	opened();
	memcpy(b, "\0\x40\x01\0\0\0\0\0\1", 9);
	CHECK("a frame above 16384 bytes", feed(b, 9) == H2_FAIL && strstr(h->err, "16385"));
	opened();
	n = frame(b, 6, 0, 0, "0000");
	CHECK("a short PING", feed(b, n) == H2_FAIL);
	opened();
	n = frame(b, 4, 0, 0, "0005 0000 1000");
	CHECK("SETTINGS_MAX_FRAME_SIZE too small", feed(b, n) == H2_FAIL);
	opened();
	n = frame(b, 8, 0, 0, "0000 0000");
	CHECK("WINDOW_UPDATE of 0", feed(b, n) == H2_FAIL);
	opened();
	n = frame(b, 0xfa, 0, 0, "0102");
	n += frame(b + n, 2, 0, 1, "0000 0000 10");
	CHECK("unknown types and PRIORITY passed over", feed(b, n) == H2_MORE);
	opened();
	for (n = 0; n < 20 * 17; )
		n += frame(b + n, 6, 0, 0, "0000 0000 0000 0000");
	CHECK("PINGs are answered", feed(b, n) == H2_MORE && h->outlen == 20 * 17);
	for (n = 0; n < 300 * 17; )
		n += frame(b + n, 6, 0, 0, "0000 0000 0000 0000");
	CHECK("a PING flood is refused", feed(b, n) == H2_FAIL && strstr(h->err, "PING"));

	fresh();
	memcpy(b, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
	CHECK("an HTTP/1.1 answer", feed(b, 28) == H2_FAIL &&
	      !strcmp(h->err, "not an HTTP/2 server: it answered \"HTTP/1.1 400 Bad Request\""));
	fresh();
	n = frame(b, 6, 0, 0, "0000 0000 0000 0000");
	CHECK("the first frame must be SETTINGS", feed(b, n) == H2_FAIL && strstr(h->err, "SETTINGS"));
	fresh();
	CHECK("EOF before SETTINGS", h2_eof(h) == H2_FAIL && strstr(h->err, "before its HTTP/2"));
	opened();
	CHECK("a request larger than the window", (h->window = 4, h2_request(h, b, 1, b, 5)) < 0);
	free(h);
}

/* --- gRPC ------------------------------------------------------------------------------------ */

static void test_grpc(void)
{
	unsigned char b[64];
	char name[32], msg[16], err[100];
	long st = -1;

	CHECK("request, empty service", grpc_health_request("", b, sizeof(b)) == 5 &&
	      !memcmp(b, "\0\0\0\0\0", 5));
	CHECK("request, service", grpc_health_request("abc", b, sizeof(b)) == 10 &&
	      !memcmp(b, "\0\0\0\0\5\x0a\3abc", 10));
	CHECK("request does not fit", grpc_health_request("abc", b, 9) == 0);
	{
		static char longname[301];
		unsigned char big[400];
		memset(longname, 'x', 300);
		CHECK("a 300-byte service: 2-byte length",
		      grpc_health_request(longname, big, sizeof(big)) == 5 + 3 + 300 &&
		      big[5] == 0x0a && big[6] == 0xac && big[7] == 0x02);
	}
#define RESP(name, bytes, len, want) \
	st = -1; CHECK(name, grpc_health_response((const unsigned char *)bytes, len, &st, err, \
						  sizeof(err)) == 0 && st == want)
	RESP("SERVING", "\0\0\0\0\2\x08\x01", 7, 1);
	RESP("NOT_SERVING", "\0\0\0\0\2\x08\x02", 7, 2);
	RESP("empty: UNKNOWN", "\0\0\0\0\0", 5, 0);
	RESP("unknown fields skipped", "\0\0\0\0\x11\x10\x05\x1a\x02hi\x08\x01\x21\1\2\3\4\5\6\7\x08", 22, 1);
	RESP("the last value wins", "\0\0\0\0\4\x08\x02\x08\x01", 9, 1);
	RESP("a large enum", "\0\0\0\0\3\x08\x87\x01", 8, 135);
#define BAD(name, bytes, len, want) \
	CHECK(name, grpc_health_response((const unsigned char *)bytes, len, &st, err, sizeof(err)) < 0 && \
	      strstr(err, want))
	BAD("no message", "", 0, "no response message");
	BAD("compressed", "\1\0\0\0\2\x08\x01", 7, "compressed");
	BAD("cut short", "\0\0\0\0\3\x08\x01", 7, "cut short");
	BAD("two messages", "\0\0\0\0\2\x08\x01\0\0\0\0\0", 12, "more than one");
	BAD("a truncated varint", "\0\0\0\0\2\x08\x81", 7, "malformed");
	BAD("a group", "\0\0\0\0\2\x0b\x0c", 7, "malformed");
	BAD("field 0", "\0\0\0\0\2\x00\x01", 7, "malformed");
	BAD("a length past the end", "\0\0\0\0\2\x12\x05", 7, "malformed");

	grpc_code_goname(5, name, sizeof(name));
	CHECK_STR("Go name NotFound", name, "NotFound");
	grpc_code_goname(4, name, sizeof(name));
	CHECK_STR("Go name DeadlineExceeded", name, "DeadlineExceeded");
	grpc_code_goname(1, name, sizeof(name));
	CHECK_STR("Go name Canceled", name, "Canceled");
	grpc_code_goname(0, name, sizeof(name));
	CHECK_STR("Go name OK", name, "OK");
	grpc_code_goname(42, name, sizeof(name));
	CHECK_STR("Go name Code(42)", name, "Code(42)");
	grpc_code_goname(16, name, sizeof(name));
	CHECK_STR("Go name Unauthenticated", name, "Unauthenticated");
	CHECK_STR("health name", grpc_health_name(3), "SERVICE_UNKNOWN");
	CHECK("health name beyond", grpc_health_name(4) == NULL);
	CHECK("HTTP 404 is UNIMPLEMENTED", grpc_code_of_http(404) == 12);
	CHECK("HTTP 503 is UNAVAILABLE", grpc_code_of_http(503) == 14);
	CHECK("HTTP 500 is UNKNOWN", grpc_code_of_http(500) == 2);

	grpc_unpercent("a%20b%zz%2", 10, msg, sizeof(msg));
	CHECK_STR("unpercent", msg, "a b%zz%2");
	grpc_unpercent("0123456789abcdefghij", 20, msg, sizeof(msg));
	CHECK_STR("unpercent cut", msg, "0123456789ab...");
	grpc_unpercent("0123456789abcde", 15, msg, sizeof(msg));
	CHECK_STR("unpercent fits exactly", msg, "0123456789abcde");
}

static void test_durations(void)
{
	static const struct { const char *in; int64_t ns; const char *shown; } d[] = {
		{ "1s", 1000000000, "1s" }, { "250ms", 250000000, "250ms" },
		{ "1m30s", 90000000000, "1m30s" }, { "1.5s", 1500000000, "1.5s" },
		{ "0", 0, "0s" }, { "-1s", -1000000000, "-1s" }, { "1h", 3600000000000, "1h0m0s" },
		{ "100us", 100000, "100\xc2\xb5s" }, { "1.5\xc2\xb5s", 1500, "1.5\xc2\xb5s" },
		{ "10ns", 10, "10ns" }, { "2h45m", 9900000000000, "2h45m0s" },
		{ ".5s", 500000000, "500ms" }, { "1.000001s", 1000001000, "1.000001s" },
		{ "+3ms", 3000000, "3ms" },
	};
	static const char *const bad[] = { "", "1", "s", "1x", "1.s.", "-", "1s2", "1e3s", "9999999h" };
	char buf[64];

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		int64_t ns = -7;
		char name[80];
		snprintf(name, sizeof(name), "duration %s", d[i].in);
		CHECK(name, grpc_health_probe_parse_duration(d[i].in, &ns) == 0 && ns == d[i].ns);
		grpc_health_probe_format_duration(d[i].ns, buf, sizeof(buf));
		snprintf(name, sizeof(name), "duration %s shown", d[i].in);
		CHECK_STR(name, buf, d[i].shown);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t ns;
		char name[80];
		snprintf(name, sizeof(name), "duration '%s' refused", bad[i]);
		CHECK(name, grpc_health_probe_parse_duration(bad[i], &ns) < 0);
	}
}

int main(void)
{
	test_hpack();
	test_h2();
	test_grpc();
	test_durations();
	return t_done();
}
