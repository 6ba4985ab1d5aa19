/* base64.h - base64 (RFC 4648 section 4, padded), for HTTP Basic auth (RFC 7617) and SCRAM */
#ifndef PB_BASE64_H
#define PB_BASE64_H

#include <stddef.h>

/* bytes needed for the encoding of n bytes, NUL included */
#define BASE64_LEN(n) (((n) + 2) / 3 * 4 + 1)

/* encode n bytes into out (at least BASE64_LEN(n) bytes); returns the length written */
size_t base64_encode(const void *in, size_t n, char *out);
/* decode n bytes of padded base64 (no whitespace) into out (cap bytes): the length, or -1
 * (a character outside the alphabet, misplaced '=', n not a multiple of 4, cap too small) */
long base64_decode(const char *in, size_t n, unsigned char *out, size_t cap);

#endif
