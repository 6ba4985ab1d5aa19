/* re2.h - regular expressions in the RE2/Go syntax the original tools take (check-tcp's
 * -e, check-http's -p), matched by a Thompson NFA of our own: time linear in the text, memory
 * bounded by the pattern, no backtracking, no libc regex.
 *
 * The syntax is Go's regexp/syntax with Perl flags (https://github.com/google/re2/wiki/Syntax):
 * literals (UTF-8), . [] [^] [[:alpha:]] \d \s \w \D \S \W (ASCII, as RE2), escapes \n \r \t
 * \f \v \a \xHH \x{H..} \Q..\E and escaped punctuation, ^ $ \A \z \b \B, groups ( ) (?: )
 * (?P<name> ) (?<name> ), flags (?imsU) and (?flags:re), alternation, * + ? {n} {n,} {n,m}
 * with their lazy forms (which match the same texts). ^ and $ are the text's ends unless (?m).
 * The text is read as UTF-8 (an invalid byte is one character), so . matches one character,
 * not one byte; NUL bytes are ordinary characters. (?i) folds ASCII letters only.
 * Refused, with Go's words: backreferences, \p{..} classes, \C, repeat counts above 1000, a
 * program of more than RE2_PROG_MAX instructions.
 */
#ifndef PB_RE2_H
#define PB_RE2_H

#include <stddef.h>

#define RE2_PROG_MAX 10000

struct re2;

/* the compiled pattern, or NULL with err (Go's message: "missing closing ): `(x`") */
struct re2 *re2_compile(const char *pattern, char *err, size_t errlen);
/* 1 when the pattern matches somewhere in the len bytes of data, else 0 */
int re2_match(const struct re2 *re, const char *data, size_t len);
void re2_free(struct re2 *re);

#endif
