/* dns.c - unit tests: the DNS codec (net/dns.h): queries, replies matched to them, every
 * record type as text, the bounds on names (compression pointers that loop or point forward,
 * labels, name length) and records, check-dns's rule for expected answers; the dns probe's
 * fields and target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/dns.h"
#include "../../net/probe.h"
#include "t.h"

/* a message under construction */
static unsigned char m[DNS_MSG_MAX];
static size_t mlen;

static void u8(unsigned v)
{
	m[mlen++] = (unsigned char)v;
}

static void u16(unsigned v)
{
	u8(v >> 8);
	u8(v & 255);
}

static void u32(uint32_t v)
{
	u16(v >> 16);
	u16(v & 0xffff);
}

static void bytes(const void *p, size_t n)
{
	memcpy(m + mlen, p, n);
	mlen += n;
}

/* a name in wire form from "a.test" (no escapes), uncompressed */
static void name(const char *s)
{
	while (*s) {
		size_t l = strcspn(s, ".");
		u8((unsigned)l);
		bytes(s, l);
		s += l + (s[l] == '.');
	}
	u8(0);
}

static unsigned char q[DNS_QUERY_MAX];
static size_t qlen;
static struct dns_reply rep;
static char err[200];

/* a reply to q: its header and question, with flags and an answer count */
static void reply(unsigned flags, unsigned an)
{
	memcpy(m, q, qlen);
	mlen = qlen;
	m[2] = (unsigned char)(flags >> 8);
	m[3] = (unsigned char)flags;
	m[6] = (unsigned char)(an >> 8);
	m[7] = (unsigned char)an;
}

/* an answer's owner (a pointer to the question), type, class, ttl and rdlength */
static void rr(unsigned type, unsigned class, uint32_t ttl, unsigned rdlen)
{
	u16(0xc00c);
	u16(type);
	u16(class);
	u32(ttl);
	u16(rdlen);
}

static int parse(void)
{
	return dns_parse(m, mlen, q, qlen, &rep, err, sizeof(err));
}

/* the reply of one answer of type with rdata p (n bytes): its data as text, or the error */
static const char *one(unsigned type, const void *p, size_t n)
{
	reply(0x8180, 1);
	rr(type, 1, 60, (unsigned)n);
	bytes(p, n);
	if (parse() != DNS_OURS)
		return err;
	return rep.n == 1 ? rep.rr[0].data : "(no answer)";
}

static void test_query(void)
{
	static const unsigned char want[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 4,
					      't', 'e', 's', 't', 0, 0, 15, 0, 1 };
	unsigned char b[DNS_QUERY_MAX];
	char n[300];

	CHECK("query: a.test MX", dns_query(b, "a.test", 0x1234, 1, 15, 1) == sizeof(want) &&
	      !memcmp(b, want, sizeof(want)));
	CHECK("query: the final dot is the same", dns_query(b, "a.test.", 0x1234, 1, 15, 1) ==
	      sizeof(want) && !memcmp(b, want, sizeof(want)));
	CHECK("query: --norec clears RD", dns_query(b, "a.test", 1, 0, 1, 1) && b[2] == 0);
	CHECK("query: the root", dns_query(b, ".", 1, 1, 2, 1) == 17 && b[12] == 0 && b[14] == 2);
	CHECK("query: an empty label", !dns_query(b, "a..test", 1, 1, 1, 1));
	CHECK("query: a leading dot", !dns_query(b, ".a", 1, 1, 1, 1));
	CHECK("query: \\. is in a label", dns_query(b, "a\\.b.test", 1, 1, 1, 1) == 26 &&
	      b[12] == 3 && !memcmp(b + 13, "a.b", 3));
	CHECK("query: \\DDD", dns_query(b, "\\065\\000", 1, 1, 1, 1) == 20 && b[12] == 2 &&
	      b[13] == 'A' && b[14] == 0);
	CHECK("query: \\256 is no byte", !dns_query(b, "\\256", 1, 1, 1, 1));
	CHECK("query: a trailing backslash", !dns_query(b, "a\\", 1, 1, 1, 1));
	memset(n, 'x', 63);
	n[63] = 0;
	CHECK("query: a label of 63 bytes", dns_query(b, n, 1, 1, 1, 1) == 12 + 65 + 4);
	n[63] = 'x';
	n[64] = 0;
	CHECK("query: a label of 64 bytes", !dns_query(b, n, 1, 1, 1, 1));
	/* 3 labels of 63 and one of 61: 4 * 64 - 2 + 1 = 255 bytes; one more is too long */
	memset(n, 'x', 255);
	n[63] = n[127] = n[191] = '.';
	n[253] = 0;
	CHECK("query: a name of 255 bytes", dns_query(b, n, 1, 1, 1, 1) == 12 + 255 + 4);
	n[253] = 'x';
	n[254] = 0;
	CHECK("query: a name of 256 bytes", !dns_query(b, n, 1, 1, 1, 1));
}

static void test_match(void)
{
	qlen = dns_query(q, "A.Test", 0xbeef, 1, 1, 1);
	reply(0x8180, 0);
	m[13] = 'a';		/* the server's case */
	CHECK("match: the name without case", parse() == DNS_OURS && rep.id == 0xbeef);
	reply(0x8180, 0);
	m[1] ^= 1;
	CHECK("match: another id", parse() == DNS_NOT_OURS && !strcmp(err, "another id"));
	reply(0x0180, 0);
	CHECK("match: not a response", parse() == DNS_NOT_OURS);
	reply(0x8980, 0);
	CHECK("match: another opcode", parse() == DNS_NOT_OURS);
	reply(0x8180, 0);
	m[qlen - 3] = 28;	/* AAAA */
	CHECK("match: another type", parse() == DNS_NOT_OURS && !strcmp(err, "another question"));
	reply(0x8180, 0);
	m[14] = 'x';
	CHECK("match: another name", parse() == DNS_NOT_OURS);
	reply(0x8180, 0);
	mlen = qlen - 1;
	CHECK("match: a question cut short", parse() == DNS_NOT_OURS);
	mlen = 11;
	CHECK("match: shorter than a header", parse() == DNS_NOT_OURS);
	reply(0x8181, 0);
	m[5] = 0;
	mlen = 12;
	CHECK("match: no question, FORMERR", parse() == DNS_OURS && (rep.flags & 15) == 1);
	reply(0x8180, 0);
	m[5] = 0;
	mlen = 12;
	CHECK("match: no question, NOERROR", parse() == DNS_NOT_OURS);
	reply(0x8380, 5);	/* TC: the answers may be cut anywhere */
	u8(0xc0);
	CHECK("match: TC reads no answers", parse() == DNS_OURS && rep.n == 0 &&
	      (rep.flags & DNS_TC));
}

static void test_types(void)
{
	static const unsigned char a[] = { 192, 0, 2, 1 };
	static const unsigned char aaaa[] = { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const unsigned char mx[] = { 0, 10, 2, 'm', 'x', 0xc0, 12 };
	static const unsigned char srv[] = { 0, 1, 0, 2, 0x1f, 0x90, 1, 'h', 0xc0, 12 };
	/* soa and name_ end in one byte more than their record, for "too long" */
	static const unsigned char soa[] = { 2, 'n', 's', 0xc0, 12, 1, 'h', 0xc0, 12, 0, 0, 0, 1,
					     0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff, 0 };
	static const unsigned char txt[] = { 5, 'h', 'e', '"', 'l', '\\', 0, 3, 'a', 0x01, 0xff };
	static const unsigned char name_[] = { 3, 'a', '.', 'b', 2, 'x', ' ', 0, 0 };
	static const unsigned char odd[] = { 1, 2, 0xab };
	qlen = dns_query(q, "a.test", 7, 1, 1, 1);
	CHECK_STR("A", one(1, a, 4), "192.0.2.1");
	CHECK_STR("A: the line", rep.rr[0].line, "a.test.\t60\tIN\tA\t192.0.2.1");
	CHECK_STR("AAAA", one(28, aaaa, 16), "2001:db8::1");
	CHECK_STR("A of 5 bytes", one(1, a, 3), "answer 1: a record of the wrong length for its type");
	CHECK_STR("MX", one(15, mx, sizeof(mx)), "10 mx.a.test.");
	CHECK_STR("SRV", one(33, srv, sizeof(srv)), "1 2 8080 h.a.test.");
	CHECK_STR("SOA", one(6, soa, sizeof(soa) - 1), "ns.a.test. h.a.test. 1 2 3 4 4294967295");
	CHECK_STR("SOA cut short", one(6, soa, sizeof(soa) - 2),
		  "answer 1: a record of the wrong length for its type");
	CHECK_STR("SOA too long", one(6, soa, sizeof(soa)),
		  "answer 1: its data is shorter than its length");
	CHECK_STR("TXT: quoted, escaped", one(16, txt, sizeof(txt)),
		  "\"he\\\"l\\\\\" \"\" \"a\\001\\255\"");
	CHECK_STR("TXT: a string past its record", one(16, txt, 5),
		  "answer 1: a TXT string runs past its record");
	CHECK_STR("TXT: empty", one(16, txt, 0), "");
	CHECK_STR("NS: special characters escaped", one(2, name_, sizeof(name_) - 1), "a\\.b.x\\ .");
	CHECK_STR("CNAME: the root", one(5, "", 1), ".");
	CHECK_STR("PTR: a name shorter than its record", one(12, name_, sizeof(name_)),
		  "answer 1: its data is shorter than its length");
	CHECK_STR("PTR: a name past its record", one(12, name_, sizeof(name_) - 2),
		  "answer 1: a name runs past its end");
	CHECK_STR("another type: RFC 3597", one(99, odd, 3), "\\# 3 0102ab");
	CHECK_STR("another type: its line", rep.rr[0].line, "a.test.\t60\tIN\tTYPE99\t\\# 3 0102ab");
	reply(0x8180, 1);
	rr(1, 9, 0, 4);
	bytes(a, 4);
	CHECK("another class", parse() == DNS_OURS && !strcmp(rep.rr[0].line,
	      "a.test.\t0\tCLASS9\tA\t192.0.2.1"));
	reply(0x8180, 2);
	rr(5, 1, 60, 2);
	u16(0xc00c);
	rr(1, 1, 60, 4);
	bytes(a, 4);
	CHECK("two answers", parse() == DNS_OURS && rep.n == 2 &&
	      !strcmp(rep.rr[0].data, "a.test.") && !strcmp(rep.rr[1].data, "192.0.2.1"));
	reply(0x8180, 2);
	rr(1, 1, 60, 4);
	bytes(a, 4);
	CHECK_STR("fewer answers than counted", parse() == DNS_BAD ? err : "",
		  "answer 2: a name runs past its end");
	reply(0x8180, 1);
	rr(1, 1, 60, 4);
	bytes(a, 3);
	CHECK_STR("rdlength past the end", parse() == DNS_BAD ? err : "",
		  "answer 1: it runs past the end");
	reply(0x8180, 1);
	u16(0xc00c);
	u16(1);
	CHECK_STR("a record header cut short", parse() == DNS_BAD ? err : "",
		  "answer 1: it runs past the end");
}

static void test_names(void)
{
	char n[300];
	size_t at;

	qlen = dns_query(q, "a.test", 7, 1, 1, 1);
	/* an owner that points to itself */
	reply(0x8180, 1);
	u16(0xc000 | (unsigned)mlen);
	CHECK_STR("a pointer to itself", parse() == DNS_BAD ? err : "",
		  "answer 1: a compression pointer points forward");
	/* one that points forward, to a valid name after it */
	reply(0x8180, 1);
	u16(0xc000 | (unsigned)(mlen + 2));
	name("x");
	CHECK_STR("a pointer forward", parse() == DNS_BAD ? err : "",
		  "answer 1: a compression pointer points forward");
	/* a label, then a pointer back to that label: a loop through a backward pointer */
	reply(0x8180, 1);
	at = mlen;
	u8(1);
	u8('x');
	u16(0xc000 | (unsigned)at);
	CHECK_STR("a loop through a backward pointer", parse() == DNS_BAD ? err : "",
		  "answer 1: a compression pointer points forward");
	/* two pointers that point at each other, the second reached from the first */
	reply(0x8180, 1);
	at = mlen;
	u16(0xc000 | (unsigned)(at + 2));
	u16(0xc000 | (unsigned)at);
	CHECK_STR("two pointers at each other", parse() == DNS_BAD ? err : "",
		  "answer 1: a compression pointer points forward");
	/* a chain of pointers, each one further back: fine */
	reply(0x8180, 2);
	at = mlen;
	u8(1);
	u8('y');
	u16(0xc00c);			/* y.a.test. */
	u16(1), u16(1), u32(0), u16(4), u32(0);
	u8(1);
	u8('z');
	u16(0xc000 | (unsigned)at);	/* z.y.a.test. */
	u16(1), u16(1), u32(0), u16(4), u32(0);
	CHECK("a chain of pointers back", parse() == DNS_OURS && rep.n == 2 &&
	      !strcmp(rep.rr[1].line, "z.y.a.test.\t0\tIN\tA\t0.0.0.0"));
	/* labels of the extended types (0x40, 0x80) */
	reply(0x8180, 1);
	u8(0x40);
	CHECK_STR("a label of 64", parse() == DNS_BAD ? err : "",
		  "answer 1: a label longer than 63 bytes");
	reply(0x8180, 1);
	u8(0x80);
	CHECK("a label of type 0x80", parse() == DNS_BAD);
	/* a name of 255 bytes is fine, of 257 not (each label 63 + 1) */
	memset(n, 'x', 255);
	n[63] = n[127] = n[191] = '.';
	n[253] = 0;
	reply(0x8180, 1);
	name(n);
	u16(1), u16(1), u32(0), u16(4), u32(0);
	CHECK("a name of 255 bytes", parse() == DNS_OURS && strlen(rep.rr[0].line) > 253);
	/* 4 labels of 63 in place, then a pointer to a.test.: 256 + 8 */
	reply(0x8180, 1);
	for (int i = 0; i < 4; i++) {
		u8(63);
		memset(m + mlen, 'x', 63);
		mlen += 63;
	}
	u16(0xc00c);
	CHECK_STR("a name of 264 bytes through a pointer", parse() == DNS_BAD ? err : "",
		  "answer 1: a name longer than 255 bytes");
	reply(0x8180, 1);
	u8(3);
	u8('a');
	CHECK_STR("a label past the end", parse() == DNS_BAD ? err : "",
		  "answer 1: a name runs past its end");
	reply(0x8180, 1);
	u8(0xc0);
	CHECK_STR("half a pointer", parse() == DNS_BAD ? err : "",
		  "answer 1: a name runs past its end");
}

static void test_limits(void)
{
	unsigned char txt[256];

	qlen = dns_query(q, "a.test", 7, 1, 1, 1);
	reply(0x8180, DNS_RR_MAX + 1);
	for (int i = 0; i <= DNS_RR_MAX; i++) {
		rr(1, 1, 60, 4);
		u32(0x7f000001);
	}
	CHECK_STR("65 answers", parse() == DNS_BAD ? err : "", "answer 65: too many (at most 64)");
	reply(0x8180, DNS_RR_MAX);
	for (int i = 0; i < DNS_RR_MAX; i++) {
		rr(1, 1, 60, 4);
		u32(0x7f000001);
	}
	CHECK("64 answers", parse() == DNS_OURS && rep.n == DNS_RR_MAX);
	/* 20 TXT records of 255 unprintable bytes, 4 bytes of text each: over the bound */
	txt[0] = 255;
	memset(txt + 1, 1, 255);
	reply(0x8180, 20);
	for (int i = 0; i < 20; i++) {
		rr(16, 1, 60, 256);
		bytes(txt, 256);
	}
	CHECK("answers too long as text", parse() == DNS_BAD &&
	      strstr(err, "the answers are too long as text"));
}

static void test_expect(void)
{
	const char *ans[] = { "1.1.1.1", "2.2.2.2" };
	const char *e12[] = { "1.1.1.1", "2.2.2.2" }, *e123[] = { "1.1.1.1", "2.2.2.2", "3.3.3.3" };
	const char *e1[] = { "1.1.1.1" }, *e13[] = { "1.1.1.1", "3.3.3.3" }, *e3[] = { "3.3.3.3" };
	const char *e345[] = { "3.3.3.3", "4.4.4.4", "5.5.5.5" };
	const char *txt[] = { "\"hello world\"" }, *hw[] = { "hello world" };
	const char *quoted[] = { "\"hello world\"" };

	/* upstream's table in check_dns.go */
	CHECK("expect: 1 and 2 of 1, 2", dns_expect(ans, 2, e12, 2) == 0);
	CHECK("expect: 1, 2, 3 of 1, 2", dns_expect(ans, 2, e123, 3) == 1);
	CHECK("expect: 1 of 1, 2", dns_expect(ans, 2, e1, 1) == 1);
	CHECK("expect: 1, 3 of 1, 2", dns_expect(ans, 2, e13, 2) == 1);
	CHECK("expect: 3 of 1, 2", dns_expect(ans, 2, e3, 1) == 2);
	CHECK("expect: 3, 4, 5 of 1, 2", dns_expect(ans, 2, e345, 3) == 2);
	CHECK("expect: nothing expected", dns_expect(ans, 2, NULL, 0) == 0);
	CHECK("expect: no answers", dns_expect(ans, 0, e1, 1) == 1);
	CHECK("expect: TXT without its quotes", dns_expect(txt, 1, hw, 1) == 0);
	CHECK("expect: TXT with its quotes", dns_expect(txt, 1, quoted, 1) == 2);
}

static void test_names_of_codes(void)
{
	char b[32];

	CHECK("type: aaaa", dns_type("aaaa") == 28 && dns_type("SRV") == 33 && dns_type("AAA") < 0);
	CHECK("class: ch", dns_class("ch") == 3 && dns_class("ANY") == 255 && dns_class("INN") < 0);
	CHECK_STR("type 99", dns_type_name(99, b), "TYPE99");
	CHECK_STR("class 254", dns_class_name(254, b), "NONE");
	CHECK_STR("rcode 3", dns_rcode_name(3, b), "NXDOMAIN");
	CHECK_STR("rcode 12", dns_rcode_name(12, b), "RCODE12");
	dns_flags_text(0x8580 | DNS_TC | 0x30, b);
	CHECK_STR("flags", b, "qr aa tc rd ra ad cd");
	dns_flags_text(0, b);
	CHECK_STR("no flags", b, "");
}

/* the probe's spec from "field=value" pairs: probe_ready()'s error, "" when ready */
static const char *ready(const char *const *kv, char *target, size_t len)
{
	static char e[300];
	const struct probe_type *t = probe_find("dns");
	void *s = probe_spec_new(t);

	for (; *kv; kv++) {
		const char *eq = strchr(*kv, '=');
		char f[32];
		snprintf(f, sizeof(f), "%.*s", (int)(eq - *kv), *kv);
		if (probe_set(s, probe_field(t, f, 0), eq + 1, strlen(eq + 1), e, sizeof(e)) < 0)
			return e;
	}
	e[0] = 0;
	if (probe_ready(t, s, e, sizeof(e)) == 0 && target)
		t->target(s, target, len);
	return e;
}

static void test_probe(void)
{
	const char *ok[] = { "host=a.test", "server=::1", "port=5353", "qtype=mx", NULL };
	const char *nohost[] = { "server=127.0.0.1", NULL };
	const char *badtype[] = { "host=a", "qtype=AAA", NULL };
	const char *badclass[] = { "host=a", "qclass=INN", NULL };
	const char *badname[] = { "host=a..b", NULL };
	const char *plain[] = { "host=a.test", NULL };
	const struct probe_type *t = probe_find("dns");
	char target[300];

	CHECK("probe: dns is built, a chksrv module", t && t->layout != PL_ONE);
	if (!t)
		return;
	CHECK_STR("probe: ready", ready(ok, target, sizeof(target)), "");
	CHECK_STR("probe: target", target, "a.test/mx@[::1]:5353");
	CHECK_STR("probe: the system's server", ready(plain, target, sizeof(target)), "");
	CHECK_STR("probe: target without a server", target, "a.test/A");
	CHECK_STR("probe: no host", ready(nohost, NULL, 0), "host missing");
	CHECK_STR("probe: qtype", ready(badtype, NULL, 0), "qtype: 'AAA' is not a DNS type");
	CHECK_STR("probe: qclass", ready(badclass, NULL, 0), "qclass: 'INN' is not a DNS class");
	CHECK_STR("probe: host", ready(badname, NULL, 0), "host: 'a..b' is not a DNS name");
	CHECK("probe: -p names are the YAML keys", probe_field(t, "qtype", 1) &&
	      probe_field(t, "server", 1) && probe_field(t, "norec", 1) && probe_field(t, "expect", 1));
}

int main(void)
{
	test_query();
	test_match();
	test_types();
	test_names();
	test_limits();
	test_expect();
	test_names_of_codes();
	test_probe();
	return t_done();
}
