/* http.c - HTTP/1.1 response parser and client (RFC 9110, RFC 9112; Basic RFC 7617, Digest
 * RFC 7616; CONNECT RFC 9110 section 9.3.6; URLs RFC 3986 through url.c).
 *
 * The parser is a state machine over bytes with fixed bounds (line length, field count,
 * header bytes, 1xx count); it never allocates and never reads a socket, so it is fuzzed
 * and unit-tested alone. The client sends each request in one write and always closes the
 * connection after one exchange (Connection: close), so no keep-alive state exists.
 */
//kbuild:obj-$(CONFIG_HTTP) += http.o
//config:config HTTP
//config:	bool
//config:	select BASE64
//config:	select HASH
//config:	help
//config:	  The HTTP/1.1 client and response parser used by check-http and
//config:	  the http probes: redirects, proxies (CONNECT for https), Basic and
//config:	  Digest authentication, chunked bodies, bounded everything.

#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "autoconf.h"
#include "../lib/base64.h"
#include "../lib/hash.h"
#include "../lib/util.h"

#ifndef PROBEBOX_VERSION
#define PROBEBOX_VERSION "0"
#endif

enum {
	S_STATUS, S_HEADERS, S_BODY_LEN, S_BODY_EOF, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_END,
	S_TRAILERS, S_DONE, S_ERROR,
};

/* ---------------------------------------------------------------------------------------- */
/* parser                                                                                   */

static int perr(struct http_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct http_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	p->state = S_ERROR;
	return HTTP_ERROR;
}

static int is_tchar(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

void http_parser_init(struct http_parser *p, int head, int connect)
{
	memset(p, 0, offsetof(struct http_parser, hbuf));
	p->llen = 0;	/* after hbuf: not cleared above */
	p->head = head;
	p->connect = connect;
	p->content_length = -1;
	p->state = S_STATUS;
}

static int parse_status_line(struct http_parser *p, const char *l, size_t n)
{
	size_t i = 8;

	if (n < 12 || memcmp(l, "HTTP/", 5) || !isdigit((unsigned char)l[5]) || l[6] != '.' ||
	    !isdigit((unsigned char)l[7]) || l[8] != ' ')
		return perr(p, "malformed status line \"%.40s\"", l);
	while (i < n && l[i] == ' ')
		i++;
	if (i + 3 > n || !isdigit((unsigned char)l[i]) || !isdigit((unsigned char)l[i + 1]) ||
	    !isdigit((unsigned char)l[i + 2]) || (i + 3 < n && l[i + 3] != ' ') || l[i] == '0')
		return perr(p, "malformed status code in \"%.40s\"", l);
	p->major = l[5] - '0';
	p->minor = l[7] - '0';
	p->status = (l[i] - '0') * 100 + (l[i + 1] - '0') * 10 + (l[i + 2] - '0');
	/* the status text goes first into hbuf; it fits, the line is shorter than hbuf */
	memcpy(p->hbuf, l + i, n - i);
	p->hbuf[n - i] = 0;
	p->hlen = n - i + 1;
	p->nfields = 0;
	p->state = S_HEADERS;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int field_line(struct http_parser *p, const char *l, size_t n, int trailer)
{
	const char *colon, *v;
	size_t nl, vl;

	if (l[0] == ' ' || l[0] == '\t') {
		/* obs-fold (RFC 9112 section 5.2): join to the previous value with one space */
		if (trailer)
			return 0;
		if (!p->nfields)
			return perr(p, "malformed header: continuation line before any header");
		trim(&l, &n);
		if (!n)
			return 0;
		if (p->hlen + n + 1 > sizeof(p->hbuf))
			return perr(p, "headers too large (more than %d bytes)", HTTP_HDR_BYTES);
		if (p->hbuf[p->hlen - 2] != 0)	/* the previous value is not empty */
			p->hbuf[p->hlen - 1] = ' ';
		else
			p->hlen--;
		memcpy(p->hbuf + p->hlen, l, n);
		p->hlen += n;
		p->hbuf[p->hlen++] = 0;
		return 0;
	}
	colon = memchr(l, ':', n);
	if (!colon || colon == l)
		return perr(p, "malformed header line \"%.40s\"", l);
	nl = (size_t)(colon - l);
	for (size_t i = 0; i < nl; i++)
		if (!is_tchar((unsigned char)l[i]))
			return perr(p, "malformed header name \"%.*s\"", (int)(nl > 40 ? 40 : nl), l);
	if (p->nfields + (size_t)p->ntrailers >= HTTP_HEADERS_MAX)
		return perr(p, "too many headers (more than %d)", HTTP_HEADERS_MAX);
	if (trailer) {
		p->ntrailers++;
		return 0;
	}
	v = colon + 1;
	vl = n - nl - 1;
	trim(&v, &vl);
	if (p->hlen + nl + vl + 2 > sizeof(p->hbuf))
		return perr(p, "headers too large (more than %d bytes)", HTTP_HDR_BYTES);
	p->field[p->nfields].name = (uint32_t)p->hlen;
	memcpy(p->hbuf + p->hlen, l, nl);
	p->hlen += nl;
	p->hbuf[p->hlen++] = 0;
	p->field[p->nfields].value = (uint32_t)p->hlen;
	memcpy(p->hbuf + p->hlen, v, vl);
	p->hlen += vl;
	p->hbuf[p->hlen++] = 0;
	p->nfields++;
	return 0;
}

/* every Content-Length field, and every element of a list in one, must agree (RFC 9110
 * section 8.6): the length, -1 when none, -2 when invalid */
static int64_t content_length(const struct http_parser *p)
{
	int64_t len = -1;
	size_t it = 0;
	const char *v;

	while ((v = http_field(p, "content-length", &it))) {
		do {
			int64_t n = 0;
			int digits = 0;

			while (*v == ' ' || *v == '\t')
				v++;
			for (; isdigit((unsigned char)*v); v++, digits++) {
				if (digits >= 18)
					return -2;
				n = n * 10 + (*v - '0');
			}
			while (*v == ' ' || *v == '\t')
				v++;
			if (!digits || (*v && *v != ',') || (len >= 0 && n != len))
				return -2;
			len = n;
		} while (*v++ == ',');
	}
	return len;
}

/* the last transfer coding is chunked (RFC 9112 section 6.3) */
static int last_coding_chunked(const char *v)
{
	const char *last = strrchr(v, ',');
	size_t n;

	last = last ? last + 1 : v;
	n = strlen(last);
	trim(&last, &n);
	return n == 7 && !strncasecmp(last, "chunked", 7);
}

static int end_of_headers(struct http_parser *p)
{
	const char *te = NULL, *v;
	size_t it = 0;

	if (p->status < 200 && p->status != 101) {
		if (++p->interim > HTTP_INTERIM_MAX)
			return perr(p, "too many interim (1xx) responses");
		p->nfields = 0;
		p->hlen = 0;
		p->state = S_STATUS;
		return 0;
	}
	while ((v = http_field(p, "transfer-encoding", &it)))
		te = v;
	p->content_length = content_length(p);
	if (p->content_length == -2)
		return perr(p, "invalid Content-Length");
	if (te) {
		p->chunked = last_coding_chunked(te);
		p->content_length = -1;	/* Transfer-Encoding overrides it */
	}
	if (p->head || p->status == 204 || p->status == 304 || p->status < 200 ||
	    (p->connect && p->status / 100 == 2)) {
		p->chunked = 0;
		p->state = S_DONE;
	} else if (p->chunked) {
		p->state = S_CHUNK_SIZE;
	} else if (te || p->content_length < 0) {
		p->state = S_BODY_EOF;
	} else {
		p->remaining = (uint64_t)p->content_length;
		p->state = p->remaining ? S_BODY_LEN : S_DONE;
	}
	return 0;
}

static int chunk_size_line(struct http_parser *p, const char *l, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; i < n && isxdigit((unsigned char)l[i]); i++) {
		if (i >= 15)
			return perr(p, "chunk too large");
		v = v * 16 + (uint64_t)(isdigit((unsigned char)l[i]) ? l[i] - '0'
							      : tolower((unsigned char)l[i]) - 'a' + 10);
	}
	if (!i)
		return perr(p, "malformed chunk size \"%.20s\"", l);
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < n && l[i] != ';')	/* chunk extensions are ignored */
		return perr(p, "malformed chunk size \"%.20s\"", l);
	p->remaining = v;
	p->state = v ? S_CHUNK_DATA : S_TRAILERS;
	return 0;
}

static int line_done(struct http_parser *p, char *l, size_t n)
{
	switch (p->state) {
	case S_STATUS:
		return parse_status_line(p, l, n);
	case S_HEADERS:
		return n ? field_line(p, l, n, 0) : end_of_headers(p);
	case S_TRAILERS:
		if (!n)
			p->state = S_DONE;
		return n ? field_line(p, l, n, 1) : 0;
	case S_CHUNK_SIZE:
		return chunk_size_line(p, l, n);
	case S_CHUNK_END:
		if (n)
			return perr(p, "malformed chunk: no line end after its data");
		p->state = S_CHUNK_SIZE;
		return 0;
	}
	return perr(p, "internal parser state");
}

static int line_too_long(struct http_parser *p)
{
	const char *what = p->state == S_STATUS ? "status line"
		: p->state == S_CHUNK_SIZE || p->state == S_CHUNK_END ? "chunk size line" : "header";

	return perr(p, "%s too long (more than %d bytes)", what, HTTP_LINE_MAX);
}

static void deliver(struct http_parser *p, const unsigned char *b, size_t n)
{
	p->body_bytes += n;
	if (p->on_body && n)
		p->on_body(p->arg, b, n);
}

int http_parse(struct http_parser *p, const unsigned char *buf, size_t len, size_t *used)
{
	size_t i = 0;

	while (i < len && p->state != S_DONE && p->state != S_ERROR) {
		if (p->state == S_BODY_EOF) {
			deliver(p, buf + i, len - i);
			i = len;
		} else if (p->state == S_BODY_LEN || p->state == S_CHUNK_DATA) {
			size_t take = len - i;
			if (take > p->remaining)
				take = (size_t)p->remaining;
			deliver(p, buf + i, take);
			i += take;
			p->remaining -= take;
			if (!p->remaining)
				p->state = p->state == S_BODY_LEN ? S_DONE : S_CHUNK_END;
		} else {
			const unsigned char *nl = memchr(buf + i, '\n', len - i);
			size_t take = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;

			if (p->llen + take > HTTP_LINE_MAX + 2)
				{ line_too_long(p); break; }
			memcpy(p->line + p->llen, buf + i, take);
			p->llen += take;
			i += take;
			if (!nl)
				continue;
			/* CR LF or a bare LF ends the line */
			p->llen--;
			if (p->llen && p->line[p->llen - 1] == '\r')
				p->llen--;
			p->line[p->llen] = 0;
			if (p->llen > HTTP_LINE_MAX)
				{ line_too_long(p); break; }
			{
				size_t n = p->llen;
				p->llen = 0;
				if (line_done(p, p->line, n) < 0)
					break;
			}
		}
	}
	p->consumed += i;
	if (used)
		*used = i;
	if (p->state == S_ERROR)
		return HTTP_ERROR;
	return p->state == S_DONE ? HTTP_DONE : HTTP_NEED_MORE;
}

int http_parse_eof(struct http_parser *p)
{
	switch (p->state) {
	case S_DONE:
		return HTTP_DONE;
	case S_BODY_EOF:
		p->state = S_DONE;
		return HTTP_DONE;
	case S_ERROR:
		return HTTP_ERROR;
	case S_STATUS:
		if (!p->consumed)
			return perr(p, "server closed the connection without a response");
		return perr(p, "connection closed in the status line");
	case S_HEADERS:
		return perr(p, "connection closed in the headers");
	case S_BODY_LEN:
		return perr(p, "connection closed in the body (%llu of %lld bytes)",
			    (unsigned long long)p->body_bytes, (long long)p->content_length);
	default:
		return perr(p, "connection closed in the chunked body");
	}
}

int http_parse_headers_done(const struct http_parser *p)
{
	return p->state != S_STATUS && p->state != S_HEADERS && p->state != S_ERROR;
}

const char *http_status_text(const struct http_parser *p)
{
	return p->hbuf;
}

const char *http_field(const struct http_parser *p, const char *name, size_t *iter)
{
	for (size_t i = iter ? *iter : 0; i < p->nfields; i++)
		if (!strcasecmp(p->hbuf + p->field[i].name, name)) {
			if (iter)
				*iter = i + 1;
			return p->hbuf + p->field[i].value;
		}
	if (iter)
		*iter = p->nfields;
	return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* authentication                                                                            */

static size_t token_len(const char *s)
{
	size_t n = 0;
	while (is_tchar((unsigned char)s[n]))
		n++;
	return n;
}

/* a token or quoted-string value at *s into out; 0, or -1 when it does not fit */
static int auth_value(const char **s, char *out, size_t outlen)
{
	const char *p = *s;
	size_t o = 0;
	int ok = 1;

	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			if (o + 1 < outlen)
				out[o++] = *p;
			else
				ok = 0;
		}
		if (*p == '"')
			p++;
	} else {
		size_t n = token_len(p);
		/* token68 characters too ('/', '=') for sloppy servers */
		while (p[n] == '/' || p[n] == '=' || is_tchar((unsigned char)p[n]))
			n++;
		if (n >= outlen)
			ok = 0;
		else
			memcpy(out, p, o = n);
		p += n;
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = 0;
	*s = p;
	return ok ? 0 : -1;
}

static void auth_param(struct http_challenge *c, const char *name, size_t nl, const char **s,
		       int *bad)
{
	char v[256];

#define IS(w) (nl == sizeof(w) - 1 && !strncasecmp(name, w, nl))
	if (IS("realm"))
		*bad |= auth_value(s, c->realm, sizeof(c->realm));
	else if (IS("nonce"))
		*bad |= auth_value(s, c->nonce, sizeof(c->nonce));
	else if (IS("opaque"))
		*bad |= auth_value(s, c->opaque, sizeof(c->opaque));
	else if (IS("algorithm")) {
		*bad |= auth_value(s, v, sizeof(v));
		if (!strcasecmp(v, "MD5") || !strcasecmp(v, "MD5-sess"))
			c->sha256 = 0;
		else if (!strcasecmp(v, "SHA-256") || !strcasecmp(v, "SHA-256-sess"))
			c->sha256 = 1;
		else
			*bad = 1;	/* SHA-512-256 and others: not ours */
		c->sess = strlen(v) > 5 && !strcasecmp(v + strlen(v) - 5, "-sess");
	} else if (IS("qop")) {
		char *tok, *save;
		*bad |= auth_value(s, v, sizeof(v));
		for (tok = strtok_r(v, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
			if (!strcasecmp(tok, "auth"))
				c->qop_auth = 1;
			else
				c->qop_other = 1;
		}
	} else {
		auth_value(s, v, sizeof(v));
	}
#undef IS
}

size_t http_auth_parse(const char *s, struct http_challenge *ch, size_t max)
{
	size_t count = 0;

	while (*s) {
		struct http_challenge c = { 0 };
		size_t n;
		int bad = 0;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		n = token_len(s);
		if (!n) {
			if (*s)
				s++;	/* junk: skip a byte and resync */
			continue;
		}
		if (n == 5 && !strncasecmp(s, "Basic", 5))
			c.scheme = HTTP_AUTH_BASIC;
		else if (n == 6 && !strncasecmp(s, "Digest", 6))
			c.scheme = HTTP_AUTH_DIGEST;
		s += n;
		/* auth-params until a token that is not followed by '=' (the next scheme) */
		for (;;) {
			const char *save = s, *name;
			size_t nl;

			while (*s == ' ' || *s == '\t' || *s == ',')
				s++;
			name = s;
			nl = token_len(s);
			s += nl;
			while (*s == ' ' || *s == '\t')
				s++;
			if (!nl || *s != '=') {
				s = save;	/* the next challenge, or the end */
				break;
			}
			s++;
			while (*s == ' ' || *s == '\t')
				s++;
			auth_param(&c, name, nl, &s, &bad);
		}
		if (c.scheme == HTTP_AUTH_DIGEST && (!c.nonce[0] || bad))
			c.scheme = 0;
		if (count < max)
			ch[count++] = c;
	}
	return count;
}

/* lower-case hex digest of the given strings joined by ':' */
static void hjoin(int sha256, char out[2 * SHA256_LEN + 1], const char *const *parts, size_t n)
{
	unsigned char d[SHA256_LEN];
	struct hash h;

	hash_init(&h, sha256 ? HASH_SHA256 : HASH_MD5);
	for (size_t i = 0; i < n; i++) {
		if (i)
			hash_update(&h, ":", 1);
		hash_update(&h, parts[i], strlen(parts[i]));
	}
	hash_final(&h, d);
	hex_encode(d, HASH_LEN(h.alg), out);
}

/* a quoted-string: '"' and '\' escaped */
static void add_quoted(struct sbuf *b, const char *s)
{
	sbuf_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sbuf_add(b, "\\", 1);
		sbuf_add(b, s, 1);
	}
	sbuf_add(b, "\"", 1);
}

int http_digest_auth(const struct http_challenge *c, const char *user, const char *pass,
		     const char *method, const char *uri, const char *cnonce, unsigned nc,
		     char *out, size_t outlen)
{
	char ha1[2 * SHA256_LEN + 1], ha2[sizeof(ha1)], resp[sizeof(ha1)], ncs[12];
	struct sbuf b;

	snprintf(ncs, sizeof(ncs), "%08x", nc);
	hjoin(c->sha256, ha1, (const char *const[]){ user, c->realm, pass }, 3);
	if (c->sess) {
		char h[sizeof(ha1)];
		memcpy(h, ha1, sizeof(h));
		hjoin(c->sha256, ha1, (const char *const[]){ h, c->nonce, cnonce }, 3);
	}
	hjoin(c->sha256, ha2, (const char *const[]){ method, uri }, 2);
	if (c->qop_auth)
		hjoin(c->sha256, resp,
		      (const char *const[]){ ha1, c->nonce, ncs, cnonce, "auth", ha2 }, 6);
	else
		hjoin(c->sha256, resp, (const char *const[]){ ha1, c->nonce, ha2 }, 3);

	sbuf_init(&b, out, outlen);
	sbuf_add(&b, "Digest username=", 16);
	add_quoted(&b, user);
	sbuf_add(&b, ", realm=", 8);
	add_quoted(&b, c->realm);
	sbuf_add(&b, ", nonce=", 8);
	add_quoted(&b, c->nonce);
	sbuf_add(&b, ", uri=", 6);
	add_quoted(&b, uri);
	sbuf_printf(&b, ", algorithm=%s%s, response=\"%s\"", c->sha256 ? "SHA-256" : "MD5",
		    c->sess ? "-sess" : "", resp);
	if (c->opaque[0]) {
		sbuf_add(&b, ", opaque=", 9);
		add_quoted(&b, c->opaque);
	}
	if (c->qop_auth)
		sbuf_printf(&b, ", qop=auth, nc=%s, cnonce=\"%s\"", ncs, cnonce);
	return b.len + 1 < outlen ? 0 : -1;
}

int http_basic_auth(const char *user, const char *pass, char *out, size_t outlen)
{
	size_t ul = strlen(user), pl = strlen(pass);
	char raw[1024];

	if (ul + pl + 1 >= sizeof(raw) || 6 + BASE64_LEN(ul + pl + 1) > outlen)
		return -1;
	memcpy(raw, user, ul);
	raw[ul] = ':';
	memcpy(raw + ul + 1, pass, pl);
	memcpy(out, "Basic ", 6);
	base64_encode(raw, ul + pl + 1, out + 6);
	memset(raw, 0, sizeof(raw));
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* small checks and mappings                                                                 */

int http_method_ok(const char *m)
{
	return m && *m && token_len(m) == strlen(m);
}

int http_field_check(const char *line, char *err, size_t errlen)
{
	const char *colon = strchr(line, ':');
	size_t nl = colon ? (size_t)(colon - line) : 0;

	if (!colon || !nl || token_len(line) != nl) {
		/* Go prints the whole line; a malformed "Authorization Bearer xyz" would then
		 * show its token, so only the leading name-like part is named */
		size_t show = strcspn(line, " \t:");
		snprintf(err, errlen, "malformed MIME header line: %.*s%s", (int)(show > 64 ? 64 : show),
			 line, line[show] ? " ..." : "");
		return -1;
	}
	if (strpbrk(colon, "\r\n")) {
		snprintf(err, errlen, "invalid header value for %.*s: line breaks are not allowed",
			 (int)nl, line);
		return -1;
	}
	return 0;
}

/* n bytes of s as a string into out; -1 when they do not fit */
static int copy_part(const char *s, size_t n, char *out, size_t outlen)
{
	if (n >= outlen)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

/* one host part of --connect-to: "" or "[...]" or free of brackets; stored without [] */
static int connect_to_host(const char *s, size_t n, char *out, size_t outlen)
{
	if (n && s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return -1;
		s++, n -= 2;
	} else if (memchr(s, '[', n) || memchr(s, ']', n)) {
		return -1;
	}
	return copy_part(s, n, out, outlen);
}

static int digits_only(const char *s, size_t n, char *out, size_t outlen)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	return copy_part(s, n, out, outlen);
}

int http_connect_to_parse(const char *s, struct http_connect_to *m)
{
	size_t n = strlen(s);
	const char *c3, *c2, *c1;

	memset(m, 0, sizeof(*m));
	/* from the right: PORT2 after the last ':', HOST2 ([...] or colon-free), PORT1, HOST1 */
	c3 = memrchr(s, ':', n);
	if (!c3 || digits_only(c3 + 1, n - (size_t)(c3 - s) - 1, m->port2, sizeof(m->port2)))
		return -1;
	if (c3 > s && c3[-1] == ']') {
		const char *lb = memrchr(s, '[', (size_t)(c3 - s));
		if (!lb || lb == s || lb[-1] != ':')
			return -1;
		c2 = lb - 1;
	} else {
		c2 = memrchr(s, ':', (size_t)(c3 - s));
	}
	if (!c2 || connect_to_host(c2 + 1, (size_t)(c3 - c2 - 1), m->host2, sizeof(m->host2)))
		return -1;
	c1 = memrchr(s, ':', (size_t)(c2 - s));
	if (!c1 || digits_only(c1 + 1, (size_t)(c2 - c1 - 1), m->port1, sizeof(m->port1)))
		return -1;
	return connect_to_host(s, (size_t)(c1 - s), m->host1, sizeof(m->host1));
}

static int is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* host is inside addr/prefix */
static int cidr_match(const char *host, const char *cidr)
{
	char net[64];
	unsigned char h[16], a[16];
	const char *slash = strchr(cidr, '/');
	long bits;
	int fam, len;

	if (!slash || (size_t)(slash - cidr) >= sizeof(net))
		return 0;
	memcpy(net, cidr, (size_t)(slash - cidr));
	net[slash - cidr] = 0;
	fam = strchr(net, ':') ? AF_INET6 : AF_INET;
	len = fam == AF_INET6 ? 16 : 4;
	if (inet_pton(fam, net, a) != 1 || inet_pton(fam, host, h) != 1 ||
	    parse_long(slash + 1, 0, len * 8, &bits) < 0)
		return 0;
	for (long i = 0; i < bits; i++)
		if (((h[i / 8] ^ a[i / 8]) >> (7 - i % 8)) & 1)
			return 0;
	return 1;
}

/* one NO_PROXY entry against the URL's host and port */
static int no_proxy_entry(const char *e, const struct url *u)
{
	char buf[URL_HOST_MAX + 8];
	const char *host, *port;
	size_t hl, nl;

	if (!strcmp(e, "*"))
		return 1;
	if (strchr(e, '/'))
		return cidr_match(u->host, e);
	if (conn_split_hostport(e, buf, sizeof(buf), &host, &port, "") < 0)
		return 0;
	if (*port && strcmp(port, url_port(u)))
		return 0;
	if (!strncmp(host, "*.", 2))
		host++;
	if (*host == '.')
		host++;
	hl = strlen(u->host);
	nl = strlen(host);
	if (!strcasecmp(u->host, host))
		return 1;
	return !tls_is_ip_literal(host) && hl > nl && u->host[hl - nl - 1] == '.' &&
	       !strcasecmp(u->host + hl - nl, host);
}

static const char *env_any(const char *a, const char *b)
{
	const char *v = getenv(a);
	if (!v || !*v)
		v = getenv(b);
	return v && *v ? v : NULL;
}

const char *http_proxy_from_env(const struct url *u, int loopback)
{
	int https = !strcmp(u->scheme, "https");
	const char *proxy = https ? env_any("HTTPS_PROXY", "https_proxy")
				  : env_any("HTTP_PROXY", "http_proxy");
	const char *np = env_any("NO_PROXY", "no_proxy");

	if (!proxy || (!loopback && is_loopback(u->host)))
		return NULL;
	while (np && *np) {
		char e[URL_HOST_MAX + 8];
		size_t n = strcspn(np, ",");
		const char *s = np;
		size_t sl = n;

		trim(&s, &sl);
		if (sl && sl < sizeof(e)) {
			memcpy(e, s, sl);
			e[sl] = 0;
			if (no_proxy_entry(e, u))
				return NULL;
		}
		np += n;
		if (*np)
			np++;
	}
	return proxy;
}

/* ---------------------------------------------------------------------------------------- */
/* the client                                                                                */

#define RBUF 16384
#define AUTH_MAX 2048

struct hop {
	int use_proxy;
	const char *method;
	const char *body;
	size_t body_len;
	const char *host_field;		/* a Host: given by the user, NULL: from the URL */
	int other_host;			/* redirected away from the original host: the user's
					 * Authorization and Cookie fields are not sent */
	/* from here on set before use: http_fetch() zeroes only what comes before */
	struct url u;
	struct url proxy;		/* valid when use_proxy */
	char authz[AUTH_MAX];		/* Authorization value, "" for none */
	char proxy_authz[AUTH_MAX];	/* Proxy-Authorization value, "" for none */
	char target[URL_MAX + 64];	/* the request-target as sent */
};

struct xfer {
	const struct http_request *rq;
	struct http_result *res;
	size_t body_max, body_cap;
	double t0;
};

static int xerr(struct http_result *res, enum conn_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int xerr(struct http_result *res, enum conn_err e, const char *fmt, ...)
{
	va_list ap;

	res->err = e;
	va_start(ap, fmt);
	vsnprintf(res->errmsg, sizeof(res->errmsg), fmt, ap);
	va_end(ap);
	return -1;
}

/* where and why a step failed, for http_result.stage and .cause */
static void xcause(struct http_result *res, int stage, const char *cause)
{
	res->stage = stage;
	str_copy(res->cause, sizeof(res->cause), cause);
}

static void on_body(void *arg, const unsigned char *b, size_t n)
{
	struct xfer *x = arg;
	struct http_result *r = x->res;
	size_t room = x->body_max - r->body_len;

	if (n > room) {
		n = room;
		r->body_truncated = 1;
	}
	if (r->body_len + n + 1 > x->body_cap) {
		size_t cap = x->body_cap ? x->body_cap : 16384;
		while (cap < r->body_len + n + 1)
			cap *= 2;
		if (cap > x->body_max + 1)
			cap = x->body_max + 1;
		r->body = xrealloc(r->body, cap);
		x->body_cap = cap;
	}
	memcpy(r->body + r->body_len, b, n);
	r->body_len += n;
	r->body[r->body_len] = 0;
}

/* the first mapping that matches host:port rewrites it (hosts compared without []) */
static void apply_connect_to(const struct http_request *rq, const char **host, const char **port)
{
	for (size_t i = 0; i < rq->nconnect_to; i++) {
		const struct http_connect_to *m = &rq->connect_to[i];
		if (m->host1[0] && strcasecmp(m->host1, *host))
			continue;
		if (m->port1[0] && strcmp(m->port1, *port))
			continue;
		if (m->host2[0])
			*host = m->host2;
		if (m->port2[0])
			*port = m->port2;
		return;
	}
}

/* "127.0.0.1:80", "[::1]:80" */
static void join_hostport(char *buf, size_t len, const char *host, const char *port)
{
	snprintf(buf, len, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

static int user_field(const struct http_request *rq, const char *name, const char **value)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < rq->nfields; i++) {
		const char *f = rq->fields[i];
		if (!strncasecmp(f, name, nl) && f[nl] == ':') {
			if (value) {
				const char *v = f + nl + 1;
				while (*v == ' ' || *v == '\t')
					v++;
				*value = v;
			}
			return 1;
		}
	}
	return 0;
}

/* "Name: value\r\n" */
static void put_field(struct sbuf *b, const char *name, const char *value)
{
	sbuf_puts(b, name);
	sbuf_add(b, ": ", 2);
	sbuf_puts(b, value);
	sbuf_add(b, "\r\n", 2);
}

/* the whole request in one buffer (heap), for one write (no printf: every check sends one) */
static char *build_request(const struct http_request *rq, struct hop *h, size_t *len)
{
	size_t cap = 1024 + strlen(h->method) + sizeof(h->target) + 2 * AUTH_MAX + h->body_len +
		     (rq->user_agent ? strlen(rq->user_agent) : 0);
	struct sbuf b;
	char auth[URL_HOST_MAX + 16];
	char *buf;
	int post_like = !strcmp(h->method, "POST") || !strcmp(h->method, "PUT") ||
			!strcmp(h->method, "PATCH");

	for (size_t i = 0; i < rq->nfields; i++)
		cap += strlen(rq->fields[i]) + 2;
	buf = xmalloc(cap);
	sbuf_init(&b, buf, cap);
	sbuf_puts(&b, h->method);
	sbuf_add(&b, " ", 1);
	sbuf_puts(&b, h->target);
	sbuf_add(&b, " HTTP/1.1\r\n", 11);
	if (!h->host_field)
		url_authority(&h->u, 0, auth, sizeof(auth));
	put_field(&b, "Host", h->host_field ? h->host_field : auth);
	if (rq->user_agent && !user_field(rq, "User-Agent", NULL))
		put_field(&b, "User-Agent", rq->user_agent);
	for (size_t i = 0; i < rq->nfields; i++) {
		const char *f = rq->fields[i];
		static const char *const ours[] = { "Host:", "Content-Length:", "Connection:",
						    "Transfer-Encoding:" };
		static const char *const secret[] = { "Authorization:", "Cookie:" };
		int skip = 0;
		for (size_t k = 0; k < ARRAY_LEN(ours); k++)
			skip |= !strncasecmp(f, ours[k], strlen(ours[k]));
		for (size_t k = 0; k < ARRAY_LEN(secret) && h->other_host; k++)
			skip |= !strncasecmp(f, secret[k], strlen(secret[k]));
		if (!skip) {
			sbuf_puts(&b, f);
			sbuf_add(&b, "\r\n", 2);
		}
	}
	if (h->authz[0] && !user_field(rq, "Authorization", NULL))
		put_field(&b, "Authorization", h->authz);
	if (h->proxy_authz[0] && h->use_proxy && strcmp(h->u.scheme, "https"))
		put_field(&b, "Proxy-Authorization", h->proxy_authz);
	if (h->body || post_like) {
		sbuf_add(&b, "Content-Length: ", 16);
		sbuf_long(&b, h->body ? (long long)h->body_len : 0);
		sbuf_add(&b, "\r\n", 2);
	}
	sbuf_add(&b, "Connection: close\r\n\r\n", 21);
	if (h->body && b.len + h->body_len < cap) {
		memcpy(buf + b.len, h->body, h->body_len);
		b.len += h->body_len;
	}
	*len = b.len;
	return buf;
}

/* read and parse until the parser says DONE, or the headers are done (headers_only);
 * -1 with the error in res */
static int read_response(struct xfer *x, struct conn *c, struct http_parser *p, int headers_only,
			 int *first)
{
	unsigned char *buf = xmalloc(RBUF);
	int rc;

	while (p->state != S_DONE && !(headers_only && http_parse_headers_done(p))) {
		ssize_t n;

		if (p->on_body && x->res->body_truncated)
			break;	/* the body limit: stop reading, do not fail (unless asked) */
		n = conn_read(c, buf, RBUF);
		if (n < 0) {
			free(buf);
			xcause(x->res, http_parse_headers_done(p) ? HTTP_STAGE_BODY : HTTP_STAGE_RESPONSE,
			       c->errmsg);
			return xerr(x->res, c->err, "%s", c->errmsg);
		}
		if (*first) {
			*first = 0;
			x->res->t_first_byte = mono_sec() - x->t0;
		}
		rc = n ? http_parse(p, buf, (size_t)n, NULL) : http_parse_eof(p);
		if (rc == HTTP_ERROR) {
			free(buf);
			xcause(x->res, http_parse_headers_done(p) ? HTTP_STAGE_BODY : HTTP_STAGE_RESPONSE,
			       p->err);
			return xerr(x->res, CONN_E_PROTO, "malformed HTTP response: %s", p->err);
		}
	}
	free(buf);
	return 0;
}

/* CONNECT host:port through the proxy (RFC 9110 section 9.3.6) */
static int tunnel(struct xfer *x, struct conn *c, struct hop *h)
{
	char auth[URL_HOST_MAX + 16], *req;
	struct http_parser *p = xmalloc(sizeof(*p));
	struct sbuf b;
	int first = 0, rc;

	url_authority(&h->u, 1, auth, sizeof(auth));
	req = xmalloc(512 + sizeof(auth) * 2 + AUTH_MAX);
	sbuf_init(&b, req, 512 + sizeof(auth) * 2 + AUTH_MAX);
	sbuf_printf(&b, "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: probebox/%s\r\n", auth, auth,
		    PROBEBOX_VERSION);
	if (h->proxy_authz[0])
		sbuf_printf(&b, "Proxy-Authorization: %s\r\n", h->proxy_authz);
	sbuf_add(&b, "\r\n", 2);
	rc = conn_write(c, req, b.len);
	free(req);
	if (rc < 0) {
		free(p);
		return xerr(x->res, c->err, "proxyconnect: %s", c->errmsg);
	}
	http_parser_init(p, 0, 1);
	rc = read_response(x, c, p, 1, &first);
	if (rc == 0 && p->status / 100 != 2)
		rc = xerr(x->res, CONN_E_PROTO, "proxy refused CONNECT: %d %s", p->status,
			  strchr(http_status_text(p), ' ') ? strchr(http_status_text(p), ' ') + 1 : "");
	free(p);
	return rc;
}

static int tls_step(struct xfer *x, struct conn *c, struct hop *h)
{
	struct tls_opts to = x->rq->tls;
	struct http_result *r = x->res;
	char why[600];
	double t;

	to.host = h->u.host;
	/* judged here, not in conn_starttls(): the peer goes into the result either way */
	to.defer_verify = 1;
	t = mono_sec();
	/* without TLS conn_starttls() always fails: the rest is dropped */
	if (conn_starttls(c, &to) < 0 || !ENABLE_TLS) {
		xcause(r, HTTP_STAGE_TLS, c->errmsg);
		return xerr(r, c->err, "%s", c->errmsg);
	}
	r->tls = 1;
	r->t_tls = mono_sec() - t;
	r->tls_verify = tls_verdict(c->tls, &r->peer, why, sizeof(why));
	if (x->rq->tls_judge) {
		r->tls_verify = x->rq->tls_judge(x->rq->tls_arg, c->tls, &r->peer, h->u.host);
		tls_describe_failure(r->tls_verify, &r->peer, why, sizeof(why));
	}
	if (r->tls_verify) {
		xcause(r, HTTP_STAGE_TLS, why);
		return xerr(r, CONN_E_CERT, "TLS: %s", why);
	}
	return 0;
}

/* one request and its response headers over a new connection; the body is read only when
 * want_body says so after the headers */
static int exchange(struct xfer *x, struct hop *h, struct conn *c, struct http_parser *p)
{
	const struct http_request *rq = x->rq;
	struct http_result *r = x->res;
	const char *host, *port;
	char addr[URL_HOST_MAX + 16], *req;
	size_t len;
	int https = !strcmp(h->u.scheme, "https"), first = 1, rc;

	host = h->use_proxy ? h->proxy.host : h->u.host;
	port = url_port(h->use_proxy ? &h->proxy : &h->u);
	apply_connect_to(rq, &host, &port);
	join_hostport(addr, sizeof(addr), host, port);
	if (rq->unix_socket) {
		str_copy(addr, sizeof(addr), rq->unix_socket);
		rc = conn_open_unix(c, rq->unix_socket, rq->deadline);
	} else {
		rc = conn_open(c, host, port, &rq->conn, rq->deadline);
	}
	if (rc < 0) {
		xcause(r, HTTP_STAGE_CONNECT, c->errmsg);
		if (c->err == CONN_E_CONFIG)
			return xerr(r, c->err, "%s", c->errmsg);
		return xerr(r, c->err, "%sdial %s %s: %s", h->use_proxy ? "proxyconnect tcp: " : "",
			    rq->unix_socket ? "unix" : "tcp", addr, c->errmsg);
	}
	r->t_connect = c->t_connected - c->t_start;
	r->family = c->family;
	r->tls = 0;
	r->tls_verify = 0;
	if (https && h->use_proxy && tunnel(x, c, h) < 0)
		return -1;
	if (https && tls_step(x, c, h) < 0)
		return -1;
	if (h->use_proxy && !https) {
		/* absolute-form (RFC 9112 section 3.2.2) */
		size_t n = (size_t)snprintf(h->target, sizeof(h->target), "%s://", h->u.scheme);
		n += url_authority(&h->u, 0, h->target + n, sizeof(h->target) - n);
		url_target(&h->u, h->target + n, sizeof(h->target) - n);
	} else {
		url_target(&h->u, h->target, sizeof(h->target));
	}
	req = build_request(rq, h, &len);
	rc = conn_write(c, req, len);
	free(req);
	if (rc < 0) {
		xcause(r, HTTP_STAGE_SEND, c->errmsg);
		return xerr(r, c->err, "write tcp %s: %s", addr, c->errmsg);
	}
	http_parser_init(p, !strcmp(h->method, "HEAD"), 0);
	p->on_body = on_body;
	p->arg = x;
	r->body_len = 0;
	r->body_truncated = 0;
	if (read_response(x, c, p, 1, &first) < 0)
		return -1;
	r->t_headers = mono_sec() - x->t0;
	return 0;
}

static int same_origin(const struct url *u, const char *host, const char *scheme, const char *port)
{
	if (strcasecmp(u->host, host))
		return 0;
	if (!strcmp(u->scheme, scheme) && !strcmp(url_port(u), port))
		return 1;
	return !strcmp(scheme, "http") && !strcmp(port, "80") && !strcmp(u->scheme, "https") &&
	       !strcmp(url_port(u), "443");
}

static int is_redirect(int st)
{
	return st == 301 || st == 302 || st == 303 || st == 307 || st == 308;
}

/* the proxy for this hop, if any; -1 on a bad proxy URL */
static int pick_proxy(struct xfer *x, struct hop *h)
{
	const char *ps = x->rq->proxy ? x->rq->proxy : http_proxy_from_env(&h->u, x->rq->proxy_loopback);
	char buf[URL_MAX], err[160], user[256], pass[256];

	h->use_proxy = 0;
	h->proxy_authz[0] = 0;
	if (!ps || !*ps || x->rq->unix_socket)
		return 0;
	snprintf(buf, sizeof(buf), "%s%s", strstr(ps, "://") ? "" : "http://", ps);
	if (url_parse(&h->proxy, buf, err, sizeof(err)) < 0)
		return xerr(x->res, CONN_E_CONFIG, "invalid proxy URL: %s", err);
	if (strcmp(h->proxy.scheme, "http"))
		return xerr(x->res, CONN_E_CONFIG, "unsupported proxy scheme \"%s\"", h->proxy.scheme);
	if (!h->proxy.host[0])
		return xerr(x->res, CONN_E_CONFIG, "invalid proxy URL: no host");
	if (h->proxy.has_userinfo &&
	    (url_credentials(&h->proxy, user, sizeof(user), pass, sizeof(pass)) < 0 ||
	     http_basic_auth(user, pass, h->proxy_authz, sizeof(h->proxy_authz)) < 0))
		return xerr(x->res, CONN_E_CONFIG, "proxy credentials too long");
	memset(pass, 0, sizeof(pass));
	h->use_proxy = 1;
	return 0;
}

static int check_target(struct http_result *r, const struct url *u)
{
	if (strcmp(u->scheme, "http") && strcmp(u->scheme, "https"))
		return xerr(r, CONN_E_PROTO, "unsupported protocol scheme \"%s\"", u->scheme);
	if (!u->host[0])
		return xerr(r, CONN_E_PROTO, "http: no Host in request URL");
	if (!tls_available && !strcmp(u->scheme, "https"))
		return xerr(r, CONN_E_CONFIG, "https is not supported by this build (no TLS)");
	return 0;
}

static void cnonce(char out[33])
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		uint64_t t = (uint64_t)mono_ms() ^ ((uint64_t)getpid() << 32);
		for (size_t i = 0; i < sizeof(r); i++, t = t * 6364136223846793005u + 1)
			r[i] = (unsigned char)(t >> 56);
	}
	hex_encode(r, sizeof(r), out);
}

/* answer a 401 with the best challenge we speak: Digest SHA-256, Digest MD5, Basic */
static int answer_challenge(struct xfer *x, struct hop *h, const struct http_parser *p,
			    const char *user, const char *pass, int sent_basic)
{
	struct http_challenge ch[8], *best = NULL;
	size_t n = 0, it = 0;
	const char *v;

	while ((v = http_field(p, "www-authenticate", &it)) && n < ARRAY_LEN(ch))
		n += http_auth_parse(v, ch + n, ARRAY_LEN(ch) - n);
	for (size_t i = 0; i < n; i++) {
		struct http_challenge *c = &ch[i];
		if (c->scheme == HTTP_AUTH_DIGEST && (x->rq->auth & HTTP_AUTH_DIGEST) && !c->qop_other) {
			if (!best || best->scheme != HTTP_AUTH_DIGEST || (c->sha256 && !best->sha256))
				best = c;
		} else if (c->scheme == HTTP_AUTH_BASIC && (x->rq->auth & HTTP_AUTH_BASIC) &&
			   !sent_basic && !best) {
			best = c;
		}
	}
	if (!best)
		return 0;
	if (best->scheme == HTTP_AUTH_BASIC)
		return http_basic_auth(user, pass, h->authz, sizeof(h->authz)) == 0;
	{
		char cn[33];
		cnonce(cn);
		return http_digest_auth(best, user, pass, h->method, h->target, cn, 1, h->authz,
					sizeof(h->authz)) == 0;
	}
}

int http_fetch(const struct http_request *rq, struct http_result *res)
{
	struct xfer x = { .rq = rq, .res = res };
	struct hop *h = xmalloc(sizeof(*h));
	struct url *next = xmalloc(sizeof(*next));
	struct conn *c = xmalloc(sizeof(*c));
	char err[160], user[256] = "", pass[256] = "", orig_host[URL_HOST_MAX];
	char orig_scheme[16], orig_port[8];
	int have_creds = 0, sent_basic = 0, tried_auth = 0, rc = -1;

	memset(res, 0, sizeof(*res));
	x.t0 = mono_sec();
	x.body_max = rq->body_max ? rq->body_max : HTTP_BODY_DEFAULT;
	res->resp = xmalloc(sizeof(*res->resp));
	http_parser_init(res->resp, 0, 0);
	c->fd = -1;
	c->tls = NULL;
	/* 30 kB of URLs and buffers not zeroed: a check's biggest cost after the network */
	memset(h, 0, offsetof(struct hop, u));
	h->authz[0] = h->proxy_authz[0] = h->target[0] = 0;
	h->method = rq->method ? rq->method : "GET";
	h->body = rq->body;
	h->body_len = rq->body ? rq->body_len : 0;
	if (url_parse(&h->u, rq->url, err, sizeof(err)) < 0) {
		char shown[URL_MAX];
		url_redact(rq->url, shown, sizeof(shown));
		xerr(res, CONN_E_CONFIG, "parse \"%s\": %s", shown, err);
		goto out;
	}
	url_format(&h->u, res->url, sizeof(res->url));
	if (check_target(res, &h->u) < 0)
		goto out;
	if (rq->user) {
		/* never cut a credential: a cut password fails in a way nobody could guess */
		if (strlen(rq->user) >= sizeof(user) ||
		    strlen(rq->password ? rq->password : "") >= sizeof(pass)) {
			rc = xerr(res, CONN_E_CONFIG, "user name or password longer than %zu bytes",
				  sizeof(user) - 1);
			goto out;
		}
		str_copy(user, sizeof(user), rq->user);
		str_copy(pass, sizeof(pass), rq->password ? rq->password : "");
		have_creds = 1;
	} else if (h->u.has_userinfo) {
		if (url_credentials(&h->u, user, sizeof(user), pass, sizeof(pass)) < 0) {
			rc = xerr(res, CONN_E_CONFIG, "user name or password in the URL longer than %zu bytes",
				  sizeof(user) - 1);
			goto out;
		}
		have_creds = 1;
	}
	user_field(rq, "Host", &h->host_field);
	str_copy(orig_host, sizeof(orig_host), h->u.host);
	str_copy(orig_scheme, sizeof(orig_scheme), h->u.scheme);
	str_copy(orig_port, sizeof(orig_port), url_port(&h->u));
	if (have_creds && (rq->auth & HTTP_AUTH_BASIC) &&
	    http_basic_auth(user, pass, h->authz, sizeof(h->authz)) == 0)
		sent_basic = 1;

	for (;;) {
		int st;
		const char *loc;

		if (pick_proxy(&x, h) < 0)
			goto out;
		rc = exchange(&x, h, c, res->resp);
		if (rc < 0)
			goto out;
		st = res->resp->status;
		if (st == 401 && have_creds && !tried_auth) {
			tried_auth = 1;
			if (answer_challenge(&x, h, res->resp, user, pass, sent_basic)) {
				conn_close(c);
				continue;
			}
		}
		loc = http_field(res->resp, "location", NULL);
		if (is_redirect(st) && loc && res->redirects < rq->max_redirects) {
			struct url ref;

			if (url_parse(&ref, loc, err, sizeof(err)) < 0 ||
			    url_resolve(&h->u, &ref, next, err, sizeof(err)) < 0) {
				char shown[201];	/* at most 200 bytes of it */
				url_redact(loc, shown, sizeof(shown));
				rc = xerr(res, CONN_E_PROTO, "failed to parse Location header \"%s\": %s",
					  shown, err);
				goto out;
			}
			conn_close(c);
			h->u = *next;
			url_format(&h->u, res->url, sizeof(res->url));
			if ((rc = check_target(res, &h->u)) < 0)
				goto out;
			res->redirects++;
			if (st != 307 && st != 308) {
				if (strcmp(h->method, "HEAD"))
					h->method = "GET";
				h->body = NULL;
				h->body_len = 0;
			}
			/* credentials and a Host override stay with the original origin: the same
			 * host, scheme and port, or the upgrade of http:80 to https:443 (as curl and
			 * requests do); never sent in clear after a redirect from https */
			h->other_host = !same_origin(&h->u, orig_host, orig_scheme, orig_port);
			if (h->other_host) {
				h->authz[0] = 0;
				h->host_field = NULL;
			} else if (sent_basic) {
				http_basic_auth(user, pass, h->authz, sizeof(h->authz));
			}
			tried_auth = !have_creds || h->other_host;
			continue;
		}
		break;
	}
	/* the response stands when its body breaks off; body_incomplete and errmsg say so */
	res->body_incomplete = read_response(&x, c, res->resp, 0, &(int){ 0 }) < 0;
	rc = 0;
	if (res->body_truncated && rq->body_max_fail)
		rc = xerr(res, CONN_E_PROTO, "body longer than %zu bytes", x.body_max);
	if (!res->body) {
		res->body = xzalloc(1);
	}
out:
	memset(pass, 0, sizeof(pass));
	memset(h->authz, 0, sizeof(h->authz));
	memset(h->proxy_authz, 0, sizeof(h->proxy_authz));
	conn_close(c);
	res->t_total = mono_sec() - x.t0;
	free(c);
	free(next);
	free(h);
	if (rc < 0 && res->err == CONN_OK)
		res->err = CONN_E_PROTO;
	return rc < 0 ? -1 : 0;
}

void http_result_free(struct http_result *res)
{
	free(res->resp);
	free(res->body);
	res->resp = NULL;
	res->body = NULL;
}
