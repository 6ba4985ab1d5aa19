/* check_tcp.c - unit tests: check-tcp's escapes and status map, RE2 translation, addresses */
#include <stdlib.h>

#include "../../lib/re2posix.h"
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

static int rmatch(const char *re, const char *s)
{
	regex_t r;
	char err[128];
	int m;

	if (re2_compile(&r, re, err, sizeof(err)) < 0)
		return -1;
	m = re2_match(&r, s, strlen(s));
	regfree(&r);
	return m;
}

static int rbad(const char *re)
{
	regex_t r;
	char err[128];
	if (re2_compile(&r, re, err, sizeof(err)) == 0) {
		regfree(&r);
		return 0;
	}
	return 1;
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

	/* the preset patterns, RE2 extras */
	CHECK("re ^220", rmatch("^220", "220 ready\r\n") == 1);
	CHECK("re ^220 no", rmatch("^220", "500 no\r\n") == 0);
	CHECK("re ^\\+OK", rmatch("^\\+OK", "+OK hi") == 1);
	CHECK("re ^\\* OK", rmatch("^\\* OK", "* OK hi") == 1);
	CHECK("re gearman", rmatch("\\A[0-9]+\\.[0-9]+\\n\\z", "1.11\n") == 1);
	CHECK("re gearman trailing", rmatch("\\A[0-9]+\\.[0-9]+\\n\\z", "1.11\nx") == 0);
	CHECK("re gearman leading", rmatch("\\A[0-9]+\\.[0-9]+\\n\\z", "x1.11\n") == 0);
	CHECK("re \\d+", rmatch("v\\d+", "v42") == 1);
	CHECK("re \\s", rmatch("a\\sb", "a b") == 1);
	CHECK("re \\w", rmatch("^\\w+$", "ab_9") == 1);
	CHECK("re \\W", rmatch("\\W", "ab_9") == 0);
	CHECK("re [\\d.]", rmatch("^[\\d.]+$", "1.2.3") == 1);
	CHECK("re (?i)", rmatch("(?i)^ok", "OK") == 1);
	CHECK("re (?:)", rmatch("^(?:ab)+$", "abab") == 1);
	CHECK("re lazy", rmatch("a.*?b", "axxb") == 1);
	CHECK("re \\x41", rmatch("\\x41", "A") == 1);
	CHECK("re \\x{42}", rmatch("\\x{42}", "B") == 1);
	CHECK("re \\b unsupported", rbad("\\bword"));
	CHECK("re backref unsupported", rbad("(a)\\1"));
	CHECK("re named group unsupported", rbad("(?P<n>a)"));
	CHECK("re trailing backslash", rbad("abc\\"));
	CHECK("re unclosed bracket", rbad("[abc"));
	CHECK("re \\x{100} rejected", rbad("\\x{100}"));
	{
		regex_t r;
		CHECK("re match over NUL", re2_compile(&r, "after", err, sizeof(err)) == 0 &&
		      re2_match(&r, "pre\0after", 9) == 1);
		regfree(&r);
	}

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
