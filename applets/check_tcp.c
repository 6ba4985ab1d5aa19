/* check_tcp.c - check-tcp: mackerel go-check-plugins' check-tcp, a TCP/TLS/unix-socket
 * exchange check with Nagios-style status. The exchange is the lines probe's
 * (net/probe_lines.c); this is its command line and its judgement of the record.
 *
 * Deviations from upstream, all listed in docs/compat.md: --delay waits between sending and
 * reading (as documented) with fractional seconds; the reply is read until the pattern
 * matches, EOF, the byte limit, a 0.5 s pause or the deadline (not only one read); the whole check is
 * bounded by --timeout (+ --delay); bad usage exits 3 (UNKNOWN), not 1.
 */
//applet:IF_CHECK_TCP(APPLET_CLI("check-tcp", check_tcp))
//kbuild:obj-$(CONFIG_CHECK_TCP) += check_tcp.o
//config:config CHECK_TCP
//config:	bool "check-tcp (+12 kB)"
//config:	default y
//config:	select PROBE_LINES
//config:	help
//config:	  usage: check-tcp [OPTIONS] -H HOST -p PORT | -U SOCKET
//config:
//config:	  Connect to a TCP port (or unix socket), optionally over TLS, send a string,
//config:	  match the reply against a regular expression and report like mackerel's
//config:	  check-tcp: "TCP OK: 0.001 seconds response time on HOST port N [REPLY]".
//config:	  Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//config:
//config:	  --service=NAME	Preset: FTP POP SPOP IMAP SIMAP SMTP SSMTP GEARMAN
//config:	  -H, --hostname=HOST	Host name or IP address ([::1] for IPv6)
//config:	  -p, --port=N	Port number
//config:	  -s, --send=STR	String to send to the server
//config:	  -e, --expect-pattern=RE	Regexp (RE2 syntax subset) expected in the reply
//config:	  -q, --quit=STR	String sent before closing (\r\n appended unless -E)
//config:	  -S, --ssl	Use TLS
//config:	  -U, --unix-sock=PATH	Unix domain socket instead of host and port
//config:	  --no-check-certificate	Do not verify the server certificate
//config:	  --ca-file=FILE	Verify against this CA bundle (default: system store)
//config:	  --status-as=FROM=TO,...	Remap the final status (ok warning critical unknown)
//config:	  -t, --timeout=SEC	Seconds the whole check may take (default 10)
//config:	  -m, --maxbytes=N	Stop reading after N bytes (default 32768)
//config:	  -d, --delay=SEC	Seconds to wait between sending and reading
//config:	  -w, --warning=SEC	Response time that gives WARNING
//config:	  -c, --critical=SEC	Response time that gives CRITICAL
//config:	  -E, --escape	Unescape \n \r \t \\ in send and quit; add nothing to quit
//config:	  -W, --error-warning	Failures are WARNING instead of CRITICAL
//config:	  -C, --expect-closed	OK when the port/socket is closed, CRITICAL when open
//config:	  --no-restime-success-msg	On OK, leave the response time out of the message
//config:	  -4, -6	Use only IPv4 / only IPv6 addresses

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autoconf.h"
#include "../lib/cli.h"
#include "../lib/record.h"
#include "../lib/report.h"
#include "../lib/util.h"
#include "../net/probe.h"

#define READ_MAX (16 * 1024 * 1024)	/* the lines probe's maxbytes bound */

enum { ST_OK, ST_WARNING, ST_CRITICAL, ST_UNKNOWN };
static const char *const st_name[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

struct tcp_opts {
	char service[32];
	const char *host, *send, *expect, *quit, *unix_sock, *ca_file, *status_as, *delay_arg;
	long port, maxbytes;
	double timeout, delay, warning, critical;
	int ssl, no_check_cert, escape, err_warning, expect_closed, no_restime, family;
	int status_map[4];
	struct cli_opts cli;		/* --format, --exit-codes, --quiet */
	/* for --format json and prometheus */
	const struct probe_type *type;
	const void *spec;
	const struct record *rec;
	double t0;
};

/* -E's unescaping, which the lines probe does (the name the unit tests know) */
size_t check_tcp_unescape(const char *in, char *out)
{
	return probe_lines_unescape(in, out);
}

static int status_from(const char *s, size_t n)
{
	for (int i = 0; i < 4; i++)
		if (strlen(st_name[i]) == n && !strncasecmp(st_name[i], s, n))
			return i;
	return -1;
}

/* "ok=critical,warning=ok": 0, or -1 with err */
int check_tcp_status_map(const char *s, int map[4], char *err, size_t errlen)
{
	int seen[4] = { 0 };

	for (int i = 0; i < 4; i++)
		map[i] = i;
	while (*s) {
		size_t l = strcspn(s, ","), eq;
		int from, to;

		eq = strcspn(s, "=");
		if (eq >= l) {
			snprintf(err, errlen, "invalid status map: %.*s", (int)l, s);
			return -1;
		}
		from = status_from(s, eq);
		to = status_from(s + eq + 1, l - eq - 1);
		if (from < 0 || to < 0) {
			snprintf(err, errlen, "invalid status map: %.*s", (int)l, s);
			return -1;
		}
		if (seen[from]++) {
			snprintf(err, errlen, "invalid status map: %s is given twice", st_name[from]);
			return -1;
		}
		map[from] = to;
		s += l;
		if (*s)
			s++;
	}
	return 0;
}

static _Noreturn void report(const struct tcp_opts *o, int st, const char *msg)
{
	const char *name = o->service[0] ? o->service : "TCP";
	char target[512] = "";

	st = o->status_map[st];
	if (!cli_should_print(&o->cli, st == ST_OK)) {
		;	/* --quiet, and all is well */
	} else if (o->cli.format == OUTPUT_TEXT) {
		/* "%s %s: %s\n" */
		fputs(name, stdout);
		putchar(' ');
		fputs(st_name[st], stdout);
		fputs(": ", stdout);
		fputs(msg, stdout);
		putchar('\n');
	} else {
		struct report_check c = { .name = "check-tcp", .type = o->type ? o->type->name : "lines",
					  .target = target, .verdict = st_name[st], .reason = msg,
					  .success = st == ST_OK, .duration = mono_sec() - o->t0,
					  .rec = o->rec };
		if (o->type && o->spec)
			o->type->target(o->spec, target, sizeof(target));
		if (o->cli.format == OUTPUT_JSON)
			report_json(stdout, "check-tcp", st_name[st], cli_exit(&o->cli, st), &c, 1);
		else
			report_prom(stdout, &c, 1);
	}
	fflush(stdout);
	exit(cli_exit(&o->cli, st));
}

static _Noreturn void fail(const struct tcp_opts *o, const char *msg)
{
	report(o, o->err_warning ? ST_WARNING : ST_CRITICAL, msg);
}

static void parse_args(struct tcp_opts *o, int argc, char **argv)
{
	enum { O_SERVICE = 256, O_NOCHECK, O_STATUS_AS, O_CA_FILE, O_NORESTIME };
	static const struct option lo[] = {
		{ "service", required_argument, 0, O_SERVICE },
		{ "hostname", required_argument, 0, 'H' },
		{ "port", required_argument, 0, 'p' },
		{ "send", required_argument, 0, 's' },
		{ "expect-pattern", required_argument, 0, 'e' },
		{ "quit", required_argument, 0, 'q' },
		{ "ssl", no_argument, 0, 'S' },
		{ "unix-sock", required_argument, 0, 'U' },
		{ "no-check-certificate", no_argument, 0, O_NOCHECK },
		{ "ca-file", required_argument, 0, O_CA_FILE },
		{ "status-as", required_argument, 0, O_STATUS_AS },
		{ "timeout", required_argument, 0, 't' },
		{ "maxbytes", required_argument, 0, 'm' },
		{ "delay", required_argument, 0, 'd' },
		{ "warning", required_argument, 0, 'w' },
		{ "critical", required_argument, 0, 'c' },
		{ "escape", no_argument, 0, 'E' },
		{ "error-warning", no_argument, 0, 'W' },
		{ "expect-closed", no_argument, 0, 'C' },
		{ "no-restime-success-msg", no_argument, 0, O_NORESTIME },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	char err[160];
	int c;

	o->timeout = 10;
	cli_args(&o->cli, "check-tcp", ":H:p:s:e:q:SU:t:m:d:w:c:EWC46", lo, &argc, &argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":H:p:s:e:q:SU:t:m:d:w:c:EWC46", lo, NULL)) != -1) {
		switch (c) {
		case O_SERVICE:
			if (strlen(optarg) >= sizeof(o->service))
				error_exit("check-tcp called with unknown service: %s", optarg);
			for (size_t i = 0; optarg[i]; i++)
				o->service[i] = (char)toupper((unsigned char)optarg[i]);
			break;
		case 'H': o->host = optarg; break;
		case 'p':
			if (parse_long(optarg, 0, 65535, &o->port))
				error_exit("invalid port '%s'", optarg);
			break;
		case 's': o->send = optarg; break;
		case 'e': o->expect = optarg; break;
		case 'q': o->quit = optarg; break;
		case 'S': o->ssl = 1; break;
		case 'U': o->unix_sock = optarg; break;
		case O_NOCHECK: o->no_check_cert = 1; break;
		case O_CA_FILE: o->ca_file = optarg; break;
		case O_STATUS_AS: o->status_as = optarg; break;
		case O_NORESTIME: o->no_restime = 1; break;
		case 't':
			if (parse_double(optarg, &o->timeout) || o->timeout < 0)
				error_exit("invalid timeout '%s'", optarg);
			break;
		case 'm':
			if (parse_long(optarg, 0, READ_MAX, &o->maxbytes))
				error_exit("invalid maxbytes '%s' (0 to %d)", optarg, READ_MAX);
			break;
		case 'd':
			if (parse_double(optarg, &o->delay) || o->delay < 0 || o->delay > 86400)
				error_exit("invalid delay '%s'", optarg);
			o->delay_arg = optarg;
			break;
		case 'w':
			if (parse_double(optarg, &o->warning))
				error_exit("invalid warning '%s'", optarg);
			break;
		case 'c':
			if (parse_double(optarg, &o->critical))
				error_exit("invalid critical '%s'", optarg);
			break;
		case 'E': o->escape = 1; break;
		case 'W': o->err_warning = 1; break;
		case 'C': o->expect_closed = 1; break;
		default:
			if (!cli_opt(&o->cli, c, optarg))
				opt_common(c, argv, &o->family);
		}
	}
	if (optind < argc)
		error_exit("unexpected argument '%s' (see --help)", argv[optind]);
	if (o->status_as && check_tcp_status_map(o->status_as, o->status_map, err, sizeof(err)))
		error_exit("%s", err);
	if (!o->status_as)
		for (int i = 0; i < 4; i++)
			o->status_map[i] = i;
}


/* --- the lines spec from the options ------------------------------------------------------ */

static void set(const struct probe_type *t, void *spec, const char *name, const char *value)
{
	const struct probe_field *f;
	char err[300];

	if (!value)
		return;
	f = probe_field(t, name, 0);
	if (!f)
		error_exit("the lines probe has no field %s", name);
	if (probe_set(spec, f, value, strlen(value), err, sizeof(err)) < 0)
		error_exit("%s", err);
}

/* err is "FIELD: reason" for that field */
static const char *about(const char *err, const char *field)
{
	size_t n = strlen(field);

	return !strncmp(err, field, n) && err[n] == ':' && err[n + 1] == ' ' ? err + n + 2 : NULL;
}

/* the probe refused the spec: say so in check-tcp's words */
static _Noreturn void refused(const struct tcp_opts *o, const char *err)
{
	char msg[128];
	const char *why;

	if (about(err, "service")) {
		snprintf(msg, sizeof(msg), "check-tcp called with unknown service: %s", o->service);
		report(o, ST_UNKNOWN, msg);
	}
	if ((why = about(err, "expect")))
		report(o, ST_UNKNOWN, why);
	if ((why = about(err, "use_tls")))
		error_exit("-S: %s", why);
	if (about(err, "host"))
		error_exit("-S over a unix socket needs -H NAME to verify the certificate against, "
			   "or --no-check-certificate");
	error_exit("%s", (why = about(err, "unix_socket")) ? why : err);
}

/* o->spec holds it from the start, so that a refusal's exit leaks nothing */
static void *lines_spec(const struct probe_type *t, struct tcp_opts *o)
{
	void *spec = probe_spec_new(t);
	struct probe_base *b = spec;
	char port[FMT_LONG_MAX], maxbytes[FMT_LONG_MAX], err[1100];

	fmt_long(port, o->port);
	fmt_long(maxbytes, o->maxbytes);
	o->spec = spec;
	set(t, spec, "service", o->service[0] ? o->service : NULL);
	set(t, spec, "host", o->host);
	set(t, spec, "port", o->port > 0 ? port : NULL);
	set(t, spec, "unix_socket", o->unix_sock);
	set(t, spec, "use_tls", o->ssl ? "true" : NULL);
	set(t, spec, "disable_tls_verification", o->no_check_cert ? "true" : NULL);
	set(t, spec, "ca_file", o->ca_file);
	set(t, spec, "send", o->send);
	set(t, spec, "expect", o->expect);
	set(t, spec, "quit", o->quit);
	set(t, spec, "maxbytes", o->maxbytes > 0 ? maxbytes : NULL);
	set(t, spec, "delay", o->delay > 0 ? o->delay_arg : NULL);
	set(t, spec, "escape", o->escape ? "true" : NULL);
	/* -C asks only whether the port (socket) accepts a connection */
	set(t, spec, "connect_only", o->expect_closed ? "true" : NULL);
	b->conn.family = o->family;
	if (probe_ready(t, spec, err, sizeof(err)) < 0)
		refused(o, err);
	return spec;
}

/* --- the judgement -------------------------------------------------------------------------- */

static const struct record_item *item(const struct record *r, const char *key,
				      enum record_type type)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == type ? it : NULL;
}

static const char *str(const struct record *r, const char *key)
{
	const struct record_item *it = item(r, key, RECORD_STR);

	return it ? it->v.s.p : NULL;
}

/* Go's "dial tcp HOST:PORT: reason" / "read unix PATH: reason" shape */
static void io_msg(char *buf, size_t len, const char *op, const struct tcp_opts *o, long port,
		   const char *why)
{
	if (o->unix_sock)
		snprintf(buf, len, "%s unix %s: %s", op, o->unix_sock, why);
	else if (o->host && strchr(o->host, ':') && o->host[0] != '[')
		snprintf(buf, len, "%s tcp [%s]:%ld: %s", op, o->host, port, why);
	else
		snprintf(buf, len, "%s tcp %s:%ld: %s", op, o->host ? o->host : "", port, why);
}

/* a failed exchange: the step that failed, in Go's shape, or the reply that did not match */
static _Noreturn void failed(const struct tcp_opts *o, const struct record *r, long port)
{
	const char *stage = str(r, "lines.stage"), *why = str(r, "error");
	char msg[1024];

	if (!why)
		why = "?";
	if (!stage) {
		char *res = xasprintf("%s", str(r, "lines.reply") ? str(r, "lines.reply") : "");

		/* the server's bytes, lines kept, without its terminal escapes */
		for (char *p = res; *p; p++)
			if ((*p > 0 && *p < ' ' && !strchr("\t\r\n", *p)) || *p == 127)
				*p = '?';
		fail(o, xasprintf("Unexpected response from host/socket: %s", res));
	}
	/* a handshake that completed failed on the certificate */
	if (!strcmp(stage, "tls") && str(r, "ssl.con.protocol")) {
		snprintf(msg, sizeof(msg), "TLS: %s", why);
		fail(o, msg);
	}
	io_msg(msg, sizeof(msg), strcmp(stage, "tls") ? stage : "dial", o, port, why);
	fail(o, msg);
}

/* "TCP OK: 0.001 seconds response time on HOST port N [REPLY]" */
static _Noreturn void passed(const struct tcp_opts *o, const struct record *r, long port)
{
	const struct record_item *t = item(r, "lines.time.perf", RECORD_FLOAT);
	const struct record_item *res = item(r, "lines.reply", RECORD_STR);
	double elapsed = t ? t->v.f : 0;
	char msg[1024];
	struct sbuf b;
	int st = ST_OK;

	if (o->warning > 0 && elapsed > o->warning)
		st = ST_WARNING;
	if (o->critical > 0 && elapsed > o->critical)
		st = ST_CRITICAL;
	sbuf_init(&b, msg, sizeof(msg));
	if (o->no_restime && st == ST_OK) {
		double th = o->warning > 0 ? o->warning : o->critical > 0 ? o->critical : 0;
		if (th > 0)
			sbuf_printf(&b, "Response time faster than %g seconds on", th);
	} else {
		sbuf_fixed(&b, elapsed, 3);	/* "%.3f", the hot path without printf */
		sbuf_puts(&b, " seconds response time on");
	}
	if (o->host && *o->host) {
		sbuf_puts(&b, " ");
		sbuf_puts(&b, o->host);
	}
	if (port > 0) {
		sbuf_puts(&b, " port ");
		sbuf_long(&b, port);
	}
	if (res && res->v.s.len) {
		/* strings.Trim(res, "\r\n"): CR and LF off both ends */
		const char *s = res->v.s.p, *e = s + res->v.s.len;
		while (s < e && (*s == '\r' || *s == '\n'))
			s++;
		while (e > s && (e[-1] == '\r' || e[-1] == '\n'))
			e--;
		/* the reply is printed whole: the buffer grows to hold it */
		b.p = xmalloc(b.len + (size_t)(e - s) + 4);
		memcpy(b.p, msg, b.len);
		b.cap = b.len + (size_t)(e - s) + 4;
		sbuf_add(&b, " [", 2);
		sbuf_add(&b, s, (size_t)(e - s));
		sbuf_add(&b, "]", 1);
	}
	report(o, st, b.p);
}

int check_tcp_main(int argc, char **argv)
{
	struct tcp_opts o = { 0 };
	const struct probe_type *t;
	const struct record_item *p;
	struct record r;
	char msg[1024];
	void *spec;
	long port;
	int ok;

	parse_args(&o, argc, argv);
	t = probe_find("lines");
	if (!t)
		error_exit("the lines probe is not in this build");
	spec = lines_spec(t, &o);
	record_init(&r);
	if (o.maxbytes > (long)r.max_str) {	/* the reply is recorded whole */
		r.max_bytes += (size_t)o.maxbytes;
		r.max_str = (size_t)o.maxbytes;
	}
	o.type = t;
	o.spec = spec;
	o.rec = &r;
	o.t0 = mono_sec();
	ok = probe_run(t, spec, deadline_in(o.timeout + o.delay), &r);
	p = item(&r, "lines.port", RECORD_INT);
	port = p ? (long)p->v.i : 0;	/* the preset's, when -p did not say */
	if (o.expect_closed) {
		if (ok) {
			if (o.unix_sock)
				snprintf(msg, sizeof(msg), "Unexpectedly open unixsock. (sock=%s)", o.unix_sock);
			else
				snprintf(msg, sizeof(msg), "Unexpectedly open port. (port=%ld)", port);
			fail(&o, msg);
		}
		if (o.unix_sock)
			snprintf(msg, sizeof(msg), "Verified that the unixsock is closed. (sock=%s)", o.unix_sock);
		else
			snprintf(msg, sizeof(msg), "Verified that the port is closed. (port=%ld)", port);
		report(&o, ST_OK, msg);
	}
	if (!ok)
		failed(&o, &r, port);
	passed(&o, &r, port);
}
