/* tls.c - unit tests of the compiled-in TLS backend's configuration checks (tls.h): what
 * tls_new() refuses and how it says so, and the shared list splitter; no network */
#include <stdlib.h>

#include "../../tls/tls.h"
#include "t.h"

static char err[256];

/* tls_new() with verification off (no CA store needed); 1 if it succeeded */
static int try_new(struct tls_opts o)
{
	struct tls *t;

	err[0] = 0;
	t = tls_new(&o, err, sizeof(err));
	tls_free(t);
	return t != NULL;
}

int main(void)
{
	struct tls_opts o = { .host = "localhost" };
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
	o.verify = 1;
	o.ca_file = "/nonexistent/ca.crt";
	CHECK("a missing CA file fails", !try_new(o));
	CHECK("and names the file", strstr(err, "cannot read CA file /nonexistent/ca.crt") != NULL);

	CHECK("split", tls_split_list("h2,http/1.1", buf, sizeof(buf), names, 4) == 2 &&
	      !strcmp(names[0], "h2") && !strcmp(names[1], "http/1.1"));
	CHECK("split skips empty names", tls_split_list(",a,,b,", buf, sizeof(buf), names, 4) == 2);
	CHECK("split bounded by max", tls_split_list("a,b,c", buf, sizeof(buf), names, 2) == 2);
	CHECK("split: empty list", tls_split_list(",,", buf, sizeof(buf), names, 4) == 0);
	CHECK("split: too long for the buffer", tls_split_list("abcdefgh", buf, 8, names, 4) == 0);
	return t_done();
}
