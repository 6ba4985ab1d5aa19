/* expr.h - chksrv's -e expectations as a small, safe expression language (the Python subset
 * people write: res['KEY'] == 200, 'json' in res['...'], ... > now + timedelta(days=14)),
 * compiled once and evaluated against a result record. Grammar and semantics:
 * docs/expressions.md. Nothing in it can call out of the evaluator: there are no names but
 * record keys and a fixed set of functions.
 */
#ifndef PB_EXPR_H
#define PB_EXPR_H

#include <stddef.h>
#include <time.h>

#include "record.h"

#define EXPR_MAX_LEN 4096	/* bytes of source */
#define EXPR_MAX_DEPTH 64	/* nested brackets, calls and unary operators */
#define EXPR_MAX_STEPS 100000	/* evaluation steps (nodes, list elements compared) */
#define EXPR_MAX_MEM (1u << 20)	/* scratch bytes one evaluation may use (strings built) */

/* expr_eval's verdicts */
#define EXPR_TRUE 1
#define EXPR_FALSE 0		/* also: a key the expression reads is missing (reason says) */
#define EXPR_ERROR (-1)		/* type error, bad value, limit: counts as false (reason says) */

#define EXPR_TEXT_MAX 96
#define EXPR_REASON_MAX 192

struct expr_result {
	int verdict;
	/* Python repr of the left-hand operand of a top-level comparison, else of the whole
	 * value ("200", "'text/html'", "***" for a secret); "" when evaluation failed first;
	 * ends in "..." when cut */
	char text[EXPR_TEXT_MAX];
	/* "" or why: "missing key 'tcp.con.time'", "'<' not supported between 'str' and 'int'" */
	char reason[EXPR_REASON_MAX];
};

struct expr;

/* NULL on a syntax error, with err = "column 17: expected ']'" (columns count characters
 * from 1; the caller adds "expression N, "), or "out of memory" */
struct expr *expr_compile(const char *src, char *err, size_t errlen);
/* evaluate against r; now is the current UTC time (the value of `now`). Returns the
 * verdict, also in out->verdict. Never modifies r; may be called any number of times. */
int expr_eval(const struct expr *e, const struct record *r, time_t now, struct expr_result *out);
const char *expr_source(const struct expr *e);
void expr_free(struct expr *e);

#endif
