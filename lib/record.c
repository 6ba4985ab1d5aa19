/* record.c - the result record and its text, JSON (RFC 8259, UTF-8 per RFC 3629) and
 * Prometheus text exposition (format 0.0.4) renderings; see record.h.
 */
//kbuild:obj-$(CONFIG_RECORD) += record.o
//config:config RECORD
//config:	bool
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "record.h"

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->max_items = RECORD_MAX_ITEMS;
	r->max_str = RECORD_MAX_STR;
	r->max_list = RECORD_MAX_LIST;
	r->max_bytes = RECORD_MAX_BYTES;
}

static void value_free(struct record_item *it)
{
	if (it->type == RECORD_STR)
		free(it->v.s.p);
	else if (it->type == RECORD_LIST) {
		for (size_t i = 0; i < it->v.list.n; i++)
			free(it->v.list.v[i]);
		free(it->v.list.v);
	}
}

static size_t value_bytes(const struct record_item *it)
{
	size_t b = 0;

	if (it->type == RECORD_STR)
		b = it->v.s.len + 1;
	else if (it->type == RECORD_LIST) {
		b = it->v.list.n * sizeof(char *);
		for (size_t i = 0; i < it->v.list.n; i++)
			b += strlen(it->v.list.v[i]) + 1;
	}
	return b;
}

void record_clear(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		value_free(&r->items[i]);
	while (r->kblk) {
		char *older;
		memcpy(&older, r->kblk, sizeof(older));
		free(r->kblk);
		r->kblk = older;
	}
	r->kleft = 0;
	r->n = 0;
	r->bytes = 0;
}

/* keys live in blocks that never move (an item's key pointer stays valid) and are freed
 * together: one allocation for a probe's many keys, not one each */
#define KBLK_SIZE 2048
_Static_assert(KBLK_SIZE > RECORD_MAX_KEY, "a key fits in a fresh block");

static char *key_copy(struct record *r, const char *key, size_t klen)
{
	char *k;

	if (klen + 1 > r->kleft) {
		char *b = malloc(sizeof(char *) + KBLK_SIZE);
		if (!b)
			return NULL;
		memcpy(b, &r->kblk, sizeof(r->kblk));
		r->kblk = b;
		r->knext = b + sizeof(char *);
		r->kleft = KBLK_SIZE;
	}
	k = r->knext;
	memcpy(k, key, klen);
	k[klen] = 0;
	r->knext += klen + 1;
	r->kleft -= klen + 1;
	return k;
}

void record_free(struct record *r)
{
	record_clear(r);
	free(r->items);
	r->items = NULL;
	r->cap = 0;
}

const struct record_item *record_getn(const struct record *r, const char *key, size_t keylen)
{
	/* keys hold no NUL, so a key with one inside matches nothing */
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].klen == keylen && !memcmp(r->items[i].key, key, keylen))
			return &r->items[i];
	return NULL;
}

const struct record_item *record_get(const struct record *r, const char *key)
{
	return record_getn(r, key, strlen(key));
}

int record_has_prefix(const struct record *r, const char *prefix, size_t plen)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].klen >= plen && !memcmp(r->items[i].key, prefix, plen))
			return 1;
	return 0;
}

size_t record_count(const struct record *r)
{
	return r->n;
}

const struct record_item *record_at(const struct record *r, size_t i)
{
	return i < r->n ? &r->items[i] : NULL;
}

/* the key's length, or 0 when it is empty, too long or not printable ASCII */
static size_t key_len(const char *key)
{
	size_t n = 0;

	for (; key[n]; n++)
		if ((unsigned char)key[n] <= ' ' || (unsigned char)key[n] >= 0x7f || n >= RECORD_MAX_KEY)
			return 0;
	return n;
}

/* install a value built in *nv (type and v set, owning its memory) under key */
static int put(struct record *r, const char *key, struct record_item *nv)
{
	size_t klen = key_len(key);
	struct record_item *it = (struct record_item *)record_getn(r, key, klen);
	size_t add = value_bytes(nv), old = it ? value_bytes(it) : klen + 1;

	if (!klen) {
		errno = EINVAL;
		goto fail;
	}
	if (!it)
		add += old, old = 0;
	if (r->bytes - old + add > r->max_bytes || (!it && r->n >= r->max_items)) {
		errno = E2BIG;
		goto fail;
	}
	if (!it) {
		char *k;
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 16;
			struct record_item *ni;
			if (cap > r->max_items)
				cap = r->max_items;
			ni = realloc(r->items, cap * sizeof(*ni));
			if (!ni)
				goto nomem;
			r->items = ni;
			r->cap = cap;
		}
		k = key_copy(r, key, klen);
		if (!k)
			goto nomem;
		it = &r->items[r->n++];
		it->key = k;
		it->klen = klen;
		it->flags = 0;
	} else {
		value_free(it);
	}
	r->bytes = r->bytes - old + add;
	it->type = nv->type;
	it->v = nv->v;
	return 0;
nomem:
	errno = ENOMEM;
fail:
	value_free(nv);
	return -1;
}

int record_set_none(struct record *r, const char *key)
{
	struct record_item nv = { .type = RECORD_NONE };
	return put(r, key, &nv);
}

int record_set_bool(struct record *r, const char *key, int v)
{
	struct record_item nv = { .type = RECORD_BOOL, .v.b = !!v };
	return put(r, key, &nv);
}

int record_set_int(struct record *r, const char *key, int64_t v)
{
	struct record_item nv = { .type = RECORD_INT, .v.i = v };
	return put(r, key, &nv);
}

int record_set_float(struct record *r, const char *key, double v)
{
	struct record_item nv = { .type = RECORD_FLOAT, .v.f = v };
	return put(r, key, &nv);
}

int record_set_time(struct record *r, const char *key, int64_t t)
{
	struct record_item nv = { .type = RECORD_TIME, .v.t = t };
	return put(r, key, &nv);
}

int record_set_strn(struct record *r, const char *key, const char *s, size_t len)
{
	struct record_item nv = { .type = RECORD_STR };

	if (len > r->max_str) {
		errno = E2BIG;
		return -1;
	}
	nv.v.s.p = malloc(len + 1);
	if (!nv.v.s.p) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(nv.v.s.p, s, len);
	nv.v.s.p[len] = 0;
	nv.v.s.len = len;
	return put(r, key, &nv);
}

int record_set_str(struct record *r, const char *key, const char *s)
{
	return record_set_strn(r, key, s, strlen(s));
}

/* a list value of old (n of them, not copied: moved in by the caller) plus extra copies */
static int make_list(struct record *r, struct record_item *nv, const char *const *v, size_t n)
{
	nv->type = RECORD_LIST;
	nv->v.list.n = 0;
	if (n > r->max_list) {
		errno = E2BIG;
		return -1;
	}
	nv->v.list.v = malloc((n ? n : 1) * sizeof(char *));
	if (!nv->v.list.v)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		if (l > r->max_str) {
			value_free(nv);
			errno = E2BIG;
			return -1;
		}
		nv->v.list.v[i] = strdup(v[i]);
		if (!nv->v.list.v[i]) {
			value_free(nv);
			goto nomem;
		}
		nv->v.list.n++;
	}
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

int record_set_list(struct record *r, const char *key, const char *const *v, size_t n)
{
	struct record_item nv;

	if (make_list(r, &nv, v, n) < 0)
		return -1;
	return put(r, key, &nv);
}

int record_append_str(struct record *r, const char *key, const char *s)
{
	const struct record_item *it = record_get(r, key);
	const char *two[2];
	const char **all;
	struct record_item nv;
	int rc;

	if (!it || (it->type != RECORD_STR && it->type != RECORD_LIST))
		return record_set_str(r, key, s);
	if (it->type == RECORD_STR) {
		two[0] = it->v.s.p;
		two[1] = s;
		if (make_list(r, &nv, two, 2) < 0)
			return -1;
		return put(r, key, &nv);
	}
	if (it->v.list.n >= r->max_list) {
		errno = E2BIG;
		return -1;
	}
	all = malloc((it->v.list.n + 1) * sizeof(*all));
	if (!all) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < it->v.list.n; i++)
		all[i] = it->v.list.v[i];
	all[it->v.list.n] = s;
	rc = make_list(r, &nv, all, it->v.list.n + 1);
	free(all);
	return rc < 0 ? -1 : put(r, key, &nv);
}

int record_mark_secret(struct record *r, const char *key)
{
	struct record_item *it = (struct record_item *)record_get(r, key);

	if (!it) {
		errno = ENOENT;
		return -1;
	}
	it->flags |= RECORD_SECRET;
	return 0;
}

int record_key_is_secret(const char *key)
{
	static const char *const whole[] = { "password", "passwd", "secret", "token", "api_key",
					     "apikey", "authorization" };
	static const char *const tail[] = { "_password", "_secret", "_token" };
	const char *last = strrchr(key, '.');
	size_t n;

	last = last ? last + 1 : key;
	n = strlen(last);
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (!strcasecmp(last, whole[i]))
			return 1;
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		size_t t = strlen(tail[i]);
		if (n >= t && !strcasecmp(last + n - t, tail[i]))
			return 1;
	}
	return 0;
}

int record_item_is_secret(const struct record_item *it)
{
	return (it->flags & RECORD_SECRET) || record_key_is_secret(it->key);
}

/* --- output -------------------------------------------------------------------------- */

void record_sink_file(struct record_sink *s, FILE *f)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
}

void record_sink_buf(struct record_sink *s, char *buf, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->buf = buf;
	s->cap = cap;
	if (cap)
		buf[0] = 0;
}

void record_put(struct record_sink *s, const char *p, size_t n)
{
	if (s->f) {
		if (n && fwrite(p, 1, n, s->f) != n)
			s->err = 1;
		return;
	}
	if (!s->cap)
		return;
	if (n > s->cap - 1 - s->len) {
		n = s->cap - 1 - s->len;
		s->cut = 1;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = 0;
}

void record_puts(struct record_sink *s, const char *str)
{
	record_put(s, str, strlen(str));
}

size_t record_utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* beyond U+10FFFF */
	} else
		return 0;
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* one escaper for both forms: q is the quote ('\'', '"' or 0 for bare); json selects JSON's
 * escapes (\b \f \u00XX, U+FFFD for invalid UTF-8) over Python's (\xHH) */
static void put_escaped(struct record_sink *s, const char *p, size_t n, char q, int json)
{
	const unsigned char *u = (const unsigned char *)p;
	char esc[8];

	if (q)
		record_put(s, &q, 1);
	for (size_t i = 0; i < n;) {
		size_t l, run = i;
		/* copy plain runs at once */
		while (i < n && u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\' && u[i] != (unsigned char)q)
			i++;
		if (i > run) {
			record_put(s, p + run, i - run);
			continue;
		}
		l = record_utf8_len(u + i, n - i);
		if (l > 1) {
			record_put(s, p + i, l);
			i += l;
			continue;
		}
		if (u[i] == '\n' || u[i] == '\r' || u[i] == '\t' || u[i] == '\\' ||
		    (q && u[i] == (unsigned char)q) || (json && (u[i] == '\b' || u[i] == '\f'))) {
			esc[0] = '\\';
			esc[1] = (char)u[i];
			switch (u[i]) {
			case '\n': esc[1] = 'n'; break;
			case '\r': esc[1] = 'r'; break;
			case '\t': esc[1] = 't'; break;
			case '\b': esc[1] = 'b'; break;
			case '\f': esc[1] = 'f'; break;
			}
			record_put(s, esc, 2);
		} else if (!json)
			record_put(s, esc, (size_t)snprintf(esc, sizeof(esc), "\\x%02x", u[i]));
		else if (l == 0)	/* invalid UTF-8: one replacement character per byte */
			record_puts(s, "\\ufffd");
		else
			record_put(s, esc, (size_t)snprintf(esc, sizeof(esc), "\\u%04x", u[i]));
		i++;
	}
	if (q)
		record_put(s, &q, 1);
}

void record_put_escaped(struct record_sink *s, const char *p, size_t n, int quote)
{
	char q = 0;

	if (quote)
		q = memchr(p, '\'', n) && !memchr(p, '"', n) ? '"' : '\'';
	put_escaped(s, p, n, q, 0);
}

void record_put_json_str(struct record_sink *s, const char *p, size_t n)
{
	put_escaped(s, p, n, '"', 1);
}

size_t record_fmt_float(double v, char buf[RECORD_FMT_MAX])
{
	int prec, exp;
	char tmp[RECORD_FMT_MAX];

	if (isnan(v))
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "nan");
	if (isinf(v))
		return (size_t)snprintf(buf, RECORD_FMT_MAX, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return (size_t)snprintf(buf, RECORD_FMT_MAX, signbit(v) ? "-0.0" : "0.0");
	/* the fewest significant digits that read back as the same double */
	for (prec = 1; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
	exp = atoi(strchr(tmp, 'e') + 1);
	if (exp < -4 || exp >= 16) {
		/* Python: 1e+16, 1.5e-05 */
		char *e = strchr(tmp, 'e'), *m = tmp;
		size_t ml = (size_t)(e - m);
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%.*s%s", (int)ml, m, e);
	}
	snprintf(buf, RECORD_FMT_MAX, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, v);
	if (!strchr(buf, '.'))
		strcat(buf, ".0");
	return strlen(buf);
}

size_t record_fmt_time(int64_t t, char buf[RECORD_FMT_MAX])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year > 9999 - 1900 || tm.tm_year < -1900)
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%" PRId64, t);
	return (size_t)snprintf(buf, RECORD_FMT_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
				tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
				tm.tm_sec);
}

/* scalars as text and Prometheus print them; 0 when the type has no such form */
static size_t fmt_scalar(const struct record_item *it, char buf[RECORD_FMT_MAX])
{
	switch (it->type) {
	case RECORD_BOOL:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%s", it->v.b ? "True" : "False");
	case RECORD_INT:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%" PRId64, it->v.i);
	case RECORD_FLOAT:
		return record_fmt_float(it->v.f, buf);
	case RECORD_TIME:
		return record_fmt_time(it->v.t, buf);
	case RECORD_NONE:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "None");
	default:
		return 0;
	}
}

static int sink_done(struct record_sink *s)
{
	return s->err || ferror(s->f) ? -1 : 0;
}

int record_write_text(const struct record *r, FILE *f)
{
	struct record_sink s;
	char buf[RECORD_FMT_MAX];

	record_sink_file(&s, f);
	for (size_t i = 0; i < r->n; i++) {
		const struct record_item *it = &r->items[i];
		record_puts(&s, it->key);
		record_puts(&s, ": ");
		if (record_item_is_secret(it))
			record_puts(&s, "***");
		else if (it->type == RECORD_STR)
			record_put_escaped(&s, it->v.s.p, it->v.s.len, 0);
		else if (it->type == RECORD_LIST) {
			record_puts(&s, "[");
			for (size_t j = 0; j < it->v.list.n; j++) {
				if (j)
					record_puts(&s, ", ");
				record_put_escaped(&s, it->v.list.v[j], strlen(it->v.list.v[j]), '\'');
			}
			record_puts(&s, "]");
		} else
			record_put(&s, buf, fmt_scalar(it, buf));
		record_puts(&s, "\n");
	}
	return sink_done(&s);
}

int record_write_json(const struct record *r, FILE *f)
{
	struct record_sink s;
	char buf[RECORD_FMT_MAX];

	record_sink_file(&s, f);
	record_puts(&s, "{");
	for (size_t i = 0; i < r->n; i++) {
		const struct record_item *it = &r->items[i];
		if (i)
			record_puts(&s, ", ");
		record_put_json_str(&s, it->key, strlen(it->key));
		record_puts(&s, ": ");
		if (record_item_is_secret(it)) {
			record_puts(&s, "\"***\"");
			continue;
		}
		switch (it->type) {
		case RECORD_NONE:
			record_puts(&s, "null");
			break;
		case RECORD_BOOL:
			record_puts(&s, it->v.b ? "true" : "false");
			break;
		case RECORD_INT:
			record_put(&s, buf, fmt_scalar(it, buf));
			break;
		case RECORD_FLOAT:
			if (isfinite(it->v.f))
				record_put(&s, buf, record_fmt_float(it->v.f, buf));
			else
				record_puts(&s, "null");
			break;
		case RECORD_TIME:
			record_put_json_str(&s, buf, record_fmt_time(it->v.t, buf));
			break;
		case RECORD_STR:
			record_put_json_str(&s, it->v.s.p, it->v.s.len);
			break;
		case RECORD_LIST:
			record_puts(&s, "[");
			for (size_t j = 0; j < it->v.list.n; j++) {
				if (j)
					record_puts(&s, ", ");
				record_put_json_str(&s, it->v.list.v[j], strlen(it->v.list.v[j]));
			}
			record_puts(&s, "]");
			break;
		}
	}
	record_puts(&s, "}");
	return sink_done(&s);
}

size_t record_prom_name(const char *prefix, const char *key, int snake,
			char out[RECORD_PROM_NAME_MAX])
{
	size_t n = (size_t)snprintf(out, RECORD_PROM_NAME_MAX, "%s", prefix);

	for (const char *k = key; *k && n < RECORD_PROM_NAME_MAX - 2; k++) {
		unsigned char c = (unsigned char)*k;
		if (snake && isupper(c)) {
			/* notAfter -> not_after: what promtool's lint asks of metric names */
			if (k > key && (islower((unsigned char)k[-1]) || isdigit((unsigned char)k[-1])))
				out[n++] = '_';
			c = (unsigned char)tolower(c);
		}
		out[n++] = isalnum(c) || c == '_' ? (char)c : '_';
	}
	out[n] = 0;
	return n;
}

/* a label value (quote: \\ \" \n escaped) or HELP text (\\ \n), invalid UTF-8 as U+FFFD
 * (the format is UTF-8) */
static void prom_escape(struct record_sink *s, const char *v, int quote)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v);

	for (size_t i = 0; i < n;) {
		size_t l = record_utf8_len(u + i, n - i);
		if (l > 1) {
			record_put(s, v + i, l);
			i += l;
			continue;
		}
		if (u[i] == '\\')
			record_puts(s, "\\\\");
		else if (u[i] == '"' && quote)
			record_puts(s, "\\\"");
		else if (u[i] == '\n')
			record_puts(s, "\\n");
		else if (l == 0)
			record_puts(s, "\xef\xbf\xbd");
		else
			record_put(s, v + i, 1);
		i++;
	}
}

void record_put_prom_label(struct record_sink *s, const char *v)
{
	prom_escape(s, v, 1);
}

static void prom_labels(struct record_sink *s, const char *const *labels)
{
	if (!labels || !labels[0])
		return;
	record_puts(s, "{");
	for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
		const char *n = labels[i];
		if (i)
			record_puts(s, ",");
		/* label names are [A-Za-z_][A-Za-z0-9_]* */
		if (!*n || isdigit((unsigned char)*n))
			record_puts(s, "_");
		for (; *n; n++)
			record_put(s, isalnum((unsigned char)*n) ? n : "_", 1);
		record_puts(s, "=\"");
		record_put_prom_label(s, labels[i + 1]);
		record_puts(s, "\"");
	}
	record_puts(s, "}");
}

/* header: 0 none, 1 # TYPE, 2 # HELP and # TYPE */
static void prom_sample(struct record_sink *s, const char *name, const char *help, int header,
			const char *const *labels, const char *value)
{
	if (header > 1) {
		record_puts(s, "# HELP ");
		record_puts(s, name);
		record_puts(s, " ");
		prom_escape(s, help, 0);
		record_puts(s, "\n");
	}
	if (header) {
		record_puts(s, "# TYPE ");
		record_puts(s, name);
		record_puts(s, " gauge\n");
	}
	record_puts(s, name);
	prom_labels(s, labels);
	record_puts(s, " ");
	record_puts(s, value);
	record_puts(s, "\n");
}

static void prom_metric(struct record_sink *s, const char *name, const char *help,
			const char *const *labels, const char *value)
{
	prom_sample(s, name, help, help ? 2 : 1, labels, value);
}

int record_write_prom_sample(FILE *f, const char *name, const char *help,
			     const char *const *labels, const char *value)
{
	struct record_sink s;

	record_sink_file(&s, f);
	prom_sample(&s, name, help, help ? 2 : 0, labels, value);
	return sink_done(&s);
}

size_t record_fmt_prom_float(double v, char buf[RECORD_FMT_MAX])
{
	/* Go's ParseFloat reads Python's repr, but not inf/nan */
	if (isnan(v))
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "NaN");
	if (isinf(v))
		return (size_t)snprintf(buf, RECORD_FMT_MAX, v < 0 ? "-Inf" : "+Inf");
	return record_fmt_float(v, buf);
}

size_t record_prom_value(const struct record_item *it, char buf[RECORD_FMT_MAX])
{
	if (record_item_is_secret(it))
		return 0;
	switch (it->type) {
	case RECORD_BOOL:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%d", it->v.b ? 1 : 0);
	case RECORD_INT:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%" PRId64, it->v.i);
	case RECORD_FLOAT:
		return record_fmt_prom_float(it->v.f, buf);
	case RECORD_TIME:
		return (size_t)snprintf(buf, RECORD_FMT_MAX, "%" PRId64, it->v.t);
	default:
		return 0;
	}
}

int record_write_prom(const struct record *r, FILE *f, const char *const *labels, int up,
		      double duration)
{
	struct record_sink s;
	char name[RECORD_PROM_NAME_MAX], other[RECORD_PROM_NAME_MAX], val[RECORD_FMT_MAX];

	record_sink_file(&s, f);
	prom_metric(&s, "probebox_up", "1 if the check passed, else 0", labels, up ? "1" : "0");
	record_fmt_prom_float(duration, val);
	prom_metric(&s, "probebox_duration_seconds", "seconds the check took", labels, val);
	for (size_t i = 0; i < r->n; i++) {
		const struct record_item *it = &r->items[i];
		int dup = 0;
		if (!record_prom_value(it, val))
			continue;
		record_prom_name("probebox_", it->key, 0, name);
		dup = !strcmp(name, "probebox_up") || !strcmp(name, "probebox_duration_seconds");
		/* "a.b" and "a_b" would both be probebox_a_b: the first one wins */
		for (size_t j = 0; j < i && !dup; j++) {
			if (!record_prom_value(&r->items[j], other))
				continue;
			record_prom_name("probebox_", r->items[j].key, 0, other);
			dup = !strcmp(name, other);
		}
		if (!dup)
			prom_metric(&s, name, NULL, labels, val);
	}
	return sink_done(&s);
}
