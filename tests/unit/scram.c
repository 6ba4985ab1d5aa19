/* scram.c - unit tests: SCRAM-SHA-1 (the RFC 5802 section 5 example) and SCRAM-SHA-256 (the
 * RFC 7677 section 3 example), with the examples' client nonces; what a client must refuse:
 * a nonce the server did not extend, a bad salt or iteration count, a mandatory
 * extension, a wrong server signature. lib/scram.c is compiled in here (under its own
 * names), so the test runs whether or not a probe of this build selects SCRAM. */
#include <stdio.h>

#include "t.h"

#define scram_first t_scram_first
#define scram_first_nonce t_scram_first_nonce
#define scram_final t_scram_final
#define scram_verify t_scram_verify
#define scram_wipe t_scram_wipe
#include "../../lib/scram.c"

static struct scram s;
static char out[SCRAM_MSG_MAX], err[200];

/* client-final for server-first sf after a first message with nonce cn */
static const char *final(enum scram_hash h, const char *cn, const char *sf, const char *pw)
{
	err[0] = 0;
	if (scram_first_nonce(&s, h, "user", cn, out, sizeof(out)) < 0)
		return "(first failed)";
	if (scram_final(&s, pw, sf, strlen(sf), out, sizeof(out), err, sizeof(err)) < 0)
		return err;
	return out;
}

static int verify(const char *sv)
{
	err[0] = 0;
	return scram_verify(&s, sv, strlen(sv), err, sizeof(err));
}

int main(void)
{
	static const char sf1[] = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
				  "i=4096";
	static const char sf256[] = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
				    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
	static const char n256[] = "rOprNGfwEbeRWgbNEkqO";
	char first[SCRAM_MSG_MAX], other[SCRAM_MSG_MAX];
	int n;

	/* RFC 5802 section 5 */
	n = scram_first_nonce(&s, SCRAM_SHA1, "user", "fyko+d2lbbFgONRv9qkxdawL", out, sizeof(out));
	CHECK_STR("sha1 client-first", out, "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
	CHECK("sha1 client-first length", n == (int)strlen(out));
	CHECK_STR("sha1 client-final", final(SCRAM_SHA1, "fyko+d2lbbFgONRv9qkxdawL", sf1, "pencil"),
		  "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
	CHECK("sha1 server signature", verify("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=") == 0);

	/* RFC 7677 section 3 */
	scram_first_nonce(&s, SCRAM_SHA256, "user", n256, out, sizeof(out));
	CHECK_STR("sha256 client-first", out, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
	CHECK_STR("sha256 client-final", final(SCRAM_SHA256, n256, sf256, "pencil"),
		  "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
		  "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
	CHECK("sha256 server signature",
	      verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") == 0);
	CHECK("sha256 server signature with an extension after it",
	      verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=1") == 0);
	CHECK("sha256 wrong server signature",
	      verify("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") < 0);
	CHECK_STR("sha256 wrong server signature: why", err, "the server's SCRAM signature is wrong");
	CHECK("signature of the wrong length", verify("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=") < 0);
	CHECK("signature not base64", verify("v=!!!!") < 0);
	CHECK("server error", verify("e=invalid-proof") < 0);
	CHECK_STR("server error: why", err, "server error: invalid-proof");
	CHECK("not a server-final", verify("x=1") < 0 && verify("") < 0);
	/* a wrong password gives another proof (the server refuses it) */
	CHECK("wrong password, another proof",
	      !strstr(final(SCRAM_SHA256, n256, sf256, "pencil2"), "p=dHzbZapWIk4j"));
	CHECK("wrong password: the right server's signature does not verify",
	      verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") < 0);

	/* what the client refuses */
	CHECK_STR("nonce not extended", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "pencil"),
		  "the server's SCRAM nonce does not extend ours");
	CHECK_STR("nonce not ours", final(SCRAM_SHA256, n256,
		  "r=XOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "pencil"),
		  "the server's SCRAM nonce does not extend ours");
	CHECK_STR("salt not base64", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096", "pencil"),
		  "the server's SCRAM salt is not base64");
	CHECK_STR("empty salt", final(SCRAM_SHA256, n256, "r=rOprNGfwEbeRWgbNEkqOabc,s=,i=4096",
				      "pencil"), "the server's SCRAM salt is not base64");
	CHECK_STR("iterations 0", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "pencil"),
		  "the server's SCRAM iteration count is out of 1 to 1000000");
	CHECK_STR("iterations too many", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001", "pencil"),
		  "the server's SCRAM iteration count is out of 1 to 1000000");
	{	/* found under valgrind: the count is read within len, not up to a NUL */
		static const char sf[] = "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=40961";
		scram_first_nonce(&s, SCRAM_SHA256, "user", n256, out, sizeof(out));
		CHECK("iterations end at the message's length",
		      scram_final(&s, "pencil", sf, sizeof(sf) - 2, out, sizeof(out), err,
				  sizeof(err)) > 0);
	}
	CHECK_STR("iterations not a number", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4x", "pencil"),
		  "the server's SCRAM iteration count is out of 1 to 1000000");
	CHECK_STR("no iterations", final(SCRAM_SHA256, n256,
		  "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==", "pencil"),
		  "not a SCRAM server-first-message");
	CHECK_STR("attributes out of order", final(SCRAM_SHA256, n256,
		  "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOabc,i=1", "pencil"),
		  "not a SCRAM server-first-message");
	CHECK_STR("mandatory extension", final(SCRAM_SHA256, n256,
		  "m=x,r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1", "pencil"),
		  "the server asks for a SCRAM extension we do not know");
	CHECK("an extension after the iterations is ignored",
	      !strncmp(final(SCRAM_SHA256, n256,
			     "r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1,x=y", "p"),
		       "c=biws,r=rOprNGfwEbeRWgbNEkqOabc,p=", 35));
	CHECK("the proof is never in err", !strstr(err, "p="));
	CHECK("server-first too long", scram_final(&s, "p", sf256, SCRAM_MSG_MAX, out, sizeof(out),
						  err, sizeof(err)) < 0);
	scram_first_nonce(&s, SCRAM_SHA256, "user", n256, out, sizeof(out));
	CHECK("out too small", scram_final(&s, "pencil", sf256, strlen(sf256), out, 40, err,
					   sizeof(err)) < 0);

	/* user names are saslnames; nonces are printable without ',' */
	scram_first_nonce(&s, SCRAM_SHA256, "a,b=c", "xyz", out, sizeof(out));
	CHECK_STR("saslname escapes", out, "n,,n=a=2Cb=3Dc,r=xyz");
	scram_first_nonce(&s, SCRAM_SHA256, "", "xyz", out, sizeof(out));
	CHECK_STR("empty user (PostgreSQL)", out, "n,,n=,r=xyz");
	CHECK("nonce with a comma", scram_first_nonce(&s, SCRAM_SHA256, "u", "a,b", out,
						     sizeof(out)) < 0);
	CHECK("first: out too small", scram_first_nonce(&s, SCRAM_SHA256, "user", "xyz", out, 10) < 0);

	/* a random nonce: 32 base64 characters, another each time */
	n = scram_first(&s, SCRAM_SHA256, "user", first, sizeof(first));
	CHECK("random first", n == (int)strlen("n,,n=user,r=") + 32 && !strncmp(first, "n,,n=user,r=", 12));
	scram_first(&s, SCRAM_SHA256, "user", other, sizeof(other));
	CHECK("random nonce differs", strcmp(first, other) != 0);
	scram_wipe(&s);
	CHECK("wiped", s.cnonce[0] == 0 && s.server_sig[0] == 0 && s.first_bare[0] == 0);
	return t_done();
}
