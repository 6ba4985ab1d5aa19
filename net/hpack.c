/* hpack.c - HPACK (RFC 7541) for the HTTP/2 client: a decoder bounded in every dimension (an
 * integer has at most 4 continuation bytes, a string fits the scratch buffer, the dynamic
 * table the size we allow, the decoded list HPACK_LIST_MAX) and literal-only encoding.
 *
 * Huffman decoding uses the code's canonical form: RFC 7541 Appendix B assigns codes in order
 * of length, and within a length in order of symbol, so the code lengths alone (the table's
 * "len" column, below as data) give every code; decoding walks one bit at a time, as zlib's
 * puff does (count of codes per length, symbols in code order), in a few hundred bytes.
 */
//kbuild:obj-$(CONFIG_HPACK) += hpack.o
//config:config HPACK
//config:	bool
//config:	help
//config:	  HPACK header compression (RFC 7541) for the HTTP/2 client.

#include "hpack.h"

#include <stdio.h>
#include <string.h>

/* RFC 7541 Appendix A: name, NUL, value, NUL, for indices 1 to 61 */
static const char static_table[] =
	":authority\0" "\0" ":method\0" "GET\0" ":method\0" "POST\0" ":path\0" "/\0"
	":path\0" "/index.html\0" ":scheme\0" "http\0" ":scheme\0" "https\0" ":status\0" "200\0"
	":status\0" "204\0" ":status\0" "206\0" ":status\0" "304\0" ":status\0" "400\0"
	":status\0" "404\0" ":status\0" "500\0" "accept-charset\0" "\0"
	"accept-encoding\0" "gzip, deflate\0" "accept-language\0" "\0" "accept-ranges\0" "\0"
	"accept\0" "\0" "access-control-allow-origin\0" "\0" "age\0" "\0" "allow\0" "\0"
	"authorization\0" "\0" "cache-control\0" "\0" "content-disposition\0" "\0"
	"content-encoding\0" "\0" "content-language\0" "\0" "content-length\0" "\0"
	"content-location\0" "\0" "content-range\0" "\0" "content-type\0" "\0" "cookie\0" "\0"
	"date\0" "\0" "etag\0" "\0" "expect\0" "\0" "expires\0" "\0" "from\0" "\0" "host\0" "\0"
	"if-match\0" "\0" "if-modified-since\0" "\0" "if-none-match\0" "\0" "if-range\0" "\0"
	"if-unmodified-since\0" "\0" "last-modified\0" "\0" "link\0" "\0" "location\0" "\0"
	"max-forwards\0" "\0" "proxy-authenticate\0" "\0" "proxy-authorization\0" "\0"
	"range\0" "\0" "referer\0" "\0" "refresh\0" "\0" "retry-after\0" "\0" "server\0" "\0"
	"set-cookie\0" "\0" "strict-transport-security\0" "\0" "transfer-encoding\0" "\0"
	"user-agent\0" "\0" "vary\0" "\0" "via\0" "\0" "www-authenticate\0" "\0";
#define STATIC_N 61

/* RFC 7541 Appendix B, the code length in bits of symbols 0 to 255 (EOS, 256, has 30) */
static const unsigned char huff_len[256] = {
	13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
	28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
	6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
	5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
	13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
	15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
	6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
	20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
	24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
	22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
	21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
	26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
	19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
	20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
	26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
};

void hpack_init(struct hpack *h)
{
	size_t k = 0;

	memset(h, 0, offsetof(struct hpack, tmp));
	h->max = HPACK_TABLE_MAX;
	for (unsigned l = 5; l <= 30; l++)
		for (unsigned s = 0; s < 256; s++)
			if (huff_len[s] == l) {
				h->hsym[k++] = (unsigned char)s;
				h->hcount[l]++;
			}
	h->hcount[30]++;	/* EOS: all ones, the last code */
}

long hpack_huffman(const struct hpack *h, const unsigned char *in, size_t n, unsigned char *out,
		   size_t cap)
{
	unsigned code = 0, first = 0, index = 0, len = 0, ones = 1;
	size_t o = 0;

	for (size_t i = 0; i < n; i++)
		for (int k = 7; k >= 0; k--) {
			unsigned bit = (unsigned)(in[i] >> k) & 1, count;

			code |= bit;
			ones &= bit;
			count = h->hcount[++len];
			if (code < first + count) {
				unsigned s = index + code - first;
				if (s >= 256 || o == cap)	/* EOS in a string (5.2), or too long */
					return -1;
				out[o++] = h->hsym[s];
				code = first = index = len = 0;
				ones = 1;
				continue;
			}
			if (len == 30)
				return -1;
			index += count;
			first = (first + count) << 1;
			code <<= 1;
		}
	/* the padding: the most significant bits of EOS, at most 7 of them */
	return len > 7 || !ones ? -1 : (long)o;
}

/* an integer with an N-bit prefix (5.1); bounded at 4 continuation bytes (2^28) */
static int get_int(const unsigned char **p, const unsigned char *end, unsigned bits, uint32_t *v)
{
	uint32_t max = (1u << bits) - 1;
	unsigned m = 0;

	*v = **p & max;
	(*p)++;
	if (*v < max)
		return 0;
	for (;;) {
		unsigned b;
		if (*p == end || m > 21)
			return -1;
		b = *(*p)++;
		*v += (uint32_t)(b & 0x7f) << m;
		m += 7;
		if (!(b & 0x80))
			return 0;
	}
}

/* a string literal (5.2) into out: its length, or -1 */
static long get_str(const struct hpack *h, const unsigned char **p, const unsigned char *end,
		    unsigned char *out, size_t cap)
{
	int huff;
	uint32_t n;
	long r;

	if (*p == end)
		return -1;
	huff = **p & 0x80;
	if (get_int(p, end, 7, &n) < 0 || n > (size_t)(end - *p))
		return -1;
	if (huff) {
		r = hpack_huffman(h, *p, n, out, cap);
	} else {
		if (n > cap)
			return -1;
		memcpy(out, *p, n);
		r = (long)n;
	}
	*p += n;
	return r;
}

/* entry i of the tables (2.3.3): 1 to 61 static, then the dynamic table newest first */
static int entry(const struct hpack *h, uint32_t i, const char **name, size_t *nl,
		 const char **value, size_t *vl)
{
	if (i >= 1 && i <= STATIC_N) {
		const char *s = static_table;
		while (--i)
			s += strlen(s) + 1, s += strlen(s) + 1;
		*name = s;
		*nl = strlen(s);
		*value = s + *nl + 1;
		*vl = strlen(*value);
		return 0;
	}
	if (i <= STATIC_N || i - STATIC_N - 1 >= h->n)
		return -1;
	{
		size_t e = h->n - 1 - (i - STATIC_N - 1), off = 0;
		for (size_t k = 0; k < e; k++)
			off += h->nlen[k] + h->vlen[k];
		*name = (const char *)h->buf + off;
		*nl = h->nlen[e];
		*value = *name + *nl;
		*vl = h->vlen[e];
	}
	return 0;
}

/* evict the oldest entries until need more bytes fit (4.4) */
static void evict(struct hpack *h, size_t need)
{
	while (h->n && h->size + need > h->max) {
		size_t sz = (size_t)h->nlen[0] + h->vlen[0];
		memmove(h->buf, h->buf + sz, h->used - sz);
		memmove(h->nlen, h->nlen + 1, (h->n - 1) * sizeof(h->nlen[0]));
		memmove(h->vlen, h->vlen + 1, (h->n - 1) * sizeof(h->vlen[0]));
		h->used -= sz;
		h->size -= sz + 32;
		h->n--;
	}
}

static void add(struct hpack *h, const unsigned char *name, size_t nl, const unsigned char *value,
		size_t vl)
{
	size_t es = nl + vl + 32;

	evict(h, es);
	if (h->size + es > h->max)	/* larger than the table: it is left empty (4.4) */
		return;
	memcpy(h->buf + h->used, name, nl);
	memcpy(h->buf + h->used + nl, value, vl);
	h->nlen[h->n] = (uint16_t)nl;
	h->vlen[h->n] = (uint16_t)vl;
	h->n++;
	h->used += nl + vl;
	h->size += es;
}

int hpack_decode(struct hpack *h, const unsigned char *p, size_t n, hpack_field_fn fn, void *arg,
		 char *err, size_t errlen)
{
	const unsigned char *end = p + n;
	size_t list = 0, fields = 0;
	const char *why = "truncated or malformed";

	while (p < end) {
		unsigned b = *p;
		const char *name, *value;
		size_t nl, vl;
		uint32_t i;

		if ((b & 0xe0) == 0x20) {	/* dynamic table size update (6.3) */
			if (get_int(&p, end, 5, &i) < 0)
				goto bad;
			if (fields || i > HPACK_TABLE_MAX) {
				why = fields ? "a table size update after a field"
					     : "a table size above the 4096 bytes allowed";
				goto bad;
			}
			h->max = i;
			evict(h, 0);
			continue;
		}
		if (b & 0x80) {			/* indexed (6.1) */
			if (get_int(&p, end, 7, &i) < 0)
				goto bad;
			if (entry(h, i, &name, &nl, &value, &vl) < 0) {
				why = "an index beyond the tables";
				goto bad;
			}
		} else {			/* literal (6.2): with, without, never indexing */
			long l;
			if (get_int(&p, end, b & 0x40 ? 6 : 4, &i) < 0)
				goto bad;
			if (i) {
				if (entry(h, i, &name, &nl, &value, &vl) < 0) {
					why = "an index beyond the tables";
					goto bad;
				}
				memcpy(h->tmp, name, nl);
			} else {
				if ((l = get_str(h, &p, end, h->tmp, sizeof(h->tmp))) < 0)
					goto bad;
				nl = (size_t)l;
			}
			if ((l = get_str(h, &p, end, h->tmp + nl, sizeof(h->tmp) - nl)) < 0)
				goto bad;
			vl = (size_t)l;
			if (b & 0x40)
				add(h, h->tmp, nl, h->tmp + nl, vl);
			name = (const char *)h->tmp;
			value = name + nl;
		}
		fields++;
		list += nl + vl + 32;
		if (list > HPACK_LIST_MAX) {
			why = "a header list above 16384 bytes";
			goto bad;
		}
		if (fn(arg, name, nl, value, vl) < 0)
			return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "HPACK: %s", why);
	return -1;
}

int hpack_put_int(unsigned char *out, size_t cap, size_t *len, unsigned bits, unsigned flags,
		  uint32_t v)
{
	uint32_t max = (1u << bits) - 1;

	if (*len >= cap)
		return -1;
	if (v < max) {
		out[(*len)++] = (unsigned char)(flags | v);
		return 0;
	}
	out[(*len)++] = (unsigned char)(flags | max);
	for (v -= max; ; v >>= 7) {
		if (*len >= cap)
			return -1;
		out[(*len)++] = (unsigned char)(v < 128 ? v : 0x80 | (v & 0x7f));
		if (v < 128)
			return 0;
	}
}

static int put_str(unsigned char *out, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (hpack_put_int(out, cap, len, 7, 0, (uint32_t)n) < 0 || n > cap - *len)
		return -1;
	memcpy(out + *len, s, n);
	*len += n;
	return 0;
}

int hpack_put(unsigned char *out, size_t cap, size_t *len, unsigned idx, const char *name,
	      const char *value)
{
	if (hpack_put_int(out, cap, len, 4, 0, idx) < 0 || (!idx && put_str(out, cap, len, name) < 0))
		return -1;
	return put_str(out, cap, len, value);
}
