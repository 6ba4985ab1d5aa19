/* url.c - fuzz target: URL parsing, RFC 3986 section 5 resolution and formatting, the
 * --connect-to and header-field checks, and redaction. Input: BASE '\n' REFERENCE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/http.h"

/* a password as a person reads s (after "//" and the first ':' from there, up to the last
 * '@') never shows: the redacted text is a piece of s that ends before it, "***", and s from
 * that '@' on */
static void redact_hides_password(const char *s, char *buf, size_t len)
{
	const char *d = strstr(s, "//"), *at = strrchr(s, '@'), *colon;
	size_t n, tail, head;

	if (!d || !at || at < d + 2 || !(colon = memchr(d + 2, ':', (size_t)(at - d - 2))))
		return;
	n = url_redact(s, buf, len);
	if (n + 1 >= len)
		return;		/* cut to fit */
	tail = strlen(at);
	if (n < tail + 3 || strcmp(buf + n - tail, at) || memcmp(buf + n - tail - 3, "***", 3))
		abort();
	head = n - tail - 3;
	if (head > (size_t)(colon + 1 - s) || memcmp(buf, s, head))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct url *b, *r, *t;
	struct http_connect_to m;
	char *s, *nl, err[160], buf[URL_MAX + 64], user[128], pass[128];

	if (size > 2 * URL_MAX)
		return 0;
	if (!b) {
		b = malloc(sizeof(*b));
		r = malloc(sizeof(*r));
		t = malloc(sizeof(*t));
	}
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	nl = strchr(s, '\n');
	if (nl)
		*nl = 0;
	http_connect_to_parse(s, &m);
	http_field_check(s, err, sizeof(err));
	redact_hides_password(s, buf, sizeof(buf));
	if (url_parse(b, s, err, sizeof(err)) == 0) {
		url_format(b, buf, sizeof(buf));
		url_target(b, buf, sizeof(buf));
		url_authority(b, 1, buf, sizeof(buf));
		url_credentials(b, user, sizeof(user), pass, sizeof(pass));
		(void)url_port(b);
		if (nl && url_parse(r, nl + 1, err, sizeof(err)) == 0 &&
		    url_resolve(b, r, t, err, sizeof(err)) == 0) {
			url_format(t, buf, sizeof(buf));
			url_target(t, buf, sizeof(buf));
		}
	}
	free(s);
	return 0;
}
