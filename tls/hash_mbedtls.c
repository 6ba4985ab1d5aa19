/* hash_mbedtls.c - lib/hash.h on mbedTLS 3.6: its MD5, SHA-1 and SHA-256, its HMAC
 * (mbedtls_md_hmac) and PBKDF2 (mbedtls_pkcs5_pbkdf2_hmac_ext, RFC 8018), so a TLS build
 * carries one copy of each */
#include "../lib/hash.h"

#include <mbedtls/md.h>
#include <mbedtls/md5.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>

union ctx {
	mbedtls_md5_context md5;
	mbedtls_sha1_context sha1;
	mbedtls_sha256_context sha256;
};
_Static_assert(sizeof(union ctx) <= sizeof(((struct hash *)0)->st), "hash state");

static const mbedtls_md_type_t md_type[] = { MBEDTLS_MD_MD5, MBEDTLS_MD_SHA1, MBEDTLS_MD_SHA256 };

void hash_init(struct hash *h, enum hash_alg a)
{
	union ctx *c = (union ctx *)h->st;

	h->alg = a;
	switch (a) {
	case HASH_MD5: mbedtls_md5_init(&c->md5); mbedtls_md5_starts(&c->md5); break;
	case HASH_SHA1: mbedtls_sha1_init(&c->sha1); mbedtls_sha1_starts(&c->sha1); break;
	case HASH_SHA256: mbedtls_sha256_init(&c->sha256); mbedtls_sha256_starts(&c->sha256, 0); break;
	}
}

void hash_update(struct hash *h, const void *data, size_t len)
{
	union ctx *c = (union ctx *)h->st;

	switch (h->alg) {
	case HASH_MD5: mbedtls_md5_update(&c->md5, data, len); break;
	case HASH_SHA1: mbedtls_sha1_update(&c->sha1, data, len); break;
	case HASH_SHA256: mbedtls_sha256_update(&c->sha256, data, len); break;
	}
}

void hash_final(struct hash *h, unsigned char *out)
{
	union ctx *c = (union ctx *)h->st;

	switch (h->alg) {
	case HASH_MD5: mbedtls_md5_finish(&c->md5, out); break;
	case HASH_SHA1: mbedtls_sha1_finish(&c->sha1, out); break;
	case HASH_SHA256: mbedtls_sha256_finish(&c->sha256, out); break;
	}
}

void hash_hmac(enum hash_alg a, const void *key, size_t klen, const void *msg, size_t mlen,
	       unsigned char *out)
{
	mbedtls_md_hmac(mbedtls_md_info_from_type(md_type[a]), key, klen, msg, mlen, out);
}

void hash_pbkdf2(enum hash_alg a, const void *pw, size_t pwlen, const void *salt, size_t slen,
		 unsigned long iter, unsigned char *out, size_t outlen)
{
	mbedtls_pkcs5_pbkdf2_hmac_ext(md_type[a], pw, pwlen, salt, slen, (unsigned)iter,
				      (uint32_t)outlen, out);
}
