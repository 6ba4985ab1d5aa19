/* hash_bearssl.c - lib/hash.h on BearSSL 0.6: its MD5, SHA-1, SHA-256 and HMAC; PBKDF2
 * (RFC 8018 section 5.2, one block) is a loop over its HMAC, the key schedule done once */
#include "../lib/hash.h"

#include <string.h>

#include <bearssl.h>

union ctx {
	const br_hash_class *vtable;
	br_md5_context md5;
	br_sha1_context sha1;
	br_sha256_context sha256;
};
_Static_assert(sizeof(union ctx) <= sizeof(((struct hash *)0)->st), "hash state");

static const br_hash_class *const vt[] = { &br_md5_vtable, &br_sha1_vtable, &br_sha256_vtable };

void hash_init(struct hash *h, enum hash_alg a)
{
	union ctx *c = (union ctx *)h->st;

	h->alg = a;
	vt[a]->init(&c->vtable);
}

void hash_update(struct hash *h, const void *data, size_t len)
{
	union ctx *c = (union ctx *)h->st;

	vt[h->alg]->update(&c->vtable, data, len);
}

void hash_final(struct hash *h, unsigned char *out)
{
	union ctx *c = (union ctx *)h->st;

	vt[h->alg]->out(&c->vtable, out);
}

void hash_hmac(enum hash_alg a, const void *key, size_t klen, const void *msg, size_t mlen,
	       unsigned char *out)
{
	br_hmac_key_context kc;
	br_hmac_context hc;

	br_hmac_key_init(&kc, vt[a], key, klen);
	br_hmac_init(&hc, &kc, 0);
	br_hmac_update(&hc, msg, mlen);
	br_hmac_out(&hc, out);
}

void hash_pbkdf2(enum hash_alg a, const void *pw, size_t pwlen, const void *salt, size_t slen,
		 unsigned long iter, unsigned char *out, size_t outlen)
{
	unsigned char u[HASH_MAX], t[HASH_MAX];
	size_t n = HASH_LEN(a);
	br_hmac_key_context kc;
	br_hmac_context hc;

	br_hmac_key_init(&kc, vt[a], pw, pwlen);
	br_hmac_init(&hc, &kc, 0);
	br_hmac_update(&hc, salt, slen);
	br_hmac_update(&hc, "\0\0\0\1", 4);	/* INT(1): the first and only block */
	br_hmac_out(&hc, u);
	memcpy(t, u, n);
	for (unsigned long i = 1; i < iter; i++) {
		br_hmac_init(&hc, &kc, 0);
		br_hmac_update(&hc, u, n);
		br_hmac_out(&hc, u);
		for (size_t j = 0; j < n; j++)
			t[j] ^= u[j];
	}
	memcpy(out, t, outlen);
}
