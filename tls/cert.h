/* cert.h - small, bounded readers of PEM blocks (RFC 7468), base64 (RFC 4648) and the X.509
 * certificate fields a probe reports (RFC 5280), for backends whose library does not give
 * them (tls_bearssl.c). Pure functions: no allocation, no I/O; every length is checked. */
#ifndef PB_CERT_H
#define PB_CERT_H

#include <stddef.h>
#include <time.h>

/* one PEM block, as spans into the caller's text */
struct cert_pem {
	const char *label;	/* "CERTIFICATE", "PRIVATE KEY", ... (not NUL-terminated) */
	size_t label_len;
	const char *body;	/* the base64 text between the BEGIN and END lines */
	size_t body_len;
	int headers;		/* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED"): not plain base64 */
};

/* the next PEM block in [*pos, end): 1 and *pos past its END line; 0 when there is none;
 * -1 when a BEGIN line has no matching END line (truncated or mixed up), *pos = end */
int cert_pem_next(const char **pos, const char *end, struct cert_pem *b);
/* 1 if the block's label is exactly s */
int cert_pem_is(const struct cert_pem *b, const char *s);

/* decode base64 (whitespace skipped, '=' padding only at the end, unpadded tails accepted)
 * into out; the decoded length, or -1 on a bad character or when it does not fit in cap.
 * len * 3 / 4 + 3 bytes always suffice. */
long cert_b64_decode(const char *in, size_t len, unsigned char *out, size_t cap);

struct cert_span {
	const unsigned char *p;
	size_t len;
};

/* the fields of a DER certificate; spans point into the DER given to cert_parse() */
struct cert_info {
	size_t len;			/* the certificate's DER length (anything after it is not read) */
	struct cert_span serial;	/* INTEGER contents */
	struct cert_span issuer, subject;	/* Name (SEQUENCE OF RDN) contents */
	/* the same Names as whole TLVs, exactly as encoded: what a chain builder compares
	 * byte for byte (mbedTLS's issuer_raw / subject_raw) */
	struct cert_span issuer_der, subject_der;
	struct cert_span san;		/* GeneralNames contents; len 0 when there is no SAN */
	time_t not_before, not_after;
};

/* 0 and ci filled, or -1 when der is not a certificate this reader understands */
int cert_parse(const unsigned char *der, size_t len, struct cert_info *ci);

/* "CN=localhost, O=probebox tests": RFC 4514 order (the last RDN first) and escaping */
void cert_dn_string(struct cert_span name, char *out, size_t cap);
/* the value of the name's most specific commonName, "" if none */
void cert_dn_cn(struct cert_span name, char *out, size_t cap);
/* "DNS:localhost, IP:127.0.0.1, IP:::1" (also email: and URI:) */
void cert_san_string(struct cert_span san, char *out, size_t cap);
/* 1 if san has an iPAddress equal to the IPv4/IPv6 literal ip; 0 otherwise */
int cert_san_has_ip(struct cert_span san, const char *ip);
/* upper-case hex, no colons, without DER's sign padding byte */
void cert_serial_hex(struct cert_span serial, char *out, size_t cap);

/* days since 1970-01-01 of a proleptic Gregorian date (negative before) */
long cert_days_from_civil(long y, int m, int d);

#endif
