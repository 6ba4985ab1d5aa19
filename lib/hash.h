/* hash.h - MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4), HMAC (RFC 2104) and
 * PBKDF2-HMAC (RFC 8018 section 5.2) behind one small interface, for HTTP Digest auth
 * (RFC 7616), PostgreSQL's md5 and SCRAM (RFC 5802, RFC 7677).
 *
 * Exactly one implementation of each is linked: the TLS library's when one is built in
 * (tls/hash_mbedtls.c, tls/hash_bearssl.c), lib/hash.c's own in a build without TLS.
 */
#ifndef PB_HASH_H
#define PB_HASH_H

#include <stddef.h>
#include <stdint.h>

enum hash_alg { HASH_MD5, HASH_SHA1, HASH_SHA256 };

#define MD5_LEN 16
#define SHA1_LEN 20
#define SHA256_LEN 32
#define HASH_MAX SHA256_LEN
#define HASH_LEN(a) ((a) == HASH_MD5 ? MD5_LEN : (a) == HASH_SHA1 ? SHA1_LEN : SHA256_LEN)

/* a running digest; the state is the implementation's (each checks that it fits) */
struct hash {
	enum hash_alg alg;
	uint64_t st[16];
};

void hash_init(struct hash *h, enum hash_alg a);
void hash_update(struct hash *h, const void *data, size_t len);
/* HASH_LEN(h->alg) bytes into out */
void hash_final(struct hash *h, unsigned char *out);

/* HMAC-a(key, msg): HASH_LEN(a) bytes into out */
void hash_hmac(enum hash_alg a, const void *key, size_t klen, const void *msg, size_t mlen,
	       unsigned char *out);
/* PBKDF2 with HMAC-a: outlen (at most HASH_LEN(a)) bytes into out; iter >= 1 */
void hash_pbkdf2(enum hash_alg a, const void *pw, size_t pwlen, const void *salt, size_t slen,
		 unsigned long iter, unsigned char *out, size_t outlen);

#endif
