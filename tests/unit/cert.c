/* cert.c - unit tests of tls/cert.c: base64 (RFC 4648 section 10 vectors), PEM blocks
 * (RFC 7468), certificate fields, RFC 4514 names, SAN strings and the IP SAN check */
#include <stdlib.h>
#include <string.h>

#include "../../tls/cert.h"
#include "t.h"

/* self-signed P-256, serial 0xC0FFEE01, subject C=DE, O="Probe, Inc.", OU=R+D,
 * CN=test.example, UTCTime notBefore 2026-11-21 16:57:30, GeneralizedTime notAfter
 * 2126-10-28 16:57:30, SAN DNS x2, IPv4, IPv6, email, URI */
static const char pem[] =
	"junk before\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIICQjCCAeigAwIBAgIFAMD/7gEwCgYIKoZIzj0EAwIwSDELMAkGA1UEBhMCREUx\n"
	"FDASBgNVBAoMC1Byb2JlLCBJbmMuMQwwCgYDVQQLDANSK0QxFTATBgNVBAMMDHRl\n"
	"c3QuZXhhbXBsZTAgFw0yNjExMjExNjU3MzBaGA8yMTI2MTAyODE2NTczMFowSDEL\n"
	"MAkGA1UEBhMCREUxFDASBgNVBAoMC1Byb2JlLCBJbmMuMQwwCgYDVQQLDANSK0Qx\n"
	"FTATBgNVBAMMDHRlc3QuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n"
	"BAi2WTIOOdcmQzwJpHelTgkEr6FIkdyXo8qtvenEewpdtlLRCLRmy6t3nEy26Xw3\n"
	"TUFMmW5V7Kf2F+C/5+xR4DGjgbwwgbkwHQYDVR0OBBYEFL28cB2Du+0ZOe7sZ65w\n"
	"pYLZO/JlMB8GA1UdIwQYMBaAFL28cB2Du+0ZOe7sZ65wpYLZO/JlMA8GA1UdEwEB\n"
	"/wQFMAMBAf8wZgYDVR0RBF8wXYIMdGVzdC5leGFtcGxlgg4qLnRlc3QuZXhhbXBs\n"
	"ZYcEwAACB4cQIAENuAAAAAAAAAAAAAAAAYEOYUB0ZXN0LmV4YW1wbGWGFWh0dHBz\n"
	"Oi8vdGVzdC5leGFtcGxlLzAKBggqhkjOPQQDAgNIADBFAiB5/p7PDAnVYUjKfFEW\n"
	"TnCw9pcWjCGCqEOCFmkBFR0p8AIhANx/ZIxKcEiqEHy8LwxLF2awWBuPfeWE2waT\n"
	"aQZGuF0X\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN NOTHING\n"	/* not a BEGIN line: skipped */
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"Proc-Type: 4,ENCRYPTED\n"
	"DEK-Info: AES-128-CBC,00\n\n"
	"AAAA\n"
	"-----END RSA PRIVATE KEY-----\n";

static const char *b64(const char *in)
{
	static char out[64];
	long n = cert_b64_decode(in, strlen(in), (unsigned char *)out, sizeof(out) - 1);
	if (n < 0)
		return "(error)";
	out[n] = 0;
	return out;
}

int main(void)
{
	const char *p = pem, *end = pem + sizeof(pem) - 1;
	struct cert_pem b;
	struct cert_info ci;
	unsigned char der[2048], small[4];
	char s[512];
	long n;

	/* RFC 4648 section 10 */
	CHECK_STR("b64 empty", b64(""), "");
	CHECK_STR("b64 f", b64("Zg=="), "f");
	CHECK_STR("b64 fo", b64("Zm8="), "fo");
	CHECK_STR("b64 foo", b64("Zm9v"), "foo");
	CHECK_STR("b64 foob", b64("Zm9vYg=="), "foob");
	CHECK_STR("b64 fooba", b64("Zm9vYmE="), "fooba");
	CHECK_STR("b64 foobar", b64("Zm9vYmFy"), "foobar");
	CHECK_STR("b64 whitespace and line breaks", b64(" Zm9v\r\nYmFy\n"), "foobar");
	CHECK_STR("b64 unpadded tail", b64("Zm9vYg"), "foob");
	CHECK_STR("b64 bad character", b64("Zm9v!mFy"), "(error)");
	CHECK_STR("b64 data after padding", b64("Zg==Zm9v"), "(error)");
	CHECK_STR("b64 too much padding", b64("Zg==="), "(error)");
	CHECK_STR("b64 wrong padding", b64("Zm9=v"), "(error)");
	CHECK_STR("b64 one dangling character", b64("Zm9vY"), "(error)");
	CHECK("b64 output bound", cert_b64_decode("Zm9vYmFy", 8, small, sizeof(small)) == -1);

	CHECK("pem finds the certificate", cert_pem_next(&p, end, &b) == 1);
	CHECK("pem label", cert_pem_is(&b, "CERTIFICATE") && !cert_pem_is(&b, "CERTIFICAT"));
	CHECK("pem no headers", !b.headers);
	n = cert_b64_decode(b.body, b.body_len, der, sizeof(der));
	CHECK("pem body decodes", n == 582);
	CHECK("pem skips a false BEGIN and flags headers",
	      cert_pem_next(&p, end, &b) == 1 && cert_pem_is(&b, "RSA PRIVATE KEY") && b.headers);
	CHECK("pem end of text", cert_pem_next(&p, end, &b) == 0 && p == end);
	p = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END X-----\n";
	CHECK("pem without its END line", cert_pem_next(&p, p + strlen(p), &b) == -1);

	CHECK("parse", n > 0 && cert_parse(der, (size_t)n, &ci) == 0);
	cert_serial_hex(ci.serial, s, sizeof(s));
	CHECK_STR("serial without sign byte", s, "C0FFEE01");
	CHECK("certificate length", ci.len == 582);
	CHECK("subject as a whole TLV", ci.subject_der.len == 2 + 0x48 && ci.subject_der.p[0] == 0x30 &&
	      ci.subject_der.p[1] == 0x48 && ci.subject_der.p + 2 == ci.subject.p);
	CHECK("issuer TLV equals subject TLV (self-signed)", ci.issuer_der.len == ci.subject_der.len &&
	      !memcmp(ci.issuer_der.p, ci.subject_der.p, ci.subject_der.len) &&
	      ci.issuer_der.p < ci.subject_der.p);
	der[n] = 0x55;	/* input after the certificate is not read into it */
	CHECK("trailing bytes", cert_parse(der, (size_t)n + 1, &ci) == 0 && ci.len == 582);
	cert_parse(der, (size_t)n, &ci);
	cert_dn_string(ci.subject, s, sizeof(s));
	CHECK_STR("subject, RFC 4514", s, "CN=test.example, OU=R\\+D, O=Probe\\, Inc., C=DE");
	cert_dn_string(ci.issuer, s, 12);
	CHECK_STR("DN truncated, terminated", s, "CN=test.exa");
	cert_dn_cn(ci.issuer, s, sizeof(s));
	CHECK_STR("issuer CN", s, "test.example");
	CHECK("notBefore (UTCTime)", ci.not_before == 1795280250);
	CHECK("notAfter (GeneralizedTime)", ci.not_after == 4948880250);
	cert_san_string(ci.san, s, sizeof(s));
	CHECK_STR("SAN string", s, "DNS:test.example, DNS:*.test.example, IP:192.0.2.7, "
		  "IP:2001:db8::1, email:a@test.example, URI:https://test.example/");
	CHECK("IP SAN v4", cert_san_has_ip(ci.san, "192.0.2.7"));
	CHECK("IP SAN v6", cert_san_has_ip(ci.san, "2001:db8:0::1"));
	CHECK("IP SAN mismatch", !cert_san_has_ip(ci.san, "192.0.2.8"));
	CHECK("IP SAN v4 is not v4-mapped v6", !cert_san_has_ip(ci.san, "::ffff:192.0.2.7"));
	CHECK("IP SAN: a name is no IP", !cert_san_has_ip(ci.san, "test.example"));
	CHECK("truncated DER", cert_parse(der, (size_t)n - 1, &ci) == -1);
	der[1] = 0x80;	/* indefinite length */
	CHECK("indefinite length", cert_parse(der, (size_t)n, &ci) == -1);
	CHECK("empty input", cert_parse(der, 0, &ci) == -1);
	CHECK("civil days", cert_days_from_civil(1970, 1, 1) == 0 &&
	      cert_days_from_civil(2000, 3, 1) == 11017 && cert_days_from_civil(0, 1, 1) == -719528);
	return t_done();
}
