/* hpack.h - HPACK (RFC 7541), what an HTTP/2 client needs: a bounded decoder (static table,
 * a dynamic table capped at the size we allow, Huffman strings) and an encoder of literals
 * without indexing and without Huffman, so our requests never touch the peer's table.
 *
 * Pure functions over buffers: nothing here reads a socket or allocates.
 */
#ifndef PB_HPACK_H
#define PB_HPACK_H

#include <stddef.h>
#include <stdint.h>

/* the dynamic table size we allow the peer (SETTINGS_HEADER_TABLE_SIZE, left at its default) */
#define HPACK_TABLE_MAX 4096
/* the decoded header list of one block may not be larger (RFC 7541 4.1 sizes: name + value
 * + 32 per field); also SETTINGS_MAX_HEADER_LIST_SIZE */
#define HPACK_LIST_MAX 16384

struct hpack {
	size_t max;		/* the table size the peer chose (<= HPACK_TABLE_MAX) */
	size_t size;		/* RFC 7541 4.1 size of the entries */
	size_t n;		/* entries, oldest first */
	size_t used;		/* bytes of buf */
	uint16_t off[HPACK_TABLE_MAX / 32], nlen[HPACK_TABLE_MAX / 32], vlen[HPACK_TABLE_MAX / 32];
	unsigned char buf[HPACK_TABLE_MAX];
	/* the canonical Huffman code (RFC 7541 Appendix B): symbols by code, codes per length */
	unsigned char hsym[256];
	uint16_t hcount[31];
	unsigned char tmp[HPACK_LIST_MAX];	/* a field's decoded name and value */
};

/* one decoded field; returns 0 to go on, -1 to stop decoding (its error) */
typedef int (*hpack_field_fn)(void *arg, const char *name, size_t nlen, const char *value,
			      size_t vlen);

void hpack_init(struct hpack *h);
/* decode one complete header block (RFC 7541 3), calling fn for every field in order;
 * 0, or -1 with err (a COMPRESSION_ERROR: the connection cannot go on) */
int hpack_decode(struct hpack *h, const unsigned char *p, size_t n, hpack_field_fn fn, void *arg,
		 char *err, size_t errlen);
/* a Huffman-coded string (RFC 7541 5.2) into out: its length, or -1 (a bad code, EOS, bad
 * padding, or more than cap bytes) */
long hpack_huffman(const struct hpack *h, const unsigned char *in, size_t n, unsigned char *out,
		   size_t cap);
/* append "literal header field without indexing" (RFC 7541 6.2.2) to out at *len: the name by
 * its static table index idx, or as a literal when idx is 0; the value as a literal. 0, or -1
 * when it does not fit in cap */
int hpack_put(unsigned char *out, size_t cap, size_t *len, unsigned idx, const char *name,
	      const char *value);
/* append an integer with an N-bit prefix (RFC 7541 5.1) whose first byte also carries flags */
int hpack_put_int(unsigned char *out, size_t cap, size_t *len, unsigned bits, unsigned flags,
		  uint32_t v);

#endif
