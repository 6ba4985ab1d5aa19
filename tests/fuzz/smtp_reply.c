/* smtp_reply.c - fuzz target: the SMTP reply parser (RFC 5321 4.2) over the whole input, reply
 * after reply, and over every prefix of the first reply, which must need more bytes until
 * the whole input's verdict is reached: a complete reply has the same length and code read
 * in any split, a refusal never turns into a reply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/probe.h"

static struct smtp_reply r, q;

static void sane(long n, size_t len, const struct smtp_reply *p)
{
	if (n > (long)len || n < -1 || p->len >= SMTP_REPLY_MAX || strlen(p->text) != p->len)
		abort();
	if (n > 0 && (p->code < 200 || p->code > 559 || p->why))
		abort();
	if (n < 0 && !p->why)
		abort();
	for (size_t i = 0; i < p->len; i++)
		if ((unsigned char)p->text[i] < 0x20 && p->text[i] != '\n')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t off = 0;
	long n, first;

	first = smtp_reply_parse(buf, size, &r);
	sane(first, size, &r);
	/* prefixes: undecided (0) until the verdict on the whole input, then that verdict */
	for (size_t k = 0; k <= size && k < 3 * SMTP_LINE_MAX; k++) {
		n = smtp_reply_parse(buf, k, &q);
		sane(n, k, &q);
		if (n > 0 && (n != first || q.code != r.code || strcmp(q.text, r.text)))
			abort();
		if (n < 0 && first >= 0)
			abort();
	}
	while (off < size && (n = smtp_reply_parse(buf + off, size - off, &r)) > 0) {
		sane(n, size - off, &r);
		off += (size_t)n;
	}
	return 0;
}
