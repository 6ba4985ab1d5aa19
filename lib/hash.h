/* hash.h - MD5 (RFC 1321) and SHA-256 (FIPS 180-4, RFC 6234) for HTTP Digest auth
 * (RFC 7616), small enough for a build without a TLS library; hex output helper. */
#ifndef PB_HASH_H
#define PB_HASH_H

#include <stddef.h>
#include <stdint.h>

#define MD5_LEN 16
#define SHA256_LEN 32

struct md5 {
	uint32_t h[4];
	uint64_t len;		/* bytes so far */
	unsigned char buf[64];
};

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
};

void md5_init(struct md5 *c);
void md5_update(struct md5 *c, const void *data, size_t len);
void md5_final(struct md5 *c, unsigned char out[MD5_LEN]);

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);

/* lower-case hex of n bytes into out (2n+1 bytes) */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
