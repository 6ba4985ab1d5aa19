/* chksrv.c - unit tests: chksrv's -p value typing (upstream's parse_option_value), response
 * header names as record keys, and certificate host-name matching */
#include <stdlib.h>

#include "t.h"
#include "../../tls/tls.h"
#include "../../net/probe.h"

void chksrv_value_describe(const char *s, char *out, size_t len);

static const char *ty(const char *s)
{
	static char buf[128];
	chksrv_value_describe(s, buf, sizeof(buf));
	return buf;
}

static const char *hk(const char *name)
{
	static char buf[64];
	if (!probe_http_header_key(name, buf, sizeof(buf)))
		return "(none)";
	return buf;
}

int main(void)
{
	/* booleans: the words, case-insensitive, nothing else */
	CHECK_STR("true", ty("true"), "bool True");
	CHECK_STR("Yes", ty("Yes"), "bool True");
	CHECK_STR("y", ty("y"), "bool True");
	CHECK_STR("FALSE", ty("FALSE"), "bool False");
	CHECK_STR("no", ty("no"), "bool False");
	CHECK_STR("N", ty("N"), "bool False");
	CHECK_STR("on is a string", ty("on"), "str");
	CHECK_STR("' true' is a string", ty(" true"), "str");

	/* int(): spaces around, sign, underscores between digits, leading zeros */
	CHECK_STR("int", ty("42"), "int 42");
	CHECK_STR("int with spaces", ty(" 7 "), "int 7");
	CHECK_STR("negative int", ty("-3"), "int -3");
	CHECK_STR("+int", ty("+5"), "int 5");
	CHECK_STR("leading zeros", ty("007"), "int 7");
	CHECK_STR("underscores", ty("1_000"), "int 1000");
	CHECK_STR("double underscore is a string", ty("1__0"), "str");
	CHECK_STR("trailing underscore is a string", ty("10_"), "str");
	CHECK_STR("int64 max", ty("9223372036854775807"), "int 9223372036854775807");
	CHECK_STR("beyond 64 bits: a float", ty("9223372036854775808"), "float 9.223372036854776e+18");
	CHECK_STR("empty is a string", ty(""), "str");
	CHECK_STR("sign alone is a string", ty("-"), "str");

	/* float() */
	CHECK_STR("float", ty("1.5"), "float 1.5");
	CHECK_STR("float .5", ty(".5"), "float 0.5");
	CHECK_STR("float 5.", ty("5."), "float 5.0");
	CHECK_STR("exponent", ty("1e3"), "float 1000.0");
	CHECK_STR("negative exponent", ty("-2.5E-1"), "float -0.25");
	CHECK_STR("inf", ty("inf"), "float inf");
	CHECK_STR("-Infinity", ty("-Infinity"), "float -inf");
	CHECK_STR("nan", ty("NaN"), "float nan");
	CHECK_STR("float underscores", ty("1_0.2_5"), "float 10.25");
	CHECK_STR("hex is not a float", ty("0x10"), "str");
	CHECK_STR("dot alone", ty("."), "str");
	CHECK_STR("1e is a string", ty("1e"), "str");
	CHECK_STR("infinite is a string", ty("infinite"), "str");

	/* complex() */
	CHECK_STR("2j", ty("2j"), "complex 0.0+2.0j");
	CHECK_STR("1+2j", ty("1+2j"), "complex 1.0+2.0j");
	CHECK_STR("(1-2.5J)", ty(" (1-2.5J) "), "complex 1.0-2.5j");
	CHECK_STR("j", ty("j"), "complex 0.0+1.0j");
	CHECK_STR("1-j", ty("1-j"), "complex 1.0-1.0j");
	CHECK_STR("1 + 2j is a string", ty("1 + 2j"), "str");
	CHECK_STR("jj is a string", ty("jj"), "str");
	CHECK_STR("(1+2j is a string", ty("(1+2j"), "str");

	/* dates and times, as fromisoformat() */
	CHECK_STR("date", ty("2024-02-29"), "date");
	CHECK_STR("not a leap day", ty("2023-02-29"), "str");
	CHECK_STR("month 13", ty("2024-13-01"), "str");
	CHECK_STR("year 0", ty("0000-01-01"), "str");
	CHECK_STR("time HH:MM", ty("12:30"), "time");
	CHECK_STR("time with seconds and ms", ty("23:59:59.123"), "time");
	CHECK_STR("time with us and offset", ty("01:02:03.123456+05:30"), "time");
	CHECK_STR("time Z", ty("10:00Z"), "time");
	CHECK_STR("hour 24", ty("24:00"), "str");
	CHECK_STR("4 fraction digits", ty("10:00:00.1234"), "str");
	CHECK_STR("offset without minutes", ty("10:00+05"), "str");
	CHECK_STR("datetime T", ty("2024-01-01T10:00:00"), "datetime");
	CHECK_STR("datetime space", ty("2024-01-01 10:00+01:00"), "datetime");
	CHECK_STR("datetime any separator", ty("2024-01-01x10"), "datetime");
	CHECK_STR("date and junk", ty("2024-01-01T"), "str");
	CHECK_STR("prefer", ty("prefer"), "str");
	CHECK_STR("CERT_NONE", ty("CERT_NONE"), "str");

	/* header names: lower case, '-' and ' ' as '_' */
	CHECK_STR("Content-Length", hk("Content-Length"), "http.resp.header.content_length");
	CHECK_STR("Set-Cookie", hk("Set-Cookie"), "http.resp.header.set_cookie");
	CHECK_STR("space", hk("X Odd Name"), "http.resp.header.x_odd_name");
	CHECK_STR("already lower", hk("etag"), "http.resp.header.etag");
	CHECK_STR("empty", hk(""), "(none)");
	CHECK_STR("too long", hk("a-very-long-header-name-that-does-not-fit-the-buffer"), "(none)");
	{
		char b[64];
		CHECK("exact fit", probe_http_header_key("abcdefghij", b, 28) == 27);
		CHECK("one short", probe_http_header_key("abcdefghij", b, 27) == 0);
	}

	/* host names against certificates (RFC 6125, Python's match_hostname) */
	CHECK("DNS SAN", tls_name_matches("localhost", "DNS:localhost, IP:127.0.0.1", "x"));
	CHECK("DNS SAN case", tls_name_matches("LocalHost", "DNS:localhost", NULL));
	CHECK("trailing dot", tls_name_matches("localhost.", "DNS:localhost", NULL));
	CHECK("second SAN", tls_name_matches("b.example", "DNS:a.example, DNS:b.example", NULL));
	CHECK("no match", !tls_name_matches("localhost", "DNS:wrong.example", "localhost"));
	CHECK("CN ignored when DNS SANs exist", !tls_name_matches("cn.example", "DNS:a.example", "cn.example"));
	CHECK("CN when no SAN", tls_name_matches("cn.example", "", "cn.example"));
	CHECK("CN when only IP SANs", tls_name_matches("cn.example", "IP:10.0.0.1", "cn.example"));
	CHECK("wildcard", tls_name_matches("www.example.org", "DNS:*.example.org", NULL));
	CHECK("wildcard one label only", !tls_name_matches("a.b.example.org", "DNS:*.example.org", NULL));
	CHECK("wildcard not the bare domain", !tls_name_matches("example.org", "DNS:*.example.org", NULL));
	CHECK("wildcard needs two labels", !tls_name_matches("www.org", "DNS:*.org", NULL));
	CHECK("partial wildcard is literal", !tls_name_matches("www.example.org", "DNS:w*.example.org", NULL));
	CHECK("IPv4 SAN", tls_name_matches("127.0.0.1", "DNS:localhost, IP:127.0.0.1", NULL));
	CHECK("IPv6 SAN, other spelling", tls_name_matches("0:0::1", "IP:::1", NULL));
	CHECK("IP needs an IP SAN", !tls_name_matches("127.0.0.1", "DNS:127.0.0.1", "127.0.0.1"));
	CHECK("IP mismatch", !tls_name_matches("127.0.0.2", "IP:127.0.0.1", NULL));
	CHECK("IPv4 is not IPv6", !tls_name_matches("::ffff:127.0.0.1", "IP:127.0.0.1", NULL));
	CHECK("no SAN, no CN", !tls_name_matches("localhost", "", ""));
	CHECK("NULL SANs", tls_name_matches("localhost", NULL, "localhost"));
	return t_done();
}
