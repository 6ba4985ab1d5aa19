/* tlsclient.c - test tool: one TLS connection through net/conn.c and the compiled-in backend
 * of tls.h, printing what tls_peer_info() and tls_verify_result() report, one key=value a
 * line, for tests/integration/tls.sh (the same checks against every backend).
 *
 *   tlsclient HOST PORT [ca=FILE] [noverify] [cert=FILE] [key=FILE] [alpn=LIST]
 *             [ciphers=LIST] [min=12|13] [max=12|13] [get]
 * Exit 0 after a handshake (whatever the certificate), 2 when the connection or the
 * handshake failed, 3 for a configuration error ("error=..." says which).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../net/conn.h"

static struct conn c;

int main(int argc, char **argv)
{
	struct tls_opts o = { .verify = 1 };
	struct tls_peer p;
	static char reply[65536];
	size_t got = 0;
	int get = 0, i;
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
		if (!strcmp(k, "noverify"))
			o.verify = 0;
		else if (!strcmp(k, "get"))
			get = 1;
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
	if (conn_open(&c, argv[1], argv[2], NULL, deadline_in(5)) < 0) {
		printf("error=%s\n", c.errmsg);
		return 2;
	}
	if (conn_starttls(&c, &o) < 0) {
		printf("error=%s\n", c.errmsg);
		conn_close(&c);
		return c.err == CONN_E_CONFIG ? 3 : 2;
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
