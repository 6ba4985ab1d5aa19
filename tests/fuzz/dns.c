/* dns.c - fuzz target: the DNS reply parser (net/dns.h) on the input as it is, and again with
 * our id and question written over its start (so that the answers are read, not passed over
 * as another query's); then the query builder on the input as a name, and the expected-answer
 * rule on what was parsed. Every text must lie inside the reply's buffer, NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/dns.h"

static void check(const struct dns_reply *r)
{
	const char *ans[DNS_RR_MAX], *exp[] = { "127.0.0.1", "hello", "a.test." };

	if (r->n > DNS_RR_MAX)
		abort();
	for (size_t i = 0; i < r->n; i++) {
		const char *l = r->rr[i].line, *d = r->rr[i].data;
		if (l < r->text || d < l || d >= r->text + sizeof(r->text) ||
		    !memchr(d, 0, (size_t)(r->text + sizeof(r->text) - d)))
			abort();
		ans[i] = d;
	}
	(void)dns_expect(ans, r->n, exp, 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_reply *r;
	static unsigned char m[DNS_MSG_MAX];
	unsigned char q[DNS_QUERY_MAX];
	char err[200], name[300];
	size_t qlen = dns_query(q, "a.test", 0x1234, 1, 1, 1);

	if (!r)
		r = malloc(sizeof(*r));
	if (size > sizeof(m))
		size = sizeof(m);
	if (dns_parse(data, size, q, qlen, r, err, sizeof(err)) == DNS_OURS)
		check(r);
	memcpy(m, data, size);
	if (size >= qlen) {
		memcpy(m, q, 2);
		memcpy(m + 4, q + 4, 2);
		memcpy(m + 12, q + 12, qlen - 12);
		m[2] |= 0x80;
		m[2] &= 0x87;
	}
	if (dns_parse(m, size, q, qlen, r, err, sizeof(err)) == DNS_OURS)
		check(r);
	if (size < sizeof(name)) {
		memcpy(name, data, size);
		name[size] = 0;
		if (dns_query(q, name, 1, 1, 1, 1) > DNS_QUERY_MAX)
			abort();
	}
	return 0;
}
