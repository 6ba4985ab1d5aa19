/* re2.c - the RE2/Go regexp syntax (see re2.h), parsed into a tree, compiled into a Thompson
 * NFA program and run over the text with one list of states per character (Pike/Thompson, as
 * in Russ Cox's "Regular Expression Matching Can Be Simple And Fast"): every character of the
 * text is looked at once per state, whatever the pattern.
 *
 * Syntax reference: https://github.com/google/re2/wiki/Syntax (Go's regexp/syntax, Perl flags).
 */
//kbuild:obj-$(CONFIG_RE2) += re2.o
//config:config RE2
//config:	bool

#include "re2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define REPEAT_MAX 1000
#define DEPTH_MAX 200
#define RUNE_MAX 0x10FFFF
#define RUNE_ERROR 0xFFFD

enum { F_I = 1, F_M = 2, F_S = 4, F_U = 8 };
enum { A_BOT, A_EOT, A_BOL, A_EOL, A_WORDB, A_NWORDB };

/* tree: a concatenation and an alternation are lists of children linked by next */
enum { N_EMPTY, N_CHAR, N_ANY, N_ANYNL, N_CLASS, N_ASSERT, N_CAT, N_ALT, N_REP };
struct node {
	unsigned char op, fold;
	int x, y;		/* CHAR: rune; CLASS: first range, count; ASSERT: kind; CAT, ALT:
				 * first child; REP: child, min */
	int max;		/* REP: -1 for no bound */
	int next;		/* the next sibling in a CAT or ALT, -1: none */
};

/* program */
enum { I_CHAR, I_ANY, I_ANYNL, I_CLASS, I_ASSERT, I_SPLIT, I_JMP, I_MATCH };
struct inst {
	unsigned char op, fold;
	int x, y;
};

struct range {
	int lo, hi;
};

struct re2 {
	struct inst *prog;
	int n;
	struct range *r;
	long work;	/* compiling: nodes visited, bounded (an empty group repeated) */
};

struct parser {
	const char *s, *p;
	char *err;
	size_t errlen;
	struct node *nd;
	int nn, ncap;
	struct range *r;
	int nr, rcap;
	int depth;
};

static int fail(struct parser *ps, const char *code, const char *from, const char *to)
{
	if (!ps->err[0]) {
		int n = (int)(to > from ? to - from : 1);
		snprintf(ps->err, ps->errlen, "%s: `%.*s`", code, *from ? n : 0, from);
	}
	return -1;
}

static int node(struct parser *ps, int op, int x, int y)
{
	struct node *n;

	if (ps->nn == ps->ncap) {
		ps->ncap = ps->ncap ? 2 * ps->ncap : 64;
		ps->nd = xrealloc(ps->nd, sizeof(*ps->nd) * (size_t)ps->ncap);
	}
	n = &ps->nd[ps->nn];
	memset(n, 0, sizeof(*n));
	n->op = (unsigned char)op;
	n->x = x;
	n->y = y;
	n->next = -1;
	return ps->nn++;
}

static void add_range(struct parser *ps, int lo, int hi)
{
	if (ps->nr == ps->rcap) {
		ps->rcap = ps->rcap ? 2 * ps->rcap : 32;
		ps->r = xrealloc(ps->r, sizeof(*ps->r) * (size_t)ps->rcap);
	}
	ps->r[ps->nr].lo = lo;
	ps->r[ps->nr++].hi = hi;
}

/* one UTF-8 character of p (n bytes, n > 0): its length; an invalid byte is U+FFFD, length 1 */
static int utf8(const unsigned char *p, size_t n, int *r)
{
	static const int min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int len = p[0] < 0x80 ? 1 : p[0] < 0xC2 ? 0 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : p[0] < 0xF5 ? 4 : 0;
	int c;

	*r = RUNE_ERROR;
	if (len == 1)
		return *r = p[0], 1;
	if (!len || (size_t)len > n)
		return 1;
	c = p[0] & (0x7F >> len);
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 1;
		c = c << 6 | (p[i] & 0x3F);
	}
	if (c < min[len] || c > RUNE_MAX || (c >= 0xD800 && c <= 0xDFFF))
		return 1;
	*r = c;
	return len;
}

static int next_rune(struct parser *ps)
{
	int r;

	ps->p += utf8((const unsigned char *)ps->p, strlen(ps->p), &r);
	return r;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* the character of an escape (p after the backslash): \n \r \t \f \v \a \xHH \x{H..} and
 * punctuation; -1 with an error otherwise */
static int escape_char(struct parser *ps)
{
	static const char from[] = "nrtfva", to[] = "\n\r\t\f\v\a";
	const char *at = ps->p - 1, *q;
	int c = (unsigned char)*ps->p, v = 0;

	if (!c)
		return fail(ps, "trailing backslash at end of expression", ps->p, ps->p);
	if ((q = strchr(from, c)))
		return ps->p++, to[q - from];
	if (c == 'x') {
		ps->p++;
		if (*ps->p == '{') {
			int nd = 0;
			for (ps->p++; hexval(*ps->p) >= 0; ps->p++, nd++)
				if (v <= RUNE_MAX)
					v = v * 16 + hexval(*ps->p);
			if (*ps->p != '}' || !nd || v > RUNE_MAX)
				return fail(ps, "invalid escape sequence", at, ps->p + (*ps->p != 0));
			ps->p++;
			return v;
		}
		if (hexval(ps->p[0]) < 0 || hexval(ps->p[1]) < 0)
			return fail(ps, "invalid escape sequence", at, ps->p + (*ps->p != 0));
		v = hexval(ps->p[0]) * 16 + hexval(ps->p[1]);
		ps->p += 2;
		return v;
	}
	if (c < 0x80 && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '_')
		return ps->p++, c;
	return fail(ps, "invalid escape sequence", at, ps->p + 1);
}

/* named classes as pairs of bounds */
static const struct {
	const char *name, *pairs;
	unsigned char n;
} classes[] = {
	{ "d", "09", 1 }, { "s", "\t\n\f\r  ", 3 }, { "w", "09AZ__az", 4 },
	{ "alnum", "09AZaz", 3 }, { "alpha", "AZaz", 2 }, { "ascii", "\001\177", 1 },
	{ "blank", "\t\t  ", 2 }, { "cntrl", "\001\037\177\177", 2 }, { "digit", "09", 1 },
	{ "graph", "!~", 1 }, { "lower", "az", 1 }, { "print", " ~", 1 },
	{ "punct", "!/:@[`{~", 4 }, { "space", "\t\r  ", 2 }, { "upper", "AZ", 1 },
	{ "word", "09AZ__az", 4 }, { "xdigit", "09AFaf", 3 },
};

/* sort and merge the ranges from start; fold adds the other case of ASCII letters; neg
 * complements */
static void class_finish(struct parser *ps, int start, int fold, int neg)
{
	int n = ps->nr, out;

	if (fold)
		for (int i = start; i < n; i++) {
			int lo = ps->r[i].lo, hi = ps->r[i].hi;
			for (int base = 'A'; base <= 'a'; base += 'a' - 'A') {
				int l = lo > base ? lo : base, h = hi < base + 25 ? hi : base + 25;
				if (l <= h)
					add_range(ps, l ^ 0x20, h ^ 0x20);
			}
		}
	/* insertion sort: classes are short */
	for (int i = start + 1; i < ps->nr; i++)
		for (int j = i; j > start && ps->r[j - 1].lo > ps->r[j].lo; j--) {
			struct range t = ps->r[j];
			ps->r[j] = ps->r[j - 1];
			ps->r[j - 1] = t;
		}
	out = start;
	for (int i = start; i < ps->nr; i++) {
		if (out > start && ps->r[i].lo <= ps->r[out - 1].hi + 1) {
			if (ps->r[i].hi > ps->r[out - 1].hi)
				ps->r[out - 1].hi = ps->r[i].hi;
		} else {
			ps->r[out++] = ps->r[i];
		}
	}
	ps->nr = out;
	if (neg) {
		int lo = 0, m = ps->nr;
		for (int i = start; i < m; i++) {
			if (ps->r[i].lo > lo)
				add_range(ps, lo, ps->r[i].lo - 1);
			lo = ps->r[i].hi + 1;
		}
		if (lo <= RUNE_MAX)
			add_range(ps, lo, RUNE_MAX);
		memmove(ps->r + start, ps->r + m, sizeof(*ps->r) * (size_t)(ps->nr - m));
		ps->nr -= m - start;
	}
}

/* the ranges of named class i (negated when neg) at the end of the pool */
static void add_named(struct parser *ps, int i, int neg)
{
	int start = ps->nr;

	for (int k = 0; k < classes[i].n; k++)
		add_range(ps, (unsigned char)classes[i].pairs[2 * k], (unsigned char)classes[i].pairs[2 * k + 1]);
	if (i == 5 || i == 7)	/* ascii, cntrl: from NUL */
		ps->r[start].lo = 0;
	class_finish(ps, start, 0, neg);
}

static int perl_class(int c)
{
	return c == 'd' ? 0 : c == 's' ? 1 : c == 'w' ? 2 : -1;
}

static int class_node(struct parser *ps, int start, int fold, int neg)
{
	class_finish(ps, start, fold, neg);
	return node(ps, N_CLASS, start, ps->nr - start);
}

/* a character in [...]: escaped or not */
static int class_char(struct parser *ps)
{
	if (*ps->p != '\\')
		return next_rune(ps);
	ps->p++;
	return escape_char(ps);
}

/* [...]: ps->p at '[' */
static int parse_class(struct parser *ps, int flags)
{
	const char *at = ps->p;
	int start = ps->nr, neg = 0, first = 1;

	if (*++ps->p == '^')
		neg = 1, ps->p++;
	while (*ps->p != ']' || first) {
		const char *item = ps->p;
		int lo, hi, pc;

		first = 0;
		if (!*ps->p)
			return fail(ps, "missing closing ]", at, ps->p);
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			const char *e = strstr(ps->p + 2, ":]"), *name = ps->p + 2;
			int ng = *name == '^', i;
			size_t len;

			name += ng;
			len = e ? (size_t)(e - name) : 0;
			for (i = 3; i < (int)ARRAY_LEN(classes); i++)
				if (e && strlen(classes[i].name) == len && !strncmp(classes[i].name, name, len))
					break;
			if (i == (int)ARRAY_LEN(classes))
				return fail(ps, "invalid character class range", item, e ? e + 2 : ps->p + 2);
			add_named(ps, i, ng);
			ps->p = e + 2;
			continue;
		}
		if (ps->p[0] == '\\' && (pc = perl_class(ps->p[1] | 0x20)) >= 0) {
			add_named(ps, pc, ps->p[1] < 'a');
			ps->p += 2;
			continue;
		}
		if (ps->p[0] == '\\' && (ps->p[1] == 'p' || ps->p[1] == 'P'))
			return fail(ps, "invalid character class range", item, ps->p + 2);
		if ((lo = class_char(ps)) < 0)
			return -1;
		hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			ps->p++;
			if ((hi = class_char(ps)) < 0)
				return -1;
			if (hi < lo)
				return fail(ps, "invalid character class range", item, ps->p);
		}
		add_range(ps, lo, hi);
	}
	ps->p++;
	return class_node(ps, start, flags & F_I, neg);
}

static int char_node(struct parser *ps, int r, int flags)
{
	int n = node(ps, N_CHAR, r, 0);

	if ((flags & F_I) && ((r | 0x20) >= 'a' && (r | 0x20) <= 'z')) {
		ps->nd[n].x = r | 0x20;
		ps->nd[n].fold = 1;
	}
	return n;
}

static int parse_alt(struct parser *ps, int *flags);

/* (...), (?:...), (?P<name>...), (?flags) (-2: no node), (?flags:...); ps->p at '(' */
static int parse_group(struct parser *ps, int *flags)
{
	const char *at = ps->p;
	int local = *flags, n;

	ps->p++;
	if (*ps->p == '?') {
		ps->p++;
		if (*ps->p == 'P' || *ps->p == '<') {
			const char *name;
			ps->p += *ps->p == 'P';
			if (*ps->p++ != '<')
				return fail(ps, "invalid or unsupported Perl syntax", at, ps->p);
			for (name = ps->p; *ps->p == '_' || (*ps->p >= '0' && *ps->p <= '9') ||
			     ((*ps->p | 0x20) >= 'a' && (*ps->p | 0x20) <= 'z'); ps->p++)
				;
			if (*ps->p != '>' || ps->p == name)
				return fail(ps, "invalid named capture", at, ps->p + (*ps->p != 0));
			ps->p++;
		} else {
			int neg = 0, any = 0;
			for (;; ps->p++) {
				const char *q = strchr("imsU", *ps->p);
				if (*ps->p && q) {
					int f = 1 << (q - "imsU");
					local = neg ? local & ~f : local | f;
					any = 1;
				} else if (*ps->p == '-' && !neg) {
					neg = 1;
					any = 0;
				} else if ((*ps->p == ')' || *ps->p == ':') && (any || (!neg && *ps->p == ':'))) {
					break;
				} else {
					return fail(ps, "invalid or unsupported Perl syntax", at, ps->p + (*ps->p != 0));
				}
			}
			if (*ps->p++ == ')') {
				*flags = local;
				return -2;
			}
		}
	}
	if (++ps->depth > DEPTH_MAX)
		return fail(ps, "expression nests too deeply", at, at + 1);
	n = parse_alt(ps, &local);
	ps->depth--;
	if (n < 0)
		return -1;
	if (*ps->p != ')')
		return fail(ps, "missing closing )", ps->s, ps->p);
	ps->p++;
	return n;
}

static int parse_atom(struct parser *ps, int *flags)
{
	const char *at = ps->p;
	int c, pc;

	switch (*ps->p) {
	case '(':
		return parse_group(ps, flags);
	case '[':
		return parse_class(ps, *flags);
	case '.':
		ps->p++;
		return node(ps, (*flags & F_S) ? N_ANYNL : N_ANY, 0, 0);
	case '^':
		ps->p++;
		return node(ps, N_ASSERT, (*flags & F_M) ? A_BOL : A_BOT, 0);
	case '$':
		ps->p++;
		return node(ps, N_ASSERT, (*flags & F_M) ? A_EOL : A_EOT, 0);
	case '*': case '+': case '?':
		return fail(ps, "missing argument to repetition operator", at, at + 1);
	case '\\':
		c = ps->p[1];
		if (c && strchr("AzbB", c)) {
			ps->p += 2;
			return node(ps, N_ASSERT, c == 'A' ? A_BOT : c == 'z' ? A_EOT : c == 'b' ? A_WORDB : A_NWORDB, 0);
		}
		if ((pc = perl_class(c | 0x20)) >= 0) {
			int start = ps->nr;
			ps->p += 2;
			add_named(ps, pc, c < 'a');
			return node(ps, N_CLASS, start, ps->nr - start);
		}
		if (c == 'Q') {	/* literal text up to \E */
			const char *e;
			int cat = node(ps, N_CAT, -1, 0), last = -1;
			ps->p += 2;
			e = strstr(ps->p, "\\E");
			if (!e)
				e = ps->p + strlen(ps->p);
			while (ps->p < e) {
				int n = char_node(ps, next_rune(ps), *flags);
				if (last < 0)
					ps->nd[cat].x = n;
				else
					ps->nd[last].next = n;
				last = n;
			}
			ps->p = *e ? e + 2 : e;
			return cat;
		}
		ps->p++;
		if ((c = escape_char(ps)) < 0)
			return -1;
		return char_node(ps, c, *flags);
	}
	return char_node(ps, next_rune(ps), *flags);
}

/* the number at *p, advanced past it (above REPEAT_MAX: REPEAT_MAX + 1); -1 when none */
static int count(const char **p)
{
	int v = -1;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		if ((v = (v < 0 ? 0 : v) * 10 + (**p - '0')) > REPEAT_MAX)
			v = REPEAT_MAX + 1;
	return v;
}

/* a quantifier at ps->p: 1 with min, max (-1: none); 0 when there is none (a '{' that is
 * not a repeat is a literal); -1 on error */
static int quantifier(struct parser *ps, int *min, int *max)
{
	const char *q = ps->p;

	switch (*q) {
	case '*': *min = 0, *max = -1, q++; break;
	case '+': *min = 1, *max = -1, q++; break;
	case '?': *min = 0, *max = 1, q++; break;
	case '{':
		q++;
		if ((*min = count(&q)) < 0)
			return 0;
		*max = *min;
		if (*q == ',') {
			q++;
			*max = *q == '}' ? -1 : count(&q);
			if (*max == -1 && *q != '}')
				return 0;
		}
		if (*q++ != '}')
			return 0;
		if (*min > REPEAT_MAX || *max > REPEAT_MAX || (*max >= 0 && *max < *min))
			return fail(ps, "invalid repeat count", ps->p, q);
		break;
	default:
		return 0;
	}
	if (*q == '?')	/* lazy: the same texts match */
		q++;
	ps->p = q;
	return 1;
}

static int parse_cat(struct parser *ps, int *flags)
{
	int cat = node(ps, N_CAT, -1, 0), last = -1;

	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		int a = parse_atom(ps, flags), min, max, q;
		const char *at = ps->p;

		if (a == -2)
			continue;
		if (a < 0)
			return -1;
		if ((q = quantifier(ps, &min, &max)) < 0)
			return -1;
		if (q) {
			int rep = node(ps, N_REP, a, min);
			ps->nd[rep].max = max;
			a = rep;
			if ((q = quantifier(ps, &min, &max)) != 0)
				return q < 0 ? -1 : fail(ps, "invalid nested repetition operator", at, ps->p);
		}
		if (last < 0)
			ps->nd[cat].x = a;
		else
			ps->nd[last].next = a;
		last = a;
	}
	return cat;
}

static int parse_alt(struct parser *ps, int *flags)
{
	int alt = node(ps, N_ALT, -1, 0), last = -1;

	for (;;) {
		int c = parse_cat(ps, flags);
		if (c < 0)
			return -1;
		if (last < 0)
			ps->nd[alt].x = c;
		else
			ps->nd[last].next = c;
		last = c;
		if (*ps->p != '|')
			return alt;
		ps->p++;
	}
}

/* --- compiling ------------------------------------------------------------------------------ */

static int emit(struct re2 *re, int op, int x, int y)
{
	if (re->n >= RE2_PROG_MAX)
		return -1;
	re->prog[re->n].op = (unsigned char)op;
	re->prog[re->n].fold = 0;
	re->prog[re->n].x = x;
	re->prog[re->n].y = y;
	return re->n++;
}

static int comp(struct re2 *re, const struct parser *ps, int i)
{
	const struct node *n = &ps->nd[i];
	int s, j;

	if (++re->work > 8L * RE2_PROG_MAX)
		return -1;
	switch (n->op) {
	case N_CHAR:
		if ((s = emit(re, I_CHAR, n->x, 0)) < 0)
			return -1;
		re->prog[s].fold = n->fold;
		return 0;
	case N_ANY: return emit(re, I_ANY, 0, 0) < 0 ? -1 : 0;
	case N_ANYNL: return emit(re, I_ANYNL, 0, 0) < 0 ? -1 : 0;
	case N_CLASS: return emit(re, I_CLASS, n->x, n->y) < 0 ? -1 : 0;
	case N_ASSERT: return emit(re, I_ASSERT, n->x, 0) < 0 ? -1 : 0;
	case N_CAT:
		for (j = n->x; j >= 0; j = ps->nd[j].next)
			if (comp(re, ps, j) < 0)
				return -1;
		return 0;
	case N_ALT: {
		int jumps = -1;	/* the JMPs to the end, chained through their x until patched */
		for (j = n->x; ps->nd[j].next >= 0; j = ps->nd[j].next) {
			if ((s = emit(re, I_SPLIT, re->n + 1, 0)) < 0 || comp(re, ps, j) < 0)
				return -1;
			if ((jumps = emit(re, I_JMP, jumps, 0)) < 0)
				return -1;
			re->prog[s].y = re->n;
		}
		if (comp(re, ps, j) < 0)
			return -1;
		while (jumps >= 0) {
			int prev = re->prog[jumps].x;
			re->prog[jumps].x = re->n;
			jumps = prev;
		}
		return 0;
	}
	case N_REP: {
		int first = -1, prev;
		for (j = 0; j < n->y; j++)
			if (comp(re, ps, n->x) < 0)
				return -1;
		if (n->max < 0) {
			if ((s = emit(re, I_SPLIT, re->n + 1, 0)) < 0 || comp(re, ps, n->x) < 0 ||
			    emit(re, I_JMP, s, 0) < 0)
				return -1;
			re->prog[s].y = re->n;
			return 0;
		}
		for (j = n->y; j < n->max; j++) {	/* x? nested: skipping one skips the rest */
			if ((s = emit(re, I_SPLIT, re->n + 1, first)) < 0 || comp(re, ps, n->x) < 0)
				return -1;
			first = s;
		}
		for (; first >= 0; first = prev) {
			prev = re->prog[first].y;
			re->prog[first].y = re->n;
		}
		return 0;
	}
	}
	return 0;
}

struct re2 *re2_compile(const char *pattern, char *err, size_t errlen)
{
	struct parser ps = { pattern, pattern, err, errlen, NULL, 0, 0, NULL, 0, 0, 0 };
	struct re2 *re = NULL;
	int flags = 0, root;

	err[0] = 0;
	root = parse_alt(&ps, &flags);
	if (root >= 0 && *ps.p == ')')
		root = fail(&ps, "unexpected )", pattern, ps.p + 1);
	if (root >= 0) {
		re = xzalloc(sizeof(*re));
		re->prog = xmalloc(sizeof(*re->prog) * RE2_PROG_MAX);
		if (comp(re, &ps, root) < 0 || emit(re, I_MATCH, 0, 0) < 0) {
			fail(&ps, "expression too large", pattern, pattern + strlen(pattern));
			re2_free(re);
			re = NULL;
		} else {
			re->prog = xrealloc(re->prog, sizeof(*re->prog) * (size_t)re->n);
			re->r = ps.r;
			ps.r = NULL;
		}
	}
	free(ps.nd);
	free(ps.r);
	return re;
}

void re2_free(struct re2 *re)
{
	if (!re)
		return;
	free(re->prog);
	free(re->r);
	free(re);
}

/* --- matching ------------------------------------------------------------------------------- */

struct list {
	int *pc;
	int n;
};

static int is_word(int c)
{
	return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int holds(int kind, const unsigned char *d, size_t len, size_t pos)
{
	int before = pos > 0 ? d[pos - 1] : -1, after = pos < len ? d[pos] : -1;

	switch (kind) {
	case A_BOT: return pos == 0;
	case A_EOT: return pos == len;
	case A_BOL: return pos == 0 || before == '\n';
	case A_EOL: return pos == len || after == '\n';
	case A_WORDB: return is_word(before) != is_word(after);
	default: return is_word(before) == is_word(after);
	}
}

/* add pc and what it leads to without reading (jumps, splits, assertions that hold at pos)
 * to l; 1 when that reaches the match */
static int add(const struct re2 *re, struct list *l, unsigned *mark, unsigned gen, int *stack,
	       int pc, const unsigned char *d, size_t len, size_t pos)
{
	int sp = 0;

	stack[sp++] = pc;
	while (sp) {
		const struct inst *in;
		pc = stack[--sp];
		if (mark[pc] == gen)
			continue;
		mark[pc] = gen;
		in = &re->prog[pc];
		switch (in->op) {
		case I_JMP: stack[sp++] = in->x; break;
		case I_SPLIT: stack[sp++] = in->y; stack[sp++] = in->x; break;
		case I_ASSERT:
			if (holds(in->x, d, len, pos))
				stack[sp++] = pc + 1;
			break;
		case I_MATCH: return 1;
		default: l->pc[l->n++] = pc;
		}
	}
	return 0;
}

static int in_class(const struct range *r, int n, int c)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (c < r[mid].lo)
			hi = mid - 1;
		else if (c > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int re2_match(const struct re2 *re, const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	int n = re->n, *buf = xmalloc(sizeof(int) * (size_t)(4 * n + 2)), found = 0;
	unsigned *mark = xzalloc(sizeof(unsigned) * (size_t)n), gen = 1;
	struct list cl = { buf, 0 }, nl = { buf + n, 0 }, t;
	int *stack = buf + 2 * n;
	size_t pos = 0;

	for (;;) {
		int r = -1, l = 0;

		if (add(re, &cl, mark, gen, stack, 0, d, len, pos)) {
			found = 1;
			break;
		}
		if (pos >= len)
			break;
		l = utf8(d + pos, len - pos, &r);
		gen++;
		nl.n = 0;
		for (int i = 0; i < cl.n && !found; i++) {
			const struct inst *in = &re->prog[cl.pc[i]];
			int ok;
			switch (in->op) {
			case I_CHAR: ok = r == in->x || (in->fold && (r | 0x20) == in->x); break;
			case I_ANY: ok = r != '\n'; break;
			case I_ANYNL: ok = 1; break;
			default: ok = in_class(re->r + in->x, in->y, r); break;	/* I_CLASS */
			}
			if (ok && add(re, &nl, mark, gen, stack, cl.pc[i] + 1, d, len, pos + (size_t)l))
				found = 1;
		}
		if (found)
			break;
		t = cl, cl = nl, nl = t;
		pos += (size_t)l;
	}
	free(buf);
	free(mark);
	return found;
}
