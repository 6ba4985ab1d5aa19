/* http.c - unit tests: HTTP/1.1 response parser (RFC 9112), URLs and RFC 3986 section 5.4
 * resolution examples, Digest (RFC 7616 section 3.9.1), MD5 (RFC 1321 A.5), SHA-256
 * (FIPS 180-4 examples), base64 (RFC 4648 section 10), --connect-to, proxy environment, a
 * fetch over a unix socket */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../lib/base64.h"
#include "../../lib/hash.h"
#include "../../lib/util.h"
#include "../../net/http.h"
#include "t.h"

struct status_range {
	int min, max, st;
};
int check_http_status_range(const char *s, struct status_range *r);

/* hex digest of s repeated rep times: MD5, or SHA-256 when sha */
static const char *hashhex(int sha, const char *s, size_t rep)
{
	static char out[2 * SHA256_LEN + 1];
	unsigned char d[SHA256_LEN];
	struct hash h;

	hash_init(&h, sha ? HASH_SHA256 : HASH_MD5);
	for (size_t i = 0; i < rep; i++)
		hash_update(&h, s, strlen(s));
	hash_final(&h, d);
	hex_encode(d, HASH_LEN(h.alg), out);
	return out;
}

static const char *b64(const char *s)
{
	static char out[128];
	base64_encode(s, strlen(s), out);
	return out;
}

/* --- parser helpers ---------------------------------------------------------------------- */

static char body[65536];
static size_t body_len;

static void collect(void *arg, const unsigned char *p, size_t n)
{
	(void)arg;
	if (body_len + n < sizeof(body)) {
		memcpy(body + body_len, p, n);
		body_len += n;
		body[body_len] = 0;
	}
}

static struct http_parser *P;

/* feed s in pieces of step bytes (0: whole); then EOF if eof; returns the last result */
static int feed(const char *s, size_t len, size_t step, int head, int eof)
{
	int rc = HTTP_NEED_MORE;
	size_t off = 0;

	http_parser_init(P, head, 0);
	P->on_body = collect;
	body_len = 0;
	body[0] = 0;
	while (off < len && rc == HTTP_NEED_MORE) {
		size_t n = step && len - off > step ? step : len - off;
		rc = http_parse(P, (const unsigned char *)s + off, n, NULL);
		off += n;
	}
	if (rc == HTTP_NEED_MORE && eof)
		rc = http_parse_eof(P);
	return rc;
}

static int feeds(const char *s, size_t step, int head, int eof)
{
	return feed(s, strlen(s), step, head, eof);
}

/* the same response in every split from 1 byte to whole gives the same body */
static int all_splits(const char *s, const char *want_body, int eof)
{
	for (size_t step = 1; step <= strlen(s); step++)
		if (feeds(s, step, 0, eof) != HTTP_DONE || strcmp(body, want_body))
			return 0;
	return 1;
}

static void parser_tests(void)
{
	char *big;
	size_t it = 0;

	CHECK("simple Content-Length", feeds("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, 0, 0) == HTTP_DONE &&
	      P->status == 200 && P->minor == 1 && !strcmp(body, "hello") && P->content_length == 5);
	CHECK_STR("status text", http_status_text(P), "200 OK");
	CHECK("every split, Content-Length", all_splits("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", 0));
	CHECK("chunked with extensions and trailers, every split",
	      all_splits("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n"
			 "6 ; x\r\n world\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\n", "hello world", 0));
	CHECK("chunked: upper-case hex", feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(body, "0123456789") && P->chunked);
	CHECK("chunked: LF-only lines", feeds("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(body, "abc"));
	CHECK("chunked: missing CRLF after data", feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 0, 0, 0) == HTTP_ERROR &&
	      strstr(P->err, "no line end"));
	CHECK("chunked: bad size", feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, 0, 0) == HTTP_ERROR &&
	      strstr(P->err, "malformed chunk size"));
	CHECK("chunked: size overflow", feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 0, 0, 0) == HTTP_ERROR &&
	      strstr(P->err, "chunk too large"));
	CHECK("chunked: EOF inside", feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 0, 0, 1) == HTTP_ERROR &&
	      strstr(P->err, "chunked body"));
	CHECK("Transfer-Encoding overrides Content-Length",
	      feeds("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(body, "ok") && P->content_length == -1);
	CHECK("Transfer-Encoding not chunked: read until close",
	      feeds("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw", 0, 0, 1) == HTTP_DONE && !strcmp(body, "raw"));
	CHECK("1xx skipped, every split",
	      all_splits("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
			 "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", 0));
	CHECK("1xx counted", feeds("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      P->interim == 1 && P->status == 204);
	big = malloc(20 * 32 + 64);
	big[0] = 0;
	for (int i = 0; i < 20; i++)
		strcat(big, "HTTP/1.1 100 Continue\r\n\r\n");
	CHECK("too many 1xx", feeds(big, 0, 0, 0) == HTTP_ERROR && strstr(P->err, "interim"));
	free(big);
	CHECK("no reason phrase", feeds("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      P->status == 200 && !strcmp(http_status_text(P), "200"));
	CHECK("HTTP/1.0 until close", feeds("HTTP/1.0 200 OK\r\n\r\nall of it", 0, 0, 1) == HTTP_DONE &&
	      P->minor == 0 && !strcmp(body, "all of it"));
	CHECK("until close: not done before EOF", feeds("HTTP/1.0 200 OK\r\n\r\nall", 0, 0, 0) == HTTP_NEED_MORE);
	CHECK("LF-only headers", feeds("HTTP/1.1 200 OK\nContent-Length: 2\nX: y\n\nok", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(body, "ok") && !strcmp(http_field(P, "x", NULL), "y"));
	CHECK("obs-fold joined with one space",
	      feeds("HTTP/1.1 200 OK\r\nX-Long: first\r\n   second\r\n\tthird\r\nContent-Length: 0\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(http_field(P, "X-Long", NULL), "first second third"));
	CHECK("fold before any header", feeds("HTTP/1.1 200 OK\r\n folded\r\n\r\n", 0, 0, 0) == HTTP_ERROR);
	CHECK("value trimmed", feeds("HTTP/1.1 200 OK\r\nA:   v  \t\r\nContent-Length: 0\r\n\r\n", 0, 0, 0) == HTTP_DONE &&
	      !strcmp(http_field(P, "a", NULL), "v"));
	CHECK("space before colon rejected", feeds("HTTP/1.1 200 OK\r\nBad : x\r\n\r\n", 0, 0, 0) == HTTP_ERROR &&
	      strstr(P->err, "header name"));
	CHECK("line without colon rejected", feeds("HTTP/1.1 200 OK\r\nnocolon\r\n\r\n", 0, 0, 0) == HTTP_ERROR);
	feeds("HTTP/1.1 401 No\r\nWWW-Authenticate: Digest a=1\r\nWWW-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n", 0, 0, 0);
	CHECK("repeated fields iterate", http_field(P, "www-authenticate", &it) && http_field(P, "www-authenticate", &it) &&
	      !strcmp(P->hbuf + P->field[it - 1].value, "Basic realm=x") && !http_field(P, "www-authenticate", &it));
	CHECK("HEAD: no body despite Content-Length",
	      feeds("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", 0, 1, 0) == HTTP_DONE && P->content_length == 50 && !body_len);
	CHECK("204: no body", feeds("HTTP/1.1 204 No Content\r\n\r\n", 0, 0, 0) == HTTP_DONE);
	CHECK("304: no body", feeds("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 0, 0, 0) == HTTP_DONE);
	http_parser_init(P, 0, 1);
	CHECK("CONNECT 200: done at the headers",
	      http_parse(P, (const unsigned char *)"HTTP/1.1 200 Connection established\r\n\r\n", 39, NULL) == HTTP_DONE);
	CHECK("Content-Length list of equal values", feeds("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", 0, 0, 0) == HTTP_DONE);
	CHECK("conflicting Content-Length", feeds("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", 0, 0, 0) == HTTP_ERROR &&
	      strstr(P->err, "Content-Length"));
	CHECK("negative Content-Length", feeds("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, 0, 0) == HTTP_ERROR);
	CHECK("Content-Length body cut by EOF", feeds("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, 0, 1) == HTTP_ERROR &&
	      strstr(P->err, "3 of 10"));
	CHECK("EOF before anything", feeds("", 0, 0, 1) == HTTP_ERROR && strstr(P->err, "without a response"));
	CHECK("EOF mid-headers", feeds("HTTP/1.1 200 OK\r\nA: b\r\n", 0, 0, 1) == HTTP_ERROR && strstr(P->err, "in the headers"));
	CHECK("malformed status line", feeds("SSH-2.0-OpenSSH\r\n", 0, 0, 0) == HTTP_ERROR && strstr(P->err, "status line"));
	CHECK("status must be 3 digits", feeds("HTTP/1.1 20 OK\r\n\r\n", 0, 0, 0) == HTTP_ERROR);
	CHECK("status 099 rejected", feeds("HTTP/1.1 099 x\r\n\r\n", 0, 0, 0) == HTTP_ERROR);
	CHECK("bytes after the message are not consumed", (http_parser_init(P, 0, 0),
	      http_parse(P, (const unsigned char *)"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA", 44, &(size_t){ 0 }) == HTTP_DONE) &&
	      P->consumed == 39);

	/* bounds */
	big = malloc(HTTP_LINE_MAX + 200);
	snprintf(big, 64, "HTTP/1.1 200 OK\r\nX: ");
	memset(big + 20, 'a', HTTP_LINE_MAX - 3);
	strcpy(big + 20 + HTTP_LINE_MAX - 3, "\r\nContent-Length: 0\r\n\r\n");
	CHECK("header line of exactly the limit", feeds(big, 0, 0, 0) == HTTP_DONE);
	CHECK("header line of exactly the limit, split", feeds(big, 1000, 0, 0) == HTTP_DONE);
	big[20] = 'b';
	memmove(big + 21, big + 20, strlen(big + 20) + 1);
	CHECK("header line one over the limit", feeds(big, 0, 0, 0) == HTTP_ERROR && strstr(P->err, "header too long"));
	CHECK("header line over the limit, split", feeds(big, 7, 0, 0) == HTTP_ERROR && strstr(P->err, "header too long"));
	free(big);
	big = malloc(200 * 16 + 64);
	strcpy(big, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < HTTP_HEADERS_MAX; i++)
		sprintf(big + strlen(big), "H%d: v\r\n", i);
	strcat(big, "\r\n");
	CHECK("exactly the header count limit", feeds(big, 0, 0, 1) == HTTP_DONE && P->nfields == HTTP_HEADERS_MAX);
	strcpy(big + strlen(big) - 2, "One: more\r\n\r\n");
	CHECK("one header too many", feeds(big, 0, 0, 1) == HTTP_ERROR && strstr(P->err, "too many headers"));
	free(big);
	big = malloc(HTTP_LINE_MAX + 64);
	strcpy(big, "HTTP/1.1 200 ");
	memset(big + 13, 'r', HTTP_LINE_MAX);
	strcpy(big + 13 + HTTP_LINE_MAX, "\r\n\r\n");
	CHECK("status line too long", feeds(big, 0, 0, 0) == HTTP_ERROR && strstr(P->err, "status line too long"));
	free(big);
}

/* --- URLs ----------------------------------------------------------------------------------- */

static const char *resolve(const char *base, const char *ref)
{
	static char out[URL_MAX], err[128];
	struct url b, r, t;

	if (url_parse(&b, base, err, sizeof(err)) < 0 || url_parse(&r, ref, err, sizeof(err)) < 0 ||
	    url_resolve(&b, &r, &t, err, sizeof(err)) < 0)
		return err;
	url_format(&t, out, sizeof(out));
	return out;
}

static int url_bad(const char *s, const char *why)
{
	struct url u;
	char err[128];
	return url_parse(&u, s, err, sizeof(err)) < 0 && strstr(err, why);
}

static void redact_tests(void);

static void url_tests(void)
{
	static const char *const rfc[][2] = {	/* RFC 3986 section 5.4 */
		{ "g:h", "g:h" }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q" }, { "g#s", "http://a/b/c/g" },
		{ "g?y#s", "http://a/b/c/g?y" }, { ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y" },
		{ "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" }, { "./", "http://a/b/c/" },
		{ "..", "http://a/b/" }, { "../", "http://a/b/" }, { "../g", "http://a/b/g" },
		{ "../..", "http://a/" }, { "../../", "http://a/" }, { "../../g", "http://a/g" },
		{ "../../../g", "http://a/g" }, { "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" }, { "/../g", "http://a/g" }, { "g.", "http://a/b/c/g." },
		{ ".g", "http://a/b/c/.g" }, { "g..", "http://a/b/c/g.." }, { "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" }, { "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" }, { "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" }, { "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g" }, { "g#s/../x", "http://a/b/c/g" }, { "http:g", "http:g" },
	};
	struct url u;
	char err[128], buf[URL_MAX], user[64], pass[64];

	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "RFC 3986 5.4 \"%s\"", rfc[i][0]);
		CHECK_STR(name, resolve("http://a/b/c/d;p?q", rfc[i][0]), rfc[i][1]);
	}
	CHECK_STR("resolve against an empty base path", resolve("http://h", "x"), "http://h/x");
	CHECK_STR("resolve keeps the port", resolve("http://h:81/a/b", "c?d"), "http://h:81/a/c?d");
	CHECK_STR("resolve to another scheme", resolve("http://h/a", "https://o:8443/"), "https://o:8443/");

	CHECK("parse full", url_parse(&u, "HTTP://us%65r:pa%40ss@Example.COM:8080/p/a%2Fb?q=1&r#frag", err, sizeof(err)) == 0 &&
	      !strcmp(u.scheme, "http") && !strcmp(u.host, "example.com") && !strcmp(u.port, "8080") &&
	      !strcmp(u.path, "/p/a%2Fb") && u.has_query && !strcmp(u.query, "q=1&r") && u.has_userinfo);
	CHECK("credentials decoded", url_credentials(&u, user, sizeof(user), pass, sizeof(pass)) == 0 &&
	      !strcmp(user, "user") && !strcmp(pass, "pa@ss"));
	url_format(&u, buf, sizeof(buf));
	CHECK_STR("format drops userinfo and fragment", buf, "http://example.com:8080/p/a%2Fb?q=1&r");
	url_target(&u, buf, sizeof(buf));
	CHECK_STR("origin-form target", buf, "/p/a%2Fb?q=1&r");
	CHECK("parse IPv6", url_parse(&u, "https://[::1]:8443", err, sizeof(err)) == 0 && u.ipv6 &&
	      !strcmp(u.host, "::1") && !strcmp(url_port(&u), "8443"));
	url_authority(&u, 0, buf, sizeof(buf));
	CHECK_STR("IPv6 authority", buf, "[::1]:8443");
	url_target(&u, buf, sizeof(buf));
	CHECK_STR("empty path is /", buf, "/");
	CHECK("default ports", url_parse(&u, "https://h", err, sizeof(err)) == 0 && !strcmp(url_port(&u), "443") &&
	      url_parse(&u, "http://h:/", err, sizeof(err)) == 0 && !strcmp(url_port(&u), "80"));
	url_authority(&u, 1, buf, sizeof(buf));
	CHECK_STR("authority with the default port", buf, "h:80");
	CHECK("empty query kept", url_parse(&u, "http://h/?", err, sizeof(err)) == 0 && u.has_query &&
	      (url_target(&u, buf, sizeof(buf)), !strcmp(buf, "/?")));
	CHECK("relative reference", url_parse(&u, "hoge", err, sizeof(err)) == 0 && !u.scheme[0] && !strcmp(u.path, "hoge"));
	CHECK("non-ASCII encoded on the wire", url_parse(&u, "http://h/\xc3\xa9", err, sizeof(err)) == 0 &&
	      (url_target(&u, buf, sizeof(buf)), !strcmp(buf, "/%C3%A9")));
	CHECK("bad: missing ]", url_bad("http://[::1/", "missing ']'"));
	CHECK("bad: IPv6 literal", url_bad("http://[zz]/", "invalid IPv6"));
	CHECK("bad: port range", url_bad("http://h:65536/", "invalid port"));
	CHECK("bad: port letters", url_bad("http://h:8o/", "invalid port"));
	CHECK("bad: space", url_bad("http://h/a b", "space"));
	CHECK("bad: escape", url_bad("http://h/%zz", "escape"));
	CHECK("bad: escape at the end", url_bad("http://h/%4", "escape"));
	CHECK("bad: no scheme", url_bad("://h/", "scheme"));
	CHECK("bad: bracket in a name", url_bad("http://a]b/", "invalid character"));
	memset(buf, 'a', URL_MAX);
	memcpy(buf, "http://h/", 9);
	buf[URL_MAX - 1] = 0;
	CHECK("bad: too long", url_bad(buf, "too long"));

	/* passwords never reach a message, whether the URL parses or not, with a path or not */
	redact_tests();
}

/* the parser's own message for s: it must fail, and show none of secret */
static int url_bad_quiet(const char *s, const char *secret)
{
	struct url u;
	char err[256];
	return url_parse(&u, s, err, sizeof(err)) < 0 && !strstr(err, secret) && !strchr(err, '"');
}

static void redact_tests(void)
{
	static const char *const cases[][2] = {
		/* the password alone is hidden when the userinfo ends before the path */
		{ "http://user:s3cret@h", "http://user:***@h" },
		{ "http://admin:pa%zzss@h/", "http://admin:***@h/" },
		{ "http://admin:p@ss@h/", "http://admin:***@h/" },
		{ "http://admin:pa:ss:x@h/", "http://admin:***@h/" },
		{ "http://ad@min:pw@h/", "http://ad@min:***@h/" },
		{ "http://ad%zzmin:pw@h/", "http://ad%zzmin:***@h/" },
		{ "http://u:@h/", "http://u:***@h/" },
		{ "http://u:pw@h:99999/x", "http://u:***@h:99999/x" },
		{ "HTTPS://u:pw@h", "HTTPS://u:***@h" },
		/* the last '@' of all ends the userinfo: a password with '/', '?' or '#' hides the
		 * user name too */
		{ "http://admin:pa/ss@127.0.0.1:1/", "http://***@127.0.0.1:1/" },
		{ "http://admin:pa?ss@h/", "http://***@h/" },
		{ "http://admin:pa#ss@h/", "http://***@h/" },
		{ "http://admin:p/a@s?s#x@h:1/p?q", "http://***@h:1/p?q" },
		{ "http://admin:12/pw@h/", "http://***@h/" },
		{ "http://u:p@ss@h:99999/x?a=b@c:d", "http://***@c:d" },
		{ "http://u:p//w@h", "http://***@h" },
		{ "http://ad/min:pw@h/", "http://***@h/" },
		{ "http://ad?min:pw@h/", "http://***@h/" },
		{ "http://ad#min:pw@h/", "http://***@h/" },
		{ "http://h/redirect?to=https://u:pw@x/", "http://***@x/" },
		/* no scheme */
		{ "//u:pw@h/", "//u:***@h/" },
		{ "//admin:pa/ss@h/", "//***@h/" },
		{ "admin:s3cret@h", "admin:***@h" },
		{ "admin:pa/ss@h/", "***@h/" },
		{ "ad/min:pw@h", "***@h" },
		{ "://u:pw@h", "://u:***@h" },
		{ "http:u:pw@h", "http:***@h" },
		{ "http:/u:pw@h/", "***@h/" },
		{ "u:p@h://x", "u:***@h://x" },
		/* IPv6 hosts */
		{ "http://u:pw@[::1]:8080/", "http://u:***@[::1]:8080/" },
		{ "http://u:p/w@[::1]/", "http://***@[::1]/" },
		{ "http://[::1]:8080/p", "http://[::1]:8080/p" },
		{ "http://[::1]:8080/p@x", "http://***@x" },
		/* '@' in the path or query only: without a ':' before it there is no password */
		{ "http://h/p?u=a@c", "http://h/p?u=a@c" },
		{ "http://h/@scope/pkg", "http://h/@scope/pkg" },
		{ "http://ad/min@h/", "http://ad/min@h/" },
		{ "http://h/p?u=a:b@c", "http://***@c" },
		{ "http://h:8080/users/@me", "http://***@me" },
		/* no userinfo at all */
		{ "http://user@h/", "http://user@h/" },
		{ "u@x://h/", "u@x://h/" },
		{ "127.0.0.1:80", "127.0.0.1:80" },
		{ "hoge", "hoge" },
		{ "", "" },
	};
	static const char *const quiet[][2] = {
		{ "http://admin:s3cr/PW@h/", "s3cr" }, { "http://admin:s3cr?PW@h/", "s3cr" },
		{ "http://admin:s3cr#PW@h/", "s3cr" }, { "http://admin:s3]cr/PW@h/", "]" },
		{ "http://[s3cr:PW/x@h/", "s3cr" }, { "http://[s3cr]:PW/x@h/", "s3cr" },
		{ "http://admin:99999/s3cr@h/", "99999" },
	};
	struct url u;
	char buf[URL_MAX], err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[96];
		snprintf(name, sizeof(name), "redact \"%s\"", cases[i][0]);
		url_redact(cases[i][0], buf, sizeof(buf));
		CHECK_STR(name, buf, cases[i][1]);
	}
	CHECK("redact: at most 3 bytes longer", url_redact("http://u:@h", buf, sizeof(buf)) == 14);
	url_redact("http://user:s3cret@h/", buf, 12);
	CHECK_STR("redact: cut to fit", buf, "http://user");

	/* a URL that parses with the rest of a password in its path is shown redacted */
	CHECK("parse: a password's digits as the port", url_parse(&u, "http://admin:12/s3cr@h/", err, sizeof(err)) == 0);
	url_format(&u, buf, sizeof(buf));
	CHECK_STR("format: the path after a password's '/' is hidden", buf, "http://***@h/");
	CHECK("parse: an @ in the query", url_parse(&u, "http://h/p?u=a@c", err, sizeof(err)) == 0);
	url_format(&u, buf, sizeof(buf));
	CHECK_STR("format: an @ without a password", buf, "http://h/p?u=a@c");

	/* the parser quotes no piece of what may be a password: { URL, a piece of it } */
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		char name[96];
		snprintf(name, sizeof(name), "parse error quotes nothing: \"%s\"", quiet[i][0]);
		CHECK(name, url_bad_quiet(quiet[i][0], quiet[i][1]));
	}
	CHECK("parse error: hint on percent-encoding", url_bad("http://admin:s3cr/PW@h/", "%2F"));
	/* where the userinfo is plain, host and port are quoted as Go does */
	CHECK("parse error: port quoted after a plain userinfo",
	      url_parse(&u, "http://user:s3cret@h:99999/", err, sizeof(err)) < 0 &&
	      !strcmp(err, "invalid port \"99999\""));
	CHECK("parse error: the whole bad port, with its colon",
	      url_parse(&u, "http://h:8o/", err, sizeof(err)) < 0 && !strcmp(err, "invalid port \":8o\""));
	CHECK("parse error: IPv6 quoted", url_bad("http://u:pw@[zz]/", "\"zz\""));
}

/* --- auth ----------------------------------------------------------------------------------- */

static void auth_tests(void)
{
	struct http_challenge ch[8];
	char out[1024];
	size_t n;

	/* RFC 7616 section 3.9.1 */
	n = http_auth_parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
			    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
			    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
			    "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, "
			    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
			    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", ch, 8);
	CHECK("two challenges in one value", n == 2 && ch[0].scheme == HTTP_AUTH_DIGEST && ch[0].sha256 &&
	      ch[1].scheme == HTTP_AUTH_DIGEST && !ch[1].sha256 && ch[0].qop_auth &&
	      !strcmp(ch[1].realm, "http-auth@example.org") && !strcmp(ch[1].opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"));
	CHECK("RFC 7616 MD5 response", http_digest_auth(&ch[1], "Mufasa", "Circle of Life", "GET", "/dir/index.html",
						       "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", 1, out, sizeof(out)) == 0 &&
	      strstr(out, "response=\"8ca523f5e9506fed4657c9700eebdbec\"") && strstr(out, "qop=auth, nc=00000001"));
	CHECK("RFC 7616 SHA-256 response", http_digest_auth(&ch[0], "Mufasa", "Circle of Life", "GET", "/dir/index.html",
							   "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", 1, out, sizeof(out)) == 0 &&
	      strstr(out, "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"") &&
	      strstr(out, "algorithm=SHA-256") && strstr(out, "opaque=\"FQhe"));
	/* RFC 2617 section 3.5 (MD5, qop=auth) */
	n = http_auth_parse("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
			    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", ch, 8);
	CHECK("RFC 2617 response", n == 1 && http_digest_auth(&ch[0], "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
							     "0a4f113b", 1, out, sizeof(out)) == 0 &&
	      strstr(out, "response=\"6629fae49393a05397450978507c4ef1\""));
	n = http_auth_parse("Basic realm=\"a, b\", Digest nonce=abc, realm=r, algorithm=SHA-512-256, Negotiate tok68==", ch, 8);
	CHECK("mixed challenges", n == 3 && ch[0].scheme == HTTP_AUTH_BASIC && !strcmp(ch[0].realm, "a, b") &&
	      ch[1].scheme == 0 && ch[2].scheme == 0);
	n = http_auth_parse("Digest realm=\"q\\\"uote\", nonce=\"n\"", ch, 8);
	CHECK("quoted-pair in a value", n == 1 && !strcmp(ch[0].realm, "q\"uote") && !ch[0].qop_auth);
	CHECK("no qop: RFC 2069 form", http_digest_auth(&ch[0], "u", "p", "GET", "/", "c", 1, out, sizeof(out)) == 0 &&
	      !strstr(out, "qop=") && strstr(out, "realm=\"q\\\"uote\""));
	CHECK("Digest without nonce unusable", http_auth_parse("Digest realm=x", ch, 8) == 1 && ch[0].scheme == 0);
	CHECK("junk does not loop", http_auth_parse("\"\"\"=,,==;;", ch, 8) <= 8);
	CHECK("RFC 7617 Basic", http_basic_auth("Aladdin", "open sesame", out, sizeof(out)) == 0 &&
	      !strcmp(out, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
	CHECK("Basic does not fit", http_basic_auth("user", "pass", out, 10) < 0);
}

static void hash_tests(void)
{
	/* RFC 1321 appendix A.5 */
	CHECK_STR("md5 empty", hashhex(0, "", 1), "d41d8cd98f00b204e9800998ecf8427e");
	CHECK_STR("md5 a", hashhex(0, "a", 1), "0cc175b9c0f1b6a831c399e269772661");
	CHECK_STR("md5 abc", hashhex(0, "abc", 1), "900150983cd24fb0d6963f7d28e17f72");
	CHECK_STR("md5 message digest", hashhex(0, "message digest", 1), "f96b697d7cb7938d525a2f31aaf161d0");
	CHECK_STR("md5 a-z", hashhex(0, "abcdefghijklmnopqrstuvwxyz", 1), "c3fcd3d76192e4007dfb496cca67e13b");
	CHECK_STR("md5 A-Za-z0-9", hashhex(0, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 1),
		  "d174ab98d277d9f5a5611c2c9f419d9f");
	CHECK_STR("md5 8x1234567890", hashhex(0, "1234567890", 8), "57edf4a22be3c955ac49da2e2107b67a");
	/* FIPS 180-4 examples */
	CHECK_STR("sha256 empty", hashhex(1, "", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR("sha256 abc", hashhex(1, "abc", 1), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_STR("sha256 448 bits", hashhex(1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	CHECK_STR("sha256 million a", hashhex(1, "aaaaaaaaaa", 100000),
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* RFC 4648 section 10 */
	CHECK_STR("base64 empty", b64(""), "");
	CHECK_STR("base64 f", b64("f"), "Zg==");
	CHECK_STR("base64 fo", b64("fo"), "Zm8=");
	CHECK_STR("base64 foo", b64("foo"), "Zm9v");
	CHECK_STR("base64 foob", b64("foob"), "Zm9vYg==");
	CHECK_STR("base64 fooba", b64("fooba"), "Zm9vYmE=");
	CHECK_STR("base64 foobar", b64("foobar"), "Zm9vYmFy");
}

static int cto(const char *s, const char *h1, const char *p1, const char *h2, const char *p2)
{
	struct http_connect_to m;
	return http_connect_to_parse(s, &m) == 0 && !strcmp(m.host1, h1) && !strcmp(m.port1, p1) &&
	       !strcmp(m.host2, h2) && !strcmp(m.port2, p2);
}

static int cto_bad(const char *s)
{
	struct http_connect_to m;
	return http_connect_to_parse(s, &m) < 0;
}

static const char *env_proxy(const char *url)
{
	struct url u;
	char err[128];
	url_parse(&u, url, err, sizeof(err));
	return http_proxy_from_env(&u, 0);
}

static void misc_tests(void)
{
	char err[256];

	/* upstream's --connect-to cases */
	CHECK("connect-to full", cto("hoge:80:127.0.0.1:8080", "hoge", "80", "127.0.0.1", "8080"));
	CHECK("connect-to any host", cto(":80:h:1", "", "80", "h", "1"));
	CHECK("connect-to any port", cto("hoge::h:1", "hoge", "", "h", "1"));
	CHECK("connect-to same host", cto("h:80::1", "h", "80", "", "1"));
	CHECK("connect-to same port", cto("hoge:1:h:", "hoge", "1", "h", ""));
	CHECK("connect-to IPv6", cto("[::1]:80:[::2]:81", "::1", "80", "::2", "81"));
	CHECK("connect-to colons in HOST1", cto("a:b:1:c:2", "a:b", "1", "c", "2"));
	CHECK("connect-to foo:123: is bad", cto_bad("foo:123:"));
	CHECK("connect-to port letters", cto_bad("h:x:h:1"));
	CHECK("connect-to unbalanced", cto_bad("[::1:80:h:1"));
	CHECK("connect-to empty brackets", cto_bad("[]:80:h:1"));

	{
		struct status_range r;
		CHECK("status 404=ok", check_http_status_range("404=ok", &r) == 0 && r.min == 404 && r.max == 404 && r.st == 0);
		CHECK("status 300-404=Warning", check_http_status_range("300-404=Warning", &r) == 0 && r.min == 300 &&
		      r.max == 404 && r.st == 1);
		CHECK("status 200-300-404=ok bad", check_http_status_range("200-300-404=ok", &r) < 0);
		CHECK("status 300 bad", check_http_status_range("300", &r) < 0);
		CHECK("status =ok bad", check_http_status_range("=ok", &r) < 0);
		CHECK("status 404-200=ok bad", check_http_status_range("404-200=ok", &r) < 0);
		CHECK("status 404=fine bad", check_http_status_range("404=fine", &r) < 0);
	}
	CHECK("field ok", http_field_check("X-Test: value", err, sizeof(err)) == 0);
	CHECK("field empty value ok", http_field_check("X-Test:", err, sizeof(err)) == 0);
	CHECK("field no colon", http_field_check("novalue", err, sizeof(err)) < 0 && strstr(err, "malformed MIME header line: novalue"));
	CHECK("field space in name", http_field_check("Bad Name: x", err, sizeof(err)) < 0);
	CHECK("field CRLF injection", http_field_check("X: a\r\nInjected: 1", err, sizeof(err)) < 0);
	CHECK("method token", http_method_ok("PROPFIND") && !http_method_ok("GE T") && !http_method_ok(""));

	setenv("HTTP_PROXY", "http://proxy:3128", 1);
	setenv("https_proxy", "http://sproxy:3128", 1);
	unsetenv("HTTPS_PROXY");
	setenv("NO_PROXY", "internal.example, .corp.example,10.0.0.0/8, *.wild.example, exact:8080", 1);
	CHECK_STR("env: http", env_proxy("http://example.com/"), "http://proxy:3128");
	CHECK_STR("env: https from lower case", env_proxy("https://example.com/"), "http://sproxy:3128");
	CHECK("env: loopback never", !env_proxy("http://127.0.0.1/") && !env_proxy("http://localhost/") && !env_proxy("http://[::1]/"));
	CHECK("env: no_proxy exact", !env_proxy("http://internal.example/"));
	CHECK("env: no_proxy subdomain", !env_proxy("http://a.internal.example/") && !env_proxy("http://b.corp.example/") &&
	      !env_proxy("http://corp.example/") && !env_proxy("http://x.wild.example/"));
	CHECK("env: no_proxy suffix needs a dot", env_proxy("http://notinternal.example/") != NULL);
	CHECK("env: no_proxy CIDR", !env_proxy("http://10.1.2.3/") && env_proxy("http://11.1.2.3/"));
	CHECK("env: no_proxy port", !env_proxy("http://exact:8080/") && env_proxy("http://exact/"));
	setenv("NO_PROXY", "*", 1);
	CHECK("env: no_proxy *", !env_proxy("http://example.com/"));
	unsetenv("NO_PROXY");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	CHECK("env: none", !env_proxy("http://example.com/"));
}

/* one connection on a unix socket: the request as read, answered with a 200 */
static char unix_req[4096];

static void *unix_server(void *arg)
{
	int ls = *(int *)arg, fd = accept(ls, NULL, NULL);
	size_t n = 0;
	ssize_t r;
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

	while (fd >= 0 && n + 1 < sizeof(unix_req) && !strstr(unix_req, "\r\n\r\nbody") &&
	       (r = read(fd, unix_req + n, sizeof(unix_req) - 1 - n)) > 0) {
		n += (size_t)r;
		unix_req[n] = 0;
	}
	if (fd >= 0) {
		if (write(fd, resp, sizeof(resp) - 1) < 0)
			unix_req[0] = 0;
		close(fd);
	}
	return NULL;
}

static void unix_tests(void)
{
	char dir[] = "/tmp/pb-http-unit.XXXXXX", path[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct http_request rq = { 0 };
	struct http_result res;
	pthread_t th;
	int ls;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK("unix: listen", ls >= 0 && bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
			      listen(ls, 1) == 0);
	pthread_create(&th, NULL, unix_server, &ls);
	rq.method = "POST";
	rq.url = "http://localhost/RPC2";
	rq.unix_socket = path;
	rq.body = "body";
	rq.body_len = 4;
	rq.proxy = "http://127.0.0.1:1";	/* never used for a unix socket */
	rq.deadline = deadline_in(5);
	CHECK("unix: fetch", http_fetch(&rq, &res) == 0 && res.resp->status == 200 &&
			     res.body_len == 2 && !memcmp(res.body, "ok", 2));
	pthread_join(th, NULL);
	CHECK("unix: request line", !strncmp(unix_req, "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n", 38));
	CHECK("unix: body", strstr(unix_req, "Content-Length: 4\r\n") && strstr(unix_req, "\r\n\r\nbody"));
	http_result_free(&res);
	close(ls);
	unlink(path);
	rq.deadline = deadline_in(5);
	CHECK("unix: no socket", http_fetch(&rq, &res) < 0 &&
				 !strncmp(res.errmsg, "dial unix ", 10) && res.stage == HTTP_STAGE_CONNECT);
	http_result_free(&res);
	rmdir(dir);
}

int main(void)
{
	P = malloc(sizeof(*P));
	parser_tests();
	url_tests();
	auth_tests();
	hash_tests();
	misc_tests();
	unix_tests();
	free(P);
	return t_done();
}
