/* check_http.c - check-http: mackerel go-check-plugins' check-http, an HTTP(S) check with
 * Nagios-style status (RFC 9110/9112 through net/http.c; perfdata per the Nagios plugin
 * guidelines).
 *
 * Deviations from upstream, all listed in docs/compat.md: -i is honoured without
 * --connect-to; bad usage exits 3 (UNKNOWN), not 1; -t 0 (the default) means 30 s, not
 * "forever"; the body is read up to --max-body bytes; no gzip is asked for; [IPv6] hosts
 * in --connect-to match; --cert-file without --key-file (or the reverse) is an error.
 */
//applet:IF_CHECK_HTTP(APPLET("check-http", check_http))
//kbuild:obj-$(CONFIG_CHECK_HTTP) += check_http.o
//config:config CHECK_HTTP
//config:	bool "check-http (+9 kB)"
//config:	default y
//config:	select HTTP
//config:	select RE2POSIX
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
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "autoconf.h"
#include "../lib/re2posix.h"
#include "../lib/util.h"
#include "../net/http.h"

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

static _Noreturn void report(int st, const char *msg)
{
	printf("HTTP %s: %s\n", st_name[st], msg);
	fflush(stdout);
	exit(st);
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
		{ 0, 0, 0, 0 },
	};
	int c;

	o->max_redirects = 10;
	o->require_bytes = o->min_bytes = o->cert_warn = o->cert_crit = -1;
	o->max_body = HTTP_BODY_DEFAULT;
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

	snprintf(buf, len, "%s%s", added ? "http://" : "", p);
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
		snprintf(rest, sizeof(rest), "%s", auth + alen);
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

int check_http_main(int argc, char **argv)
{
	struct http_opts o = { 0 };
	struct status_range ranges[LIST_MAX];
	struct http_connect_to *cts;
	struct http_request rq = { 0 };
	struct http_result res;
	struct url u;
	char err[512], pbuf[URL_MAX], op[16], user[512], *colon;
	regex_t re;
	int re_ok = 0, st = ST_UNKNOWN, found = 0;
	long long bytes;
	double elapsed;
	struct sbuf msg;
	char *mbuf;

	parse_args(&o, argc, argv);
	for (size_t i = 0; i < o.nstatuses; i++)
		if (check_http_status_range(o.statuses[i], &ranges[i]) < 0)
			report(ST_UNKNOWN, xasprintf("Invalid mapping of status: %s", o.statuses[i]));
	if (o.source_ip) {
		unsigned char b[16];
		char h[64];
		const char *ip = conn_unbracket(o.source_ip, h, sizeof(h));
		if (inet_pton(AF_INET, ip, b) != 1 && inet_pton(AF_INET6, ip, b) != 1)
			report(ST_UNKNOWN, xasprintf("Invalid source IP address: %s", o.source_ip));
		rq.conn.source = ip;
	}
	if (o.proxy)
		rq.proxy = proxy_url(o.proxy, pbuf, sizeof(pbuf));
	cts = xzalloc(sizeof(*cts) * (o.nconnect_tos ? o.nconnect_tos : 1));
	for (size_t i = 0; i < o.nconnect_tos; i++)
		if (http_connect_to_parse(o.connect_tos[i], &cts[i]) < 0)
			report(ST_UNKNOWN, xasprintf("Invalid --connect-to pattern: %s", o.connect_tos[i]));
	if (url_parse(&u, o.url, err, sizeof(err)) < 0) {
		url_redact(o.url, pbuf, sizeof(pbuf));
		report(ST_UNKNOWN, xasprintf("parse \"%s\": %s", pbuf, err));
	}
	for (size_t i = 0; i < o.nheaders; i++)
		if (http_field_check(o.headers[i], err, sizeof(err)) < 0)
			report(ST_UNKNOWN, xasprintf("failed to parse header: %s", err));
	if (o.pattern && *o.pattern)
		re_ok = re2_compile(&re, o.pattern, err, sizeof(err)) == 0 ? 1 : -1;
	if (o.user) {
		snprintf(user, sizeof(user), "%s", o.user);
		colon = strchr(user, ':');
		if (colon)
			*colon++ = 0;
		rq.user = user;
		rq.password = colon ? colon : "";
	}

	rq.method = o.method ? o.method : "GET";
	rq.url = o.url;
	rq.fields = o.headers;
	rq.nfields = o.nheaders;
	rq.user_agent = "check-http";	/* mackerel's default; -H User-Agent: replaces it */
	rq.body = o.body;
	rq.body_len = o.body ? strlen(o.body) : 0;
	rq.auth = o.digest ? HTTP_AUTH_DIGEST : HTTP_AUTH_BASIC | HTTP_AUTH_DIGEST;
	rq.max_redirects = (int)o.max_redirects;
	rq.connect_to = cts;
	rq.nconnect_to = o.nconnect_tos;
	rq.conn.family = o.family;
	rq.tls.insecure = o.no_check_cert;
	rq.tls.ca_file = o.ca_file;
	rq.tls.cert_file = o.cert_file;
	rq.tls.key_file = o.key_file;
	rq.tls.min_version = o.tls_min;
	rq.body_max = (size_t)o.max_body;
	rq.deadline = deadline_in(o.timeout > 0 ? o.timeout : DEFAULT_TIMEOUT);

	op_name(rq.method, op, sizeof(op));
	if (http_fetch(&rq, &res) < 0) {
		memset(user, 0, sizeof(user));
		if (res.err == CONN_E_CONFIG)
			report(ST_UNKNOWN, res.errmsg);
		if (!res.url[0])
			url_redact(o.url, res.url, sizeof(res.url));
		report(ST_CRITICAL, xasprintf("%s \"%s\": %s", op, res.url, res.errmsg));
	}
	memset(user, 0, sizeof(user));
	elapsed = res.t_headers;
	bytes = res.resp->content_length >= 0 ? (long long)res.resp->content_length
					       : (long long)res.body_len;

	for (size_t i = 0; i < o.nstatuses && !found; i++)
		if (ranges[i].min <= res.resp->status && res.resp->status <= ranges[i].max)
			st = ranges[i].st, found = 1;
	if (!found)
		st = res.resp->status < 400 ? ST_OK : res.resp->status < 500 ? ST_WARNING : ST_CRITICAL;

	mbuf = xmalloc(8192);
	sbuf_init(&msg, mbuf, 8192);
	if (re_ok < 0)
		report(ST_UNKNOWN, xasprintf("error parsing regexp: %s", err));
	if (res.body_incomplete) {
		sbuf_printf(&msg, "Incomplete body: %s\n", res.errmsg);
		st = ST_CRITICAL;
	}
	if (re_ok > 0 && !re2_match(&re, (const char *)res.body, res.body_len)) {
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
	sbuf_printf(&msg, "HTTP/%d.%d %s - %lld bytes in %f second response time", res.resp->major,
		    res.resp->minor, http_status_text(res.resp), bytes, elapsed);
	if ((o.cert_warn >= 0 || o.cert_crit >= 0) && res.tls && res.peer.not_after) {
		long days = (long)((res.peer.not_after - time(NULL)) / 86400);
		char date[16];
		struct tm tm;

		gmtime_r(&res.peer.not_after, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		sbuf_printf(&msg, " - certificate expires in %ld days (%s)", days, date);
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
