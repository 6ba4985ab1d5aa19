/* http_resp.c - fuzz target: the HTTP/1.1 response parser (RFC 9112) fed in pieces, then
 * the field lookups and the WWW-Authenticate parser (RFC 7616/7617) on what it stored.
 * Byte 0 picks HEAD/CONNECT and whether EOF follows; byte 1 the piece size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/http.h"

static size_t seen;

static void sink(void *arg, const unsigned char *p, size_t n)
{
	(void)arg;
	for (size_t i = 0; i < n; i++)
		seen += p[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_parser *p;
	struct http_challenge ch[4];
	size_t off = 2, step, it = 0;
	const char *v;
	char out[2048];
	int rc = HTTP_NEED_MORE;

	if (size < 2)
		return 0;
	if (!p)
		p = malloc(sizeof(*p));
	http_parser_init(p, data[0] & 1, (data[0] >> 1) & 1);
	p->on_body = sink;
	step = data[1] ? data[1] : size;
	while (off < size && rc == HTTP_NEED_MORE) {
		size_t n = size - off < step ? size - off : step, used = 0;
		rc = http_parse(p, data + off, n, &used);
		if (used > n)
			abort();
		off += n;
	}
	if (rc == HTTP_NEED_MORE && (data[0] & 4))
		rc = http_parse_eof(p);
	if (p->body_bytes > size)
		abort();
	if (http_parse_headers_done(p) || rc == HTTP_DONE) {
		(void)strlen(http_status_text(p));
		while ((v = http_field(p, "www-authenticate", &it))) {
			size_t n = http_auth_parse(v, ch, 4);
			for (size_t i = 0; i < n; i++)
				http_digest_auth(&ch[i], "user", "pass", "GET", "/x", "cn", 1, out, sizeof(out));
		}
		(void)http_field(p, "content-type", NULL);
	}
	return 0;
}
