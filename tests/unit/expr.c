/* expr.c - unit tests: chksrv expectation expressions against a hand-built result record */
#include <stdlib.h>

#include "../../lib/expr.h"
#include "t.h"

#define NOW 1767225600		/* 2026-01-01T00:00:00Z */
#define DAY 86400

static struct record rec;
static char text[EXPR_TEXT_MAX], reason[EXPR_REASON_MAX], cerr[160];

/* 1 true, 0 false, -1 error, 9 compile error (cerr says why) */
static int ev(const char *src)
{
	struct expr_result r;
	struct expr *e = expr_compile(src, cerr, sizeof(cerr));
	int v;

	text[0] = reason[0] = 0;
	if (!e)
		return 9;
	v = expr_eval(e, &rec, NOW, &r);
	/* evaluating twice gives the same (compile once, evaluate per retry) */
	if (expr_eval(e, &rec, NOW, &r) != v)
		v = 42;
	strcpy(text, r.text);
	strcpy(reason, r.reason);
	expr_free(e);
	return v;
}

static const char *cerror(const char *src)
{
	struct expr *e = expr_compile(src, cerr, sizeof(cerr));
	if (e) {
		expr_free(e);
		return "(compiled)";
	}
	return cerr;
}

#define T(src) CHECK("true: " src, ev(src) == EXPR_TRUE)
#define F(src) CHECK("false: " src, ev(src) == EXPR_FALSE && !reason[0])
#define E(src) CHECK("error: " src, ev(src) == EXPR_ERROR && reason[0])
#define M(src, key) do { CHECK("missing: " src, ev(src) == EXPR_FALSE); \
	CHECK_STR("missing reason: " src, reason, "missing key '" key "'"); } while (0)
#define TEXT(src, want) do { ev(src); CHECK_STR("text: " src, text, want); } while (0)
#define CERR(src, want) CHECK_STR("compile error: " src, cerror(src), want)

static void build_record(void)
{
	const char *san[] = { "example.org", "www.example.org" };
	const char *cookies[] = { "a=1", "b=2" };

	record_init(&rec);
	record_set_bool(&rec, "success", 1);
	record_set_bool(&rec, "tcp.success", 1);
	record_set_float(&rec, "tcp.con.time.perf", 0.0123);
	record_set_float(&rec, "tcp.con.time.process", 0.0001);
	record_set_bool(&rec, "tcp.ipv6", 0);
	record_set_bool(&rec, "ssl.success", 1);
	record_set_str(&rec, "ssl.con.cipher", "TLS_AES_256_GCM_SHA384");
	record_set_str(&rec, "ssl.con.ssl_version", "TLSv1.3");
	record_set_none(&rec, "ssl.con.compression");
	record_set_none(&rec, "ssl.con.alpn_protocol");
	record_set_str(&rec, "ssl.con.server_hostname", "example.org");
	record_set_time(&rec, "ssl.con.cert.notBefore", NOW - 60 * DAY);
	record_set_time(&rec, "ssl.con.cert.notAfter", NOW + 30 * DAY);
	record_set_str(&rec, "ssl.con.cert.subject.commonName", "example.org");
	record_set_list(&rec, "ssl.con.cert.subjectAltName", san, 2);
	record_set_bool(&rec, "ssl.con.cert.matches_hostname", 1);
	record_set_bool(&rec, "http.success", 1);
	record_set_int(&rec, "http.resp.status", 200);
	record_set_str(&rec, "http.resp.reason", "OK");
	record_set_int(&rec, "http.resp.version", 11);
	record_set_str(&rec, "http.resp.body", "{\"ok\": true}");
	record_set_int(&rec, "http.resp.body_length", 12);
	record_set_str(&rec, "http.resp.header.content_type", "application/json; charset=utf-8");
	record_set_str(&rec, "http.resp.header.content_length", "12");
	record_set_str(&rec, "http.resp.header.server", "  NGINX/1.25 ");
	record_set_list(&rec, "http.resp.header.set_cookie", cookies, 2);
	record_set_str(&rec, "auth.password", "hunter2");
	record_set_str(&rec, "api.key", "k3y");
	record_mark_secret(&rec, "api.key");
	record_set_float(&rec, "nan", 0.0 / 0.0 * 0);
}

static void upstream_examples(void)
{
	/* compat.md 1.4's typical forms and the README's keys, as documented */
	T("res['tcp.success']");
	T("res['http.resp.status'] == 200");
	T("res['tcp.con.time.perf'] < 0.5");
	T("'json' in res['http.resp.header.content_type']");
	T("res['http.resp.body_length'] > 0");
	T("True");
	F("False");
	T("res['ssl.success']");
	T("res['ssl.con.ssl_version'] == 'TLSv1.3'");
	T("res[\"ssl.con.cipher\"].startswith('TLS_')");
	T("res['ssl.con.compression'] is None");
	T("res['ssl.con.compression'] == None");
	T("res['ssl.con.alpn_protocol'] is None");
	T("res['ssl.con.server_hostname'] == 'example.org'");
	T("res['ssl.con.cert.matches_hostname']");
	T("not res['tcp.ipv6']");
	T("res['http.success'] and res['http.resp.status'] < 400");
	T("res['http.resp.reason'] == 'OK'");
	T("res['http.resp.version'] == 11");
	T("b'ok' in res['http.resp.body']");
	T("res['http.resp.header.set_cookie'] == ['a=1', 'b=2']");
	T("'a=1' in res['http.resp.header.set_cookie']");
	T("res['tcp.con.time.process'] >= 0");
	T("res['ssl.con.cert.notAfter'] > now + timedelta(days=14)");
	T("res['ssl.con.cert.notAfter'] > now() + timedelta(days=14)");
	F("res['ssl.con.cert.notAfter'] > now + timedelta(days=31)");
	T("(res['ssl.con.cert.notAfter'] - now).days >= 14");
	T("(res['ssl.con.cert.notAfter'] - now).days == 30");
	T("res['ssl.con.cert']['notAfter'] - timedelta(weeks=4) > now");
	T("res['ssl.con.cert']['subject']['commonName'] == 'example.org'");
	T("'www.example.org' in res['ssl.con.cert.subjectAltName']");
	T("res['ssl.con.cert.subjectAltName'][0] == 'example.org'");
	T("res['ssl.con.cert.subjectAltName'][-1] == 'www.example.org'");
}

static void doc_examples(void)
{
	/* docs/expressions.md */
	T("tcp.con.time.perf * 1000 < 200");
	T("res['ssl.con.ssl_version'] in ('TLSv1.2', 'TLSv1.3')");
	T("(res['ssl.con.cert']['notAfter'] - now()).days >= 14");
	T("res['ssl.con.cipher'].startswith('TLS_AES')");
	T("200 <= http.resp.status < 300");
	T("res['http.resp.status'] in [200, 301, 302]");
	T("int(res['http.resp.header.content_length']) == res['http.resp.body_length']");
	T("res['http.resp.body_length'] > 0 and b'\"ok\": true' in res['http.resp.body']");
	T("res.get('http.resp.header.server', '').strip().lower().startswith('nginx')");
	T("'a=1' in res.get('http.resp.header.set_cookie', [])");
	F("'session=abc' in res.get('http.resp.header.set_cookie', [])");
	T("'x' in res and res['x'] > 1 or True");
	F("res.get('x', 0) > 1");
	TEXT("http.resp.status == 200", "200");
}

static void forms(void)
{
	/* bare keys and res.get */
	T("http.resp.status == 200");
	T("tcp.success");
	T("tcp . success");
	T("http.resp.header.server.strip().lower() == 'nginx/1.25'");
	T("res.get('http.resp.status') == 200");
	T("res.get('nope') is None");
	T("res.get('nope', 5) == 5");
	T("res.get('http.resp.status', res['missing']) == 200");	/* default not read */
	T("'tcp.success' in res");
	T("'nope' not in res");
	T("'notAfter' in res['ssl.con.cert']");
	M("res['ssl.con.cert']", "ssl.con.cert");
	M("res['ssl.con.cert'] == 1", "ssl.con.cert");
	M("1 == res['ssl.con.cert']", "ssl.con.cert");
	M("res['ssl.con.cert'] + 1", "ssl.con.cert");
	M("str(res['ssl.con.cert'])", "ssl.con.cert");
	M("res['ssl.con.cert'][0]", "ssl.con.cert");
	M("res['ssl.con.cert'].lower()", "ssl.con.cert");
	T("res.get('ssl.con.cert').get('notAfter') > now");
	T("res");
	T("res == res");
	T("len(res['ssl.con.cert']) == 5");
	T("len(res) > 20");

	/* literals */
	T("1 == 1.0");
	T("1.5e3 == 1500");
	T(".5 == 0.5");
	T("'a\\'b' == \"a'b\"");
	T("'a\\\\b' == 'a' + '\\\\' + 'b'");
	T("len('\\n\\t\\r\\x41\\0') == 5");
	T("'\\x41' == 'A'");
	T("[1, 2] == [1, 2,]");
	T("[] == []");
	T("not []");
	T("not ''");
	T("not 0");
	T("not 0.0");
	T("not None");
	T("[0]");
	T("(1, 2) == [1, 2]");
	T("() == []");
	T("(1,) == [1]");
	T("res['http.resp.status'] in (200, 301, 302)");
	T("res['http.resp.status'] not in [500, 502]");

	/* arithmetic */
	T("1 + 2 * 3 == 7");
	T("(1 + 2) * 3 == 9");
	T("7 / 2 == 3.5");
	T("7 // 2 == 3");
	T("-7 // 2 == -4");
	T("-7 % 3 == 2");
	T("7 % -3 == -2");
	T("7.5 % 2 == 1.5");
	T("-(3) == -3");
	T("- -3 == 3");
	T("+True == 1");
	T("True + True == 2");
	T("'ab' + 'c' == 'abc'");
	T("[1] + [2] == [1, 2]");
	T("2 - 3 - 4 == -5");
	T("res['tcp.con.time.perf'] * 1000 < 20");
	T("abs(-3) == 3");
	T("abs(-2.5) == 2.5");
	E("1 / 0");
	E("1 // 0");
	E("1 % 0");
	E("1.0 / 0");
	E("9223372036854775807 + 1");
	E("-9223372036854775807 - 2");
	E("'a' - 'b'");
	E("'a' + 1");
	E("[1] * 2");
	E("-'a'");
}

static void comparisons(void)
{
	T("200 <= res['http.resp.status'] < 300");
	F("200 <= res['http.resp.status'] < 200");
	T("1 < 2 < 3 < 4");
	F("1 < 2 > 3");
	T("1 < 2 > 1");
	T("1 == 1 != 2");
	/* chained: the right side is not evaluated once the chain is false */
	F("1 > 2 > res['nope']");
	T("1 < 2.5");
	T("2.0 == 2");
	T("9007199254740993 != 9007199254740992.0");	/* exact int/float comparison */
	T("9007199254740992 == 9007199254740992.0");
	T("True == 1");
	T("False < 1");
	T("'abc' < 'abd'");
	T("'ab' < 'abc'");
	T("'B' < 'a'");
	T("[1, 2] < [1, 3]");
	T("[1, 2] < [1, 2, 0]");
	F("[1, 2] < [1, 2]");
	T("[1, 'a'] == [1, 'a']");
	F("1 == '1'");
	T("1 != '1'");
	F("None == 0");
	T("None != 0");
	F("[1] == 1");
	E("1 < '1'");
	E("'a' >= 2");
	E("None < 1");
	E("[1, 'a'] < [1, 2]");
	F("res['nan'] == res['nan']");
	F("res['nan'] < 1");
	F("res['nan'] >= 1");
	T("res['nan'] != res['nan']");
	T("'' in 'abc'");
	T("'bc' in 'abc'");
	F("'x' in 'abc'");
	T("'x' not in 'abc'");
	E("1 in 'abc'");
	E("1 in 2");
	T("1 in [1, 2]");
	T("1.0 in [1, 2]");
	F("'1' in [1, 2]");
	T("True is True");
	T("None is not False");
	T("1 is not None");
	E("1 is 1");
	T("not 1 == 2");
	T("not (1 == 2)");
	T("not not 1");
	F("1 == 2 or 2 == 3");
	T("1 == 2 or 2 == 2");
	T("1 and 2 and 3");
	F("1 and 0 and 3");
	T("(0 or 'x') == 'x'");
	T("(1 and 'y') == 'y'");
	/* short-circuit: the missing key is never read */
	T("True or res['nope']");
	F("False and res['nope']");
	T("res['http.resp.status'] == 200 or res['nope']");
}

static void types_and_functions(void)
{
	T("len('abc') == 3");
	T("len([1, 2]) == 2");
	T("len(res['http.resp.body']) == res['http.resp.body_length']");
	E("len(5)");
	T("int('12') == 12");
	T("int(' -12 ') == -12");
	T("int('1_000') == 1000");
	T("int(res['http.resp.header.content_length']) == 12");
	T("int(3.9) == 3");
	T("int(-3.9) == -3");
	T("int(True) == 1");
	E("int('12.5')");
	E("int('')");
	E("int('abc')");
	E("int(1e300)");
	E("int(float('nan'))");
	E("int('99999999999999999999')");
	T("int('9223372036854775807') == 9223372036854775807");
	T("int('-9223372036854775808') < 0");
	T("float('1.5') == 1.5");
	T("float(' 2 ') == 2");
	T("float('inf') > 1e308");
	T("float(3) == 3.0");
	E("float('abc')");
	E("float('0x10')");
	E("float('')");
	E("float([1])");
	T("str(200) == '200'");
	T("str(1.0) == '1.0'");
	T("str(0.1) == '0.1'");
	T("str(1e16) == '1e+16'");
	T("str(1e-05) == '1e-05'");
	T("str(True) == 'True'");
	T("str(None) == 'None'");
	T("str([1, 'a']) == \"[1, 'a']\"");
	T("str('x') == 'x'");
	T("str(timedelta(days=1, hours=2)) == '1 day, 2:00:00'");
	T("str(timedelta(days=14)) == '14 days, 0:00:00'");
	T("str(timedelta(hours=-1)) == '-1 day, 23:00:00'");
	T("str(timedelta(seconds=1.5)) == '0:00:01.500000'");
	T("str(now) == '2026-01-01T00:00:00Z'");
	T("str(now + timedelta(seconds=0.25)) == '2026-01-01T00:00:00.250000Z'");
	T("bool(1) == True");
	T("bool('') == False");
	T("lower('AbC') == 'abc'");
	T("upper('AbC') == 'ABC'");
	T("'AbC'.lower() == 'abc'");
	T("res['http.resp.header.server'].strip() == 'NGINX/1.25'");
	T("res['http.resp.header.content_type'].startswith('application/json')");
	T("res['http.resp.header.content_type'].endswith('utf-8')");
	F("'ab'.endswith('abc')");
	E("'ab'.startswith(1)");
	E("(1).lower()");
	E("res.lower()");
	E("'abc'.get('a')");
	T("'abc'[0] == 'a'");
	T("'abc'[-1] == 'c'");
	E("'abc'[3]");
	E("[1][1]");
	E("[1][-2]");
	E("[1]['a']");
	E("5[0]");
	E("'abc'['a']");
	T("res['http.resp.header.set_cookie'][1] == 'b=2'");
	T("res['http.resp.header']['set_cookie'][0] == 'a=1'");
}

static void time_arithmetic(void)
{
	T("now == now()");
	T("now + timedelta(days=1) > now");
	T("now - timedelta(days=1) < now");
	T("timedelta(days=1) + now > now");
	T("now - (now - timedelta(hours=2)) == timedelta(hours=2)");
	T("timedelta(days=1) == timedelta(hours=24)");
	T("timedelta(1) == timedelta(days=1)");
	T("timedelta(0, 60) == timedelta(minutes=1)");
	T("timedelta(weeks=1) == timedelta(days=7)");
	T("timedelta(milliseconds=1000) == timedelta(seconds=1)");
	T("timedelta(microseconds=1000000) == timedelta(seconds=1)");
	T("timedelta(days=0.5) == timedelta(hours=12)");
	T("timedelta() == timedelta(0)");
	T("not timedelta()");
	T("timedelta(days=1) * 2 == timedelta(days=2)");
	T("2 * timedelta(days=1) == timedelta(days=2)");
	T("timedelta(days=1) / 2 == timedelta(hours=12)");
	T("timedelta(days=1) / timedelta(hours=1) == 24");
	T("timedelta(days=1) - timedelta(hours=1) == timedelta(hours=23)");
	T("-timedelta(days=1) < timedelta()");
	T("abs(-timedelta(days=1)) == timedelta(days=1)");
	T("timedelta(hours=36).days == 1");
	T("timedelta(hours=36).seconds == 43200");
	T("timedelta(hours=-1).days == -1");
	T("timedelta(hours=-1).seconds == 82800");
	T("timedelta(minutes=1).total_seconds() == 60");
	T("now.timestamp() == 1767225600");
	T("res['ssl.con.cert.notAfter'] - res['ssl.con.cert.notBefore'] == timedelta(days=90)");
	T("(res['ssl.con.cert.notAfter'] - now).total_seconds() > 14 * 86400");
	T("res['ssl.con.cert.notBefore'] < now < res['ssl.con.cert.notAfter']");
	E("now + 1");
	E("now + now");
	E("now < 5");
	E("timedelta(days='x')");
	E("timedelta(days=1e300)");
	E("now + timedelta(days=3000000)");
	E("(5).days");
	E("now.total_seconds()");
	F("now == 1767225600");
	TEXT("res['ssl.con.cert.notAfter'] > now + timedelta(days=14)", "2026-01-31T00:00:00Z");
	TEXT("now - res['ssl.con.cert.notAfter']", "-30 days, 0:00:00");
}

static void missing_keys(void)
{
	M("res['tcp.con.time'] < 0.5", "tcp.con.time");
	M("res['tcp.con.time']", "tcp.con.time");
	M("tcp.con.time < 1", "tcp.con.time");
	M("'x' in res['http.resp.header.x_foo']", "http.resp.header.x_foo");
	M("res['ssl.con.cert']['issuer'] == 'x'", "ssl.con.cert.issuer");
	M("res['http.resp.status'] == 200 and res['nope']", "nope");
	M("not res['nope']", "nope");
	M("res['a\\nb']", "a\\nb");
	M("res['a\\0b']", "a\\x00b");
	M("res.get(res['nope'])", "nope");
	/* a missing key is not an error: no text either */
	ev("res['tcp.con.time'] < 0.5");
	CHECK_STR("missing: no text", text, "");
}

static void report_text(void)
{
	TEXT("http.resp.status == 200", "200");
	TEXT("res['http.resp.status'] == 200", "200");
	TEXT("res['tcp.success']", "True");
	TEXT("res['http.resp.reason'] != 'OK'", "'OK'");
	TEXT("'json' in res['http.resp.header.content_type']", "'json'");
	TEXT("res['tcp.con.time.perf'] < 0.5", "0.0123");
	TEXT("res['ssl.con.compression'] is None", "None");
	TEXT("res['http.resp.header.set_cookie']", "['a=1', 'b=2']");
	TEXT("\"it's\"", "\"it's\"");
	TEXT("'a\\nb\\x01'", "'a\\nb\\x01'");
	TEXT("1 + 1", "2");
	TEXT("1 < 'a'", "1");
	/* secrets never appear */
	TEXT("res['auth.password'] == 'hunter2'", "***");
	T("res['auth.password'] == 'hunter2'");
	TEXT("res['auth.password']", "***");
	TEXT("res['auth.password'] + 'x'", "***");
	TEXT("str(res['auth.password'])", "***");
	TEXT("res['auth.password'][0]", "***");
	TEXT("[res['auth.password']]", "***");
	TEXT("res['api.key'] == 'k3y'", "***");
	M("res[res['auth.password']]", "***");
	E("int(res['auth.password'])");
	CHECK("secret: int() reason redacted", !strstr(reason, "hunter2"));
	/* long values are cut with ... */
	ev("'" "0123456789012345678901234567890123456789012345678901234567890123456789"
	   "0123456789012345678901234567890123456789" "'");
	CHECK("text cut to the buffer", strlen(text) == EXPR_TEXT_MAX - 1 &&
	      !strcmp(text + EXPR_TEXT_MAX - 4, "..."));
	/* error reasons */
	ev("1 < 'a'");
	CHECK_STR("reason: type error", reason, "'<' not supported between 'int' and 'str'");
	ev("1 / 0");
	CHECK_STR("reason: division", reason, "division by zero");
	ev("int('x')");
	CHECK_STR("reason: int()", reason, "invalid literal for int(): 'x'");
}

static void syntax_errors(void)
{
	CERR("res['http.resp.status' == 200", "column 30: expected ']'");
	CERR("res['tcp.success' 'x']", "column 19: expected ']'");
	CERR("(1 + 2", "column 7: expected ')'");
	CERR("", "column 1: expected an expression");
	CERR("   ", "column 4: expected an expression");
	CERR("1 +", "column 4: expected an expression");
	CERR("res['a'] = 1", "column 10: '=' is not a comparison, use '=='");
	CERR("1 2", "column 3: expected an operator or the end, found '2'");
	CERR("'abc", "column 1: unterminated string");
	CERR("'a\\qb'", "column 3: unknown escape '\\q' (write '\\\\' for a backslash)");
	CERR("'\\x4'", "column 2: \\x needs two hex digits");
	CERR("1 $ 2", "column 3: unexpected character '$'");
	CERR("'é' == é", "column 8: unexpected byte 0xc3");	/* columns count characters */
	CERR("__import__('os').system('id')", "column 1: unknown function '__import__'");
	CERR("open('/etc/passwd')", "column 1: unknown function 'open'");
	CERR("eval('1')", "column 1: unknown function 'eval'");
	CERR("res.__class__", "column 5: unknown attribute '__class__'");
	CERR("'a'.format(1)", "column 5: unknown method 'format'");
	CERR("[x for x in y]", "column 4: expected ',' or ']'");
	CERR("lambda: 1", "column 7: unexpected character ':'");
	CERR("len()", "column 1: len() takes 1 argument");
	CERR("len(1, 2)", "column 8: len() takes at most 1 argument");
	CERR("len(x=1)", "column 5: len() takes no keyword arguments");
	CERR("timedelta(day=1)", "column 11: timedelta() has no argument 'day'");
	CERR("timedelta(days=1, days=2)", "column 19: argument 'days' given twice");
	CERR("timedelta(1, days=2)", "column 14: argument 'days' given twice");
	CERR("timedelta(days=1, 2)", "column 19: positional argument after keyword argument");
	CERR("now(1)", "column 5: expected ')': now() takes no arguments");
	CERR("1 not 2", "column 3: expected an operator or the end, found 'not'");
	CERR("and", "column 1: expected an expression");
	CERR("1 <", "column 4: expected an expression");
	CERR("99999999999999999999", "column 1: integer literal too large");
	CERR("1.2.3", "column 1: malformed number");
	CERR("1e", "column 1: malformed number");
	CERR("0x10", "column 1: malformed number");
	CERR("a.", "column 3: expected a name after '.'");
	CERR("res[1:2]", "column 6: unexpected character ':'");
	CERR("res['a'].", "column 10: expected a name after '.'");
	CERR("f(1,", "column 1: unknown function 'f'");
	CERR("len(1,", "column 7: len() takes at most 1 argument");
	CERR("[1, 2", "column 6: expected ',' or ']'");
}

static void limits(void)
{
	char *big = malloc(EXPR_MAX_LEN + 2), buf[EXPR_MAX_LEN];
	size_t n = 0;

	memset(big, ' ', EXPR_MAX_LEN + 1);
	big[0] = '1';
	big[EXPR_MAX_LEN + 1] = 0;
	CHECK_STR("compile error: too long", cerror(big),
		  "column 4097: expression longer than 4096 bytes");
	big[EXPR_MAX_LEN] = 0;
	CHECK("4096 bytes ok", ev(big) == EXPR_TRUE);
	/* nesting */
	for (int i = 0; i < 64; i++)
		buf[n++] = '(';
	buf[n++] = '1';
	for (int i = 0; i < 64; i++)
		buf[n++] = ')';
	buf[n] = 0;
	CHECK("depth 64 fails", strstr(cerror(buf), "nested deeper than 64") != NULL);
	buf[n - 1] = 0;
	CHECK("depth 63 ok", ev(buf + 1) == EXPR_TRUE);
	n = 0;
	for (int i = 0; i < 100; i++)
		buf[n++] = '-';
	strcpy(buf + n, "1");
	CHECK("unary depth fails", strstr(cerror(buf), "nested deeper") != NULL);
	n = 0;
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "1+");
	strcpy(buf + n, "1");
	CHECK("long chain fails", strstr(cerror(buf), "nested too deeply") != NULL);
	n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "1+");
	strcpy(buf + n, "1 == 101");
	CHECK("chain of 100 ok", ev(buf) == EXPR_TRUE);
	n = 0;
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "1 and ");
	strcpy(buf + n, "1");
	CHECK("and chain of 300 ok", ev(buf) == EXPR_TRUE);	/* and/or chains are flat */
	/* memory: a 600 KB string doubled twice passes 1 MB */
	memset(big, 'a', 1000);
	big[1000] = 0;
	record_set_str(&rec, "big", big);
	T("len(big + big) == 2000");
	free(big);
	big = malloc(600001);
	memset(big, 'a', 600000);
	big[600000] = 0;
	record_set_str(&rec, "big", big);
	free(big);
	E("len(big + big) > 0");
	CHECK("memory limit reason", strstr(reason, "memory") != NULL);
	/* steps */
	{
		const char *l[256];
		for (int i = 0; i < 256; i++)
			l[i] = "x";
		record_set_list(&rec, "many", l, 256);
	}
	T("many == many");
	T("'y' not in many");
	/* a list mentioned often costs its memory once */
	n = 0;
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "many == many and ");
	strcpy(buf + n, "True");
	CHECK("list read 400 times", ev(buf) == EXPR_TRUE);
	/* 30 comparisons of 4096-element lists: past the step limit */
	{
		const char **l = malloc(4096 * sizeof(*l));
		for (int i = 0; i < 4096; i++)
			l[i] = "x";
		rec.max_list = 4096;
		record_set_list(&rec, "many", l, 4096);
		free(l);
	}
	n = 0;
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "many == many and ");
	strcpy(buf + n, "True");
	CHECK("step limit", ev(buf) == EXPR_ERROR);
	CHECK("step limit reason", strstr(reason, "steps") != NULL);
}

int main(void)
{
	build_record();
	upstream_examples();
	doc_examples();
	forms();
	comparisons();
	types_and_functions();
	time_arithmetic();
	missing_keys();
	report_text();
	syntax_errors();
	limits();
	record_free(&rec);
	return t_done();
}
