/* tlsclient.c - test tool: one TLS connection through net/conn.c and the compiled-in backend
 * of tls.h, printing what tls_peer_info() and tls_verify_result() report, one key=value a
 * line, for tests/integration/tls.sh (the same checks against every backend).
 *
 *   tlsclient HOST PORT [ca=FILE] [insecure] [defer] [nohost] [cert=FILE] [key=FILE]
 *             [alpn=LIST] [ciphers=LIST] [min=12|13] [max=12|13] [get] [http [path=/P]]
 * The options start from a zeroed struct tls_opts with .host = HOST: what a caller gets
 * without asking. insecure, defer: .insecure, .defer_verify; nohost: .host = NULL (HOST is
 * still dialled). http: fetch https://HOST:PORT/P with http_fetch() instead, from a zeroed
 * struct http_request but for its url and deadline (the options go into its .tls), and
 * print status= or error=.
 * Exit 0 after a handshake (with defer: whatever the certificate), 2 when the connection or
 * the handshake failed, 3 for a configuration error, 4 when the certificate was rejected
 * (CONN_E_CERT); "error=..." says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../net/conn.h"
#include "../../net/http.h"

static struct conn c;

static int exit_code(enum conn_err e)
{
	return e == CONN_E_CONFIG ? 3 : e == CONN_E_CERT ? 4 : 2;
}

static int fetch(const char *host, const char *port, const char *path, const struct tls_opts *o)
{
	struct http_request rq = { 0 };
	struct http_result res;
	char url[600];
	int rc;

	snprintf(url, sizeof(url), "https://%s:%s%s", host, port, path);
	rq.url = url;
	rq.tls = *o;
	rq.deadline = deadline_in(5);
	rc = http_fetch(&rq, &res);
	if (rc < 0)
		printf("error=%s\n", res.errmsg);
	else
		printf("status=%d\n", res.resp->status);
	rc = rc < 0 ? exit_code(res.err) : 0;
	http_result_free(&res);
	return rc;
}

int main(int argc, char **argv)
{
	struct tls_opts o = { 0 };
	struct tls_peer p;
	static char reply[65536];
	size_t got = 0;
	const char *path = "/";
	int get = 0, http = 0, i;
	unsigned f;

	if (argc < 3) {
		fprintf(stderr, "usage: tlsclient HOST PORT [OPTION=VALUE]...\n");
		return 3;
	}
	o.host = argv[1];
	for (i = 3; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		const char *k = argv[i];
		if (v)
			*v++ = 0;
		if (!strcmp(k, "insecure"))
			o.insecure = 1;
		else if (!strcmp(k, "defer"))
			o.defer_verify = 1;
		else if (!strcmp(k, "nohost"))
			o.host = NULL;
		else if (!strcmp(k, "get"))
			get = 1;
		else if (!strcmp(k, "http"))
			http = 1;
		else if (v && !strcmp(k, "path"))
			path = v;
		else if (v && !strcmp(k, "ca"))
			o.ca_file = v;
		else if (v && !strcmp(k, "cert"))
			o.cert_file = v;
		else if (v && !strcmp(k, "key"))
			o.key_file = v;
		else if (v && !strcmp(k, "alpn"))
			o.alpn = v;
		else if (v && !strcmp(k, "ciphers"))
			o.ciphers = v;
		else if (v && !strcmp(k, "min"))
			o.min_version = atoi(v);
		else if (v && !strcmp(k, "max"))
			o.max_version = atoi(v);
		else {
			fprintf(stderr, "tlsclient: unknown option %s\n", k);
			return 3;
		}
	}
	if (http)
		return fetch(argv[1], argv[2], path, &o);
	if (conn_open(&c, argv[1], argv[2], NULL, deadline_in(5)) < 0) {
		printf("error=%s\n", c.errmsg);
		return 2;
	}
	if (conn_starttls(&c, &o) < 0) {
		printf("error=%s\n", c.errmsg);
		conn_close(&c);
		return exit_code(c.err);
	}
	tls_peer_info(c.tls, &p);
	f = tls_verify_result(c.tls);
	printf("version=%s\ncipher=%s\nalpn=%s\nsubject=%s\nissuer=%s\nsubject_cn=%s\n"
	       "issuer_cn=%s\nsans=%s\nserial=%s\nnot_before=%lld\nnot_after=%lld\n"
	       "chain_len=%d\nverify=%#x %s\n",
	       p.version, p.cipher, p.alpn, p.subject, p.issuer, p.subject_cn, p.issuer_cn,
	       p.sans, p.serial, (long long)p.not_before, (long long)p.not_after, p.chain_len,
	       f, tls_verify_reason(f));
	if (get) {
		static const char req[] = "GET / HTTP/1.0\r\n\r\n";
		ssize_t n = 0;

		if (conn_write(&c, req, sizeof(req) - 1) == 0)
			while (got < sizeof(reply) - 1 &&
			       (n = conn_read(&c, reply + got, sizeof(reply) - 1 - got)) > 0)
				got += (size_t)n;
		reply[got] = 0;
		if (n < 0)
			printf("read_error=%s\n", c.errmsg);
		printf("reply=%.*s\n", (int)strcspn(reply, "\r\n"), reply);
		printf("client_cert=%s\n", strstr(reply, "Client certificate") ? "yes" : "no");
	}
	conn_close(&c);
	return 0;
}
