/* report_sample.c - prints one sample run through the shared output layer, for
 * tests/integration/report.sh to hand to real parsers (python3's json, promtool):
 *
 *   report_sample json | prometheus
 *
 * The run has the checks a conn-check config could give: TLS with a certificate, HTTP,
 * a failure, a skipped step, a duplicate, every record type, and names, targets and reasons
 * with quotes, backslashes, newlines and bytes that are not UTF-8.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/report.h"

/* what every probe over TCP records first; error NULL: None */
static void tcp_keys(struct record *r, int ok, const char *error, double perf)
{
	record_set_bool(r, "success", ok);
	if (error)
		record_set_str(r, "error", error);
	else
		record_set_none(r, "error");
	record_set_bool(r, "tcp.success", 1);
	record_set_bool(r, "tcp.ipv6", 0);
	record_set_float(r, "tcp.con.time.perf", perf);
}

static void tls_record(struct record *r)
{
	const char *sans[] = { "localhost", "127.0.0.1", "::1" };

	tcp_keys(r, 1, NULL, 0.000412);
	record_set_float(r, "tcp.con.time.process", 0.00002);
	record_set_bool(r, "ssl.success", 1);
	record_set_float(r, "ssl.handshake.time.perf", 0.0031);
	record_set_str(r, "ssl.con.cipher", "TLS_AES_256_GCM_SHA384");
	record_set_str(r, "ssl.con.protocol", "TLSv1.3");
	record_set_int(r, "ssl.con.secret_bits", 256);
	record_set_none(r, "ssl.con.alpn_protocol");
	record_set_str(r, "ssl.con.cert.subject", "CN=localhost, O=\"probebox\\tests\"");
	record_set_time(r, "ssl.con.cert.notBefore", 1577836800);
	record_set_time(r, "ssl.con.cert.notAfter", 2524607999);
	record_set_list(r, "ssl.con.cert.subjectAltName", sans, 3);
	record_set_bool(r, "ssl.con.cert.matches_hostname", 1);
}

static void http_record(struct record *r)
{
	const char *cookies[] = { "a=1", "b=\xff\xfe" };

	tcp_keys(r, 0, "HTTP 503 \"Service Unavailable\"\nretry later", 0.0005);
	record_set_bool(r, "http.success", 1);
	record_set_int(r, "http.resp.status", 503);
	record_set_int(r, "http.resp.version", 11);
	record_set_int(r, "http.resp.body_length", 0);
	record_set_float(r, "http.resp.time.perf", NAN);
	record_set_float(r, "x.inf", INFINITY);
	record_set_float(r, "x.big", 1e300);
	record_set_int(r, "x.min", INT64_MIN);
	record_set_list(r, "http.resp.header.set_cookie", cookies, 2);
	record_set_strn(r, "http.resp.body", "a\0b\x80\x01", 5);
	record_set_str(r, "http.req.header.authorization", "Bearer s3cr3t");
	record_set_int(r, "redis.auth.token", 42);
	record_set_int(r, "dup.key", 1);
	record_set_int(r, "dup_key", 2);
	record_set_int(r, "Weird\\Key", 3);
}

int main(int argc, char **argv)
{
	struct record tls, http;
	struct report_check c[] = {
		{ "tls:localhost:8443", "tls", "localhost:8443", "OK", NULL, 1, 0.0041, &tls },
		{ "http:api \"v1\"\\\n\xff", "http", "http://127.0.0.1:8080/health?x=\"1\"", "FAILED",
		  "HTTP 503 \"Service Unavailable\"\nretry later", 0, 0.0123, &http },
		{ "tcp:db:5432", "tcp", "db:5432", "SKIPPED", NULL, 0, NAN, NULL },
		{ "tls:localhost:8443", "tls", "localhost:8443", "OK", NULL, 1, 0.005, &tls },
		{ "udp:ns:53", "udp", "ns:53", "FAILED", "timeout after 2s", 0, 2.0, NULL },
	};
	size_t n = sizeof(c) / sizeof(c[0]);
	int rc;

	if (argc != 2 || (strcmp(argv[1], "json") && strcmp(argv[1], "prometheus"))) {
		fputs("usage: report_sample json | prometheus\n", stderr);
		return 3;
	}
	record_init(&tls);
	record_init(&http);
	tls_record(&tls);
	http_record(&http);
	if (!strcmp(argv[1], "json"))
		rc = report_json(stdout, "conn-check", "FAILED", 2, c, n);
	else
		rc = report_prom(stdout, c, n);
	record_free(&tls);
	record_free(&http);
	return rc < 0 || fflush(stdout) ? 1 : 0;
}
