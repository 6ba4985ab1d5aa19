/* tls.c - unit tests of the compiled-in TLS backend's configuration checks (tls.h): what
 * tls_new() refuses and how it says so, that a zeroed struct tls_opts or http_request
 * verifies (it reads the CA store; the handshakes against bad certificates are in
 * tests/integration/tls.sh), that each CA store is built once per process, from any number
 * of threads, and the shared list splitter; no network but a loopback listener that never
 * answers */
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../net/conn.h"
#include "../../net/http.h"
#include "../../tls/tls.h"
#include "t.h"

#define NO_CA "/nonexistent/ca.crt"

static char err[256];

/* a self-signed P-256 CA (O=probebox tests, CN=Unit CA): only loaded, never verified against */
static const char unit_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBrTCCAVOgAwIBAgIUaV+8cbhgIgBnoNp9Kx9JBG5JMEIwCgYIKoZIzj0EAwIw\n"
	"KzEXMBUGA1UECgwOcHJvYmVib3ggdGVzdHMxEDAOBgNVBAMMB1VuaXQgQ0EwIBcN\n"
	"MjYxMjAzMTYwNjI1WhgPMjEyNjExMDkxNjA2MjVaMCsxFzAVBgNVBAoMDnByb2Jl\n"
	"Ym94IHRlc3RzMRAwDgYDVQQDDAdVbml0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0D\n"
	"AQcDQgAEStcwosh/HHgd84ivp7X+JRqhHW4pIAxYSBIeHR1Cg9M3GvCCr/h+13dI\n"
	"pQOVrzhBhlMveotvkJOnPT4AnjyYhqNTMFEwHQYDVR0OBBYEFO7K0bac8pDM58uK\n"
	"ArOiI+HzllHsMB8GA1UdIwQYMBaAFO7K0bac8pDM58uKArOiI+HzllHsMA8GA1Ud\n"
	"EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgZRBtNYDV1/HcwL2Dz9UcGJMo\n"
	"Jx2OS134q5KO699T9cACIQDU1KeDeWfVI+JVB6L69tm1fDdByINRKunJsnFq5ZHu\n"
	"WQ==\n"
	"-----END CERTIFICATE-----\n";

/* tls_new(); 1 if it succeeded */
static int try_new(struct tls_opts o)
{
	struct tls *t;

	err[0] = 0;
	t = tls_new(&o, err, sizeof(err));
	tls_free(t);
	return t != NULL;
}

#define THREADS 8
#define PER_THREAD 4

/* PER_THREAD clients with the options at arg, as conn-check's workers make them */
static void *clients(void *arg)
{
	const struct tls_opts *o = arg;
	char e[256];
	intptr_t ok = 1;

	for (int i = 0; i < PER_THREAD; i++) {
		struct tls *t = tls_new(o, e, sizeof(e));
		ok &= t != NULL;
		tls_free(t);
	}
	return (void *)ok;
}

static int write_ca(const char *path)
{
	FILE *f = fopen(path, "w");

	return f && fputs(unit_ca, f) >= 0 && fclose(f) == 0 ? 0 : -1;
}

/* tls_ca_builds() counts the stores built: one per CA choice, however many clients */
static void one_store(void)
{
	char dir[] = "/tmp/probebox-unit.XXXXXX", file[64], file2[64], sub[64], spelt[80];
	struct tls_opts o = { .host = "localhost" }, sys = { 0 };
	pthread_t th[THREADS];
	unsigned long n0 = tls_ca_builds(), n;
	int ok = 1, i;

	if (!mkdtemp(dir)) {
		printf("SKIP CA store tests: no temporary directory\n");
		return;
	}
	snprintf(file, sizeof(file), "%s/ca.pem", dir);
	snprintf(file2, sizeof(file2), "%s/ca2.pem", dir);
	snprintf(sub, sizeof(sub), "%s/d", dir);
	if (write_ca(file) < 0 || write_ca(file2) < 0 || mkdir(sub, 0700) < 0) {
		printf("SKIP CA store tests: cannot write %s\n", dir);
		return;
	}
	snprintf(spelt, sizeof(spelt), "%s/ca.pem", sub);
	write_ca(spelt);

	o.ca_file = file;
	for (i = 0; i < 5; i++)
		ok &= try_new(o);
	CHECK("five clients with one CA file", ok);
	CHECK("build its store once", tls_ca_builds() == n0 + 1);
	setenv("SSL_CERT_FILE", file, 1);
	CHECK("the system store found at that file is the same store",
	      try_new(sys) && try_new(sys) && tls_ca_builds() == n0 + 1);
	unsetenv("SSL_CERT_FILE");
	o.insecure = 1;
	o.ca_file = file2;
	CHECK("insecure clients build none", try_new(o) && tls_ca_builds() == n0 + 1);
	o.insecure = 0;
	o.ca_file = NULL;
	o.ca_dir = sub;
	CHECK("a CA directory is a store of its own, built once",
	      try_new(o) && try_new(o) && tls_ca_builds() == n0 + 2);
	o.ca_file = file;
	CHECK("a file and a directory together: one more",
	      try_new(o) && try_new(o) && tls_ca_builds() == n0 + 3);
	o.ca_dir = NULL;
	o.ca_file = NO_CA;
	CHECK("a missing CA file fails", !try_new(o) && strstr(err, "cannot read CA file " NO_CA));
	CHECK("and again, with the same words (a failure is not kept)",
	      !try_new(o) && strstr(err, "cannot read CA file " NO_CA ": No such file or directory"));
	CHECK("and builds nothing", tls_ca_builds() == n0 + 3);

	/* a fresh choice, asked for by THREADS threads at once: built by one of them */
	o.ca_file = file2;
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, clients, &o) != 0)
			break;
	for (int k = 0; k < i; k++) {
		void *r;
		pthread_join(th[k], &r);
		ok &= r != NULL;
	}
	CHECK("clients on many threads at once", i == THREADS && ok);
	CHECK("share one store, built once", tls_ca_builds() == n0 + 4);

	/* other spellings of the same path are other choices: past the kept ones, each
	 * client builds (and frees) its own */
	for (i = 0; i < 12; i++) {
		snprintf(spelt, sizeof(spelt), "%s/%.*sca.pem", dir, 2 * i, "././././././././././././");
		o.ca_file = spelt;
		ok &= try_new(o);
	}
	n = tls_ca_builds();
	CHECK("twelve more CA choices", ok && n > n0 + 4);
	CHECK("past the bound: a client's own store each time", try_new(o) && tls_ca_builds() == n + 1);
	o.ca_file = file;
	CHECK("the kept stores are still shared", try_new(o) && tls_ca_builds() == n + 1);
	snprintf(spelt, sizeof(spelt), "rm -rf %s", dir);
	if (system(spelt) != 0)
		printf("SKIP cleanup of %s\n", dir);
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
	one_store();
	zero_value();
	return t_done();
}
