/* probe_postgres.c - the postgres probe (alias postgresql): the PostgreSQL frontend/backend
 * protocol 3.0 up to ReadyForQuery: SSLRequest (sslmode), StartupMessage, then whatever
 * authentication the server asks for: trust, cleartext password, MD5, SCRAM-SHA-256
 * (RFC 5802, RFC 7677; the server's signature is verified), and Terminate. A host that
 * starts with '/' is the directory of the server's unix socket (DIR/.s.PGSQL.PORT), as in
 * libpq. postgres.server_version, postgres.auth, postgres.ssl, postgres.sqlstate,
 * postgres.time.*, with tcp.* and ssl.*.
 *
 * The backend's messages are framed (type, length) with a hard cap and handed to one pure
 * function, pg_step(), which answers them: it reads no socket, so it is unit-tested and
 * fuzzed alone (tests/unit/probe_postgres.c, tests/fuzz/postgres.c).
 */
//probe:IF_PROBE_POSTGRES(PROBE(postgres))
//kbuild:obj-$(CONFIG_PROBE_POSTGRES) += probe_postgres.o
//config:config PROBE_POSTGRES
//config:	bool "postgres probe (+8 kB, 3.5 kB of it SCRAM, shared with mongodb)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	select SCRAM
//config:	select HASH
//config:	help
//config:	  PostgreSQL: log in as a user (trust, password, md5 or
//config:	  scram-sha-256, the server's SCRAM signature verified) to a
//config:	  database, over TLS as sslmode says, or over a unix socket.
//config:	  conn-check's postgres checks, chksrv postgres.
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "autoconf.h"
#include "../lib/hash.h"
#include "../lib/scram.h"
#include "../lib/util.h"

#define PG_MSG_MAX 65536	/* a backend message body longer than this is refused */
#define PG_OUT_MAX 1024		/* our largest message: a cleartext password */

enum { SSL_DISABLE, SSL_PREFER, SSL_REQUIRE, SSL_VERIFY_CA, SSL_VERIFY_FULL };
static const char *const sslmodes[] = { "disable", "prefer", "require", "verify-ca",
					"verify-full" };

struct probe_postgres {
	struct probe_hp hp;
	const char *user, *password, *database, *sslmode, *sslrootcert;
	/* made by check() */
	int mode;
	const char *host;	/* without [] */
	char hostbuf[256];
	struct tls_opts o;
};

#define F(m, n, fl, d) PROBE_F(struct probe_postgres, m, n, n, PF_STR, fl, d)
static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_postgres),
	F(user, "username", PF_REQUIRED, NULL),
	F(password, "password", PF_SECRET, NULL),
	F(database, "database", 0, NULL),
	F(sslmode, "sslmode", 0, "prefer"),
	F(sslrootcert, "sslrootcert", 0, NULL),
};
#undef F

/* --- the exchange, without a socket ------------------------------------------------------ */

enum { PG_FAIL = -1, PG_MORE, PG_DONE };
enum { ST_START, ST_SASL, ST_SASL_FINAL, ST_SASL_OK, ST_AUTH_OK };

struct pg {
	const char *user, *password;
	const char *cnonce;		/* the SCRAM client nonce; NULL: random (tests set it) */
	int state;
	const char *method;		/* postgres.auth */
	char version[128];		/* ParameterStatus server_version */
	char sqlstate[6];
	char err[512];
	struct scram scram;
	size_t outlen;			/* what to send after a step */
	unsigned char out[PG_OUT_MAX];
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* a message's body length from its 5-byte header (type, length that counts itself), or -1
 * with err: a length below 4 or above PG_MSG_MAX is not a PostgreSQL server speaking */
static long pg_frame(const unsigned char h[5], char *err, size_t errlen)
{
	uint32_t l = be32(h + 1);

	if (l < 4 || l - 4 > PG_MSG_MAX) {
		snprintf(err, errlen, "not a PostgreSQL reply (a message of type 0x%02x with length "
			 "%lu)", h[0], (unsigned long)l);
		return -1;
	}
	return (long)(l - 4);
}

__attribute__((format(printf, 2, 3)))
static int fail(struct pg *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return PG_FAIL;
}

/* a NUL-terminated string at b[*i] within n bytes: it, with *i past it; NULL if unterminated */
static const char *cstr(const unsigned char *b, size_t n, size_t *i)
{
	const unsigned char *z = *i < n ? memchr(b + *i, 0, n - *i) : NULL;
	const char *s = (const char *)b + *i;

	if (!z)
		return NULL;
	*i = (size_t)(z - b) + 1;
	return s;
}

/* a copy of s in d (cap bytes) with control characters as spaces: server text for one line */
static void clean(char *d, size_t cap, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < cap; i++)
		d[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	d[i] = 0;
}

/* ErrorResponse: fields of a code byte and a string, ended by a 0 byte: M and C kept */
static int pg_error(struct pg *p, const unsigned char *b, size_t n)
{
	const char *msg = NULL, *s;
	char m[400];
	size_t i = 0;

	while (i < n && b[i]) {
		unsigned char code = b[i++];
		if (!(s = cstr(b, n, &i)))
			break;
		if (code == 'M')
			msg = s;
		else if (code == 'C' && strlen(s) == 5)
			clean(p->sqlstate, sizeof(p->sqlstate), s);
	}
	clean(m, sizeof(m), msg && *msg ? msg : "the server refused without a message");
	snprintf(p->err, sizeof(p->err), p->sqlstate[0] ? "%s (SQLSTATE %s)" : "%s", m,
		 p->sqlstate);
	return PG_FAIL;
}

/* a 'p' message (PasswordMessage, SASLInitialResponse, SASLResponse) of a then b: its
 * length in out, 0 if it does not fit */
static size_t pg_out(struct pg *p, const void *a, size_t an, const void *b, size_t bn)
{
	if (5 + an + bn > sizeof(p->out))
		return p->outlen = 0;
	p->out[0] = 'p';
	put32(p->out + 1, 4 + an + bn);
	memcpy(p->out + 5, a, an);
	memcpy(p->out + 5 + an, b, bn);
	return p->outlen = 5 + an + bn;
}

/* "md5" + md5hex(md5hex(password + user) + salt) */
static void pg_md5(struct pg *p, const unsigned char salt[4], char out[36])
{
	unsigned char d[MD5_LEN];
	struct hash h;

	hash_init(&h, HASH_MD5);
	hash_update(&h, p->password, strlen(p->password));
	hash_update(&h, p->user, strlen(p->user));
	hash_final(&h, d);
	hex_encode(d, MD5_LEN, out + 3);
	hash_init(&h, HASH_MD5);
	hash_update(&h, out + 3, 32);
	hash_update(&h, salt, 4);
	hash_final(&h, d);
	memcpy(out, "md5", 3);
	hex_encode(d, MD5_LEN, out + 3);
	explicit_bzero(d, sizeof(d));
}

/* an Authentication request ('R'): the answer in out */
static int pg_auth(struct pg *p, const unsigned char *b, size_t n)
{
	static const char *const other[] = { [2] = "Kerberos V5", [6] = "SCM credential",
					     [7] = "GSSAPI", [8] = "GSSAPI", [9] = "SSPI" };
	uint32_t code = n >= 4 ? be32(b) : 99;
	char buf[SCRAM_MSG_MAX + 64], hex[36], pf[12];
	unsigned char mech[18];		/* "SCRAM-SHA-256\0" and the length of what follows */
	int len;

	if (n < 4)
		return fail(p, "%s", "not a PostgreSQL reply (a short authentication request)");
	if (code == 0) {		/* AuthenticationOk */
		if (p->state == ST_SASL || p->state == ST_SASL_FINAL)
			return fail(p, "%s", "the server ended SCRAM without proving that it knows "
				    "the password");
		if (!p->method)
			p->method = "trust";
		p->state = ST_AUTH_OK;
		return PG_MORE;
	}
	if (p->state == ST_AUTH_OK || p->state == ST_SASL_OK)
		return fail(p, "%s", "the server asks for authentication again");
	if (code == 11 && p->state == ST_SASL) {		/* SASLContinue: server-first */
		len = scram_final(&p->scram, p->password, (const char *)b + 4, n - 4, buf,
				  sizeof(buf), p->err, sizeof(p->err));
		if (len < 0)
			return PG_FAIL;
		pg_out(p, buf, (size_t)len, "", 0);	/* fits: buf is smaller than out */
		explicit_bzero(buf, sizeof(buf));
		p->state = ST_SASL_FINAL;
		return PG_MORE;
	}
	if (code == 12 && p->state == ST_SASL_FINAL) {		/* SASLFinal: server-final */
		if (scram_verify(&p->scram, (const char *)b + 4, n - 4, p->err, sizeof(p->err)) < 0)
			return PG_FAIL;
		p->state = ST_SASL_OK;
		return PG_MORE;
	}
	if (p->state != ST_START)
		return fail(p, "%s", "the server broke off SCRAM");
	if (code != 3 && code != 5 && code != 10) {
		if (code < ARRAY_LEN(other) && other[code])
			return fail(p, "the server asks for %s authentication, which this probe "
				    "does not speak", other[code]);
		snprintf(pf, sizeof(pf), "%lu", (unsigned long)code);
		return fail(p, "the server asks for an unknown authentication (%s)", pf);
	}
	p->method = code == 3 ? "password" : code == 5 ? "md5" : "scram-sha-256";
	if (!p->password)
		return fail(p, "the server asks for a password (%s) and none is set", p->method);
	if (code == 3) {
		if (!pg_out(p, p->password, strlen(p->password) + 1, "", 0))
			return fail(p, "%s", "the password is too long to send");
		return PG_MORE;
	}
	if (code == 5) {
		if (n < 8)
			return fail(p, "%s", "not a PostgreSQL reply (an MD5 request without salt)");
		pg_md5(p, b + 4, hex);
		pg_out(p, hex, sizeof(hex), "", 0);
		explicit_bzero(hex, sizeof(hex));
		return PG_MORE;
	}
	/* AuthenticationSASL: a list of mechanisms, ended by an empty one */
	for (size_t i = 4;;) {
		const char *m = cstr(b, n, &i);
		if (!m || !*m)
			return fail(p, "%s", "the server offers no SASL mechanism this probe speaks "
				    "(SCRAM-SHA-256)");
		if (!strcmp(m, "SCRAM-SHA-256"))
			break;
	}
	/* the user is in the startup message: PostgreSQL ignores the SCRAM one */
	len = p->cnonce ? scram_first_nonce(&p->scram, SCRAM_SHA256, "", p->cnonce, buf,
					    sizeof(buf))
			: scram_first(&p->scram, SCRAM_SHA256, "", buf, sizeof(buf));
	if (len < 0)
		return fail(p, "%s", "no random bytes for the SCRAM nonce");
	memcpy(mech, "SCRAM-SHA-256", 14);
	put32(mech + 14, (size_t)len);
	pg_out(p, mech, sizeof(mech), buf, (size_t)len);
	p->state = ST_SASL;
	return PG_MORE;
}

/* one backend message (type, body of n bytes): PG_MORE (send out[0..outlen) if any),
 * PG_DONE at ReadyForQuery after authentication, PG_FAIL with err */
static int pg_step(struct pg *p, int type, const unsigned char *b, size_t n)
{
	size_t i = 0;
	const char *k, *v;
	char t[8];

	p->outlen = 0;
	switch (type) {
	case 'R':
		return pg_auth(p, b, n);
	case 'E':
		return pg_error(p, b, n);
	case 'S':		/* ParameterStatus */
		if ((k = cstr(b, n, &i)) && (v = cstr(b, n, &i)) && !strcmp(k, "server_version"))
			clean(p->version, sizeof(p->version), v);
		return PG_MORE;
	case 'Z':
		if (p->state != ST_AUTH_OK)
			return fail(p, "%s", "the server is ready before authentication");
		return PG_DONE;
	case 'K': case 'N': case 'v':	/* BackendKeyData, NoticeResponse, NegotiateProtocolVersion */
		return PG_MORE;
	}
	snprintf(t, sizeof(t), type > 0x20 && type < 0x7f ? "'%c'" : "0x%02x", type);
	return fail(p, "not a PostgreSQL reply (an unexpected message %s)", t);
}

/* StartupMessage for protocol 3.0: its length in out, 0 if it does not fit */
static size_t pg_startup(unsigned char *out, size_t cap, const char *user, const char *db)
{
	size_t n = 8;
	const char *kv[] = { "user", user, "database", db };

	for (size_t i = 0; i < ARRAY_LEN(kv) && kv[i + 1]; i += 2)
		for (int j = 0; j < 2; j++) {
			size_t l = strlen(kv[i + j]) + 1;
			if (n + l + 1 > cap)
				return 0;
			memcpy(out + n, kv[i + j], l);
			n += l;
		}
	out[n++] = 0;
	put32(out, n);
	put32(out + 4, 196608);		/* 3.0 */
	return n;
}

/* --- the probe ----------------------------------------------------------------------------- */

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_postgres *s = spec;
	const char *ca = s->sslrootcert ? s->sslrootcert : "__sys__";

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	s->mode = parse_choice(s->sslmode, sslmodes, ARRAY_LEN(sslmodes));
	if (s->mode < 0)
		return snprintf(err, errlen, "sslmode: expected disable, prefer, require, verify-ca "
				"or verify-full, got '%s'", s->sslmode), -1;
	s->host = conn_unbracket(s->hp.host, s->hostbuf, sizeof(s->hostbuf));
	if (s->hp.host[0] == '/') {
		if (strlen(s->hp.host) + 20 > sizeof(((struct sockaddr_un *)0)->sun_path))
			return snprintf(err, errlen, "host: unix socket path too long"), -1;
		return 0;	/* no TLS over a unix socket, as libpq */
	}
	memset(&s->o, 0, sizeof(s->o));
	if (s->mode == SSL_DISABLE || (s->mode == SSL_PREFER && !tls_available))
		return 0;
	/* prefer and require verify only with a CA given, as libpq (verify-ca then) */
	return probe_tls_options(&s->o, &s->hp.base, s->host,
				 s->mode < SSL_VERIFY_CA && !s->sslrootcert && !s->hp.base.ca_dir,
				 "CERT_REQUIRED", ca, "tls", "ALL", "VERIFY_DEFAULT", 1, err, errlen);
}

/* SSLRequest: 1 TLS is up (and verified as the mode says), 0 plain, -1 failed (recorded) */
static int pg_ssl(const struct probe_postgres *s, struct conn *c, struct record *r)
{
	static const unsigned char req[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
	unsigned char a = 0;
	ssize_t n;

	if (conn_write(c, req, sizeof(req)) < 0 || (n = conn_read(c, &a, 1)) < 0) {
		probe_error(r, "%s", c->errmsg);
		return -1;
	}
	if (n == 0) {
		probe_error(r, "the server closed the connection after SSLRequest");
		return -1;
	}
	if (a != 'S' && a != 'N') {
		probe_error(r, "not a PostgreSQL server (it answers 0x%02x to SSLRequest)", a);
		return -1;
	}
	if (a == 'N') {
		if (s->mode < SSL_REQUIRE)
			return 0;
		probe_error(r, "the server does not support SSL, and sslmode is %s", s->sslmode);
		return -1;
	}
	/* exactly one byte was read: nothing the server sent before the handshake is kept */
	if (!probe_starttls(c, &s->o, r))
		return -1;
	if (!s->o.insecure && !probe_tls_verdict(c, &s->o, s->mode == SSL_VERIFY_FULL, r))
		return -1;
	return 1;
}

/* all n bytes, or -1 with error recorded */
static int read_full(struct conn *c, unsigned char *b, size_t n, struct record *r)
{
	while (n) {
		ssize_t got = conn_read(c, b, n);
		if (got <= 0) {
			probe_error(r, "%s", got ? c->errmsg : "the server closed the connection");
			return -1;
		}
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	static const unsigned char terminate[5] = { 'X', 0, 0, 0, 4 };
	const struct probe_postgres *s = spec;
	struct pg p = { .user = s->user, .password = s->password };
	unsigned char *msg = NULL, h[5];
	char port[8], path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct probe_stamp st;
	struct conn c;
	int ok = 0, rc = PG_MORE, tls = 0;
	long len;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (s->hp.host[0] == '/') {
		snprintf(path, sizeof(path), "%s/.s.PGSQL.%s", s->hp.host, port);
		if (!probe_connect_unix(&c, path, deadline, r))
			return 0;
	} else {
		if (!probe_connect(&s->hp.base, &c, s->hp.host, port, deadline, r))
			return 0;
		if (s->mode != SSL_DISABLE && tls_available && (tls = pg_ssl(s, &c, r)) < 0)
			goto out;
	}
	record_set_bool(r, "postgres.ssl", tls);
	st = probe_stamp();
	if (!(p.outlen = pg_startup(p.out, sizeof(p.out), s->user, s->database))) {
		probe_error(r, "the user and database names are too long");
		goto out;
	}
	msg = xmalloc(PG_MSG_MAX);
	while (rc == PG_MORE) {
		if (p.outlen && conn_write(&c, p.out, p.outlen) < 0) {
			probe_error(r, "%s", c.errmsg);
			break;
		}
		explicit_bzero(p.out, p.outlen);
		if (read_full(&c, h, 5, r) < 0)
			break;
		if ((len = pg_frame(h, p.err, sizeof(p.err))) < 0 ||
		    read_full(&c, msg, (size_t)len, r) < 0)
			break;
		rc = pg_step(&p, h[0], msg, (size_t)len);
	}
	probe_times(r, "postgres.time", st);
	if (p.method)
		record_set_str(r, "postgres.auth", p.method);
	if (p.version[0])
		record_set_str(r, "postgres.server_version", p.version);
	if (p.sqlstate[0])
		record_set_str(r, "postgres.sqlstate", p.sqlstate);
	if (p.err[0])
		probe_error(r, "%s", p.err);
	if ((ok = rc == PG_DONE))
		conn_write(&c, terminate, sizeof(terminate));
out:
	scram_wipe(&p.scram);
	free(msg);
	conn_close(&c);
	return ok;
}

const struct probe_type probe_postgres = {
	.name = "postgres",
	.aliases = "postgresql",
	.layout = PL_TCP_FIRST,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_postgres),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
