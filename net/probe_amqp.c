/* probe_amqp.c - the amqp probe: TCP, TLS unless use_tls is off, then an AMQP 0-9-1 login
 * (the RabbitMQ edition of the 0-9-1 spec and its errata: protocol header, Start / Start-Ok
 * with SASL PLAIN, RFC 4616, or AMQPLAIN, Tune / Tune-Ok, Open(vhost) / Open-Ok) and a clean
 * Close / Close-Ok. The server's Close in the verdict: "403 ACCESS_REFUSED - ...".
 * tcp.*, ssl.*, amqp.product, amqp.version, amqp.platform (the server's properties),
 * amqp.mechanism.
 */
//probe:IF_PROBE_AMQP(PROBE(amqp))
//kbuild:obj-$(CONFIG_PROBE_AMQP) += probe_amqp.o
//config:config PROBE_AMQP
//config:	bool "amqp probe (+4 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	help
//config:	  Log in to an AMQP 0-9-1 broker (RabbitMQ) with a username and a
//config:	  password, over verified TLS unless use_tls is false, and open a
//config:	  virtual host. conn-check's amqp checks, chksrv amqp.
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amqp.h"
#include "../lib/util.h"

/* --- framing (pure) ------------------------------------------------------------------------ */

uint32_t amqp_u(struct amqp_rd *r, int n)
{
	uint32_t v = 0;

	if (r->end - r->p < n) {
		r->p = r->end = NULL;
		return 0;
	}
	while (n--)
		v = v << 8 | *r->p++;
	return v;
}

struct amqp_rd amqp_sub(struct amqp_rd *r, int n)
{
	uint32_t len = amqp_u(r, n);
	struct amqp_rd s = { NULL, NULL };

	if ((size_t)(r->end - r->p) < len)
		r->p = r->end = NULL;
	else if (r->p)
		s.p = r->p, s.end = r->p += len;
	return s;
}

int amqp_head(const unsigned char h[7], unsigned *type, unsigned *channel, uint32_t *size)
{
	*type = h[0];
	*channel = (unsigned)h[1] << 8 | h[2];
	*size = (uint32_t)h[3] << 24 | (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6];
	if (*type > 8 || !(0x10eu >> *type & 1))	/* 1, 2, 3 or 8 */
		return -1;
	return *size > AMQP_FRAME_MAX - 8 ? -2 : 0;
}

int amqp_method(const unsigned char *p, size_t n, struct amqp_msg *m)
{
	struct amqp_rd r = { p, p + n };

	memset(m, 0, sizeof(*m));
	m->id = amqp_u(&r, 4);
	if (m->id == AMQP_START) {
		m->major = amqp_u(&r, 1);
		m->minor = amqp_u(&r, 1);
		m->props = amqp_sub(&r, 4);
		m->mechs = amqp_sub(&r, 4);
		amqp_sub(&r, 4);	/* locales */
	} else if (m->id == AMQP_TUNE) {
		m->channel_max = amqp_u(&r, 2);
		m->frame_max = amqp_u(&r, 4);
		m->heartbeat = amqp_u(&r, 2);
	} else if (m->id == AMQP_CLOSE) {
		m->code = amqp_u(&r, 2);
		m->text = amqp_sub(&r, 1);
		amqp_u(&r, 4);		/* the class and method it answers */
	}
	return r.p ? 0 : -1;
}

int amqp_table_get(struct amqp_rd t, const char *name, struct amqp_rd *v)
{
	/* the types of a fixed size, then those with a 4-byte length; 's' is a short int, as
	 * RabbitMQ and its clients have it, not the spec's shortstr (which no broker sends) */
	static const char types[] = "tbBsuUIifDdlLTVSAFx";
	static const unsigned char size[] = { 1, 1, 1, 2, 2, 2, 4, 4, 4, 5, 8, 8, 8, 8, 0 };
	size_t n = strlen(name);

	while (t.p < t.end) {
		struct amqp_rd k = amqp_sub(&t, 1);
		int type = (int)amqp_u(&t, 1);
		const char *q = type ? strchr(types, type) : NULL;
		size_t i = (size_t)(q - types);

		if (!q)
			return 0;
		if (i >= sizeof(size)) {
			*v = amqp_sub(&t, 4);
		} else {
			if ((size_t)(t.end - t.p) < size[i])
				return 0;
			v->p = t.p;
			v->end = t.p += size[i];
		}
		if (t.p && (size_t)(k.end - k.p) == n && !memcmp(k.p, name, n))
			return type;
	}
	return 0;
}

int amqp_has(struct amqp_rd l, const char *word)
{
	size_t n = strlen(word);

	while (l.p < l.end) {
		const unsigned char *e = memchr(l.p, ' ', (size_t)(l.end - l.p));
		if (!e)
			e = l.end;
		if ((size_t)(e - l.p) == n && !memcmp(l.p, word, n))
			return 1;
		l.p = e + (e < l.end);
	}
	return 0;
}

void amqp_put(struct amqp_wr *w, int n, uint32_t v)
{
	if (w->cap - w->n < (size_t)n) {
		w->bad = 1;
		return;
	}
	while (n--)
		w->p[w->n++] = (unsigned char)(v >> 8 * n);
}

void amqp_putb(struct amqp_wr *w, int n, const void *s, size_t len)
{
	if ((n == 1 && len > 255) || len > w->cap) {
		w->bad = 1;
		return;
	}
	amqp_put(w, n, (uint32_t)len);
	if (w->cap - w->n < len) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->n, s, len);
	w->n += len;
}

size_t amqp_begin(struct amqp_wr *w, uint32_t id)
{
	size_t at = w->n;

	amqp_put(w, 1, 1);	/* a method frame */
	amqp_put(w, 2, 0);	/* on channel 0 */
	amqp_put(w, 4, 0);	/* its size, set by amqp_end() */
	amqp_put(w, 4, id);
	return at;
}

void amqp_end(struct amqp_wr *w, size_t at)
{
	struct amqp_wr s = { w->p + at + 3, 0, 4, 0 };

	amqp_put(w, 1, AMQP_FRAME_END);
	if (!w->bad)
		amqp_put(&s, 4, (uint32_t)(w->n - at - 8));
}

void amqp_start_ok(struct amqp_wr *w, const char *user, const char *pass, int amqplain)
{
	/* client-properties: product, capabilities.authentication_failure_close */
	static const char props[] = "\0\0\0\x46" "\x07product" "S\0\0\0\x08probebox"
		"\x0c" "capabilities" "F\0\0\0\x1f" "\x1c" "authentication_failure_close" "t\1";
	size_t at = amqp_begin(w, AMQP_START_OK), ul = strlen(user), pl = strlen(pass);
	int n = amqplain ? 4 : 0;

	amqp_putb(w, 0, props, sizeof(props) - 1);
	amqp_putb(w, 1, amqplain ? "AMQPLAIN" : "PLAIN", amqplain ? 8 : 5);
	/* PLAIN (RFC 4616): "\0user\0pass"; AMQPLAIN: a table of LOGIN and PASSWORD, without
	 * its length */
	amqp_put(w, 4, (uint32_t)(ul + pl + (amqplain ? 25 : 2)));
	amqp_putb(w, 0, amqplain ? "\5LOGINS" : "", amqplain ? 7 : 1);
	amqp_putb(w, n, user, ul);
	amqp_putb(w, 0, amqplain ? "\x08PASSWORDS" : "", amqplain ? 10 : 1);
	amqp_putb(w, n, pass, pl);
	amqp_putb(w, 1, "en_US", 5);
	amqp_end(w, at);
}

void amqp_tune_open(struct amqp_wr *w, const struct amqp_msg *t, const char *vhost)
{
	size_t at = amqp_begin(w, AMQP_TUNE_OK);

	amqp_put(w, 2, t->channel_max);
	amqp_put(w, 4, t->frame_max && t->frame_max < AMQP_FRAME_MAX ? t->frame_max
								     : AMQP_FRAME_MAX);
	amqp_put(w, 2, 0);	/* no heartbeat: the connection lasts a moment */
	amqp_end(w, at);
	at = amqp_begin(w, AMQP_OPEN);
	amqp_putb(w, 1, vhost, strlen(vhost));
	amqp_put(w, 2, 0);	/* reserved: capabilities "", insist false */
	amqp_end(w, at);
}

/* --- the probe ----------------------------------------------------------------------------- */

struct probe_amqp {
	struct probe_hp hp;		/* hp.base.tls: use_tls */
	const char *username, *password, *vhost;
	int no_verify;			/* disable_tls_verification */
	struct tls_opts o;		/* made by check() */
};

#define F(m, n, t, fl, d) PROBE_F(struct probe_amqp, m, n, n, t, fl, d)
static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_amqp),
	F(username, "username", PF_STR, PF_REQUIRED, NULL),
	F(password, "password", PF_STR, PF_REQUIRED | PF_SECRET, NULL),
	F(hp.base.tls, "use_tls", PF_BOOL, 0, "true"),
	F(vhost, "vhost", PF_STR, 0, "/"),
	F(no_verify, "disable_tls_verification", PF_BOOL, 0, NULL),
};
#undef F

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_amqp *s = spec;

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	if (strlen(s->vhost) > 255)
		return snprintf(err, errlen, "vhost: longer than 255 bytes"), -1;
	/* so that Start-Ok fits in the frame buffer */
	if (strlen(s->username) + strlen(s->password) > 65536)
		return snprintf(err, errlen, "username and password: longer than 64 KiB"), -1;
	memset(&s->o, 0, sizeof(s->o));
	return s->hp.base.tls ? probe_tls_options(&s->o, &s->hp.base, s->hp.host, s->no_verify,
						  "CERT_OPTIONAL", "__sys__", "tls", "ALL",
						  "VERIFY_DEFAULT", 1, err, errlen) : 0;
}

/* send what w holds, then read the next method on channel 0 (heartbeats skipped) into m,
 * which must be id: 1, or 0 with the reason recorded; a Close is answered, and its reply-code
 * and text are the reason */
static int step(struct conn *c, struct amqp_wr *w, struct amqp_msg *m, uint32_t id,
		const char *what, struct record *r)
{
	unsigned char *b = w->p;
	const char *why = c->errmsg;
	unsigned type = 8, ch;
	uint32_t n = 0;
	size_t have, need;
	ssize_t k;
	int rc = 0;

	if (conn_write(c, b, w->n) < 0)
		goto fail;
	w->n = 0;
	while (type == 8) {	/* heartbeats */
		for (have = 0, need = 7; have < need;) {
			if ((k = conn_read(c, b + have, need - have)) <= 0) {
				if (!k)
					why = "connection closed by the server";
				goto fail;
			}
			have += (size_t)k;
			if (need == 7 && have == 7) {
				if ((rc = amqp_head(b, &type, &ch, &n)) < 0)
					goto bad;
				need = 8 + (size_t)n;
			}
		}
	}
	if (b[7 + n] != AMQP_FRAME_END || type != 1 || ch || amqp_method(b + 7, n, m) < 0)
		goto bad;
	if (m->id == AMQP_CLOSE) {
		probe_error(r, "%u %.*s", m->code, (int)(m->text.end - m->text.p),
			    (const char *)m->text.p);
		conn_write(c, "\1\0\0\0\0\0\4\0\x0a\0\x33\xce", 12);	/* Close-Ok */
		return 0;
	}
	if (m->id == id)
		return 1;
	why = "an unexpected method";
	goto fail;
bad:
	why = rc == -2 ? "a frame larger than 128 KiB" : "not an AMQP 0-9-1 reply";
fail:
	probe_error(r, "%s (waiting for Connection.%s)", why, what);
	return 0;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	/* the connection class's four exchanges: what we wait for, with its name */
	static const uint32_t ids[] = { AMQP_START, AMQP_TUNE, AMQP_OPEN_OK, AMQP_CLOSE_OK };
	const char *what = "Start\0Tune; was the login refused?\0Open-Ok\0Close-Ok";
	const struct probe_amqp *s = spec;
	struct amqp_wr w = { NULL, 0, AMQP_FRAME_MAX, 0 };
	struct amqp_msg m;
	struct amqp_rd v;
	struct conn c;
	char port[8];
	int i = 0, plain;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (!probe_connect(&s->hp.base, &c, s->hp.host, port, deadline, r))
		return 0;
	w.p = xmalloc(AMQP_FRAME_MAX);
	if (s->hp.base.tls && !(probe_starttls(&c, &s->o, r) &&
				probe_tls_verdict(&c, &s->o, !s->no_verify, r)))
		goto out;
	amqp_putb(&w, 0, "AMQP\0\0\x09\x01", 8);
	for (; i < 4 && step(&c, &w, &m, ids[i], what, r); i++, what += strlen(what) + 1) {
		if (i == 0) {
			for (const char *k = "amqp.product\0amqp.version\0amqp.platform\0"; *k;
			     k += strlen(k) + 1)
				if (amqp_table_get(m.props, k + 5, &v) == 'S')
					record_set_strn(r, k, (const char *)v.p, (size_t)(v.end - v.p));
			plain = amqp_has(m.mechs, "PLAIN");
			if (!plain && !amqp_has(m.mechs, "AMQPLAIN")) {
				probe_error(r, "the server offers neither PLAIN nor AMQPLAIN: %.*s",
					    (int)(m.mechs.end - m.mechs.p), (const char *)m.mechs.p);
				break;
			}
			record_set_str(r, "amqp.mechanism", plain ? "PLAIN" : "AMQPLAIN");
			amqp_start_ok(&w, s->username, s->password, !plain);
		} else if (i == 1) {
			amqp_tune_open(&w, &m, s->vhost);
		} else if (i == 2) {
			/* Close: reply-code 200 (a normal close), reply-text "", class and
			 * method 0 (not an error) */
			amqp_putb(&w, 0, "\1\0\0\0\0\0\x0b\0\x0a\0\x32\0\xc8\0\0\0\0\0\xce", 19);
		}
	}
out:
	free(w.p);
	conn_close(&c);
	return i == 4;
}

const struct probe_type probe_amqp = {
	.name = "amqp",
	.layout = PL_TCP_FIRST,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_amqp),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
