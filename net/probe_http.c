/* probe_http.c - the http probe (alias https): one request through the HTTP/1.1 client
 * (net/http: RFC 9110, 9112), the response into http.resp.* as chksrv names it, with the
 * connection's tcp.* and, for https, ssl.* keys. The status is not judged here: that is the
 * front end's (conn-check's expected_code, check-http's -s, chksrv's -e).
 */
//probe:IF_PROBE_HTTP(PROBE(http))
//kbuild:obj-$(CONFIG_PROBE_HTTP) += probe_http.o
//config:config PROBE_HTTP
//config:	bool
//config:	select PROBE
//config:	select HTTP
//config:	help
//config:	  An HTTP or HTTPS request. conn-check's http checks, chksrv http,
//config:	  check-http.
#include "probe.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoconf.h"
#include "http.h"
#include "../lib/util.h"

struct probe_http {
	struct probe_base base;
	const char *url, *method;
	struct probe_bytes body;
	struct probe_list headers;	/* "Name: value" */
	const char *user, *password;
	int digest;			/* answer a Digest challenge (else Basic, sent at once) */
	int answer_digest;		/* Basic sent at once, and a Digest challenge answered */
	const char *proxy;		/* "http://[user:pass@]host:port"; NULL: the environment's */
	struct probe_list connect_to;	/* "HOST1:PORT1:HOST2:PORT2" */
	int allow_redirects;
	long max_redirects;		/* with allow_redirects */
	int no_verify;
	const char *verify_mode, *ca, *protocol, *ciphers, *verify_flags;
	int check_hostname, use_default_context;
	/* beyond chksrv's ssl.* (ssl.protocol with use_default_context false wins over
	 * tls_min); for every https hop, also one a redirect from http leads to */
	const char *ca_file, *cert_file, *key_file, *tls_min;
	/* above RECORD_MAX_STR, the front end raises the record's max_str (and max_bytes) */
	long body_max;
	const char *user_agent;		/* "": none */
	/* made by check() */
	struct http_request rq;
	struct http_connect_to *cts;
	struct url u;
	char shown[URL_MAX];
};

#define F(m, y, p, t, fl, d) PROBE_F(struct probe_http, m, y, p, t, fl, d)
static const struct probe_field fields[] = {
	F(url, "url", NULL, PF_STR, PF_REQUIRED | PF_SECRET, NULL),
	F(method, "method", "http.method", PF_STR, 0, "GET"),
	F(body, "body", "http.body", PF_BYTES, PF_SECRET, NULL),
	F(headers, "headers", NULL, PF_LIST, PF_SECRET, NULL),
	F(user, "user", NULL, PF_STR, 0, NULL),
	F(password, "password", NULL, PF_STR, PF_SECRET, NULL),
	F(digest, "digest", NULL, PF_BOOL, 0, NULL),
	F(answer_digest, "answer_digest", NULL, PF_BOOL, 0, NULL),
	F(proxy, "proxy_url", NULL, PF_STR, PF_SECRET, NULL),
	F(connect_to, "connect_to", NULL, PF_LIST, 0, NULL),
	F(base.conn.source, "source_address", NULL, PF_STR, 0, NULL),
	F(allow_redirects, "allow_redirects", NULL, PF_BOOL, 0, NULL),
	PROBE_FI(struct probe_http, max_redirects, "max_redirects", NULL, "30", 0, 1000),
	F(no_verify, "disable_tls_verification", NULL, PF_BOOL, 0, NULL),
	F(verify_mode, NULL, "ssl.verify_mode", PF_STR, 0, "CERT_OPTIONAL"),
	F(check_hostname, NULL, "ssl.check_hostname", PF_BOOL, 0, "true"),
	F(ca, NULL, "ssl.ca", PF_STR, 0, "__sys__"),
	F(protocol, NULL, "ssl.protocol", PF_STR, 0, "tls"),
	F(ciphers, NULL, "ssl.ciphers", PF_STR, 0, "ALL"),
	F(verify_flags, NULL, "ssl.verify_flags", PF_STR, 0, "VERIFY_DEFAULT"),
	F(use_default_context, NULL, "ssl.use_default_context", PF_BOOL, 0, "true"),
	F(ca_file, "ca_file", NULL, PF_STR, 0, NULL),
	F(cert_file, "cert_file", NULL, PF_STR, 0, NULL),
	F(key_file, "key_file", NULL, PF_STR, 0, NULL),
	F(tls_min, "tls_min_version", NULL, PF_STR, 0, NULL),
	PROBE_FI(struct probe_http, body_max, "max_body", NULL, "1048576", 0, 1L << 30),
	F(user_agent, "user_agent", NULL, PF_STR, 0, "probebox/" PROBEBOX_VERSION),
};
#undef F

size_t probe_http_header_key(const char *name, char *out, size_t cap)
{
	static const char pre[] = "http.resp.header.";
	size_t n = sizeof(pre) - 1, l = strlen(name);

	if (!l || n + l + 1 > cap)
		return 0;
	memcpy(out, pre, n);
	for (size_t i = 0; i < l; i++) {
		char c = (char)tolower((unsigned char)name[i]);
		out[n++] = c == '-' || c == ' ' ? '_' : c;
	}
	out[n] = 0;
	return n;
}

static unsigned judge(const void *arg, struct tls *t, const struct tls_peer *p, const char *host)
{
	const struct probe_http *s = arg;

	return probe_tls_flags(t, p, host, s->check_hostname && !s->no_verify);
}

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_http *s = spec;
	struct http_request *rq = &s->rq;
	char e[160];

	if (url_parse(&s->u, s->url, e, sizeof(e)) < 0) {
		char shown[URL_MAX];
		url_redact(s->url, shown, sizeof(shown));
		return snprintf(err, errlen, "bad URL %s: %s", shown, e), -1;
	}
	url_format(&s->u, s->shown, sizeof(s->shown));
	/* a scheme other than http and https fails the fetch ("unsupported protocol scheme"),
	 * as one a redirect leads to does; a front end that wants it as bad usage says so */
	if (!http_method_ok(s->method))
		return snprintf(err, errlen, "invalid method '%s'", s->method), -1;
	for (size_t i = 0; i < s->headers.n; i++)
		if (http_field_check(s->headers.v[i], e, sizeof(e)) < 0)
			return snprintf(err, errlen, "bad header: %s", e), -1;
	free(s->cts);
	s->cts = xzalloc(sizeof(*s->cts) * (s->connect_to.n + 1));
	for (size_t i = 0; i < s->connect_to.n; i++)
		if (http_connect_to_parse(s->connect_to.v[i], &s->cts[i]) < 0)
			return snprintf(err, errlen, "connect_to: expected HOST1:PORT1:HOST2:PORT2, "
					"got '%s'", s->connect_to.v[i]), -1;
	if (!s->cert_file != !s->key_file)
		return snprintf(err, errlen, "cert_file and key_file go together"), -1;
	memset(rq, 0, sizeof(*rq));
	if (s->tls_min && strcmp(s->tls_min, "1.2") && strcmp(s->tls_min, "1.3"))
		return snprintf(err, errlen, "tls_min_version: expected 1.2 or 1.3, got '%s'",
				s->tls_min), -1;
	if (s->tls_min)
		rq->tls.min_version = s->tls_min[2] == '3' ? TLS_VER_1_3 : TLS_VER_1_2;
	rq->tls.insecure = s->no_verify;
	rq->tls.ca_file = s->ca_file;
	rq->tls.cert_file = s->cert_file;
	rq->tls.key_file = s->key_file;
	if (!strcmp(s->u.scheme, "https") &&
	    probe_tls_options(&rq->tls, &s->base, s->u.host, s->no_verify, s->verify_mode, s->ca,
			      s->protocol, s->ciphers, s->verify_flags, s->use_default_context, err,
			      errlen) < 0)
		return -1;
	rq->tls.host = NULL;	/* each hop's own */
	rq->tls_judge = judge;
	rq->tls_arg = s;
	rq->method = s->method;
	rq->url = s->url;
	rq->fields = s->headers.v;
	rq->nfields = s->headers.n;
	rq->body = s->body.p;
	rq->body_len = s->body.len;
	rq->user = s->user;
	rq->password = s->password;
	rq->auth = s->digest ? HTTP_AUTH_DIGEST
			     : HTTP_AUTH_BASIC | (s->answer_digest ? HTTP_AUTH_DIGEST : 0);
	rq->max_redirects = s->allow_redirects ? (int)s->max_redirects : 0;
	rq->proxy = s->proxy;
	rq->connect_to = s->cts;
	rq->nconnect_to = s->connect_to.n;
	rq->conn = s->base.conn;
	rq->user_agent = s->user_agent && *s->user_agent ? s->user_agent : NULL;
	rq->body_max = (size_t)s->body_max;
	return 0;
}

static void rec_ssl(struct record *r, const struct http_result *res, const struct probe_http *s)
{
	const struct tls_peer *p = &res->peer;

	record_set_bool(r, "ssl.success", res->stage != HTTP_STAGE_TLS);
	record_set_float(r, "ssl.handshake.time.perf", res->t_tls);
	probe_cert(r, p);
	record_set_str(r, "ssl.con.cipher", p->cipher);
	record_set_str(r, "ssl.con.protocol", p->version);
	record_set_str(r, "ssl.con.ssl_version", p->version);
	record_set_str(r, "ssl.con.server_hostname", s->u.host);
	/* without TLS the peer is the empty one, which matches no name */
	record_set_bool(r, "ssl.con.cert.matches_hostname",
			ENABLE_TLS && tls_name_matches(s->u.host, p->sans, p->subject_cn));
}

/* 0, or -1 with error recorded when the body does not fit in the record */
static int rec_response(struct record *r, const struct http_result *res)
{
	const struct http_parser *p = res->resp;
	const char *st = http_status_text(p), *sp = strchr(st, ' ');
	char key[RECORD_MAX_KEY + 1], *line;
	struct sbuf b;
	int rc = 0;

	record_set_int(r, "http.resp.status", p->status);
	record_set_str(r, "http.resp.reason", sp ? sp + 1 : "");
	record_set_int(r, "http.resp.version", p->major * 10 + p->minor);
	/* "HTTP/1.1 200 OK", the status text as the server wrote it (check-http prints it) */
	line = xmalloc(strlen(st) + 2 * FMT_LONG_MAX + 8);
	sbuf_init(&b, line, strlen(st) + 2 * FMT_LONG_MAX + 8);
	sbuf_add(&b, "HTTP/", 5);
	sbuf_long(&b, p->major);
	sbuf_add(&b, ".", 1);
	sbuf_long(&b, p->minor);
	sbuf_add(&b, " ", 1);
	sbuf_puts(&b, st);
	record_set_strn(r, "http.resp.status_line", b.p, b.len);
	free(line);
	for (size_t i = 0; i < p->nfields; i++)
		if (probe_http_header_key(p->hbuf + p->field[i].name, key, sizeof(key)))
			record_append_str(r, key, p->hbuf + p->field[i].value);
	if (p->content_length >= 0)
		record_set_int(r, "http.resp.content_length", p->content_length);
	else
		record_set_none(r, "http.resp.content_length");
	if (record_set_strn(r, "http.resp.body", (const char *)res->body, res->body_len) < 0) {
		probe_error(r, "a body of %zu bytes does not fit in the record", res->body_len);
		rc = -1;
	}
	record_set_int(r, "http.resp.body_length", (int64_t)p->body_bytes);
	if (res->body_truncated)
		record_set_bool(r, "http.resp.body_truncated", 1);
	record_set_float(r, "http.resp.time.perf", res->t_headers);
	record_set_int(r, "http.redirects", res->redirects);
	return rc;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_http *s = spec;
	struct http_request rq = s->rq;
	struct http_result res;
	int rc, ok, fits = 1;

	rq.deadline = deadline;
	rc = http_fetch(&rq, &res);
	if (res.stage != HTTP_STAGE_CONNECT && res.t_connect > 0) {
		record_set_bool(r, "tcp.success", 1);
		record_set_bool(r, "tcp.ipv6", res.family == AF_INET6);
		record_set_float(r, "tcp.con.time.perf", res.t_connect);
	} else if (res.stage == HTTP_STAGE_CONNECT) {
		record_set_bool(r, "tcp.success", 0);
		record_set_bool(r, "tcp.ipv6", res.family == AF_INET6);
	}
	if (res.tls || res.stage == HTTP_STAGE_TLS)
		rec_ssl(r, &res, s);
	if (res.stage == 0 || res.stage >= HTTP_STAGE_SEND)
		record_set_bool(r, "http.success", 0);
	if (rc == 0 && res.resp)
		fits = rec_response(r, &res) == 0;
	/* the last hop's URL, also of a failure: the one Go's client names ("Get \"URL\": ...") */
	if (res.url[0])
		record_set_str(r, "http.url", res.url);
	ok = rc == 0 && !res.body_incomplete;
	if (ok && fits) {
		record_set_bool(r, "http.success", 1);
	} else if (!ok) {
		static const char *const pre[] = { [HTTP_STAGE_SEND] = "sending the request: ",
						   [HTTP_STAGE_RESPONSE] = "reading the response: ",
						   [HTTP_STAGE_BODY] = "reading the body: " };
		const char *p = res.stage >= HTTP_STAGE_SEND ? pre[res.stage] : "";
		/* the reason in the probe's words; the client's own framing for those who want it */
		if (res.stage)
			probe_error(r, "%s%s", p, res.cause);
		else
			probe_error(r, "%s", res.errmsg);
		record_set_str(r, "http.error", probe_printable(res.errmsg));
		record_set_int(r, "http.error_class", res.err);
	}
	http_result_free(&res);
	return ok && fits;
}

static void target(const void *spec, char *buf, size_t len)
{
	const struct probe_http *s = spec;

	str_copy(buf, len, s->shown);
}

const struct probe_type probe_http = {
	.name = "http",
	.aliases = "https",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_http),
	.check = check,
	.run = run,
	.target = target,
};
