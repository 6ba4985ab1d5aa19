/* url.h - URL parsing and reference resolution for the HTTP client (RFC 3986: generic
 * syntax, section 5 relative resolution; RFC 9110 section 4.2 http and https schemes).
 * Percent-encoding is kept as given; only url_decode() undoes it (for userinfo). */
#ifndef PB_URL_H
#define PB_URL_H

#include <stddef.h>

#define URL_MAX 8192		/* longest URL accepted, in bytes */
#define URL_HOST_MAX 256
#define URL_USERINFO_MAX 256
#define URL_PATH_MAX 4096

struct url {
	char scheme[16];		/* lower case; "" for a relative reference */
	int has_authority;		/* "//" was given */
	int has_userinfo;
	char userinfo[URL_USERINFO_MAX];	/* "user:pass", encoding kept */
	char host[URL_HOST_MAX];	/* reg-name lower-cased, or IPv6 literal without [] */
	int ipv6;			/* host was written in [] */
	char port[8];			/* digits, "" when none */
	char path[URL_PATH_MAX];
	int has_query;
	char query[URL_PATH_MAX];	/* without '?'; the fragment is dropped */
};

/* parse a URI reference (absolute or relative); 0, or -1 with a reason in err */
int url_parse(struct url *u, const char *s, char *err, size_t errlen);
/* resolve ref against the absolute base (RFC 3986 section 5.2.2, with dot segments removed) */
int url_resolve(const struct url *base, const struct url *ref, struct url *out, char *err,
		size_t errlen);
/* the port, or the scheme's default ("80", "443"; "" for other schemes) */
const char *url_port(const struct url *u);
/* "host", "[::1]:8080": the port when the URL gives one (as Go does for Host:), or always */
size_t url_authority(const struct url *u, int always_port, char *buf, size_t len);
/* origin-form request target: path (at least "/") and ?query; bytes >= 0x80 encoded */
size_t url_target(const struct url *u, char *buf, size_t len);
/* scheme://authority/path?query, without userinfo, and through url_redact() (a password
 * holding a '/' can make a URL that parses with the rest of the password in its path) */
size_t url_format(const struct url *u, char *buf, size_t len);
/* percent-decode the first n bytes of in into out; -1 when it does not fit */
int url_decode(const char *in, size_t n, char *out, size_t outlen);
/* s as given (it need not parse, nor have a scheme) for messages, with its password
 * replaced by "***": the userinfo ends at the last '@' of s, wherever the parser would put
 * that '@'. Only the password is replaced when the userinfo holds no '/', '?' or '#'; else
 * all of the userinfo, the user name too. At most 3 bytes longer than s; cut to fit len.
 * Returns the length written. */
size_t url_redact(const char *s, char *out, size_t len);
/* user and password from the userinfo, decoded; 0 or -1 */
int url_credentials(const struct url *u, char *user, size_t ulen, char *pass, size_t plen);

#endif
