/* json.h - a small bounded JSON reader (RFC 8259): the whole text into a tree of nodes, for
 * configuration given on a command line (supervisor_complex_check -c, -H headers).
 *
 * Strict: one value, no trailing commas, no comments, strings of valid escapes without raw
 * control characters, numbers as the grammar says. Bounded: the caller's size cap, a depth
 * cap and one arena whose ceiling follows the input size. Pure: no I/O, never exits.
 */
#ifndef PB_JSON_H
#define PB_JSON_H

#include <stddef.h>

#include "arena.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

#define JSON_DEPTH_MAX 32		/* nested arrays and objects */
#define JSON_SIZE_MAX (1u << 20)	/* bytes of input */

struct json {
	enum json_type type;
	struct json *next;		/* the next element or member of the parent */
	struct json *child;		/* JSON_ARR, JSON_OBJ: the first element or member */
	size_t count;			/* JSON_ARR, JSON_OBJ: how many */
	const char *key;		/* a member's name (decoded, NUL-terminated), else NULL */
	size_t key_len;
	/* JSON_STR: decoded (UTF-8, NUL-terminated; len counts a \u0000 inside);
	 * JSON_NUM: the number as written */
	const char *s;
	size_t len;
	int b;				/* JSON_BOOL */
	int is_int;			/* JSON_NUM without fraction or exponent */
	double num;			/* JSON_NUM */
	size_t start, end;		/* the value's bytes in the input: [start, end) */
};

struct json_doc {
	struct json *root;
	struct arena arena;
};

/* parse len bytes; 0, or -1 with "offset N: what is wrong" in err (the doc holds nothing) */
int json_parse(struct json_doc *d, const char *buf, size_t len, char *err, size_t errlen);
void json_free(struct json_doc *d);
/* the member of obj called key (the last one, as Python's json keeps), NULL when none */
const struct json *json_get(const struct json *obj, const char *key);
/* a JSON_NUM that is an integer within [min, max]: 0 and *out, else -1 */
int json_long(const struct json *v, long min, long max, long *out);
/* "null", "boolean", "number", "string", "array", "object" */
const char *json_type_name(enum json_type t);

#endif
