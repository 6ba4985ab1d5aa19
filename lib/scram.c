/* scram.c - the client side of SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677): the
 * messages, the proof and the check of the server's signature, over lib/hash.h; for the
 * postgres and mongodb probes. See scram.h. */
//kbuild:obj-$(CONFIG_SCRAM) += scram.o
//config:config SCRAM
//config:	bool
//config:	select BASE64
//config:	select HASH

#include "scram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base64.h"
#include "hash.h"
#include "../tls/cert.h"

#define GS2 "n,,"	/* no channel binding, no authzid */
#define CBIND "biws"	/* base64("n,,") */

/* a nonce or attribute value: printable, no ',' (RFC 5802 section 7) */
static int printable(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e || p[i] == ',')
			return 0;
	return n > 0;
}

int scram_first_nonce(struct scram *s, enum scram_hash h, const char *user, const char *cnonce,
		      char *out, size_t cap)
{
	size_t n = strlen(cnonce), o;
	char *b = s->first_bare;

	memset(s, 0, sizeof(*s));
	s->hash = h;
	if (n >= sizeof(s->cnonce) || !printable(cnonce, n))
		return -1;
	memcpy(s->cnonce, cnonce, n);
	memcpy(b, "n=", 2);
	for (o = 2; *user; user++) {
		const char *e = *user == ',' ? "=2C" : *user == '=' ? "=3D" : user;
		size_t k = e == user ? 1 : 3;

		if (o + k >= SCRAM_MSG_MAX)
			return -1;
		memcpy(b + o, e, k);
		o += k;
	}
	if (o + 3 + n >= SCRAM_MSG_MAX)
		return -1;
	o += (size_t)snprintf(b + o, SCRAM_MSG_MAX - o, ",r=%s", cnonce);
	if (sizeof(GS2) - 1 + o >= cap)
		return -1;
	return snprintf(out, cap, GS2 "%s", b);
}

int scram_first(struct scram *s, enum scram_hash h, const char *user, char *out, size_t cap)
{
	unsigned char r[24];
	char nonce[BASE64_LEN(sizeof(r))];
	int rc;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		return -1;
	base64_encode(r, sizeof(r), nonce);
	rc = scram_first_nonce(s, h, user, nonce, out, cap);
	explicit_bzero(r, sizeof(r));
	return rc;
}

/* "X=" at *p (len left): the value's length up to ',' or the end, -1 if not there */
static long attr(const char *p, size_t len, char x)
{
	const char *c;

	if (len < 2 || p[0] != x || p[1] != '=')
		return -1;
	c = memchr(p + 2, ',', len - 2);
	return (long)((c ? (size_t)(c - p) : len) - 2);
}

int scram_final(struct scram *s, const char *password, const char *server_first, size_t len,
		char *out, size_t cap, char *err, size_t errlen)
{
	enum hash_alg a = s->hash == SCRAM_SHA1 ? HASH_SHA1 : HASH_SHA256;
	size_t n = HASH_LEN(a), pos, nlen, cn = strlen(s->cnonce);
	unsigned char salt[128], salted[HASH_MAX], ckey[HASH_MAX], stored[HASH_MAX], sig[HASH_MAX];
	char auth[3 * SCRAM_MSG_MAX], proof[BASE64_LEN(HASH_MAX)];
	const char *p = server_first, *nonce;
	struct hash h;
	long l, salt_len, iter;
	int alen, olen = -1;

	if (len >= SCRAM_MSG_MAX)
		return snprintf(err, errlen, "the server's SCRAM message is too long"), -1;
	if (len >= 2 && !memcmp(p, "m=", 2))
		return snprintf(err, errlen, "the server asks for a SCRAM extension we do not "
				"know"), -1;
	/* r=NONCE: ours, extended by the server's part */
	if ((l = attr(p, len, 'r')) < 0)
		goto bad;
	nonce = p + 2;
	nlen = (size_t)l;
	if (nlen <= cn || memcmp(nonce, s->cnonce, cn) || !printable(nonce, nlen))
		return snprintf(err, errlen, "the server's SCRAM nonce does not extend ours"), -1;
	pos = 2 + nlen + 1;
	/* s=SALT (base64) */
	if (pos > len || (l = attr(p + pos, len - pos, 's')) < 0)
		goto bad;
	salt_len = cert_b64_decode(p + pos + 2, (size_t)l, salt, sizeof(salt));
	if (salt_len <= 0)
		return snprintf(err, errlen, "the server's SCRAM salt is not base64"), -1;
	pos += 2 + (size_t)l + 1;
	/* i=ITERATIONS; extensions after it are ignored */
	if (pos > len || (l = attr(p + pos, len - pos, 'i')) < 0 || l == 0 || l > 9)
		goto bad;
	/* its l digits only: the message is not NUL-terminated (strtol would read on) */
	iter = 0;
	for (const char *d = p + pos + 2; d < p + pos + 2 + l && iter >= 0; d++)
		iter = *d >= '0' && *d <= '9' ? iter * 10 + (*d - '0') : -1;
	if (iter < 1 || iter > SCRAM_ITER_MAX)
		return snprintf(err, errlen, "the server's SCRAM iteration count is out of 1 to %d",
				SCRAM_ITER_MAX), -1;

	/* AuthMessage = client-first-bare "," server-first "," client-final-without-proof */
	alen = snprintf(auth, sizeof(auth), "%s,%.*s,c=" CBIND ",r=%.*s", s->first_bare,
			(int)len, p, (int)nlen, nonce);
	hash_pbkdf2(a, password, strlen(password), salt, (size_t)salt_len, (unsigned long)iter,
		    salted, n);
	hash_hmac(a, salted, n, "Client Key", 10, ckey);
	hash_init(&h, a);
	hash_update(&h, ckey, n);
	hash_final(&h, stored);		/* StoredKey = H(ClientKey) */
	hash_hmac(a, stored, n, auth, (size_t)alen, sig);
	for (size_t i = 0; i < n; i++)
		ckey[i] ^= sig[i];		/* ClientProof */
	base64_encode(ckey, n, proof);
	hash_hmac(a, salted, n, "Server Key", 10, sig);
	hash_hmac(a, sig, n, auth, (size_t)alen, s->server_sig);
	if (2 + sizeof(CBIND) + 3 + nlen + 3 + strlen(proof) < cap)
		olen = snprintf(out, cap, "c=" CBIND ",r=%.*s,p=%s", (int)nlen, nonce, proof);
	else
		snprintf(err, errlen, "the SCRAM client-final-message does not fit");
	explicit_bzero(salted, sizeof(salted));
	explicit_bzero(ckey, sizeof(ckey));
	explicit_bzero(stored, sizeof(stored));
	explicit_bzero(sig, sizeof(sig));
	explicit_bzero(proof, sizeof(proof));
	return olen;
bad:
	return snprintf(err, errlen, "not a SCRAM server-first-message"), -1;
}

int scram_verify(struct scram *s, const char *server_final, size_t len, char *err, size_t errlen)
{
	size_t n = s->hash == SCRAM_SHA1 ? SHA1_LEN : SHA256_LEN;
	unsigned char v[64];
	unsigned diff = 0;
	long l;

	if ((l = attr(server_final, len, 'e')) >= 0)
		return snprintf(err, errlen, "server error: %.*s", (int)(l > 200 ? 200 : l),
				server_final + 2), -1;
	if ((l = attr(server_final, len, 'v')) < 0)
		return snprintf(err, errlen, "not a SCRAM server-final-message"), -1;
	if (cert_b64_decode(server_final + 2, (size_t)l, v, sizeof(v)) != (long)n)
		goto wrong;
	for (size_t i = 0; i < n; i++)
		diff |= v[i] ^ s->server_sig[i];
	if (!diff)
		return 0;
wrong:
	return snprintf(err, errlen, "the server's SCRAM signature is wrong"), -1;
}

void scram_wipe(struct scram *s)
{
	explicit_bzero(s, sizeof(*s));
}
