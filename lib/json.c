/* json.c - a small bounded JSON reader (RFC 8259 sections 2 to 8), see json.h */
//kbuild:obj-$(CONFIG_JSON) += json.o
//config:config JSON
//config:	bool
//config:	select ARENA

#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"


static void ws(struct pcur *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(unsigned cp, char *o)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* a string at j->p (on the opening quote): decoded into the arena; an escape never decodes
 * to more bytes than it takes, so the raw length bounds the copy */
static int string(struct pcur *j, const char **out, size_t *outlen)
{
	const char *q = ++j->p;
	char *buf, *o;

	while (q < j->end && *q != '"')
		q += *q == '\\' && q + 1 < j->end ? 2 : 1;
	if (q >= j->end)
		return pcur_fail(j, "unterminated string");
	if (!(buf = arena_alloc(j->a, (size_t)(q - j->p) + 1)))
		return pcur_fail(j, "out of memory");
	o = buf;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return pcur_fail(j, "control character in string");
		if (c != '\\') {
			*o++ = (char)c;
			j->p++;
			continue;
		}
		c = (unsigned char)j->p[1];
		j->p += 2;
		switch (c) {
		case '"': case '\\': case '/': *o++ = (char)c; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (q - j->p < 4 || hex4(j->p, &cp) < 0)
				return j->p -= 2, pcur_fail(j, "bad \\u escape");
			j->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && q - j->p >= 6 && j->p[0] == '\\' &&
			    j->p[1] == 'u' && hex4(j->p + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				j->p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;	/* a lone surrogate, as Python would keep it: replaced */
			}
			o += utf8_put(cp, o);
			break;
		}
		default:
			return j->p -= 2, pcur_fail(j, "bad escape \\%c", c >= 0x20 && c < 0x7f ? c : '?');
		}
	}
	j->p++;
	*o = 0;
	*out = buf;
	*outlen = (size_t)(o - buf);
	return 0;
}

static int digits(struct pcur *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static int number(struct pcur *j, struct json *v)
{
	const char *s = j->p;
	char tmp[64];

	v->is_int = 1;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!digits(j))
		return pcur_fail(j, "bad number");
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		v->is_int = 0;
		if (!digits(j))
			return pcur_fail(j, "bad number");
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		v->is_int = 0;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digits(j))
			return pcur_fail(j, "bad number");
	}
	v->s = s;
	v->len = (size_t)(j->p - s);
	if (v->len >= sizeof(tmp))
		return j->p = s, pcur_fail(j, "number too long");
	memcpy(tmp, s, v->len);
	tmp[v->len] = 0;
	v->num = strtod(tmp, NULL);
	return 0;
}

static int word(struct pcur *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return pcur_fail(j, "unexpected '%c'", *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
	j->p += n;
	return 0;
}

static int value(struct pcur *j, struct json **out);

/* the elements of an array or the members of an object, j->p after the opening bracket */
static int items(struct pcur *j, struct json *v, char close)
{
	struct json **tail = &v->child;

	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen = 0;
		struct json *e;

		ws(j);
		if (close == '}') {
			if (j->p >= j->end || *j->p != '"')
				return pcur_fail(j, "expected a member name");
			if (string(j, &key, &klen) < 0)
				return -1;
			ws(j);
			if (j->p >= j->end || *j->p != ':')
				return pcur_fail(j, "expected ':'");
			j->p++;
		}
		if (value(j, &e) < 0)
			return -1;
		e->key = key;
		e->key_len = klen;
		*tail = e;
		tail = &e->next;
		v->count++;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return pcur_fail(j, "expected ',' or '%c'", close);
	}
}

static int value(struct pcur *j, struct json **out)
{
	struct json *v = arena_alloc(j->a, sizeof(*v));
	int rc;

	if (!v)
		return pcur_fail(j, "out of memory");
	memset(v, 0, sizeof(*v));
	ws(j);
	if (j->p >= j->end)
		return pcur_fail(j, "expected a value");
	v->start = (size_t)(j->p - j->base);
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > JSON_DEPTH_MAX)
			return pcur_fail(j, "nested deeper than %d", JSON_DEPTH_MAX);
		v->type = *j->p == '{' ? JSON_OBJ : JSON_ARR;
		j->p++;
		rc = items(j, v, v->type == JSON_OBJ ? '}' : ']');
		j->depth--;
		break;
	case '"':
		v->type = JSON_STR;
		rc = string(j, &v->s, &v->len);
		break;
	case 't':
		v->type = JSON_BOOL;
		v->b = 1;
		rc = word(j, "true");
		break;
	case 'f':
		v->type = JSON_BOOL;
		rc = word(j, "false");
		break;
	case 'n':
		v->type = JSON_NULL;
		rc = word(j, "null");
		break;
	default:
		v->type = JSON_NUM;
		if (*j->p != '-' && (*j->p < '0' || *j->p > '9'))
			rc = pcur_fail(j, "unexpected '%c'", *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
		else
			rc = number(j, v);
	}
	v->end = (size_t)(j->p - j->base);
	*out = v;
	return rc;
}

int json_parse(struct json_doc *d, const char *buf, size_t len, char *err, size_t errlen)
{
	struct pcur j = { buf, buf + len, buf, &d->arena, 0, err, errlen };

	memset(d, 0, sizeof(*d));
	if (len > JSON_SIZE_MAX) {
		snprintf(err, errlen, "longer than %u bytes", JSON_SIZE_MAX);
		return -1;
	}
	/* a node per two input bytes at most, the strings' copies (16-byte aligned), and
	 * slack for the chunks */
	d->arena.chunk = 4096;
	d->arena.max = (len / 2 + 1) * (sizeof(struct json) + 32) + 2 * len + 4 * 4096;
	if (value(&j, &d->root) < 0)
		goto bad;
	ws(&j);
	if (j.p < j.end) {
		pcur_fail(&j, "text after the value");
		goto bad;
	}
	return 0;
bad:
	json_free(d);
	return -1;
}

void json_free(struct json_doc *d)
{
	arena_free(&d->arena);
	d->root = NULL;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	const struct json *found = NULL;
	size_t n = strlen(key);

	if (!obj || obj->type != JSON_OBJ)
		return NULL;
	for (const struct json *m = obj->child; m; m = m->next)
		if (m->key_len == n && !memcmp(m->key, key, n))
			found = m;
	return found;
}

int json_long(const struct json *v, long min, long max, long *out)
{
	char tmp[64], *e;
	long x;

	if (!v || v->type != JSON_NUM || !v->is_int || v->len >= sizeof(tmp))
		return -1;
	memcpy(tmp, v->s, v->len);
	tmp[v->len] = 0;
	errno = 0;
	x = strtol(tmp, &e, 10);
	if (errno || *e || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array",
					     "object" };
	return names[t];
}
