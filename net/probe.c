/* probe.c - the probe table (generated from the probe files' //probe: lines), specs set from
 * text by their field tables, and the connection steps that several probes share: TCP connect
 * and TLS, with the tcp.* and ssl.* record keys chksrv defines.
 */
//kbuild:obj-$(CONFIG_PROBE) += probe.o
//config:config PROBE
//config:	bool
//config:	select RECORD
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "autoconf.h"
#include "../lib/util.h"

#define PROBE(n) extern const struct probe_type probe_##n;
#include "../build/gen/probes.h"
#undef PROBE
#define PROBE(n) &probe_##n,
const struct probe_type *const probe_types[] = {
#include "../build/gen/probes.h"
	NULL,
};
#undef PROBE

const struct probe_type *probe_find(const char *name)
{
	for (const struct probe_type *const *t = probe_types; *t; t++) {
		const char *a = (*t)->aliases;
		size_t n = strlen(name);

		if (!strcmp((*t)->name, name))
			return *t;
		while (a && *a) {
			size_t l = strcspn(a, " ");
			if (l == n && !strncmp(a, name, n))
				return *t;
			a += l + (a[l] == ' ');
		}
	}
	return NULL;
}

const struct probe_field *probe_field(const struct probe_type *t, const char *name, int param)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const char *n = param ? t->fields[i].param : t->fields[i].name;
		if (n && !strcmp(n, name))
			return &t->fields[i];
	}
	return NULL;
}

static size_t field_index(const struct probe_type *t, const struct probe_field *f)
{
	return (size_t)(f - t->fields);
}

/* the spec's base remembers its type for probe_set() and probe_isset() */
struct spec_head {
	struct probe_base base;
	const struct probe_type *type;
	uint64_t isset;		/* bit per field index */
};

static int parse_bool(const char *s, int *b)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "y" };
	static const char *const no[] = { "false", "no", "off", "0", "n" };

	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return *b = 1, 0;
		if (!strcasecmp(s, no[i]))
			return *b = 0, 0;
	}
	return -1;
}

static int set_value(void *spec, const struct probe_field *f, const char *text, size_t len,
		     char *err, size_t errlen)
{
	char *p = (char *)spec + f->off;
	const char *what = f->name ? f->name : f->param;
	long l;
	double d;
	int b;

	switch (f->type) {
	case PF_STR:
		if (memchr(text, 0, len)) {
			snprintf(err, errlen, "%s: a NUL byte is not allowed here", what);
			return -1;
		}
		*(const char **)p = text;
		return 0;
	case PF_BYTES:
		((struct probe_bytes *)p)->p = text;
		((struct probe_bytes *)p)->len = len;
		return 0;
	case PF_INT:
		if (parse_long(text, f->min, f->max, &l) < 0) {
			snprintf(err, errlen, "%s: expected a number from %ld to %ld, got '%s'", what,
				 f->min, f->max, text);
			return -1;
		}
		*(long *)p = l;
		return 0;
	case PF_BOOL:
		if (parse_bool(text, &b) < 0) {
			snprintf(err, errlen, "%s: expected true or false, got '%s'", what, text);
			return -1;
		}
		*(int *)p = b;
		return 0;
	case PF_SECS:
		if (parse_double(text, &d) < 0 || !(d > 0) || d > 1e6) {
			snprintf(err, errlen, "%s: expected seconds above 0, got '%s'", what, text);
			return -1;
		}
		*(double *)p = d;
		return 0;
	case PF_LIST: {
		struct probe_list *v = (struct probe_list *)p;
		if (memchr(text, 0, len)) {
			snprintf(err, errlen, "%s: a NUL byte is not allowed here", what);
			return -1;
		}
		v->v = xrealloc(v->v, sizeof(*v->v) * (v->n + 1));
		v->v[v->n++] = text;
		return 0;
	}
	}
	snprintf(err, errlen, "%s: unknown field type", what);
	return -1;
}

void *probe_spec_new(const struct probe_type *t)
{
	struct spec_head *h;
	char err[200];

	/* the head lives just before the spec, so specs stay plain structs of their probe */
	h = xzalloc(sizeof(*h) + t->size);
	h->type = t;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct probe_field *f = &t->fields[i];
		if (f->def && set_value(h + 1, f, f->def, strlen(f->def), err, sizeof(err)) < 0)
			error_exit("probe %s: bad default: %s", t->name, err);
	}
	return h + 1;
}

static struct spec_head *head(const void *spec)
{
	return (struct spec_head *)spec - 1;
}

int probe_set(void *spec, const struct probe_field *f, const char *text, size_t len, char *err,
	      size_t errlen)
{
	struct spec_head *h = head(spec);

	if (set_value(spec, f, text, len, err, errlen) < 0)
		return -1;
	h->isset |= (uint64_t)1 << (field_index(h->type, f) & 63);
	return 0;
}

const struct probe_field *probe_field_src(const struct probe_type *t, const char *name, int param,
					  enum probe_src *src)
{
	static const char *const sfx[] = { [PS_ENV] = "_env", [PS_FILE] = "_file" };
	const struct probe_field *f = probe_field(t, name, param);
	size_t n = strlen(name);

	*src = PS_TEXT;
	if (f)
		return f;
	for (int i = PS_ENV; i <= PS_FILE; i++) {
		size_t l = strlen(sfx[i]);
		char base[64];

		if (n <= l || n - l >= sizeof(base) || strcmp(name + n - l, sfx[i]))
			continue;
		memcpy(base, name, n - l);
		base[n - l] = 0;
		if ((f = probe_field(t, base, param)) && (f->flags & PF_SECRET) && f->type == PF_STR) {
			*src = (enum probe_src)i;
			return f;
		}
	}
	return NULL;
}

/* a secret from a file: at most 64 KiB, one trailing newline (LF or CRLF) dropped */
static char *read_secret(const char *path, size_t *len)
{
	char *buf = read_file(path, 65536, len);

	if (buf && *len && buf[*len - 1] == '\n')
		buf[--*len] = 0;
	if (buf && *len && buf[*len - 1] == '\r')
		buf[--*len] = 0;
	return buf;
}

int probe_set_src(void *spec, const struct probe_field *f, enum probe_src src, const char *text,
		  size_t len, char *err, size_t errlen)
{
	const char *what = f->name ? f->name : f->param;
	const char *v = text;

	if (src == PS_ENV) {
		if (!(v = getenv(text))) {
			snprintf(err, errlen, "%s_env: the environment variable %s is not set", what,
				 text);
			return -1;
		}
		len = strlen(v);
	} else if (src == PS_FILE) {
		if (!(v = read_secret(text, &len))) {
			snprintf(err, errlen, "%s_file: cannot read %s: %s", what, text,
				 errno == EFBIG ? "longer than 64 KiB" : strerror(errno));
			return -1;
		}
	}
	return probe_set(spec, f, v, len, err, errlen);
}

int probe_isset(const void *spec, const struct probe_field *f)
{
	const struct spec_head *h = head(spec);

	return !!(h->isset & ((uint64_t)1 << (field_index(h->type, f) & 63)));
}

int probe_ready(const struct probe_type *t, void *spec, char *err, size_t errlen)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct probe_field *f = &t->fields[i];
		if ((f->flags & PF_REQUIRED) && !f->def && !probe_isset(spec, f)) {
			snprintf(err, errlen, "%s missing", f->name ? f->name : f->param);
			return -1;
		}
	}
	return t->check ? t->check(spec, err, errlen) : 0;
}

int probe_run(const struct probe_type *t, const void *spec, int64_t deadline, struct record *r)
{
	int ok;

	record_clear(r);
	record_set_bool(r, "success", 0);
	record_set_none(r, "error");
	ok = t->run(spec, deadline, r) == 1;
	record_set_bool(r, "success", ok);
	if (!ok && record_get(r, "error")->type != RECORD_STR)
		probe_error(r, "%s check failed", t->name);
	if (ok)
		record_set_none(r, "error");
	return ok;
}

/* --- shared steps -------------------------------------------------------------------------- */

static double cpu_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct probe_stamp probe_stamp(void)
{
	struct probe_stamp s = { mono_sec(), cpu_sec() };
	return s;
}

void probe_times(struct record *r, const char *key, struct probe_stamp s)
{
	char k[64];
	struct sbuf b;
	size_t n;

	/* KEY.perf, KEY.process: every probe's every step, so without printf */
	sbuf_init(&b, k, sizeof(k));
	sbuf_puts(&b, key);
	n = b.len;
	sbuf_puts(&b, ".perf");
	record_set_float(r, k, mono_sec() - s.mono);
	b.len = n;
	sbuf_puts(&b, ".process");
	record_set_float(r, k, cpu_sec() - s.cpu);
}

void probe_error(struct record *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	record_set_str(r, "error", probe_printable(msg));
}

char *probe_printable(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 127)
			*p = '?';
	return s;
}

const char *probe_first_line(char *out, size_t cap, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t n = 0, cut;

	while (n < len && s[n] != '\r' && s[n] != '\n')
		n++;
	cut = n < cap ? n : cap - 4;
	for (size_t i = 0; i < cut; i++)
		out[i] = s[i] >= ' ' && s[i] < 127 ? (char)s[i] : '?';
	strcpy(out + cut, n < cap ? "" : "...");
	return out;
}

void probe_hostport(char *buf, size_t len, const char *host, const char *port)
{
	struct sbuf b;
	int v6 = strchr(host, ':') != NULL;

	sbuf_init(&b, buf, len);
	sbuf_add(&b, "[", v6);
	sbuf_puts(&b, host);
	sbuf_add(&b, v6 ? "]:" : ":", v6 ? 2 : 1);
	sbuf_puts(&b, port);
}

int probe_hp_check(void *spec, char *err, size_t errlen)
{
	const struct probe_hp *s = spec;

	if (!s->host || !*s->host)
		return snprintf(err, errlen, "empty host"), -1;
	if (!s->port)
		return snprintf(err, errlen, "port missing"), -1;
	return 0;
}

void probe_hp_target(const void *spec, char *buf, size_t len)
{
	const struct probe_hp *s = spec;
	char port[8];

	snprintf(port, sizeof(port), "%ld", s->port);
	probe_hostport(buf, len, s->host, port);
}

/* the tcp.* keys of a connect that began at s and returned rc */
static int connected(struct conn *c, int rc, struct probe_stamp s, struct record *r)
{
	record_set_bool(r, "tcp.ipv6", c->family == AF_INET6);
	probe_times(r, "tcp.con.time", s);
	record_set_bool(r, "tcp.success", rc == 0);
	if (rc == 0)
		return 1;
	probe_error(r, "%s", c->errmsg);
	return 0;
}

int probe_connect(const struct probe_base *b, struct conn *c, const char *host, const char *port,
		  int64_t deadline, struct record *r)
{
	struct probe_stamp s = probe_stamp();

	return connected(c, conn_open(c, host, port, &b->conn, deadline), s, r);
}

int probe_connect_unix(struct conn *c, const char *path, int64_t deadline, struct record *r)
{
	struct probe_stamp s = probe_stamp();

	return connected(c, conn_open_unix(c, path, deadline), s, r);
}

/* "TLS_AES_256_GCM_SHA384" -> 256: the symmetric key bits Python's cipher() reports */
static int cipher_bits(const char *s)
{
	if (strstr(s, "CHACHA20") || strstr(s, "_256_"))
		return 256;
	if (strstr(s, "_128_"))
		return 128;
	if (strstr(s, "3DES"))
		return 168;
	return 0;
}

void probe_cert(struct record *r, const struct tls_peer *p)
{
	char buf[TLS_SAN_MAX], *names[RECORD_MAX_LIST];
	size_t n = 0;

	/* without TLS the peer is always the empty one (tls_none.c) */
	if (!ENABLE_TLS || (!p->subject[0] && !p->serial[0] && !p->not_after)) {
		record_set_none(r, "ssl.con.cert");
		return;
	}
	record_set_str(r, "ssl.con.cert.subject", p->subject);
	if (p->subject_cn[0])
		record_set_str(r, "ssl.con.cert.subject.commonName", p->subject_cn);
	record_set_str(r, "ssl.con.cert.issuer", p->issuer);
	if (p->issuer_cn[0])
		record_set_str(r, "ssl.con.cert.issuer.commonName", p->issuer_cn);
	record_set_str(r, "ssl.con.cert.serialNumber", p->serial);
	if (p->not_before)
		record_set_time(r, "ssl.con.cert.notBefore", p->not_before);
	if (p->not_after)
		record_set_time(r, "ssl.con.cert.notAfter", p->not_after);
	/* "DNS:a, IP:1.2.3.4" -> ["a", "1.2.3.4"] */
	str_copy(buf, sizeof(buf), p->sans);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < ARRAY_LEN(names);
	     t = strtok_r(NULL, ",", &save)) {
		char *colon;
		while (*t == ' ')
			t++;
		colon = strchr(t, ':');
		names[n++] = colon ? colon + 1 : t;
	}
	record_set_list(r, "ssl.con.cert.subjectAltName", (const char *const *)names, n);
}

/* the ssl.con.* keys of a handshake that did not complete */
static void no_session(struct record *r)
{
	static const char *const keys[] = { "ssl.con.cert", "ssl.con.cipher", "ssl.con.protocol",
					    "ssl.con.secret_bits", "ssl.con.compression",
					    "ssl.con.alpn_protocol", "ssl.con.npn_protocol",
					    "ssl.con.ssl_version" };

	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		record_set_none(r, keys[i]);
}

int probe_starttls(struct conn *c, const struct tls_opts *o, struct record *r)
{
	struct probe_stamp s = probe_stamp();
	struct tls_peer p;
	int rc, bits;

	record_set_bool(r, "ssl.success", 0);
	rc = conn_starttls(c, o);
	probe_times(r, "ssl.handshake.time", s);
	/* no session to describe (without TLS, never one: conn_starttls() fails) */
	if (!ENABLE_TLS || (rc < 0 && c->err != CONN_E_CERT)) {
		probe_error(r, "%s", c->errmsg);
		no_session(r);
		if (o->host)
			record_set_str(r, "ssl.con.server_hostname", o->host);
		return 0;
	}
	tls_peer_info(c->tls, &p);
	probe_cert(r, &p);
	record_set_str(r, "ssl.con.cipher", p.cipher);
	record_set_str(r, "ssl.con.protocol", p.version);
	bits = cipher_bits(p.cipher);
	if (bits)
		record_set_int(r, "ssl.con.secret_bits", bits);
	else
		record_set_none(r, "ssl.con.secret_bits");
	record_set_none(r, "ssl.con.compression");
	if (p.alpn[0])
		record_set_str(r, "ssl.con.alpn_protocol", p.alpn);
	else
		record_set_none(r, "ssl.con.alpn_protocol");
	record_set_none(r, "ssl.con.npn_protocol");
	record_set_str(r, "ssl.con.ssl_version", p.version);
	if (o->host)
		record_set_str(r, "ssl.con.server_hostname", o->host);
	if (rc < 0) {
		probe_error(r, "%s", c->errmsg);
		return 0;
	}
	record_set_bool(r, "ssl.success", 1);
	return 1;
}

/* after probe_starttls(): the chain as the backend judged it (unless o->insecure), the name
 * by RFC 6125 when check_hostname (also without chain verification, as chksrv's
 * CERT_NONE + check_hostname asks). 1, or 0 with error recorded. */
unsigned probe_tls_flags(struct tls *t, const struct tls_peer *p, const char *host,
			 int check_hostname)
{
	unsigned bad = tls_verify_result(t) & ~(unsigned)TLS_V_NAME_MISMATCH;

	if (check_hostname && host && !tls_name_matches(host, p->sans, p->subject_cn))
		bad |= TLS_V_NAME_MISMATCH;
	return bad;
}

int probe_tls_verdict(struct conn *c, const struct tls_opts *o, int check_hostname,
		      struct record *r)
{
	struct tls_peer p;
	unsigned bad;

	if (!ENABLE_TLS)	/* not reached: without TLS probe_starttls() never succeeds */
		return 0;
	tls_peer_info(c->tls, &p);
	record_set_bool(r, "ssl.con.cert.matches_hostname",
			o->host && tls_name_matches(o->host, p.sans, p.subject_cn));
	bad = probe_tls_flags(c->tls, &p, o->host, check_hostname);
	if (bad) {
		char why[TLS_SAN_MAX + 128];
		tls_describe_failure(bad, &p, why, sizeof(why));
		probe_error(r, "%s", why);
		record_set_bool(r, "ssl.success", 0);
		return 0;
	}
	return 1;
}

/* the chksrv ssl.* parameters into tls options (on top of what the caller set in *o);
 * shared with the http probe */
int probe_tls_options(struct tls_opts *o, const struct probe_base *b, const char *host,
		      int no_verify, const char *mode, const char *ca, const char *proto,
		      const char *ciphers, const char *flags, int dflt, char *err, size_t errlen)
{
	static const char *const old[] = { "sslv2", "sslv3", "tlsv1", "tlsv1.1" };
	int ver = -1;
	struct stat st;
	struct tls *t;

	o->host = host;
	o->defer_verify = 1;	/* judged in probe_tls_verdict(), with the names it records */
	if (!strcmp(mode, "CERT_NONE"))
		o->insecure = 1;
	else if (strcmp(mode, "CERT_OPTIONAL") && strcmp(mode, "CERT_REQUIRED"))
		return snprintf(err, errlen, "ssl.verify_mode: expected CERT_NONE, CERT_OPTIONAL or "
				"CERT_REQUIRED, got '%s'", mode), -1;
	if (no_verify)
		o->insecure = 1;
	if (strcmp(flags, "VERIFY_DEFAULT") && strcmp(flags, "VERIFY_X509_TRUSTED_FIRST"))
		return snprintf(err, errlen, "ssl.verify_flags: '%s' is not supported (VERIFY_DEFAULT "
				"or VERIFY_X509_TRUSTED_FIRST)", flags), -1;
	if (!strcasecmp(proto, "tls") || !strcasecmp(proto, "tls_client"))
		ver = TLS_VER_ANY;
	else if (!strcasecmp(proto, "tlsv1.2"))
		ver = TLS_VER_1_2;
	else if (!strcasecmp(proto, "tlsv1.3"))
		ver = TLS_VER_1_3;
	for (size_t i = 0; i < ARRAY_LEN(old); i++)
		if (!strcasecmp(proto, old[i]))
			ver = -2;
	if (ver == -1)
		return snprintf(err, errlen, "ssl.protocol: expected tls, tlsv1.2 or tlsv1.3, got '%s'",
				proto), -1;
	if (!dflt) {
		if (ver == -2)
			return snprintf(err, errlen, "ssl.protocol=%s: not supported (TLS 1.2 and 1.3 "
					"only)", proto), -1;
		o->min_version = o->max_version = ver;
		if (strcmp(ciphers, "ALL") && strcmp(ciphers, "DEFAULT"))
			o->ciphers = ciphers;
	}
	if (!o->insecure && strcmp(ca, "__sys__")) {
		if (stat(ca, &st) < 0)
			return snprintf(err, errlen, "ssl.ca: %s: %s", ca, strerror(errno)), -1;
		if (S_ISDIR(st.st_mode))
			o->ca_dir = ca;
		else
			o->ca_file = ca;
	} else if (b->ca_dir) {
		o->ca_dir = b->ca_dir;
	}
	if (!tls_available)
		return snprintf(err, errlen, "TLS is not supported by this build"), -1;
	/* a bad CA file or cipher name is the tool's failure: say so before probing */
	t = tls_new(o, err, errlen);
	if (!t)
		return -1;
	tls_free(t);
	return 0;
}
