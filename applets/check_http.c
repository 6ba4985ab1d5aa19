/* check_http.c - check-http: mackerel go-check-plugins' check-http, an HTTP(S) check with
 * Nagios-style status (perfdata per the Nagios plugin guidelines): a front end of the http
 * probe (net/probe_http.c over net/http.c, RFC 9110/9112) that judges its record.
 *
 * Deviations from upstream, all listed in docs/compat.md: -i is honoured without
 * --connect-to; bad usage exits 3 (UNKNOWN), not 1; -t 0 (the default) means 30 s, not
 * "forever"; the body is read up to --max-body bytes; no gzip is asked for; [IPv6] hosts
 * in --connect-to match; --cert-file without --key-file (or the reverse) is an error.
 */
//applet:IF_CHECK_HTTP(APPLET_CLI("check-http", check_http))
//kbuild:obj-$(CONFIG_CHECK_HTTP) += check_http.o
//config:config CHECK_HTTP
//config:	bool "check-http (+9 kB)"
//config:	default y
//config:	select PROBE_HTTP
//config:	select RE2
//config:	help
//config:	  usage: check-http [OPTIONS] -u URL
//config:
//config:	  Fetch a URL and report like mackerel's check-http:
//config:	  "HTTP OK: HTTP/1.1 200 OK - 13 bytes in 0.001234 second response time".
//config:	  Status < 400 is OK, < 500 WARNING, else CRITICAL, unless -s says otherwise.
//config:	  Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//config:
//config:	  -u, --url=URL	http:// or https:// URL to fetch (required)
//config:	  -s, --status=RANGE=STATUS	Map a status code or MIN-MAX range to ok, warning,
//config:		critical or unknown (repeatable; the first match wins)
//config:	  -m, --method=METHOD	GET (default), HEAD, POST, PUT or any other token
//config:	  -H HEADER	Request header "Name: value" (repeatable; Host: sets the Host)
//config:	  -d, --body=STR	Request body
//config:	  -p, --pattern=RE	Regexp (RE2 syntax subset) expected in the body
//config:	  -B, --require-bytes=N	The response must have exactly N bytes
//config:	  -g, --min-bytes=N	The response must have at least N bytes
//config:	  --user=USER[:PASSWORD]	Basic authentication (a Digest challenge is answered)
//config:	  --digest	Send no credentials up front; answer a Digest challenge only
//config:	  --max-redirects=N	Follow at most N redirects (default 10)
//config:	  --connect-to=H1:P1:H2:P2	Connect to H2:P2 instead of H1:P1 (repeatable;
//config:		empty H1/P1 match any, empty H2/P2 keep the original)
//config:	  -x, --proxy=[http://][USER:PASS@]HOST[:PORT]	Proxy (default port 1080);
//config:		without it HTTP_PROXY, HTTPS_PROXY and NO_PROXY are used (not for
//config:		loopback hosts)
//config:	  -i, --source-ip=IP	Local address to connect from
//config:	  -4, -6	Use only IPv4 / only IPv6 addresses
//config:	  -t, --timeout=SEC	Seconds the whole check may take (0: 30)
//config:	  --no-check-certificate	Do not verify the server certificate
//config:	  --ca-file=FILE	Verify against this CA bundle (default: system store)
//config:	  --cert-file=FILE	Client certificate (PEM), with --key-file
//config:	  --key-file=FILE	Its private key (PEM)
//config:
//config:	  Beyond upstream (off by default):
//config:	  -w, --warning=SEC	Response time that gives WARNING
//config:	  -c, --critical=SEC	Response time that gives CRITICAL
//config:		(-w or -c add perfdata: |time=Ss;W;C;0 size=NB;;;0)
//config:	  --cert-warn=DAYS	WARNING when the certificate expires within DAYS
//config:	  --cert-crit=DAYS	CRITICAL when the certificate expires within DAYS
//config:		(either shows the days left in the output)
//config:	  --tls-min=VERSION	Lowest TLS version accepted: 1.2 or 1.3
//config:	  --max-body=BYTES	Read at most BYTES of the body (default 1048576);
//config:		the rest is not read and the check does not fail for it

#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "autoconf.h"
#include "../lib/cli.h"
#include "../lib/report.h"
#include "../lib/re2.h"
#include "../lib/util.h"
#include "../lib/record.h"
#include "../net/http.h"
#include "../net/probe.h"

#define LIST_MAX 64
#define DEFAULT_TIMEOUT 30

enum { ST_OK, ST_WARNING, ST_CRITICAL, ST_UNKNOWN };
static const char *const st_name[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

struct status_range {
	int min, max, st;
};

struct http_opts {
	const char *url, *source_ip, *pattern, *method, *proxy, *user, *body, *ca_file;
	const char *cert_file, *key_file;
	const char *statuses[LIST_MAX], *headers[LIST_MAX], *connect_tos[LIST_MAX];
	size_t nstatuses, nheaders, nconnect_tos;
	long max_redirects, require_bytes, min_bytes, max_body, cert_warn, cert_crit;
	double timeout, warning, critical;
	int no_check_cert, digest, family, tls_min;
};

/* what the verdict is printed with: the shared options and, for --format json and
 * prometheus, the probe's spec and record */
static struct {
	struct cli_opts cli;
	const struct probe_type *type;
	const void *spec;
	const struct record *rec;
	double t0;
} G_out;

static _Noreturn void report(int st, const char *msg)
{
	char target[URL_MAX] = "";

	if (!cli_should_print(&G_out.cli, st == ST_OK)) {
		;	/* --quiet, and all is well */
	} else if (G_out.cli.format == OUTPUT_TEXT) {
		printf("HTTP %s: %s\n", st_name[st], msg);
	} else {
		struct report_check c = { .name = "check-http", .type = "http", .target = target,
					  .verdict = st_name[st], .reason = msg, .success = st == ST_OK,
					  .duration = G_out.t0 > 0 ? mono_sec() - G_out.t0 : 0,
					  .rec = G_out.rec };
		if (G_out.type && G_out.spec)
			G_out.type->target(G_out.spec, target, sizeof(target));
		if (G_out.cli.format == OUTPUT_JSON)
			report_json(stdout, "check-http", st_name[st], cli_exit(&G_out.cli, st), &c, 1);
		else
			report_prom(stdout, &c, 1);
	}
	fflush(stdout);
	exit(cli_exit(&G_out.cli, st));
}

static int status_word(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcasecmp(st_name[i], s))
			return i;
	return -1;
}

/* "404=ok", "300-399=warning": 0, or -1 (upstream's "Invalid mapping of status") */
int check_http_status_range(const char *s, struct status_range *r)
{
	const char *eq = strchr(s, '='), *dash;
	char num[16];
	long a, b;

	if (!eq || (r->st = status_word(eq + 1)) < 0)
		return -1;
	dash = memchr(s, '-', (size_t)(eq - s));
	if (dash && memchr(dash + 1, '-', (size_t)(eq - dash - 1)))
		return -1;
	if ((size_t)((dash ? dash : eq) - s) >= sizeof(num))
		return -1;
	snprintf(num, sizeof(num), "%.*s", (int)((dash ? dash : eq) - s), s);
	if (parse_long(num, -999999, 999999, &a) < 0)
		return -1;
	b = a;
	if (dash) {
		if ((size_t)(eq - dash - 1) >= sizeof(num))
			return -1;
		snprintf(num, sizeof(num), "%.*s", (int)(eq - dash - 1), dash + 1);
		if (parse_long(num, -999999, 999999, &b) < 0 || a > b)
			return -1;
	}
	r->min = (int)a;
	r->max = (int)b;
	return 0;
}

static void add_list(const char **list, size_t *n, const char *v, const char *what)
{
	if (*n >= LIST_MAX)
		error_exit("too many %s options (at most %d)", what, LIST_MAX);
	list[(*n)++] = v;
}

static void parse_args(struct http_opts *o, int argc, char **argv)
{
	enum { O_NOCHECK = 256, O_MAXREDIR, O_CONNECTTO, O_USER, O_CERT, O_KEY, O_CA, O_CERTWARN,
	       O_CERTCRIT, O_TLSMIN, O_MAXBODY, O_DIGEST };
	static const struct option lo[] = {
		{ "url", required_argument, 0, 'u' },
		{ "status", required_argument, 0, 's' },
		{ "no-check-certificate", no_argument, 0, O_NOCHECK },
		{ "source-ip", required_argument, 0, 'i' },
		{ "header", required_argument, 0, 'H' },
		{ "pattern", required_argument, 0, 'p' },
		{ "max-redirects", required_argument, 0, O_MAXREDIR },
		{ "method", required_argument, 0, 'm' },
		{ "connect-to", required_argument, 0, O_CONNECTTO },
		{ "proxy", required_argument, 0, 'x' },
		{ "user", required_argument, 0, O_USER },
		{ "require-bytes", required_argument, 0, 'B' },
		{ "body", required_argument, 0, 'd' },
		{ "min-bytes", required_argument, 0, 'g' },
		{ "timeout", required_argument, 0, 't' },
		{ "cert-file", required_argument, 0, O_CERT },
		{ "key-file", required_argument, 0, O_KEY },
		{ "ca-file", required_argument, 0, O_CA },
		{ "warning", required_argument, 0, 'w' },
		{ "critical", required_argument, 0, 'c' },
		{ "cert-warn", required_argument, 0, O_CERTWARN },
		{ "cert-crit", required_argument, 0, O_CERTCRIT },
		{ "tls-min", required_argument, 0, O_TLSMIN },
		{ "max-body", required_argument, 0, O_MAXBODY },
		{ "digest", no_argument, 0, O_DIGEST },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	int c;

	o->max_redirects = 10;
	o->require_bytes = o->min_bytes = o->cert_warn = o->cert_crit = -1;
	o->max_body = HTTP_BODY_DEFAULT;
	cli_args(&G_out.cli, "check-http", ":u:s:i:H:p:m:x:B:d:g:t:w:c:46", lo, &argc, &argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":u:s:i:H:p:m:x:B:d:g:t:w:c:46", lo, NULL)) != -1) {
		switch (c) {
		case 'u': o->url = optarg; break;
		case 's': add_list(o->statuses, &o->nstatuses, optarg, "-s"); break;
		case O_NOCHECK: o->no_check_cert = 1; break;
		case 'i': o->source_ip = optarg; break;
		case 'H': add_list(o->headers, &o->nheaders, optarg, "-H"); break;
		case 'p': o->pattern = optarg; break;
		case O_MAXREDIR:
			if (parse_long(optarg, 0, 1000, &o->max_redirects))
				error_exit("invalid --max-redirects '%s' (0 to 1000)", optarg);
			break;
		case 'm':
			if (!http_method_ok(optarg))
				error_exit("invalid method '%s'", optarg);
			o->method = optarg;
			break;
		case O_CONNECTTO: add_list(o->connect_tos, &o->nconnect_tos, optarg, "--connect-to"); break;
		case 'x': o->proxy = optarg; break;
		case O_USER: o->user = optarg; break;
		case 'B':
			if (parse_long(optarg, -1, 0x7fffffffL, &o->require_bytes))
				error_exit("invalid --require-bytes '%s'", optarg);
			break;
		case 'd': o->body = optarg; break;
		case 'g':
			if (parse_long(optarg, -1, 0x7fffffffL, &o->min_bytes))
				error_exit("invalid --min-bytes '%s'", optarg);
			break;
		case 't':
			if (parse_double(optarg, &o->timeout) || o->timeout < 0 || o->timeout > 86400)
				error_exit("invalid timeout '%s'", optarg);
			break;
		case O_CERT: o->cert_file = optarg; break;
		case O_KEY: o->key_file = optarg; break;
		case O_CA: o->ca_file = optarg; break;
		case 'w':
			if (parse_double(optarg, &o->warning) || o->warning <= 0)
				error_exit("invalid warning '%s'", optarg);
			break;
		case 'c':
			if (parse_double(optarg, &o->critical) || o->critical <= 0)
				error_exit("invalid critical '%s'", optarg);
			break;
		case O_CERTWARN:
			if (parse_long(optarg, 0, 100000, &o->cert_warn))
				error_exit("invalid --cert-warn '%s' (days)", optarg);
			break;
		case O_CERTCRIT:
			if (parse_long(optarg, 0, 100000, &o->cert_crit))
				error_exit("invalid --cert-crit '%s' (days)", optarg);
			break;
		case O_TLSMIN:
			if (!strcmp(optarg, "1.2"))
				o->tls_min = TLS_VER_1_2;
			else if (!strcmp(optarg, "1.3"))
				o->tls_min = TLS_VER_1_3;
			else
				error_exit("invalid --tls-min '%s' (1.2 or 1.3)", optarg);
			break;
		case O_MAXBODY:
			if (parse_long(optarg, 1, 1L << 30, &o->max_body))
				error_exit("invalid --max-body '%s' (1 to %ld)", optarg, 1L << 30);
			break;
		case O_DIGEST: o->digest = 1; break;
		default:
			if (!cli_opt(&G_out.cli, c, optarg))
				opt_common(c, argv, &o->family);
		}
	}
	if (optind < argc)
		error_exit("unexpected argument '%s' (see --help)", argv[optind]);
	if (!o->url)
		error_exit("the required flag '-u, --url' was not specified (see --help)");
	if (!o->cert_file != !o->key_file)
		error_exit("--cert-file and --key-file go together");
}

/* upstream's parseProxy: http:// when no scheme is given, port 1080 when none is */
static const char *proxy_url(const char *p, char *buf, size_t len)
{
	struct url u;
	char err[160];

	size_t added = strstr(p, "://") ? 0 : 7;
	struct sbuf b;

	sbuf_init(&b, buf, len);
	sbuf_add(&b, "http://", added);
	sbuf_puts(&b, p);
	if (url_parse(&u, buf, err, sizeof(err)) < 0) {
		char shown[URL_MAX];
		url_redact(buf, shown, sizeof(shown));	/* with the scheme, so userinfo is found */
		report(ST_UNKNOWN, xasprintf("parse \"%s\": %s", shown + added, err));
	}
	if (!u.port[0]) {
		/* insert :1080 after the authority */
		char *auth = strstr(buf, "://") + 3;
		size_t alen = strcspn(auth, "/?#");
		char rest[URL_MAX];
		str_copy(rest, sizeof(rest), auth + alen);
		if (alen && auth[alen - 1] == ':')
			alen--;
		snprintf(auth + alen, len - (size_t)(auth + alen - buf), ":1080%s", rest);
	}
	return buf;
}

/* Go's url.Error op: "Get", "Head", "Post" */
static void op_name(const char *method, char *out, size_t len)
{
	size_t i;

	for (i = 0; method[i] && i + 1 < len; i++)
		out[i] = i ? (char)tolower((unsigned char)method[i]) : method[i];
	out[i] = 0;
}

static int worse(int a, int b)
{
	static const int rank[] = { 0, 1, 3, 2 };	/* OK < WARNING < UNKNOWN < CRITICAL */
	return rank[b] > rank[a] ? b : a;
}

/* set the http probe's field called name (its YAML key) from text that was checked already */
static void set(void *spec, const char *name, const char *text)
{
	const struct probe_field *f = probe_field(probe_find("http"), name, 0);
	char err[300];

	if (!f)
		error_exit("the http probe has no field %s", name);
	if (probe_set(spec, f, text, strlen(text), err, sizeof(err)) < 0)
		error_exit("%s", err);
}

/* the record's key of that type, NULL when it is not there */
static const struct record_item *get(const struct record *r, const char *key, int type)
{
	const struct record_item *it = record_get(r, key);

	return it && (int)it->type == type ? it : NULL;
}

static const char *str(const struct record *r, const char *key)
{
	const struct record_item *it = get(r, key, RECORD_STR);

	return it ? it->v.s.p : NULL;
}

int check_http_main(int argc, char **argv)
{
	struct http_opts o = { 0 };
	struct status_range ranges[LIST_MAX];
	struct http_connect_to ct;
	struct url u;
	struct record r;
	const struct record_item *it, *status, *body;
	char err[512], perr[512], sline[1024], pbuf[URL_MAX], op[16], user[512], num[24], ip[64], *colon;
	const char *method, *errmsg, *line;
	struct re2 *re = NULL;
	int re_ok = 0, st = ST_UNKNOWN, found = 0;
	long long bytes;
	double elapsed;
	struct sbuf msg;
	char *mbuf;
	const struct probe_type *t = probe_find("http");	/* selected by CHECK_HTTP */
	void *spec;

	parse_args(&o, argc, argv);
	for (size_t i = 0; i < o.nstatuses; i++)
		if (check_http_status_range(o.statuses[i], &ranges[i]) < 0)
			report(ST_UNKNOWN, xasprintf("Invalid mapping of status: %s", o.statuses[i]));
	spec = probe_spec_new(t);
	if (o.source_ip) {
		unsigned char b[16];
		const char *a = conn_unbracket(o.source_ip, ip, sizeof(ip));
		if (inet_pton(AF_INET, a, b) != 1 && inet_pton(AF_INET6, a, b) != 1)
			report(ST_UNKNOWN, xasprintf("Invalid source IP address: %s", o.source_ip));
		set(spec, "source_address", a);
	}
	if (o.proxy)
		set(spec, "proxy_url", proxy_url(o.proxy, pbuf, sizeof(pbuf)));
	for (size_t i = 0; i < o.nconnect_tos; i++) {
		if (http_connect_to_parse(o.connect_tos[i], &ct) < 0)
			report(ST_UNKNOWN, xasprintf("Invalid --connect-to pattern: %s", o.connect_tos[i]));
		set(spec, "connect_to", o.connect_tos[i]);
	}
	if (url_parse(&u, o.url, err, sizeof(err)) < 0) {
		url_redact(o.url, pbuf, sizeof(pbuf));
		report(ST_UNKNOWN, xasprintf("parse \"%s\": %s", pbuf, err));
	}
	for (size_t i = 0; i < o.nheaders; i++) {
		if (http_field_check(o.headers[i], err, sizeof(err)) < 0)
			report(ST_UNKNOWN, xasprintf("failed to parse header: %s", err));
		set(spec, "headers", o.headers[i]);
	}
	if (o.pattern && *o.pattern)
		re_ok = (re = re2_compile(o.pattern, err, sizeof(err))) ? 1 : -1;
	if (o.user) {
		str_copy(user, sizeof(user), o.user);
		colon = strchr(user, ':');
		if (colon)
			*colon++ = 0;
		set(spec, "user", user);
		set(spec, "password", colon ? colon : "");
	}

	method = o.method ? o.method : "GET";
	set(spec, "url", o.url);
	set(spec, "method", method);
	if (o.body)
		set(spec, "body", o.body);
	/* Basic up front, a Digest challenge answered; --digest: only the latter */
	set(spec, o.digest ? "digest" : "answer_digest", "true");
	set(spec, "allow_redirects", "true");
	fmt_long(num, o.max_redirects);
	set(spec, "max_redirects", num);
	((struct probe_base *)spec)->conn.family = o.family;
	if (o.no_check_cert)
		set(spec, "disable_tls_verification", "true");
	if (o.ca_file)
		set(spec, "ca_file", o.ca_file);
	if (o.cert_file) {
		set(spec, "cert_file", o.cert_file);
		set(spec, "key_file", o.key_file);
	}
	if (o.tls_min)
		set(spec, "tls_min_version", o.tls_min == TLS_VER_1_3 ? "1.3" : "1.2");
	fmt_long(num, o.max_body);
	set(spec, "max_body", num);
	set(spec, "user_agent", "check-http");	/* mackerel's default; -H User-Agent: replaces it */
	/* what only shows when the fetch starts (a CA file, a client certificate, TLS 1.3 in a
	 * build without it) is bad usage too */
	if (probe_ready(t, spec, perr, sizeof(perr)) < 0)
		report(ST_UNKNOWN, perr);

	record_init(&r);
	if ((size_t)o.max_body > r.max_str) {	/* the body goes into the record whole */
		r.max_bytes += (size_t)o.max_body - r.max_str;
		r.max_str = (size_t)o.max_body;
	}
	op_name(method, op, sizeof(op));
	G_out.type = t;
	G_out.spec = spec;
	G_out.rec = &r;
	G_out.t0 = mono_sec();
	probe_run(t, spec, deadline_in(o.timeout > 0 ? o.timeout : DEFAULT_TIMEOUT), &r);
	memset(user, 0, sizeof(user));
	/* the client's own message (Go's shape); the probe's when the record refused the body */
	if (!(errmsg = str(&r, "http.error")) && !(errmsg = str(&r, "error")))
		errmsg = "";
	status = get(&r, "http.resp.status", RECORD_INT);
	if (!status) {	/* no response at all */
		if ((it = get(&r, "http.error_class", RECORD_INT)) && it->v.i == CONN_E_CONFIG)
			report(ST_UNKNOWN, errmsg);
		line = str(&r, "http.url");
		report(ST_CRITICAL, xasprintf("%s \"%s\": %s", op, line ? line : o.url, errmsg));
	}
	elapsed = (it = get(&r, "http.resp.time.perf", RECORD_FLOAT)) ? it->v.f : 0;
	body = get(&r, "http.resp.body", RECORD_STR);
	it = get(&r, "http.resp.content_length", RECORD_INT);
	bytes = it ? (long long)it->v.i : body ? (long long)body->v.s.len : 0;

	for (size_t i = 0; i < o.nstatuses && !found; i++)
		if (ranges[i].min <= status->v.i && status->v.i <= ranges[i].max)
			st = ranges[i].st, found = 1;
	if (!found)
		st = status->v.i < 400 ? ST_OK : status->v.i < 500 ? ST_WARNING : ST_CRITICAL;

	mbuf = xmalloc(8192);
	sbuf_init(&msg, mbuf, 8192);
	if (re_ok < 0)
		report(ST_UNKNOWN, xasprintf("error parsing regexp: %s", err));
	if (!get(&r, "success", RECORD_BOOL)->v.b) {	/* a response whose body broke off */
		sbuf_printf(&msg, "Incomplete body: %s\n", errmsg);
		st = ST_CRITICAL;
	}
	if (re_ok > 0 && !re2_match(re, body ? body->v.s.p : "", body ? body->v.s.len : 0)) {
		sbuf_printf(&msg, "'%s' not found in the content\n", o.pattern);
		st = ST_CRITICAL;
	}
	if (o.require_bytes > -1 && o.require_bytes != bytes) {
		sbuf_printf(&msg, "Response was '%lld' bytes instead of '%ld'\n", bytes, o.require_bytes);
		st = ST_CRITICAL;
	}
	if (o.min_bytes > -1 && o.min_bytes > bytes) {
		sbuf_printf(&msg, "Response was '%lld' bytes instead of the indicated minimum '%ld'\n",
			    bytes, o.min_bytes);
		st = ST_CRITICAL;
	}
	if (o.critical > 0 && elapsed > o.critical) {
		sbuf_printf(&msg, "Response time %f seconds is over the critical threshold %g\n",
			    elapsed, o.critical);
		st = worse(st, ST_CRITICAL);
	} else if (o.warning > 0 && elapsed > o.warning) {
		sbuf_printf(&msg, "Response time %f seconds is over the warning threshold %g\n",
			    elapsed, o.warning);
		st = worse(st, ST_WARNING);
	}
	line = str(&r, "http.resp.status_line");
	/* the server's words, without its terminal escapes */
	str_copy(sline, sizeof(sline), line ? line : "");
	/* "%s - %lld bytes in %f second response time", without printf */
	sbuf_puts(&msg, probe_printable(sline));
	sbuf_add(&msg, " - ", 3);
	sbuf_long(&msg, bytes);
	sbuf_add(&msg, " bytes in ", 10);
	sbuf_fixed(&msg, elapsed, 6);
	sbuf_add(&msg, " second response time", 21);
	/* ENABLE_TLS: without TLS there is no certificate, and gmtime and the date are dropped */
	if (ENABLE_TLS && (o.cert_warn >= 0 || o.cert_crit >= 0) &&
	    (it = get(&r, "ssl.con.cert.notAfter", RECORD_TIME))) {
		time_t not_after = (time_t)it->v.t;
		long days = (long)((not_after - time(NULL)) / 86400);
		struct tm tm;

		/* strftime's "%Y-%m-%d" without its locale and time-zone code */
		gmtime_r(&not_after, &tm);
		sbuf_printf(&msg, " - certificate expires in %ld days (%04d-%02d-%02d)", days,
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		if (o.cert_crit >= 0 && days < o.cert_crit)
			st = worse(st, ST_CRITICAL);
		else if (o.cert_warn >= 0 && days < o.cert_warn)
			st = worse(st, ST_WARNING);
	}
	if (o.warning > 0 || o.critical > 0) {
		/* perfdata goes on the first line (Nagios plugin guidelines) */
		char perf[160], w[32] = "", c[32] = "";
		size_t first = strcspn(msg.p, "\n");
		char *out;

		if (o.warning > 0)
			snprintf(w, sizeof(w), "%g", o.warning);
		if (o.critical > 0)
			snprintf(c, sizeof(c), "%g", o.critical);
		snprintf(perf, sizeof(perf), " |time=%fs;%s;%s;0 size=%lldB;;;0", elapsed, w, c, bytes);
		out = xasprintf("%.*s%s%s", (int)first, msg.p, perf, msg.p + first);
		report(st, out);
	}
	report(st, msg.p);
}
