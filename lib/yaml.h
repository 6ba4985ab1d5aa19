/* yaml.h - a strict YAML 1.2 subset parser for conn-check configs (docs/yaml.md; YAML 1.2.2 spec,
 * scalar resolution as PyYAML's YAML 1.1 resolver where configs depend on it) */
#ifndef PB_YAML_H
#define PB_YAML_H

#include <stddef.h>

#include "arena.h"

enum yaml_kind { YAML_SCALAR, YAML_SEQ, YAML_MAP };

/* resolved type of a scalar: only plain scalars resolve to anything but YAML_STR */
enum yaml_type { YAML_NULL, YAML_BOOL, YAML_INT, YAML_FLOAT, YAML_STR };

enum yaml_style {
	YAML_PLAIN, YAML_SINGLE_QUOTED, YAML_DOUBLE_QUOTED, YAML_LITERAL, YAML_FOLDED, /* scalars */
	YAML_BLOCK, YAML_FLOW,                                                           /* collections */
};

struct yaml_node {
	enum yaml_kind kind;
	enum yaml_style style;
	unsigned line, col;             /* 1-based; col counts characters, a tab is one */
	const char *file;               /* the name given to yaml_parse(), for messages */
	struct yaml_node *next;         /* next item of the parent sequence / next key of the mapping */
	/* YAML_SEQ: first item; YAML_MAP: first key, in source order (key->value is its value) */
	struct yaml_node *child;
	struct yaml_node *value;        /* set on mapping keys only */
	size_t count;                   /* items of a sequence, pairs of a mapping */
	/* YAML_SCALAR: the content (escapes, folding and chomping applied), NUL-terminated; len
	 * excludes the NUL and counts any "\0" escapes, so compare with len, not strlen */
	const char *text;
	size_t len;
	enum yaml_type type;
	int int_overflow;               /* YAML_INT that does not fit in long long */
	union {
		int b;                  /* YAML_BOOL */
		long long i;            /* YAML_INT */
		double f;               /* YAML_FLOAT */
	} v;
};

struct yaml_limits {
	size_t max_size;                /* bytes of input */
	unsigned max_depth;             /* nested collections (capped at YAML_DEPTH_CAP) */
	size_t max_nodes;               /* scalars, keys and collections */
};
#define YAML_LIMITS_DEFAULT { 1u << 20, 64, 100000 }
#define YAML_DEPTH_CAP 1000

struct yaml_doc {
	struct yaml_node *root;         /* never NULL: an empty document is a null scalar */
	/* private */
	char *file;
	struct arena arena;
};

/* Parse len bytes (UTF-8, optional BOM, LF/CRLF/CR line ends) as one document. NULL on error,
 * with "FILE:LINE:COL: what is wrong" in err (nothing printed, nothing kept). lim NULL: defaults. */
struct yaml_doc *yaml_parse(const char *file, const char *buf, size_t len, const struct yaml_limits *lim,
			    char *err, size_t errlen);
/* read path (at most lim->max_size bytes) and parse it; errors as yaml_parse (I/O: "FILE: strerror") */
struct yaml_doc *yaml_load_file(const char *path, const struct yaml_limits *lim, char *err, size_t errlen);
void yaml_free(struct yaml_doc *doc);

/* mapping lookup: the value (or key) node, NULL when absent or when map is not a mapping */
const struct yaml_node *yaml_get(const struct yaml_node *map, const char *key);
const struct yaml_node *yaml_get_key(const struct yaml_node *map, const char *key);

#define yaml_foreach(it, coll) for (const struct yaml_node *it = (coll)->child; it; it = it->next)

/* typed getters: 0 on success; -1 with "FILE:LINE:COL: expected ..., got ..." in err */
int yaml_expect(const struct yaml_node *n, enum yaml_kind kind, char *err, size_t errlen);
/* any non-null scalar, as written (an int's digits, "yes", ...); rejects embedded NUL bytes */
int yaml_str(const struct yaml_node *n, const char **out, char *err, size_t errlen);
/* plain integer scalar in [min, max]; a quoted "5432" is a string, not an integer */
int yaml_int(const struct yaml_node *n, long long min, long long max, long long *out, char *err,
	     size_t errlen);
/* plain integer or float scalar */
int yaml_float(const struct yaml_node *n, double *out, char *err, size_t errlen);
/* plain true/false/yes/no/on/off (PyYAML's YAML 1.1 set) */
int yaml_bool(const struct yaml_node *n, int *out, char *err, size_t errlen);
static inline int yaml_is_null(const struct yaml_node *n)
{
	return n && n->kind == YAML_SCALAR && n->type == YAML_NULL;
}

/* "FILE:LINE:COL: message" about node n, for consumers' own checks (unknown keys, ...) */
void yaml_error(const struct yaml_node *n, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "mapping", "sequence", "string", "integer", ... */
const char *yaml_describe(const struct yaml_node *n);

#endif
