/* probe_lines.c - the lines probe: connect over TCP (RFC 9293) or to a unix stream socket,
 * TLS if asked (RFC 8446, RFC 5246), send a string, read the reply until a regular expression
 * (RE2 syntax, lib/re2.h) matches it, send a quit string. Presets for the
 * greetings of FTP (RFC 959), POP3 (RFC 1939), IMAP (RFC 9051), SMTP (RFC 5321), their
 * implicit-TLS ports (RFC 8314) and Gearman's text protocol.
 * tcp.*, ssl.*, lines.port, lines.reply, lines.matched, lines.stage, lines.time.*
 */
//probe:IF_PROBE_LINES(PROBE(lines))
//kbuild:obj-$(CONFIG_PROBE_LINES) += probe_lines.o
//config:config PROBE_LINES
//config:	bool
//config:	select PROBE
//config:	select RE2
//config:	help
//config:	  Connect to HOST:PORT or a unix socket, over TLS if asked, send a string,
//config:	  match the reply against a regular expression and send a quit string;
//config:	  presets for FTP, POP, IMAP, SMTP (and their TLS ports) and Gearman.
//config:	  check-tcp.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <time.h>

#include "autoconf.h"
#include "../lib/re2.h"
#include "../lib/util.h"

#define LINES_READ_MAX (16 * 1024 * 1024)
#define LINES_IDLE_MS 500

struct probe_lines {
	struct probe_hp hp;		/* hp.base.tls: use_tls; hp.port 0: none (the preset's) */
	const char *unix_socket;
	int no_verify;			/* disable_tls_verification */
	const char *ca_file;
	const char *send, *expect, *quit;	/* "" is none, as not given */
	long maxbytes;
	double delay;			/* between sending and reading */
	const char *service;		/* a preset: fills what was left empty */
	int escape;			/* \n \r \t \\ in send and quit; no CRLF after quit */
	int connect_only;		/* only connect: no TLS, nothing sent or read */
	/* made by check() */
	const char *host;		/* without [], "" when none */
	char hostbuf[256];
	char port[FMT_LONG_MAX];
	char *send_buf, *quit_buf;
	size_t send_len, quit_len;
	int has_re;
	struct re2 *re;
	struct tls_opts o;
};

#define F(m, y, t, d) PROBE_F(struct probe_lines, m, y, NULL, t, 0, d)
static const struct probe_field fields[] = {
	F(hp.host, "host", PF_STR, NULL),
	PROBE_FI(struct probe_lines, hp.port, "port", NULL, NULL, 1, 65535),
	F(unix_socket, "unix_socket", PF_STR, NULL),
	F(hp.base.tls, "use_tls", PF_BOOL, NULL),
	F(no_verify, "disable_tls_verification", PF_BOOL, NULL),
	F(ca_file, "ca_file", PF_STR, NULL),
	F(send, "send", PF_STR, NULL),
	F(expect, "expect", PF_STR, NULL),
	F(quit, "quit", PF_STR, NULL),
	PROBE_FI(struct probe_lines, maxbytes, "maxbytes", NULL, "32768", 1, LINES_READ_MAX),
	F(delay, "delay", PF_SECS, NULL),
	F(service, "service", PF_STR, NULL),
	F(escape, "escape", PF_BOOL, NULL),
	F(connect_only, "connect_only", PF_BOOL, NULL),
};
#undef F

struct preset {
	const char *name;
	unsigned short port;
	unsigned char tls;
	const char *send, *expect, *quit;
};

static const struct preset presets[] = {
	{ "FTP", 21, 0, NULL, "^220", "QUIT" },
	{ "POP", 110, 0, NULL, "^\\+OK", "QUIT" },
	{ "SPOP", 995, 1, NULL, "^\\+OK", "QUIT" },
	{ "IMAP", 143, 0, NULL, "^\\* OK", "a1 LOGOUT" },
	{ "SIMAP", 993, 1, NULL, "^\\* OK", "a1 LOGOUT" },
	{ "SMTP", 25, 0, NULL, "^220", "QUIT" },
	{ "SSMTP", 465, 1, NULL, "^220", "QUIT" },
	{ "GEARMAN", 7003, 0, "version\n", "\\A[0-9]+\\.[0-9]+\\n\\z", NULL },
};

size_t probe_lines_unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == '\\' && in[1]) {
			in++;
			switch (*in) {
			case 'n': out[n++] = '\n'; break;
			case 'r': out[n++] = '\r'; break;
			case 't': out[n++] = '\t'; break;
			case '\\': out[n++] = '\\'; break;
			default: out[n++] = '\\'; out[n++] = *in;
			}
		} else {
			out[n++] = *in;
		}
	}
	out[n] = 0;
	return n;
}

static int empty(const char *s)
{
	return !s || !*s;
}

/* the preset fills each field left empty (a port of 0, TLS off) */
static int apply_preset(struct probe_lines *s, char *err, size_t errlen)
{
	const struct preset *p = NULL;
	struct sbuf b;

	for (size_t i = 0; i < ARRAY_LEN(presets); i++)
		if (!strcasecmp(presets[i].name, s->service))
			p = &presets[i];
	if (!p) {
		sbuf_init(&b, err, errlen);
		sbuf_printf(&b, "service: expected");
		for (size_t i = 0; i < ARRAY_LEN(presets); i++)
			sbuf_printf(&b, "%s %s", i ? i + 1 < ARRAY_LEN(presets) ? "," : " or" : "",
				    presets[i].name);
		sbuf_printf(&b, ", got '%s'", s->service);
		return -1;
	}
	if (!s->hp.port)
		s->hp.port = p->port;
	if (empty(s->send))
		s->send = p->send;
	if (empty(s->expect))
		s->expect = p->expect;
	if (empty(s->quit))
		s->quit = p->quit;
	s->hp.base.tls |= p->tls;
	return 0;
}

/* the bytes to send for in: unescaped, or as given with tail after it (quit's CRLF) */
static size_t wire(char **out, const char *in, int escape, const char *tail)
{
	size_t n;

	if (empty(in))
		return 0;
	n = strlen(in);
	*out = xmalloc(n + (tail ? strlen(tail) : 0) + 1);
	if (escape)
		return probe_lines_unescape(in, *out);
	memcpy(*out, in, n + 1);
	if (tail)
		strcpy(*out + n, tail), n += strlen(tail);
	return n;
}

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_lines *s = spec;
	char why[256];
	struct tls *t;

	if (!empty(s->service) && apply_preset(s, err, errlen) < 0)
		return -1;
	s->host = conn_unbracket(s->hp.host ? s->hp.host : "", s->hostbuf, sizeof(s->hostbuf));
	fmt_long(s->port, s->hp.port);
	s->send_len = wire(&s->send_buf, s->send, s->escape, NULL);
	s->quit_len = wire(&s->quit_buf, s->quit, s->escape, "\r\n");
	if (!empty(s->expect)) {
		if (!(s->re = re2_compile(s->expect, why, sizeof(why))))
			return snprintf(err, errlen, "expect: error parsing regexp: %s", why), -1;
		s->has_re = 1;
	}
	if (s->hp.base.tls && !tls_available)
		return snprintf(err, errlen, "use_tls: TLS is not supported by this build"), -1;
	if (s->unix_socket && !ENABLE_FEATURE_UNIX_SOCKET)
		return snprintf(err, errlen, "unix_socket: unix sockets are not supported by this "
				"build"), -1;
	if (s->unix_socket && strlen(s->unix_socket) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return snprintf(err, errlen, "unix_socket: unix socket path too long"), -1;
	if (!s->hp.base.tls || s->connect_only)
		return 0;
	memset(&s->o, 0, sizeof(s->o));
	/* SNI and the name to verify: the host; an empty one is this machine */
	s->o.host = *s->host ? s->host : s->unix_socket ? NULL : "localhost";
	s->o.insecure = s->no_verify;
	s->o.defer_verify = 1;	/* judged by probe_tls_verdict(), which records why */
	s->o.ca_file = s->ca_file;
	s->o.ca_dir = s->ca_file ? NULL : s->hp.base.ca_dir;
	if (!s->o.insecure && !s->o.host)
		return snprintf(err, errlen, "host: needed to verify the certificate of a unix "
				"socket against (or disable_tls_verification)"), -1;
	/* a CA file that cannot be used is the tool's failure: say so before connecting */
	t = tls_new(&s->o, err, errlen);
	if (!t)
		return -1;
	tls_free(t);
	return 0;
}

static void pause_for(double sec)
{
	struct timespec ts = { (time_t)sec, (long)((sec - (double)(time_t)sec) * 1e9) };

	while (nanosleep(&ts, &ts) < 0)
		;
}

/* read the reply into lines.reply until the pattern matches, EOF, maxbytes, a pause of
 * LINES_IDLE_MS after the first bytes, or the deadline: 1 matched, 0 not (lines.matched),
 * -1 on a read error (recorded) */
static int reply(const struct probe_lines *s, struct conn *c, int64_t deadline, struct record *r)
{
	size_t limit = (size_t)s->maxbytes, len = 0;
	char *buf;
	int matched = 0, rc = -1;

	if (s->delay > 0)
		pause_for(s->delay);
	buf = xmalloc(limit + 1);
	while (len < limit) {
		ssize_t n;

		/* once something has arrived, a pause ends the reply: a banner split across
		 * segments is read whole, and a reply that does not match is judged without
		 * waiting for the deadline */
		if (len) {
			int64_t idle = mono_ms() + LINES_IDLE_MS;
			c->deadline = idle < deadline ? idle : deadline;
		}
		n = conn_read(c, buf + len, limit - len);
		if (n == 0)
			break;
		if (n < 0) {
			/* a deadline after some reply is a verdict on the reply, not an I/O error */
			if (len && c->err == CONN_E_TIMEOUT)
				break;
			probe_error(r, "%s", c->errmsg);
			goto out;
		}
		len += (size_t)n;
		if ((matched = re2_match(s->re, buf, len)))
			break;
	}
	/* an empty reply may match too */
	matched = matched || re2_match(s->re, buf, len);
	rc = matched;
	if (!matched)
		probe_error(r, "unexpected reply");
out:
	c->deadline = deadline;
	if (record_set_strn(r, "lines.reply", buf, len) < 0) {
		probe_error(r, "a reply of %zu bytes does not fit in the record", len);
		rc = -1;
	}
	record_set_bool(r, "lines.matched", rc == 1);
	free(buf);
	return rc;
}

static int sent(struct conn *c, const char *p, size_t len, struct record *r)
{
	if (!len || conn_write(c, p, len) == 0)
		return 1;
	probe_error(r, "%s", c->errmsg);
	return 0;
}

/* after the connect: 1, or 0 with *stage the step that failed (NULL: the reply did not match) */
static int exchange(const struct probe_lines *s, struct conn *c, int64_t deadline,
		    struct record *r, const char **stage)
{
	int rc;

	*stage = "tls";
	if (s->hp.base.tls && !(probe_starttls(c, &s->o, r) &&
				probe_tls_verdict(c, &s->o, !s->no_verify, r)))
		return 0;
	*stage = "write";
	if (!sent(c, s->send_buf, s->send_len, r))
		return 0;
	if (s->has_re) {
		*stage = "read";
		rc = reply(s, c, deadline, r);
		if (rc <= 0) {
			if (rc == 0)
				*stage = NULL;
			return 0;
		}
	}
	*stage = "write";
	return sent(c, s->quit_buf, s->quit_len, r);
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_lines *s = spec;
	struct probe_stamp t0 = probe_stamp();
	const char *stage = "dial";
	struct conn c;
	int ok;

	if (s->hp.port)
		record_set_int(r, "lines.port", s->hp.port);
	ok = s->unix_socket ? probe_connect_unix(&c, s->unix_socket, deadline, r)
			    : probe_connect(&s->hp.base, &c, s->host, s->port, deadline, r);
	if (ok && !s->connect_only)
		ok = exchange(s, &c, deadline, r, &stage);
	if (!ok && stage)
		record_set_str(r, "lines.stage", stage);
	probe_times(r, "lines.time", t0);
	conn_close(&c);
	return ok;
}

static void target(const void *spec, char *buf, size_t len)
{
	const struct probe_lines *s = spec;
	char host[256], port[8];

	if (s->unix_socket) {
		str_copy(buf, len, s->unix_socket);
		return;
	}
	snprintf(port, sizeof(port), "%ld", s->hp.port);
	probe_hostport(buf, len, conn_unbracket(s->hp.host ? s->hp.host : "", host, sizeof(host)),
		       port);
}

const struct probe_type probe_lines = {
	.name = "lines",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_lines),
	.check = check,
	.run = run,
	.target = target,
};
