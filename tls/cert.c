/* cert.c - bounded PEM (RFC 7468), base64 (RFC 4648) and X.509 DER field readers (RFC 5280,
 * X.690 DER, names as RFC 4514 strings); see cert.h */
#include "cert.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "../lib/util.h"

#define DN_MAX_RDNS 64	/* more RDNs than this in one name are left out of the string */

/* --- PEM and base64 ------------------------------------------------------------------- */

static const char *find(const char *p, const char *end, const char *s)
{
	return p < end ? memmem(p, (size_t)(end - p), s, strlen(s)) : NULL;
}

int cert_pem_next(const char **pos, const char *end, struct cert_pem *b)
{
	const char *p = *pos;

	for (;;) {
		const char *q = find(p, end, "-----BEGIN "), *lab, *eol, *e, *body;

		if (!q) {
			*pos = end;
			return 0;
		}
		lab = q + 11;
		eol = memchr(lab, '\n', (size_t)(end - lab));
		if (!eol)
			eol = end;
		e = find(lab, eol, "-----");
		if (!e || e == lab || e - lab > 64) {
			p = lab;	/* not a BEGIN line after all */
			continue;
		}
		b->label = lab;
		b->label_len = (size_t)(e - lab);
		body = eol < end ? eol + 1 : end;
		/* the END line must name the same label */
		for (q = body;; q += 9) {
			q = find(q, end, "-----END ");
			if (!q) {
				*pos = end;
				return -1;
			}
			if ((size_t)(end - q) >= 9 + b->label_len + 5 &&
			    !memcmp(q + 9, lab, b->label_len) && !memcmp(q + 9 + b->label_len, "-----", 5))
				break;
		}
		b->body = body;
		b->body_len = (size_t)(q - body);
		eol = memchr(body, '\n', b->body_len);
		b->headers = memchr(body, ':', eol ? (size_t)(eol - body) : b->body_len) != NULL;
		*pos = q + 9 + b->label_len + 5;
		return 1;
	}
}

int cert_pem_is(const struct cert_pem *b, const char *s)
{
	return strlen(s) == b->label_len && !memcmp(b->label, s, b->label_len);
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long cert_b64_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned n = 0, pad = 0;
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			if (++pad > 2)
				return -1;
			continue;
		}
		v = b64_value(c);
		if (v < 0 || pad)	/* not base64, or data after the padding */
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if (++n == 4) {
			if (cap - o < 3)
				return -1;
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
			n = 0;
		}
	}
	if ((pad && n + pad != 4) || n == 1)
		return -1;
	if (n >= 2) {
		if (cap - o < n - 1)
			return -1;
		out[o++] = (unsigned char)(acc >> (n == 2 ? 4 : 10));
		if (n == 3)
			out[o++] = (unsigned char)(acc >> 2);
	}
	return (long)o;
}

/* --- DER ------------------------------------------------------------------------------ */

struct der {
	const unsigned char *p, *end;
};

static struct der der_of(struct cert_span s)
{
	struct der d = { s.p, s.p + s.len };
	return d;
}

/* one TLV with a low tag number and a definite length: 0, or -1 when malformed */
static int der_next(struct der *d, unsigned *tag, struct cert_span *v)
{
	size_t len, n;

	if (d->end - d->p < 2)
		return -1;
	*tag = *d->p++;
	if ((*tag & 0x1f) == 0x1f)
		return -1;
	len = *d->p++;
	if (len & 0x80) {
		n = len & 0x7f;
		if (n == 0 || n > 3 || (size_t)(d->end - d->p) < n)
			return -1;	/* indefinite, or longer than any certificate we take */
		for (len = 0; n; n--)
			len = len << 8 | *d->p++;
	}
	if (len > (size_t)(d->end - d->p))
		return -1;
	v->p = d->p;
	v->len = len;
	d->p += len;
	return 0;
}

static int der_expect(struct der *d, unsigned tag, struct cert_span *v)
{
	unsigned t;
	return der_next(d, &t, v) == 0 && t == tag ? 0 : -1;
}

/* a Name: its contents, and the whole TLV as encoded */
static int der_name(struct der *d, struct cert_span *contents, struct cert_span *whole)
{
	whole->p = d->p;
	if (der_expect(d, 0x30, contents) < 0)
		return -1;
	whole->len = (size_t)(d->p - whole->p);
	return 0;
}

long cert_days_from_civil(long y, int m, int d)
{
	long era, yoe, doy;

	/* count years from March so the leap day is the year's last */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int digits(const unsigned char *p, int n)
{
	int v = 0;

	while (n--) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5) */
static int der_time(unsigned tag, struct cert_span v, time_t *t)
{
	const unsigned char *p = v.p;
	int y, mo, d, h, mi, s;

	if (tag == 0x17 && v.len == 13) {
		y = digits(p, 2);
		y += y < 50 ? 2000 : 1900;
		p += 2;
	} else if (tag == 0x18 && v.len == 15) {
		y = digits(p, 4);
		p += 4;
	} else {
		return -1;
	}
	mo = digits(p, 2);
	d = digits(p + 2, 2);
	h = digits(p + 4, 2);
	mi = digits(p + 6, 2);
	s = digits(p + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60 || p[10] != 'Z')
		return -1;
	*t = (time_t)((int64_t)cert_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s);
	return 0;
}

int cert_parse(const unsigned char *der, size_t len, struct cert_info *ci)
{
	static const unsigned char oid_san[] = { 0x55, 0x1d, 0x11 };
	struct der d = { der, der + len }, in;
	struct cert_span v, w;
	unsigned tag;

	memset(ci, 0, sizeof(*ci));
	if (der_expect(&d, 0x30, &v) < 0)
		return -1;
	ci->len = (size_t)(v.p + v.len - der);
	d = der_of(v);
	if (der_expect(&d, 0x30, &v) < 0)	/* tbsCertificate */
		return -1;
	d = der_of(v);
	if (der_next(&d, &tag, &v) < 0)
		return -1;
	if (tag == 0xa0 && der_next(&d, &tag, &v) < 0)	/* [0] version */
		return -1;
	if (tag != 0x02)
		return -1;
	ci->serial = v;
	if (der_expect(&d, 0x30, &v) < 0 || der_name(&d, &ci->issuer, &ci->issuer_der) < 0 ||
	    der_expect(&d, 0x30, &v) < 0)
		return -1;
	in = der_of(v);		/* validity */
	if (der_next(&in, &tag, &w) < 0 || der_time(tag, w, &ci->not_before) < 0 ||
	    der_next(&in, &tag, &w) < 0 || der_time(tag, w, &ci->not_after) < 0)
		return -1;
	if (der_name(&d, &ci->subject, &ci->subject_der) < 0 || der_expect(&d, 0x30, &v) < 0)
		return -1;
	while (d.p < d.end) {	/* [1] [2] unique ids, [3] extensions */
		if (der_next(&d, &tag, &v) < 0)
			return -1;
		if (tag != 0xa3)
			continue;
		in = der_of(v);
		if (der_expect(&in, 0x30, &v) < 0)
			return -1;
		in = der_of(v);
		while (in.p < in.end) {
			struct der e;
			struct cert_span oid;

			if (der_expect(&in, 0x30, &v) < 0)
				return -1;
			e = der_of(v);
			if (der_expect(&e, 0x06, &oid) < 0 || der_next(&e, &tag, &w) < 0)
				return -1;
			if (tag == 0x01 && der_next(&e, &tag, &w) < 0)	/* critical */
				return -1;
			if (tag != 0x04)
				return -1;
			if (oid.len == sizeof(oid_san) && !memcmp(oid.p, oid_san, sizeof(oid_san))) {
				struct der s = der_of(w);
				if (der_expect(&s, 0x30, &ci->san) < 0)
					return -1;
			}
		}
	}
	return 0;
}

/* --- names ---------------------------------------------------------------------------- */

static const struct {
	unsigned char len;
	unsigned char oid[10];
	const char *name;
} attr_names[] = {
	{ 3, { 0x55, 0x04, 0x03 }, "CN" },
	{ 3, { 0x55, 0x04, 0x06 }, "C" },
	{ 3, { 0x55, 0x04, 0x07 }, "L" },
	{ 3, { 0x55, 0x04, 0x08 }, "ST" },
	{ 3, { 0x55, 0x04, 0x0a }, "O" },
	{ 3, { 0x55, 0x04, 0x0b }, "OU" },
	{ 3, { 0x55, 0x04, 0x05 }, "serialNumber" },
	{ 3, { 0x55, 0x04, 0x09 }, "street" },
	{ 3, { 0x55, 0x04, 0x0c }, "title" },
	{ 3, { 0x55, 0x04, 0x04 }, "SN" },
	{ 3, { 0x55, 0x04, 0x2a }, "GN" },
	{ 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "emailAddress" },
	{ 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 }, "DC" },
	{ 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 }, "UID" },
};

static void put_oid(struct sbuf *b, struct cert_span oid)
{
	unsigned long v = 0;
	size_t i;
	int first = 1;

	for (i = 0; i < oid.len; i++) {
		if (v > (~0ul >> 8)) {
			sbuf_add(b, "?", 1);
			return;
		}
		v = v << 7 | (oid.p[i] & 0x7f);
		if (oid.p[i] & 0x80)
			continue;
		if (first) {
			unsigned long top = v < 40 ? 0 : v < 80 ? 1 : 2;
			sbuf_printf(b, "%lu.%lu", top, v - top * 40);
			first = 0;
		} else {
			sbuf_printf(b, ".%lu", v);
		}
		v = 0;
	}
}

static void put_utf8(struct sbuf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else if (c < 0x110000) {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	} else {
		u[0] = '?';
		n = 1;
	}
	sbuf_add(b, u, n);
}

/* an attribute value as RFC 4514 text; esc=0 for bare values (CN, SANs) */
static void put_value(struct sbuf *b, unsigned tag, struct cert_span v, int esc)
{
	size_t i, w = tag == 0x1e ? 2 : tag == 0x1c ? 4 : 1;

	if (tag != 0x0c && tag != 0x13 && tag != 0x16 && tag != 0x14 && tag != 0x12 &&
	    tag != 0x1a && tag != 0x1e && tag != 0x1c) {
		sbuf_add(b, "#", 1);	/* not a string: hex of the value */
		for (i = 0; i < v.len; i++)
			sbuf_printf(b, "%02X", v.p[i]);
		return;
	}
	for (i = 0; i + w <= v.len; i += w) {
		uint32_t c = v.p[i];

		if (w == 2)
			c = c << 8 | v.p[i + 1];
		else if (w == 4)
			c = (uint32_t)v.p[i] << 24 | (uint32_t)v.p[i + 1] << 16 | v.p[i + 2] << 8 | v.p[i + 3];
		if (c < 0x20 || c == 0x7f) {
			if (esc)
				sbuf_printf(b, "\\%02X", (unsigned)c);
			else
				sbuf_add(b, "?", 1);
			continue;
		}
		if (esc && ((c < 0x80 && strchr(",+\"\\<>;", (int)c)) || (i == 0 && (c == '#' || c == ' ')) ||
			    (i + w == v.len && c == ' ')))
			sbuf_add(b, "\\", 1);
		if (w == 1)
			sbuf_add(b, (const char *)&v.p[i], 1);	/* UTF-8 and Latin bytes pass */
		else
			put_utf8(b, c);
	}
}

/* each AttributeTypeAndValue of one RDN (a SET): fn(ctx, oid, tag, value) */
static int rdn_each(struct cert_span rdn, void (*fn)(void *, struct cert_span, unsigned,
						      struct cert_span, int), void *ctx)
{
	struct der d = der_of(rdn);
	int first = 1;

	while (d.p < d.end) {
		struct cert_span ava, oid, val;
		struct der a;
		unsigned tag;

		if (der_expect(&d, 0x30, &ava) < 0)
			return -1;
		a = der_of(ava);
		if (der_expect(&a, 0x06, &oid) < 0 || der_next(&a, &tag, &val) < 0)
			return -1;
		fn(ctx, oid, tag, val, first);
		first = 0;
	}
	return 0;
}

static void put_ava(void *ctx, struct cert_span oid, unsigned tag, struct cert_span val, int first)
{
	struct sbuf *b = ctx;
	size_t i;

	if (!first)
		sbuf_add(b, "+", 1);
	for (i = 0; i < ARRAY_LEN(attr_names); i++)
		if (oid.len == attr_names[i].len && !memcmp(oid.p, attr_names[i].oid, oid.len))
			break;
	if (i < ARRAY_LEN(attr_names))
		sbuf_add(b, attr_names[i].name, strlen(attr_names[i].name));
	else
		put_oid(b, oid);
	sbuf_add(b, "=", 1);
	put_value(b, tag, val, 1);
}

void cert_dn_string(struct cert_span name, char *out, size_t cap)
{
	struct cert_span rdn[DN_MAX_RDNS];
	struct der d = der_of(name);
	struct sbuf b;
	size_t n = 0;

	sbuf_init(&b, out, cap);
	while (d.p < d.end && n < DN_MAX_RDNS)
		if (der_expect(&d, 0x31, &rdn[n++]) < 0)
			return;
	while (n--) {
		if (b.len)
			sbuf_add(&b, ", ", 2);
		if (rdn_each(rdn[n], put_ava, &b) < 0)
			return;
	}
}

static void cn_ava(void *ctx, struct cert_span oid, unsigned tag, struct cert_span val, int first)
{
	struct sbuf *b = ctx;

	(void)first;
	if (oid.len == 3 && !memcmp(oid.p, attr_names[0].oid, 3)) {
		sbuf_init(b, b->p, b->cap);	/* the last one wins: the most specific */
		put_value(b, tag, val, 0);
	}
}

void cert_dn_cn(struct cert_span name, char *out, size_t cap)
{
	struct der d = der_of(name);
	struct sbuf b;
	struct cert_span rdn;

	sbuf_init(&b, out, cap);
	while (d.p < d.end)
		if (der_expect(&d, 0x31, &rdn) < 0 || rdn_each(rdn, cn_ava, &b) < 0)
			return;
}

/* --- subjectAltName ------------------------------------------------------------------- */

void cert_san_string(struct cert_span san, char *out, size_t cap)
{
	struct der d = der_of(san);
	struct sbuf b;

	sbuf_init(&b, out, cap);
	while (d.p < d.end) {
		struct cert_span v;
		unsigned tag;
		char ip[INET6_ADDRSTRLEN];
		const char *kind;

		if (der_next(&d, &tag, &v) < 0)
			return;
		switch (tag) {
		case 0x81: kind = "email:"; break;
		case 0x82: kind = "DNS:"; break;
		case 0x86: kind = "URI:"; break;
		case 0x87: kind = "IP:"; break;
		default: continue;	/* otherName, directoryName, ... */
		}
		if (b.len)
			sbuf_add(&b, ", ", 2);
		sbuf_add(&b, kind, strlen(kind));
		if (tag != 0x87)
			put_value(&b, 0x16, v, 0);
		else if ((v.len == 4 || v.len == 16) &&
			 inet_ntop(v.len == 4 ? AF_INET : AF_INET6, v.p, ip, sizeof(ip)))
			sbuf_add(&b, ip, strlen(ip));
		else
			sbuf_add(&b, "?", 1);
	}
}

int cert_san_has_ip(struct cert_span san, const char *ip)
{
	unsigned char a[16];
	size_t alen;
	struct der d = der_of(san);

	if (inet_pton(AF_INET, ip, a) == 1)
		alen = 4;
	else if (inet_pton(AF_INET6, ip, a) == 1)
		alen = 16;
	else
		return 0;
	while (d.p < d.end) {
		struct cert_span v;
		unsigned tag;

		if (der_next(&d, &tag, &v) < 0)
			return 0;
		if (tag == 0x87 && v.len == alen && !memcmp(v.p, a, alen))
			return 1;
	}
	return 0;
}

void cert_serial_hex(struct cert_span s, char *out, size_t cap)
{
	struct sbuf b;
	size_t i = 0;

	sbuf_init(&b, out, cap);
	if (s.len > 1 && s.p[0] == 0 && (s.p[1] & 0x80))
		i = 1;
	for (; i < s.len; i++)
		sbuf_printf(&b, "%02X", s.p[i]);
}
