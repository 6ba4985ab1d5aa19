/* cert.c - fuzz target: tls/cert.c's PEM scanner, base64 decoder and X.509 field readers,
 * on the input as PEM text and as raw DER */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tls/cert.h"

static void fields(const unsigned char *der, size_t len)
{
	struct cert_info ci;
	char s[256];

	if (cert_parse(der, len, &ci) < 0)
		return;
	/* the Name TLVs hold their contents and lie inside the certificate */
	if (ci.len > len || ci.subject_der.p + ci.subject_der.len != ci.subject.p + ci.subject.len ||
	    ci.issuer_der.p + ci.issuer_der.len != ci.issuer.p + ci.issuer.len ||
	    ci.subject_der.p < der || ci.subject_der.p + ci.subject_der.len > der + ci.len)
		abort();
	cert_dn_string(ci.subject, s, sizeof(s));
	cert_dn_string(ci.issuer, s, 7);
	cert_dn_cn(ci.subject, s, sizeof(s));
	cert_dn_cn(ci.issuer, s, 3);
	cert_san_string(ci.san, s, sizeof(s));
	cert_san_string(ci.san, s, 1);
	cert_serial_hex(ci.serial, s, sizeof(s));
	cert_san_has_ip(ci.san, "127.0.0.1");
	cert_san_has_ip(ci.san, "::1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text, *p, *end;
	struct cert_pem b;
	unsigned char *der;

	if (size > (1u << 20))
		return 0;
	fields(data, size);
	/* a copy of exactly size bytes, so ASan sees any read past the end */
	text = p = memcpy(malloc(size ? size : 1), data, size);
	end = text + size;
	while (cert_pem_next(&p, end, &b) > 0) {
		size_t cap = b.body_len / 4 * 3 + 3;
		long n;

		der = malloc(cap);
		n = cert_b64_decode(b.body, b.body_len, der, cap);
		if (n >= 0) {
			fields(der, (size_t)n);
			cert_b64_decode(b.body, b.body_len, der, (size_t)n / 2);	/* too small */
		}
		free(der);
	}
	free((void *)text);
	return 0;
}
