/* url.c - URL parsing and reference resolution (RFC 3986 sections 3 and 5) for the HTTP
 * client; bounded: every component has a fixed maximum and a too-long URL is an error. */
//kbuild:obj-$(CONFIG_HTTP) += url.o

#include "url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* copy n bytes into a fixed field; -1 when it does not fit */
static int put(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = 0;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* every % is followed by two hex digits */
static int escapes_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '%' && (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 ||
				    hexval((unsigned char)s[i + 2]) < 0))
			return 0;
	return 1;
}

int url_decode(const char *in, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)in[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)in[i + 1]) >= 0 &&
		    hexval((unsigned char)in[i + 2]) >= 0) {
			c = hexval((unsigned char)in[i + 1]) * 16 + hexval((unsigned char)in[i + 2]);
			i += 2;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	if (!outlen)
		return -1;
	out[o] = 0;
	return 0;
}

static int scheme_ok(const char *s, size_t n)
{
	if (!n || !isalpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.')
			return 0;
	return 1;
}

static int parse_authority(struct url *u, const char *a, size_t n, char *err, size_t errlen)
{
	const char *at = NULL, *hp, *end = a + n, *colon = NULL;

	for (const char *p = a; p < end; p++)
		if (*p == '@')
			at = p;		/* the last '@' ends the userinfo */
	if (at) {
		if (put(u->userinfo, sizeof(u->userinfo), a, (size_t)(at - a)) < 0)
			return fail(err, errlen, "userinfo too long");
		u->has_userinfo = 1;
	}
	hp = at ? at + 1 : a;
	if (hp < end && *hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(end - hp));
		char tmp[URL_HOST_MAX];
		unsigned char bin[16];
		size_t hl;

		if (!rb)
			return fail(err, errlen, "missing ']' in host");
		hl = (size_t)(rb - hp - 1);
		if (put(u->host, sizeof(u->host), hp + 1, hl) < 0)
			return fail(err, errlen, "host too long");
		/* a zone (%25eth0) is allowed after the address */
		memcpy(tmp, u->host, hl + 1);
		tmp[strcspn(tmp, "%")] = 0;
		if (inet_pton(AF_INET6, tmp, bin) != 1)
			return fail(err, errlen, "invalid IPv6 address \"%s\" in host", u->host);
		u->ipv6 = 1;
		if (rb + 1 < end && rb[1] != ':')
			return fail(err, errlen, "invalid character after ']' in host");
		colon = rb + 1 < end ? rb + 1 : NULL;
	} else {
		for (const char *p = hp; p < end; p++) {
			if (*p == '[' || *p == ']')
				return fail(err, errlen, "invalid character '%c' in host", *p);
			if (*p == ':')
				colon = p;
		}
		if (put(u->host, sizeof(u->host), hp, (size_t)((colon ? colon : end) - hp)) < 0)
			return fail(err, errlen, "host too long");
		if (!escapes_ok(u->host, strlen(u->host)))
			return fail(err, errlen, "invalid URL escape in host");
		for (char *p = u->host; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (colon) {
		size_t pl = (size_t)(end - colon - 1);
		long v;

		for (size_t i = 0; i < pl; i++)
			if (!isdigit((unsigned char)colon[1 + i]))
				return fail(err, errlen, "invalid port \"%.*s\"", (int)(pl < 16 ? pl + 1 : 16),
					    colon);
		if (pl) {
			char pb[8];
			if (put(pb, sizeof(pb), colon + 1, pl) < 0 || parse_long(pb, 0, 65535, &v) < 0)
				return fail(err, errlen, "invalid port \"%.*s\"",
					    (int)(pl > 16 ? 16 : pl), colon + 1);
			char num[FMT_LONG_MAX];
			fmt_long(num, v);
			str_copy(u->port, sizeof(u->port), num);
		}
	}
	return 0;
}

int url_parse(struct url *u, const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s), i;
	const char *p = s, *end, *e;

	/* the fields, not the 9 kB of their buffers: every string is NUL-terminated */
	u->scheme[0] = u->userinfo[0] = u->host[0] = u->port[0] = u->path[0] = u->query[0] = 0;
	u->has_authority = u->has_userinfo = u->ipv6 = u->has_query = 0;
	if (n >= URL_MAX)
		return fail(err, errlen, "URL too long (more than %d bytes)", URL_MAX - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return fail(err, errlen, "invalid control character or space in URL");
	end = s + n;
	/* RFC 3986 appendix B, step by step */
	e = p + strcspn(p, ":/?#");
	if (e < end && *e == ':' && scheme_ok(p, (size_t)(e - p))) {
		if (put(u->scheme, sizeof(u->scheme), p, (size_t)(e - p)) < 0)
			return fail(err, errlen, "scheme too long");
		for (char *c = u->scheme; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		p = e + 1;
	} else if (e < end && *e == ':' && e == p) {
		return fail(err, errlen, "missing protocol scheme");
	}
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		p += 2;
		e = p + strcspn(p, "/?#");
		u->has_authority = 1;
		if (parse_authority(u, p, (size_t)(e - p), err, errlen) < 0) {
			/* with an '@' after the authority, what a message quotes of the host or
			 * port may be a piece of a password that holds a '/', '?' or '#' */
			if (strchr(e, '@') && strpbrk(err, "\"'"))
				fail(err, errlen, "invalid host or port (in a user name or password, "
				     "write '/', '?', '#' as %%2F, %%3F, %%23)");
			return -1;
		}
		p = e;
	}
	e = p + strcspn(p, "?#");
	if (put(u->path, sizeof(u->path), p, (size_t)(e - p)) < 0)
		return fail(err, errlen, "path too long");
	p = e;
	if (p < end && *p == '?') {
		p++;
		e = p + strcspn(p, "#");
		if (put(u->query, sizeof(u->query), p, (size_t)(e - p)) < 0)
			return fail(err, errlen, "query too long");
		u->has_query = 1;
		p = e;
	}
	if (!escapes_ok(u->path, strlen(u->path)) || !escapes_ok(u->query, strlen(u->query)))
		return fail(err, errlen, "invalid URL escape");
	return 0;
}

/* drop the last segment of out[0..*olen) and the '/' before it */
static void pop_segment(const char *out, size_t *olen)
{
	while (*olen && out[*olen - 1] != '/')
		(*olen)--;
	if (*olen)
		(*olen)--;
}

/* RFC 3986 section 5.2.4 */
static void remove_dot_segments(char *path)
{
	char buf[URL_PATH_MAX], *in = buf;
	size_t olen = 0;

	str_copy(buf, sizeof(buf), path);
	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2) || !strncmp(in, "/./", 3)) {
			in += 2;
		} else if (!strcmp(in, "/.")) {
			in[1] = 0;
		} else if (!strncmp(in, "/../", 4)) {
			in += 3;
			pop_segment(path, &olen);
		} else if (!strcmp(in, "/..")) {
			in[1] = 0;
			pop_segment(path, &olen);
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			in += strlen(in);
		} else {
			size_t seg = (in[0] == '/') + strcspn(in + (in[0] == '/'), "/");
			memcpy(path + olen, in, seg);
			olen += seg;
			in += seg;
		}
	}
	path[olen] = 0;
}

int url_resolve(const struct url *base, const struct url *ref, struct url *out, char *err,
		size_t errlen)
{
	if (ref->scheme[0]) {
		*out = *ref;
		remove_dot_segments(out->path);
		return 0;
	}
	if (ref->has_authority) {
		*out = *ref;
		remove_dot_segments(out->path);
	} else {
		*out = *base;
		if (!ref->path[0]) {
			if (ref->has_query) {
				out->has_query = 1;
				memcpy(out->query, ref->query, sizeof(out->query));
			}
		} else {
			if (ref->path[0] == '/') {
				memcpy(out->path, ref->path, sizeof(out->path));
			} else {
				/* merge: the base path up to its last '/', then the reference */
				const char *slash = strrchr(base->path, '/');
				size_t keep = slash ? (size_t)(slash - base->path) + 1 : 0;
				int n;

				if (base->has_authority && !base->path[0])
					n = snprintf(out->path, sizeof(out->path), "/%s", ref->path);
				else
					n = snprintf(out->path, sizeof(out->path), "%.*s%s", (int)keep,
						     base->path, ref->path);
				if (n < 0 || (size_t)n >= sizeof(out->path))
					return fail(err, errlen, "resolved path too long");
			}
			remove_dot_segments(out->path);
			out->has_query = ref->has_query;
			memcpy(out->query, ref->query, sizeof(out->query));
		}
	}
	memcpy(out->scheme, base->scheme, sizeof(out->scheme));
	return 0;
}

const char *url_port(const struct url *u)
{
	if (u->port[0])
		return u->port;
	if (!strcmp(u->scheme, "http"))
		return "80";
	if (!strcmp(u->scheme, "https"))
		return "443";
	return "";
}

/* host or [v6], then :port when there is one (sbuf_puts: a check formats several URLs) */
static void host_port(struct sbuf *b, const struct url *u, const char *port)
{
	if (u->ipv6)
		sbuf_add(b, "[", 1);
	sbuf_puts(b, u->host);
	if (u->ipv6)
		sbuf_add(b, "]", 1);
	if (*port) {
		sbuf_add(b, ":", 1);
		sbuf_puts(b, port);
	}
}

size_t url_authority(const struct url *u, int always_port, char *buf, size_t len)
{
	struct sbuf b;
	const char *port = always_port ? url_port(u) : u->port;

	sbuf_init(&b, buf, len);
	host_port(&b, u, port);
	return b.len;
}

/* copy s, percent-encoding bytes that may not appear on the wire as they are */
static void add_encoded(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			sbuf_printf(b, "%%%02X", (unsigned char)*s);
		else
			sbuf_add(b, s, 1);
	}
}

size_t url_target(const struct url *u, char *buf, size_t len)
{
	struct sbuf b;

	sbuf_init(&b, buf, len);
	add_encoded(&b, u->path[0] ? u->path : "/");
	if (u->has_query) {
		sbuf_add(&b, "?", 1);
		add_encoded(&b, u->query);
	}
	return b.len;
}

size_t url_format(const struct url *u, char *buf, size_t len)
{
	/* every field at its maximum fits; redacted before it is cut to len */
	size_t cap = sizeof(u->scheme) + URL_HOST_MAX + sizeof(u->port) + 2 * URL_PATH_MAX + 16, n;
	char *t = xmalloc(cap);
	struct sbuf b;

	sbuf_init(&b, t, cap);
	if (u->scheme[0]) {
		sbuf_puts(&b, u->scheme);
		sbuf_add(&b, ":", 1);
	}
	if (u->has_authority) {
		sbuf_add(&b, "//", 2);
		host_port(&b, u, u->port);
	}
	sbuf_puts(&b, u->path);
	if (u->has_query) {
		sbuf_add(&b, "?", 1);
		sbuf_puts(&b, u->query);
	}
	/* "http://admin:12/pw@h/" parses, with "/pw@h/" for its path */
	n = url_redact(t, buf, len);
	free(t);
	return n;
}

size_t url_redact(const char *s, char *out, size_t len)
{
	const char *e = s + strcspn(s, ":/?#"), *a = s, *at = strrchr(s, '@'), *colon;
	struct sbuf b;

	sbuf_init(&b, out, len);
	/* the authority starts after "scheme://" or a leading "//"; without either, all of s
	 * may be one ("user:pass@host") */
	if (*e == ':' && !strncmp(e + 1, "//", 2))
		a = e + 3;
	else if (!strncmp(s, "//", 2))
		a = s + 2;
	if (at && at < a)
		a = s;
	/* as a person reads it, the userinfo ends at the last '@', even one that the parser puts
	 * in the path, query or fragment: that is where a password holding '/', '?' or '#'
	 * ends. Then where the user name ends is in doubt too, and none of it is shown. */
	colon = at ? memchr(a, ':', (size_t)(at - a)) : NULL;
	if (colon) {
		const char *keep = strcspn(a, "/?#") < (size_t)(at - a) ? a : colon + 1;
		sbuf_add(&b, s, (size_t)(keep - s));
		sbuf_add(&b, "***", 3);
		s = at;
	}
	sbuf_add(&b, s, strlen(s));
	return b.len;
}

int url_credentials(const struct url *u, char *user, size_t ulen, char *pass, size_t plen)
{
	size_t ul = strcspn(u->userinfo, ":");
	const char *pw = u->userinfo[ul] ? u->userinfo + ul + 1 : "";

	if (url_decode(u->userinfo, ul, user, ulen) < 0)
		return -1;
	return url_decode(pw, strlen(pw), pass, plen);
}
