/* check_tcp.c - unit tests: check-tcp's escapes and status map, RE2 translation, addresses */
#include <stdlib.h>

#include "../../net/conn.h"
#include "t.h"

size_t check_tcp_unescape(const char *in, char *out);
int check_tcp_status_map(const char *s, int map[4], char *err, size_t errlen);

static const char *unesc(const char *in)
{
	static char buf[256];
	check_tcp_unescape(in, buf);
	return buf;
}


int main(void)
{
	int map[4];
	char err[128], b[256];
	const char *h, *p;

	/* upstream's escapedString cases */
	CHECK_STR("escape \\n", unesc("a\\nb"), "a\nb");
	CHECK_STR("escape \\r\\n", unesc("GET / HTTP/1.0\\r\\n\\r\\n"), "GET / HTTP/1.0\r\n\r\n");
	CHECK_STR("escape \\t", unesc("a\\tb"), "a\tb");
	CHECK_STR("escape \\\\", unesc("a\\\\b"), "a\\b");
	CHECK_STR("escape trailing backslash kept", unesc("abc\\"), "abc\\");
	CHECK_STR("escape \\o kept", unesc("\\o"), "\\o");
	CHECK_STR("escape none", unesc("plain"), "plain");

	CHECK("status map ok", check_tcp_status_map("ok=critical,WARNING=Ok", map, err, sizeof(err)) == 0 &&
	      map[0] == 2 && map[1] == 0 && map[2] == 2 && map[3] == 3);
	CHECK("status map unknown word", check_tcp_status_map("ok=fine", map, err, sizeof(err)) < 0);
	CHECK("status map no =", check_tcp_status_map("ok", map, err, sizeof(err)) < 0);
	CHECK("status map duplicate", check_tcp_status_map("ok=warning,ok=critical", map, err, sizeof(err)) < 0);
	CHECK("status map empty", check_tcp_status_map("", map, err, sizeof(err)) == 0 && map[1] == 1);


	/* host:port splitting */
	CHECK("split host:port", conn_split_hostport("example.com:80", b, sizeof(b), &h, &p, NULL) == 0 &&
	      !strcmp(h, "example.com") && !strcmp(p, "80"));
	CHECK("split [v6]:port", conn_split_hostport("[::1]:443", b, sizeof(b), &h, &p, NULL) == 0 &&
	      !strcmp(h, "::1") && !strcmp(p, "443"));
	CHECK("split bare v6 uses default", conn_split_hostport("::1", b, sizeof(b), &h, &p, "80") == 0 &&
	      !strcmp(h, "::1") && !strcmp(p, "80"));
	CHECK("split host default port", conn_split_hostport("host", b, sizeof(b), &h, &p, "25") == 0 &&
	      !strcmp(p, "25"));
	CHECK("split no port no default", conn_split_hostport("host", b, sizeof(b), &h, &p, NULL) < 0);
	CHECK("split empty port", conn_split_hostport("host:", b, sizeof(b), &h, &p, NULL) < 0);
	CHECK("split unbalanced", conn_split_hostport("[::1:80", b, sizeof(b), &h, &p, NULL) < 0);
	CHECK("split junk after ]", conn_split_hostport("[::1]x", b, sizeof(b), &h, &p, NULL) < 0);
	CHECK("split empty", conn_split_hostport("", b, sizeof(b), &h, &p, "1") < 0);
	CHECK_STR("unbracket", conn_unbracket("[fe80::1]", b, sizeof(b)), "fe80::1");
	CHECK_STR("unbracket plain", conn_unbracket("host", b, sizeof(b)), "host");
	CHECK("ip literal v4", tls_is_ip_literal("127.0.0.1"));
	CHECK("ip literal v6", tls_is_ip_literal("::1"));
	CHECK("ip literal name", !tls_is_ip_literal("localhost"));
	return t_done();
}
