/* scram.h - the client side of SCRAM (RFC 5802) with SHA-1 or SHA-256 (RFC 7677), one
 * implementation for every probe that authenticates with it (postgres, mongodb); the
 * hashes, HMAC and PBKDF2 are lib/hash.h's.
 *
 *   struct scram s;
 *   scram_first(&s, SCRAM_SHA256, user, out, cap)        client-first-message
 *   scram_final(&s, password, server_first, ...)         client-final-message (the proof)
 *   scram_verify(&s, server_final, ...)                  the server's signature, checked
 *   scram_wipe(&s)                                       keys and nonces zeroed
 *
 * No channel binding (gs2 header "n,,"). The client nonce comes from getrandom(). The
 * password is used as given (no SASLprep: ASCII passwords are their own SASLprep form).
 * Nothing here prints: err never holds the password, a key or a proof.
 */
#ifndef PB_SCRAM_H
#define PB_SCRAM_H

#include <stddef.h>

enum scram_hash { SCRAM_SHA1, SCRAM_SHA256 };

#define SCRAM_KEY_MAX 32	/* SHA-256 */
#define SCRAM_MSG_MAX 512	/* our messages; a server-first longer than this is refused */
#define SCRAM_ITER_MAX 1000000	/* more PBKDF2 rounds than this is refused: ~1 s of CPU */

struct scram {
	enum scram_hash hash;
	char cnonce[33];			/* base64 of 24 random bytes */
	char first_bare[SCRAM_MSG_MAX];		/* "n=USER,r=CNONCE" */
	unsigned char server_sig[SCRAM_KEY_MAX];	/* what the server must prove */
};

/* client-first-message "n,,n=USER,r=CNONCE" into out (NUL-terminated): its length, or -1
 * (too long, no random bytes). USER is escaped as a saslname (',' "=2C", '=' "=3D");
 * PostgreSQL ignores it (the startup message named the user): pass "". */
int scram_first(struct scram *s, enum scram_hash h, const char *user, char *out, size_t cap);
/* the same with a given client nonce (printable, no ','), for tests of RFC examples */
int scram_first_nonce(struct scram *s, enum scram_hash h, const char *user, const char *cnonce,
		      char *out, size_t cap);
/* from server-first-message (len bytes, not NUL-terminated) "r=NONCE,s=SALT,i=ITER": the
 * client-final-message "c=biws,r=NONCE,p=PROOF" into out (NUL-terminated): its length, or
 * -1 with err (a nonce that does not extend ours, a bad salt, iterations out of
 * 1..SCRAM_ITER_MAX, a mandatory extension, out too small) */
int scram_final(struct scram *s, const char *password, const char *server_first, size_t len,
		char *out, size_t cap, char *err, size_t errlen);
/* server-final-message "v=SIGNATURE" (or "e=ERROR"): 0 when the signature is right, -1 with
 * err ("the server's SCRAM signature is wrong", "server error: ...") */
int scram_verify(struct scram *s, const char *server_final, size_t len, char *err, size_t errlen);
void scram_wipe(struct scram *s);

#endif
