/* resp.h - the redis probe's reply reader (net/probe_redis.c): the first line of a RESP2 reply (the
 * Redis serialization protocol specification), bounded, without a socket.
 */
#ifndef PB_RESP_H
#define PB_RESP_H

#include <stddef.h>

/* the largest bulk string or simple line the redis probe reads (INFO's text) */
#define RESP_MAX 65536

enum {
	RESP_MORE = 1,		/* the line has no LF yet: cut short (EOF) or too long */
	RESP_BAD = -1,		/* not RESP2: another type byte, a line without CR LF, a bad number */
	RESP_BIG = -2,		/* a bulk length (in n) over max */
};

struct resp {
	char type;		/* '+' simple string, '-' error, ':' integer, '$' bulk, '*' array */
	const char *p;		/* the line's text after the type byte (without CR LF) */
	size_t len;
	long long n;		/* the integer, the bulk's length or the array's count (-1: null) */
};

/* the first line of a reply, p (len bytes, with its CR LF), read: 0 with *r filled (pointing
 * into p), or RESP_MORE, RESP_BAD, RESP_BIG. A bulk's n bytes and CR LF follow the line; an
 * array is its count only (the caller that expects none refuses it). */
int resp_line(const char *p, size_t len, size_t max, struct resp *r);

#endif
