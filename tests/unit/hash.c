/* hash.c - unit tests: lib/hash.h as this build links it (the TLS library's code) and
 * lib/hash.c's own (compiled here under other names: the build without TLS links it),
 * against the same vectors: MD5 (RFC 1321 A.5), SHA-1 and SHA-256 (FIPS 180-4 examples),
 * HMAC (RFC 2202, RFC 4231), PBKDF2 (RFC 6070, RFC 7914 section 11) */
#include <stdio.h>

#include "../../lib/hash.h"
#include "../../lib/util.h"
#include "t.h"

#define hash_init own_hash_init
#define hash_update own_hash_update
#define hash_final own_hash_final
#define hash_hmac own_hash_hmac
#define hash_pbkdf2 own_hash_pbkdf2
#include "../../lib/hash.c"
#undef hash_init
#undef hash_update
#undef hash_final
#undef hash_hmac
#undef hash_pbkdf2

struct impl {
	const char *name;
	void (*init)(struct hash *, enum hash_alg);
	void (*update)(struct hash *, const void *, size_t);
	void (*final)(struct hash *, unsigned char *);
	void (*hmac)(enum hash_alg, const void *, size_t, const void *, size_t, unsigned char *);
	void (*pbkdf2)(enum hash_alg, const void *, size_t, const void *, size_t, unsigned long,
		       unsigned char *, size_t);
};

static const struct impl impls[] = {
	{ "linked", hash_init, hash_update, hash_final, hash_hmac, hash_pbkdf2 },
	{ "own", own_hash_init, own_hash_update, own_hash_final, own_hash_hmac, own_hash_pbkdf2 },
};

static char hex[2 * HASH_MAX + 1];

/* the digest of s repeated rep times */
static const char *digest(const struct impl *m, enum hash_alg a, const char *s, size_t rep)
{
	unsigned char d[HASH_MAX];
	struct hash h;

	m->init(&h, a);
	for (size_t i = 0; i < rep; i++)
		m->update(&h, s, strlen(s));
	m->final(&h, d);
	hex_encode(d, HASH_LEN(a), hex);
	return hex;
}

static const char *hmac(const struct impl *m, enum hash_alg a, const void *k, size_t kl,
			const char *msg)
{
	unsigned char d[HASH_MAX];

	m->hmac(a, k, kl, msg, strlen(msg), d);
	hex_encode(d, HASH_LEN(a), hex);
	return hex;
}

static const char *pbkdf2(const struct impl *m, enum hash_alg a, const char *pw, size_t pl,
			  const char *salt, size_t sl, unsigned long iter, size_t len)
{
	unsigned char d[HASH_MAX];

	m->pbkdf2(a, pw, pl, salt, sl, iter, d, len);
	hex_encode(d, len, hex);
	return hex;
}

int main(void)
{
	static const char abc56[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	unsigned char k20[20], k131[131];
	char name[80];

	memset(k20, 0x0b, sizeof(k20));
	memset(k131, 0xaa, sizeof(k131));
	for (size_t i = 0; i < ARRAY_LEN(impls); i++) {
		const struct impl *m = &impls[i];
#define T(what) (snprintf(name, sizeof(name), "%s %s", m->name, what), name)
		CHECK_STR(T("md5 empty"), digest(m, HASH_MD5, "", 1), "d41d8cd98f00b204e9800998ecf8427e");
		CHECK_STR(T("md5 abc"), digest(m, HASH_MD5, "abc", 1), "900150983cd24fb0d6963f7d28e17f72");
		CHECK_STR(T("md5 80 digits"), digest(m, HASH_MD5, "1234567890", 8),
			  "57edf4a22be3c955ac49da2e2107b67a");
		CHECK_STR(T("sha1 abc"), digest(m, HASH_SHA1, "abc", 1),
			  "a9993e364706816aba3e25717850c26c9cd0d89d");
		CHECK_STR(T("sha1 448 bits"), digest(m, HASH_SHA1, abc56, 1),
			  "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
		CHECK_STR(T("sha1 a million a"), digest(m, HASH_SHA1, "aaaaaaaaaa", 100000),
			  "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
		CHECK_STR(T("sha256 abc"), digest(m, HASH_SHA256, "abc", 1),
			  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		CHECK_STR(T("sha256 448 bits"), digest(m, HASH_SHA256, abc56, 1),
			  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
		/* RFC 2202 test case 2 (MD5 and SHA-1), RFC 4231 test cases 1, 2 and 6 */
		CHECK_STR(T("hmac-md5 Jefe"), hmac(m, HASH_MD5, "Jefe", 4, "what do ya want for nothing?"),
			  "750c783e6ab0b503eaa86e310a5db738");
		CHECK_STR(T("hmac-sha1 Jefe"), hmac(m, HASH_SHA1, "Jefe", 4, "what do ya want for nothing?"),
			  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
		CHECK_STR(T("hmac-sha256 rfc4231 1"), hmac(m, HASH_SHA256, k20, 20, "Hi There"),
			  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
		CHECK_STR(T("hmac-sha256 rfc4231 2"),
			  hmac(m, HASH_SHA256, "Jefe", 4, "what do ya want for nothing?"),
			  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
		CHECK_STR(T("hmac-sha256 rfc4231 6 (key longer than a block)"),
			  hmac(m, HASH_SHA256, k131, 131,
			       "Test Using Larger Than Block-Size Key - Hash Key First"),
			  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
		/* RFC 6070 (dkLen cut to one block where it is longer) */
		CHECK_STR(T("pbkdf2-sha1 c=1"), pbkdf2(m, HASH_SHA1, "password", 8, "salt", 4, 1, 20),
			  "0c60c80f961f0e71f3a9b524af6012062fe037a6");
		CHECK_STR(T("pbkdf2-sha1 c=2"), pbkdf2(m, HASH_SHA1, "password", 8, "salt", 4, 2, 20),
			  "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
		CHECK_STR(T("pbkdf2-sha1 c=4096"), pbkdf2(m, HASH_SHA1, "password", 8, "salt", 4, 4096, 20),
			  "4b007901b765489abead49d926f721d065a429c1");
		CHECK_STR(T("pbkdf2-sha1 long password and salt"),
			  pbkdf2(m, HASH_SHA1, "passwordPASSWORDpassword", 24,
				 "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096, 20),
			  "3d2eec4fe41c849b80c8d83662c0e44a8b291a96");
		CHECK_STR(T("pbkdf2-sha1 NUL bytes, 16 bytes out"),
			  pbkdf2(m, HASH_SHA1, "pass\0word", 9, "sa\0lt", 5, 4096, 16),
			  "56fa6aa75548099dcc37d7f03425e0c3");
		/* RFC 7914 section 11 (its first 32 bytes) */
		CHECK_STR(T("pbkdf2-sha256 c=1"), pbkdf2(m, HASH_SHA256, "passwd", 6, "salt", 4, 1, 32),
			  "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
		CHECK_STR(T("pbkdf2-sha256 c=4096"),
			  pbkdf2(m, HASH_SHA256, "password", 8, "salt", 4, 4096, 32),
			  "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
#undef T
	}
	return t_done();
}
