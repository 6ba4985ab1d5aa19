/* report.c - unit tests: the shared JSON document and Prometheus exposition of a run */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/report.h"
#include "t.h"

static char *out;

/* render with one of the writers into out (freed on the next call) */
#define RENDER(call) T_RENDER(out, call)

/* a record with every type, secrets, NaN and bytes that are not UTF-8 */
static void every_type(struct record *r)
{
	const char *cookies[] = { "a=1", "b=\xff" };

	record_init(r);
	record_set_bool(r, "success", 1);
	record_set_none(r, "error");
	record_set_float(r, "tcp.con.time.perf", 0.0123);
	record_set_int(r, "http.resp.status", 200);
	record_set_str(r, "http.resp.reason", "OK \"q\"\n\t\\");
	record_set_list(r, "http.resp.header.set_cookie", cookies, 2);
	record_set_time(r, "ssl.con.cert.notAfter", 1769860800);
	record_set_float(r, "x.nan", NAN);
	record_set_float(r, "x.inf", -INFINITY);
	record_set_str(r, "db.password", "hunter2");
	record_set_int(r, "api.key", 12345);
	record_mark_secret(r, "api.key");
	record_set_strn(r, "body", "a\0b\x80\xe2\x82\xac\x01", 8);
	record_set_int(r, "min", INT64_MIN);
	record_set_float(r, "big", 1e16);
	record_set_bool(r, "tcp.ipv6", 0);
}

static void json(void)
{
	struct record r;
	struct report_check c[3] = {
		{ "tcp:db.example:5432", "tcp", "db.example:5432", "OK", NULL, 1, 0.25, NULL },
		{ "caf\xc3\xa9 \"\xfe\"", "http", "http://h/p?q=\"1\"", "FAILED", "timeout\nafter 2s", 0,
		  NAN, NULL },
		{ "", NULL, NULL, "SKIPPED", NULL, 0, INFINITY, NULL },
	};

	every_type(&r);
	c[0].rec = &r;
	RENDER(report_json(f_, "conn-check", "CRITICAL", 2, c, 3));
	CHECK_STR("json: every type, secrets, NaN, invalid UTF-8", out,
		  "{\"applet\": \"conn-check\", \"verdict\": \"CRITICAL\", \"exit_code\": 2, \"checks\": ["
		  "{\"name\": \"tcp:db.example:5432\", \"type\": \"tcp\", \"target\": \"db.example:5432\", "
		  "\"verdict\": \"OK\", \"reason\": null, \"success\": true, \"duration_seconds\": 0.25, "
		  "\"record\": {\"success\": true, \"error\": null, \"tcp.con.time.perf\": 0.0123, "
		  "\"http.resp.status\": 200, \"http.resp.reason\": \"OK \\\"q\\\"\\n\\t\\\\\", "
		  "\"http.resp.header.set_cookie\": [\"a=1\", \"b=\\ufffd\"], "
		  "\"ssl.con.cert.notAfter\": \"2026-01-31T12:00:00Z\", \"x.nan\": null, \"x.inf\": null, "
		  "\"db.password\": \"***\", \"api.key\": \"***\", "
		  "\"body\": \"a\\u0000b\\ufffd\xe2\x82\xac\\u0001\", \"min\": -9223372036854775808, "
		  "\"big\": 1e+16, \"tcp.ipv6\": false}}, "
		  "{\"name\": \"caf\xc3\xa9 \\\"\\ufffd\\\"\", \"type\": \"http\", "
		  "\"target\": \"http://h/p?q=\\\"1\\\"\", \"verdict\": \"FAILED\", "
		  "\"reason\": \"timeout\\nafter 2s\", \"success\": false, \"duration_seconds\": null, "
		  "\"record\": {}}, "
		  "{\"name\": \"\", \"type\": \"\", \"target\": \"\", \"verdict\": \"SKIPPED\", "
		  "\"reason\": null, \"success\": false, \"duration_seconds\": null, \"record\": {}}]}\n");
	CHECK("json: no secret value", !strstr(out, "hunter2") && !strstr(out, "12345"));

	RENDER(report_json(f_, "check-tcp", "OK", 0, NULL, 0));
	CHECK_STR("json: no checks", out,
		  "{\"applet\": \"check-tcp\", \"verdict\": \"OK\", \"exit_code\": 0, \"checks\": []}\n");
	RENDER(report_json(f_, NULL, NULL, 1, NULL, 0));
	CHECK_STR("json: NULL strings are empty", out,
		  "{\"applet\": \"\", \"verdict\": \"\", \"exit_code\": 1, \"checks\": []}\n");
	record_free(&r);
}

#define L0 "{name=\"tcp:a\",type=\"tcp\",target=\"ex\\\"am\\\\ple\\n.org:443\"}"
#define L3 "{name=\"http \xef\xbf\xbd\",type=\"http\",target=\"http://h/\"}"
#define L4 "{name=\"udp:b\",type=\"udp\",target=\"b:53\"}"

static void prometheus(void)
{
	struct record r0, r1, r3;
	struct report_check c[5] = {
		{ "tcp:a", "tcp", "ex\"am\\ple\n.org:443", "OK", NULL, 1, 0.5, &r0 },
		/* the same series as c[0]: left out */
		{ "tcp:a", "tcp", "ex\"am\\ple\n.org:443", "FAILED", "refused", 0, 0.1, &r1 },
		/* did not run: left out */
		{ "tcp:skipped", "tcp", "c:1", "SKIPPED", NULL, 0, 0, NULL },
		{ "http \xff", "http", "http://h/", "CRITICAL", "status 500", 0, 1.25, &r3 },
		{ "udp:b", "udp", "b:53", "OK", NULL, 1, NAN, NULL },
	};

	record_init(&r0);
	record_set_bool(&r0, "success", 1);		/* probe_success is the check's own */
	record_set_none(&r0, "error");
	record_set_bool(&r0, "tcp.success", 1);
	record_set_float(&r0, "tcp.con.time.perf", 0.0123);
	record_set_time(&r0, "ssl.con.cert.notAfter", 1769860800);
	record_set_int(&r0, "a.b", 7);
	record_set_int(&r0, "a_b", 8);			/* probe_a_b again: dropped */
	record_set_str(&r0, "ssl.con.cipher", "TLS_AES_128_GCM_SHA256");
	record_set_int(&r0, "redis.auth.token", 99);	/* secret by name */
	record_set_float(&r0, "duration.seconds", 3);	/* probe_duration_seconds: taken */
	record_set_list(&r0, "l", NULL, 0);

	record_init(&r1);
	record_set_bool(&r1, "tcp.success", 0);
	record_set_int(&r1, "only.in.the.duplicate", 1);

	record_init(&r3);
	record_set_bool(&r3, "tcp.success", 1);
	record_set_int(&r3, "a_b", 9);			/* a.b owns probe_a_b: dropped here too */
	record_set_time(&r3, "ssl.con.cert.notBefore", 1577836800);
	record_set_float(&r3, "x.nan", NAN);
	record_set_float(&r3, "x.inf", INFINITY);
	record_set_bool(&r3, "http.success", 0);
	record_set_int(&r3, "http.resp.status", 500);
	record_set_int(&r3, "Weird\\Key", 1);		/* HELP escapes the backslash */

	RENDER(report_prom(f_, c, 5));
	CHECK_STR("prometheus: families grouped, labels escaped, duplicates dropped", out,
		  "# HELP probe_success 1 if the check passed, else 0\n"
		  "# TYPE probe_success gauge\n"
		  "probe_success" L0 " 1\n"
		  "probe_success" L3 " 0\n"
		  "probe_success" L4 " 1\n"
		  "# HELP probe_duration_seconds Seconds the check took\n"
		  "# TYPE probe_duration_seconds gauge\n"
		  "probe_duration_seconds" L0 " 0.5\n"
		  "probe_duration_seconds" L3 " 1.25\n"
		  "probe_duration_seconds" L4 " NaN\n"
		  "# HELP probe_tls_cert_expiry_timestamp_seconds Unix time the peer certificate "
		  "expires (ssl.con.cert.notAfter)\n"
		  "# TYPE probe_tls_cert_expiry_timestamp_seconds gauge\n"
		  "probe_tls_cert_expiry_timestamp_seconds" L0 " 1769860800\n"
		  "# HELP probe_tcp_success Record key tcp.success\n"
		  "# TYPE probe_tcp_success gauge\n"
		  "probe_tcp_success" L0 " 1\n"
		  "probe_tcp_success" L3 " 1\n"
		  "# HELP probe_tcp_con_time_perf Record key tcp.con.time.perf\n"
		  "# TYPE probe_tcp_con_time_perf gauge\n"
		  "probe_tcp_con_time_perf" L0 " 0.0123\n"
		  "# HELP probe_a_b Record key a.b\n"
		  "# TYPE probe_a_b gauge\n"
		  "probe_a_b" L0 " 7\n"
		  "# HELP probe_ssl_con_cert_not_before Record key ssl.con.cert.notBefore\n"
		  "# TYPE probe_ssl_con_cert_not_before gauge\n"
		  "probe_ssl_con_cert_not_before" L3 " 1577836800\n"
		  "# HELP probe_x_nan Record key x.nan\n"
		  "# TYPE probe_x_nan gauge\n"
		  "probe_x_nan" L3 " NaN\n"
		  "# HELP probe_x_inf Record key x.inf\n"
		  "# TYPE probe_x_inf gauge\n"
		  "probe_x_inf" L3 " +Inf\n"
		  "# HELP probe_http_success Record key http.success\n"
		  "# TYPE probe_http_success gauge\n"
		  "probe_http_success" L3 " 0\n"
		  "# HELP probe_http_resp_status Record key http.resp.status\n"
		  "# TYPE probe_http_resp_status gauge\n"
		  "probe_http_resp_status" L3 " 500\n"
		  "# HELP probe_weird_key Record key Weird\\\\Key\n"
		  "# TYPE probe_weird_key gauge\n"
		  "probe_weird_key" L3 " 1\n");
	CHECK("prometheus: no secret, string or duplicate's key",
	      !strstr(out, "99") && !strstr(out, "cipher") && !strstr(out, "only_in"));

	/* one family per name even when its first check lacks the key */
	RENDER(report_prom(f_, c + 3, 1));
	CHECK("prometheus: a check alone", strstr(out, "probe_a_b" L3 " 9\n") &&
	      !strstr(out, "probe_tls_cert_expiry"));
	RENDER(report_prom(f_, NULL, 0));
	CHECK_STR("prometheus: no checks", out, "");
	record_free(&r0);
	record_free(&r1);
	record_free(&r3);
}

static void names(void)
{
	char n[RECORD_PROM_NAME_MAX], key[RECORD_MAX_KEY + 1];

	record_prom_name("probe_", "ssl.con.cert.subjectAltName", 1, n);
	CHECK_STR("name: camelCase to snake_case", n, "probe_ssl_con_cert_subject_alt_name");
	record_prom_name("probe_", "HTTPStatus2xx.v2Count", 1, n);
	CHECK_STR("name: runs of capitals, digits", n, "probe_httpstatus2xx_v2_count");
	record_prom_name("probebox_", "ssl.con.cert.notAfter", 0, n);
	CHECK_STR("name: kept as it is without snake", n, "probebox_ssl_con_cert_notAfter");
	/* "aBaB...": every B becomes _b, the name grows by half the key */
	for (size_t i = 0; i < sizeof(key) - 1; i++)
		key[i] = i % 2 ? 'B' : 'a';
	key[sizeof(key) - 1] = 0;
	CHECK("name: the longest key is not cut",
	      record_prom_name("probe_", key, 1, n) == 6 + 300 && n[6 + 299] == 'b');
	CHECK_STR("status words", report_status_word(2), "CRITICAL");
	CHECK_STR("status words: beyond 3", report_status_word(99), "UNKNOWN");
	CHECK_STR("status words: negative", report_status_word(-1), "UNKNOWN");
}

static void write_errors(void)
{
	struct report_check c = { "a", "tcp", "b:1", "OK", NULL, 1, 0.5, NULL };
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		printf("SKIP write errors (no /dev/full)\n");
		return;
	}
	setvbuf(f, NULL, _IONBF, 0);
	CHECK("json: a write error is -1", report_json(f, "x", "OK", 0, &c, 1) == -1);
	clearerr(f);
	CHECK("prometheus: a write error is -1", report_prom(f, &c, 1) == -1);
	fclose(f);
}

int main(void)
{
	json();
	prometheus();
	names();
	write_errors();
	free(out);
	return t_done();
}
