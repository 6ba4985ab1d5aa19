/* expr.c - chksrv expectations: lexer, parser to an AST, evaluator over a result record
 * (the Python 3 expression subset of docs/expressions.md, with Python's semantics where the
 * subset reaches: truthiness, chained comparisons, int/float mixing, datetime/timedelta).
 */
//kbuild:obj-$(CONFIG_EXPR) += expr.o
//config:config EXPR
//config:	bool
//config:	select ARENA
//config:	select RECORD
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

#include "arena.h"

#define MAX_HEIGHT (4 * EXPR_MAX_DEPTH)	/* of the tree: "1+1+...+1" nests without brackets */
#define MAX_ARGS 16
#define MAX_STR_RESULT (64u << 10)	/* what str() of a list may produce */
#define TIME_MIN (-62135596800.0)	/* 0001-01-01T00:00:00Z, Python's datetime.min */
#define TIME_MAX 253402300799.0		/* 9999-12-31T23:59:59Z */
#define DELTA_MAX 1e12			/* seconds, about 31700 years */

/* --- values ------------------------------------------------------------------------- */

enum vtype { V_NONE, V_BOOL, V_INT, V_FLOAT, V_STR, V_LIST, V_TIME, V_DELTA, V_MAP };

struct val {
	uint8_t t;
	uint8_t secret;		/* read from a secret item: shown as *** */
	/* the record key the value was read from (V_MAP: the prefix, "" for res); NULL if
	 * computed. x['sub'] on such a value reads key + ".sub": res['ssl.con.cert']['notAfter']
	 * is the flat key ssl.con.cert.notAfter */
	const char *key;
	size_t keylen;
	union {
		int64_t i;	/* V_BOOL, V_INT */
		double f;	/* V_FLOAT; V_TIME: seconds since the epoch; V_DELTA: seconds */
		struct {
			const char *p;
			size_t n;
		} s;
		struct {
			const struct val *v;
			size_t n;
		} l;
	} u;
};

static const char *const type_names[] = { "NoneType", "bool", "int", "float", "str", "list",
					   "datetime", "timedelta", "dict" };

/* --- tokens and nodes --------------------------------------------------------------- */

enum tok {
	T_END, T_INT, T_FLOAT, T_STR, T_NAME, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_DOT, T_ASSIGN,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_DSLASH, T_PCT,
};

struct token {
	enum tok t;
	size_t pos, len;	/* bytes in the source */
	struct val v;		/* T_INT, T_FLOAT, T_STR (decoded into the pool) */
};

enum cmpop { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IN, C_NOTIN, C_IS, C_ISNOT };
static const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=", "in", "not in",
					  "is", "is not" };

enum nkind {
	N_CONST, N_LIST, N_KEY, N_RES, N_NOW, N_INDEX, N_ATTR, N_METHOD, N_CALL, N_KW,
	N_NEG, N_POS, N_NOT, N_AND, N_OR, N_BIN, N_CMP,
};

/* functions, methods, attributes */
enum fid {
	F_LEN, F_INT, F_FLOAT, F_STR, F_BOOL, F_LOWER, F_UPPER, F_ABS, F_TIMEDELTA,
	M_LOWER, M_UPPER, M_STRIP, M_STARTSWITH, M_ENDSWITH, M_GET, M_TOTAL_SECONDS, M_TIMESTAMP,
	A_DAYS, A_SECONDS,
};
enum fkind { K_FN, K_METHOD, K_ATTR };

struct fdef {
	const char *name;
	uint8_t id, kind, min, max;
};

static const struct fdef fdefs[] = {
	{ "len", F_LEN, K_FN, 1, 1 },
	{ "int", F_INT, K_FN, 1, 1 },
	{ "float", F_FLOAT, K_FN, 1, 1 },
	{ "str", F_STR, K_FN, 1, 1 },
	{ "bool", F_BOOL, K_FN, 1, 1 },
	{ "lower", F_LOWER, K_FN, 1, 1 },
	{ "upper", F_UPPER, K_FN, 1, 1 },
	{ "abs", F_ABS, K_FN, 1, 1 },
	{ "timedelta", F_TIMEDELTA, K_FN, 0, 3 },
	{ "lower", M_LOWER, K_METHOD, 0, 0 },
	{ "upper", M_UPPER, K_METHOD, 0, 0 },
	{ "strip", M_STRIP, K_METHOD, 0, 0 },
	{ "startswith", M_STARTSWITH, K_METHOD, 1, 1 },
	{ "endswith", M_ENDSWITH, K_METHOD, 1, 1 },
	{ "get", M_GET, K_METHOD, 1, 2 },
	{ "total_seconds", M_TOTAL_SECONDS, K_METHOD, 0, 0 },
	{ "timestamp", M_TIMESTAMP, K_METHOD, 0, 0 },
	{ "days", A_DAYS, K_ATTR, 0, 0 },
	{ "seconds", A_SECONDS, K_ATTR, 0, 0 },
};

/* timedelta's keywords and their seconds; the first three are its positional order */
static const struct {
	const char *name;
	double unit;
} td_units[] = {
	{ "days", 86400 }, { "seconds", 1 }, { "microseconds", 1e-6 }, { "milliseconds", 1e-3 },
	{ "minutes", 60 }, { "hours", 3600 }, { "weeks", 604800 },
};

struct node {
	uint8_t kind;
	uint8_t op;		/* N_BIN: T_PLUS...; N_CALL/N_METHOD/N_ATTR: enum fid */
	uint8_t cmpop;		/* operand of an N_CMP: the operator before it */
	int kid, last, next;	/* first and last child, next sibling; -1 for none */
	int height;
	struct val lit;		/* N_CONST; N_KEY and N_KW: the name in lit.u.s */
};

struct expr {
	char *src;
	struct node *nodes;
	int nn, cap, root;
	char *pool;
	size_t pool_used, pool_cap;
};

/* --- lexer ----------------------------------------------------------------------------- */

struct parser {
	struct expr *e;
	const char *src;
	size_t len;
	struct token *tk;
	size_t ntk, p;
	int depth;
	char *err;
	size_t errlen;
	int failed;
};

static int column(const char *src, size_t pos)
{
	int c = 1;
	for (size_t i = 0; i < pos && src[i]; i++)
		c += ((unsigned char)src[i] & 0xc0) != 0x80;
	return c;
}

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *ps, size_t pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->failed++)
		return -1;
	n = snprintf(ps->err, ps->errlen, "column %d: ", column(ps->src, pos));
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_name_char(int c)
{
	return is_name_start(c) || is_digit(c);
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int lex_number(struct parser *ps, size_t *i, struct token *t)
{
	const char *s = ps->src;
	size_t j = *i;
	int isfloat = 0;

	while (is_digit(s[j]))
		j++;
	if (s[j] == '.') {
		isfloat = 1;
		j++;
		while (is_digit(s[j]))
			j++;
	}
	if (s[j] == 'e' || s[j] == 'E') {
		size_t k = j + 1;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if (!is_digit(s[k]))
			return perr(ps, *i, "malformed number");
		while (is_digit(s[k]))
			k++;
		j = k;
		isfloat = 1;
	}
	if (is_name_char(s[j]) || s[j] == '.')
		return perr(ps, *i, "malformed number");
	if (isfloat) {
		char buf[64];
		if (j - *i >= sizeof(buf))
			return perr(ps, *i, "number too long");
		memcpy(buf, s + *i, j - *i);
		buf[j - *i] = 0;
		t->t = T_FLOAT;
		t->v.t = V_FLOAT;
		t->v.u.f = strtod(buf, NULL);
	} else {
		int64_t v = 0;
		for (size_t k = *i; k < j; k++)
			if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[k] - '0', &v))
				return perr(ps, *i, "integer literal too large");
		t->t = T_INT;
		t->v.t = V_INT;
		t->v.u.i = v;
	}
	*i = j;
	return 0;
}

/* 'text' or "text" at *i (after an optional b prefix), decoded into the pool */
static int lex_string(struct parser *ps, size_t *i, struct token *t)
{
	const char *s = ps->src;
	char q = s[*i], *out = ps->e->pool + ps->e->pool_used;
	size_t j = *i + 1, n = 0;

	for (;;) {
		char c = s[j];
		if (!c)
			return perr(ps, *i, "unterminated string");
		if (c == q)
			break;
		if (c != '\\') {
			out[n++] = c;
			j++;
			continue;
		}
		switch (s[j + 1]) {
		case '\\': out[n++] = '\\'; break;
		case '\'': out[n++] = '\''; break;
		case '"': out[n++] = '"'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case '0': out[n++] = '\0'; break;
		case 'x': {
			int h = hexval(s[j + 2]), l = h < 0 ? -1 : hexval(s[j + 3]);
			if (l < 0)
				return perr(ps, j, "\\x needs two hex digits");
			out[n++] = (char)(h * 16 + l);
			j += 2;
			break;
		}
		case 0:
			return perr(ps, *i, "unterminated string");
		default:
			if ((unsigned char)s[j + 1] >= 0x20 && (unsigned char)s[j + 1] < 0x7f)
				return perr(ps, j, "unknown escape '\\%c' (write '\\\\' for a backslash)",
					    s[j + 1]);
			return perr(ps, j, "unknown escape");
		}
		j += 2;
	}
	out[n] = 0;
	ps->e->pool_used += n + 1;
	t->t = T_STR;
	t->v.t = V_STR;
	t->v.u.s.p = out;
	t->v.u.s.n = n;
	*i = j + 1;
	return 0;
}

static int lex(struct parser *ps)
{
	const char *s = ps->src;
	size_t i = 0;

	for (;;) {
		struct token *t = &ps->tk[ps->ntk];
		unsigned char c;

		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			i++;
		memset(t, 0, sizeof(*t));
		t->pos = i;
		c = (unsigned char)s[i];
		if (!c) {
			t->t = T_END;
			ps->ntk++;
			return 0;
		}
		if (is_digit(c) || (c == '.' && is_digit(s[i + 1]))) {
			if (lex_number(ps, &i, t) < 0)
				return -1;
		} else if ((c == 'b' || c == 'B') && (s[i + 1] == '\'' || s[i + 1] == '"')) {
			i++;	/* bytes literal: the same as a string here */
			if (lex_string(ps, &i, t) < 0)
				return -1;
		} else if (c == '\'' || c == '"') {
			if (lex_string(ps, &i, t) < 0)
				return -1;
		} else if (is_name_start(c)) {
			while (is_name_char(s[i]))
				i++;
			t->t = T_NAME;
		} else {
			static const struct {
				char s[3];
				enum tok t;
			} ops[] = {
				{ "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
				{ "//", T_DSLASH }, { "(", T_LP }, { ")", T_RP }, { "[", T_LB },
				{ "]", T_RB }, { ",", T_COMMA }, { ".", T_DOT }, { "=", T_ASSIGN },
				{ "<", T_LT }, { ">", T_GT }, { "+", T_PLUS }, { "-", T_MINUS },
				{ "*", T_STAR }, { "/", T_SLASH }, { "%", T_PCT },
			};
			size_t k;
			for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
				size_t l = strlen(ops[k].s);
				if (!strncmp(s + i, ops[k].s, l)) {
					t->t = ops[k].t;
					i += l;
					break;
				}
			}
			if (k == sizeof(ops) / sizeof(ops[0])) {
				if (c > ' ' && c < 0x7f)
					return perr(ps, i, "unexpected character '%c'", c);
				return perr(ps, i, "unexpected byte 0x%02x", c);
			}
		}
		t->len = i - t->pos;
		ps->ntk++;
	}
}

/* --- parser ---------------------------------------------------------------------------- */

static struct token *peek(struct parser *ps, size_t k)
{
	size_t i = ps->p + k;
	return &ps->tk[i < ps->ntk ? i : ps->ntk - 1];
}

static int tok_is(struct parser *ps, size_t k, const char *word)
{
	struct token *t = peek(ps, k);
	return t->t == T_NAME && t->len == strlen(word) && !memcmp(ps->src + t->pos, word, t->len);
}

static const struct fdef *find_fdef(const char *name, size_t len, int kind)
{
	for (size_t i = 0; i < sizeof(fdefs) / sizeof(fdefs[0]); i++)
		if (fdefs[i].kind == kind && strlen(fdefs[i].name) == len &&
		    !memcmp(fdefs[i].name, name, len))
			return &fdefs[i];
	return NULL;
}

static int new_node(struct parser *ps, int kind, size_t pos)
{
	struct node *n;

	if (ps->e->nn >= ps->e->cap)
		return perr(ps, pos, "expression too complex");
	n = &ps->e->nodes[ps->e->nn];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->kid = n->last = n->next = -1;
	n->height = 1;
	return ps->e->nn++;
}

static int add_kid(struct parser *ps, int parent, int kid, size_t pos)
{
	struct node *p = &ps->e->nodes[parent], *k = &ps->e->nodes[kid];

	if (p->last < 0)
		p->kid = kid;
	else
		ps->e->nodes[p->last].next = kid;
	p->last = kid;
	if (k->height + 1 > p->height)
		p->height = k->height + 1;
	if (p->height > MAX_HEIGHT)
		return perr(ps, pos, "expression nested too deeply");
	return 0;
}

/* a node with kids a (and b if >= 0) */
static int wrap(struct parser *ps, int kind, size_t pos, int a, int b)
{
	int n = new_node(ps, kind, pos);

	if (n < 0 || add_kid(ps, n, a, pos) < 0 || (b >= 0 && add_kid(ps, n, b, pos) < 0))
		return -1;
	return n;
}

static int expect(struct parser *ps, enum tok t, const char *what)
{
	if (peek(ps, 0)->t != t)
		return perr(ps, peek(ps, 0)->pos, "expected %s", what);
	ps->p++;
	return 0;
}

static int parse_expr(struct parser *ps);

static int enter(struct parser *ps)
{
	if (++ps->depth > EXPR_MAX_DEPTH)
		return perr(ps, peek(ps, 0)->pos, "nested deeper than %d levels", EXPR_MAX_DEPTH);
	return 0;
}

/* ( args ) after a function or method name, appended as kids of call; validated against f */
static int parse_args(struct parser *ps, int call, const struct fdef *f, size_t pos)
{
	int npos = 0, nkw = 0;
	unsigned seen = 0;

	ps->p++;	/* ( */
	while (peek(ps, 0)->t != T_RP) {
		struct token *t = peek(ps, 0);
		int a;
		if (npos + nkw >= MAX_ARGS)
			return perr(ps, t->pos, "too many arguments");
		if (t->t == T_NAME && peek(ps, 1)->t == T_ASSIGN) {
			size_t u;
			if (f->id != F_TIMEDELTA)
				return perr(ps, t->pos, "%s() takes no keyword arguments", f->name);
			for (u = 0; u < sizeof(td_units) / sizeof(td_units[0]); u++)
				if (strlen(td_units[u].name) == t->len &&
				    !memcmp(td_units[u].name, ps->src + t->pos, t->len))
					break;
			if (u == sizeof(td_units) / sizeof(td_units[0]))
				return perr(ps, t->pos, "timedelta() has no argument '%.*s'",
					    (int)t->len, ps->src + t->pos);
			if (seen & (1u << u))
				return perr(ps, t->pos, "argument '%s' given twice", td_units[u].name);
			seen |= 1u << u;
			ps->p += 2;
			a = parse_expr(ps);
			if (a < 0 || (a = wrap(ps, N_KW, t->pos, a, -1)) < 0)
				return -1;
			ps->e->nodes[a].op = (uint8_t)u;
			nkw++;
		} else {
			if (nkw)
				return perr(ps, t->pos, "positional argument after keyword argument");
			if (npos >= f->max)
				return perr(ps, t->pos, "%s() takes at most %d argument%s", f->name,
					    f->max, f->max == 1 ? "" : "s");
			if (f->id == F_TIMEDELTA)
				seen |= 1u << npos;
			a = parse_expr(ps);
			if (a < 0)
				return -1;
			npos++;
		}
		if (add_kid(ps, call, a, pos) < 0)
			return -1;
		if (peek(ps, 0)->t == T_COMMA)
			ps->p++;
		else if (peek(ps, 0)->t != T_RP)
			return perr(ps, peek(ps, 0)->pos, "expected ',' or ')'");
	}
	ps->p++;	/* ) */
	if (npos < f->min)
		return perr(ps, pos, "%s() takes %d argument%s", f->name, f->min,
			    f->min == 1 ? "" : "s");
	return 0;
}

/* the items of a list [a, b] or tuple (a, b) up to the closing token */
static int parse_items(struct parser *ps, int list, enum tok close, const char *what)
{
	while (peek(ps, 0)->t != close) {
		size_t pos = peek(ps, 0)->pos;
		int a = parse_expr(ps);
		if (a < 0 || add_kid(ps, list, a, pos) < 0)
			return -1;
		if (peek(ps, 0)->t == T_COMMA)
			ps->p++;
		else if (peek(ps, 0)->t != close)
			return perr(ps, peek(ps, 0)->pos, "expected %s", what);
	}
	ps->p++;
	return 0;
}

static int parse_name(struct parser *ps)
{
	struct token *t = peek(ps, 0);
	const char *name = ps->src + t->pos;
	size_t pos = t->pos, end;
	const struct fdef *f;
	char *key;
	int n;

	if (tok_is(ps, 0, "True") || tok_is(ps, 0, "False") || tok_is(ps, 0, "None")) {
		if ((n = new_node(ps, N_CONST, pos)) < 0)
			return -1;
		ps->e->nodes[n].lit.t = *name == 'N' ? V_NONE : V_BOOL;
		ps->e->nodes[n].lit.u.i = *name == 'T';
		ps->p++;
		return n;
	}
	if (tok_is(ps, 0, "and") || tok_is(ps, 0, "or") || tok_is(ps, 0, "not") ||
	    tok_is(ps, 0, "in") || tok_is(ps, 0, "is"))
		return perr(ps, pos, "expected an expression");
	if (tok_is(ps, 0, "res")) {
		ps->p++;
		return new_node(ps, N_RES, pos);
	}
	if (tok_is(ps, 0, "now")) {
		ps->p++;
		if (peek(ps, 0)->t == T_LP) {	/* upstream's now is datetime.now: now() */
			ps->p++;
			if (expect(ps, T_RP, "')': now() takes no arguments") < 0)
				return -1;
		}
		return new_node(ps, N_NOW, pos);
	}
	if (peek(ps, 1)->t == T_LP) {
		f = find_fdef(name, t->len, K_FN);
		if (!f)
			return perr(ps, pos, "unknown function '%.*s'", (int)t->len, name);
		if ((n = new_node(ps, N_CALL, pos)) < 0)
			return -1;
		ps->e->nodes[n].op = f->id;
		ps->p++;
		if (parse_args(ps, n, f, pos) < 0)
			return -1;
		return n;
	}
	/* a bare key: dotted names are one key, up to a trailing .method( */
	while (peek(ps, 1)->t == T_DOT && peek(ps, 2)->t == T_NAME) {
		struct token *m = peek(ps, 2);
		if (peek(ps, 3)->t == T_LP && find_fdef(ps->src + m->pos, m->len, K_METHOD))
			break;
		ps->p += 2;
	}
	end = peek(ps, 0)->pos + peek(ps, 0)->len;
	ps->p++;
	key = ps->e->pool + ps->e->pool_used;
	n = 0;
	for (size_t i = pos; i < end; i++)	/* drop blanks around the dots */
		if (ps->src[i] != ' ' && ps->src[i] != '\t' && ps->src[i] != '\n' && ps->src[i] != '\r')
			key[n++] = ps->src[i];
	key[n] = 0;
	ps->e->pool_used += (size_t)n + 1;
	if ((n = new_node(ps, N_KEY, pos)) < 0)
		return -1;
	ps->e->nodes[n].lit.t = V_STR;
	ps->e->nodes[n].lit.u.s.p = key;
	ps->e->nodes[n].lit.u.s.n = strlen(key);
	return n;
}

static int parse_primary(struct parser *ps)
{
	struct token *t = peek(ps, 0);
	int n;

	switch (t->t) {
	case T_INT:
	case T_FLOAT:
	case T_STR:
		if ((n = new_node(ps, N_CONST, t->pos)) < 0)
			return -1;
		ps->e->nodes[n].lit = t->v;
		ps->p++;
		return n;
	case T_NAME:
		return parse_name(ps);
	case T_LP:
		ps->p++;
		if (peek(ps, 0)->t == T_RP) {	/* () is an empty tuple */
			ps->p++;
			return new_node(ps, N_LIST, t->pos);
		}
		if ((n = parse_expr(ps)) < 0)
			return -1;
		if (peek(ps, 0)->t == T_COMMA) {	/* a tuple is a list here */
			int l = wrap(ps, N_LIST, t->pos, n, -1);
			ps->p++;
			if (l < 0 || parse_items(ps, l, T_RP, "',' or ')'") < 0)
				return -1;
			return l;
		}
		if (expect(ps, T_RP, "')'") < 0)
			return -1;
		return n;
	case T_LB:
		ps->p++;
		if ((n = new_node(ps, N_LIST, t->pos)) < 0 || parse_items(ps, n, T_RB, "',' or ']'") < 0)
			return -1;
		return n;
	default:
		return perr(ps, t->pos, "expected an expression");
	}
}

static int parse_postfix(struct parser *ps)
{
	int n = parse_primary(ps);

	while (n >= 0) {
		struct token *t = peek(ps, 0);
		if (t->t == T_LB) {
			int i;
			ps->p++;
			if ((i = parse_expr(ps)) < 0 || expect(ps, T_RB, "']'") < 0)
				return -1;
			n = wrap(ps, N_INDEX, t->pos, n, i);
		} else if (t->t == T_DOT) {
			struct token *m = peek(ps, 1);
			const struct fdef *f;
			const char *name = ps->src + m->pos;
			int call;
			if (m->t != T_NAME)
				return perr(ps, m->pos, "expected a name after '.'");
			call = peek(ps, 2)->t == T_LP;
			if (!(f = find_fdef(name, m->len, call ? K_METHOD : K_ATTR)))
				return perr(ps, m->pos, "unknown %s '%.*s'", call ? "method" : "attribute",
					    (int)m->len, name);
			if ((n = wrap(ps, call ? N_METHOD : N_ATTR, m->pos, n, -1)) < 0)
				return -1;
			ps->e->nodes[n].op = f->id;
			ps->p += 2;
			if (call && parse_args(ps, n, f, m->pos) < 0)
				return -1;
		} else
			break;
	}
	return n;
}

static int parse_unary(struct parser *ps)
{
	struct token *t = peek(ps, 0);
	int n;

	if (t->t != T_MINUS && t->t != T_PLUS)
		return parse_postfix(ps);
	ps->p++;
	if (enter(ps) < 0 || (n = parse_unary(ps)) < 0)
		return -1;
	ps->depth--;
	return wrap(ps, t->t == T_MINUS ? N_NEG : N_POS, t->pos, n, -1);
}

static int parse_binary(struct parser *ps, int level);

/* level 0: + -, level 1: * / // % */
static int parse_binary(struct parser *ps, int level)
{
	int a = level ? parse_unary(ps) : parse_binary(ps, 1);

	while (a >= 0) {
		struct token *t = peek(ps, 0);
		int b;
		if (level == 0 ? (t->t != T_PLUS && t->t != T_MINUS)
			       : (t->t != T_STAR && t->t != T_SLASH && t->t != T_DSLASH && t->t != T_PCT))
			break;
		ps->p++;
		b = level ? parse_unary(ps) : parse_binary(ps, 1);
		if (b < 0 || (a = wrap(ps, N_BIN, t->pos, a, b)) < 0)
			return -1;
		ps->e->nodes[a].op = (uint8_t)t->t;
	}
	return a;
}

/* the comparison operator at the cursor and how many tokens it takes, or -1 */
static int cmp_at(struct parser *ps, int *ntok)
{
	static const enum cmpop bytok[] = { [T_EQ] = C_EQ, [T_NE] = C_NE, [T_LT] = C_LT,
					    [T_LE] = C_LE, [T_GT] = C_GT, [T_GE] = C_GE };
	enum tok t = peek(ps, 0)->t;

	*ntok = 1;
	if (t >= T_EQ && t <= T_GE)
		return bytok[t];
	if (tok_is(ps, 0, "in"))
		return C_IN;
	if (tok_is(ps, 0, "not") && tok_is(ps, 1, "in"))
		return *ntok = 2, C_NOTIN;
	if (tok_is(ps, 0, "is"))
		return tok_is(ps, 1, "not") ? (*ntok = 2, C_ISNOT) : C_IS;
	return -1;
}

static int parse_cmp(struct parser *ps)
{
	int a = parse_binary(ps, 0), n, op, ntok;

	if (a < 0 || (op = cmp_at(ps, &ntok)) < 0)
		return a;
	if ((n = wrap(ps, N_CMP, peek(ps, 0)->pos, a, -1)) < 0)
		return -1;
	while ((op = cmp_at(ps, &ntok)) >= 0) {
		size_t pos = peek(ps, 0)->pos;
		int b;
		ps->p += (size_t)ntok;
		if ((b = parse_binary(ps, 0)) < 0 || add_kid(ps, n, b, pos) < 0)
			return -1;
		ps->e->nodes[b].cmpop = (uint8_t)op;
	}
	return n;
}

static int parse_not(struct parser *ps)
{
	size_t pos = peek(ps, 0)->pos;
	int n;

	if (!tok_is(ps, 0, "not"))
		return parse_cmp(ps);
	ps->p++;
	if (enter(ps) < 0 || (n = parse_not(ps)) < 0)
		return -1;
	ps->depth--;
	return wrap(ps, N_NOT, pos, n, -1);
}

/* and (level 1) / or (level 0): one node with all operands */
static int parse_bool(struct parser *ps, int level)
{
	const char *word = level ? "and" : "or";
	int a = level ? parse_not(ps) : parse_bool(ps, 1), n;

	if (a < 0 || !tok_is(ps, 0, word))
		return a;
	if ((n = wrap(ps, level ? N_AND : N_OR, peek(ps, 0)->pos, a, -1)) < 0)
		return -1;
	while (tok_is(ps, 0, word)) {
		size_t pos = peek(ps, 0)->pos;
		ps->p++;
		a = level ? parse_not(ps) : parse_bool(ps, 1);
		if (a < 0 || add_kid(ps, n, a, pos) < 0)
			return -1;
	}
	return n;
}

static int parse_expr(struct parser *ps)
{
	int n;

	if (enter(ps) < 0)
		return -1;
	n = parse_bool(ps, 0);
	ps->depth--;
	return n;
}

void expr_free(struct expr *e)
{
	if (!e)
		return;
	free(e->src);
	free(e->nodes);
	free(e->pool);
	free(e);
}

const char *expr_source(const struct expr *e)
{
	return e->src;
}

struct expr *expr_compile(const char *src, char *err, size_t errlen)
{
	struct parser ps = { .src = src, .err = err, .errlen = errlen };
	struct expr *e;
	size_t len = strnlen(src, EXPR_MAX_LEN + 1);

	if (errlen)
		err[0] = 0;
	if (len > EXPR_MAX_LEN) {
		perr(&ps, EXPR_MAX_LEN, "expression longer than %d bytes", EXPR_MAX_LEN);
		return NULL;
	}
	ps.len = len;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto nomem;
	e->src = strdup(src);
	/* decoded strings and joined keys are never longer than their source text */
	e->pool_cap = 2 * len + 2;
	e->pool = malloc(e->pool_cap);
	ps.tk = malloc((len + 2) * sizeof(*ps.tk));
	e->cap = 2 * (int)len + 8;
	e->nodes = malloc((size_t)e->cap * sizeof(*e->nodes));
	if (!e->src || !e->pool || !ps.tk || !e->nodes)
		goto nomem;
	ps.e = e;
	if (lex(&ps) < 0)
		goto fail;
	e->root = parse_expr(&ps);
	if (e->root < 0)
		goto fail;
	if (peek(&ps, 0)->t == T_ASSIGN) {
		perr(&ps, peek(&ps, 0)->pos, "'=' is not a comparison, use '=='");
		goto fail;
	}
	if (peek(&ps, 0)->t != T_END) {
		perr(&ps, peek(&ps, 0)->pos, "expected an operator or the end, found '%.*s'",
		     (int)(peek(&ps, 0)->len > 20 ? 20 : peek(&ps, 0)->len), src + peek(&ps, 0)->pos);
		goto fail;
	}
	free(ps.tk);
	return e;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	free(ps.tk);
	expr_free(e);
	return NULL;
}

/* --- evaluation ---------------------------------------------------------------------- */

enum { OK = 0, MISSING = 1, ERR = 2 };

struct ctx {
	const struct expr *e;
	const struct record *r;
	double now;
	long steps;
	struct arena mem;	/* scratch of one evaluation, at most EXPR_MAX_MEM */
	struct expr_result *out;
	int has_lhs;
	struct val lhs;
	/* list items already turned into values, so res['list'] read in a loop-free but long
	 * expression does not cost the memory once per mention */
	struct {
		const struct record_item *it;
		struct val *v;
	} lists[8];
	int nlists;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (!c->out->reason[0]) {
		va_start(ap, fmt);
		vsnprintf(c->out->reason, sizeof(c->out->reason), fmt, ap);
		va_end(ap);
	}
	return code;
}

static void *alloc(struct ctx *c, size_t n)
{
	return arena_alloc(&c->mem, n);
}

static int nomem(struct ctx *c)
{
	return fail(c, ERR, "needs more than %u bytes of memory", EXPR_MAX_MEM);
}

static int step(struct ctx *c)
{
	if (++c->steps > EXPR_MAX_STEPS)
		return fail(c, ERR, "more than %d evaluation steps", EXPR_MAX_STEPS);
	return OK;
}

static const struct node *node(const struct ctx *c, int i)
{
	return &c->e->nodes[i];
}

static struct val mk_bool(int b)
{
	struct val v = { .t = V_BOOL, .u.i = !!b };
	return v;
}

static struct val mk_int(int64_t i)
{
	struct val v = { .t = V_INT, .u.i = i };
	return v;
}

static struct val mk_float(double f)
{
	struct val v = { .t = V_FLOAT, .u.f = f };
	return v;
}

static int mk_time(struct ctx *c, double f, struct val *v)
{
	if (!(f >= TIME_MIN && f <= TIME_MAX))
		return fail(c, ERR, "date out of range");
	memset(v, 0, sizeof(*v));
	v->t = V_TIME;
	v->u.f = f;
	return OK;
}

static int mk_delta(struct ctx *c, double f, struct val *v)
{
	if (!(f >= -DELTA_MAX && f <= DELTA_MAX))
		return fail(c, ERR, "timedelta out of range");
	memset(v, 0, sizeof(*v));
	v->t = V_DELTA;
	v->u.f = f;
	return OK;
}

static struct val mk_str(const char *p, size_t n, int secret)
{
	struct val v = { .t = V_STR, .secret = (uint8_t)secret, .u.s = { p, n } };
	return v;
}

static int truthy(const struct val *v)
{
	switch (v->t) {
	case V_NONE: return 0;
	case V_BOOL:
	case V_INT: return v->u.i != 0;
	case V_FLOAT:
	case V_DELTA: return v->u.f != 0;
	case V_STR: return v->u.s.n != 0;
	case V_LIST: return v->u.l.n != 0;
	default: return 1;
	}
}

/* Python's repr (quote) or str (!quote at the top); secrets as *** when redact */
static void repr(struct record_sink *s, const struct val *v, int quote, int redact)
{
	char buf[RECORD_FMT_MAX + 16];

	if (redact && v->secret) {
		record_puts(s, "***");
		return;
	}
	switch (v->t) {
	case V_NONE:
		record_puts(s, "None");
		break;
	case V_BOOL:
		record_puts(s, v->u.i ? "True" : "False");
		break;
	case V_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, v->u.i);
		record_puts(s, buf);
		break;
	case V_FLOAT:
		record_put(s, buf, record_fmt_float(v->u.f, buf));
		break;
	case V_STR:
		if (quote)
			record_put_escaped(s, v->u.s.p, v->u.s.n, '\'');
		else
			record_put(s, v->u.s.p, v->u.s.n);
		break;
	case V_LIST:
		record_puts(s, "[");
		for (size_t i = 0; i < v->u.l.n && !s->cut; i++) {
			if (i)
				record_puts(s, ", ");
			repr(s, &v->u.l.v[i], 1, redact);
		}
		record_puts(s, "]");
		break;
	case V_TIME: {
		double sec = floor(v->u.f);
		long us = lround((v->u.f - sec) * 1e6);
		size_t n;
		if (us >= 1000000)
			sec += 1, us = 0;
		n = record_fmt_time((int64_t)sec, buf);
		if (us && n && buf[n - 1] == 'Z')
			snprintf(buf + n - 1, sizeof(buf) - n + 1, ".%06ldZ", us);
		record_puts(s, buf);
		break;
	}
	case V_DELTA: {
		/* str(timedelta): [-]D day[s], H:MM:SS[.ffffff], days may be negative */
		const int64_t day = 86400000000LL;
		int64_t us = llround(v->u.f * 1e6), d = us / day, rem = us % day, sec;
		if (rem < 0)
			rem += day, d--;
		if (d)
			snprintf(buf, sizeof(buf), "%" PRId64 " day%s, ", d, d == 1 || d == -1 ? "" : "s");
		else
			buf[0] = 0;
		record_puts(s, buf);
		sec = rem / 1000000;
		snprintf(buf, sizeof(buf), "%d:%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60),
			 (int)(sec % 60));
		record_puts(s, buf);
		if (rem % 1000000) {
			snprintf(buf, sizeof(buf), ".%06d", (int)(rem % 1000000));
			record_puts(s, buf);
		}
		break;
	}
	case V_MAP:
		record_puts(s, "<keys under ");
		record_put_escaped(s, v->key, v->keylen, '\'');
		record_puts(s, ">");
		break;
	}
}

/* the key prefix.sub ("sub" when the prefix is empty); NULL if it cannot be a key */
static char *join_key(struct ctx *c, const char *prefix, size_t plen, const char *sub,
		      size_t slen, size_t *klen)
{
	char *k;

	*klen = plen + (plen ? 1 : 0) + slen;
	k = alloc(c, *klen + 2);
	if (!k)
		return NULL;
	memcpy(k, prefix, plen);
	if (plen)
		k[plen] = '.';
	memcpy(k + (plen ? plen + 1 : 0), sub, slen);
	k[*klen] = 0;
	return k;
}

static int missing(struct ctx *c, const char *key, size_t klen)
{
	struct record_sink s;

	if (!c->out->reason[0]) {
		record_sink_buf(&s, c->out->reason, sizeof(c->out->reason));
		record_puts(&s, "missing key ");
		record_put_escaped(&s, key, klen, '\'');
	}
	return MISSING;
}

/* a value used as a value: a section (keys under a name that is not a key itself) is the
 * missing key it names; only x['sub'], x.get(), 'sub' in x and len(x) look into one */
static int need_value(struct ctx *c, const struct val *v)
{
	return v->t == V_MAP && v->keylen ? missing(c, v->key, v->keylen) : OK;
}

static int from_item(struct ctx *c, const struct record_item *it, struct val *v)
{
	int secret = record_item_is_secret(it);
	struct val *l;

	memset(v, 0, sizeof(*v));
	switch (it->type) {
	case RECORD_NONE: v->t = V_NONE; break;
	case RECORD_BOOL: *v = mk_bool(it->v.b); break;
	case RECORD_INT: *v = mk_int(it->v.i); break;
	case RECORD_FLOAT: *v = mk_float(it->v.f); break;
	case RECORD_STR: *v = mk_str(it->v.s.p, it->v.s.len, secret); break;
	case RECORD_TIME:
		if (mk_time(c, (double)it->v.t, v) != OK)
			return ERR;
		break;
	case RECORD_LIST:
		l = NULL;
		for (int i = 0; i < c->nlists && !l; i++)
			if (c->lists[i].it == it)
				l = c->lists[i].v;
		if (!l) {
			l = alloc(c, (it->v.list.n ? it->v.list.n : 1) * sizeof(*l));
			if (!l)
				return nomem(c);
			for (size_t i = 0; i < it->v.list.n; i++)
				l[i] = mk_str(it->v.list.v[i], strlen(it->v.list.v[i]), secret);
			if (c->nlists < (int)(sizeof(c->lists) / sizeof(c->lists[0]))) {
				c->lists[c->nlists].it = it;
				c->lists[c->nlists++].v = l;
			}
		}
		v->t = V_LIST;
		v->u.l.v = l;
		v->u.l.n = it->v.list.n;
		break;
	}
	v->secret = (uint8_t)secret;
	v->key = it->key;
	v->keylen = strlen(it->key);
	return OK;
}

/* the item prefix.sub, or the section of keys under it; MISSING without a reason */
static int lookup(struct ctx *c, const char *prefix, size_t plen, const char *sub, size_t slen,
		  struct val *v, const char **key, size_t *klen)
{
	const struct record_item *it;
	char *k = join_key(c, prefix, plen, sub, slen, klen);

	if (!k)
		return nomem(c);
	*key = k;
	if (memchr(sub, 0, slen) || *klen > RECORD_MAX_KEY)
		return MISSING;
	it = record_getn(c->r, k, *klen);
	if (it)
		return from_item(c, it, v);
	k[*klen] = '.';
	if (record_has_prefix(c->r, k, *klen + 1)) {
		k[*klen] = 0;
		memset(v, 0, sizeof(*v));
		v->t = V_MAP;
		v->key = k;
		v->keylen = *klen;
		return OK;
	}
	k[*klen] = 0;
	return MISSING;
}

static int lookup_or_fail(struct ctx *c, const char *prefix, size_t plen, const char *sub,
			  size_t slen, struct val *v)
{
	const char *key;
	size_t klen;
	int st = lookup(c, prefix, plen, sub, slen, v, &key, &klen);

	return st == MISSING ? missing(c, key, klen) : st;
}

static int is_num(const struct val *v)
{
	return v->t == V_BOOL || v->t == V_INT || v->t == V_FLOAT;
}

static double as_f(const struct val *v)
{
	return v->t == V_FLOAT ? v->u.f : (double)v->u.i;
}

/* exact int-float comparison: -1, 0, 1, or 2 when unordered (NaN) */
static int int_vs_float(int64_t i, double f)
{
	double t;
	int64_t ti;

	if (isnan(f))
		return 2;
	if (f >= 9223372036854775808.0)
		return -1;
	if (f < -9223372036854775808.0)
		return 1;
	t = trunc(f);
	ti = (int64_t)t;
	if (i != ti)
		return i < ti ? -1 : 1;
	return f > t ? -1 : f < t ? 1 : 0;
}

static int numcmp(const struct val *a, const struct val *b)
{
	int r;

	if (a->t != V_FLOAT && b->t != V_FLOAT)
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	if (a->t == V_FLOAT && b->t == V_FLOAT) {
		if (isnan(a->u.f) || isnan(b->u.f))
			return 2;
		return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
	}
	if (a->t == V_FLOAT)
		return (r = int_vs_float(b->u.i, a->u.f)) == 2 ? 2 : -r;
	return int_vs_float(a->u.i, b->u.f);
}

static int bytecmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	if (r)
		return r < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

static int equal(struct ctx *c, const struct val *a, const struct val *b, int *eq);

/* -1, 0, 1, or 2 (unordered) into *r; a TypeError when the types have no order */
static int order(struct ctx *c, int op, const struct val *a, const struct val *b, int *r)
{
	if (step(c))
		return ERR;
	if (is_num(a) && is_num(b))
		*r = numcmp(a, b);
	else if (a->t == V_STR && b->t == V_STR)
		*r = bytecmp(a->u.s.p, a->u.s.n, b->u.s.p, b->u.s.n);
	else if ((a->t == V_TIME && b->t == V_TIME) || (a->t == V_DELTA && b->t == V_DELTA))
		*r = a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
	else if (a->t == V_LIST && b->t == V_LIST) {
		size_t i;
		for (i = 0; i < a->u.l.n && i < b->u.l.n; i++) {
			int eq, st = equal(c, &a->u.l.v[i], &b->u.l.v[i], &eq);
			if (st)
				return st;
			if (!eq)
				return order(c, op, &a->u.l.v[i], &b->u.l.v[i], r);
		}
		*r = a->u.l.n < b->u.l.n ? -1 : a->u.l.n > b->u.l.n;
	} else
		return fail(c, ERR, "'%s' not supported between '%s' and '%s'", cmp_names[op],
			    type_names[a->t], type_names[b->t]);
	return OK;
}

static int equal(struct ctx *c, const struct val *a, const struct val *b, int *eq)
{
	if (step(c))
		return ERR;
	*eq = 0;
	if (is_num(a) && is_num(b))
		*eq = numcmp(a, b) == 0;
	else if (a->t != b->t)
		*eq = 0;
	else if (a->t == V_NONE)
		*eq = 1;
	else if (a->t == V_STR)
		*eq = a->u.s.n == b->u.s.n && !memcmp(a->u.s.p, b->u.s.p, a->u.s.n);
	else if (a->t == V_TIME || a->t == V_DELTA)
		*eq = a->u.f == b->u.f;
	else if (a->t == V_MAP)
		*eq = a->keylen == b->keylen && !memcmp(a->key, b->key, a->keylen);
	else if (a->t == V_LIST && a->u.l.n == b->u.l.n) {
		*eq = 1;
		for (size_t i = 0; i < a->u.l.n && *eq; i++) {
			int st = equal(c, &a->u.l.v[i], &b->u.l.v[i], eq);
			if (st)
				return st;
		}
	}
	return OK;
}

static int contains(struct ctx *c, const struct val *a, const struct val *b, int *in)
{
	*in = 0;
	if (b->t == V_STR) {
		if (a->t != V_STR)
			return fail(c, ERR, "'in <string>' requires a string on the left, not '%s'",
				    type_names[a->t]);
		*in = a->u.s.n == 0 || memmem(b->u.s.p, b->u.s.n, a->u.s.p, a->u.s.n) != NULL;
		return OK;
	}
	if (b->t == V_LIST) {
		for (size_t i = 0; i < b->u.l.n && !*in; i++) {
			int st = equal(c, a, &b->u.l.v[i], in);
			if (st)
				return st;
		}
		return OK;
	}
	if (b->t == V_MAP) {
		struct val v;
		const char *key;
		size_t klen;
		int st;
		if (a->t != V_STR)
			return OK;
		st = lookup(c, b->key, b->keylen, a->u.s.p, a->u.s.n, &v, &key, &klen);
		*in = st == OK;
		return st == MISSING ? OK : st;
	}
	return fail(c, ERR, "argument of type '%s' is not iterable", type_names[b->t]);
}

static int compare(struct ctx *c, int op, const struct val *a, const struct val *b, int *res)
{
	int r, st;

	if ((st = need_value(c, a)) || (op != C_IN && op != C_NOTIN && (st = need_value(c, b))))
		return st;

	switch (op) {
	case C_EQ:
	case C_NE:
		st = equal(c, a, b, &r);
		*res = op == C_EQ ? r : !r;
		return st;
	case C_IN:
	case C_NOTIN:
		st = contains(c, a, b, &r);
		*res = op == C_IN ? r : !r;
		return st;
	case C_IS:
	case C_ISNOT:
		/* identity only means something for the singletons */
		if (a->t != V_NONE && a->t != V_BOOL && b->t != V_NONE && b->t != V_BOOL)
			return fail(c, ERR, "'is' compares with None, True or False only");
		r = a->t == b->t && (a->t == V_NONE || a->u.i == b->u.i);
		*res = op == C_IS ? r : !r;
		return OK;
	default:
		if ((st = order(c, op, a, b, &r)))
			return st;
		*res = r == 2 ? 0 : op == C_LT ? r < 0 : op == C_LE ? r <= 0 : op == C_GT ? r > 0 : r >= 0;
		return OK;
	}
}

static int binop_type_error(struct ctx *c, int op, const struct val *a, const struct val *b)
{
	static const char *const names[] = { [T_PLUS] = "+", [T_MINUS] = "-", [T_STAR] = "*",
					     [T_SLASH] = "/", [T_DSLASH] = "//", [T_PCT] = "%" };
	return fail(c, ERR, "unsupported operand types for %s: '%s' and '%s'", names[op],
		    type_names[a->t], type_names[b->t]);
}

static int int_arith(struct ctx *c, int op, int64_t a, int64_t b, struct val *v)
{
	int64_t r = 0;
	int over = 0;

	switch (op) {
	case T_PLUS: over = __builtin_add_overflow(a, b, &r); break;
	case T_MINUS: over = __builtin_sub_overflow(a, b, &r); break;
	case T_STAR: over = __builtin_mul_overflow(a, b, &r); break;
	case T_SLASH:
		if (!b)
			return fail(c, ERR, "division by zero");
		*v = mk_float((double)a / (double)b);
		return OK;
	case T_DSLASH:
	case T_PCT:
		if (!b)
			return fail(c, ERR, "division by zero");
		if (b == -1) {	/* INT64_MIN / -1 overflows in C */
			over = op == T_DSLASH && __builtin_sub_overflow(0, a, &r);
			break;
		}
		if (op == T_DSLASH) {
			r = a / b;
			if (a % b && ((a < 0) != (b < 0)))
				r--;
		} else {
			r = a % b;
			if (r && ((r < 0) != (b < 0)))
				r += b;
		}
		break;
	}
	if (over)
		return fail(c, ERR, "integer overflow");
	*v = mk_int(r);
	return OK;
}

static int float_arith(struct ctx *c, int op, double a, double b, struct val *v)
{
	double r;

	switch (op) {
	case T_PLUS: r = a + b; break;
	case T_MINUS: r = a - b; break;
	case T_STAR: r = a * b; break;
	default:
		if (b == 0)
			return fail(c, ERR, "division by zero");
		if (op == T_SLASH)
			r = a / b;
		else if (op == T_DSLASH)
			r = floor(a / b);
		else {
			r = fmod(a, b);
			if (r != 0 && ((r < 0) != (b < 0)))
				r += b;
		}
	}
	*v = mk_float(r);
	return OK;
}

static int concat(struct ctx *c, const struct val *a, const struct val *b, struct val *v)
{
	if (a->t == V_STR) {
		char *p = alloc(c, a->u.s.n + b->u.s.n + 1);
		if (!p)
			return nomem(c);
		memcpy(p, a->u.s.p, a->u.s.n);
		memcpy(p + a->u.s.n, b->u.s.p, b->u.s.n);
		p[a->u.s.n + b->u.s.n] = 0;
		*v = mk_str(p, a->u.s.n + b->u.s.n, 0);
	} else {
		size_t n = a->u.l.n + b->u.l.n;
		struct val *l = alloc(c, (n ? n : 1) * sizeof(*l));
		if (!l)
			return nomem(c);
		memcpy(l, a->u.l.v, a->u.l.n * sizeof(*l));
		memcpy(l + a->u.l.n, b->u.l.v, b->u.l.n * sizeof(*l));
		memset(v, 0, sizeof(*v));
		v->t = V_LIST;
		v->u.l.v = l;
		v->u.l.n = n;
	}
	return OK;
}

static int binop(struct ctx *c, int op, const struct val *a, const struct val *b, struct val *v)
{
	int st;
	int secret = a->secret || b->secret;

	if (is_num(a) && is_num(b)) {
		if (a->t != V_FLOAT && b->t != V_FLOAT)
			st = int_arith(c, op, a->u.i, b->u.i, v);
		else
			st = float_arith(c, op, as_f(a), as_f(b), v);
	} else if (op == T_PLUS && a->t == b->t && (a->t == V_STR || a->t == V_LIST))
		st = concat(c, a, b, v);
	else if (a->t == V_TIME && b->t == V_DELTA && (op == T_PLUS || op == T_MINUS))
		st = mk_time(c, op == T_PLUS ? a->u.f + b->u.f : a->u.f - b->u.f, v);
	else if (a->t == V_DELTA && b->t == V_TIME && op == T_PLUS)
		st = mk_time(c, a->u.f + b->u.f, v);
	else if (a->t == V_TIME && b->t == V_TIME && op == T_MINUS)
		st = mk_delta(c, a->u.f - b->u.f, v);
	else if (a->t == V_DELTA && b->t == V_DELTA && (op == T_PLUS || op == T_MINUS))
		st = mk_delta(c, op == T_PLUS ? a->u.f + b->u.f : a->u.f - b->u.f, v);
	else if (a->t == V_DELTA && b->t == V_DELTA && op == T_SLASH) {
		if (b->u.f == 0)
			return fail(c, ERR, "division by zero");
		*v = mk_float(a->u.f / b->u.f);
		st = OK;
	} else if (op == T_STAR && ((a->t == V_DELTA && is_num(b)) || (is_num(a) && b->t == V_DELTA)))
		st = mk_delta(c, a->t == V_DELTA ? a->u.f * as_f(b) : as_f(a) * b->u.f, v);
	else if (op == T_SLASH && a->t == V_DELTA && is_num(b)) {
		if (as_f(b) == 0)
			return fail(c, ERR, "division by zero");
		st = mk_delta(c, a->u.f / as_f(b), v);
	} else
		return binop_type_error(c, op, a, b);
	v->secret = (uint8_t)secret;
	return st;
}

static int eval(struct ctx *c, int ni, struct val *v);
static int eval_raw(struct ctx *c, int ni, struct val *v);

static int to_int(struct ctx *c, const struct val *a, struct val *v)
{
	if (a->t == V_BOOL || a->t == V_INT) {
		*v = mk_int(a->u.i);
	} else if (a->t == V_FLOAT) {
		if (isnan(a->u.f) || isinf(a->u.f))
			return fail(c, ERR, "cannot convert float %s to integer",
				    isnan(a->u.f) ? "NaN" : "infinity");
		if (trunc(a->u.f) < -9223372036854775808.0 || trunc(a->u.f) >= 9223372036854775808.0)
			return fail(c, ERR, "integer overflow");
		*v = mk_int((int64_t)trunc(a->u.f));
	} else if (a->t == V_STR) {
		/* Python's int(str): blanks around, a sign, decimal digits (and _ between) */
		const char *p = a->u.s.p, *e = p + a->u.s.n;
		int neg = 0, digits = 0, under = 0;
		uint64_t r = 0;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
			e--;
		if (p < e && (*p == '+' || *p == '-'))
			neg = *p++ == '-';
		for (; p < e; p++) {
			if (*p == '_' && digits && !under) {
				under = 1;
				continue;
			}
			if (!is_digit(*p))
				break;
			if (r > (UINT64_MAX - 9) / 10)
				return fail(c, ERR, "integer overflow");
			r = r * 10 + (uint64_t)(*p - '0');
			digits++;
			under = 0;
		}
		if (p != e || !digits || under) {
			struct record_sink s;
			int secret = a->secret;
			if (!c->out->reason[0]) {
				record_sink_buf(&s, c->out->reason, sizeof(c->out->reason));
				record_puts(&s, "invalid literal for int(): ");
				if (secret)
					record_puts(&s, "***");
				else
					record_put_escaped(&s, a->u.s.p, a->u.s.n, '\'');
			}
			return ERR;
		}
		if (r > (uint64_t)INT64_MAX + neg)
			return fail(c, ERR, "integer overflow");
		*v = mk_int(neg ? (int64_t)(0 - r) : (int64_t)r);
	} else
		return fail(c, ERR, "int() can't convert '%s'", type_names[a->t]);
	return OK;
}

static int to_float(struct ctx *c, const struct val *a, struct val *v)
{
	if (is_num(a)) {
		*v = mk_float(as_f(a));
	} else if (a->t == V_STR) {
		char buf[64], *end;
		const char *p = a->u.s.p;
		size_t n = a->u.s.n, k;
		while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
			n--;
		for (k = 0; k < n; k++)	/* no hex floats, no NULs: what Python reads */
			if (!p[k] || (!is_digit(p[k]) && !strchr("+-.eEinfatyINFATY", p[k])))
				break;
		if (!n || k < n || n >= sizeof(buf))
			return fail(c, ERR, "could not convert string to float");
		memcpy(buf, p, n);
		buf[n] = 0;
		*v = mk_float(strtod(buf, &end));
		if (*end)
			return fail(c, ERR, "could not convert string to float");
	} else
		return fail(c, ERR, "float() can't convert '%s'", type_names[a->t]);
	return OK;
}

static int to_str(struct ctx *c, const struct val *a, struct val *v)
{
	char small[256], *p;
	struct record_sink s;

	if (a->t == V_STR) {
		*v = *a;
		v->key = NULL;
		return OK;
	}
	record_sink_buf(&s, small, sizeof(small));
	repr(&s, a, 0, 0);
	if (s.cut) {
		p = alloc(c, MAX_STR_RESULT);
		if (!p)
			return nomem(c);
		record_sink_buf(&s, p, MAX_STR_RESULT);
		repr(&s, a, 0, 0);
		if (s.cut)
			return fail(c, ERR, "str() result longer than %u bytes", MAX_STR_RESULT);
	} else {
		p = alloc(c, s.len + 1);
		if (!p)
			return nomem(c);
		memcpy(p, small, s.len + 1);
	}
	*v = mk_str(p, s.len, a->secret);
	return OK;
}

static int change_case(struct ctx *c, const struct val *a, int upper, struct val *v)
{
	char *p;

	if (a->t != V_STR)
		return fail(c, ERR, "%s() needs a str, not '%s'", upper ? "upper" : "lower",
			    type_names[a->t]);
	p = alloc(c, a->u.s.n + 1);
	if (!p)
		return nomem(c);
	for (size_t i = 0; i < a->u.s.n; i++) {
		char ch = a->u.s.p[i];
		if (upper && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 32);
		else if (!upper && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		p[i] = ch;
	}
	p[a->u.s.n] = 0;
	*v = mk_str(p, a->u.s.n, a->secret);
	return OK;
}

static int eval_timedelta(struct ctx *c, const struct node *n, struct val *v)
{
	double total = 0;
	int pos = 0, st;

	for (int k = n->kid; k >= 0; k = node(c, k)->next) {
		const struct node *a = node(c, k);
		struct val x;
		double unit;
		if (a->kind == N_KW) {
			unit = td_units[a->op].unit;
			st = eval(c, a->kid, &x);
		} else {
			unit = td_units[pos++].unit;
			st = eval(c, k, &x);
		}
		if (st)
			return st;
		if (!is_num(&x))
			return fail(c, ERR, "timedelta() needs numbers, not '%s'", type_names[x.t]);
		total += as_f(&x) * unit;
	}
	return mk_delta(c, total, v);
}

static int eval_call(struct ctx *c, const struct node *n, struct val *v)
{
	struct val a;
	int st;

	if (n->op == F_TIMEDELTA)
		return eval_timedelta(c, n, v);
	if ((st = n->op == F_LEN ? eval_raw(c, n->kid, &a) : eval(c, n->kid, &a)))
		return st;
	switch (n->op) {
	case F_LEN:
		if (a.t == V_STR)
			*v = mk_int((int64_t)a.u.s.n);
		else if (a.t == V_LIST)
			*v = mk_int((int64_t)a.u.l.n);
		else if (a.t == V_MAP) {
			/* the number of keys under it (all of them for res) */
			int64_t count = 0;
			for (size_t i = 0; i < record_count(c->r); i++) {
				const char *k = record_at(c->r, i)->key;
				if (!a.keylen || (!strncmp(k, a.key, a.keylen) && k[a.keylen] == '.'))
					count++;
			}
			*v = mk_int(count);
		} else
			return fail(c, ERR, "object of type '%s' has no len()", type_names[a.t]);
		break;
	case F_INT: st = to_int(c, &a, v); break;
	case F_FLOAT: st = to_float(c, &a, v); break;
	case F_STR: st = to_str(c, &a, v); break;
	case F_BOOL: *v = mk_bool(truthy(&a)); break;
	case F_LOWER:
	case F_UPPER: return change_case(c, &a, n->op == F_UPPER, v);
	case F_ABS:
		if (a.t == V_FLOAT)
			*v = mk_float(fabs(a.u.f));
		else if (a.t == V_INT || a.t == V_BOOL) {
			if (a.u.i == INT64_MIN)
				return fail(c, ERR, "integer overflow");
			*v = mk_int(a.u.i < 0 ? -a.u.i : a.u.i);
		} else if (a.t == V_DELTA)
			st = mk_delta(c, fabs(a.u.f), v);
		else
			return fail(c, ERR, "bad operand type for abs(): '%s'", type_names[a.t]);
		break;
	}
	v->secret = a.secret;
	return st;
}

static int eval_method(struct ctx *c, const struct node *n, struct val *v)
{
	struct val self, arg[2] = { { 0 }, { 0 } };
	int k = node(c, n->kid)->next, nargs = 0, st;
	static const char *const names[] = { [M_LOWER] = "lower", [M_UPPER] = "upper",
		[M_STRIP] = "strip", [M_STARTSWITH] = "startswith", [M_ENDSWITH] = "endswith",
		[M_GET] = "get", [M_TOTAL_SECONDS] = "total_seconds", [M_TIMESTAMP] = "timestamp" };
	static const uint8_t self_type[] = { [M_LOWER] = V_STR, [M_UPPER] = V_STR,
		[M_STRIP] = V_STR, [M_STARTSWITH] = V_STR, [M_ENDSWITH] = V_STR, [M_GET] = V_MAP,
		[M_TOTAL_SECONDS] = V_DELTA, [M_TIMESTAMP] = V_TIME };

	if ((st = n->op == M_GET ? eval_raw(c, n->kid, &self) : eval(c, n->kid, &self)))
		return st;
	if (self.t != self_type[n->op])
		return fail(c, ERR, "'%s' object has no method '%s'", type_names[self.t], names[n->op]);
	/* get() evaluates its key first: a missing default is only read when needed */
	for (; k >= 0 && nargs < 2; k = node(c, k)->next) {
		if ((st = eval(c, k, &arg[nargs])))
			return st;
		nargs++;
		if (n->op == M_GET)
			break;
	}
	switch (n->op) {
	case M_LOWER:
	case M_UPPER:
		return change_case(c, &self, n->op == M_UPPER, v);
	case M_STRIP: {
		const char *p = self.u.s.p;
		size_t len = self.u.s.n;
		while (len && strchr(" \t\n\r\f\v", *p) && *p)
			p++, len--;
		while (len && strchr(" \t\n\r\f\v", p[len - 1]) && p[len - 1])
			len--;
		*v = mk_str(p, len, self.secret);
		return OK;
	}
	case M_STARTSWITH:
	case M_ENDSWITH:
		if (arg[0].t != V_STR)
			return fail(c, ERR, "%s() needs a str, not '%s'", names[n->op], type_names[arg[0].t]);
		if (arg[0].u.s.n > self.u.s.n)
			*v = mk_bool(0);
		else
			*v = mk_bool(!memcmp(n->op == M_STARTSWITH ? self.u.s.p
						: self.u.s.p + self.u.s.n - arg[0].u.s.n,
					     arg[0].u.s.p, arg[0].u.s.n));
		return OK;
	case M_GET: {
		const char *key;
		size_t klen;
		if (arg[0].t != V_STR)
			return fail(c, ERR, "get() needs a str key, not '%s'", type_names[arg[0].t]);
		st = lookup(c, self.key, self.keylen, arg[0].u.s.p, arg[0].u.s.n, v, &key, &klen);
		if (st != MISSING)
			return st;
		if (k >= 0 && node(c, k)->next >= 0)
			return eval(c, node(c, k)->next, v);
		memset(v, 0, sizeof(*v));
		v->t = V_NONE;
		return OK;
	}
	case M_TOTAL_SECONDS:
	case M_TIMESTAMP:
		*v = mk_float(self.u.f);
		return OK;
	}
	return OK;
}

static int eval_index(struct ctx *c, const struct node *n, struct val *v)
{
	struct val base, idx;
	int st;
	int64_t i, len;

	if ((st = eval_raw(c, n->kid, &base)) || (st = eval(c, node(c, n->kid)->next, &idx)))
		return st;
	if (idx.t == V_STR && base.key) {	/* see struct val: x['sub'] reads key.sub */
		const char *key;
		size_t klen;
		st = lookup(c, base.key, base.keylen, idx.u.s.p, idx.u.s.n, v, &key, &klen);
		if (st == MISSING && idx.secret)	/* a key spelled by a secret stays unsaid */
			return missing(c, "***", 3);
		return st == MISSING ? missing(c, key, klen) : st;
	}
	if ((st = need_value(c, &base)))
		return st;
	if (base.t != V_LIST && base.t != V_STR)
		return fail(c, ERR, "'%s' object is not subscriptable", type_names[base.t]);
	if (idx.t != V_INT && idx.t != V_BOOL)
		return fail(c, ERR, "%s indices must be integers, not '%s'", type_names[base.t],
			    type_names[idx.t]);
	len = (int64_t)(base.t == V_LIST ? base.u.l.n : base.u.s.n);
	i = idx.u.i < 0 ? idx.u.i + len : idx.u.i;
	if (i < 0 || i >= len)
		return fail(c, ERR, "%s index out of range", type_names[base.t]);
	if (base.t == V_LIST)
		*v = base.u.l.v[i];
	else
		*v = mk_str(base.u.s.p + i, 1, base.secret);
	v->secret |= base.secret;
	v->key = NULL;
	return OK;
}

static int eval_raw(struct ctx *c, int ni, struct val *v)
{
	const struct node *n = node(c, ni);
	struct val a, b;
	int st, k, r;

	if (step(c))
		return ERR;
	switch (n->kind) {
	case N_CONST:
		*v = n->lit;
		return OK;
	case N_LIST: {
		size_t cnt = 0;
		struct val *l;
		for (k = n->kid; k >= 0; k = node(c, k)->next)
			cnt++;
		l = alloc(c, (cnt ? cnt : 1) * sizeof(*l));
		if (!l)
			return nomem(c);
		cnt = 0;
		for (k = n->kid; k >= 0; k = node(c, k)->next)
			if ((st = eval(c, k, &l[cnt++])))
				return st;
		memset(v, 0, sizeof(*v));
		v->t = V_LIST;
		v->u.l.v = l;
		v->u.l.n = cnt;
		for (size_t i = 0; i < cnt; i++)
			v->secret |= l[i].secret;
		return OK;
	}
	case N_KEY:
		return lookup_or_fail(c, "", 0, n->lit.u.s.p, n->lit.u.s.n, v);
	case N_RES:
		memset(v, 0, sizeof(*v));
		v->t = V_MAP;
		v->key = "";
		return OK;
	case N_NOW:
		return mk_time(c, c->now, v);
	case N_INDEX:
		return eval_index(c, n, v);
	case N_ATTR:
		if ((st = eval(c, n->kid, &a)))
			return st;
		if (a.t != V_DELTA)
			return fail(c, ERR, "'%s' object has no attribute '%s'", type_names[a.t],
				    n->op == A_DAYS ? "days" : "seconds");
		r = n->op == A_DAYS;
		*v = mk_int((int64_t)floor(a.u.f / 86400));
		if (!r) {	/* seconds within the day, 0..86399 as in Python */
			int64_t s = (int64_t)floor(a.u.f - (double)v->u.i * 86400);
			*v = mk_int(s < 0 ? 0 : s > 86399 ? 86399 : s);
		}
		v->secret = a.secret;
		return OK;
	case N_METHOD:
		return eval_method(c, n, v);
	case N_CALL:
		return eval_call(c, n, v);
	case N_NEG:
	case N_POS:
		if ((st = eval(c, n->kid, &a)))
			return st;
		if (n->kind == N_POS && (is_num(&a) || a.t == V_DELTA)) {
			*v = a.t == V_BOOL ? mk_int(a.u.i) : a;
			v->key = NULL;
			return OK;
		}
		if (a.t == V_DELTA)
			st = mk_delta(c, -a.u.f, v);
		else if (a.t == V_FLOAT)
			*v = mk_float(-a.u.f);
		else if (is_num(&a)) {
			b = mk_int(0);
			st = binop(c, T_MINUS, &b, &a, v);
		} else
			return fail(c, ERR, "bad operand type for unary %c: '%s'",
				    n->kind == N_NEG ? '-' : '+', type_names[a.t]);
		v->secret = a.secret;
		return st;
	case N_NOT:
		if ((st = eval(c, n->kid, &a)))
			return st;
		*v = mk_bool(!truthy(&a));
		return OK;
	case N_AND:
	case N_OR:
		/* Python: the value of the operand that decided */
		for (k = n->kid; k >= 0; k = node(c, k)->next) {
			if ((st = eval(c, k, v)))
				return st;
			if (truthy(v) == (n->kind == N_OR))
				break;
		}
		return OK;
	case N_BIN:
		if ((st = eval(c, n->kid, &a)) || (st = eval(c, node(c, n->kid)->next, &b)))
			return st;
		return binop(c, n->op, &a, &b, v);
	case N_CMP:
		k = n->kid;
		if ((st = eval(c, k, &a)))	/* always a left operand */
			return st;
		if (ni == c->e->root) {
			c->lhs = a;
			c->has_lhs = 1;
		}
		r = 1;
		for (k = node(c, k)->next; k >= 0 && r; k = node(c, k)->next) {
			if ((st = eval_raw(c, k, &b)) || (st = compare(c, node(c, k)->cmpop, &a, &b, &r)))
				return st;
			a = b;
		}
		*v = mk_bool(r);
		return OK;
	}
	return fail(c, ERR, "bad expression");
}

static int eval(struct ctx *c, int ni, struct val *v)
{
	int st = eval_raw(c, ni, v);
	return st ? st : need_value(c, v);
}

int expr_eval(const struct expr *e, const struct record *r, time_t now, struct expr_result *out)
{
	struct ctx c = { .e = e, .r = r, .now = (double)now, .out = out,
			 .mem = { .max = EXPR_MAX_MEM, .chunk = 16384 } };
	struct val v;
	struct record_sink s;
	int st;

	out->text[0] = out->reason[0] = 0;
	st = eval(&c, e->root, &v);
	if (st == OK || c.has_lhs) {
		record_sink_buf(&s, out->text, sizeof(out->text));
		repr(&s, c.has_lhs ? &c.lhs : &v, 1, 1);
		if (s.cut)
			memcpy(out->text + sizeof(out->text) - 4, "...", 4);
	}
	if (st == OK)
		out->verdict = truthy(&v) ? EXPR_TRUE : EXPR_FALSE;
	else
		out->verdict = st == MISSING ? EXPR_FALSE : EXPR_ERROR;
	arena_free(&c.mem);
	return out->verdict;
}
