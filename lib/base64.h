/* base64.h - base64 encoding (RFC 4648 section 4, padded), for HTTP Basic auth (RFC 7617) */
#ifndef PB_BASE64_H
#define PB_BASE64_H

#include <stddef.h>

/* bytes needed for the encoding of n bytes, NUL included */
#define BASE64_LEN(n) (((n) + 2) / 3 * 4 + 1)

/* encode n bytes into out (at least BASE64_LEN(n) bytes); returns the length written */
size_t base64_encode(const void *in, size_t n, char *out);

#endif
