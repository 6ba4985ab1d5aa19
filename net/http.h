/* http.h - HTTP/1.1 client: a bounded response parser that is a pure function over bytes,
 * and a client that drives it over net/conn with redirects, proxies and authentication.
 *
 * RFC 9110 (semantics), RFC 9112 (HTTP/1.1 message syntax: status line, fields, obs-fold,
 * chunked coding, message body length), RFC 3986 (URLs, see url.h), RFC 9111 is not used
 * (no cache), RFC 7617 (Basic), RFC 7616 (Digest, MD5 and SHA-256, qop=auth),
 * RFC 9110 section 9.3.6 (CONNECT tunnels). Knows nothing about applets.
 */
#ifndef PB_HTTP_H
#define PB_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conn.h"
#include "url.h"

#define HTTP_LINE_MAX 8192	/* longest status, header, chunk-size or trailer line */
#define HTTP_HEADERS_MAX 100	/* header fields per response (trailers count too) */
#define HTTP_HDR_BYTES 65536	/* all stored header text of one response */
#define HTTP_INTERIM_MAX 16	/* 1xx responses skipped before a final one */
#define HTTP_BODY_DEFAULT (1024 * 1024)	/* body bytes kept unless the caller says otherwise */
#define HTTP_ERR_MAX 512

/* --- the parser: feed it bytes, in pieces of any size ----------------------------------- */

struct http_field {
	uint32_t name, value;	/* offsets into hbuf, NUL-terminated */
};

struct http_parser {
	/* set by http_parser_init() */
	int head;		/* the request was HEAD: no body whatever the headers say */
	int connect;		/* the request was CONNECT: a 2xx ends at the headers */
	/* body bytes (chunked coding removed) as they are parsed; NULL: count only */
	void (*on_body)(void *arg, const unsigned char *p, size_t n);
	void *arg;

	/* the result */
	int state;
	int major, minor, status;	/* of the final response */
	int64_t content_length;		/* -1 when none was given */
	int chunked;			/* the body was chunked */
	uint64_t body_bytes;		/* body bytes delivered so far */
	int interim;			/* 1xx responses skipped */
	size_t consumed;		/* bytes fed so far that belong to the message */
	char err[160];			/* why parsing failed */

	size_t nfields;
	struct http_field field[HTTP_HEADERS_MAX];
	int ntrailers;
	uint64_t remaining;		/* of a Content-Length body or the current chunk */
	size_t hlen;
	char hbuf[HTTP_HDR_BYTES];	/* status text, then name\0value\0 ... */
	size_t llen;
	char line[HTTP_LINE_MAX + 3];	/* the line being assembled, CR LF NUL */
};

enum { HTTP_NEED_MORE = 0, HTTP_DONE = 1, HTTP_ERROR = -1 };

void http_parser_init(struct http_parser *p, int head, int connect);
/* parse len bytes; HTTP_NEED_MORE when all were consumed and the message goes on,
 * HTTP_DONE when it is complete (*used says how many bytes were part of it),
 * HTTP_ERROR with p->err. used MAY be NULL. */
int http_parse(struct http_parser *p, const unsigned char *buf, size_t len, size_t *used);
/* the peer closed the connection: HTTP_DONE if that ends the message (a body read until
 * close), HTTP_ERROR with p->err if it came too early */
int http_parse_eof(struct http_parser *p);
/* 1 once the headers of the final (non-1xx) response are complete */
int http_parse_headers_done(const struct http_parser *p);
/* "200 OK" as the server wrote it (after the protocol, leading spaces trimmed) */
const char *http_status_text(const struct http_parser *p);
/* value of the first field named name (case-insensitive) after *iter, NULL when none;
 * iter MAY be NULL, else start it at 0 and call again for the next one */
const char *http_field(const struct http_parser *p, const char *name, size_t *iter);

/* --- authentication ---------------------------------------------------------------------- */

enum { HTTP_AUTH_BASIC = 1, HTTP_AUTH_DIGEST = 2 };

struct http_challenge {
	int scheme;			/* HTTP_AUTH_*, 0: a scheme we do not speak */
	int sha256;			/* Digest algorithm SHA-256 (else MD5) */
	int sess;			/* the -sess variant */
	int qop_auth;			/* qop offered and includes "auth" */
	int qop_other;			/* qop offered without "auth" (auth-int only) */
	char realm[256], nonce[256], opaque[256];
};

/* parse one WWW-Authenticate / Proxy-Authenticate value (it may hold several challenges);
 * returns how many were stored into ch (at most max) */
size_t http_auth_parse(const char *value, struct http_challenge *ch, size_t max);
/* "Digest username=..., response=..." for method and uri; cnonce given by the caller;
 * -1 when it does not fit */
int http_digest_auth(const struct http_challenge *c, const char *user, const char *pass,
		     const char *method, const char *uri, const char *cnonce, unsigned nc,
		     char *out, size_t outlen);
/* "Basic dXNlcjpwYXNz"; -1 when it does not fit */
int http_basic_auth(const char *user, const char *pass, char *out, size_t outlen);

/* --- the client ------------------------------------------------------------------------- */

/* --connect-to HOST1:PORT1:HOST2:PORT2: empty HOST1/PORT1 match any, empty HOST2/PORT2
 * keep what was there; hosts without [] */
struct http_connect_to {
	char host1[URL_HOST_MAX], port1[8], host2[URL_HOST_MAX], port2[8];
};
/* 0, or -1 for a malformed mapping */
int http_connect_to_parse(const char *s, struct http_connect_to *m);

/* "Name: value" as a user would give it: 0, or -1 with the reason */
int http_field_check(const char *line, char *err, size_t errlen);
/* 1 if method is an RFC 9110 token */
int http_method_ok(const char *method);

/* the proxy the environment names for u (http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY,
 * no_proxy/NO_PROXY); NULL when none applies. Loopback hosts are never proxied unless
 * loopback is set. */
const char *http_proxy_from_env(const struct url *u, int loopback);

struct http_request {
	const char *method;		/* NULL: GET */
	const char *url;
	const char *const *fields;	/* "Name: value" lines (checked); Host: overrides the
					 * Host header while the request stays on that host */
	size_t nfields;
	const char *user_agent;		/* sent unless a User-Agent field is given (each applet
					 * sends its original's default); NULL: none */
	const char *body;		/* NULL: none; sent with Content-Length */
	size_t body_len;
	const char *user, *password;	/* NULL: the URL's userinfo, if any */
	unsigned auth;			/* HTTP_AUTH_* the client may answer with; BASIC is sent
					 * up front, DIGEST answers a 401 challenge */
	int max_redirects;		/* redirects followed at most (0: none) */
	const char *proxy;		/* "http://[user:pass@]host[:port]"; NULL: from the
					 * environment; "": never */
	int proxy_loopback;		/* environment proxies apply to loopback hosts too */
	const struct http_connect_to *connect_to;
	size_t nconnect_to;
	const char *unix_socket;	/* connect to this unix stream socket instead (curl's
					 * --unix-socket): the URL still gives Host: and the
					 * target; no proxy, no connect_to. NULL: TCP */
	struct conn_opts conn;		/* family, source address */
	struct tls_opts tls;		/* zeroed: every hop is verified, and a certificate that
					 * does not pass fails the fetch (CONN_E_CERT, whatever
					 * .defer_verify says); .insecure: no verification.
					 * .host is set for each hop from its URL */
	/* the TLS verdict of each hop, after a completed handshake: the TLS_V_* flags that fail
	 * the fetch. NULL: tls_verify_result() (the chain and the name, as the backend checked
	 * them, nothing when .tls.insecure) */
	unsigned (*tls_judge)(const void *arg, struct tls *t, const struct tls_peer *p,
			      const char *host);
	const void *tls_arg;
	size_t body_max;		/* body bytes kept; 0: HTTP_BODY_DEFAULT */
	int body_max_fail;		/* a longer body is an error, not just cut */
	int64_t deadline;		/* absolute, mono_ms(): the whole fetch ends by it */
};

struct http_result {
	enum conn_err err;		/* CONN_OK: resp holds a response */
	char errmsg[HTTP_ERR_MAX];	/* "dial tcp 127.0.0.1:1: connection refused" */
	char url[URL_MAX];		/* of the last hop, without userinfo */
	struct http_parser *resp;	/* the final response (heap), NULL before one */
	unsigned char *body;		/* at most body_max bytes, NUL-terminated (heap) */
	size_t body_len;
	int body_truncated;		/* the body went on past body_max and was not read */
	int body_incomplete;		/* reading the body failed: err and errmsg say why */
	int redirects;
	int tls;			/* the last hop used TLS */
	unsigned tls_verify;		/* TLS_V_* of the last hop (0 when it passed or tls.insecure) */
	struct tls_peer peer;		/* its certificate */
	/* where the last hop failed (HTTP_STAGE_*, 0: it did not) and why, in the step's own
	 * words without errmsg's "dial tcp HOST:PORT: " framing ("connection refused") */
	int stage;
	char cause[HTTP_ERR_MAX];
	int family;			/* of the last hop's address (AF_INET, AF_INET6, 0: none) */
	/* seconds; connect and tls are the last hop's, the others count from the start */
	double t_connect, t_tls, t_first_byte, t_headers, t_total;
};

enum { HTTP_STAGE_CONNECT = 1, HTTP_STAGE_TLS, HTTP_STAGE_SEND, HTTP_STAGE_RESPONSE, HTTP_STAGE_BODY };

/* run the request; 0 with a response (its body may be incomplete: body_incomplete), -1 with
 * err and errmsg when there is no response at all */
int http_fetch(const struct http_request *rq, struct http_result *res);
void http_result_free(struct http_result *res);

#endif
