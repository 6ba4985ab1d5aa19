/* yaml.c - a strict YAML 1.2 subset parser for conn-check configs: block and flow collections,
 * all scalar styles, one document (YAML 1.2.2 spec; subset and resolution rules in docs/yaml.md) */
//kbuild:obj-$(CONFIG_YAML) += yaml.o
//config:config YAML
//config:	bool
//config:	select ARENA

#include "yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_KEY_LEN 1024        /* YAML 1.2 limits implicit keys to 1024 characters */
#define CHUNK 65536
#define TAB_MSG "tab character used for indentation (YAML allows only spaces)"

struct pos {
	unsigned line, col;
};

struct dupent {
	const struct yaml_node *map, *key;
	uint64_t h;
	int kind;               /* 0: same text; 1: same resolved value (null/bool/int keys) */
};

struct parser {
	const char *file;
	const char *src;        /* normalized input: UTF-8, LF line ends, no NUL, NUL-terminated */
	const char *p;          /* where we are */
	const char *ls;         /* start of the line p is on */
	unsigned line;
	const char *cc_at;      /* column cache: makes pos_of() linear along a line */
	unsigned cc_col;
	struct yaml_limits lim;
	size_t nodes;
	unsigned depth;
	struct arena arena;
	char *sb;               /* scratch for the scalar being built */
	size_t sblen, sbcap, sbmax;
	struct dupent *ht;      /* keys seen, for duplicate detection */
	size_t htcap, htused;
	const char *sep_tab;    /* a tab between '- ' and the node that follows it */
	char *err;
	size_t errlen;
	int failed;
};

struct cand {                   /* the first node on a block line, before we know if it is a key */
	struct yaml_node *node; /* flow collection or quoted scalar */
	const char *s, *e;      /* or the first line of a plain scalar */
	struct pos pos;
	unsigned line0;
	int plain;
};

struct save {
	const char *p, *ls;
	unsigned line;
};

enum { NC_ERR = -1, NC_END, NC_MARKER, NC_CONTENT };

static struct yaml_node *parse_block_node(struct parser *P, int n, int inl);
static struct yaml_node *parse_flow(struct parser *P);
static struct yaml_node *parse_block_seq(struct parser *P, int c);

/* --- small helpers ------------------------------------------------------------------------ */

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static int blankz(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0;
}

static int is_flow_ind(char c)
{
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

static int is_entry(const char *q)
{
	return q[0] == '-' && blankz(q[1]);
}

static int indent(const struct parser *P)
{
	return (int)(P->p - P->ls);
}

static void skip_ws(struct parser *P)
{
	while (is_ws(*P->p))
		P->p++;
}

/* P->p is at '\n' */
static void nl(struct parser *P)
{
	P->p++;
	P->line++;
	P->ls = P->p;
}

static int is_marker(const struct parser *P, const char *q)
{
	return q == P->ls && ((q[0] == '-' && q[1] == '-' && q[2] == '-') ||
			      (q[0] == '.' && q[1] == '.' && q[2] == '.')) && blankz(q[3]);
}

static struct save save(const struct parser *P)
{
	struct save s = { P->p, P->ls, P->line };
	return s;
}

static void restore(struct parser *P, struct save s)
{
	P->p = s.p;
	P->ls = s.ls;
	P->line = s.line;
}

static unsigned count_cols(const char *from, const char *to, unsigned col)
{
	for (; from < to; from++)
		if (((unsigned char)*from & 0xC0) != 0x80)
			col++;
	return col;
}

static struct pos pos_of(struct parser *P, const char *q)
{
	struct pos r;
	const char *from = P->src;

	if (q >= P->ls) {
		if (P->cc_at && P->cc_at >= P->ls && P->cc_at <= q)
			r.col = count_cols(P->cc_at, q, P->cc_col);
		else
			r.col = count_cols(P->ls, q, 1);
		P->cc_at = q;
		P->cc_col = r.col;
		r.line = P->line;
		return r;
	}
	/* an earlier line: error paths only */
	r.line = 1;
	for (const char *s = P->src; s < q; s++)
		if (*s == '\n') {
			r.line++;
			from = s + 1;
		}
	r.col = count_cols(from, q, 1);
	return r;
}

static struct pos here(struct parser *P)
{
	return pos_of(P, P->p);
}

static void vfmt(char *err, size_t errlen, const char *file, struct pos at, const char *fmt, va_list ap)
{
	int n;

	if (!err || !errlen)
		return;
	if (at.line)
		n = snprintf(err, errlen, "%s:%u:%u: ", file, at.line, at.col);
	else
		n = snprintf(err, errlen, "%s: ", file);
	if (n < 0) {
		err[0] = 0;
		return;
	}
	if ((size_t)n < errlen) {
		int m = vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		n = m < 0 ? n : n + m;
	}
	if ((size_t)n >= errlen && errlen > 4)  /* never truncate silently */
		memcpy(err + errlen - 4, "...", 4);
}

static int verr(struct parser *P, struct pos at, const char *fmt, va_list ap)
{
	if (!P->failed) {
		P->failed = 1;
		vfmt(P->err, P->errlen, P->file, at, fmt, ap);
	}
	return -1;
}

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *P, struct pos at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(P, at, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 3, 4)))
static int perr_at(struct parser *P, const char *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(P, pos_of(P, q), fmt, ap);
	va_end(ap);
	return -1;
}

/* a key or value for a message: at most 40 bytes, control bytes as '?', cut on a character */
static const char *shown(char *buf, size_t cap, const char *s, size_t len)
{
	size_t n = len < 40 ? len : 40, i;

	if (n < len)
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	for (i = 0; i < n && i + 4 < cap; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (n < len)
		memcpy(buf + i, "...", 3), i += 3;
	buf[i] = 0;
	return buf;
}

/* --- memory ------------------------------------------------------------------------------- */

static void *aalloc(struct parser *P, size_t n)
{
	void *r = arena_alloc(&P->arena, n);

	if (!r)
		perr(P, here(P), "out of memory");
	return r;
}

static int sb_put(struct parser *P, const char *s, size_t n)
{
	if (P->sblen + n + 1 > P->sbcap) {
		size_t cap = P->sbcap ? P->sbcap : 256;
		char *nb;
		while (cap < P->sblen + n + 1)
			cap *= 2;
		if (cap > P->sbmax)
			cap = P->sbmax;
		if (P->sblen + n + 1 > cap)     /* cannot happen: output never exceeds 1.5x input */
			return perr(P, here(P), "scalar too long");
		nb = realloc(P->sb, cap);
		if (!nb)
			return perr(P, here(P), "out of memory");
		P->sb = nb;
		P->sbcap = cap;
	}
	memcpy(P->sb + P->sblen, s, n);
	P->sblen += n;
	return 0;
}

static int sb_breaks(struct parser *P, unsigned n)
{
	while (n--)
		if (sb_put(P, "\n", 1) < 0)
			return -1;
	return 0;
}

static int sb_utf8(struct parser *P, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return sb_put(P, b, n);
}

static struct yaml_node *new_node(struct parser *P, enum yaml_kind k, enum yaml_style st, struct pos at)
{
	struct yaml_node *n;

	if (P->nodes >= P->lim.max_nodes) {
		perr(P, at, "more than %zu nodes", P->lim.max_nodes);
		return NULL;
	}
	n = aalloc(P, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	P->nodes++;
	n->kind = k;
	n->style = st;
	n->line = at.line;
	n->col = at.col;
	n->file = P->file;
	n->type = k == YAML_SCALAR ? YAML_STR : YAML_NULL;
	return n;
}

/* a collection one level deeper than its parent */
static struct yaml_node *new_coll(struct parser *P, enum yaml_kind k, enum yaml_style st, struct pos at)
{
	if (P->depth >= P->lim.max_depth) {
		perr(P, at, "nesting deeper than %u levels", P->lim.max_depth);
		return NULL;
	}
	P->depth++;
	return new_node(P, k, st, at);
}

static void link_child(struct yaml_node *coll, struct yaml_node **tail, struct yaml_node *n)
{
	if (*tail)
		(*tail)->next = n;
	else
		coll->child = n;
	*tail = n;
	coll->count++;
}

/* --- scalar resolution (PyYAML's YAML 1.1 booleans; ints and floats where 1.1 and 1.2 agree) --- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int one_of(const char *t, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t, list[i]))
			return 1;
	return 0;
}

/* 1 when t is an integer: [-+]? (0 | [1-9][0-9]* | 0x[0-9a-fA-F]+ | 0o[0-7]+). A leading zero
 * (0755) is left a string: YAML 1.1 reads it as octal, YAML 1.2 as decimal. */
static int resolve_int(const char *t, long long *out, int *ovf)
{
	const char *s = t;
	unsigned long long v = 0, lim;
	unsigned base = 10;
	int neg = 0;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] == 'o') {
		base = 8;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		return 0;
	}
	if (!*s)
		return 0;
	*ovf = 0;
	for (; *s; s++) {
		int d = hexval(*s);
		if (d < 0 || (unsigned)d >= base)
			return 0;
		if (v > (ULLONG_MAX - (unsigned)d) / base)
			*ovf = 1;
		else
			v = v * base + (unsigned)d;
	}
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	if (v > lim)
		*ovf = 1;
	if (*ovf)
		*out = 0;
	else if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return 1;
}

/* floats both YAML 1.1 (PyYAML) and 1.2 read as floats: a '.' is required, an exponent needs its
 * sign, ".5" takes no sign. PyYAML writes the string "1e3" unquoted, so 1e3 must stay a string. */
static int resolve_float(const char *t, double *out)
{
	static const char *const nans[] = { ".nan", ".NaN", ".NAN" };
	static const char *const infs[] = { ".inf", ".Inf", ".INF" };
	const char *s = t;
	int neg = 0, before = 0, after = 0;

	if (one_of(t, nans, 3))
		return *out = NAN, 1;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (one_of(s, infs, 3))
		return *out = neg ? -INFINITY : INFINITY, 1;
	for (; *s >= '0' && *s <= '9'; s++)
		before++;
	if (*s != '.' || (!before && s != t))
		return 0;
	for (s++; *s >= '0' && *s <= '9'; s++)
		after++;
	if (!before && !after)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s != '+' && *s != '-')
			return 0;
		if (*++s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s)
		return 0;
	*out = strtod(t, NULL);
	return 1;
}

static void resolve(struct yaml_node *n)
{
	static const char *const nulls[] = { "~", "null", "Null", "NULL" };
	static const char *const trues[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *const falses[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	const char *t = n->text;

	n->type = YAML_STR;
	if (!n->len || one_of(t, nulls, 4))
		n->type = YAML_NULL;
	else if (one_of(t, trues, 9))
		n->type = YAML_BOOL, n->v.b = 1;
	else if (one_of(t, falses, 9))
		n->type = YAML_BOOL, n->v.b = 0;
	else if (resolve_int(t, &n->v.i, &n->int_overflow))
		n->type = YAML_INT;
	else if (resolve_float(t, &n->v.f))
		n->type = YAML_FLOAT;
}

/* the scratch buffer becomes a scalar node */
static struct yaml_node *make_scalar(struct parser *P, struct pos at, enum yaml_style st)
{
	struct yaml_node *n = new_node(P, YAML_SCALAR, st, at);
	char *t;

	if (!n)
		return NULL;
	t = aalloc(P, P->sblen + 1);
	if (!t)
		return NULL;
	memcpy(t, P->sb ? P->sb : "", P->sblen);
	t[P->sblen] = 0;
	n->text = t;
	n->len = P->sblen;
	if (st == YAML_PLAIN)
		resolve(n);
	return n;
}

static struct yaml_node *null_node(struct parser *P, struct pos at)
{
	P->sblen = 0;
	return make_scalar(P, at, YAML_PLAIN);
}

/* --- duplicate keys ----------------------------------------------------------------------- */

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	while (n--)
		h = (h ^ *s++) * 1099511628211ull;
	return h;
}

static int by_value(const struct yaml_node *k)
{
	return k->style == YAML_PLAIN && (k->type == YAML_NULL || k->type == YAML_BOOL ||
					  (k->type == YAML_INT && !k->int_overflow));
}

static uint64_t dup_hash(const struct yaml_node *map, const struct yaml_node *k, int kind)
{
	uintptr_t m = (uintptr_t)map;
	uint64_t h = fnv(&m, sizeof(m), 14695981039346656037ull + (uint64_t)kind);

	if (kind == 0)
		return fnv(k->text, k->len, h);
	h = fnv(&k->type, sizeof(k->type), h);
	if (k->type == YAML_BOOL)
		h = fnv(&k->v.b, sizeof(k->v.b), h);
	else if (k->type == YAML_INT)
		h = fnv(&k->v.i, sizeof(k->v.i), h);
	return h;
}

static int dup_same(const struct yaml_node *a, const struct yaml_node *b, int kind)
{
	if (kind == 0)
		return a->len == b->len && !memcmp(a->text, b->text, a->len);
	if (a->type != b->type)
		return 0;
	return a->type == YAML_NULL || (a->type == YAML_BOOL && a->v.b == b->v.b) ||
	       (a->type == YAML_INT && a->v.i == b->v.i);
}

static int ht_grow(struct parser *P)
{
	size_t cap = P->htcap ? P->htcap * 2 : 64;
	struct dupent *t = calloc(cap, sizeof(*t));

	if (!t)
		return perr(P, here(P), "out of memory");
	for (size_t i = 0; i < P->htcap; i++) {
		size_t j;
		if (!P->ht[i].key)
			continue;
		for (j = P->ht[i].h & (cap - 1); t[j].key; j = (j + 1) & (cap - 1))
			;
		t[j] = P->ht[i];
	}
	free(P->ht);
	P->ht = t;
	P->htcap = cap;
	return 0;
}

static int dup_check(struct parser *P, const struct yaml_node *map, const struct yaml_node *k)
{
	for (int kind = 0; kind < 2; kind++) {
		uint64_t h;
		size_t i;
		if (kind == 1 && !by_value(k))
			continue;
		if ((P->htused + 1) * 2 > P->htcap && ht_grow(P) < 0)
			return -1;
		h = dup_hash(map, k, kind);
		for (i = h & (P->htcap - 1); P->ht[i].key; i = (i + 1) & (P->htcap - 1)) {
			const struct dupent *e = &P->ht[i];
			char b[64];
			if (e->h == h && e->map == map && e->kind == kind && by_value(e->key) >= kind &&
			    dup_same(e->key, k, kind))
				return perr(P, (struct pos){ k->line, k->col },
					    "duplicate key \"%s\" (first at line %u, column %u)",
					    shown(b, sizeof(b), k->text, k->len), e->key->line, e->key->col);
		}
		P->ht[i] = (struct dupent){ map, k, h, kind };
		P->htused++;
	}
	return 0;
}

/* --- lines, comments, indentation --------------------------------------------------------- */

/* blanks and a comment up to the end of the line; P->p is not at the start of the line */
static int skip_comment(struct parser *P)
{
	skip_ws(P);
	if (*P->p == '#') {
		if (!is_ws(P->p[-1]))
			return perr_at(P, P->p, "a comment needs a space before '#'");
		while (*P->p && *P->p != '\n')
			P->p++;
	}
	return 0;
}

/* Move to the next content: the rest of this line if it has any, else the first character of the
 * next line that is not blank or a comment. Block context: a tab in the indentation is an error. */
static int next_content(struct parser *P)
{
	if (P->p != P->ls) {
		if (skip_comment(P) < 0)
			return NC_ERR;
		if (!*P->p)
			return NC_END;
		if (*P->p != '\n')
			return NC_CONTENT;
		nl(P);
	}
	for (;;) {
		const char *q = P->p, *tab = NULL;
		while (*q == ' ')
			q++;
		if (*q == '\t') {
			tab = q;
			while (is_ws(*q))
				q++;
		}
		if (*q == '#')
			while (*q && *q != '\n')
				q++;
		P->p = q;
		if (*q == '\n') {
			nl(P);
			continue;
		}
		if (!*q)
			return NC_END;
		if (is_marker(P, q))
			return NC_MARKER;
		if (tab)
			return perr_at(P, tab, TAB_MSG);
		return NC_CONTENT;
	}
}

/* after a scalar or flow collection in block context: only a comment may follow on the line */
static int rest_of_line(struct parser *P)
{
	if (skip_comment(P) < 0)
		return -1;
	if (*P->p == ':')
		return perr_at(P, P->p, "mapping values are not allowed here");
	if (*P->p && *P->p != '\n')
		return perr_at(P, P->p, "unexpected text after the value");
	return 0;
}

/* --- scalars ------------------------------------------------------------------------------ */

/* characters that cannot start a plain scalar (YAML 1.2 c-indicator) */
static int plain_start(struct parser *P, int flow)
{
	const char *q = P->p;
	int sep = blankz(q[1]) || (flow && is_flow_ind(q[1]));

	switch (q[0]) {
	case '&':
		return perr_at(P, q, "anchors (&name) are not supported");
	case '*':
		return perr_at(P, q, "aliases (*name) are not supported");
	case '!':
		return perr_at(P, q, "tags (!tag, !!type) are not supported");
	case '|':
	case '>':
		return perr_at(P, q, flow ? "block scalars (| and >) are not allowed inside flow collections"
				      : "a block scalar cannot be a mapping key");
	case '%':
		return perr_at(P, q, "'%%' cannot start a plain scalar (directives are not supported; quote the value)");
	case '@':
	case '`':
		return perr_at(P, q, "'%c' is reserved and cannot start a plain scalar; quote the value", q[0]);
	case '#':
		return perr_at(P, q, "a comment needs a space before '#'");
	case ',':
	case '[':
	case ']':
	case '{':
	case '}':
		return perr_at(P, q, "unexpected '%c'", q[0]);
	case '-':
		if (sep)
			return perr_at(P, q, flow ? "a block sequence entry '- ' is not allowed inside a flow collection"
					      : "a block sequence entry '- ' is not allowed here");
		break;
	case '?':
		if (sep)
			return perr_at(P, q, "complex keys ('? ') are not supported");
		break;
	case ':':
		if (sep)
			return perr_at(P, q, "empty keys are not supported (nothing before ':')");
		break;
	}
	return 0;
}

/* one line of a plain scalar from P->p: [*s, *e) without trailing blanks; P->p = *e */
static void scan_plain_line(struct parser *P, int flow, const char **s, const char **e)
{
	const char *q = P->p;

	*s = q;
	for (;;) {
		char c = *q;
		if (!c || c == '\n')
			break;
		if (c == ':' && (blankz(q[1]) || (flow && is_flow_ind(q[1]))))
			break;
		if (is_ws(c) && q[1] == '#')
			break;
		if (flow && is_flow_ind(c))
			break;
		q++;
	}
	while (q > *s && is_ws(q[-1]))
		q--;
	*e = q;
	P->p = q;
}

/* the rest of a plain scalar: continuation lines (block: indented more than n) are folded in */
static struct yaml_node *finish_plain(struct parser *P, int flow, int n, const struct cand *k)
{
	P->sblen = 0;
	if (sb_put(P, k->s, (size_t)(k->e - k->s)) < 0)
		return NULL;
	for (;;) {
		const char *q = P->p, *s, *e;
		struct save sv;
		unsigned empty = 0;
		int stop = 0;

		while (is_ws(*q))
			q++;
		if (*q != '\n')
			break;
		sv = save(P);
		P->p = q;
		for (;;) {
			const char *r;
			int tab = 0;
			nl(P);
			r = P->p;
			while (*r == ' ')
				r++;
			if (*r == '\t') {
				tab = 1;
				while (is_ws(*r))
					r++;
			}
			if (*r == '\n') {
				P->p = r;
				empty++;
				continue;
			}
			if (!*r || *r == '#' || is_marker(P, P->ls) ||
			    (!flow && (tab || (int)(r - P->ls) <= n)))
				stop = 1;
			P->p = r;
			break;
		}
		if (!stop) {
			scan_plain_line(P, flow, &s, &e);
			if (e == s)
				stop = 1;
		}
		if (stop) {
			restore(P, sv);
			break;
		}
		if (empty ? sb_breaks(P, empty) : sb_put(P, " ", 1))
			return NULL;
		if (sb_put(P, s, (size_t)(e - s)) < 0)
			return NULL;
	}
	return make_scalar(P, k->pos, YAML_PLAIN);
}

static int escape(struct parser *P)
{
	static const char simple[][2] = {
		{ '0', 0 }, { 'a', '\a' }, { 'b', '\b' }, { 't', '\t' }, { '\t', '\t' }, { 'n', '\n' },
		{ 'v', '\v' }, { 'f', '\f' }, { 'r', '\r' }, { 'e', 0x1b }, { ' ', ' ' }, { '"', '"' },
		{ '/', '/' }, { '\\', '\\' },
	};
	const char *b = P->p;
	char c = b[1];
	unsigned long cp = 0;
	int digits = 0;

	if (c == '\n') {        /* escaped line break: joined without a space */
		P->p = b + 1;
		for (;;) {
			nl(P);
			if (is_marker(P, P->p))
				return perr_at(P, P->p, "document marker inside a quoted scalar");
			skip_ws(P);
			if (*P->p != '\n')
				return 0;
			if (sb_put(P, "\n", 1) < 0)
				return -1;
		}
	}
	if (c == 'x' || c == 'u' || c == 'U') {
		digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		for (int i = 0; i < digits; i++) {
			int d = hexval(b[2 + i]);
			if (d < 0)
				return perr_at(P, b, "escape \\%c needs %d hex digits", c, digits);
			cp = cp * 16 + (unsigned)d;
		}
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return perr_at(P, b, "escape \\%c%0*lX is a UTF-16 surrogate, not a character", c, digits, cp);
		if (cp > 0x10FFFF)
			return perr_at(P, b, "escape \\%c%0*lX is beyond U+10FFFF", c, digits, cp);
		P->p = b + 2 + digits;
		return sb_utf8(P, cp);
	}
	if (c == 'N' || c == '_' || c == 'L' || c == 'P') {
		P->p = b + 2;
		return sb_utf8(P, c == 'N' ? 0x85 : c == '_' ? 0xA0 : c == 'L' ? 0x2028 : 0x2029);
	}
	for (size_t i = 0; c && i < sizeof(simple) / sizeof(simple[0]); i++)
		if (simple[i][0] == c) {
			P->p = b + 2;
			return sb_put(P, &simple[i][1], 1);
		}
	if ((unsigned char)c > 0x20 && (unsigned char)c < 0x7F)
		return perr_at(P, b, "invalid escape sequence \\%c", c);
	return perr_at(P, b, "invalid escape sequence");
}

/* 'single' ('' is a quote) or "double" (YAML 1.2 escapes); line breaks fold like plain scalars.
 * Continuation lines may have any indentation, as PyYAML and libyaml allow. */
static struct yaml_node *parse_quoted(struct parser *P)
{
	struct pos at = here(P);
	char qc = *P->p;
	int dq = qc == '"';

	P->p++;
	P->sblen = 0;
	for (;;) {
		const char *q = P->p;
		char ch = *q;

		if (!ch) {
			perr(P, at, "unterminated %s-quoted scalar", dq ? "double" : "single");
			return NULL;
		}
		if (ch == qc) {
			if (!dq && q[1] == '\'') {
				if (sb_put(P, "'", 1) < 0)
					return NULL;
				P->p += 2;
				continue;
			}
			P->p++;
			break;
		}
		if (is_ws(ch)) {
			while (is_ws(*q))
				q++;
			if (*q != '\n' && sb_put(P, P->p, (size_t)(q - P->p)) < 0)
				return NULL;
			P->p = q;
			continue;
		}
		if (ch == '\n') {
			unsigned empty = 0;
			for (;;) {
				nl(P);
				if (is_marker(P, P->p)) {
					perr(P, at, "unterminated %s-quoted scalar (document marker at line %u)",
					     dq ? "double" : "single", P->line);
					return NULL;
				}
				skip_ws(P);
				if (*P->p != '\n')
					break;
				empty++;
			}
			if (empty ? sb_breaks(P, empty) : sb_put(P, " ", 1))
				return NULL;
			continue;
		}
		if (dq && ch == '\\') {
			if (escape(P) < 0)
				return NULL;
			continue;
		}
		while (*q && *q != qc && *q != '\n' && !is_ws(*q) && !(dq && *q == '\\'))
			q++;
		if (sb_put(P, P->p, (size_t)(q - P->p)) < 0)
			return NULL;
		P->p = q;
	}
	return make_scalar(P, at, dq ? YAML_DOUBLE_QUOTED : YAML_SINGLE_QUOTED);
}

/* | and > with chomping (-, +) and indentation (1-9) indicators; n is the parent's indentation */
static struct yaml_node *parse_block_scalar(struct parser *P, int n)
{
	struct pos at = here(P);
	int folded = *P->p == '>', chomp = 0, m = 0, have = 0, prev_more = 0, lastbr = 0;
	int min = n + 1 < 1 ? 1 : n + 1, ind = 0;
	unsigned pend = 0;

	P->p++;
	for (int i = 0; i < 2; i++) {
		char c = *P->p;
		if (c >= '1' && c <= '9' && !m)
			m = c - '0';
		else if ((c == '-' || c == '+') && !chomp)
			chomp = c == '-' ? -1 : 1;
		else if (c == '0' && !m) {
			perr_at(P, P->p, "block scalar indentation indicator must be 1 to 9");
			return NULL;
		} else
			break;
		P->p++;
	}
	if (!blankz(*P->p)) {
		perr_at(P, P->p, "invalid block scalar header (expected 1-9, '-', '+' or a comment)");
		return NULL;
	}
	skip_ws(P);
	if (*P->p == '#')
		while (*P->p && *P->p != '\n')
			P->p++;
	if (*P->p && *P->p != '\n') {
		perr_at(P, P->p, "unexpected text after the block scalar header");
		return NULL;
	}
	if (*P->p == '\n')
		nl(P);
	if (m) {
		ind = (n < 0 ? 0 : n) + m;
	} else {        /* the first non-empty line sets the indentation */
		const char *q = P->p;
		unsigned maxe = 0, maxe_line = 0, line = P->line;
		int text = 0;
		while (*q) {
			const char *s = q;
			while (*q == ' ')
				q++;
			if (*q == '\n') {
				if ((unsigned)(q - s) > maxe)
					maxe = (unsigned)(q - s), maxe_line = line;
				q++, line++;
				continue;
			}
			if (*q) {
				ind = (int)(q - s);
				text = 1;
			}
			break;
		}
		if (!text || ind < min) {
			ind = (int)maxe > min ? (int)maxe : min;
		} else if ((int)maxe > ind) {
			perr(P, (struct pos){ maxe_line, maxe + 1 },
			     "leading empty line of a block scalar has more spaces than its first line");
			return NULL;
		}
	}
	P->sblen = 0;
	for (;;) {
		const char *s = P->p, *q = s, *e;
		int more;
		while (*q == ' ' && q - s < ind)
			q++;
		if (*q == '\n') {       /* empty line */
			pend++;
			P->p = q;
			nl(P);
			continue;
		}
		if (!*q || q - s < ind)
			break;          /* end of input, or a less indented line */
		for (e = q; *e && *e != '\n'; e++)
			;
		more = is_ws(*q);
		if (!have) {
			if (sb_breaks(P, pend) < 0)
				return NULL;
		} else if (folded && !prev_more && !more) {
			if (pend ? sb_breaks(P, pend) : sb_put(P, " ", 1))
				return NULL;
		} else if (sb_breaks(P, pend + 1) < 0) {
			return NULL;
		}
		if (sb_put(P, q, (size_t)(e - q)) < 0)
			return NULL;
		pend = 0;
		have = 1;
		prev_more = more;
		P->p = e;
		lastbr = *e == '\n';
		if (!lastbr)
			break;
		nl(P);
	}
	if (have && chomp >= 0 && lastbr && sb_put(P, "\n", 1) < 0)
		return NULL;
	if (chomp > 0 && sb_breaks(P, pend) < 0)
		return NULL;
	return make_scalar(P, at, folded ? YAML_FOLDED : YAML_LITERAL);
}

/* --- flow collections --------------------------------------------------------------------- */

/* blanks, line breaks and comments inside a flow collection (any indentation, tabs allowed) */
static int skip_flow(struct parser *P, struct pos open, const char *what)
{
	for (;;) {
		char c = *P->p;
		if (is_ws(c)) {
			P->p++;
		} else if (c == '\n') {
			nl(P);
			if (is_marker(P, P->p))
				return perr(P, open, "unterminated %s (document marker at line %u)", what, P->line);
		} else if (c == '#' && (P->p == P->ls || is_ws(P->p[-1]))) {
			while (*P->p && *P->p != '\n')
				P->p++;
		} else if (!c) {
			return perr(P, open, "unterminated %s", what);
		} else {
			return 0;
		}
	}
}

static struct yaml_node *parse_flow_node(struct parser *P)
{
	struct cand k;

	if (*P->p == '[' || *P->p == '{')
		return parse_flow(P);
	if (*P->p == '"' || *P->p == '\'')
		return parse_quoted(P);
	if (plain_start(P, 1) < 0)
		return NULL;
	k.pos = here(P);
	scan_plain_line(P, 1, &k.s, &k.e);
	return finish_plain(P, 1, -1, &k);
}

static struct yaml_node *parse_flow(struct parser *P)
{
	struct pos at = here(P);
	int ismap = *P->p == '{';
	char close = ismap ? '}' : ']';
	const char *what = ismap ? "flow mapping" : "flow sequence";
	struct yaml_node *coll, *tail = NULL, *item, *val;

	coll = new_coll(P, ismap ? YAML_MAP : YAML_SEQ, YAML_FLOW, at);
	if (!coll)
		return NULL;
	P->p++;
	for (;;) {
		if (skip_flow(P, at, what) < 0)
			return NULL;
		if (*P->p == close) {
			P->p++;
			break;
		}
		if (*P->p == ',') {
			perr_at(P, P->p, "unexpected ',' (empty entry in a %s)", what);
			return NULL;
		}
		if (ismap && (*P->p == '[' || *P->p == '{' || (*P->p == '?' && (blankz(P->p[1]) || is_flow_ind(P->p[1]))))) {
			perr_at(P, P->p, "complex keys (a collection or '? ' as a key) are not supported");
			return NULL;
		}
		item = parse_flow_node(P);
		if (!item || skip_flow(P, at, what) < 0)
			return NULL;
		if (ismap) {
			struct pos after;
			if (!(*P->p == ':' && (item->style != YAML_PLAIN || blankz(P->p[1]) || is_flow_ind(P->p[1])))) {
				perr_at(P, P->p, "expected ':' after the key of a flow mapping entry");
				return NULL;
			}
			P->p++;
			after = here(P);
			if (dup_check(P, coll, item) < 0 || skip_flow(P, at, what) < 0)
				return NULL;
			if (*P->p == ',' || *P->p == close)
				val = null_node(P, after);
			else
				val = parse_flow_node(P);
			if (!val || skip_flow(P, at, what) < 0)
				return NULL;
			item->value = val;
		} else if (*P->p == ':' && (item->kind != YAML_SCALAR || item->style != YAML_PLAIN ||
					    blankz(P->p[1]) || is_flow_ind(P->p[1]))) {
			perr_at(P, P->p, "'key: value' pairs inside a flow sequence are not supported (write {key: value})");
			return NULL;
		}
		link_child(coll, &tail, item);
		if (*P->p == ',') {
			P->p++;
			continue;
		}
		if (*P->p == close) {
			P->p++;
			break;
		}
		perr_at(P, P->p, "expected ',' or '%c' in a %s", close, what);
		return NULL;
	}
	P->depth--;
	return coll;
}

/* --- block collections -------------------------------------------------------------------- */

static int parse_candidate(struct parser *P, struct cand *k)
{
	k->pos = here(P);
	k->line0 = P->line;
	k->plain = 0;
	k->node = NULL;
	if (*P->p == '[' || *P->p == '{') {
		k->node = parse_flow(P);
	} else if (*P->p == '"' || *P->p == '\'') {
		k->node = parse_quoted(P);
	} else {
		if (plain_start(P, 0) < 0)
			return -1;
		scan_plain_line(P, 0, &k->s, &k->e);
		k->plain = 1;
		return 0;
	}
	return k->node ? 0 : -1;
}

static int make_key(struct parser *P, struct cand *k)
{
	if (!k->plain && k->node->kind != YAML_SCALAR)
		return perr(P, k->pos, "complex keys (a flow collection as a key) are not supported");
	if (k->line0 != P->line)
		return perr(P, k->pos, "an implicit key must be on a single line");
	if (k->plain) {
		P->sblen = 0;
		if (sb_put(P, k->s, (size_t)(k->e - k->s)) < 0)
			return -1;
		k->node = make_scalar(P, k->pos, YAML_PLAIN);
		if (!k->node)
			return -1;
	}
	if (k->node->len > MAX_KEY_LEN)
		return perr(P, k->pos, "implicit key longer than %d bytes", MAX_KEY_LEN);
	return 0;
}

static int is_key_colon(const char *q)
{
	return q[0] == ':' && blankz(q[1]);
}

/* after a block collection's entry: 1 when the next line goes on at indentation c, 0 when the
 * collection ends there, -1 on error (a line indented more than c that nothing took) */
static int next_entry(struct parser *P, int c, const char *what)
{
	int r = next_content(P);

	if (r == NC_ERR)
		return -1;
	if (r != NC_CONTENT || indent(P) < c)
		return 0;
	if (indent(P) > c)
		return perr_at(P, P->p, "bad indentation (the %s are at column %d)", what, c + 1);
	return 1;
}

/* the node after "key:" or "-" when nothing follows on that line: on the lines below, indented
 * more than c (or "key:\n- a", a sequence at c itself), else an empty value at "after" */
static struct yaml_node *node_below(struct parser *P, int c, struct pos after, int seq_at_c)
{
	int r = next_content(P);

	if (r == NC_ERR)
		return NULL;
	if (r == NC_CONTENT && indent(P) > c)
		return parse_block_node(P, c, 0);
	if (seq_at_c && r == NC_CONTENT && indent(P) == c && is_entry(P->p))
		return parse_block_seq(P, c);
	return null_node(P, after);
}

/* block mapping at indentation c; its first key is parsed, P->p is at that key's ':' */
static struct yaml_node *parse_block_map(struct parser *P, int c, struct yaml_node *key)
{
	struct pos at = { key->line, key->col };
	struct yaml_node *map, *tail = NULL, *val;

	map = new_coll(P, YAML_MAP, YAML_BLOCK, at);
	if (!map)
		return NULL;
	for (;;) {
		struct pos after;
		struct cand k;
		int r;

		if (dup_check(P, map, key) < 0)
			return NULL;
		P->p++;
		after = here(P);
		skip_ws(P);
		if (*P->p == '#' || *P->p == '\n' || !*P->p)
			val = node_below(P, c, after, 1);
		else
			val = parse_block_node(P, c, 1);
		if (!val)
			return NULL;
		key->value = val;
		link_child(map, &tail, key);

		r = next_entry(P, c, "keys of this mapping");
		if (r < 0)
			return NULL;
		if (!r)
			break;
		if (is_entry(P->p)) {
			perr_at(P, P->p, "expected a mapping key, found a sequence entry '- '");
			return NULL;
		}
		if (P->p[0] == '?' && blankz(P->p[1])) {
			perr_at(P, P->p, "complex keys ('? ') are not supported");
			return NULL;
		}
		if (parse_candidate(P, &k) < 0)
			return NULL;
		skip_ws(P);
		if (!is_key_colon(P->p)) {
			perr(P, k.pos, "expected 'key: value' (no ':' after this key)");
			return NULL;
		}
		if (make_key(P, &k) < 0)
			return NULL;
		key = k.node;
	}
	P->depth--;
	return map;
}

/* block sequence at indentation c; P->p is at its first '-' */
static struct yaml_node *parse_block_seq(struct parser *P, int c)
{
	struct pos at = here(P);
	struct yaml_node *seq, *tail = NULL, *item;

	seq = new_coll(P, YAML_SEQ, YAML_BLOCK, at);
	if (!seq)
		return NULL;
	for (;;) {
		const char *tab = NULL;
		struct pos after;
		int r;

		P->p++;
		after = here(P);
		for (; is_ws(*P->p); P->p++)
			if (*P->p == '\t' && !tab)
				tab = P->p;
		if (*P->p == '#' || *P->p == '\n' || !*P->p) {
			item = node_below(P, c, after, 0);
		} else {
			P->sep_tab = tab;
			item = parse_block_node(P, c, 0);
		}
		if (!item)
			return NULL;
		link_child(seq, &tail, item);

		r = next_entry(P, c, "entries of this sequence");
		if (r < 0)
			return NULL;
		if (!r || !is_entry(P->p))
			break;          /* "key:\n- a\nnext:" - the parent mapping goes on */
	}
	P->depth--;
	return seq;
}

/* may a block collection start at q: not on the line of "key: " (inl), nor after a tab */
static int block_ok(struct parser *P, const char *q, int inl, const char *tab, const char *inl_msg)
{
	if (inl)
		return perr_at(P, q, "%s", inl_msg);
	if (tab)
		return perr_at(P, tab, TAB_MSG);
	return 0;
}

/* A node in block context at P->p. n: indentation of the parent collection (-1 at the top);
 * inl: the node follows "key: " or "--- " on the same line, where no block collection may start. */
static struct yaml_node *parse_block_node(struct parser *P, int n, int inl)
{
	const char *tab = P->sep_tab, *q;
	int c = indent(P);
	struct cand k;

	P->sep_tab = NULL;
	if (is_entry(P->p)) {
		if (block_ok(P, P->p, inl, tab, "a block sequence cannot start here (start it on the next line)") < 0)
			return NULL;
		return parse_block_seq(P, c);
	}
	if (*P->p == '|' || *P->p == '>')
		return parse_block_scalar(P, n);
	if (P->p[0] == '?' && blankz(P->p[1])) {
		perr_at(P, P->p, "complex keys ('? ') are not supported");
		return NULL;
	}
	if (parse_candidate(P, &k) < 0)
		return NULL;
	q = P->p;
	skip_ws(P);
	if (is_key_colon(P->p)) {
		if (block_ok(P, P->p, inl, tab,
			     "mapping values are not allowed here (a nested mapping starts on the next line)") < 0 ||
		    make_key(P, &k) < 0)
			return NULL;
		return parse_block_map(P, c, k.node);
	}
	P->p = q;
	if (k.plain && !(k.node = finish_plain(P, 0, n, &k)))
		return NULL;
	if (rest_of_line(P) < 0)
		return NULL;
	return k.node;
}

/* --- document ----------------------------------------------------------------------------- */

static struct yaml_node *parse_document(struct parser *P)
{
	struct yaml_node *root;
	int r = next_content(P);

	if (r == NC_ERR)
		return NULL;
	if (r == NC_CONTENT && *P->p == '%') {
		perr_at(P, P->p, "directives (%%YAML, %%TAG) are not supported");
		return NULL;
	}
	if (r == NC_MARKER && *P->p == '-') {
		struct pos after;
		P->p += 3;
		after = here(P);
		skip_ws(P);
		if (*P->p == '#' || *P->p == '\n' || !*P->p) {
			r = next_content(P);
			if (r == NC_ERR)
				return NULL;
			root = r == NC_CONTENT ? parse_block_node(P, -1, 0) : null_node(P, after);
		} else {
			root = parse_block_node(P, -1, 1);
		}
	} else if (r == NC_CONTENT) {
		root = parse_block_node(P, -1, 0);
	} else {
		root = null_node(P, r == NC_MARKER ? here(P) : (struct pos){ 1, 1 });
	}
	if (!root)
		return NULL;

	r = next_content(P);
	if (r == NC_ERR)
		return NULL;
	if (r == NC_CONTENT) {
		perr_at(P, P->p, "unexpected content after the top-level node (check the indentation)");
		return NULL;
	}
	if (r == NC_MARKER && *P->p == '-') {
		perr_at(P, P->p, "multiple documents are not supported");
		return NULL;
	}
	if (r == NC_MARKER) {
		const char *end = P->p;
		P->p += 3;
		r = next_content(P);
		if (r == NC_ERR)
			return NULL;
		if (r == NC_MARKER && *P->p == '-') {
			perr_at(P, P->p, "multiple documents are not supported");
			return NULL;
		}
		if (r != NC_END) {
			perr_at(P, P->p, "content after the document end marker '...' at line %u",
				pos_of(P, end).line);
			return NULL;
		}
	}
	return root;
}

/* --- input checks ------------------------------------------------------------------------- */

/* UTF-8 and YAML's printable set, BOM dropped, CRLF and CR made LF; NULL on error */
static char *normalize(struct parser *P, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf, *end = s + len;
	char *out = malloc(len + 1), *o = out;
	struct pos at = { 1, 1 };

	if (!out) {
		perr(P, (struct pos){ 0, 0 }, "out of memory");
		return NULL;
	}
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		s += 3;
	while (s < end) {
		unsigned long cp = *s;
		size_t n = 1;

		if (cp == '\n' || cp == '\r') {
			*o++ = '\n';
			s += cp == '\r' && s + 1 < end && s[1] == '\n' ? 2 : 1;
			at.line++;
			at.col = 1;
			continue;
		}
		if (cp == 0) {
			perr(P, at, "NUL byte in the input");
			goto fail;
		}
		if ((cp < 0x20 && cp != '\t') || cp == 0x7F) {
			perr(P, at, "control character 0x%02lX is not allowed (escape it in a double-quoted scalar)", cp);
			goto fail;
		}
		if (cp >= 0x80) {
			unsigned long min;
			if (cp >= 0xC2 && cp <= 0xDF)
				n = 2, cp &= 0x1F, min = 0x80;
			else if (cp >= 0xE0 && cp <= 0xEF)
				n = 3, cp &= 0x0F, min = 0x800;
			else if (cp >= 0xF0 && cp <= 0xF4)
				n = 4, cp &= 0x07, min = 0x10000;
			else
				goto bad;
			if ((size_t)(end - s) < n)
				goto bad;
			for (size_t i = 1; i < n; i++) {
				if ((s[i] & 0xC0) != 0x80)
					goto bad;
				cp = cp << 6 | (s[i] & 0x3F);
			}
			if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				goto bad;
			if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
				perr(P, at, "U+%04lX is a line break in YAML 1.1 but not in 1.2; escape it in a "
				     "double-quoted scalar", cp);
				goto fail;
			}
			if (cp < 0xA0) {
				perr(P, at, "control character U+%04lX is not allowed (escape it in a double-quoted scalar)", cp);
				goto fail;
			}
			if (cp == 0xFEFF) {
				perr(P, at, "byte order mark inside the input");
				goto fail;
			}
			if (cp == 0xFFFE || cp == 0xFFFF) {
				perr(P, at, "U+%04lX is not a character", cp);
				goto fail;
			}
		}
		memcpy(o, s, n);
		o += n;
		s += n;
		at.col++;
	}
	*o = 0;
	return out;
bad:
	perr(P, at, "invalid UTF-8 (byte 0x%02X)", *s);
fail:
	free(out);
	return NULL;
}

/* where byte max of buf is, for the "too large" message */
static struct pos pos_of_byte(const char *buf, size_t max)
{
	struct pos at = { 1, 1 };
	for (size_t i = 0; i < max; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n' || (c == '\r' && buf[i + 1] != '\n'))
			at.line++, at.col = 1;
		else if (c != '\r' && (c & 0xC0) != 0x80)
			at.col++;
	}
	return at;
}

/* --- public ------------------------------------------------------------------------------- */

void yaml_free(struct yaml_doc *doc)
{
	if (!doc)
		return;
	arena_free(&doc->arena);
	free(doc->file);
	free(doc);
}

struct yaml_doc *yaml_parse(const char *file, const char *buf, size_t len, const struct yaml_limits *lim,
			    char *err, size_t errlen)
{
	static const struct yaml_limits defaults = YAML_LIMITS_DEFAULT;
	struct parser P0 = { 0 }, *P = &P0;
	struct yaml_doc *doc;
	char *src;

	if (err && errlen)
		err[0] = 0;
	P->err = err;
	P->errlen = errlen;
	P->lim = lim ? *lim : defaults;
	P->arena.chunk = CHUNK;	/* no ceiling of its own: max_nodes and max_size bound it */
	if (!P->lim.max_size)
		P->lim.max_size = defaults.max_size;
	if (!P->lim.max_depth)
		P->lim.max_depth = defaults.max_depth;
	if (P->lim.max_depth > YAML_DEPTH_CAP)
		P->lim.max_depth = YAML_DEPTH_CAP;
	if (!P->lim.max_nodes)
		P->lim.max_nodes = defaults.max_nodes;
	doc = calloc(1, sizeof(*doc));
	if (doc)
		doc->file = strdup(file ? file : "<input>");
	if (!doc || !doc->file) {
		P->file = file ? file : "<input>";
		perr(P, (struct pos){ 0, 0 }, "out of memory");
		yaml_free(doc);
		return NULL;
	}
	P->file = doc->file;
	if (!buf)
		len = 0;
	if (len > P->lim.max_size) {
		perr(P, pos_of_byte(buf, P->lim.max_size), "input larger than %zu bytes", P->lim.max_size);
		yaml_free(doc);
		return NULL;
	}
	src = normalize(P, buf ? buf : "", len);
	if (src) {
		P->src = P->p = P->ls = src;
		P->line = 1;
		P->sbmax = 2 * len + 64;
		doc->root = parse_document(P);
	}
	doc->arena = P->arena;	/* the nodes now belong to the document */
	free(src);
	free(P->sb);
	free(P->ht);
	if (P->failed || !doc->root) {
		if (!P->failed)
			perr(P, (struct pos){ 0, 0 }, "internal error");
		yaml_free(doc);
		return NULL;
	}
	return doc;
}

struct yaml_doc *yaml_load_file(const char *path, const struct yaml_limits *lim, char *err, size_t errlen)
{
	static const struct yaml_limits defaults = YAML_LIMITS_DEFAULT;
	struct yaml_limits L = lim ? *lim : defaults;
	size_t want, cap = 4096, n = 0;
	struct yaml_doc *doc;
	char *buf;
	int fd;

	if (!L.max_size)
		L.max_size = defaults.max_size;
	want = L.max_size < SIZE_MAX ? L.max_size + 1 : L.max_size;    /* one more: "too large" */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto ioerr;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		goto ioerr;
	}
	while (n < want) {
		ssize_t r;
		if (n == cap) {
			char *nb;
			cap = cap > want / 2 ? want : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				goto ioerr;
			}
			buf = nb;
		}
		r = read(fd, buf + n, (cap < want ? cap : want) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			goto ioerr;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	doc = yaml_parse(path, buf, n, &L, err, errlen);
	free(buf);
	return doc;
ioerr:
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return NULL;
}

const struct yaml_node *yaml_get_key(const struct yaml_node *map, const char *key)
{
	size_t len = strlen(key);

	if (!map || map->kind != YAML_MAP)
		return NULL;
	yaml_foreach(k, map)
		if (k->len == len && !memcmp(k->text, key, len))
			return k;
	return NULL;
}

const struct yaml_node *yaml_get(const struct yaml_node *map, const char *key)
{
	const struct yaml_node *k = yaml_get_key(map, key);
	return k ? k->value : NULL;
}

const char *yaml_describe(const struct yaml_node *n)
{
	if (!n)
		return "nothing";
	if (n->kind == YAML_MAP)
		return "a mapping";
	if (n->kind == YAML_SEQ)
		return "a sequence";
	switch (n->type) {
	case YAML_NULL:
		return "an empty value (null)";
	case YAML_BOOL:
		return "a boolean";
	case YAML_INT:
		return "an integer";
	case YAML_FLOAT:
		return "a float";
	default:
		return "a string";
	}
}

void yaml_error(const struct yaml_node *n, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	struct pos at = { n ? n->line : 0, n ? n->col : 0 };

	va_start(ap, fmt);
	vfmt(err, errlen, n ? n->file : "<input>", at, fmt, ap);
	va_end(ap);
}

int yaml_expect(const struct yaml_node *n, enum yaml_kind kind, char *err, size_t errlen)
{
	static const char *const names[] = { "a scalar", "a sequence", "a mapping" };

	if (n && n->kind == kind)
		return 0;
	yaml_error(n, err, errlen, "expected %s, got %s", names[kind], yaml_describe(n));
	return -1;
}

int yaml_str(const struct yaml_node *n, const char **out, char *err, size_t errlen)
{
	if (!n || n->kind != YAML_SCALAR || n->type == YAML_NULL) {
		yaml_error(n, err, errlen, "expected a string, got %s", yaml_describe(n));
		return -1;
	}
	if (memchr(n->text, 0, n->len)) {
		yaml_error(n, err, errlen, "string contains a NUL character");
		return -1;
	}
	*out = n->text;
	return 0;
}

/* plain text that YAML 1.1 (PyYAML) reads as a number and YAML 1.2 does not, or differently */
static int ambiguous_number(const struct yaml_node *n)
{
	const char *t = n->text;
	if (n->style != YAML_PLAIN || n->type != YAML_STR)
		return 0;
	if (*t == '+' || *t == '-')
		t++;
	if ((*t < '0' || *t > '9') && *t != '.')
		return 0;
	for (; *t; t++)
		if (!strchr("0123456789_:.+-xXbBoOabcdefABCDEF", *t))
			return 0;
	return 1;
}

#define AMBIGUOUS "(YAML 1.1 and 1.2 read it differently; write a plain decimal number)"

int yaml_int(const struct yaml_node *n, long long min, long long max, long long *out, char *err,
	     size_t errlen)
{
	if (!n || n->kind != YAML_SCALAR || n->type != YAML_INT) {
		if (n && ambiguous_number(n))
			yaml_error(n, err, errlen, "expected an integer, got \"%s\" " AMBIGUOUS, n->text);
		else
			yaml_error(n, err, errlen, "expected an integer, got %s", yaml_describe(n));
		return -1;
	}
	if (n->int_overflow || n->v.i < min || n->v.i > max) {
		yaml_error(n, err, errlen, "integer %s out of range %lld..%lld", n->text, min, max);
		return -1;
	}
	*out = n->v.i;
	return 0;
}

int yaml_float(const struct yaml_node *n, double *out, char *err, size_t errlen)
{
	if (n && n->kind == YAML_SCALAR && n->type == YAML_FLOAT) {
		*out = n->v.f;
		return 0;
	}
	if (n && n->kind == YAML_SCALAR && n->type == YAML_INT && !n->int_overflow) {
		*out = (double)n->v.i;
		return 0;
	}
	if (n && ambiguous_number(n))
		yaml_error(n, err, errlen, "expected a number, got \"%s\" " AMBIGUOUS, n->text);
	else
		yaml_error(n, err, errlen, "expected a number, got %s", yaml_describe(n));
	return -1;
}

int yaml_bool(const struct yaml_node *n, int *out, char *err, size_t errlen)
{
	if (n && n->kind == YAML_SCALAR && n->type == YAML_BOOL) {
		*out = n->v.b;
		return 0;
	}
	yaml_error(n, err, errlen, "expected true or false, got %s", yaml_describe(n));
	return -1;
}
