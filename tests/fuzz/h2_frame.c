/* h2_frame.c - fuzz target: the HTTP/2 frame reader (RFC 9113) as a server's bytes reach it,
 * in pieces: byte 0 is the piece size (0: all at once), bit 7 of byte 1 says whether the
 * request goes out after the server's SETTINGS, bit 6 whether EOF follows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/h2.h"

static size_t seen;

static const char *field(void *arg, int block, const char *name, size_t nl, const char *value,
			 size_t vl)
{
	(void)arg;
	if (block < 0 || block > 1 || nl > HPACK_LIST_MAX || vl > HPACK_LIST_MAX)
		abort();
	seen += nl + vl;
	return nl == 1 && *name == 'x' ? "refused" : NULL;
	(void)value;
}

static const char *data_cb(void *arg, const unsigned char *p, size_t n)
{
	(void)arg;
	for (size_t i = 0; i < n; i++)
		seen += p[i];
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct h2 *h;
	static const struct h2_cb cb = { field, data_cb, NULL };
	size_t off = 2, step;
	int rc = H2_MORE, sent = 0;

	if (size < 2)
		return 0;
	if (!h)
		h = malloc(sizeof(*h));
	h2_init(h, &cb);
	step = data[0] ? data[0] : size;
	while (off < size && rc == H2_MORE) {
		size_t space, n = size - off < step ? size - off : step;
		unsigned char *p = h2_space(h, &space);
		if (!space)
			abort();
		if (n > space)
			n = space;
		memcpy(p, data + off, n);
		off += n;
		rc = h2_received(h, n);
		if (h->outlen > H2_OUT_MAX)
			abort();
		h->outlen = 0;
		if (rc == H2_MORE && h->state == H2_S_OPEN && !sent && (data[1] & 0x80)) {
			h2_request(h, (const unsigned char *)"\x83\x86\x84", 3, "\0\0\0\0\0", 5);
			sent = 1;
		}
	}
	if (rc == H2_MORE && (data[1] & 0x40))
		rc = h2_eof(h);
	if (rc == H2_FAIL && !h->err[0])
		abort();
	return 0;
}
