/* dns.h - a bounded DNS message codec: one query out, the reply read as a pure function over
 * a buffer. RFC 1035 (messages, names, compression, presentation format), RFC 3596 (AAAA),
 * RFC 2782 (SRV), RFC 3597 (types we do not know, as \# LEN HEX).
 *
 * A reply is "ours" when it is a response (QR) to a standard query with our id and our
 * question (the name compared without case); a reply without a question is ours too when it
 * carries an error rcode (a server that could not parse the query, RFC 1035 4.1.1). Names are
 * read strictly: a compression pointer must point before the part of the name that led to it
 * (so it can neither point forward nor loop), a label holds at most 63 bytes and a name at
 * most 255; anything else, or a record that does not fit its length, is a clean failure.
 */
#ifndef PB_DNS_H
#define PB_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_QUERY_MAX 288	/* header, a 255-byte name, type and class */
#define DNS_MSG_MAX 65535	/* a message over TCP (its 2-byte length) */
#define DNS_RR_MAX 64		/* answers read; more is a failure, not a cut list */
#define DNS_TEXT_MAX 16384	/* bytes of the answers' lines together */

/* the header's second word */
#define DNS_QR 0x8000u
#define DNS_TC 0x0200u
#define DNS_RD 0x0100u

/* an answer as a line of a zone file (RFC 1035 5.1), "a.test.\t60\tIN\tA\t1.2.3.4", and
 * its data, the end of that line ("1.2.3.4", "10 mx.test.", "\"text\"") */
struct dns_rr {
	const char *line, *data;
	uint16_t type;
};

struct dns_reply {
	uint16_t id, flags;		/* flags: the second word, the rcode in its low 4 bits */
	uint16_t an;			/* the answer count of the header */
	size_t n;			/* answers read: an, or 0 when TC is set */
	struct dns_rr rr[DNS_RR_MAX];
	size_t len;
	char text[DNS_TEXT_MAX];
};

enum { DNS_BAD = -1, DNS_OURS = 0, DNS_NOT_OURS = 1 };

/* the code of a type (A AAAA CNAME MX NS PTR SOA SRV TXT) or class (IN CS CH HS NONE ANY)
 * name, any case; -1 for another name */
int dns_type(const char *name);
int dns_class(const char *name);
/* names for codes: the mnemonic, or TYPE123 / CLASS123 / RCODE12 (into buf) */
const char *dns_type_name(unsigned type, char buf[16]);
const char *dns_class_name(unsigned class, char buf[16]);
const char *dns_rcode_name(unsigned rcode, char buf[16]);
/* the set header flags as dig shows them: "qr aa rd ra" */
void dns_flags_text(unsigned flags, char buf[32]);

/* a query for name (presentation text, \. and \DDD escapes, the final dot optional) with
 * one question: its length (at most DNS_QUERY_MAX), or 0 when name is not a domain name */
size_t dns_query(unsigned char *buf, const char *name, unsigned id, int rd, unsigned type,
		 unsigned class);

/* read m (len bytes) as the reply to query q (qlen bytes): DNS_OURS with *r filled,
 * DNS_NOT_OURS (another message: on UDP, keep waiting) or DNS_BAD (ours, but broken), each
 * but DNS_OURS with the reason in err */
int dns_parse(const unsigned char *m, size_t len, const unsigned char *q, size_t qlen,
	      struct dns_reply *r, char *err, size_t errlen);

/* check-dns's rule for expected answers (its -e): each pair of an expected string and an
 * answer's data that are equal counts once, a TXT answer (quoted) counting as the expected
 * string in quotes. 0 (OK): every answer counted and as many expected as answers; 1
 * (WARNING): some counted; 2 (CRITICAL): none. 0 when nothing is expected. */
int dns_expect(const char *const *ans, size_t n, const char *const *exp, size_t ne);

#endif
