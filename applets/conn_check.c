/* conn_check.c - conn-check: Canonical's conn-check, a YAML list of connectivity checks run
 * in parallel with ordered Nagios-style output; and conn-check-export-fw, the egress rules
 * those checks need. Semantics as compat.md section 2 (names, sub-steps, ordering, exits).
 *
 * Deviations (docs/compat.md): --max-timeout reports every unfinished check as FAILED
 * (upstream drops them); tls checks really verify the chain and the host name; bad configs
 * are "FILE:LINE:COL: what" with exit 3 (upstream: a Python traceback, exit 1); unknown keys
 * are warned about; checks run on a bounded pool (-j).
 */
//applet:IF_CONN_CHECK(APPLET_CLI("conn-check", conn_check))
//applet:IF_CONN_CHECK_EXPORT_FW(APPLET_CLI("conn-check-export-fw", conn_check_export_fw))
//kbuild:obj-$(CONFIG_CONN_CHECK) += conn_check.o
//config:config CONN_CHECK
//config:	bool "conn-check (+24 kB)"
//config:	default y
//config:	select ENGINE
//config:	select RECORD
//config:	select YAML
//config:	select PROBE_TCP
//config:	select PROBE_TLS
//config:	select PROBE_UDP
//config:	select PROBE_HTTP
//config:	help
//config:	  usage: conn-check [OPTIONS] CONFIG.yaml [PATTERN]...
//config:
//config:	  Run the checks listed in a conn-check YAML file in parallel and print one
//config:	  line per check step: "NAME OK", "NAME FAILED - (INFO) REASON" or
//config:	  "SKIPPED: NAME", failures first. PATTERNs (only * is special) select steps
//config:	  by name. Exit 0 when all passed, 2 when any failed, 3 for bad usage or config.
//config:
//config:	  -v, --verbose	Also print "Starting NAME (INFO)..." for each step
//config:	  -d, --duration	Show each step's duration and a timestamp per line
//config:	  -t, --tracebacks	Show details of each failure on an indented line
//config:	  -U, --unbuffered-output	Print each line as it happens, unordered
//config:	  --validate	Check the config file and exit
//config:	  --dry-run	Print what would run (as SKIPPED lines), run nothing
//config:	  --include-tags=A,B	Only checks with at least one of these tags
//config:	  --exclude-tags=A,B	Leave out checks with any of these tags
//config:	  --connect-timeout=SEC	Default timeout of a check step (default 10)
//config:	  --max-timeout=SEC	Hard deadline for the whole run; unfinished checks FAIL
//config:	  --tls-certs-path=DIR	CA certificates for tls checks (default: system store)
//config:	  -j, --jobs=N	Checks run at once (default: all, as many as descriptors allow)
//config:	  --format=FMT	text (default), json or prometheus
//config:	  --version	Print the version
//config:
//config:config CONN_CHECK_EXPORT_FW
//config:	bool "conn-check-export-fw (+2 kB)"
//config:	default y
//config:	depends on CONN_CHECK
//config:	help
//config:	  usage: conn-check-export-fw [OPTIONS] CONFIG.yaml [PATTERN]...
//config:
//config:	  Print, as YAML, the egress firewall rules (host, protocol, ports) that the
//config:	  selected checks need; tags and patterns select checks as in conn-check.
//config:
//config:	  --include-tags=A,B	Only checks with at least one of these tags
//config:	  --exclude-tags=A,B	Leave out checks with any of these tags

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "../lib/cli.h"
#include "../lib/engine.h"
#include "../lib/record.h"
#include "../lib/report.h"
#include "../lib/util.h"
#include "../lib/yaml.h"
#include "../net/conn.h"
#include "../net/http.h"
#include "../net/probe.h"

#define CC_VERSION "1.3.1"
#define MAX_CHECKS 100000
#define MAX_STEPS 3
#define UDP_MAX 65536

/* K_PROBE: any other probe of the build, its fields read from the YAML by their names */
enum kind { K_TCP, K_TLS, K_UDP, K_HTTP, K_PROBE };
static const char *const kind_name[] = { "tcp", "tls", "udp", "http", "probe" };

enum { RES_NONE, RES_OK, RES_FAILED, RES_SKIPPED };

struct step {
	char *name;		/* the full leaf name, e.g. "http:http://x/:tcp:x:80" */
	const char *info;	/* shown in FAILED lines; NULL: none */
	enum kind kind;		/* what the step does (an http check's first step is K_TCP) */
	const char *host;
	int port;
	const struct probe_type *type;	/* the probe that runs it */
	void *spec;
	struct record *rec;	/* what the probe recorded (under engine_lock), NULL: none */
	int selected;		/* the patterns match its name */
	/* results, written under engine_lock() */
	int result;
	char *msg;		/* reason of a failure */
	char *detail;		/* for -t */
	double duration;	/* seconds */
	double t_end;		/* mono_sec() when it finished, for -U -d */
};

struct check {
	unsigned line, col;	/* of the check's mapping in the file */
	enum kind kind;
	const char *host;	/* tcp, tls, udp; http: the URL's host */
	int port;
	double timeout;
	int no_verify;		/* tls, http: disable_tls_verification */
	const char *send, *expect;	/* udp */
	size_t send_len, expect_len;
	/* http */
	const char *url, *method, *body, *proxy_url, *proxy_host;
	int proxy_port, expected_code, allow_redirects;
	const char *user, *password;
	unsigned auth;
	char **fields;		/* "Name: value" */
	size_t nfields;
	char *full_url;		/* url + params */
	char *info;
	struct step step[MAX_STEPS];
	int nsteps;
};

struct cc {
	const char *file;
	struct yaml_doc *doc;
	struct check *checks;
	int nchecks;
	int cut;		/* a step ended because --max-timeout passed (under engine_lock) */
	int reported;		/* report() has taken the verdicts: nothing else prints or
				 * changes a step (under engine_lock) */
	char **patterns;
	int npatterns;
	char **include, **exclude;
	int ninclude, nexclude;
	double connect_timeout, max_timeout;
	const char *certs_path;
	int verbose, duration, tracebacks, unbuffered, validate, dry_run, jobs;
	struct cli_opts cli;	/* --format, --exit-codes, --quiet */
	double t0;		/* mono_sec() at start */
	int64_t deadline;	/* --max-timeout, absolute; 0 none */
};

static struct cc *G;	/* the one run, for the jobs */

/* --- selection: tags and patterns -------------------------------------------------------- */

/* upstream's SimplePattern: only '*' is special, and it matches anything (':' included) */
static int glob_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == *s) {
			p++, s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static int selected(const struct cc *c, const char *name)
{
	if (!c->npatterns)
		return 1;
	for (int i = 0; i < c->npatterns; i++)
		if (glob_match(c->patterns[i], name))
			return 1;
	return 0;
}

/* comma list, whitespace around items stripped, empty items dropped */
static char **split_tags(const char *s, int *n)
{
	char **v = xzalloc(sizeof(char *) * (strlen(s) / 2 + 2));
	const char *p = s;

	*n = 0;
	while (*p) {
		size_t l = strcspn(p, ",");
		const char *a = p, *e = p + l;
		while (a < e && isspace((unsigned char)*a))
			a++;
		while (e > a && isspace((unsigned char)e[-1]))
			e--;
		if (e > a)
			v[(*n)++] = xstrndup(a, (size_t)(e - a));
		p += l;
		if (*p)
			p++;
	}
	return v;
}

static int has_tag(const struct yaml_node *tags, char **list, int n)
{
	if (!tags || tags->kind != YAML_SEQ)
		return 0;
	yaml_foreach(t, tags)
		for (int i = 0; i < n; i++)
			if (t->kind == YAML_SCALAR && !strcmp(t->text, list[i]))
				return 1;
	return 0;
}

/* --- loading the YAML -------------------------------------------------------------------- */

struct field_spec {
	const char *key;
	unsigned kinds;	/* bit per enum kind that accepts it */
};
#define B(k) (1u << (k))
#define ALL (B(K_TCP) | B(K_TLS) | B(K_UDP) | B(K_HTTP))
static const struct field_spec known[] = {
	{ "type", ALL }, { "tags", ALL }, { "timeout", ALL },
	{ "host", B(K_TCP) | B(K_TLS) | B(K_UDP) }, { "port", B(K_TCP) | B(K_TLS) | B(K_UDP) },
	{ "disable_tls_verification", B(K_TLS) | B(K_HTTP) },
	{ "send", B(K_UDP) }, { "expect", B(K_UDP) },
	{ "url", B(K_HTTP) }, { "method", B(K_HTTP) }, { "expected_code", B(K_HTTP) },
	{ "proxy_url", B(K_HTTP) }, { "proxy_host", B(K_HTTP) }, { "proxy_port", B(K_HTTP) },
	{ "headers", B(K_HTTP) }, { "body", B(K_HTTP) }, { "params", B(K_HTTP) },
	{ "cookies", B(K_HTTP) }, { "auth", B(K_HTTP) }, { "digest_auth", B(K_HTTP) },
	{ "allow_redirects", B(K_HTTP) },
};

static _Noreturn void cfg_die(const struct yaml_node *n, const char *fmt, const char *a)
{
	char err[600], msg[300];

	snprintf(msg, sizeof(msg), fmt, a);
	yaml_error(n, err, sizeof(err), "%s", msg);
	error_exit("%s", err);
}

static const struct yaml_node *need(const struct yaml_node *m, const char *key)
{
	const struct yaml_node *v = yaml_get(m, key);

	if (!v || yaml_is_null(v))
		cfg_die(m, "%s missing from check", key);
	return v;
}

static const char *get_str(const struct yaml_node *v)
{
	char err[600];
	const char *s;

	if (yaml_str(v, &s, err, sizeof(err)) < 0)
		error_exit("%s", err);
	return s;
}

static int get_port(const struct yaml_node *v)
{
	char err[600];
	long long p;
	long lp;

	/* upstream casts with int(): "5432" is as good as 5432 */
	if (v->kind == YAML_SCALAR && v->type == YAML_STR && parse_long(v->text, 1, 65535, &lp) == 0)
		return (int)lp;
	if (yaml_int(v, 1, 65535, &p, err, sizeof(err)) < 0)
		error_exit("%s", err);
	return (int)p;
}

static int get_bool(const struct yaml_node *v)
{
	char err[600];
	int b;

	if (yaml_bool(v, &b, err, sizeof(err)) < 0)
		error_exit("%s", err);
	return b;
}

static void pair(const struct yaml_node *v, const char **a, const char **b)
{
	if (v->kind != YAML_SEQ || v->count != 2)
		cfg_die(v, "expected a list [%s, password]", "user");
	*a = get_str(v->child);
	*b = get_str(v->child->next);
}

static void add_field(struct check *k, const char *name, const char *value)
{
	char err[200];
	char *line = xasprintf("%s: %s", name, value);

	if (http_field_check(line, err, sizeof(err)) < 0)
		error_exit("%s:%u:%u: bad header %s: %s", G->file, k->line, k->col, name, err);
	k->fields = xrealloc(k->fields, sizeof(char *) * (k->nfields + 1));
	k->fields[k->nfields++] = line;
}

/* headers: {Name: value} or {Name: [v1, v2]} (repeated), or a list of [name, value] pairs */
static void load_headers(struct check *k, const struct yaml_node *h)
{
	if (h->kind == YAML_MAP) {
		yaml_foreach(key, h) {
			const struct yaml_node *v = key->value;
			if (v->kind == YAML_SEQ) {
				yaml_foreach(it, v)
					add_field(k, key->text, get_str(it));
			} else {
				add_field(k, key->text, get_str(v));
			}
		}
	} else if (h->kind == YAML_SEQ) {
		yaml_foreach(it, h) {
			const char *n, *v;
			pair(it, &n, &v);
			add_field(k, n, v);
		}
	} else {
		cfg_die(h, "expected a mapping of headers, got %s", yaml_describe(h));
	}
}

/* application/x-www-form-urlencoded, as requests encodes params */
static void form_escape(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~", c))
			sbuf_add(b, s, 1);
		else if (c == ' ')
			sbuf_add(b, "+", 1);
		else
			sbuf_printf(b, "%%%02X", c);
	}
}

static void load_params(struct check *k, const struct yaml_node *p)
{
	size_t cap = strlen(k->url) + 16;
	struct sbuf b;
	char *mem;
	int first = !strchr(k->url, '?');

	if (p->kind != YAML_MAP)
		cfg_die(p, "expected a mapping of parameters, got %s", yaml_describe(p));
	yaml_foreach(key, p)
		cap += 3 * (key->len + (key->value->kind == YAML_SCALAR ? key->value->len : 64) * 4) + 4;
	mem = xmalloc(cap);
	sbuf_init(&b, mem, cap);
	sbuf_add(&b, k->url, strlen(k->url));
	yaml_foreach(key, p) {
		sbuf_add(&b, first ? "?" : "&", 1);
		first = 0;
		form_escape(&b, key->text);
		sbuf_add(&b, "=", 1);
		form_escape(&b, get_str(key->value));
	}
	k->full_url = mem;
}

static void load_cookies(struct check *k, const struct yaml_node *c)
{
	struct sbuf b;
	char mem[4096];

	if (c->kind != YAML_MAP)
		cfg_die(c, "expected a mapping of cookies, got %s", yaml_describe(c));
	sbuf_init(&b, mem, sizeof(mem));
	yaml_foreach(key, c)
		sbuf_printf(&b, "%s%s=%s", b.len ? "; " : "", key->text, get_str(key->value));
	if (b.len >= sizeof(mem) - 1)
		cfg_die(c, "cookies too long%s", "");
	add_field(k, "Cookie", mem);
}

/* a URL for names and messages: the password in userinfo replaced by *** */
static char *redact_url(const char *url)
{
	size_t len = strlen(url) + 4;
	char *out = xmalloc(len);

	url_redact(url, out, len);
	return out;
}

/* one field of a step's probe from text; a bad value is the config's error at the check */
static void spec_set(struct check *k, struct step *s, const char *name, const char *v, size_t len)
{
	const struct probe_field *f = probe_field(s->type, name, 0);
	char err[300];

	if (!f)
		error_exit("%s:%u:%u: %s checks have no field '%s'", G->file, k->line, k->col,
			   s->type->name, name);
	if (probe_set(s->spec, f, v, len, err, sizeof(err)) < 0)
		error_exit("%s:%u:%u: %s", G->file, k->line, k->col, err);
}

static void spec_bool(struct check *k, struct step *s, const char *name, int b)
{
	spec_set(k, s, name, b ? "true" : "false", b ? 4 : 5);
}

static void spec_str(struct check *k, struct step *s, const char *name, const char *v)
{
	if (v)
		spec_set(k, s, name, v, strlen(v));
}

/* the probe spec of a step, from what load_check() read and checked */
static void make_spec(struct check *k, struct step *s)
{
	static const char *const probe_of[] = { [K_TCP] = "tcp", [K_TLS] = "tls", [K_UDP] = "udp",
						[K_HTTP] = "http" };
	struct probe_base *b;
	char port[8], err[400];

	s->type = probe_find(probe_of[s->kind]);
	if (!s->type)
		error_exit("%s:%u:%u: check type '%s' is not supported by this build", G->file,
			   k->line, k->col, probe_of[s->kind]);
	s->spec = probe_spec_new(s->type);
	b = s->spec;
	b->ca_dir = G->certs_path;
	if (s->kind != K_HTTP) {
		snprintf(port, sizeof(port), "%d", s->port);
		spec_str(k, s, "host", s->host);
		spec_str(k, s, "port", port);
	}
	if (s->kind == K_TLS || s->kind == K_HTTP)
		spec_bool(k, s, "disable_tls_verification", k->no_verify);
	if (s->kind == K_UDP) {
		spec_set(k, s, "send", k->send, k->send_len);
		spec_set(k, s, "expect", k->expect, k->expect_len);
	}
	if (s->kind == K_HTTP) {
		char proxy[600];
		spec_str(k, s, "url", k->full_url);
		spec_str(k, s, "method", k->method);
		if (k->body)
			spec_str(k, s, "body", k->body);
		for (size_t i = 0; i < k->nfields; i++)
			spec_str(k, s, "headers", k->fields[i]);
		spec_str(k, s, "user", k->user);
		spec_str(k, s, "password", k->password);
		spec_bool(k, s, "digest", k->auth == HTTP_AUTH_DIGEST);
		spec_bool(k, s, "allow_redirects", k->allow_redirects);
		if (k->proxy_url) {
			spec_str(k, s, "proxy_url", k->proxy_url);
		} else if (k->proxy_host) {
			snprintf(proxy, sizeof(proxy), "http://%s:%d", k->proxy_host, k->proxy_port);
			spec_str(k, s, "proxy_url", xstrdup(proxy));
		}
		spec_str(k, s, "max_body", "65536");
	}
	if (probe_ready(s->type, s->spec, err, sizeof(err)) < 0)
		error_exit("%s:%u:%u: %s", G->file, k->line, k->col, err);
}

static void add_step(struct check *k, enum kind kind, const char *name, const char *info,
		     const char *host, int port);

/* a check of a probe type conn-check has no code of its own for: every key but type, tags
 * and timeout is one of the probe's fields, set from the YAML text (errors at its place), a
 * secret also from NAME_env or NAME_file; its steps are named as the probe's layout says
 * (reference compat 2.3): one TYPE:TARGET step, or a TCP (and TLS) step before it */
static void load_probe(struct check *k, const struct yaml_node *m, const struct probe_type *t)
{
	char err[400], target[URL_MAX], hp[URL_HOST_MAX + 8], *name;
	const char *user = NULL;
	struct step *s;
	void *spec = probe_spec_new(t);
	const struct probe_field *hf = probe_field(t, "host", 0), *pf = probe_field(t, "port", 0);
	const struct probe_field *uf = probe_field(t, "username", 0);
	const struct probe_base *b = spec;
	int auth = 0;

	((struct probe_base *)spec)->ca_dir = G->certs_path;
	yaml_foreach(key, m) {
		const struct yaml_node *v = key->value;
		const struct probe_field *f;
		enum probe_src src;

		if (!strcmp(key->text, "type") || !strcmp(key->text, "tags") ||
		    !strcmp(key->text, "timeout"))
			continue;
		if (!strcmp(key->text, "disable_tls_verification"))	/* the tls step's too */
			k->no_verify = get_bool(v);
		if (!(f = probe_field_src(t, key->text, 0, &src))) {
			if (!strcmp(key->text, "disable_tls_verification") && t->layout == PL_TCP_FIRST)
				continue;
			yaml_error(key, err, sizeof(err), "warning: unknown key '%s' in a %s check (ignored)",
				   key->text, t->name);
			error_msg("%s", err);
			continue;
		}
		if (yaml_is_null(v))
			continue;
		if (v->kind == YAML_SEQ && f->type == PF_LIST) {
			yaml_foreach(it, v) {
				const char *txt = get_str(it);
				if (probe_set(spec, f, txt, it->len, err, sizeof(err)) < 0)
					cfg_die(it, "%s", err);
			}
			continue;
		}
		if (v->kind != YAML_SCALAR)
			cfg_die(v, "%s: expected a scalar", key->text);
		if (probe_set_src(spec, f, src, get_str(v), v->len, err, sizeof(err)) < 0)
			cfg_die(v, "%s", err);
		auth |= (f->flags & PF_AUTH) && v->len;
	}
	if (probe_ready(t, spec, err, sizeof(err)) < 0)
		cfg_die(m, "%s", err);
	t->target(spec, target, sizeof(target));
	if (hf)
		k->host = *(const char *const *)((const char *)spec + hf->off);
	if (pf)
		k->port = (int)*(const long *)((const char *)spec + pf->off);
	if (uf)
		user = *(const char *const *)((const char *)spec + uf->off);
	if (k->port)
		snprintf(hp, sizeof(hp), "%s:%d", k->host ? k->host : "", k->port);
	else	/* a unix socket */
		str_copy(hp, sizeof(hp), k->host ? k->host : "");
	k->info = xstrdup(target);
	switch (t->layout) {
	case PL_PREFIXED:
		name = xasprintf("%s:%s:tcp:%s", t->name, hp, hp);
		add_step(k, K_TCP, name, xstrdup(hp), k->host, k->port);
		free(name);
		name = xasprintf("%s:%s:connect%s", t->name, hp, auth ? " with auth" : "");
		add_step(k, K_PROBE, name, NULL, k->host, k->port);
		break;
	case PL_TCP_FIRST:
		if (k->host && *k->host != '/') {
			name = xasprintf("tcp:%s", hp);
			add_step(k, K_TCP, name, xstrdup(hp), k->host, k->port);
			free(name);
		}
		if (b->tls) {
			name = xasprintf("tls:%s", hp);
			add_step(k, K_TLS, name, xstrdup(hp), k->host, k->port);
			free(name);
		}
		name = xasprintf("%s:%s", t->name, hp);
		add_step(k, K_PROBE, name, user ? xasprintf("user %s", user) : NULL, k->host,
			 k->port);
		break;
	default:
		name = xasprintf("%s:%s", t->name, target);
		add_step(k, K_PROBE, name, k->info, k->host ? k->host : "", k->port);
	}
	free(name);
	s = &k->step[k->nsteps - 1];
	s->type = t;
	s->spec = spec;
}

static void add_step(struct check *k, enum kind kind, const char *name, const char *info,
		     const char *host, int port)
{
	struct step *s = &k->step[k->nsteps++];

	s->name = xstrdup(name);
	s->info = info;
	s->kind = kind;
	s->host = host;
	s->port = port;
	s->selected = selected(G, s->name);
}

/* the keys every check type has: timeout and tags */
static void load_common(struct check *k, const struct yaml_node *m)
{
	const struct yaml_node *v;
	char err[600];

	k->timeout = G->connect_timeout;
	if ((v = yaml_get(m, "timeout")) && !yaml_is_null(v)) {
		if (yaml_float(v, &k->timeout, err, sizeof(err)) < 0)
			error_exit("%s", err);
		if (!(k->timeout > 0))
			cfg_die(v, "timeout must be above 0%s", "");
	}
	if ((v = yaml_get(m, "tags")) && !yaml_is_null(v) && v->kind != YAML_SEQ)
		cfg_die(v, "tags must be a list, got %s", yaml_describe(v));
}

/* the types of upstream this build leaves out, and the rest, are told apart */
static _Noreturn void unknown_type(const struct yaml_node *t, const char *type)
{
	static const char upstream[] = " tcp tls ssl udp http https amqp postgres postgresql redis "
				       "memcache memcached mongodb mongo smtp ";
	char have[400] = "", pat[40];
	size_t n = 0;

	for (const struct probe_type *const *p = probe_types; *p; p++)
		if (strcmp((*p)->name, "lines"))
			n += (size_t)snprintf(have + n, n < sizeof(have) ? sizeof(have) - n : 0,
					      "%s%s%s%s", n ? ", " : "", (*p)->name,
					      (*p)->aliases ? "/" : "",
					      (*p)->aliases ? (*p)->aliases : "");
	snprintf(pat, sizeof(pat), " %s ", type);
	if (strstr(upstream, pat))
		cfg_die(t, "check type '%s' is not supported by this build", type);
	{
		char msg[500];
		snprintf(msg, sizeof(msg), "unknown check type '%s' (this build has: %s)", type, have);
		cfg_die(t, "%s", msg);
	}
}

static void load_check(struct check *k, const struct yaml_node *m)
{
	static const struct { const char *name; enum kind kind; } types[] = {
		{ "tcp", K_TCP }, { "tls", K_TLS }, { "ssl", K_TLS }, { "udp", K_UDP },
		{ "http", K_HTTP }, { "https", K_HTTP },
	};
	const struct yaml_node *t, *v;
	const char *type;
	char *name;
	size_t i;

	memset(k, 0, sizeof(*k));
	k->line = m->line;
	k->col = m->col;
	t = need(m, "type");
	type = get_str(t);
	for (i = 0; i < ARRAY_LEN(types); i++)
		if (!strcmp(type, types[i].name))
			break;
	if (i == ARRAY_LEN(types)) {
		const struct probe_type *pt = probe_find(type);
		if (pt) {
			k->kind = K_PROBE;
			load_common(k, m);
			load_probe(k, m, pt);
			return;
		}
		unknown_type(t, type);
	}
	k->kind = types[i].kind;

	/* unknown keys: a warning with the place, not silence */
	yaml_foreach(key, m) {
		size_t f;
		for (f = 0; f < ARRAY_LEN(known); f++)
			if (!strcmp(key->text, known[f].key) && (known[f].kinds & B(k->kind)))
				break;
		if (f == ARRAY_LEN(known)) {
			char err[600];
			yaml_error(key, err, sizeof(err), "warning: unknown key '%s' in a %s check (ignored)",
				   key->text, kind_name[k->kind]);
			error_msg("%s", err);
		}
	}

	load_common(k, m);
	if ((v = yaml_get(m, "disable_tls_verification")))
		k->no_verify = get_bool(v);

	if (k->kind != K_HTTP) {
		k->host = get_str(need(m, "host"));
		k->port = get_port(need(m, "port"));
		if (!*k->host)
			cfg_die(need(m, "host"), "empty host%s", "");
		k->info = xasprintf("%s:%d", k->host, k->port);
		name = xasprintf("%s:%s:%d", kind_name[k->kind], k->host, k->port);
		if (k->kind == K_UDP) {
			v = need(m, "send");
			k->send = get_str(v);
			k->send_len = v->len;
			v = need(m, "expect");
			k->expect = get_str(v);
			k->expect_len = v->len;
			if (k->send_len > UDP_MAX || k->expect_len > UDP_MAX)
				cfg_die(v, "send/expect longer than a datagram%s", "");
		}
		add_step(k, k->kind, name, k->info, k->host, k->port);
		free(name);
		return;
	}

	/* http */
	{
		struct url u;
		char err[300], *shown;
		long long code;

		k->url = get_str(need(m, "url"));
		if (!strncmp(k->url, "//", 2))	/* as upstream: no scheme means http */
			k->url = xasprintf("http:%s", k->url);
		if (url_parse(&u, k->url, err, sizeof(err)) < 0)
			cfg_die(need(m, "url"), "bad url: %s", err);
		k->method = (v = yaml_get(m, "method")) && !yaml_is_null(v) ? get_str(v) : "GET";
		if (!http_method_ok(k->method))
			cfg_die(v, "bad HTTP method '%s'", k->method);
		k->expected_code = 200;
		if ((v = yaml_get(m, "expected_code")) && !yaml_is_null(v)) {
			if (yaml_int(v, 100, 999, &code, err, sizeof(err)) < 0)
				error_exit("%s", err);
			k->expected_code = (int)code;
		}
		if ((v = yaml_get(m, "proxy_url")) && !yaml_is_null(v)) {
			struct url pu;
			k->proxy_url = get_str(v);
			if (url_parse(&pu, k->proxy_url, err, sizeof(err)) < 0 || strcmp(pu.scheme, "http"))
				cfg_die(v, "bad proxy_url (an http:// URL is expected)%s", "");
		}
		if ((v = yaml_get(m, "proxy_host")) && !yaml_is_null(v))
			k->proxy_host = get_str(v);
		k->proxy_port = 8000;
		if ((v = yaml_get(m, "proxy_port")) && !yaml_is_null(v))
			k->proxy_port = get_port(v);
		if ((v = yaml_get(m, "allow_redirects")))
			k->allow_redirects = get_bool(v);
		if ((v = yaml_get(m, "body")) && !yaml_is_null(v))
			k->body = get_str(v);
		if ((v = yaml_get(m, "headers")) && !yaml_is_null(v))
			load_headers(k, v);
		if ((v = yaml_get(m, "cookies")) && !yaml_is_null(v))
			load_cookies(k, v);
		if ((v = yaml_get(m, "auth")) && !yaml_is_null(v)) {
			pair(v, &k->user, &k->password);
			k->auth = HTTP_AUTH_BASIC;
		}
		if ((v = yaml_get(m, "digest_auth")) && !yaml_is_null(v)) {
			pair(v, &k->user, &k->password);
			k->auth = HTTP_AUTH_DIGEST;
		}
		if (!k->auth && u.has_userinfo)	/* as requests does with user:pass@ */
			k->auth = HTTP_AUTH_BASIC;
		k->full_url = NULL;
		if ((v = yaml_get(m, "params")) && !yaml_is_null(v))
			load_params(k, v);
		if (!k->full_url)
			k->full_url = xstrdup(k->url);

		k->host = xstrdup(u.host);
		shown = redact_url(k->url);
		{
			long port;
			if (!*url_port(&u))
				cfg_die(need(m, "url"), "url needs an http or https scheme: %s", shown);
			if (parse_long(url_port(&u), 1, 65535, &port))
				cfg_die(need(m, "url"), "bad port in url: %s", url_port(&u));
			k->port = (int)port;
		}
		k->info = xasprintf("%s %s", k->method, shown);
		if (k->proxy_host)
			name = xasprintf("http:%s:tcp:%s:%d", shown, k->proxy_host, k->proxy_port);
		else
			name = xasprintf("http:%s:tcp:%s:%d", shown, u.host, k->port);
		add_step(k, K_TCP, name, NULL, k->proxy_host ? k->proxy_host : k->host,
			 k->proxy_host ? k->proxy_port : k->port);
		k->step[0].info = xasprintf("%s:%d", k->step[0].host, k->step[0].port);
		free(name);
		name = xasprintf("http:%s:", shown);
		add_step(k, K_HTTP, name, k->info, k->host, k->port);
		free(name);
		free(shown);
	}
}

static void load(struct cc *c)
{
	char err[700];
	const struct yaml_node *root;
	int n = 0;

	c->doc = yaml_load_file(c->file, NULL, err, sizeof(err));
	if (!c->doc)
		error_exit("%s", err);
	root = c->doc->root;
	if (yaml_is_null(root)) {
		c->nchecks = 0;
		return;
	}
	if (root->kind != YAML_SEQ) {
		yaml_error(root, err, sizeof(err), "expected a list of checks, got %s", yaml_describe(root));
		error_exit("%s", err);
	}
	if (root->count > MAX_CHECKS)
		error_exit("%s: more than %d checks", c->file, MAX_CHECKS);
	c->checks = xzalloc(sizeof(struct check) * (root->count + 1));
	yaml_foreach(m, root) {
		const struct yaml_node *tags;

		if (m->kind != YAML_MAP) {
			yaml_error(m, err, sizeof(err), "expected a check (a mapping), got %s", yaml_describe(m));
			error_exit("%s", err);
		}
		tags = yaml_get(m, "tags");
		/* build every check (so --validate sees every error), then filter by tags */
		load_check(&c->checks[n], m);
		for (int i = 0; i < c->checks[n].nsteps; i++)
			if (!c->checks[n].step[i].spec)
				make_spec(&c->checks[n], &c->checks[n].step[i]);
		if (c->ninclude && !has_tag(tags, c->include, c->ninclude))
			continue;
		if (c->nexclude && has_tag(tags, c->exclude, c->nexclude))
			continue;
		n++;
	}
	c->nchecks = n;
}

/* --- running ----------------------------------------------------------------------------- */

static void finish(struct step *s, double t0, int result, const char *msg, const char *detail);

static int64_t step_deadline(const struct check *k)
{
	int64_t d = deadline_in(k->timeout);
	return G->deadline && G->deadline < d ? G->deadline : d;
}

/* run a step's probe and judge its record as conn-check does */
static void run_step(struct check *k, struct step *s, double t0)
{
	int64_t deadline = step_deadline(k);
	const struct record_item *e, *st;
	struct record *r = xmalloc(sizeof(*r));
	char msg[HTTP_ERR_MAX + 64];
	const char *detail = NULL;
	int ok;

	record_init(r);
	ok = probe_run(s->type, s->spec, deadline, r);
	/* the client's own words for an http step ("TLS: certificate has expired ...") */
	e = record_get(r, s->kind == K_HTTP && record_get(r, "http.error") ? "http.error" : "error");
	str_copy(msg, sizeof(msg), e && e->type == RECORD_STR ? e->v.s.p : "");
	st = record_get(r, "http.resp.status");
	if (ok && s->kind == K_HTTP && st && st->v.i != k->expected_code) {
		snprintf(msg, sizeof(msg), "Unexpected response code: %d", (int)st->v.i);
		ok = 0;
		detail = "http status";
	} else if (!ok && mono_ms() >= deadline) {
		detail = "deadline";
	} else if (!ok) {
		static const char *const what[] = { [K_TCP] = "connect", [K_TLS] = "TLS",
						    [K_UDP] = "udp exchange", [K_HTTP] = "http request",
						    [K_PROBE] = "probe" };
		detail = what[s->kind];
	}
	engine_lock();
	if (!s->rec && !G->reported)
		s->rec = r;	/* for --format json and prometheus */
	engine_unlock();
	finish(s, t0, ok ? RES_OK : RES_FAILED, ok ? NULL : msg, detail);
}

static void print_now(const struct step *s);

static void finish(struct step *s, double t0, int result, const char *msg, const char *detail)
{
	double now = mono_sec();
	char mt[RECORD_FMT_MAX], cut[RECORD_FMT_MAX + 40];

	/* a step whose own deadline was cut short by --max-timeout failed because of it */
	if (result == RES_FAILED && G->deadline && detail && !strcmp(detail, "deadline") &&
	    mono_ms() >= G->deadline) {
		record_fmt_float(G->max_timeout, mt);
		snprintf(cut, sizeof(cut), "timeout: --max-timeout of %ss reached", mt);
		msg = cut;
		detail = "--max-timeout";
	}

	engine_lock();
	if (s->result == RES_NONE) {	/* a --max-timeout verdict may have come first */
		if (detail && !strcmp(detail, "--max-timeout"))
			G->cut = 1;
		s->result = result;
		s->msg = msg ? xstrdup(msg) : NULL;
		s->detail = detail ? xstrdup(detail) : NULL;
		s->duration = now - t0;
		s->t_end = now;
		if (G->unbuffered && !G->reported)
			print_now(s);
	}
	engine_unlock();
}

static void print_start(const struct step *s);

static void run_check(struct engine_job *job)
{
	struct check *k = job->arg;
	int failed = 0;

	for (int i = 0; i < k->nsteps; i++) {
		struct step *s = &k->step[i];
		double t0 = mono_sec();

		if (!s->selected)
			continue;
		if (failed || G->dry_run) {
			finish(s, t0, RES_SKIPPED, NULL, NULL);
			continue;
		}
		if (G->verbose)
			print_start(s);
		run_step(k, s, t0);
		engine_lock();
		failed = s->result == RES_FAILED;
		engine_unlock();
	}
}

/* --- output ------------------------------------------------------------------------------ */

struct lines {
	char **v;
	size_t n, cap;
};
static struct lines starts;	/* -v lines, under engine_lock() */

static void lines_add(struct lines *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, sizeof(char *) * l->cap);
	}
	l->v[l->n++] = s;
}

static char *dur(const struct step *s, char *buf, size_t len)
{
	/* upstream labels seconds as "ms"; kept, scripts parse it */
	if (G->duration)
		snprintf(buf, len, ": (%.3f ms)", s->duration);
	else
		buf[0] = 0;
	return buf;
}

/* the line(s) of a finished step; the -t detail is a separate line, as upstream writes it */
static void step_lines(const struct step *s, struct lines *out)
{
	char d[48];

	switch (s->result) {
	case RES_OK:
		lines_add(out, xasprintf("%s OK%s", s->name, dur(s, d, sizeof(d))));
		break;
	case RES_SKIPPED:
		lines_add(out, xasprintf("SKIPPED: %s", s->name));
		break;
	case RES_FAILED:
		if (s->info)
			lines_add(out, xasprintf("%s FAILED%s - (%s) %s", s->name, dur(s, d, sizeof(d)),
						 s->info, s->msg ? s->msg : ""));
		else
			lines_add(out, xasprintf("%s FAILED%s - %s", s->name, dur(s, d, sizeof(d)),
						 s->msg ? s->msg : ""));
		if (G->tracebacks)
			lines_add(out, xasprintf("  %s failed after %.3fs: %s", s->detail ? s->detail : "step",
						 s->duration, s->msg ? s->msg : ""));
		break;
	}
}

static void emit(const char *line, double when)
{
	if (G->duration)
		printf("%.3f: %s\n", when - G->t0, line);
	else
		printf("%s\n", line);
}

static void print_now(const struct step *s)
{
	struct lines l = { 0 };

	step_lines(s, &l);
	for (size_t i = 0; i < l.n; i++)
		emit(l.v[i], s->t_end);
	fflush(stdout);
}

static void print_start(const struct step *s)
{
	char *line = s->info ? xasprintf("Starting %s (%s)...", s->name, s->info)
			     : xasprintf("Starting %s...", s->name);
	engine_lock();
	if (G->reported) {
		free(line);
	} else if (G->unbuffered) {
		emit(line, mono_sec());
		fflush(stdout);
		free(line);
	} else {
		lines_add(&starts, line);
	}
	engine_unlock();
}

/* upstream's OrderedOutput: SKIPPED lines last; the rest grouped by the name up to its
 * second ':' ("tcp:db1:5432" -> "tcp:db1:"), FAILED groups first, then the others; groups
 * in key order, lines inside a group sorted */
struct oline {
	const char *text;
	char *key;
	int cls;	/* 0 failed, 1 message, 2 skipped */
};

static int ocmp(const void *a, const void *b)
{
	const struct oline *x = a, *y = b;
	int r;

	if (x->cls != y->cls)
		return x->cls - y->cls;
	if (x->cls != 2 && (r = strcmp(x->key, y->key)))
		return r;
	return strcmp(x->text, y->text);
}

void conn_check_order(const char **lines, size_t n, const char **out)
{
	struct oline *o = xzalloc(sizeof(*o) * (n + 1));

	for (size_t i = 0; i < n; i++) {
		const char *t = lines[i], *sp = strchr(t, ' '), *c1, *c2;
		size_t klen;

		o[i].text = t;
		if (!strncmp(t, "SKIPPED", 7)) {
			o[i].cls = 2;
			o[i].key = xstrdup("");
			continue;
		}
		klen = sp ? (size_t)(sp - t) : strlen(t);
		c1 = memchr(t, ':', klen);
		c2 = c1 ? memchr(c1 + 1, ':', klen - (size_t)(c1 + 1 - t)) : NULL;
		o[i].key = xstrndup(t, c2 ? (size_t)(c2 + 1 - t) : klen);
		o[i].cls = sp && !strncmp(sp + 1, "FAILED", 6) ? 0 : 1;
	}
	qsort(o, n, sizeof(*o), ocmp);
	for (size_t i = 0; i < n; i++) {
		out[i] = o[i].text;
		free(o[i].key);
	}
	free(o);
}

/* --format json and prometheus: every selected step that has a verdict, one document */
static void print_structured(struct cc *c, int status)
{
	static const char *const res_name[] = { "NONE", "OK", "FAILED", "SKIPPED" };
	struct report_check *v = xzalloc(sizeof(*v) * (size_t)(MAX_STEPS * c->nchecks + 1));
	char (*target)[URL_MAX] = xzalloc(sizeof(*target) * (size_t)(MAX_STEPS * c->nchecks + 1));
	size_t n = 0;

	for (int i = 0; i < c->nchecks; i++) {
		struct check *k = &c->checks[i];
		for (int j = 0; j < k->nsteps; j++) {
			struct step *s = &k->step[j];
			if (!s->selected || s->result == RES_NONE)
				continue;
			s->type->target(s->spec, target[n], sizeof(target[n]));
			v[n] = (struct report_check){ .name = s->name, .type = s->type->name,
						      .target = target[n], .verdict = res_name[s->result],
						      .reason = s->msg, .success = s->result == RES_OK,
						      .duration = s->duration, .rec = s->rec };
			n++;
		}
	}
	if (c->cli.format == OUTPUT_JSON)
		report_json(stdout, applet_name, status ? "FAILED" : "OK", cli_exit(&c->cli, status),
			    v, n);
	else
		report_prom(stdout, v, n);
	free(v);
	free(target);
}

/* the exit status the watchdog leaves with: the verdict once report() has it */
static volatile sig_atomic_t exit_status = 2;

static void watchdog(int sig)
{
	(void)sig;
	_exit(exit_status);
}

/* --max-timeout is a promise about the process: it ends within a second of the deadline
 * (half of it here), with its verdict as the exit status, even when stdout is a pipe nobody
 * reads */
static void arm_watchdog(const struct cc *c)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	int64_t ms = ms_left(c->deadline) + 500;

	signal(SIGALRM, watchdog);
	it.it_value.tv_sec = (time_t)(ms / 1000);
	it.it_value.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* the verdicts are taken under the lock; they are written after it, so a stdout that blocks
 * holds up nothing the workers need */
static int report(struct cc *c, int timed_out)
{
	struct lines all = { 0 }, now_lines = { 0 };
	const char **ordered;
	int failed = 0, status;
	char mt[RECORD_FMT_MAX];

	engine_lock();	/* jobs still running after --max-timeout do not write after this */
	c->reported = 1;
	record_fmt_float(c->max_timeout, mt);
	if (timed_out && c->cli.format == OUTPUT_TEXT)
		lines_add(&now_lines, xasprintf("Maximum timeout reached: %ss", mt));
	for (int i = 0; i < c->nchecks; i++) {
		struct check *k = &c->checks[i];
		int cut = 0;
		for (int j = 0; j < k->nsteps; j++) {
			struct step *s = &k->step[j];
			if (!s->selected)
				continue;
			if (s->result == RES_NONE) {
				/* unfinished at --max-timeout: the step that was due fails, the rest skip */
				s->result = cut ? RES_SKIPPED : RES_FAILED;
				if (!cut) {
					s->msg = xasprintf("timeout: --max-timeout of %ss reached", mt);
					s->detail = xstrdup("--max-timeout");
					s->duration = mono_sec() - c->t0;
				}
				cut = 1;
			}
			if (s->result == RES_FAILED)
				failed = 1;
			if (c->cli.format == OUTPUT_TEXT && !c->unbuffered)
				step_lines(s, &all);
			else if (c->cli.format == OUTPUT_TEXT && cut)
				step_lines(s, &now_lines);
		}
	}
	status = failed && !c->dry_run ? 2 : 0;
	exit_status = cli_exit(&c->cli, status);
	engine_unlock();

	if (!cli_should_print(&c->cli, !failed || c->dry_run))
		return status;	/* --quiet, and every check passed */
	for (size_t i = 0; i < now_lines.n; i++)
		emit(now_lines.v[i], mono_sec());
	if (c->cli.format != OUTPUT_TEXT) {
		print_structured(c, status);
	} else if (!c->unbuffered) {
		double now = mono_sec();
		for (size_t i = 0; i < starts.n; i++)
			lines_add(&all, starts.v[i]);
		ordered = xmalloc(sizeof(char *) * (all.n + 1));
		conn_check_order((const char **)all.v, all.n, ordered);
		for (size_t i = 0; i < all.n; i++)
			emit(ordered[i], now);
	}
	fflush(stdout);
	return status;
}

/* --- conn-check-export-fw ---------------------------------------------------------------- */

struct rule {
	const char *host, *proto;
	int *ports;	/* every distinct port of the host: a rule left out is a blocked check */
	int nports;
};

/* PyYAML emits these plain; anything else in single quotes */
/* 1 if PyYAML's YAML 1.1 resolver would read s as an int or a float (so it must be quoted):
 * [-+]?[0-9][0-9_]* and [-+]?([0-9][0-9_]*)?.[0-9_]*, the forms a host name can take */
static int looks_numeric(const char *s)
{
	int digits = 0, dots = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (*s == '.')
			dots++;
		else if (isdigit((unsigned char)*s) || *s == '_')
			digits++;
		else
			return 0;
	}
	return digits && dots <= 1;
}

/* a scalar as PyYAML's dump writes it: plain when that reads back as the same string, else
 * in single quotes ("127.0.0.1" and "db1" plain, "::1", "10" and "yes" quoted) */
static void yaml_scalar(const char *s)
{
	int plain = *s && (isalnum((unsigned char)*s) || *s == '_') && !looks_numeric(s);

	for (const char *p = s; *p && plain; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_", *p))
			plain = 0;
	if (plain && strchr("yYnNtTfFoO~", *s) && (!strcasecmp(s, "yes") || !strcasecmp(s, "no") ||
	    !strcasecmp(s, "true") || !strcasecmp(s, "false") || !strcasecmp(s, "on") ||
	    !strcasecmp(s, "off") || !strcasecmp(s, "null") || !strcmp(s, "y") || !strcmp(s, "n") ||
	    !strcmp(s, "Y") || !strcmp(s, "N")))
		plain = 0;
	if (plain) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			putchar('\'');
		putchar(*s);
	}
	putchar('\'');
}

static int export_fw(struct cc *c)
{
	struct rule *r = xzalloc(sizeof(*r) * (size_t)(c->nchecks * MAX_STEPS + 1));
	char me[256] = "localhost";
	int n = 0;

	/* upstream: socket.getfqdn(); a name lookup here could wait on DNS, so the host name */
	if (gethostname(me, sizeof(me) - 1) < 0)
		snprintf(me, sizeof(me), "localhost");
	for (int i = 0; i < c->nchecks; i++) {
		struct check *k = &c->checks[i];
		for (int j = 0; j < k->nsteps; j++) {
			struct step *s = &k->step[j];
			const char *proto;
			int x;

			/* every step that opens a connection needs a rule; an http check's own
			 * step rides on its tcp step, which is listed already */
			if (!s->selected || s->kind == K_HTTP || !s->host || !*s->host)
				continue;
			proto = s->kind == K_UDP ? "udp" : "tcp";
			for (x = 0; x < n; x++)
				if (!strcmp(r[x].host, s->host) && !strcmp(r[x].proto, proto))
					break;
			if (x == n) {
				r[n].host = s->host;
				r[n].proto = proto;
				n++;
			}
			{
				int dup = 0;
				for (int p = 0; p < r[x].nports; p++)
					dup |= r[x].ports[p] == s->port;
				if (!dup) {
					r[x].ports = xrealloc(r[x].ports, sizeof(int) * (size_t)(r[x].nports + 1));
					r[x].ports[r[x].nports++] = s->port;
				}
			}
		}
	}
	if (!n) {
		printf("egress: []\n");
		return 0;
	}
	printf("egress:\n");
	for (int x = 0; x < n; x++) {
		fputs("- from_host: ", stdout);
		yaml_scalar(me);
		fputs("\n  ports: [", stdout);
		for (int p = 0; p < r[x].nports; p++)
			printf("%s%d", p ? ", " : "", r[x].ports[p]);
		printf("]\n  protocol: %s\n  to_host: ", r[x].proto);
		yaml_scalar(r[x].host);
		putchar('\n');
	}
	return 0;
}

/* --- command line ------------------------------------------------------------------------ */

static void parse_args(struct cc *c, int argc, char **argv)
{
	enum { O_VALIDATE = 256, O_VERSION, O_CERTS, O_MAXT, O_CONNT, O_DRY, O_INC, O_EXC };
	static const struct option lo[] = {
		{ "verbose", no_argument, 0, 'v' },
		{ "duration", no_argument, 0, 'd' },
		{ "tracebacks", no_argument, 0, 't' },
		{ "validate", no_argument, 0, O_VALIDATE },
		{ "version", no_argument, 0, O_VERSION },
		{ "tls-certs-path", required_argument, 0, O_CERTS },
		{ "max-timeout", required_argument, 0, O_MAXT },
		{ "connect-timeout", required_argument, 0, O_CONNT },
		{ "unbuffered-output", no_argument, 0, 'U' },
		{ "dry-run", no_argument, 0, O_DRY },
		{ "include-tags", required_argument, 0, O_INC },
		{ "exclude-tags", required_argument, 0, O_EXC },
		{ "jobs", required_argument, 0, 'j' },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *inc = NULL, *exc = NULL;
	long l;
	int o;

	c->connect_timeout = 10;
	c->jobs = 4096;	/* all at once, as upstream: bounded by the descriptor limit */
	cli_args(&c->cli, applet_name, ":vdtUj:", lo, &argc, &argv);
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":vdtUj:", lo, NULL)) != -1) {
		switch (o) {
		case 'v': c->verbose = 1; break;
		case 'd': c->duration = 1; break;
		case 't': c->tracebacks = 1; break;
		case 'U': c->unbuffered = 1; break;
		case O_VALIDATE: c->validate = 1; break;
		case O_DRY: c->dry_run = 1; break;
		case O_CERTS: c->certs_path = optarg; break;
		case O_INC: inc = optarg; break;
		case O_EXC: exc = optarg; break;
		case O_MAXT:
			if (parse_double(optarg, &c->max_timeout) || !(c->max_timeout > 0))
				error_exit("argument --max-timeout: invalid float value: '%s'", optarg);
			break;
		case O_CONNT:
			if (parse_double(optarg, &c->connect_timeout) || !(c->connect_timeout > 0))
				error_exit("argument --connect-timeout: invalid float value: '%s'", optarg);
			break;
		case 'j':
			if (parse_long(optarg, 1, 4096, &l))
				error_exit("argument -j/--jobs: expected 1 to 4096, got '%s'", optarg);
			c->jobs = (int)l;
			break;
		case ':':
			error_exit("argument %s: expected one argument", argv[optind - 1]);
		default:
			if (!cli_opt(&c->cli, o, optarg))
				error_exit("unrecognized arguments: %s", argv[optind - 1]);
		}
	}
	if (inc && exc)
		error_exit("argument --exclude-tags: not allowed with argument --include-tags");
	if (inc)
		c->include = split_tags(inc, &c->ninclude);
	if (exc)
		c->exclude = split_tags(exc, &c->nexclude);
	if (optind >= argc)
		error_exit("the following arguments are required: config_file");
	c->file = argv[optind++];
	c->patterns = argv + optind;
	c->npatterns = argc - optind;
}

/* A running check holds up to FDS_PER_CHECK descriptors at once (the resolver's pipe, the
 * socket, a CA file being read): run no more checks at once than the descriptor limit
 * allows, after raising the soft limit to the hard one (as Go programs do). Otherwise a low
 * `ulimit -n` fails checks with "No file descriptors available". */
#define FDS_PER_CHECK 4
#define FDS_RESERVED 8

static int jobs_for_fds(int jobs)
{
	struct rlimit rl;
	rlim_t fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return jobs;
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = { rl.rlim_max, rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return jobs;
	fit = rl.rlim_cur > FDS_RESERVED + FDS_PER_CHECK ? (rl.rlim_cur - FDS_RESERVED) / FDS_PER_CHECK : 1;
	return (rlim_t)jobs > fit ? (int)fit : jobs;
}

static int cc_main(int argc, char **argv, int export)
{
	/* static: workers abandoned at --max-timeout still read it (through G) after we return */
	static struct cc c;
	int n, done;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--version")) {
			printf("conn-check %s (probebox %s)\n", CC_VERSION, PROBEBOX_VERSION);
			return 0;
		}
	G = &c;
	c.t0 = mono_sec();
	parse_args(&c, argc, argv);
	if (export) {	/* forced dry run, unbuffered, no duration */
		c.dry_run = 1;
		c.unbuffered = 0;
		c.duration = 0;
		c.cli.format = OUTPUT_TEXT;
	}
	load(&c);
	if (export)
		return export_fw(&c);
	if (c.validate)
		return 0;
	if (c.max_timeout > 0) {
		c.deadline = deadline_in(c.max_timeout);
		arm_watchdog(&c);
	}
	{
		struct engine_job *jobs = xzalloc(sizeof(*jobs) * (size_t)(c.nchecks + 1));
		for (int i = 0; i < c.nchecks; i++) {
			jobs[i].run = run_check;
			jobs[i].arg = &c.checks[i];
		}
		n = c.nchecks;
		done = n ? engine_run(jobs, n, c.dry_run ? 1 : jobs_for_fds(c.jobs), c.deadline) : 0;
	}
	/* every job may have finished, some of them cut short by the deadline: still a timeout */
	return cli_exit(&c.cli, report(&c, done < n || c.cut));
}

int conn_check_main(int argc, char **argv)
{
	return cc_main(argc, argv, 0);
}

int conn_check_export_fw_main(int argc, char **argv)
{
	return cc_main(argc, argv, 1);
}
