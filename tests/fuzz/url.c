/* url.c - fuzz target: URL parsing, RFC 3986 section 5 resolution and formatting, and the
 * --connect-to and header-field checks. Input: BASE '\n' REFERENCE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/http.h"

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
