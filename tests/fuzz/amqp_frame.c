/* amqp_frame.c - fuzz target: the amqp probe's AMQP 0-9-1 readers (net/amqp.h) over what a
 * server could send: a stream of frames, read as the probe reads them (header, size cap,
 * frame-end), each method decoded, the server-properties table searched, the mechanism list
 * read and a Tune answered into a small buffer; then the whole input as one field table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/amqp.h"

static size_t seen;

static void use(struct amqp_rd v)
{
	for (const unsigned char *p = v.p; p < v.end; p++)
		seen += *p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "product", "version", "platform", "capabilities", "" };
	const uint8_t *p = data, *end = data + size;
	unsigned char out[96];
	struct amqp_rd t = { data, data + size }, v;
	unsigned type, ch;
	uint32_t n;

	while (end - p >= 7 && amqp_head(p, &type, &ch, &n) == 0) {
		struct amqp_wr w = { out, 0, sizeof(out), 0 };
		struct amqp_msg m;

		if ((size_t)(end - p) - 7 < (size_t)n + 1 || p[7 + n] != AMQP_FRAME_END)
			break;
		if (type == 1 && amqp_method(p + 7, n, &m) == 0) {
			for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
				if (amqp_table_get(m.props, keys[i], &v))
					use(v);
			seen += (size_t)amqp_has(m.mechs, "PLAIN") + (size_t)amqp_has(m.mechs, "AMQPLAIN");
			use(m.text);
			amqp_tune_open(&w, &m, "/");
			if (w.n > w.cap || (!w.bad && out[w.n - 1] != AMQP_FRAME_END))
				abort();
		}
		p += 8 + (size_t)n;
	}
	if (amqp_table_get(t, "k", &v)) {
		if (v.p < data || v.end > data + size || v.p > v.end)
			abort();
		use(v);
	}
	return 0;
}
