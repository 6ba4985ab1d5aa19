/* re2posix.c - RE2/Go regexp syntax to POSIX ERE (see re2posix.h for the subset)
 *
 * Syntax reference: https://github.com/google/re2/wiki/Syntax ; POSIX.1-2017 XBD 9.4.
 */
//kbuild:obj-$(CONFIG_PROBE_LINES) += re2posix.o
//kbuild:obj-$(CONFIG_CHECK_HTTP) += re2posix.o

#include "re2posix.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct out {
	char *p;
	size_t len, cap;
	int full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = 0;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* a literal byte outside brackets, escaped when ERE would give it meaning */
static void put_lit(struct out *o, unsigned char c)
{
	char b[3] = { '\\', (char)c, 0 };

	if (strchr(".[]()*+?{}|^$\\", c) && c)
		put(o, b, 2);
	else if (c == 0)
		put(o, "\x01", 1);	/* NUL bytes are searched as 0x01, see re2_match */
	else
		put(o, b + 1, 1);
}

/* a literal byte inside a bracket expression */
static void put_blit(struct out *o, unsigned char c)
{
	char ch = c ? (char)c : '\x01';
	if (c == '\\')	/* in ERE brackets a backslash is literal */
		put(o, "\\", 1);
	else
		put(o, &ch, 1);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

/* parse an escape after '\' at *pp for a single byte value; -1 not a byte escape, -2 bad */
static int byte_escape(const char **pp)
{
	const char *p = *pp;
	int v;

	switch (*p) {
	case 'n': *pp = p + 1; return '\n';
	case 'r': *pp = p + 1; return '\r';
	case 't': *pp = p + 1; return '\t';
	case 'f': *pp = p + 1; return '\f';
	case 'v': *pp = p + 1; return '\v';
	case 'a': *pp = p + 1; return '\a';
	case 'x':
		if (p[1] == '{') {
			const char *q = p + 2;
			v = 0;
			if (*q == '}')
				return -2;
			while (*q && *q != '}') {
				int h = hexval((unsigned char)*q++);
				if (h < 0 || v > 0xff)
					return -2;
				v = v * 16 + h;
			}
			if (*q != '}' || v > 0xff)
				return -2;	/* code points above 0xFF: not in a byte ERE */
			*pp = q + 1;
			return v;
		}
		if (hexval((unsigned char)p[1]) < 0 || hexval((unsigned char)p[2]) < 0)
			return -2;
		*pp = p + 3;
		return hexval((unsigned char)p[1]) * 16 + hexval((unsigned char)p[2]);
	default:
		if (*p && !isalnum((unsigned char)*p)) {	/* \. \* \\ \/ ... literal */
			*pp = p + 1;
			return (unsigned char)*p;
		}
		return -1;
	}
}

static const char *class_of(char c, int inside)
{
	switch (c) {
	case 'd': return inside ? "0-9" : "[0-9]";
	case 'D': return inside ? NULL : "[^0-9]";
	case 's': return inside ? "\t\n\f\r " : "[\t\n\f\r ]";
	case 'S': return inside ? NULL : "[^\t\n\f\r ]";
	case 'w': return inside ? "[:alnum:]_" : "[[:alnum:]_]";
	case 'W': return inside ? NULL : "[^[:alnum:]_]";
	}
	return NULL;
}

int re2_to_ere(const char *in, char *outbuf, size_t outlen, int *icase, char *err, size_t errlen)
{
	struct out o = { outbuf, 0, outlen, 0 };
	const char *p = in;
	int v;

	*icase = 0;
	if (outlen)
		outbuf[0] = 0;
	if (!strncmp(p, "(?i)", 4)) {
		*icase = 1;
		p += 4;
	}
	while (*p) {
		const char *at = p;
		char c = *p++;

		if (c == '\\') {
			const char *cls;
			if (!*p) {
				snprintf(err, errlen, "trailing backslash");
				return -1;
			}
			if (*p == 'A') { puts_(&o, "^"); p++; continue; }
			if (*p == 'z') { puts_(&o, "$"); p++; continue; }
			if ((cls = class_of(*p, 0))) { puts_(&o, cls); p++; continue; }
			v = byte_escape(&p);
			if (v == -2) {
				snprintf(err, errlen, "bad escape at offset %d", (int)(at - in));
				return -1;
			}
			if (v < 0) {
				snprintf(err, errlen, "unsupported escape \\%c at offset %d", *p, (int)(at - in));
				return -1;
			}
			put_lit(&o, (unsigned char)v);
		} else if (c == '[') {
			/* bracket expression: copy, translating escapes and classes */
			puts_(&o, "[");
			if (*p == '^')
				puts_(&o, "^"), p++;
			if (*p == ']')
				puts_(&o, "]"), p++;
			while (*p && *p != ']') {
				if (*p == '[' && p[1] == ':') {
					const char *e = strstr(p + 2, ":]");
					if (!e) {
						snprintf(err, errlen, "unterminated character class at offset %d", (int)(p - in));
						return -1;
					}
					put(&o, p, (size_t)(e + 2 - p));
					p = e + 2;
				} else if (*p == '\\') {
					const char *cls;
					p++;
					if ((cls = class_of(*p, 1))) {
						puts_(&o, cls);
						p++;
						continue;
					}
					if (class_of(*p, 0)) {
						snprintf(err, errlen, "negated class \\%c inside [] is not supported", *p);
						return -1;
					}
					v = byte_escape(&p);
					if (v < 0) {
						snprintf(err, errlen, "bad escape in character class at offset %d", (int)(p - in));
						return -1;
					}
					if (v == ']' || v == '^' || v == '-') {
						/* put such literals where ERE takes them literally */
						char t[8];
						snprintf(t, sizeof(t), "[.%c.]", v);
						puts_(&o, t);
					} else {
						put_blit(&o, (unsigned char)v);
					}
				} else {
					put_blit(&o, (unsigned char)*p++);
				}
			}
			if (*p != ']') {
				snprintf(err, errlen, "missing ] at offset %d", (int)(at - in));
				return -1;
			}
			puts_(&o, "]");
			p++;
		} else if (c == '(' && *p == '?') {
			if (p[1] == ':') {
				puts_(&o, "(");
				p += 2;
			} else {
				snprintf(err, errlen, "unsupported group syntax (? at offset %d", (int)(at - in));
				return -1;
			}
		} else if ((c == '*' || c == '+' || c == '?' || c == '}') && *p == '?') {
			put(&o, &c, 1);
			p++;	/* lazy: same set of matches */
		} else {
			put(&o, &c, 1);
		}
		if (o.full) {
			snprintf(err, errlen, "pattern too long");
			return -1;
		}
	}
	if (o.full) {
		snprintf(err, errlen, "pattern too long");
		return -1;
	}
	return 0;
}

int re2_compile(regex_t *re, const char *pattern, char *err, size_t errlen)
{
	size_t n = strlen(pattern) * 8 + 16;
	char *ere = xmalloc(n);
	int icase, rc;

	if (re2_to_ere(pattern, ere, n, &icase, err, errlen) < 0) {
		free(ere);
		return -1;
	}
	rc = regcomp(re, ere, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
	free(ere);
	if (rc) {
		char m[128];
		regerror(rc, re, m, sizeof(m));
		snprintf(err, errlen, "%s", m);
		return -1;
	}
	return 0;
}

int re2_match(const regex_t *re, const char *data, size_t len)
{
	char *s = xmalloc(len + 1);
	size_t i;
	int rc;

	for (i = 0; i < len; i++)
		s[i] = data[i] ? data[i] : '\x01';
	s[len] = 0;
	rc = regexec(re, s, 0, NULL, 0) == 0;
	free(s);
	return rc;
}
