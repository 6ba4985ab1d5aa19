/* grpc_health_probe.c - grpc_health_probe: grpc-ecosystem's exec probe for gRPC servers, its
 * command line (Go flag syntax: -addr=H:P, -tls, --rpc-timeout 250ms), argument checks,
 * messages and exit codes, as a front end of the grpc probe (net/probe_grpc.c): one call of
 * grpc.health.v1.Health/Check, SERVING or not.
 *
 * As upstream (grpc-go with WithBlock): a connection that fails (refused, TLS, a server that
 * is not HTTP/2) is tried again after 1 s, 1.6 s, ... within -connect-timeout, then
 * "timeout: failed to connect service". Deviations, all in docs/compat.md: that comes as
 * soon as no further attempt fits, not when the timeout has passed; the RPC deadline is kept
 * (upstream's newest drops it); -gzip, -spiffe and -rpc-header are refused; -v also says why
 * each connection attempt failed; --help exits 0.
 */
//applet:IF_GRPC_HEALTH_PROBE(APPLET_CLI("grpc_health_probe", grpc_health_probe))
//kbuild:obj-$(CONFIG_GRPC_HEALTH_PROBE) += grpc_health_probe.o
//config:config GRPC_HEALTH_PROBE
//config:	bool "grpc_health_probe (+20 kB; +8 kB where the grpc probe is in)"
//config:	default y
//config:	select PROBE_GRPC
//config:	help
//config:	  usage: grpc_health_probe -addr=[HOST]:PORT [OPTIONS]
//config:
//config:	  Ask a gRPC server's health service (grpc.health.v1.Health/Check)
//config:	  whether it is SERVING, as grpc-ecosystem's grpc_health_probe does.
//config:	  Exit 0 SERVING, 1 bad arguments, 2 connection failed or timed out,
//config:	  3 RPC failed or timed out, 4 not SERVING. Flags as Go's: -f=V, -f V, --f.
//config:
//config:	  -addr=HOST:PORT	Server: [::1]:PORT, :PORT (this host), unix:///PATH
//config:	  -service=NAME	Service to check (default: "", the server)
//config:	  -user-agent=UA	Default: grpc_health_probe
//config:	  -connect-timeout=DUR	Default 1s (Go durations: 250ms, 1m30s)
//config:	  -rpc-timeout=DUR	Default 1s
//config:	  -tls	Use TLS (default: plaintext HTTP/2)
//config:	  -tls-no-verify	Do not verify the server's certificate
//config:	  -tls-ca-cert=FILE	Verify it against these CAs
//config:	  -tls-client-cert=FILE	Client certificate, with -tls-client-key=FILE
//config:	  -tls-server-name=NAME	Verify it for NAME
//config:	  -v	Verbose logs

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autoconf.h"
#include "../lib/cli.h"
#include "../lib/record.h"
#include "../lib/report.h"
#include "../lib/util.h"
#include "../net/grpc.h"
#include "../net/probe.h"

enum { ST_OK, ST_ARGS, ST_CONNECT, ST_RPC, ST_UNHEALTHY };
static const char *const st_word[] = { "OK", "INVALID_ARGUMENTS", "CONNECTION_FAILURE",
				       "RPC_FAILURE", "UNHEALTHY" };

struct ghp {
	const char *addr, *service, *ua, *ca, *cert, *key, *server_name;
	int64_t ct, rt;			/* nanoseconds */
	int tls, no_verify, verbose;
	struct cli_opts cli;
};

/* upstream logs with Go's log package, flags 0: the line on stderr, nothing before it */
__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	char buf[1200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(2, buf, (size_t)n);
}

/* a bad command line: upstream's "error: ..." and exit 1 */
#define arg_error(...) (say("error: " __VA_ARGS__), exit(ST_ARGS))

/* Go's time.ParseDuration: [-+]?(DIGITS[.DIGITS]UNIT)+ or "0"; 0 with *ns, or -1 */
int grpc_health_probe_parse_duration(const char *s, int64_t *ns)
{
	static const char units[] = "ns\0us\0\xc2\xb5s\0\xce\xbcs\0ms\0s\0m\0h";
	static const double mul[] = { 1, 1e3, 1e3, 1e3, 1e6, 1e9, 60e9, 3600e9 };
	double total = 0;
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0"))
		return *ns = 0, 0;
	if (!*s)
		return -1;
	while (*s) {
		size_t n = strspn(s, "0123456789."), ul, u = 0;
		const char *un = units;
		char num[24], *e;
		double v;

		if (!n || n >= sizeof(num))
			return -1;
		memcpy(num, s, n);
		num[n] = 0;
		v = strtod(num, &e);
		s += n;
		ul = strcspn(s, "0123456789.");
		while (u < ARRAY_LEN(mul) && (strlen(un) != ul || strncmp(s, un, ul)))
			un += strlen(un) + 1, u++;
		if (*e || u == ARRAY_LEN(mul) || (total += v * mul[u]) > 9.2e18)
			return -1;
		s += ul;
	}
	*ns = (int64_t)(total + 0.5) * (neg ? -1 : 1);
	return 0;
}

/* "." and the digits of f (of width digits), trailing zeros dropped; "" for 0 */
static void frac(char *b, size_t len, uint64_t f, int digits)
{
	*b = 0;
	if (f)
		snprintf(b, len, ".%0*llu", digits, (unsigned long long)f);
	for (size_t n = strlen(b); n && b[n - 1] == '0'; n--)
		b[n - 1] = 0;
}

/* Go's time.Duration.String(): 1s, 250ms, 1m30s, 1h0m0s, 1.5µs */
void grpc_health_probe_format_duration(int64_t ns, char *b, size_t len)
{
	uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns, d = 1000000000, s = u / d;
	const char *unit = "s";
	char hm[48] = "", f[16];
	int digits = 9;

	if (!u) {
		snprintf(b, len, "0s");
		return;
	}
	if (!s) {
		d = u < 1000 ? 1 : u < 1000000 ? 1000 : 1000000;
		digits = d == 1 ? 0 : d == 1000 ? 3 : 6;
		unit = d == 1 ? "ns" : d == 1000 ? "\xc2\xb5s" : "ms";
	} else if (s >= 60) {	/* "1h0m", "2m": "%.0llu" of 0 hours is nothing */
		snprintf(hm, sizeof(hm), s >= 3600 ? "%lluh%llum" : "%.0llu%llum",
			 (unsigned long long)(s / 3600), (unsigned long long)(s / 60 % 60));
		u -= s / 60 * 60 * d;
	}
	frac(f, sizeof(f), u % d, digits);
	snprintf(b, len, "%s%s%llu%s%s", ns < 0 ? "-" : "", hm, (unsigned long long)(u / d), f, unit);
}

/* Go's strconv.ParseBool */
static int gobool(const char *flag, const char *v)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };

	if (!v)
		return 1;
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		if (!strcmp(v, t[i]))
			return 1;
		if (!strcmp(v, f[i]))
			return 0;
	}
	arg_error("invalid boolean value \"%s\" for -%s: parse error", v, flag);
}

static int64_t duration(const char *flag, const char *v)
{
	int64_t ns;

	if (grpc_health_probe_parse_duration(v, &ns) < 0)
		arg_error("invalid value \"%s\" for flag -%s: parse error", v, flag);
	return ns;
}

static void parse_args(struct ghp *o, int argc, char **argv)
{
	enum { O_ADDR = 256, O_SERVICE, O_UA, O_CT, O_RT, O_TLS, O_NOVERIFY, O_CA, O_CERT, O_KEY,
	       O_NAME, O_V, O_HELP };
	static const struct option lo[] = {
		{ "addr", required_argument, 0, O_ADDR },
		{ "service", required_argument, 0, O_SERVICE },
		{ "user-agent", required_argument, 0, O_UA },
		{ "connect-timeout", required_argument, 0, O_CT },
		{ "rpc-timeout", required_argument, 0, O_RT },
		{ "tls", optional_argument, 0, O_TLS },
		{ "tls-no-verify", optional_argument, 0, O_NOVERIFY },
		{ "tls-ca-cert", required_argument, 0, O_CA },
		{ "tls-client-cert", required_argument, 0, O_CERT },
		{ "tls-client-key", required_argument, 0, O_KEY },
		{ "tls-server-name", required_argument, 0, O_NAME },
		{ "v", optional_argument, 0, O_V },
		{ "help", no_argument, 0, O_HELP },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	char a[300], b[64];
	int c, i, at = 1;

	o->ua = "grpc_health_probe";
	o->service = "";
	o->ct = o->rt = 1000000000;
	cli_args(&o->cli, "grpc_health_probe", ":", lo, &argc, &argv);
	applet_fail_code = ST_ARGS;
	opterr = 0;
	/* Go's flag package: flags stop at the first argument that is not one */
	for (; (c = getopt_long_only(argc, argv, "+:", lo, &i)) != -1; at = optind) {
		const char *name = c >= O_ADDR && c <= O_HELP ? lo[c - O_ADDR].name : "";
		switch (c) {
		case O_ADDR: o->addr = optarg; break;
		case O_SERVICE: o->service = optarg; break;
		case O_UA: o->ua = optarg; break;
		case O_CT: o->ct = duration(name, optarg); break;
		case O_RT: o->rt = duration(name, optarg); break;
		case O_TLS: o->tls = gobool(name, optarg); break;
		case O_NOVERIFY: o->no_verify = gobool(name, optarg); break;
		case O_CA: o->ca = optarg; break;
		case O_CERT: o->cert = optarg; break;
		case O_KEY: o->key = optarg; break;
		case O_NAME: o->server_name = optarg; break;
		case O_V: o->verbose = gobool(name, optarg); break;
		case O_HELP:
			fputs(applet_usage ? applet_usage : "", stdout);
			cli_env_help(stdout, "grpc_health_probe", lo);
			exit(0);
		case ':':
		case '?':
			snprintf(a, sizeof(a), "%s", argv[at]);	/* the flag at fault */
			a[strcspn(a, "=")] = 0;
			arg_error("%s: -%s", c == ':' ? "flag needs an argument"
				  : "flag provided but not defined", a + strspn(a, "-"));
		default:
			cli_opt(&o->cli, c, optarg);
			applet_fail_code = ST_ARGS;	/* whatever --exit-codes says */
		}
	}
	/* upstream's checks, in its order and words */
	if (!o->addr || !*o->addr)
		arg_error("-addr not specified");
	if (o->ct <= 0)
		grpc_health_probe_format_duration(o->ct, b, sizeof(b)),
		arg_error("-connect-timeout must be greater than zero (specified: %s)", b);
	if (o->rt <= 0)
		grpc_health_probe_format_duration(o->rt, b, sizeof(b)),
		arg_error("-rpc-timeout must be greater than zero (specified: %s)", b);
	if (!o->tls && o->no_verify)
		arg_error("specified -tls-no-verify without specifying -tls");
	if (!o->tls && o->ca)
		arg_error("specified -tls-ca-cert without specifying -tls");
	if (!o->tls && o->cert)
		arg_error("specified -tls-client-cert without specifying -tls");
	if (!o->tls && o->server_name)
		arg_error("specified -tls-server-name without specifying -tls");
	if (o->cert && !o->key)
		arg_error("specified -tls-client-cert without specifying -tls-client-key");
	if (!o->cert && o->key)
		arg_error("specified -tls-client-key without specifying -tls-client-cert");
	if (o->no_verify && o->ca)
		arg_error("cannot specify -tls-ca-cert with -tls-no-verify (CA cert would not be used)");
	if (o->no_verify && o->server_name)
		arg_error("cannot specify -tls-server-name with -tls-no-verify (server name would not "
			  "be used)");
}

/* set the grpc probe's field called name */
static void set(void *spec, const char *name, const char *text)
{
	const struct probe_field *f = probe_field(probe_find("grpc"), name, 0);
	char err[300];

	if (!f || probe_set(spec, f, text, strlen(text), err, sizeof(err)) < 0)
		arg_error("%s", f ? err : name);
}

static const char *str(const struct record *r, const char *key)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == RECORD_STR ? it->v.s.p : "";
}

/* a record's float seconds as a Go duration */
static const char *secs(const struct record *r, const char *key, char *b)
{
	const struct record_item *it = record_get(r, key);

	grpc_health_probe_format_duration(it && it->type == RECORD_FLOAT ? (int64_t)(it->v.f * 1e9)
					  : 0, b, 64);
	return b;
}

int grpc_health_probe_main(int argc, char **argv)
{
	struct ghp o = { 0 };
	const struct probe_type *t = probe_find("grpc");	/* selected by GRPC_HEALTH_PROBE */
	void *spec;
	struct record r;
	const struct record_item *code;
	char host[300], hbuf[300], d1[64], d2[64], err[400], msg[1200], target[320];
	const char *a, *port, *h;
	int64_t t0, end, wait = 1000;
	int st;

	parse_args(&o, argc, argv);
	spec = probe_spec_new(t);
	/* the target: [dns:///|passthrough:///]HOST:PORT, :PORT, unix:PATH or unix:///PATH */
	a = o.addr;
	if (!strncmp(a, "dns:///", 7) || !strncmp(a, "passthrough:///", 15))
		a = strstr(a, ":///") + 4;
	if (!strncmp(a, "unix:", 5)) {
		h = a + 5 + (!strncmp(a + 5, "//", 2) ? 2 : 0);
		port = "0";
	} else {
		snprintf(host, sizeof(host), "%s%s", *a == ':' ? "localhost" : "", a);
		if (conn_split_hostport(host, hbuf, sizeof(hbuf), &h, &port, NULL) < 0 || !port)
			h = "", port = "0";
	}
	if (*h != '/' && (!*h || parse_long(port, 1, 65535, &(long){ 0 }) < 0)) {
		say("error: failed to connect service at \"%s\": bad address", o.addr);
		return cli_exit(&o.cli, ST_CONNECT);
	}
	set(spec, "host", h);
	if (*h != '/')
		set(spec, "port", port);
	set(spec, "service", o.service);
	set(spec, "user_agent", o.ua);
	if (o.tls) {
		set(spec, "use_tls", "true");
		if (o.no_verify)
			set(spec, "disable_tls_verification", "true");
		if (o.ca)
			set(spec, "ca_file", o.ca);
		if (o.cert)
			set(spec, "cert_file", o.cert), set(spec, "key_file", o.key);
		if (o.server_name)
			set(spec, "server_name", o.server_name);
	}
	snprintf(d2, sizeof(d2), "%.9f", (double)o.rt / 1e9);
	set(spec, "rpc_timeout", d2);
	if (probe_ready(t, spec, err, sizeof(err)) < 0) {
		say(o.tls ? "failed to initialize tls credentials. error=%s" : "error: %s", err);
		return cli_exit(&o.cli, ST_ARGS);
	}
	if (o.verbose)
		say("establishing connection");
	record_init(&r);
	t0 = mono_ms();
	end = t0 + (o.ct + 999999) / 1000000;
	/* grpc-go's WithBlock: a failed connection is tried again after a backoff (1 s, times
	 * 1.6) while the connect timeout lasts; when no attempt fits any more, that is the end */
	for (;;) {
		int64_t left = end - mono_ms();
		struct timespec ts;

		snprintf(d1, sizeof(d1), "%.3f", left > 0 ? (double)left / 1e3 : 1e-3);
		set(spec, "connect_timeout", d1);
		probe_run(t, spec, end + (o.rt + 999999) / 1000000, &r);
		if ((code = record_get(&r, "grpc.code")) && code->type == RECORD_INT)
			break;
		code = NULL;
		if (o.verbose)
			say("connection attempt failed: %s", str(&r, "error"));
		if (wait >= end - mono_ms())
			break;
		ts.tv_sec = (time_t)(wait / 1000);
		ts.tv_nsec = (long)(wait % 1000) * 1000000;
		nanosleep(&ts, NULL);
		wait = wait * 8 / 5;
	}
	st = !code ? ST_CONNECT : code->v.i ? ST_RPC : record_get(&r, "success")->v.b ? ST_OK
						     : ST_UNHEALTHY;
	if (st == ST_CONNECT) {
		grpc_health_probe_format_duration(o.ct, d1, sizeof(d1));
		snprintf(msg, sizeof(msg), "timeout: failed to connect service \"%s\" within %s",
			 o.addr, d1);
	} else if (o.verbose) {
		say("connection established (took %s)", secs(&r, "grpc.connect.time.perf", d1));
	}
	if (st == ST_RPC && code->v.i == GRPC_UNIMPLEMENTED)
		snprintf(msg, sizeof(msg), "error: this server does not implement the grpc health "
			 "protocol (grpc.health.v1.Health): %s", str(&r, "grpc.message"));
	else if (st == ST_RPC && code->v.i == GRPC_DEADLINE_EXCEEDED)
		grpc_health_probe_format_duration(o.rt, d1, sizeof(d1)),
		snprintf(msg, sizeof(msg), "timeout: health rpc did not complete within %s", d1);
	else if (st == ST_RPC)	/* the probe's error is grpc-go's: "rpc error: code = ..." */
		snprintf(msg, sizeof(msg), "error: health rpc failed: %s", str(&r, "error"));
	else if (st == ST_UNHEALTHY)	/* service unhealthy (responded with "NOT_SERVING") */
		str_copy(msg, sizeof(msg), str(&r, "error"));
	else if (st == ST_OK && o.verbose)
		say("time elapsed: connect=%s rpc=%s", secs(&r, "grpc.connect.time.perf", d1),
		    secs(&r, "grpc.rpc.time.perf", d2));
	if (st == ST_OK)
		snprintf(msg, sizeof(msg), "status: %s", str(&r, "grpc.status"));
	if (cli_should_print(&o.cli, st == ST_OK)) {
		if (o.cli.format == OUTPUT_TEXT) {
			say("%s", msg);
		} else {
			struct report_check c = { .name = "grpc_health_probe", .type = "grpc",
						  .target = target, .verdict = st_word[st],
						  .reason = st ? msg : NULL, .success = st == ST_OK,
						  .duration = (double)(mono_ms() - t0) / 1e3,
						  .rec = &r };
			t->target(spec, target, sizeof(target));
			if (o.cli.format == OUTPUT_JSON)
				report_json(stdout, "grpc_health_probe", st_word[st],
					    cli_exit(&o.cli, st), &c, 1);
			else
				report_prom(stdout, &c, 1);
			fflush(stdout);
		}
	}
	return cli_exit(&o.cli, st);
}
