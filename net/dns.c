/* dns.c - the DNS message codec of dns.h: RFC 1035 queries and replies, RFC 3596 AAAA,
 * RFC 2782 SRV, RFC 3597 for the rest; answers in presentation format (RFC 1035 5.1, as dig
 * and Go's miekg/dns print them). Pure functions over buffers: no socket, no allocation.
 */
//kbuild:obj-$(CONFIG_DNS) += dns.o
//config:config DNS
//config:	bool
//config:	help
//config:	  The DNS message codec of the dns probe: one query, the reply's header,
//config:	  question check and answers, every name read within strict bounds.
#include "dns.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/util.h"

struct code {
	unsigned short code;
	char name[6];
};

static const struct code types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" }, { 15, "MX" },
	{ 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" },
};
static const struct code classes[] = {
	{ 1, "IN" }, { 2, "CS" }, { 3, "CH" }, { 4, "HS" }, { 254, "NONE" }, { 255, "ANY" },
};
static const char rcodes[][9] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
	"NXRRSET", "NOTAUTH", "NOTZONE",
};

static int code_of(const struct code *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(t[i].name, name))
			return t[i].code;
	return -1;
}

static const char *name_of(const struct code *t, size_t n, unsigned code, const char *pfx,
			   char buf[16])
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	snprintf(buf, 16, "%s%u", pfx, code);
	return buf;
}

int dns_type(const char *name)
{
	return code_of(types, ARRAY_LEN(types), name);
}

int dns_class(const char *name)
{
	return code_of(classes, ARRAY_LEN(classes), name);
}

const char *dns_type_name(unsigned type, char buf[16])
{
	return name_of(types, ARRAY_LEN(types), type, "TYPE", buf);
}

const char *dns_class_name(unsigned class, char buf[16])
{
	return name_of(classes, ARRAY_LEN(classes), class, "CLASS", buf);
}

const char *dns_rcode_name(unsigned rcode, char buf[16])
{
	if (rcode < ARRAY_LEN(rcodes))
		return rcodes[rcode];
	snprintf(buf, 16, "RCODE%u", rcode);
	return buf;
}

void dns_flags_text(unsigned flags, char buf[32])
{
	static const char names[][3] = { "qr", "", "", "", "", "aa", "tc", "rd", "ra", "z", "ad",
					 "cd" };
	size_t n = 0;

	for (unsigned i = 0; i < ARRAY_LEN(names); i++)
		if (names[i][0] && (flags & (0x8000u >> i))) {
			if (n)
				buf[n++] = ' ';
			memcpy(buf + n, names[i], 2);
			n += 2;
		}
	buf[n] = 0;
}

size_t dns_query(unsigned char *b, const char *name, unsigned id, int rd, unsigned type,
		 unsigned class)
{
	size_t lab = 12, n = 13;	/* lab: the length byte of the label being written */

	memset(b, 0, 12);
	b[0] = (unsigned char)(id >> 8);
	b[1] = (unsigned char)id;
	b[2] = rd ? 1 : 0;
	b[5] = 1;
	if (!strcmp(name, "."))
		name = "";
	for (const char *s = name; *s; s++) {
		unsigned c = (unsigned char)*s;
		if (c == '.') {
			if (n == lab + 1)
				return 0;	/* an empty label */
			b[lab] = (unsigned char)(n - lab - 1);
			lab = n++;
			continue;
		}
		if (c == '\\') {
			if (s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
			    s[3] >= '0' && s[3] <= '9') {
				c = (unsigned)(s[1] - '0') * 100 + (unsigned)(s[2] - '0') * 10 +
				    (unsigned)(s[3] - '0');
				s += 3;
				if (c > 255)
					return 0;
			} else if (!(c = (unsigned char)*++s)) {
				return 0;
			}
		}
		if (n - lab > 63 || n >= 12 + 254)
			return 0;
		b[n++] = (unsigned char)c;
	}
	if (n > lab + 1) {
		b[lab] = (unsigned char)(n - lab - 1);
		lab = n++;
	}
	b[lab] = 0;
	b[n++] = (unsigned char)(type >> 8);
	b[n++] = (unsigned char)type;
	b[n++] = (unsigned char)(class >> 8);
	b[n++] = (unsigned char)class;
	return n;
}

/* --- the reply ------------------------------------------------------------------------------ */

/* the answers' text: bounded, and overflowing it fails the parse */
struct out {
	char *p;
	size_t len, cap;
	int over;
};

static void put(struct out *w, const char *s, size_t n)
{
	if (n >= w->cap - w->len) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void put_s(struct out *w, const char *s)
{
	put(w, s, strlen(s));
}

static void put_u(struct out *w, unsigned long v)
{
	char b[20], *p = b + sizeof(b);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	put(w, p, (size_t)(b + sizeof(b) - p));
}

/* one byte of a name or a TXT string as its text: \DDD for what is not printable, a
 * backslash before the characters special there */
static void put_byte(struct out *w, unsigned char c, const char *special)
{
	if (c < 0x20 || c > 0x7e) {
		char d[4] = { '\\', (char)('0' + c / 100), (char)('0' + c / 10 % 10),
			      (char)('0' + c % 10) };
		put(w, d, 4);
		return;
	}
	if (strchr(special, c))
		put(w, "\\", 1);
	put(w, (const char *)&c, 1);
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* the name at *off, whose bytes in place must end by lim, as text; *off moves past them.
 * Each compression pointer must point before the part of the name that led to it: the
 * parts then only move back, so there is no loop and no forward reference. */
static const char *get_name(const unsigned char *m, size_t len, size_t *off, size_t lim,
			    struct out *w)
{
	size_t p = *off, start = p, wire = 0;
	int jumped = 0;

	for (;;) {
		unsigned c;
		if (p >= lim)
			return "a name runs past its end";
		c = m[p];
		if ((c & 0xc0) == 0xc0) {
			size_t t;
			if (p + 1 >= lim)
				return "a name runs past its end";
			t = (c & 0x3f) << 8 | m[p + 1];
			if (!jumped)
				*off = p + 2;
			if (t >= start)
				return "a compression pointer points forward";
			start = p = t;
			lim = len;
			jumped = 1;
			continue;
		}
		if (c > 63)
			return "a label longer than 63 bytes";
		if ((wire += c + 1) > 255)
			return "a name longer than 255 bytes";
		if (!c)
			break;
		if (c >= lim - p)
			return "a name runs past its end";
		for (unsigned i = 1; i <= c; i++)
			put_byte(w, m[p + i], ". '@;()\"\\");
		put(w, ".", 1);
		p += 1 + c;
	}
	if (!jumped)
		*off = p + 1;
	if (wire == 1)
		put(w, ".", 1);
	return NULL;
}

/* how each of types[] reads (RFC 1035 3.3, RFC 3596, RFC 2782): fields separated by a space;
 * a: an IPv4 address, 6: an IPv6 one, n: a name, 2 and 4: numbers of so many bytes, t: the
 * rest as quoted character-strings */
static const char formats[][8] = { "a", "n", "n", "nn44444", "n", "2n", "t", "6", "222n" };

/* the record data from *off to end as text; *off moves past what was read (the caller
 * checks that it reached end) */
static const char *get_data(const unsigned char *m, size_t len, size_t *off, size_t end,
			    unsigned type, struct out *w)
{
	const char *f = NULL, *why = NULL;
	char a[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (types[i].code == type)
			f = formats[i];
	if (!f) {	/* RFC 3597: \# LENGTH HEX */
		put(w, "\\# ", 3);
		put_u(w, end - *off);
		put(w, " ", 1);
		for (; *off < end; ++*off) {
			char h[2] = { "0123456789abcdef"[m[*off] >> 4], "0123456789abcdef"[m[*off] & 15] };
			put(w, h, 2);
		}
		return NULL;
	}
	for (const char *c = f; *c && !why; c++) {
		size_t n = end - *off, k = *c == 'a' || *c == '4' ? 4 : *c == '6' ? 16 : 2;
		if (c != f)
			put(w, " ", 1);
		if (*c == 'n') {
			why = get_name(m, len, off, end, w);
		} else if (*c == 't') {
			for (int first = 1; *off < end; first = 0) {
				unsigned l = m[*off];
				if (l >= end - *off) {
					why = "a TXT string runs past its record";
					break;
				}
				put(w, &" \""[first], 2 - (size_t)first);
				for (unsigned i = 1; i <= l; i++)
					put_byte(w, m[*off + i], "\"\\");
				put(w, "\"", 1);
				*off += 1 + l;
			}
		} else if (n < k || ((*c == 'a' || *c == '6') && n != k)) {
			why = "a record of the wrong length for its type";
		} else if (*c == 'a' || *c == '6') {
			put_s(w, inet_ntop(*c == 'a' ? AF_INET : AF_INET6, m + *off, a, sizeof(a)));
			*off += k;
		} else {
			put_u(w, k == 4 ? (unsigned long)get16(m + *off) << 16 | get16(m + *off + 2) :
			      get16(m + *off));
			*off += k;
		}
	}
	return why;
}

/* the question sections: the name without case, type and class exactly */
static int same_question(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned x = a[i], y = b[i];
		if (i + 4 < n && x - 'A' < 26)
			x += 32;
		if (i + 4 < n && y - 'A' < 26)
			y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

int dns_parse(const unsigned char *m, size_t len, const unsigned char *q, size_t qlen,
	      struct dns_reply *r, char *err, size_t errlen)
{
	struct out w = { r->text, 0, sizeof(r->text), 0 };
	const char *why = NULL;
	size_t off = qlen, i;
	char cb[16], tb[16];

	r->n = 0;
	if (len < 12)
		why = "shorter than a header";
	else if ((r->id = (uint16_t)get16(m)) != get16(q))
		why = "another id";
	else if (((r->flags = (uint16_t)get16(m + 2)) & 0xf800) != DNS_QR)
		why = "not a response to a query";
	else if ((r->an = (uint16_t)get16(m + 6), get16(m + 4) == 1) ? len < qlen ||
		 !same_question(m + 12, q + 12, qlen - 12) : get16(m + 4) || !(r->flags & 15))
		why = "another question";
	if (why) {
		str_copy(err, errlen, why);
		return DNS_NOT_OURS;
	}
	if (!get16(m + 4))
		off = 12;
	if (r->flags & DNS_TC)
		return DNS_OURS;	/* what is there may be cut anywhere: ask over TCP */
	for (i = 0; i < r->an; i++) {
		struct dns_rr *rr = &r->rr[i];
		size_t end;
		int k;

		if (i == DNS_RR_MAX) {
			why = "too many (at most 64)";
			break;
		}
		rr->line = w.p + w.len;
		if ((why = get_name(m, len, &off, len, &w)))
			break;
		if (len - off < 10 || (end = off + 10 + get16(m + off + 8)) > len) {
			why = "it runs past the end";
			break;
		}
		rr->type = (uint16_t)get16(m + off);
		k = snprintf(w.p + w.len, w.cap - w.len, "\t%lu\t%s\t%s\t",
			     (unsigned long)get16(m + off + 4) << 16 | get16(m + off + 6),
			     dns_class_name(get16(m + off + 2), cb), dns_type_name(rr->type, tb));
		if ((size_t)k >= w.cap - w.len)
			w.over = 1;
		else
			w.len += (size_t)k;
		off += 10;
		rr->data = w.p + w.len;
		if (!(why = get_data(m, len, &off, end, rr->type, &w)) && off != end)
			why = "its data is shorter than its length";
		put(&w, "", 1);
		if (!why && w.over)
			why = "the answers are too long as text";
		if (why)
			break;
	}
	if (why) {
		snprintf(err, errlen, "answer %zu: %s", i + 1, why);
		return DNS_BAD;
	}
	r->n = i;
	return DNS_OURS;
}

int dns_expect(const char *const *ans, size_t n, const char *const *exp, size_t ne)
{
	size_t match = 0;

	if (!ne)
		return 0;
	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < n; j++) {
			const char *a = ans[j];
			size_t l = strlen(exp[i]);
			if (*a == '"')	/* TXT: the expected text in quotes */
				match += strlen(a) == l + 2 && !strncmp(a + 1, exp[i], l);
			else
				match += !strcmp(a, exp[i]);
		}
	if (match == n)
		return ne == n ? 0 : 1;
	return match ? 1 : 2;
}
