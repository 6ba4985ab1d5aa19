/* h2.c - the HTTP/2 client of one unary call (RFC 9113): connection preface (3.4), SETTINGS
 * and their ACK (6.5), the request as HEADERS + DATA on stream 1, the response's frames read
 * as complete frames from a bounded buffer, PING answered (6.7), RST_STREAM (6.4) and GOAWAY
 * (6.8) reported, WINDOW_UPDATE and unknown frame types passed over (5.5). Any malformed
 * frame is a connection error: the call fails with the reason, the caller closes.
 */
//kbuild:obj-$(CONFIG_H2) += h2.o
//config:config H2
//config:	bool
//config:	select HPACK
//config:	help
//config:	  The HTTP/2 client of one request on one stream (the gRPC probe).

#include "h2.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { F_DATA, F_HEADERS, F_PRIORITY, F_RST_STREAM, F_SETTINGS, F_PUSH_PROMISE, F_PING, F_GOAWAY,
       F_WINDOW_UPDATE, F_CONTINUATION };
enum { FL_END_STREAM = 0x1, FL_ACK = 0x1, FL_END_HEADERS = 0x4, FL_PADDED = 0x8,
       FL_PRIORITY = 0x20 };

#define STREAM 1u	/* the one stream we open */

static const char errnames[] = "NO_ERROR\0PROTOCOL_ERROR\0INTERNAL_ERROR\0FLOW_CONTROL_ERROR\0"
	"SETTINGS_TIMEOUT\0STREAM_CLOSED\0FRAME_SIZE_ERROR\0REFUSED_STREAM\0CANCEL\0"
	"COMPRESSION_ERROR\0CONNECT_ERROR\0ENHANCE_YOUR_CALM\0INADEQUATE_SECURITY\0"
	"HTTP_1_1_REQUIRED";

const char *h2_error_name(uint32_t code)
{
	const char *s = errnames;

	if (code > H2_HTTP_1_1_REQUIRED)
		return NULL;
	while (code--)
		s += strlen(s) + 1;
	return s;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

__attribute__((format(printf, 2, 3)))
static int fail(struct h2 *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof(h->err), fmt, ap);
	va_end(ap);
	return H2_FAIL;
}

void h2_header(unsigned char *b, size_t n, unsigned type, unsigned flags, uint32_t sid)
{
	b[0] = (unsigned char)(n >> 16);
	b[1] = (unsigned char)(n >> 8);
	b[2] = (unsigned char)n;
	b[3] = (unsigned char)type;
	b[4] = (unsigned char)flags;
	b[5] = (unsigned char)(sid >> 24);
	b[6] = (unsigned char)(sid >> 16);
	b[7] = (unsigned char)(sid >> 8);
	b[8] = (unsigned char)sid;
}

/* a frame header and payload into out; -1 when out is full */
static int put(struct h2 *h, unsigned type, unsigned flags, uint32_t sid, const void *p, size_t n)
{
	unsigned char *o = h->out + h->outlen;

	if (n > sizeof(h->out) - h->outlen - 9)
		return -1;
	h2_header(o, n, type, flags, sid);
	if (n)
		memcpy(o + 9, p, n);
	h->outlen += 9 + n;
	return 0;
}

void h2_init(struct h2 *h, const struct h2_cb *cb)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	/* SETTINGS_ENABLE_PUSH 0, SETTINGS_MAX_HEADER_LIST_SIZE HPACK_LIST_MAX; the rest are
	 * the defaults: a 4096-byte HPACK table, 16384-byte frames, 65535-byte windows */
	static const unsigned char settings[] = { 0, 2, 0, 0, 0, 0,
						  0, 6, 0, 0, HPACK_LIST_MAX >> 8, 0 };

	memset(h, 0, offsetof(struct h2, block));
	h->cb = *cb;
	h->window = 65535;
	hpack_init(&h->hp);
	memcpy(h->out, preface, sizeof(preface) - 1);
	h->outlen = sizeof(preface) - 1;
	put(h, F_SETTINGS, 0, 0, settings, sizeof(settings));
}

unsigned char *h2_space(struct h2 *h, size_t *n)
{
	*n = sizeof(h->in) - h->inlen;
	return h->in + h->inlen;
}

static int field(void *arg, const char *name, size_t nl, const char *value, size_t vl)
{
	struct h2 *h = arg;
	const char *why = h->cb.field(h->cb.arg, h->blocks, name, nl, value, vl);

	if (why)
		snprintf(h->err, sizeof(h->err), "%s", why);
	return why ? -1 : 0;
}

/* a complete header block of our stream */
static int block_done(struct h2 *h)
{
	h->err[0] = 0;
	if (hpack_decode(&h->hp, h->block, h->blen, field, h, h->err, sizeof(h->err)) < 0)
		return H2_FAIL;
	h->blocks++;
	h->blen = 0;
	h->in_block = 0;
	if (h->block_end)
		h->ended = 1;
	return h->ended ? H2_DONE : H2_MORE;
}

static int add_fragment(struct h2 *h, const unsigned char *p, size_t n)
{
	if (n > sizeof(h->block) - h->blen)
		return fail(h, "a header block above %d bytes", H2_BLOCK_MAX);
	memcpy(h->block + h->blen, p, n);
	h->blen += n;
	return H2_MORE;
}

/* strip the padding of DATA and HEADERS (6.1, 6.2) */
static int unpad(unsigned flags, const unsigned char **p, uint32_t *n)
{
	unsigned pad;

	if (!(flags & FL_PADDED))
		return 0;
	if (*n < 1 || (pad = **p) > *n - 1)
		return -1;
	(*p)++;
	*n -= 1 + pad;
	return 0;
}

static const char frame_names[] = "DATA\0HEADERS\0PRIORITY\0RST_STREAM\0SETTINGS\0"
				  "PUSH_PROMISE\0PING\0GOAWAY\0WINDOW_UPDATE\0CONTINUATION";

int h2_eof(struct h2 *h)
{
	const char *why = h2_error_name(h->goaway_code);

	if (h->state == H2_S_PREFACE)
		return fail(h, "the server closed the connection before its HTTP/2 SETTINGS");
	if (!h->goaway)
		return fail(h, "the server closed the connection before the response ended");
	return fail(h, "the server is going away (GOAWAY %s%s%s)", why ? why : "with an unknown code",
		    h->goaway_debug[0] ? ": " : "", h->goaway_debug);
}

/* one frame; whatever RFC 9113 does not allow (a malformed frame, one on the wrong stream
 * or out of order, PUSH_PROMISE with push disabled) fails the connection */
static int frame(struct h2 *h, unsigned type, unsigned flags, uint32_t sid, const unsigned char *p,
		 uint32_t n)
{
	const char *why = frame_names;

	if (h->in_block && type != F_CONTINUATION)
		return fail(h, "a frame inside a header block");
	if (h->state == H2_S_PREFACE && type != F_SETTINGS)
		return fail(h, "not an HTTP/2 server: its first frame is not SETTINGS");
	switch (type) {
	case F_DATA:
	case F_HEADERS:
		if (sid != STREAM || !h->sent || h->ended || unpad(flags, &p, &n) < 0)
			break;
		if (type == F_DATA) {
			if (!h->blocks)
				break;
			if (n && (why = h->cb.data(h->cb.arg, p, n)))
				return fail(h, "%s", why);
			h->ended = flags & FL_END_STREAM;
			return h->ended ? H2_DONE : H2_MORE;
		}
		if (flags & FL_PRIORITY) {
			if (n < 5)
				break;
			p += 5;
			n -= 5;
		}
		/* at most two blocks: the headers, then trailers that end the stream */
		if (h->blocks > 1 || (h->blocks && !(flags & FL_END_STREAM)))
			break;
		h->block_end = flags & FL_END_STREAM;
		if (add_fragment(h, p, n) < 0)
			return H2_FAIL;
		if (!(flags & FL_END_HEADERS)) {
			h->in_block = sid;
			return H2_MORE;
		}
		return block_done(h);
	case F_CONTINUATION:
		if (!h->in_block || sid != h->in_block)
			break;
		if (add_fragment(h, p, n) < 0)
			return H2_FAIL;
		return flags & FL_END_HEADERS ? block_done(h) : H2_MORE;
	case F_RST_STREAM:
		if (n != 4 || !sid)
			break;
		if (sid != STREAM)
			return H2_MORE;
		h->rst = 1;
		why = h2_error_name(h->rst_code = be32(p));
		return fail(h, "stream reset by the server (RST_STREAM %s)",
			    why ? why : "with an unknown code");
	case F_SETTINGS:
		if (sid || (flags & FL_ACK ? n : n % 6))
			break;
		if (flags & FL_ACK)
			return H2_MORE;
		for (; n; p += 6, n -= 6) {
			unsigned id = (unsigned)p[0] << 8 | p[1];
			uint32_t v = be32(p + 2);
			if ((id == 4 && v > 0x7fffffff) || (id == 5 && (v < 16384 || v > 0xffffff)))
				goto bad;
			if (id == 4)
				h->window = v;
		}
		if (put(h, F_SETTINGS, FL_ACK, 0, NULL, 0) < 0)
			goto flood;
		h->state = H2_S_OPEN;
		return H2_MORE;
	case F_PING:
		if (n != 8 || sid)
			break;
		if (!(flags & FL_ACK) && put(h, F_PING, FL_ACK, 0, p, 8) < 0)
			goto flood;
		return H2_MORE;
	case F_GOAWAY: {
		size_t d = 0;
		if (n < 8 || sid)
			break;
		h->goaway = 1;
		h->goaway_last = be32(p) & 0x7fffffff;
		h->goaway_code = be32(p + 4);
		for (uint32_t i = 8; i < n && d + 1 < sizeof(h->goaway_debug); i++)
			h->goaway_debug[d++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
		h->goaway_debug[d] = 0;
		/* the stream is not processed when it is above the last one (6.8) */
		return h->goaway_last < STREAM ? h2_eof(h) : H2_MORE;
	}
	case F_WINDOW_UPDATE:
		if (n != 4 || !(be32(p) & 0x7fffffff))
			break;
		return H2_MORE;
	case F_PUSH_PROMISE:
		break;
	default:	/* PRIORITY, and types RFC 9113 does not know (5.5) */
		return H2_MORE;
	}
bad:
	while (type--)
		why += strlen(why) + 1;
	return fail(h, "an invalid %s frame", why);
flood:
	return fail(h, "too many PINGs and SETTINGS to answer");
}

int h2_received(struct h2 *h, size_t n)
{
	size_t off = 0;
	int rc = H2_MORE;

	h->inlen += n;
	while (rc == H2_MORE && h->inlen - off >= 9) {
		const unsigned char *f = h->in + off;
		uint32_t len = (uint32_t)f[0] << 16 | (uint32_t)f[1] << 8 | f[2];

		if (h->state == H2_S_PREFACE && !memcmp(f, "HTTP/", 5)) {	/* its first line */
			int l = 0;
			while ((size_t)l < h->inlen && l < 60 && f[l] >= 0x20 && f[l] < 0x7f)
				l++;
			if ((size_t)l == h->inlen && l < 60)
				return H2_MORE;
			return fail(h, "not an HTTP/2 server: it answered \"%.*s\"", l,
				    (const char *)f);
		}
		if (len > H2_FRAME_MAX)
			return fail(h, "a frame of %u bytes (at most %d)", (unsigned)len, H2_FRAME_MAX);
		if (h->inlen - off < 9 + len)
			break;
		rc = frame(h, f[3], f[4], be32(f + 5) & 0x7fffffff, f + 9, len);
		off += 9 + len;
	}
	memmove(h->in, h->in + off, h->inlen - off);
	h->inlen -= off;
	return rc;
}

int h2_request(struct h2 *h, const unsigned char *block, size_t blen, const void *body, size_t n)
{
	if (n > h->window || n > H2_FRAME_MAX || blen > H2_FRAME_MAX ||
	    put(h, F_HEADERS, FL_END_HEADERS, STREAM, block, blen) < 0 ||
	    put(h, F_DATA, FL_END_STREAM, STREAM, body, n) < 0)
		return fail(h, "the request does not fit (the server's window is %u bytes)",
			    (unsigned)h->window);
	h->sent = 1;
	return 0;
}
