/* re2posix.h - translate the RE2/Go regexp syntax people write into POSIX ERE for regcomp()
 *
 * Supported beyond ERE: \A \z (start/end of text), \d \D \s \S \w \W, escapes \n \r \t \f
 * \v \a \xHH \x{H..}, (?: ) groups, (?i) at the very start, lazy quantifiers (*? +? ?? {n,m}?
 * match the same texts, so the '?' is dropped). Not supported (a clear error): \b \B,
 * backreferences, named groups, other flags, \p{..} classes.
 */
#ifndef PB_RE2POSIX_H
#define PB_RE2POSIX_H

#include <regex.h>
#include <stddef.h>

/* 0 and out filled (NUL-terminated), or -1 with err; *icase set for a leading (?i) */
int re2_to_ere(const char *in, char *out, size_t outlen, int *icase, char *err, size_t errlen);

/* translate and regcomp (REG_EXTENDED | REG_NOSUB); 0 or -1 with err */
int re2_compile(regex_t *re, const char *pattern, char *err, size_t errlen);

/* match over len bytes of data (NUL bytes become 0x01 so the whole buffer is searched,
 * as Go matches the whole byte string); 1 match, 0 no match */
int re2_match(const regex_t *re, const char *data, size_t len);

#endif
