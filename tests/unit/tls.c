/* tls.c - unit tests of the compiled-in TLS backend's configuration checks (tls.h): what
 * tls_new() refuses and how it says so, that a zeroed struct tls_opts or http_request
 * verifies (it reads the CA store; the handshakes against bad certificates are in
 * tests/integration/tls.sh), and the shared list splitter; no network but a loopback
 * listener that never answers */
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../net/conn.h"
#include "../../net/http.h"
#include "../../tls/tls.h"
#include "t.h"

#define NO_CA "/nonexistent/ca.crt"

static char err[256];

/* tls_new(); 1 if it succeeded */
static int try_new(struct tls_opts o)
{
	struct tls *t;

	err[0] = 0;
	t = tls_new(&o, err, sizeof(err));
	tls_free(t);
	return t != NULL;
}

/* a loopback port that takes connections (the kernel's backlog) and never says a word */
static int silent_listener(char *port, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
		return -1;
	snprintf(port, len, "%u", ntohs(a.sin_port));
	return fd;
}

/* conn_starttls() with o on a fresh connection to port; the conn_err it ends with */
static enum conn_err starttls(const char *port, const struct tls_opts *o)
{
	static struct conn c;

	if (conn_open(&c, "127.0.0.1", port, NULL, deadline_in(0.3)) < 0)
		return c.err;
	if (conn_starttls(&c, o) < 0)
		snprintf(err, sizeof(err), "%s", c.errmsg);
	else
		c.err = CONN_OK;
	conn_close(&c);
	return c.err;
}

/* the zero value: verification on, so the CA store is read (SSL_CERT_FILE points nowhere) */
static void zero_value(void)
{
	struct tls_opts z = { 0 }, insecure = { .insecure = 1 };
	struct http_request rq = { 0 };
	struct http_result res;
	char port[8], url[64];
	int lfd = silent_listener(port, sizeof(port));

	setenv("SSL_CERT_FILE", NO_CA, 1);
	CHECK("zeroed tls_opts: tls_new reads the CA store", !try_new(z));
	CHECK("and says it cannot", strstr(err, "cannot read CA file " NO_CA) != NULL);
	z.host = "localhost";
	CHECK("with a host: the same", !try_new(z) && strstr(err, NO_CA));
	CHECK("insecure: no CA store needed", try_new(insecure));
	if (lfd < 0) {
		printf("SKIP loopback listener\n");
		return;
	}
	CHECK("zeroed tls_opts: conn_starttls reads the CA store", starttls(port, &z) == CONN_E_CONFIG);
	CHECK("and says it cannot", strstr(err, NO_CA) != NULL);
	CHECK("insecure: conn_starttls goes on to the handshake (and its timeout)",
	      starttls(port, &insecure) == CONN_E_TIMEOUT);

	snprintf(url, sizeof(url), "https://127.0.0.1:%s/", port);
	rq.url = url;
	rq.deadline = deadline_in(0.3);
	CHECK("zeroed http_request: its TLS reads the CA store",
	      http_fetch(&rq, &res) < 0 && res.err == CONN_E_CONFIG && strstr(res.errmsg, NO_CA));
	http_result_free(&res);
	rq.tls.insecure = 1;
	rq.deadline = deadline_in(0.3);
	CHECK("tls.insecure: no CA store, on to the handshake",
	      http_fetch(&rq, &res) < 0 && res.err == CONN_E_TIMEOUT);
	http_result_free(&res);
	close(lfd);
	unsetenv("SSL_CERT_FILE");
}

int main(void)
{
	struct tls_opts o = { .host = "localhost", .insecure = 1 };
	const char *names[4];
	char buf[32];
	int bearssl = !strncmp(tls_backend_name, "BearSSL", 7);

	CHECK("a backend is compiled in", tls_available && tls_backend_name[0]);
	CHECK("defaults", try_new(o));
	o.ciphers = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
	CHECK("IANA cipher names", try_new(o));
	o.ciphers = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:NOPE_SHA1";
	CHECK("an unknown cipher name fails", !try_new(o));
	CHECK_STR("and names it", err, "unknown or unsupported cipher suite: NOPE_SHA1");
	o.ciphers = NULL;
	o.min_version = TLS_VER_1_3;
	if (bearssl) {
		CHECK("min TLS 1.3 fails", !try_new(o));
		CHECK_STR("and says why", err, "TLS 1.3 is not supported by the BearSSL build");
		o.min_version = 0;
		o.ciphers = "TLS_AES_128_GCM_SHA256";
		CHECK("only TLS 1.3 suites fail", !try_new(o));
		CHECK_STR("and say why", err, "TLS 1.3 cipher suites are not supported by the BearSSL build");
		o.ciphers = NULL;
	} else {
		CHECK("min TLS 1.3", try_new(o));
	}
	o.min_version = TLS_VER_1_3;
	o.max_version = TLS_VER_1_2;
	CHECK("min above max fails", !try_new(o) && *err);
	o.min_version = o.max_version = 0;
	o.alpn = "h2,http/1.1";
	CHECK("ALPN list", try_new(o));
	o.alpn = NULL;
	o.cert_file = "/nonexistent/client.crt";
	CHECK("a missing client certificate fails", !try_new(o));
	CHECK("and names the file", strstr(err, "cannot read certificate /nonexistent/client.crt") != NULL);
	o.cert_file = NULL;
	o.insecure = 0;
	o.ca_file = "/nonexistent/ca.crt";
	CHECK("a missing CA file fails", !try_new(o));
	CHECK("and names the file", strstr(err, "cannot read CA file /nonexistent/ca.crt") != NULL);

	CHECK("split", tls_split_list("h2,http/1.1", buf, sizeof(buf), names, 4) == 2 &&
	      !strcmp(names[0], "h2") && !strcmp(names[1], "http/1.1"));
	CHECK("split skips empty names", tls_split_list(",a,,b,", buf, sizeof(buf), names, 4) == 2);
	CHECK("split bounded by max", tls_split_list("a,b,c", buf, sizeof(buf), names, 2) == 2);
	CHECK("split: empty list", tls_split_list(",,", buf, sizeof(buf), names, 4) == 0);
	CHECK("split: too long for the buffer", tls_split_list("abcdefgh", buf, 8, names, 4) == 0);
	zero_value();
	return t_done();
}
