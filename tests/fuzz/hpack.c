/* hpack.c - fuzz target: the HPACK decoder (RFC 7541) over a sequence of header blocks that
 * share one dynamic table, then the Huffman decoder alone. Byte 0 sets the table size the
 * encoder may use (its low 5 bits times 128); then each block is a 2-byte length and bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/hpack.h"

static size_t bytes;

static int sink(void *arg, const char *name, size_t nl, const char *value, size_t vl)
{
	(void)arg;
	if (nl > HPACK_LIST_MAX || vl > HPACK_LIST_MAX)
		abort();
	for (size_t i = 0; i < nl; i++)
		bytes += (unsigned char)name[i];
	for (size_t i = 0; i < vl; i++)
		bytes += (unsigned char)value[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hpack *h;
	static unsigned char out[4096];
	char err[128];
	size_t off = 1;

	if (size < 1)
		return 0;
	if (!h)
		h = malloc(sizeof(*h));
	hpack_init(h);
	h->max = (size_t)(data[0] & 31) * 128;
	if (h->max > HPACK_TABLE_MAX)
		h->max = HPACK_TABLE_MAX;
	while (off + 2 <= size) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		if (hpack_decode(h, data + off, n, sink, NULL, err, sizeof(err)) < 0)
			break;
		if (h->size > h->max || h->used > HPACK_TABLE_MAX)
			abort();
		off += n;
	}
	if (hpack_huffman(h, data + 1, size - 1, out, sizeof(out)) > (long)sizeof(out))
		abort();
	return 0;
}
