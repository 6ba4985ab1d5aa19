/* probe.h - every check is a probe: a spec goes in, a result record comes out.
 *
 * A probe type is one file in net/ (probe_NAME.c) that carries, in column 0,
 *   //probe:IF_PROBE_NAME(PROBE(name))   its line of the probe table (build/gen/probes.h)
 *   //kbuild:obj-$(CONFIG_PROBE_NAME) += probe_name.o
 *   //config:config PROBE_NAME ...       its Kconfig symbol, with the measured "(+N kB)"
 * and defines `const struct probe_type probe_name`: its name and aliases, a table of fields
 * and run(). The fields are the probe's options with both of their spellings: conn-check's
 * YAML key and chksrv's -p parameter; the front ends set them from text through
 * probe_set(), so adding a protocol touches its file, its Kconfig lines and its tests.
 *
 * run() fills the record (lib/record.h) with the protocol's keys, named as chksrv names them
 * (tcp.success, ssl.con.cert.notAfter, http.resp.status, redis.role, ...), and always
 * `error`: None, or the human reason of the failure. It returns 1 when the probe succeeded.
 * Every wait ends by the deadline. Nothing here knows which applet called.
 */
#ifndef PB_PROBE_H
#define PB_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "../lib/record.h"

enum probe_ftype {
	PF_STR,		/* const char *, NUL-terminated */
	PF_BYTES,	/* struct probe_bytes: may hold NULs (a UDP payload) */
	PF_INT,		/* long, within [min, max] */
	PF_BOOL,	/* int: true/false, yes/no, on/off, 1/0 (any case) */
	PF_SECS,	/* double seconds, above 0 */
	PF_LIST,	/* struct probe_list: every probe_set() adds one value (headers) */
};

#define PF_SECRET	1u	/* never printed: passwords, tokens, credentials */
#define PF_REQUIRED	2u	/* probe_check() fails without it */
#define PF_AUTH		4u	/* given, it makes the check an authenticated one (conn-check's
				 * "connect with auth") */

struct probe_bytes {
	const char *p;
	size_t len;
};

struct probe_list {
	const char **v;
	size_t n;
};

struct probe_field {
	const char *name;	/* the YAML key (conn-check), NULL: none */
	const char *param;	/* the -p parameter (chksrv), NULL: none */
	unsigned char type;	/* enum probe_ftype */
	unsigned char flags;	/* PF_* */
	unsigned short off;	/* offsetof() in the probe's spec struct */
	const char *def;	/* default, as text; NULL: zero */
	long min, max;		/* PF_INT */
};

/* what every spec starts with: what the front end decides for all probes */
struct probe_base {
	struct conn_opts conn;	/* address family, Happy Eyeballs preference, source address */
	const char *ca_dir;	/* CA certificates for TLS (conn-check --tls-certs-path); NULL */
	int tls;		/* the connection starts with TLS (https, ssl, use_tls) */
};

/* how conn-check names a probe's sub-checks (reference compat 2.3); the TCP and TLS steps
 * are the tcp and tls probes on the spec's host and port */
enum probe_layout {
	PL_ONE,		/* one step, NAME:TARGET */
	PL_TCP_FIRST,	/* tcp:H:P, then tls:H:P when base.tls, then NAME:H:P (amqp, smtp,
			 * postgres: no tcp step when the host is a unix-socket directory);
			 * info "user USERNAME" from the "username" field */
	PL_PREFIXED,	/* NAME:H:P:tcp:H:P, then NAME:H:P:connect, or NAME:H:P:connect with
			 * auth when a PF_AUTH field is set (redis, memcache, mongodb) */
	PL_SINGLE,	/* one step, NAME:TARGET, as PL_ONE, but also a chksrv module: a probe
			 * with a transport of its own, whose host is not what it connects to
			 * (dns: the name asked about; no tcp step) */
};

struct probe_type {
	const char *name;
	const char *aliases;	/* other names, space-separated ("ssl"); NULL: none */
	unsigned char layout;	/* enum probe_layout, for conn-check */
	const struct probe_field *fields;
	size_t nfields;
	size_t size;		/* of the spec struct, which starts with struct probe_base */
	/* a check of the probe's own (a valid port, a parsable URL) after the fields are set:
	 * 0, or -1 with err (the front end says where); NULL: none */
	int (*check)(void *spec, char *err, size_t errlen);
	int (*run)(const void *spec, int64_t deadline, struct record *r);
	/* "host:port", a unix path or the URL without userinfo: for names and labels */
	void (*target)(const void *spec, char *buf, size_t len);
};

/* the types built in, NULL-terminated, in the order of build/gen/probes.h */
extern const struct probe_type *const probe_types[];

/* the type of name or alias, NULL when none */
const struct probe_type *probe_find(const char *name);
/* a spec with every default set (exits on ENOMEM, as xmalloc) */
void *probe_spec_new(const struct probe_type *t);
/* the field of t called name: its YAML key (param 0) or its -p name (param 1); NULL: none */
const struct probe_field *probe_field(const struct probe_type *t, const char *name, int param);
/* set f from text (len bytes; PF_BYTES keeps NULs): 0, or -1 with err ("expected a port
 * (1 to 65535), got 'x'"). Strings are referenced, not copied: they must outlive the spec. */
int probe_set(void *spec, const struct probe_field *f, const char *text, size_t len, char *err,
	      size_t errlen);
/* every PF_REQUIRED field was set, then the type's own check: 0, or -1 with err */
int probe_ready(const struct probe_type *t, void *spec, char *err, size_t errlen);
/* Secrets (PF_SECRET fields, a password) come from one of three sources: the text itself,
 * the environment variable it names, or the file it names (one trailing newline dropped).
 * The key NAME_env / NAME_file (YAML) or PARAM_env / PARAM_file (-p) of a PF_SECRET field
 * NAME says which: probe_field_src() finds the field of such a key and its source. */
enum probe_src { PS_TEXT, PS_ENV, PS_FILE };
const struct probe_field *probe_field_src(const struct probe_type *t, const char *name, int param,
					  enum probe_src *src);
/* probe_set() of the value from src; the value read from a file is kept for the process's
 * life; a missing variable or an unreadable file is -1 with err (never the value) */
int probe_set_src(void *spec, const struct probe_field *f, enum probe_src src, const char *text,
		  size_t len, char *err, size_t errlen);
/* whether f was set by probe_set (not only its default) */
int probe_isset(const void *spec, const struct probe_field *f);

/* run the probe: `success` and `error` first, then the probe's own keys; 1 on success */
int probe_run(const struct probe_type *t, const void *spec, int64_t deadline, struct record *r);

/* --- for the probes ----------------------------------------------------------------------- */

/* a probe's own field table entry: PROBE_FIELD(struct probe_tcp, host, "host", NULL, PF_STR, ...) */
#define PROBE_F(st, member, yaml, prm, ty, fl, dflt) \
	{ yaml, prm, ty, fl, (unsigned short)offsetof(st, member), dflt, 0, 0 }
#define PROBE_FI(st, member, yaml, prm, dflt, lo, hi) \
	{ yaml, prm, PF_INT, 0, (unsigned short)offsetof(st, member), dflt, lo, hi }

/* monotonic + CPU stamps for the KEY.perf / KEY.process pairs chksrv records */
struct probe_stamp {
	double mono, cpu;
};
struct probe_stamp probe_stamp(void);
void probe_times(struct record *r, const char *key, struct probe_stamp since);
/* record "error" (printf-style) unless an error is already recorded */
void probe_error(struct record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with each control byte (C0, DEL) as '?', in place: what a server sent, fit to print (no
 * terminal escapes); s */
char *probe_printable(char *s);

/* connect with the spec's base options: tcp.* keys (tcp.success, tcp.ipv6, tcp.con.time.*);
 * 1, or 0 with error recorded. port is numeric text. */
int probe_connect(const struct probe_base *b, struct conn *c, const char *host, const char *port,
		  int64_t deadline, struct record *r);
/* the same keys for a unix stream socket (tcp.ipv6 false) */
int probe_connect_unix(struct conn *c, const char *path, int64_t deadline, struct record *r);
/* TLS over c as o says: ssl.* keys (the handshake time, version, cipher, ALPN, the peer's
 * certificate with its dates); o->defer_verify is honoured (the verdict is then the
 * caller's). 1, or 0 with error recorded. */
int probe_starttls(struct conn *c, const struct tls_opts *o, struct record *r);
/* the peer's certificate as ssl.con.cert.* keys */
void probe_cert(struct record *r, const struct tls_peer *p);
/* chksrv's ssl.* parameters (and conn-check's disable_tls_verification) into *o, which the
 * caller zeroed or filled with what they do not cover (a CA file, a client certificate,
 * version bounds: ssl.protocol with dflt 0 replaces those); checked (the CA path exists,
 * tls_new() accepts it all): 0, or -1 with err. Used by tls and http. */
int probe_tls_options(struct tls_opts *o, const struct probe_base *b, const char *host,
		      int no_verify, const char *mode, const char *ca, const char *proto,
		      const char *ciphers, const char *flags, int dflt, char *err, size_t errlen);
/* after probe_starttls() with o->defer_verify: the chain (unless o->insecure) and, when
 * check_hostname, the name (RFC 6125); ssl.con.cert.matches_hostname. 1, or 0 with error */
int probe_tls_verdict(struct conn *c, const struct tls_opts *o, int check_hostname,
		      struct record *r);
/* the TLS_V_* flags that fail a check: the backend's chain verdict, and the name by RFC 6125
 * when check_hostname */
unsigned probe_tls_flags(struct tls *t, const struct tls_peer *p, const char *host,
			 int check_hostname);
/* "http.resp.header." + name lower-cased, '-' and ' ' as '_' (chksrv's keys); 0 when it does
 * not fit in cap */
size_t probe_http_header_key(const char *name, char *out, size_t cap);
/* Go's escapedString (the lines probe's escape): \n \r \t \\ become bytes, any other \x
 * and a trailing \ stay as they are; out holds strlen(in) + 1 bytes. Its length. */
size_t probe_lines_unescape(const char *in, char *out);
/* the first line of p (len bytes) for a message, "not a redis server: HTTP/1.1 400 ...": up
 * to the first CR or LF, each byte outside printable ASCII as '?', cut with "..." to fit cap
 * (at least 4). out. */
const char *probe_first_line(char *out, size_t cap, const void *p, size_t len);
/* an SMTP reply (RFC 5321 4.2): lines "CODE-TEXT", then "CODE TEXT" or "CODE", one code
 * [2-5][0-5][0-9] throughout, CRLF (or LF) after each; at most SMTP_LINE_MAX bytes a line and
 * SMTP_REPLY_MAX in all */
#define SMTP_LINE_MAX 1000
#define SMTP_REPLY_MAX 4096
struct smtp_reply {
	int code;
	const char *why;		/* after -1: what is wrong */
	size_t len;			/* of text */
	char text[SMTP_REPLY_MAX];	/* the lines' texts, '\n' between them, control bytes as
					 * '?'; after -1 the start of the offending line */
};
/* the reply at the start of buf: its length in bytes when it is complete, 0 when more bytes
 * are needed, -1 when it is not a reply or too long */
long smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *r);
/* the start of a spec with a host and a port (tcp, tls, udp, the service probes) */
struct probe_hp {
	struct probe_base base;
	const char *host;
	long port;
};
#define PROBE_HP_FIELDS(st) \
	PROBE_F(st, hp.host, "host", NULL, PF_STR, PF_REQUIRED, NULL), \
	PROBE_FI(st, hp.port, "port", NULL, NULL, 1, 65535)
/* its check (a host, a port) and its target ("host:port") */
int probe_hp_check(void *spec, char *err, size_t errlen);
void probe_hp_target(const void *spec, char *buf, size_t len);
/* "host:port", with [] around an IPv6 literal */
void probe_hostport(char *buf, size_t len, const char *host, const char *port);

#endif
