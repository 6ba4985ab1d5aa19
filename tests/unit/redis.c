/* redis.c - unit tests: the redis probe's RESP2 reply lines (resp_line), bounded lengths
 * that lie included, and its fields as conn-check and chksrv name them */
#include "../../net/probe.h"
#include "../../net/resp.h"
#include "t.h"

static struct resp v;

static int line(const char *s)
{
	memset(&v, 0, sizeof(v));
	return resp_line(s, strlen(s), RESP_MAX, &v);
}

int main(void)
{
	const struct probe_type *t = probe_find("redis");
	const struct probe_field *f;

	CHECK("simple string", line("+PONG\r\n") == 0 && v.type == '+' && v.len == 4 &&
	      !memcmp(v.p, "PONG", 4));
	CHECK("empty simple string", line("+\r\n") == 0 && v.len == 0);
	CHECK("error", line("-WRONGPASS invalid username-password pair\r\n") == 0 &&
	      v.type == '-' && v.len == 40);
	CHECK("integer", line(":42\r\n") == 0 && v.type == ':' && v.n == 42);
	CHECK("negative integer", line(":-7\r\n") == 0 && v.n == -7);
	CHECK("bulk length", line("$5\r\n") == 0 && v.type == '$' && v.n == 5);
	CHECK("null bulk", line("$-1\r\n") == 0 && v.n == -1);
	CHECK("empty bulk", line("$0\r\n") == 0 && v.n == 0);
	CHECK("array count", line("*2\r\n") == 0 && v.type == '*' && v.n == 2);
	CHECK("bulk at the cap", line("$65536\r\n") == 0);
	CHECK("bulk over the cap", line("$65537\r\n") == RESP_BIG && v.n == 65537);
	CHECK("lying bulk length", line("$999999999\r\n") == RESP_BIG);
	CHECK("bulk length that overflows", line("$99999999999999999999999\r\n") == RESP_BIG);
	CHECK("bulk below -1", line("$-2\r\n") == RESP_BAD);
	CHECK("array below -1", line("*-5\r\n") == RESP_BAD);
	CHECK("no digits", line("$\r\n") == RESP_BAD);
	CHECK("a lone minus", line(":-\r\n") == RESP_BAD);
	CHECK("space before the number", line(": 5\r\n") == RESP_BAD);
	CHECK("CR LF before the number", line(":\r\n") == RESP_BAD);
	CHECK("plus sign", line("$+5\r\n") == RESP_BAD);
	CHECK("trailing garbage", line("$5x\r\n") == RESP_BAD);
	CHECK("LF without CR", line("+OK\n") == RESP_BAD);
	CHECK("no LF yet", line("+OK\r") == RESP_MORE);
	CHECK("a piece of a long line", line("+aaaa") == RESP_MORE);
	CHECK("not RESP: HTTP", line("HTTP/1.1 400 Bad Request\r\n") == RESP_BAD);
	CHECK("not RESP: SMTP banner", line("220 mail ESMTP\r\n") == RESP_BAD);
	CHECK("not RESP: a NUL", resp_line("\0+OK\r\n", 6, RESP_MAX, &v) == RESP_BAD);
	CHECK("RESP3 type refused", line("%1\r\n") == RESP_BAD);
	CHECK("empty", resp_line("", 0, RESP_MAX, &v) == RESP_BAD);

	CHECK("the redis probe", t != NULL);
	if (!t)
		return t_done();
	CHECK("redis layout", t->layout == PL_PREFIXED);
	f = probe_field(t, "password", 0);
	CHECK("password is a secret", f && (f->flags & PF_SECRET) && f == probe_field(t, "password", 1));
	CHECK("username", probe_field(t, "username", 1) != NULL);
	CHECK("database", probe_field(t, "database", 1) != NULL);
	{
		enum probe_src src;
		CHECK("password_env", probe_field_src(t, "password_env", 0, &src) == f && src == PS_ENV);
		CHECK("password_file", probe_field_src(t, "password_file", 1, &src) == f && src == PS_FILE);
	}
	{
		void *s = probe_spec_new(t);
		char err[200];
		const struct probe_field *db = probe_field(t, "database", 0);

		CHECK("port required", probe_ready(t, s, err, sizeof(err)) < 0);
		CHECK("database -1 refused", probe_set(s, db, "-1", 2, err, sizeof(err)) < 0);
		CHECK("database 15", probe_set(s, db, "15", 2, err, sizeof(err)) == 0);
	}
	return t_done();
}
