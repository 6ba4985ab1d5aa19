/* hash.c - our own MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4, RFC 6234), HMAC (RFC 2104)
 * and PBKDF2 (RFC 8018) behind lib/hash.h, for a build without a TLS library (a TLS build
 * takes the library's: tls/hash_*.c). The hashes share the 64-byte block buffering and the
 * length padding (big-endian for SHA, little-endian for MD5).
 */
//kbuild:obj-$(CONFIG_HASH_OWN) += hash.o
//config:config HASH
//config:	bool
//config:config HASH_OWN
//config:	def_bool HASH && TLS_NONE

#include "hash.h"

#include <string.h>

typedef void block_fn(uint32_t *h, const unsigned char *p);

static void feed(uint32_t *h, unsigned char *buf, uint64_t *total, const void *data, size_t len,
		 block_fn *block)
{
	const unsigned char *p = data;
	size_t have = *total % 64;

	*total += len;
	while (len) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(buf + have, p, take);
		have += take;
		p += take;
		len -= take;
		if (have == 64) {
			block(h, buf);
			have = 0;
		}
	}
}

/* 0x80, zeros, the bit length; then the state words as bytes */
static void finish(uint32_t *h, int words, unsigned char *buf, uint64_t *total, int big_endian,
		   block_fn *block, unsigned char *out)
{
	uint64_t bits = *total * 8;
	unsigned char pad[72] = { 0x80 };
	size_t n = 56 - *total % 64;

	if (*total % 64 >= 56)
		n += 64;
	for (int i = 0; i < 8; i++)
		pad[n + i] = (unsigned char)(bits >> (big_endian ? 56 - 8 * i : 8 * i));
	feed(h, buf, total, pad, n + 8, block);
	for (int i = 0; i < words; i++)
		for (int j = 0; j < 4; j++)
			out[i * 4 + j] = (unsigned char)(h[i] >> (big_endian ? 24 - 8 * j : 8 * j));
}

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* per-round shift amounts and the sine-derived constants of RFC 1321 section 3.4 */
static const unsigned char md5_s[16] = { 7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21 };
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static void md5_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] | (uint32_t)p[i * 4 + 1] << 8 |
		       (uint32_t)p[i * 4 + 2] << 16 | (uint32_t)p[i * 4 + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f, t;
		int g;

		switch (i / 16) {
		case 0: f = (b & c) | (~b & d); g = i; break;
		case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16; break;
		case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;
		default: f = c ^ (b | ~d); g = (7 * i) % 16; break;
		}
		t = d;
		d = c;
		c = b;
		b = b + rol(a + f + md5_k[i] + w[g], md5_s[(i / 16) * 4 + i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[64], s[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 |
		       (uint32_t)p[i * 4 + 2] << 8 | (uint32_t)p[i * 4 + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(s, h, sizeof(s));
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ror(s[4], 6) ^ ror(s[4], 11) ^ ror(s[4], 25);
		uint32_t ch = (s[4] & s[5]) ^ (~s[4] & s[6]);
		uint32_t t1 = s[7] + S1 + ch + sha_k[i] + w[i];
		uint32_t S0 = ror(s[0], 2) ^ ror(s[0], 13) ^ ror(s[0], 22);
		uint32_t maj = (s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]);
		memmove(s + 1, s, 7 * sizeof(s[0]));
		s[4] += t1;
		s[0] = t1 + S0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += s[i];
}


/* SHA-1's 80 rounds (FIPS 180-4 section 6.1.2) */
static void sha1_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[i * 4] << 24 | (uint32_t)p[i * 4 + 1] << 16 |
		       (uint32_t)p[i * 4 + 2] << 8 | (uint32_t)p[i * 4 + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, t;

		switch (i / 20) {
		case 0: f = ((b & c) | (~b & d)) + 0x5a827999; break;
		case 1: f = (b ^ c ^ d) + 0x6ed9eba1; break;
		case 2: f = ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc; break;
		default: f = (b ^ c ^ d) + 0xca62c1d6; break;
		}
		t = rol(a, 5) + f + e + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

struct own {
	uint32_t h[8];
	uint64_t len;		/* bytes so far */
	unsigned char buf[64];
};
_Static_assert(sizeof(struct own) <= sizeof(((struct hash *)0)->st), "hash state");

static block_fn *const blocks[] = { md5_block, sha1_block, sha256_block };

void hash_init(struct hash *h, enum hash_alg a)
{
	static const uint32_t iv[3][8] = {
		{ 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 },
		{ 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 },
		{ 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 },
	};
	struct own *o = (struct own *)h->st;

	h->alg = a;
	memcpy(o->h, iv[a], sizeof(o->h));
	o->len = 0;
}

void hash_update(struct hash *h, const void *data, size_t len)
{
	struct own *o = (struct own *)h->st;

	feed(o->h, o->buf, &o->len, data, len, blocks[h->alg]);
}

void hash_final(struct hash *h, unsigned char *out)
{
	struct own *o = (struct own *)h->st;

	finish(o->h, HASH_LEN(h->alg) / 4, o->buf, &o->len, h->alg != HASH_MD5, blocks[h->alg],
	       out);
}

/* the inner and outer digests after the padded key: an HMAC is a copy of each, fed */
struct hmac {
	struct hash in, out;
};

static void hmac_key(struct hmac *m, enum hash_alg a, const void *key, size_t klen)
{
	unsigned char k[64] = { 0 }, pad[64];

	if (klen > sizeof(k)) {
		hash_init(&m->in, a);
		hash_update(&m->in, key, klen);
		hash_final(&m->in, k);
	} else {
		memcpy(k, key, klen);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	hash_init(&m->in, a);
	hash_update(&m->in, pad, sizeof(pad));
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	hash_init(&m->out, a);
	hash_update(&m->out, pad, sizeof(pad));
}

/* HMAC of the message p (n bytes) followed by q (qn bytes) */
static void hmac_run(const struct hmac *m, const void *p, size_t n, const void *q, size_t qn,
		     unsigned char *out)
{
	unsigned char d[HASH_MAX];
	struct hash h = m->in;

	hash_update(&h, p, n);
	hash_update(&h, q, qn);
	hash_final(&h, d);
	h = m->out;
	hash_update(&h, d, HASH_LEN(h.alg));
	hash_final(&h, out);
}

void hash_hmac(enum hash_alg a, const void *key, size_t klen, const void *msg, size_t mlen,
	       unsigned char *out)
{
	struct hmac m;

	hmac_key(&m, a, key, klen);
	hmac_run(&m, msg, mlen, "", 0, out);
}

/* one block (outlen <= HASH_LEN): T1 = U1 ^ ... ^ Uiter, U1 = HMAC(pw, salt || INT(1)) */
void hash_pbkdf2(enum hash_alg a, const void *pw, size_t pwlen, const void *salt, size_t slen,
		 unsigned long iter, unsigned char *out, size_t outlen)
{
	unsigned char u[HASH_MAX], t[HASH_MAX];
	size_t n = HASH_LEN(a);
	struct hmac m;

	hmac_key(&m, a, pw, pwlen);
	hmac_run(&m, salt, slen, "\0\0\0\1", 4, u);
	memcpy(t, u, n);
	for (unsigned long i = 1; i < iter; i++) {
		hmac_run(&m, u, n, "", 0, u);
		for (size_t j = 0; j < n; j++)
			t[j] ^= u[j];
	}
	memcpy(out, t, outlen);
}
