/* record.c - unit tests: the result record, its limits and its text, JSON and Prometheus forms */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "../../lib/record.h"
#include "t.h"

static char *out;

/* render with one of the writers into out (freed on the next call) */
#define RENDER(call) T_RENDER(out, call)

static const char *ffmt(double v)
{
	static char b[RECORD_FMT_MAX];
	record_fmt_float(v, b);
	return b;
}

static const char *tfmt(int64_t t)
{
	static char b[RECORD_FMT_MAX];
	record_fmt_time(t, b);
	return b;
}

static void basics(void)
{
	struct record r;
	const struct record_item *it;
	const char *two[] = { "a", "b" };

	record_init(&r);
	CHECK("empty", record_count(&r) == 0 && !record_get(&r, "x"));
	CHECK("set bool", record_set_bool(&r, "tcp.success", 5) == 0);
	CHECK("set int", record_set_int(&r, "http.resp.status", 200) == 0);
	CHECK("set float", record_set_float(&r, "tcp.con.time.perf", 0.25) == 0);
	CHECK("set str", record_set_str(&r, "http.resp.reason", "OK") == 0);
	CHECK("set none", record_set_none(&r, "ssl.con.compression") == 0);
	CHECK("set time", record_set_time(&r, "ssl.con.cert.notAfter", 1767225600) == 0);
	CHECK("set list", record_set_list(&r, "l", two, 2) == 0);
	CHECK("set strn with NUL", record_set_strn(&r, "body", "a\0b", 3) == 0);
	it = record_get(&r, "tcp.success");
	CHECK("bool normalised", it && it->type == RECORD_BOOL && it->v.b == 1);
	it = record_get(&r, "http.resp.status");
	CHECK("get int", it && it->type == RECORD_INT && it->v.i == 200);
	it = record_get(&r, "body");
	CHECK("strn keeps length", it && it->v.s.len == 3 && !memcmp(it->v.s.p, "a\0b", 4));
	it = record_get(&r, "l");
	CHECK("list copied", it && it->v.list.n == 2 && it->v.list.v[0] != two[0] &&
	      !strcmp(it->v.list.v[1], "b"));
	CHECK("getn", record_getn(&r, "tcp.successXX", 11) == record_get(&r, "tcp.success"));
	CHECK("getn with NUL matches nothing", record_getn(&r, "l\0x", 3) == NULL);
	CHECK("has prefix", record_has_prefix(&r, "ssl.con.", 8) && !record_has_prefix(&r, "ssl.x", 5));

	/* replacing keeps the place, changes the type */
	CHECK("replace", record_set_str(&r, "http.resp.status", "two hundred") == 0);
	CHECK("replace keeps order", record_count(&r) == 8 &&
	      !strcmp(record_at(&r, 1)->key, "http.resp.status") &&
	      record_at(&r, 1)->type == RECORD_STR);
	CHECK("at out of range", record_at(&r, 8) == NULL);

	/* set_str copies */
	{
		char buf[8] = "abc";
		record_set_str(&r, "copy", buf);
		buf[0] = 'X';
		CHECK("set_str copies", !strcmp(record_get(&r, "copy")->v.s.p, "abc"));
	}

	/* repeated headers: string, then a list */
	CHECK("append 1", record_append_str(&r, "h.set_cookie", "a=1") == 0 &&
	      record_get(&r, "h.set_cookie")->type == RECORD_STR);
	CHECK("append 2", record_append_str(&r, "h.set_cookie", "b=2") == 0 &&
	      record_get(&r, "h.set_cookie")->type == RECORD_LIST &&
	      record_get(&r, "h.set_cookie")->v.list.n == 2);
	CHECK("append 3", record_append_str(&r, "h.set_cookie", "c=3") == 0 &&
	      record_get(&r, "h.set_cookie")->v.list.n == 3 &&
	      !strcmp(record_get(&r, "h.set_cookie")->v.list.v[2], "c=3"));

	/* secrets */
	CHECK("mark secret missing", record_mark_secret(&r, "nope") < 0 && errno == ENOENT);
	CHECK("mark secret", record_mark_secret(&r, "copy") == 0);
	record_set_str(&r, "copy", "new");
	CHECK("secret flag survives a set", record_item_is_secret(record_get(&r, "copy")));
	CHECK("secret rule password", record_key_is_secret("db.password"));
	CHECK("secret rule PASSWORD", record_key_is_secret("db.PASSWORD"));
	CHECK("secret rule token", record_key_is_secret("token"));
	CHECK("secret rule _token", record_key_is_secret("http.auth.bearer_token"));
	CHECK("secret rule authorization", record_key_is_secret("http.req.header.authorization"));
	CHECK("secret rule api_key", record_key_is_secret("x.api_key"));
	CHECK("not secret: tokens", !record_key_is_secret("x.tokens"));
	CHECK("not secret: password.len", !record_key_is_secret("password.len"));
	CHECK("not secret: status", !record_key_is_secret("http.resp.status"));
	CHECK("secret rule _token alone", record_key_is_secret("x._token"));

	record_clear(&r);
	CHECK("clear", record_count(&r) == 0 && r.bytes == 0 && !record_get(&r, "l"));
	CHECK("usable after clear", record_set_int(&r, "x", 1) == 0 && record_count(&r) == 1);
	record_free(&r);
}

static void limits(void)
{
	struct record r;
	char key[RECORD_MAX_KEY + 2];
	const char *l[3] = { "a", "b", "c" };
	size_t before;

	record_init(&r);
	CHECK("empty key", record_set_int(&r, "", 1) < 0 && errno == EINVAL);
	CHECK("key with space", record_set_int(&r, "a b", 1) < 0 && errno == EINVAL);
	CHECK("key with newline", record_set_int(&r, "a\nb", 1) < 0 && errno == EINVAL);
	CHECK("key with UTF-8", record_set_int(&r, "caf\xc3\xa9", 1) < 0 && errno == EINVAL);
	memset(key, 'k', RECORD_MAX_KEY);
	key[RECORD_MAX_KEY] = 0;
	CHECK("key at max", record_set_int(&r, key, 1) == 0);
	key[RECORD_MAX_KEY] = 'k';
	key[RECORD_MAX_KEY + 1] = 0;
	CHECK("key too long", record_set_int(&r, key, 1) < 0 && errno == EINVAL);
	CHECK("failed sets add nothing", record_count(&r) == 1);

	r.max_str = 4;
	CHECK("string at max", record_set_str(&r, "s", "abcd") == 0);
	CHECK("string too long", record_set_str(&r, "s", "abcde") < 0 && errno == E2BIG);
	CHECK("old value kept", !strcmp(record_get(&r, "s")->v.s.p, "abcd"));
	CHECK("list element too long", record_set_list(&r, "l", (const char *[]){ "abcde" }, 1) < 0 &&
	      errno == E2BIG && !record_get(&r, "l"));
	r.max_list = 2;
	CHECK("list too long", record_set_list(&r, "l", l, 3) < 0 && errno == E2BIG);
	CHECK("list at max", record_set_list(&r, "l", l, 2) == 0);
	CHECK("append past max", record_append_str(&r, "l", "c") < 0 && errno == E2BIG &&
	      record_get(&r, "l")->v.list.n == 2);

	before = r.bytes;
	r.max_bytes = r.bytes + 7;	/* "s2" and "abcd" need 8 */
	CHECK("bytes limit", record_set_str(&r, "s2", "abcd") < 0 && errno == E2BIG);
	CHECK("bytes unchanged", r.bytes == before);
	CHECK("replace within bytes", record_set_str(&r, "s", "xy") == 0 && r.bytes == before - 2);
	r.max_bytes = RECORD_MAX_BYTES;

	r.max_items = record_count(&r) + 1;
	CHECK("last item", record_set_int(&r, "i3", 0) == 0);
	CHECK("items limit", record_set_int(&r, "one.more", 1) < 0 && errno == E2BIG);
	CHECK("replace at items limit", record_set_int(&r, "i3", 7) == 0);
	record_free(&r);
}

static void formats(void)
{
	CHECK_STR("float 0.1", ffmt(0.1), "0.1");
	CHECK_STR("float 1", ffmt(1), "1.0");
	CHECK_STR("float -2.5", ffmt(-2.5), "-2.5");
	CHECK_STR("float 1/3", ffmt(1.0 / 3), "0.3333333333333333");
	CHECK_STR("float 1e15", ffmt(1e15), "1000000000000000.0");
	CHECK_STR("float 1e16", ffmt(1e16), "1e+16");
	CHECK_STR("float 1.5e-05", ffmt(1.5e-05), "1.5e-05");
	CHECK_STR("float 0.0001", ffmt(0.0001), "0.0001");
	CHECK_STR("float 0.0123", ffmt(0.0123), "0.0123");
	CHECK_STR("float 123.456", ffmt(123.456), "123.456");
	CHECK_STR("float -0.0", ffmt(-0.0), "-0.0");
	CHECK_STR("float max", ffmt(1.7976931348623157e308), "1.7976931348623157e+308");
	CHECK_STR("float denormal", ffmt(5e-324), "5e-324");
	CHECK_STR("float inf", ffmt(INFINITY), "inf");
	CHECK_STR("float -inf", ffmt(-INFINITY), "-inf");
	CHECK_STR("float nan", ffmt(NAN), "nan");
	CHECK_STR("time epoch", tfmt(0), "1970-01-01T00:00:00Z");
	CHECK_STR("time 2026", tfmt(1767225600), "2026-01-01T00:00:00Z");
	CHECK_STR("time before epoch", tfmt(-1), "1969-12-31T23:59:59Z");
	CHECK_STR("time year 9999", tfmt(253402300799LL), "9999-12-31T23:59:59Z");
	CHECK_STR("time out of range", tfmt(INT64_MAX), "9223372036854775807");
	CHECK("utf8 ascii", record_utf8_len((const unsigned char *)"a", 1) == 1);
	CHECK("utf8 2", record_utf8_len((const unsigned char *)"\xc3\xa9", 2) == 2);
	CHECK("utf8 cut", record_utf8_len((const unsigned char *)"\xc3\xa9", 1) == 0);
	CHECK("utf8 overlong", record_utf8_len((const unsigned char *)"\xc0\x80", 2) == 0);
	CHECK("utf8 overlong 3", record_utf8_len((const unsigned char *)"\xe0\x80\x80", 3) == 0);
	CHECK("utf8 surrogate", record_utf8_len((const unsigned char *)"\xed\xa0\x80", 3) == 0);
	CHECK("utf8 4", record_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4) == 4);
	CHECK("utf8 > 10FFFF", record_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4) == 0);
	CHECK("utf8 f5", record_utf8_len((const unsigned char *)"\xf5\x80\x80\x80", 4) == 0);

	{
		char b[16];
		struct record_sink s;
		record_sink_buf(&s, b, sizeof(b));
		record_put_escaped(&s, "it's", 4, '\'');
		CHECK_STR("repr picks \"", b, "\"it's\"");
		record_sink_buf(&s, b, sizeof(b));
		record_put_escaped(&s, "'\"", 2, '\'');
		CHECK_STR("repr escapes '", b, "'\\'\"'");
		record_sink_buf(&s, b, sizeof(b));
		record_puts(&s, "0123456789abcdefXYZ");
		CHECK("sink cut", s.cut && s.len == 15 && !strcmp(b, "0123456789abcde"));
	}
}

static struct record sample(void)
{
	struct record r;
	const char *cookies[] = { "a=1", "b\"2" };

	record_init(&r);
	record_set_bool(&r, "tcp.success", 1);
	record_set_float(&r, "tcp.con.time.perf", 0.0123);
	record_set_int(&r, "http.resp.status", 200);
	record_set_str(&r, "http.resp.reason", "Not \"Found\"\n");
	record_set_none(&r, "ssl.con.alpn_protocol");
	record_set_time(&r, "ssl.con.cert.notAfter", 1767225600);
	record_set_list(&r, "http.resp.header.set_cookie", cookies, 2);
	record_set_str(&r, "db.password", "hunter2");
	record_set_int(&r, "db.token", 12345);
	return r;
}

static void text_and_json(void)
{
	struct record r = sample();

	RENDER(record_write_text(&r, f_));
	CHECK_STR("text", out,
		  "tcp.success: True\n"
		  "tcp.con.time.perf: 0.0123\n"
		  "http.resp.status: 200\n"
		  "http.resp.reason: Not \"Found\"\\n\n"
		  "ssl.con.alpn_protocol: None\n"
		  "ssl.con.cert.notAfter: 2026-01-01T00:00:00Z\n"
		  "http.resp.header.set_cookie: ['a=1', 'b\"2']\n"
		  "db.password: ***\n"
		  "db.token: ***\n");
	RENDER(record_write_json(&r, f_));
	CHECK_STR("json", out,
		  "{\"tcp.success\": true, \"tcp.con.time.perf\": 0.0123, \"http.resp.status\": 200, "
		  "\"http.resp.reason\": \"Not \\\"Found\\\"\\n\", \"ssl.con.alpn_protocol\": null, "
		  "\"ssl.con.cert.notAfter\": \"2026-01-01T00:00:00Z\", "
		  "\"http.resp.header.set_cookie\": [\"a=1\", \"b\\\"2\"], "
		  "\"db.password\": \"***\", \"db.token\": \"***\"}");
	CHECK("secret never printed", !strstr(out, "hunter2") && !strstr(out, "12345"));
	record_clear(&r);

	/* string escaping: controls, NUL, DEL, backslash, UTF-8 valid and not */
	record_set_strn(&r, "s", "a\\b\x01\x1f\x7f\0\t\r\b\f", 11);
	record_set_str(&r, "u", "caf\xc3\xa9 \xf0\x9f\x98\x80");
	record_set_str(&r, "bad", "x\xffy\xc0\x80z\xed\xa0\x80\xc3");
	record_set_float(&r, "nan", NAN);
	record_set_float(&r, "inf", -INFINITY);
	record_set_float(&r, "one", 1);
	record_set_int(&r, "min", INT64_MIN);
	record_set_list(&r, "empty", NULL, 0);
	RENDER(record_write_json(&r, f_));
	CHECK_STR("json escapes", out,
		  "{\"s\": \"a\\\\b\\u0001\\u001f\\u007f\\u0000\\t\\r\\b\\f\", "
		  "\"u\": \"caf\xc3\xa9 \xf0\x9f\x98\x80\", "
		  "\"bad\": \"x\\ufffdy\\ufffd\\ufffdz\\ufffd\\ufffd\\ufffd\\ufffd\", "
		  "\"nan\": null, \"inf\": null, \"one\": 1.0, \"min\": -9223372036854775808, "
		  "\"empty\": []}");
	RENDER(record_write_text(&r, f_));
	CHECK_STR("text escapes", out,
		  "s: a\\\\b\\x01\\x1f\\x7f\\x00\\t\\r\\x08\\x0c\n"
		  "u: caf\xc3\xa9 \xf0\x9f\x98\x80\n"
		  "bad: x\\xffy\\xc0\\x80z\\xed\\xa0\\x80\\xc3\n"
		  "nan: nan\n"
		  "inf: -inf\n"
		  "one: 1.0\n"
		  "min: -9223372036854775808\n"
		  "empty: []\n");
	record_free(&r);
	RENDER(record_write_json(&r, f_));
	CHECK_STR("json empty", out, "{}");
}

static void prometheus(void)
{
	struct record r = sample();
	const char *labels[] = { "check", "chksrv", "target", "ex\"am\\ple\n.org:443",
				 "9bad-name", "\xff", NULL };
	/* the labels as written: escaped, names sanitised, invalid UTF-8 replaced */
#define L "{check=\"chksrv\",target=\"ex\\\"am\\\\ple\\n.org:443\",_9bad_name=\"\xef\xbf\xbd\"}"

	record_set_float(&r, "tcp.con-time.perf", 1);	/* same metric name as tcp.con.time.perf */
	record_set_int(&r, "up", 5);			/* would be probebox_up */
	record_set_float(&r, "x.inf", INFINITY);
	record_set_bool(&r, "x.no", 0);
	RENDER(record_write_prom(&r, f_, labels, 1, 0.5));
	CHECK_STR("prometheus", out,
		  "# HELP probebox_up 1 if the check passed, else 0\n"
		  "# TYPE probebox_up gauge\n"
		  "probebox_up" L " 1\n"
		  "# HELP probebox_duration_seconds seconds the check took\n"
		  "# TYPE probebox_duration_seconds gauge\n"
		  "probebox_duration_seconds" L " 0.5\n"
		  "# TYPE probebox_tcp_success gauge\n"
		  "probebox_tcp_success" L " 1\n"
		  "# TYPE probebox_tcp_con_time_perf gauge\n"
		  "probebox_tcp_con_time_perf" L " 0.0123\n"
		  "# TYPE probebox_http_resp_status gauge\n"
		  "probebox_http_resp_status" L " 200\n"
		  "# TYPE probebox_ssl_con_cert_notAfter gauge\n"
		  "probebox_ssl_con_cert_notAfter" L " 1767225600\n"
		  "# TYPE probebox_x_inf gauge\n"
		  "probebox_x_inf" L " +Inf\n"
		  "# TYPE probebox_x_no gauge\n"
		  "probebox_x_no" L " 0\n");
#undef L
	CHECK("prometheus: no secret", !strstr(out, "12345") && !strstr(out, "token"));
	RENDER(record_write_prom(&r, f_, NULL, 0, NAN));
	CHECK("prometheus without labels", !strncmp(out, "# HELP probebox_up", 18) &&
	      strstr(out, "\nprobebox_up 0\n") && strstr(out, "\nprobebox_duration_seconds NaN\n") &&
	      strstr(out, "\nprobebox_http_resp_status 200\n"));
	record_free(&r);
}

int main(void)
{
	basics();
	limits();
	formats();
	text_and_json();
	prometheus();
	free(out);
	return t_done();
}
