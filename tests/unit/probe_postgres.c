/* probe_postgres.c - unit tests: the postgres probe's framing (the length cap), its startup
 * message, and pg_step() answering scripted backend messages: trust, cleartext, MD5 and
 * SCRAM-SHA-256 (a fixed client nonce; the expected proof and signature computed with
 * Python's hashlib), a server signature that is wrong or missing, ErrorResponse text, and
 * what is not PostgreSQL. net/probe_postgres.c is compiled in here (its parser is static). */
#include <stdio.h>

#include "t.h"

#define probe_postgres t_probe_postgres
#include "../../net/probe_postgres.c"
#undef probe_postgres

static struct pg P;

static void reset(const char *user, const char *pw)
{
	memset(&P, 0, sizeof(P));
	P.user = user;
	P.password = pw;
	P.cnonce = "rOprNGfwEbeRWgbNEkqO";
}

/* one backend message: type, then the body given with its length */
static int step(int type, const void *body, size_t n)
{
	return pg_step(&P, type, body, n);
}

/* an Authentication request: the code and what follows it */
static int auth(unsigned code, const void *rest, size_t n)
{
	unsigned char b[600];

	put32(b, code);
	memcpy(b + 4, rest, n);
	return step('R', b, 4 + n);
}

/* what pg_step asks to send, as text after the 5-byte header (a 'p' message) */
static const char *sent(void)
{
	static char s[PG_OUT_MAX + 1];

	if (P.outlen < 5 || P.out[0] != 'p' || be32(P.out + 1) != P.outlen - 1)
		return "(no p message)";
	memcpy(s, P.out + 5, P.outlen - 5);
	s[P.outlen - 5] = 0;
	return s;
}

static long frame(const char *h)
{
	char err[200];
	return pg_frame((const unsigned char *)h, err, sizeof(err));
}

int main(void)
{
	static const char ok[4] = { 0 };
	static const char ver[] = "server_version\0" "15.20 (Debian)\0";
	static const char sf[] = "r=rOprNGfwEbeRWgbNEkqOsrv%nonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
	static const char mechs[] = "SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0";
	static const char err[] = "SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for "
				  "user \"u\"\0Fauth.c\0\0";
	unsigned char st[600];
	size_t n;

	/* framing */
	CHECK("frame: empty body", frame("Z\0\0\0\4") == 0);
	CHECK("frame: 5 bytes", frame("Z\0\0\0\5") == 1);
	CHECK("frame: length below 4", frame("Z\0\0\0\3") < 0);
	CHECK("frame: 64 KiB body", frame("D\0\1\0\4") == 65536);
	CHECK("frame: above 64 KiB", frame("D\0\1\0\5") < 0);
	CHECK("frame: HTTP is not PostgreSQL", frame("HTTP/") < 0);

	/* StartupMessage: length, 3.0, user, database, a final NUL */
	n = pg_startup(st, sizeof(st), "u", "db");
	CHECK("startup", n == 8 + 5 + 2 + 9 + 3 + 1 && be32(st) == n && be32(st + 4) == 196608 &&
	      !memcmp(st + 8, "user\0u\0database\0db\0\0", 20));
	n = pg_startup(st, sizeof(st), "u", NULL);
	CHECK("startup without a database", n == 8 + 7 + 1 && !memcmp(st + 8, "user\0u\0\0", 8));
	CHECK("startup too long", pg_startup(st, 20, "someone", "somewhere") == 0);

	/* trust */
	reset("u", NULL);
	CHECK("trust: ok", step('R', ok, 4) == PG_MORE && P.outlen == 0);
	CHECK("trust: parameters", step('S', ver, sizeof(ver) - 1) == PG_MORE);
	CHECK("trust: key data and notices", step('K', "12345678", 8) == PG_MORE &&
	      step('N', "SNOTICE\0\0", 9) == PG_MORE);
	CHECK("trust: ready", step('Z', "I", 1) == PG_DONE);
	CHECK_STR("trust: method", P.method, "trust");
	CHECK_STR("trust: server_version", P.version, "15.20 (Debian)");

	/* cleartext */
	reset("u", "s3cret");
	CHECK("password: asked", auth(3, "", 0) == PG_MORE);
	CHECK("password: sent with its NUL", P.outlen == 5 + 7 && !strcmp(sent(), "s3cret"));
	CHECK("password: ok, ready", step('R', ok, 4) == PG_MORE && step('Z', "I", 1) == PG_DONE);
	CHECK_STR("password: method", P.method, "password");
	reset("u", NULL);
	CHECK("password: none set", auth(3, "", 0) == PG_FAIL);
	CHECK_STR("password: none set, why", P.err,
		  "the server asks for a password (password) and none is set");

	/* MD5: "md5" + md5hex(md5hex(password + user) + salt) */
	reset("md5user", "md5pass");
	CHECK("md5: asked", auth(5, "\1\2\3\4", 4) == PG_MORE);
	CHECK_STR("md5: hash", sent(), "md5b5dfd8fbdd6fc9174cc8e85dfa598fa2");
	reset("md5user", "md5pass");
	CHECK("md5: no salt", auth(5, "\1\2", 2) == PG_FAIL);

	/* SCRAM-SHA-256 */
	reset("u", "pencil");
	CHECK("scram: mechanisms", auth(10, mechs, sizeof(mechs)) == PG_MORE);
	CHECK("scram: SASLInitialResponse", P.outlen == 5 + 14 + 4 + 28 &&
	      !memcmp(P.out + 5, "SCRAM-SHA-256\0\0\0\0\x1cn,,n=,r=rOprNGfwEbeRWgbNEkqO", 14 + 4 + 28));
	CHECK("scram: server-first", auth(11, sf, strlen(sf)) == PG_MORE);
	CHECK_STR("scram: client-final", sent(), "c=biws,r=rOprNGfwEbeRWgbNEkqOsrv%nonce,"
		  "p=QjBINHZNXx2TEhbMP4ijxULgNQNmED14ggG9AlGevR0=");
	CHECK("scram: server-final verified", auth(12, "v=mG4atAXKmwGYtiZCegWyEaG0ExSeMv3L0finZ5OwH8g=",
						  46) == PG_MORE);
	CHECK("scram: ok, ready", step('R', ok, 4) == PG_MORE && step('Z', "I", 1) == PG_DONE);
	CHECK_STR("scram: method", P.method, "scram-sha-256");
	/* a server that cannot prove it knows the password */
	reset("u", "pencil");
	auth(10, mechs, sizeof(mechs));
	auth(11, sf, strlen(sf));
	CHECK("scram: wrong server signature", auth(12, "v=nG4atAXKmwGYtiZCegWyEaG0ExSeMv3L0finZ5OwH8g=",
						   46) == PG_FAIL);
	CHECK_STR("scram: wrong server signature, why", P.err, "the server's SCRAM signature is wrong");
	reset("u", "pencil");
	auth(10, mechs, sizeof(mechs));
	auth(11, sf, strlen(sf));
	CHECK("scram: AuthenticationOk without the signature", step('R', ok, 4) == PG_FAIL);
	CHECK_STR("scram: ... why", P.err,
		  "the server ended SCRAM without proving that it knows the password");
	reset("u", "pencil");
	auth(10, mechs, sizeof(mechs));
	CHECK("scram: ok before server-first", step('R', ok, 4) == PG_FAIL);
	reset("u", "pencil");
	auth(10, mechs, sizeof(mechs));
	CHECK("scram: server-final before server-first", auth(12, "v=x", 3) == PG_FAIL);
	reset("u", "pencil");
	auth(10, mechs, sizeof(mechs));
	CHECK("scram: a nonce that is not ours", auth(11, "r=abc,s=QSXC,i=1", 16) == PG_FAIL &&
	      strstr(P.err, "nonce"));
	reset("u", "pencil");
	CHECK("scram: only -PLUS", auth(10, "SCRAM-SHA-256-PLUS\0", 20) == PG_FAIL);
	CHECK_STR("scram: only -PLUS, why", P.err,
		  "the server offers no SASL mechanism this probe speaks (SCRAM-SHA-256)");
	reset("u", "pencil");
	CHECK("scram: unterminated list", auth(10, "SCRAM-SHA-256", 13) == PG_FAIL);
	reset("u", "pencil");
	CHECK("scram: the proof never in err", auth(10, mechs, sizeof(mechs)) == PG_MORE &&
	      auth(11, sf, strlen(sf)) == PG_MORE && auth(12, "e=invalid-proof", 15) == PG_FAIL &&
	      !strcmp(P.err, "server error: invalid-proof"));

	/* other methods and requests */
	reset("u", "p");
	CHECK("gssapi", auth(7, "", 0) == PG_FAIL);
	CHECK_STR("gssapi: why", P.err,
		  "the server asks for GSSAPI authentication, which this probe does not speak");
	reset("u", "p");
	CHECK("unknown method", auth(42, "", 0) == PG_FAIL);
	CHECK_STR("unknown method: why", P.err, "the server asks for an unknown authentication (42)");
	reset("u", "p");
	CHECK("a short request", step('R', "\0\0", 2) == PG_FAIL);
	reset("u", "p");
	CHECK("ready before authentication", step('Z', "I", 1) == PG_FAIL);
	reset("u", "p");
	CHECK("unknown message", step('D', "", 0) == PG_FAIL);
	CHECK_STR("unknown message: why", P.err, "not a PostgreSQL reply (an unexpected message 'D')");
	reset("u", "p");
	CHECK("authentication again", step('R', ok, 4) == PG_MORE && auth(3, "", 0) == PG_FAIL);

	/* ErrorResponse: the message and its SQLSTATE */
	reset("u", "p");
	CHECK("error", step('E', err, sizeof(err) - 1) == PG_FAIL);
	CHECK_STR("error: text", P.err, "password authentication failed for user \"u\" (SQLSTATE 28P01)");
	CHECK_STR("error: sqlstate", P.sqlstate, "28P01");
	reset("u", "p");
	CHECK("error: control characters", step('E', "Mline\none\0\0", 11) == PG_FAIL &&
	      !strcmp(P.err, "line one"));
	reset("u", "p");
	CHECK("error: unterminated", step('E', "Mabc", 4) == PG_FAIL &&
	      !strcmp(P.err, "the server refused without a message"));
	reset("u", "p");	/* found by fuzzing: a failure needs a reason */
	CHECK("error: an empty message", step('E', "SFATAL\0M\0\0", 10) == PG_FAIL &&
	      !strcmp(P.err, "the server refused without a message"));
	reset("u", "p");
	CHECK("parameter: unterminated", step('S', "server_version\0" "15", 17) == PG_MORE &&
	      !P.version[0]);
	return t_done();
}
