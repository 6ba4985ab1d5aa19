/* probe_mongodb.c - the mongodb probe: hello over OP_MSG (isMaster over OP_QUERY for a server
 * that does not know hello), buildInfo, SCRAM-SHA-256 or SCRAM-SHA-1 through saslStart /
 * saslContinue (RFC 5802, RFC 7677; MongoDB's SCRAM-SHA-1 password is hex(MD5(user:mongo:pw))),
 * then listCollections on the database (MongoDB Wire Protocol, Handshake and Authentication
 * specifications). mongodb.max_wire_version, mongodb.primary, mongodb.version, mongodb.mechanism
 */
//probe:IF_PROBE_MONGODB(PROBE(mongodb))
//kbuild:obj-$(CONFIG_PROBE_MONGODB) += probe_mongodb.o
//config:config PROBE_MONGODB
//config:	bool "mongodb probe (+7 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	select BSON
//config:	select SCRAM
//config:	select HASH
//config:	help
//config:	  MongoDB over its wire protocol: hello (or isMaster), SCRAM-SHA-256 or
//config:	  SCRAM-SHA-1 authentication with the server's signature verified, then
//config:	  listCollections on a database. conn-check's mongodb checks, chksrv mongodb.
//config:	  (+7 kB with SCRAM shared with the postgres probe, +10 kB alone.)
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/bson.h"
#include "../lib/hash.h"
#include "../lib/scram.h"
#include "../lib/util.h"

/* a reply above this fails: ours are a few hundred bytes (buildInfo about 2 kB, a hello
 * that lists a large replica set a few kB); MongoDB's own 48 MB is not ours to allocate */
#define MONGO_MSG_MAX (64 * 1024)
#define MONGO_REQ_MAX 2048	/* our requests: SCRAM messages are at most SCRAM_MSG_MAX */

struct probe_mongodb {
	struct probe_hp hp;
	const char *username, *password, *database, *mechanism, *auth_source;
};

#define F(m, y, fl, d) PROBE_F(struct probe_mongodb, m, y, y, PF_STR, fl, d)
static const struct probe_field fields[] = {
	PROBE_F(struct probe_mongodb, hp.host, "host", NULL, PF_STR, PF_REQUIRED, NULL),
	PROBE_FI(struct probe_mongodb, hp.port, "port", NULL, "27017", 1, 65535),
	F(username, "username", 0, NULL),
	F(password, "password", PF_SECRET | PF_AUTH, NULL),
	F(database, "database", 0, "test"),
	F(mechanism, "auth_mechanism", 0, NULL),
	F(auth_source, "auth_source", 0, "admin"),
};
#undef F

static const char *const mechs[] = { "SCRAM-SHA-1", "SCRAM-SHA-256" };	/* enum scram_hash */

/* one conversation */
struct mongo {
	struct conn c;
	struct record *r;
	int op;				/* BSON_OP_MSG, or BSON_OP_QUERY before wire version 6 */
	int32_t reqid;
	struct bson_w w;
	const unsigned char *doc;	/* the last reply's body, in rbuf */
	size_t len;
	unsigned char *rbuf;		/* MONGO_MSG_MAX */
	unsigned char req[MONGO_REQ_MAX];
};

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_mongodb *s = spec;

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	if (!s->username != !s->password)
		return snprintf(err, errlen, "username and password go together"), -1;
	if (s->mechanism && parse_choice(s->mechanism, mechs, 2) < 0)
		return snprintf(err, errlen, "auth_mechanism: expected SCRAM-SHA-256 or SCRAM-SHA-1, "
				"got '%s'", s->mechanism), -1;
	return 0;
}

/* a command to db: its name (the body's first key) comes next */
static struct bson_w *start(struct mongo *m, const char *db)
{
	bson_w_init(&m->w, m->req, sizeof(m->req));
	bson_cmd(&m->w, m->op, ++m->reqid, db);
	return &m->w;
}

static int readn(struct mongo *m, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = conn_read(&m->c, p, n);
		if (k <= 0) {
			probe_error(m->r, "%s", k ? m->c.errmsg : "the server closed the connection");
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* send the command begun by start(), read its reply: 1 ok, 0 a reply without ok: 1, -1 on
 * any other failure (recorded) */
static int call(struct mongo *m, const char *db)
{
	size_t n = bson_cmd_end(&m->w, m->op, db);
	uint32_t len;
	const char *why;
	struct bson_el e;
	double ok;

	if (!n)
		return probe_error(m->r, "a request above %d bytes", MONGO_REQ_MAX), -1;
	if (conn_write(&m->c, m->req, n) < 0)
		return probe_error(m->r, "%s", m->c.errmsg), -1;
	if (readn(m, m->rbuf, 16) < 0)
		return -1;
	len = bson_u32(m->rbuf);
	if (len < 16 || len > MONGO_MSG_MAX)
		return probe_error(m->r, "not a MongoDB reply: a message of %u bytes (at most %d "
				   "taken)", len, MONGO_MSG_MAX), -1;
	if (readn(m, m->rbuf + 16, len - 16) < 0)
		return -1;
	if (bson_msg_body(m->rbuf, len, m->reqid, &m->doc, &m->len, &why) < 0)
		return probe_error(m->r, "not a MongoDB reply: %s", why), -1;
	return bson_get(m->doc, m->len, "ok", &e) && !bson_num(&e, &ok) && ok;
}

static int get(const struct mongo *m, const char *name, int type, struct bson_el *e)
{
	return bson_get(m->doc, m->len, name, e) && e->type == type;
}

/* the server's reason for a reply without ok: 1 */
static const char *errmsg(const struct mongo *m)
{
	struct bson_el e;

	if (get(m, "errmsg", BSON_STRING, &e) || get(m, "$err", BSON_STRING, &e))
		return (const char *)e.v;
	return "a reply without ok: 1";
}

/* call(), and a reply without ok: 1 is a failure of what, with the server's reason */
static int need(struct mongo *m, const char *db, const char *what)
{
	int rc = call(m, db);

	if (!rc)
		probe_error(m->r, "%s failed: %s", what, errmsg(m));
	return rc > 0;
}

/* hello, or isMaster over OP_QUERY when the server does not know hello; the SCRAM hash the
 * server offers for the user (SHA-256 unless it lists SCRAM-SHA-1 alone) in *h */
static int hello(const struct probe_mongodb *s, struct mongo *m, int *h)
{
	struct bson_w *w;
	struct bson_el e, a;
	struct bson_it it;
	char user[300];
	double v = 0;
	int rc;

	for (;;) {
		w = start(m, "admin");
		bson_int(w, m->op == BSON_OP_MSG ? "hello" : "isMaster", 1);
		if (s->username) {
			snprintf(user, sizeof(user), "%s.%s", s->auth_source, s->username);
			bson_str(w, "saslSupportedMechs", user);
		}
		if ((rc = call(m, "admin")) < 0)
			return 0;
		if (rc)
			break;
		if (m->op == BSON_OP_QUERY)
			return probe_error(m->r, "isMaster failed: %s", errmsg(m)), 0;
		m->op = BSON_OP_QUERY;
	}
	if (bson_get(m->doc, m->len, "maxWireVersion", &e) && !bson_num(&e, &v))
		record_set_int(m->r, "mongodb.max_wire_version", (int64_t)v);
	/* OP_MSG is wire version 6 (MongoDB 3.6) on */
	m->op = v >= 6 ? BSON_OP_MSG : BSON_OP_QUERY;
	if (get(m, "isWritablePrimary", BSON_BOOL, &e) || get(m, "ismaster", BSON_BOOL, &e))
		record_set_bool(m->r, "mongodb.primary", e.v[0]);
	*h = SCRAM_SHA256;
	if (get(m, "saslSupportedMechs", BSON_ARRAY, &e) && bson_it(&it, e.v, e.len) == 0) {
		int has[2] = { 0, 0 };
		while (bson_next(&it, &a) > 0)
			if (a.type == BSON_STRING && (rc = parse_choice((const char *)a.v, mechs, 2)) >= 0)
				has[rc] = 1;
		if (has[SCRAM_SHA1] && !has[SCRAM_SHA256])
			*h = SCRAM_SHA1;
	}
	/* the version, when the server tells it before authentication (mongod does) */
	w = start(m, "admin");
	bson_int(w, "buildInfo", 1);
	if ((rc = call(m, "admin")) < 0)
		return 0;
	if (rc && get(m, "version", BSON_STRING, &e))
		record_set_strn(m->r, "mongodb.version", (const char *)e.v, e.len);
	return 1;
}

/* one SASL step: the server's payload in *pl; conv keeps the conversationId (its type, then
 * its 4 or 8 bytes, copied: the next request is written before this reply is read again) */
static int sasl(struct mongo *m, const char *db, const char *what, struct bson_el *pl,
		unsigned char conv[9], int *done)
{
	struct bson_el e;
	double d;

	if (!need(m, db, what))
		return 0;
	if (!get(m, "payload", BSON_BINARY, pl) || !bson_get(m->doc, m->len, "conversationId", &e) ||
	    (e.type != BSON_INT32 && e.type != BSON_INT64 && e.type != BSON_DOUBLE))
		return probe_error(m->r, "%s: a SASL reply without its payload or conversationId",
				   what), 0;
	conv[0] = e.type;
	memcpy(conv + 1, e.v, e.len);
	*done = bson_get(m->doc, m->len, "done", &e) && !bson_num(&e, &d) && d;
	return 1;
}

static void sasl_continue(struct mongo *m, const char *db, const unsigned char conv[9],
			  const char *p, size_t n)
{
	struct bson_w *w = start(m, db);

	bson_int(w, "saslContinue", 1);
	bson_put(w, conv[0], "conversationId", conv + 1, conv[0] == BSON_INT32 ? 4 : 8);
	bson_bin(w, "payload", p, n);
}

static int auth(const struct probe_mongodb *s, struct mongo *m, int h)
{
	const char *db = s->auth_source, *pw = s->password;
	char what[400], msg[SCRAM_MSG_MAX], err[256], hex[2 * MD5_LEN + 1];
	unsigned char conv[9], sum[MD5_LEN];
	struct scram sc;
	struct bson_el pl;
	struct bson_w *w;
	struct hash md;
	int n, done, ok = 0;

	if (s->mechanism)
		h = parse_choice(s->mechanism, mechs, 2);
	snprintf(what, sizeof(what), "%s authentication of '%s' on %s", mechs[h], s->username, db);
	if (h == SCRAM_SHA1) {
		hash_init(&md, HASH_MD5);
		hash_update(&md, s->username, strlen(s->username));
		hash_update(&md, ":mongo:", 7);
		hash_update(&md, pw, strlen(pw));
		hash_final(&md, sum);
		hex_encode(sum, MD5_LEN, hex);
		pw = hex;
	}
	if ((n = scram_first(&sc, (enum scram_hash)h, s->username, msg, sizeof(msg))) < 0) {
		probe_error(m->r, "%s: the user name is too long", what);
		goto out;
	}
	w = start(m, db);
	bson_int(w, "saslStart", 1);
	bson_str(w, "mechanism", mechs[h]);
	bson_bin(w, "payload", msg, (size_t)n);
	bson_int(w, "autoAuthorize", 1);
	bson_open(w, BSON_DOC, "options");
	bson_bool(w, "skipEmptyExchange", 1);
	bson_close(w);
	if (!sasl(m, db, what, &pl, conv, &done))
		goto out;
	n = scram_final(&sc, pw, (const char *)pl.v, pl.len, msg, sizeof(msg), err, sizeof(err));
	if (n < 0) {
		probe_error(m->r, "%s: %s", what, err);
		goto out;
	}
	sasl_continue(m, db, conv, msg, (size_t)n);
	if (!sasl(m, db, what, &pl, conv, &done))
		goto out;
	if (scram_verify(&sc, (const char *)pl.v, pl.len, err, sizeof(err)) < 0) {
		probe_error(m->r, "%s: %s", what, err);
		goto out;
	}
	/* a server that does not skip the empty exchange (before MongoDB 4.4) wants one more */
	if (!done) {
		sasl_continue(m, db, conv, "", 0);
		if (!sasl(m, db, what, &pl, conv, &done))
			goto out;
		if (!done) {
			probe_error(m->r, "%s: the SASL conversation did not end", what);
			goto out;
		}
	}
	record_set_str(m->r, "mongodb.mechanism", mechs[h]);
	ok = 1;
out:
	scram_wipe(&sc);
	explicit_bzero(&md, sizeof(md));
	explicit_bzero(sum, sizeof(sum));
	explicit_bzero(hex, sizeof(hex));
	explicit_bzero(msg, sizeof(msg));
	return ok;
}

/* listCollections on the database, as upstream's collection_names(): it needs the right to
 * list them; the filter matches none (no collection has an empty name), so the reply is
 * small and leaves no cursor open */
static int list(const struct probe_mongodb *s, struct mongo *m)
{
	struct bson_w *w = start(m, s->database);
	char what[300];

	bson_int(w, "listCollections", 1);
	bson_open(w, BSON_DOC, "filter");
	bson_str(w, "name", "");
	bson_close(w);
	bson_bool(w, "nameOnly", 1);
	snprintf(what, sizeof(what), "listCollections on %s", s->database);
	return need(m, s->database, what);
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_mongodb *s = spec;
	struct mongo *m = xzalloc(sizeof(*m));
	char port[8];
	int h, ok = 0;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	m->r = r;
	m->op = BSON_OP_MSG;
	m->rbuf = xmalloc(MONGO_MSG_MAX);
	if (probe_connect(&s->hp.base, &m->c, s->hp.host, port, deadline, r)) {
		ok = hello(s, m, &h) && (!s->password || auth(s, m, h)) && list(s, m);
		conn_close(&m->c);
	}
	free(m->rbuf);
	free(m);
	return ok;
}

const struct probe_type probe_mongodb = {
	.name = "mongodb",
	.aliases = "mongo",
	.layout = PL_PREFIXED,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_mongodb),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
