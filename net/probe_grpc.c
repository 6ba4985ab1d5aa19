/* probe_grpc.c - the grpc probe: one call of grpc.health.v1.Health/Check (grpc's
 * doc/health-checking.md, doc/PROTOCOL-HTTP2.md) over HTTP/2 (net/h2.c): prior knowledge over
 * TCP or a unix socket, h2 by ALPN over TLS (RFC 9113 3.2, 3.3). Two phases with deadlines of
 * their own, as grpc_health_probe has them: connecting (TCP, TLS, the server's SETTINGS) and
 * the call; grpc.status, grpc.code, grpc.message, grpc.connect.time.*, grpc.rpc.time.*.
 */
//probe:IF_PROBE_GRPC(PROBE(grpc))
//kbuild:obj-$(CONFIG_PROBE_GRPC) += probe_grpc.o
//config:config PROBE_GRPC
//config:	bool "grpc probe (+12 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV || GRPC_HEALTH_PROBE
//config:	select PROBE
//config:	select H2
//config:	help
//config:	  gRPC health checks (grpc.health.v1.Health/Check) over HTTP/2,
//config:	  plain or TLS: conn-check's grpc checks, chksrv grpc and the
//config:	  grpc_health_probe applet. The HTTP/2 client and HPACK are inside.
#include "probe.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grpc.h"
#include "h2.h"
#include "../lib/util.h"

#define BODY_MAX 16384		/* DATA bytes of the response kept: far below our windows */
#define TEXT_MAX 255		/* authority, server name, user agent */

struct probe_grpc {
	struct probe_hp hp;		/* host: also a unix socket's path (no port then) */
	const char *service;
	int no_verify;
	const char *ca_file, *cert_file, *key_file, *server_name, *user_agent;
	double connect_timeout, rpc_timeout;	/* each phase's own, within the deadline */
	struct tls_opts o;		/* made by check() */
};

#define F(m, n, t, d) PROBE_F(struct probe_grpc, m, n, n, t, 0, d)
static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_grpc),
	F(service, "service", PF_STR, ""),
	F(hp.base.tls, "use_tls", PF_BOOL, NULL),
	F(no_verify, "disable_tls_verification", PF_BOOL, NULL),
	F(ca_file, "ca_file", PF_STR, NULL),
	F(cert_file, "cert_file", PF_STR, NULL),
	F(key_file, "key_file", PF_STR, NULL),
	F(server_name, "server_name", PF_STR, NULL),
	F(user_agent, "user_agent", PF_STR, "probebox/" PROBEBOX_VERSION),
	F(connect_timeout, "connect_timeout", PF_SECS, NULL),
	F(rpc_timeout, "rpc_timeout", PF_SECS, NULL),
};
#undef F

/* --- gRPC, pure (grpc.h) --------------------------------------------------------------------- */

/* as grpc-go's codes.Code String() spells them */
static const char code_names[] = "OK\0Canceled\0Unknown\0InvalidArgument\0DeadlineExceeded\0"
	"NotFound\0AlreadyExists\0PermissionDenied\0ResourceExhausted\0FailedPrecondition\0"
	"Aborted\0OutOfRange\0Unimplemented\0Internal\0Unavailable\0DataLoss\0Unauthenticated";

void grpc_code_goname(long code, char *buf, size_t len)
{
	const char *s = code_names;

	if (code < 0 || code > GRPC_UNAUTHENTICATED) {
		snprintf(buf, len, "Code(%ld)", code);
		return;
	}
	while (code--)
		s += strlen(s) + 1;
	str_copy(buf, len, s);
}

const char *grpc_health_name(long status)
{
	static const char *const names[] = { "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" };

	return status >= 0 && status < (long)ARRAY_LEN(names) ? names[status] : NULL;
}

long grpc_code_of_http(long status)
{
	switch (status) {
	case 400: return GRPC_INTERNAL;
	case 401: return GRPC_UNAUTHENTICATED;
	case 403: return GRPC_PERMISSION_DENIED;
	case 404: return GRPC_UNIMPLEMENTED;
	case 429: case 502: case 503: case 504: return GRPC_UNAVAILABLE;
	}
	return GRPC_UNKNOWN;
}

static void put_be32(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

size_t grpc_health_request(const char *service, unsigned char *out, size_t cap)
{
	size_t sl = strlen(service), vn = 0, m;
	unsigned char v[10];

	for (size_t x = sl;; x >>= 7) {
		v[vn++] = (unsigned char)(x > 0x7f ? 0x80 | (x & 0x7f) : x);
		if (x <= 0x7f)
			break;
	}
	m = sl ? 1 + vn + sl : 0;	/* proto3 leaves out a field at its default, "" */
	if (cap < 5 || m > cap - 5)
		return 0;
	out[0] = 0;			/* not compressed */
	put_be32(out + 1, m);
	if (sl) {
		out[5] = 0x0a;		/* field 1, length-delimited */
		memcpy(out + 6, v, vn);
		memcpy(out + 6 + vn, service, sl);
	}
	return 5 + m;
}

static int varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	*v = 0;
	for (unsigned s = 0; s < 64 && *p < end; s += 7) {
		unsigned b = *(*p)++;
		*v |= (uint64_t)(b & 0x7f) << s;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

int grpc_health_response(const unsigned char *p, size_t n, long *status, char *err, size_t errlen)
{
	const unsigned char *end;
	uint64_t len, key, v;

	if (n < 5)
		return snprintf(err, errlen, n ? "a response message cut short"
					       : "no response message"), -1;
	if (p[0])
		return snprintf(err, errlen, p[0] == 1 ? "a compressed response message (none was "
				"offered)" : "a bad message flag %u", p[0]), -1;
	len = (uint64_t)p[1] << 24 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 8 | p[4];
	if (len != n - 5)
		return snprintf(err, errlen, len > n - 5 ? "a response message cut short"
				: "more than one response message"), -1;
	*status = GRPC_HEALTH_UNKNOWN;
	for (p += 5, end = p + len; p < end;) {
		if (varint(&p, end, &key) < 0 || !(key >> 3))
			goto bad;
		switch (key & 7) {
		case 0:
			if (varint(&p, end, &v) < 0)
				goto bad;
			if (key >> 3 == 1)	/* status: an enum is an int32 */
				*status = (long)(int32_t)(uint32_t)v;
			break;
		case 1:
		case 5:
			if ((size_t)(end - p) < ((key & 7) == 1 ? 8u : 4u))
				goto bad;
			p += (key & 7) == 1 ? 8 : 4;
			break;
		case 2:
			if (varint(&p, end, &v) < 0 || v > (uint64_t)(end - p))
				goto bad;
			p += v;
			break;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, errlen, "a malformed HealthCheckResponse");
	return -1;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

void grpc_unpercent(const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	if (!cap)
		return;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)in[i], hi, lo;
		if (c == '%' && n - i > 2 && (hi = hexval((unsigned char)in[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)in[i + 2])) >= 0) {
			c = hi << 4 | lo;
			i += 2;
		}
		if (o + 1 == cap) {	/* no room for c: the end shows the cut */
			if (cap > 3)
				memcpy(out + cap - 4, "...", 4);
			return;
		}
		out[o++] = (char)c;
	}
	out[o] = 0;
}

/* --- the call -------------------------------------------------------------------------------- */

struct call {
	long http_status, code;		/* :status; grpc-status, -1: none */
	int ctype;			/* content-type is application/grpc[+...|;...] */
	char msg[512];			/* grpc-message, decoded */
	size_t blen;
	unsigned char body[5 + BODY_MAX];
	struct h2 h;
};

static int is(const char *name, size_t nl, const char *want)
{
	return nl == strlen(want) && !memcmp(name, want, nl);
}

/* a number of at most 9 digits, or -1 */
static long number(const char *v, size_t n)
{
	long x = 0;

	if (!n || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return -1;
		x = x * 10 + v[i] - '0';
	}
	return x;
}

static const char *on_field(void *arg, int block, const char *name, size_t nl, const char *value,
			    size_t vl)
{
	struct call *g = arg;

	if (block == 0 && is(name, nl, ":status")) {
		if ((g->http_status = number(value, vl)) < 100 || vl != 3)
			return "a malformed :status";
	} else if (block == 0 && is(name, nl, "content-type")) {
		g->ctype = vl >= 16 && !strncasecmp(value, "application/grpc", 16) &&
			   (vl == 16 || value[16] == '+' || value[16] == ';');
	} else if (is(name, nl, "grpc-status")) {
		if ((g->code = number(value, vl)) < 0)
			return "a malformed grpc-status";
	} else if (is(name, nl, "grpc-message")) {
		grpc_unpercent(value, vl, g->msg, sizeof(g->msg));
	}
	return NULL;
}

static const char *on_data(void *arg, const unsigned char *p, size_t n)
{
	struct call *g = arg;

	if (n > sizeof(g->body) - g->blen)
		return "a response message above 16384 bytes";
	memcpy(g->body + g->blen, p, n);
	g->blen += n;
	return NULL;
}

/* write what h2 queued, then read and hand it over until the server's SETTINGS arrived
 * (open) or the stream ended: 1; -1: the connection failed (c->err); -2: HTTP/2 did, -3: the
 * server closed it early (h->err) */
static int pump(struct conn *c, struct h2 *h, int open)
{
	for (;;) {
		unsigned char *p;
		size_t n;
		ssize_t r;
		int rc;

		if (open && h->state == H2_S_OPEN)
			return 1;
		if (h->outlen && conn_write(c, h->out, h->outlen) < 0)
			return -1;
		h->outlen = 0;
		p = h2_space(h, &n);
		if ((r = conn_read(c, p, n)) < 0)
			return -1;
		if (!r)
			return h2_eof(h), -3;
		if ((rc = h2_received(h, (size_t)r)) == H2_FAIL)
			return -2;
		if (rc == H2_DONE)
			return 1;
	}
}

static int64_t phase(int64_t deadline, double secs)
{
	int64_t d = secs > 0 ? deadline_in(secs) : deadline;

	return d < deadline ? d : deadline;
}

static size_t request(const struct probe_grpc *s, const char *authority, int64_t deadline,
		      unsigned char *b, size_t cap)
{
	size_t n = 0;
	char t[16];
	int ms = ms_left(deadline);

	/* grpc-timeout: at most 8 digits (PROTOCOL-HTTP2.md) */
	snprintf(t, sizeof(t), "%dm", ms > 99999999 ? 99999999 : ms);
	if (hpack_put_int(b, cap, &n, 7, 0x80, 3) < 0 ||			/* :method POST */
	    hpack_put_int(b, cap, &n, 7, 0x80, s->hp.base.tls ? 7 : 6) < 0 ||	/* :scheme */
	    hpack_put(b, cap, &n, 4, NULL, "/grpc.health.v1.Health/Check") < 0 ||
	    hpack_put(b, cap, &n, 1, NULL, authority) < 0 ||
	    hpack_put(b, cap, &n, 31, NULL, "application/grpc") < 0 ||
	    (*s->user_agent && hpack_put(b, cap, &n, 58, NULL, s->user_agent) < 0) ||
	    hpack_put(b, cap, &n, 0, "te", "trailers") < 0 ||
	    hpack_put(b, cap, &n, 0, "grpc-timeout", t) < 0)
		return 0;
	return n;
}

/* the call's outcome: grpc.code, grpc.message, grpc.status; 1 when SERVING */
static int verdict(struct call *g, struct record *r)
{
	char err[128];
	const char *name;
	long status = 0;

	if (g->code < 0) {	/* no grpc-status: grpc-go's reading of the HTTP response */
		if (!g->http_status)
			g->code = GRPC_INTERNAL, snprintf(g->msg, sizeof(g->msg), "no :status");
		else if (g->http_status != 200)
			g->code = grpc_code_of_http(g->http_status),
			snprintf(g->msg, sizeof(g->msg), "unexpected HTTP status code received from "
				 "server: %ld", g->http_status);
		else
			g->code = GRPC_INTERNAL,
			snprintf(g->msg, sizeof(g->msg), g->ctype ? "server closed the stream "
				 "without sending trailers" : "not a gRPC response (content-type)");
	} else if (!g->code && grpc_health_response(g->body, g->blen, &status, err,
						       sizeof(err)) < 0) {
		g->code = GRPC_INTERNAL;
		str_copy(g->msg, sizeof(g->msg), err);
	}
	record_set_int(r, "grpc.code", g->code);
	record_set_str(r, "grpc.message", g->msg);
	if (g->code) {		/* in grpc-go's words */
		grpc_code_goname(g->code, err, sizeof(err));
		probe_error(r, "rpc error: code = %s desc = %s", err, g->msg);
		return 0;
	}
	if ((name = grpc_health_name(status)))
		record_set_str(r, "grpc.status", name);
	else
		record_set_str(r, "grpc.status", (snprintf(err, sizeof(err), "%ld", status), err));
	if (status == GRPC_HEALTH_SERVING)
		return 1;
	probe_error(r, "service unhealthy (responded with \"%s\")", name ? name : err);
	return 0;
}

/* the call failed before an answer: the code grpc-go gives it */
static int broke(struct call *g, struct conn *c, int rc, struct record *r)
{
	static const unsigned char rst_code[] = {
		[H2_FLOW_CONTROL_ERROR] = GRPC_RESOURCE_EXHAUSTED, [H2_REFUSED_STREAM] = GRPC_UNAVAILABLE,
		[H2_CANCEL] = GRPC_CANCELLED, [H2_ENHANCE_YOUR_CALM] = GRPC_RESOURCE_EXHAUSTED,
		[H2_INADEQUATE_SECURITY] = GRPC_PERMISSION_DENIED, [H2_HTTP_1_1_REQUIRED] = 0,
	};
	struct h2 *h = &g->h;

	if (rc == -1) {
		g->code = c->err == CONN_E_TIMEOUT ? GRPC_DEADLINE_EXCEEDED : GRPC_UNAVAILABLE;
		str_copy(g->msg, sizeof(g->msg), c->errmsg);
	} else if (h->rst) {
		const char *n = h2_error_name(h->rst_code);
		g->code = h->rst_code < sizeof(rst_code) && rst_code[h->rst_code] ?
			  rst_code[h->rst_code] : GRPC_INTERNAL;
		snprintf(g->msg, sizeof(g->msg), "stream terminated by RST_STREAM with error code: %s",
			 n ? n : "unknown");
	} else {
		g->code = h->goaway || rc == -3 ? GRPC_UNAVAILABLE : GRPC_INTERNAL;
		str_copy(g->msg, sizeof(g->msg), h->err);
	}
	return verdict(g, r);
}

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_grpc *s = spec;
	const char *host = s->hp.host;
	const char *const texts[] = { s->server_name, s->user_agent };

	if (!host || !*host || (*host != '/' && !s->hp.port))
		return snprintf(err, errlen, "host and port needed"), -1;
	if (strlen(s->service) > GRPC_SERVICE_MAX)
		return snprintf(err, errlen, "service: longer than %d bytes", GRPC_SERVICE_MAX), -1;
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		if (texts[i] && strlen(texts[i]) > TEXT_MAX)
			return snprintf(err, errlen, "server_name and user_agent: at most %d bytes",
					TEXT_MAX), -1;
	if (!s->cert_file != !s->key_file)
		return snprintf(err, errlen, "cert_file and key_file go together"), -1;
	memset(&s->o, 0, sizeof(s->o));
	if (!s->hp.base.tls)	/* the TLS fields are not used */
		return 0;
	s->o.ca_file = s->ca_file;
	s->o.cert_file = s->cert_file;
	s->o.key_file = s->key_file;
	s->o.alpn = "h2";
	return probe_tls_options(&s->o, &s->hp.base, s->server_name ? s->server_name :
				 *host == '/' ? "localhost" : host, s->no_verify, "CERT_REQUIRED",
				 "__sys__", "tls", "ALL", "VERIFY_DEFAULT", 1, err, errlen);
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_grpc *s = spec;
	struct call *g;
	struct conn c;
	struct probe_stamp st = probe_stamp();
	const struct h2_cb cb = { on_field, on_data, NULL };
	unsigned char block[1024], msg[5 + GRPC_SERVICE_MAX + 8];
	char port[8], auth[TEXT_MAX + 8];
	int64_t rd;
	size_t bl, ml;
	int ok = 0, rc;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (*s->hp.host == '/' ? !probe_connect_unix(&c, s->hp.host, phase(deadline,
						       s->connect_timeout), r)
	    : !probe_connect(&s->hp.base, &c, s->hp.host, port, phase(deadline, s->connect_timeout),
			     r))
		return 0;
	/* h2 by ALPN: a server that chose another protocol fails at the SETTINGS */
	if (s->hp.base.tls &&
	    (!probe_starttls(&c, &s->o, r) || !probe_tls_verdict(&c, &s->o, !s->no_verify, r)))
		goto out;
	g = xzalloc(sizeof(*g));
	g->code = -1;
	h2_init(&g->h, &cb);
	g->h.cb.arg = g;
	if ((rc = pump(&c, &g->h, 1)) < 0) {
		if (rc < -1)
			probe_error(r, "%s", g->h.err);
		else if (c.err == CONN_E_TIMEOUT)
			probe_error(r, "%s, waiting for the server's HTTP/2 SETTINGS", c.errmsg);
		else
			probe_error(r, "%s", c.errmsg);
		free(g);
		goto out;
	}
	probe_times(r, "grpc.connect.time", st);
	st = probe_stamp();
	c.deadline = rd = phase(deadline, s->rpc_timeout);
	/* :authority as grpc-go sends it: the server name, or the target */
	if (s->server_name || *s->hp.host == '/')
		str_copy(auth, sizeof(auth), s->server_name ? s->server_name : "localhost");
	else
		probe_hostport(auth, sizeof(auth), s->hp.host, port);
	bl = request(s, auth, rd, block, sizeof(block));
	ml = grpc_health_request(s->service, msg, sizeof(msg));
	if (h2_request(&g->h, block, bl, msg, ml) < 0)
		rc = -2;
	else
		rc = pump(&c, &g->h, 0);
	ok = rc == 1 ? verdict(g, r) : broke(g, &c, rc, r);
	probe_times(r, "grpc.rpc.time", st);
	free(g);
out:
	conn_close(&c);
	return ok;
}

static void target(const void *spec, char *buf, size_t len)
{
	const struct probe_grpc *s = spec;

	if (*s->hp.host == '/')
		str_copy(buf, len, s->hp.host);
	else
		probe_hp_target(spec, buf, len);
}

const struct probe_type probe_grpc = {
	.name = "grpc",
	.layout = PL_TCP_FIRST,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_grpc),
	.check = check,
	.run = run,
	.target = target,
};
