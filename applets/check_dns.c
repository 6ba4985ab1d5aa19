/* check_dns.c - check-dns: mackerel go-check-plugins' check-dns, a DNS query with Nagios-style
 * status: a front end of the dns probe (net/probe_dns.c, RFC 1035) that judges its record as
 * upstream does: NOERROR is OK, any other rcode CRITICAL; -e compares the answers.
 *
 * Deviations from upstream, all listed in docs/compat.md: NS, SOA, SRV and PTR queries too; a
 * truncated UDP answer is asked again over TCP; -t bounds the whole check (default 2 s, as
 * upstream's read timeout); a failure to reach the server says it in our words, not Go's;
 * bad usage exits 3 (UNKNOWN), not 1.
 */
//applet:IF_CHECK_DNS(APPLET_CLI("check-dns", check_dns))
//kbuild:obj-$(CONFIG_CHECK_DNS) += check_dns.o
//config:config CHECK_DNS
//config:	bool "check-dns (+12 kB; +4 kB where the dns probe is in)"
//config:	default y
//config:	select PROBE_DNS
//config:	help
//config:	  usage: check-dns -H NAME [-s SERVER] [-p PORT] [-q TYPE] [-c CLASS] [-e STR]...
//config:
//config:	  Ask a DNS server for a record and report like mackerel's check-dns:
//config:	  "DNS OK: HEADER-> ;; opcode: QUERY, status: NOERROR, id: ..." and one
//config:	  "ANSWER-> ..." line per answer. NOERROR is OK, any other status CRITICAL.
//config:	  Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//config:
//config:	  -H, --host=NAME	The name or address you want to query (required)
//config:	  -s, --server=ADDR	DNS server to ask (default: the first nameserver of
//config:		/etc/resolv.conf)
//config:	  -p, --port=N	Its port (default 53)
//config:	  -q, --querytype=TYPE	A (default), AAAA, TXT, MX, CNAME, NS, SOA, SRV, PTR
//config:	  -c, --queryclass=CLASS	IN (default), CS, CH, HS, NONE, ANY
//config:	  --norec	Do not ask for recursion
//config:	  -e, --expected-string=STR	An answer expected (repeatable): OK when the
//config:		answers are exactly these, WARNING when only some match, CRITICAL when
//config:		none does (a TXT answer is compared without its quotes)
//config:	  -t, --timeout=SEC	Seconds the whole check may take (default 2)
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/cli.h"
#include "../lib/record.h"
#include "../lib/report.h"
#include "../lib/util.h"
#include "../net/dns.h"
#include "../net/probe.h"

#define EXPECT_MAX 64

enum { ST_OK, ST_WARNING, ST_CRITICAL, ST_UNKNOWN };
static const char *const st_name[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

struct dns_opts {
	const char *host, *server, *qtype, *qclass, *port;
	const char *expect[EXPECT_MAX];
	size_t nexpect;
	double timeout;
	int norec;
	struct cli_opts cli;
	/* for --format json and prometheus */
	const struct probe_type *type;
	const void *spec;
	const struct record *rec;
	double t0;
};

static _Noreturn void report(const struct dns_opts *o, int st, const char *msg)
{
	char target[512] = "";

	if (!cli_should_print(&o->cli, st == ST_OK)) {
		;	/* --quiet, and all is well */
	} else if (o->cli.format == OUTPUT_TEXT) {
		printf("DNS %s: %s\n", st_name[st], msg);
	} else {
		struct report_check c = { .name = "check-dns", .type = "dns", .target = target,
					  .verdict = st_name[st], .reason = msg,
					  .success = st == ST_OK, .duration = mono_sec() - o->t0,
					  .rec = o->rec };
		if (o->spec)
			o->type->target(o->spec, target, sizeof(target));
		if (o->cli.format == OUTPUT_JSON)
			report_json(stdout, "check-dns", st_name[st], cli_exit(&o->cli, st), &c, 1);
		else
			report_prom(stdout, &c, 1);
	}
	fflush(stdout);
	exit(cli_exit(&o->cli, st));
}

static void parse_args(struct dns_opts *o, int argc, char **argv)
{
	enum { O_NOREC = 256 };
	static const struct option lo[] = {
		{ "host", required_argument, 0, 'H' },
		{ "server", required_argument, 0, 's' },
		{ "port", required_argument, 0, 'p' },
		{ "querytype", required_argument, 0, 'q' },
		{ "queryclass", required_argument, 0, 'c' },
		{ "norec", no_argument, 0, O_NOREC },
		{ "expected-string", required_argument, 0, 'e' },
		{ "timeout", required_argument, 0, 't' },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	long port;
	int c, family;

	o->qtype = "A";
	o->qclass = "IN";
	o->port = "53";
	o->timeout = 2;
	cli_args(&o->cli, "check-dns", ":H:s:p:q:c:e:t:", lo, &argc, &argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":H:s:p:q:c:e:t:", lo, NULL)) != -1) {
		switch (c) {
		case 'H': o->host = optarg; break;
		case 's': o->server = optarg; break;
		case 'p':
			if (parse_long(optarg, 1, 65535, &port))
				error_exit("invalid port '%s' (1 to 65535)", optarg);
			o->port = optarg;
			break;
		case 'q': o->qtype = optarg; break;
		case 'c': o->qclass = optarg; break;
		case O_NOREC: o->norec = 1; break;
		case 'e':
			if (o->nexpect == EXPECT_MAX)
				error_exit("too many -e options (at most %d)", EXPECT_MAX);
			o->expect[o->nexpect++] = optarg;
			break;
		case 't':
			if (parse_double(optarg, &o->timeout) || !(o->timeout > 0) || o->timeout > 86400)
				error_exit("invalid timeout '%s'", optarg);
			break;
		default:
			if (!cli_opt(&o->cli, c, optarg))
				opt_common(c, argv, &family);
		}
	}
	if (optind < argc)
		error_exit("unexpected argument '%s' (see --help)", argv[optind]);
	if (!o->host)
		error_exit("the required flag '-H, --host' was not specified (see --help)");
}

static void set(struct dns_opts *o, void *spec, const char *name, const char *value)
{
	const struct probe_field *f = probe_field(o->type, name, 0);
	char err[300];

	if (value && probe_set(spec, f, value, strlen(value), err, sizeof(err)) < 0)
		report(o, ST_CRITICAL, err);
}

static const struct record_item *item(const struct record *r, const char *key,
				      enum record_type type)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == type ? it : NULL;
}

int check_dns_main(int argc, char **argv)
{
	struct dns_opts o = { 0 };
	const struct record_item *rcode, *id, *flags, *ans, *recs;
	struct record r;
	struct sbuf msg;
	char err[300], *m;
	void *spec;
	int st;

	parse_args(&o, argc, argv);
	o.type = probe_find("dns");
	o.t0 = mono_sec();
	/* upstream's own checks, CRITICAL as it says them */
	if (dns_type(o.qtype) < 0)
		report(&o, ST_CRITICAL, xasprintf("%s is not supported query type", o.qtype));
	if (dns_class(o.qclass) < 0)
		report(&o, ST_CRITICAL, xasprintf("%s is invalid query class", o.qclass));
	spec = probe_spec_new(o.type);
	set(&o, spec, "host", o.host);
	set(&o, spec, "server", o.server);
	set(&o, spec, "port", o.port);
	set(&o, spec, "qtype", o.qtype);
	set(&o, spec, "qclass", o.qclass);
	set(&o, spec, "norec", o.norec ? "true" : NULL);
	if (probe_ready(o.type, spec, err, sizeof(err)) < 0)
		report(&o, ST_CRITICAL, err);
	record_init(&r);
	o.spec = spec;
	o.rec = &r;
	probe_run(o.type, spec, deadline_in(o.timeout), &r);
	rcode = item(&r, "dns.rcode", RECORD_STR);
	id = item(&r, "dns.id", RECORD_INT);
	flags = item(&r, "dns.flags", RECORD_STR);
	ans = item(&r, "dns.answers", RECORD_LIST);
	recs = item(&r, "dns.records", RECORD_LIST);
	if (!rcode || !id || !flags || !ans || !recs)	/* no answer */
		report(&o, ST_CRITICAL, item(&r, "error", RECORD_STR)->v.s.p);
	st = ST_OK;
	if (o.nexpect) {
		for (size_t i = 0; i < recs->v.list.n; i++) {
			const char *t = recs->v.list.v[i];
			char type[16];
			for (int f = 0; f < 3; f++) {	/* name, ttl, class: then the type */
				t += strcspn(t, "\t");
				t += !!*t;
			}
			snprintf(type, sizeof(type), "%.*s", (int)strcspn(t, "\t"), t);
			if (dns_type(type) < 0)
				report(&o, ST_CRITICAL, xasprintf("%s is not supported query type", o.qtype));
		}
		st = dns_expect((const char *const *)ans->v.list.v, ans->v.list.n, o.expect, o.nexpect);
	}
	if (strcmp(rcode->v.s.p, "NOERROR"))
		st = ST_CRITICAL;
	m = xmalloc(DNS_TEXT_MAX * 2);
	sbuf_init(&msg, m, DNS_TEXT_MAX * 2);
	sbuf_printf(&msg, "HEADER-> ;; opcode: QUERY, status: %s, id: %lld\n;; flags:%s%s;\n",
		    rcode->v.s.p, (long long)id->v.i, *flags->v.s.p ? " " : "", flags->v.s.p);
	for (size_t i = 0; i < recs->v.list.n; i++)
		sbuf_printf(&msg, "ANSWER-> %s\n", recs->v.list.v[i]);
	report(&o, st, msg.p);
}
