/* chksrv.c - chksrv: FreakyBytes' check-service, tcp/ssl/http probes tuned by -p parameters,
 * judged by -e expectations (lib/expr.c, docs/expressions.md) over the result record
 * (lib/record.c). RFC 9293 (TCP), RFC 8446/5246 (TLS), RFC 9110/9112 (HTTP/1.1),
 * RFC 6125 section 6.4 (host name matching), ISO 8601 as Python's fromisoformat() reads it.
 *
 * Deviations from upstream, all listed in docs/compat.md: the verdict needs the probe itself
 * to succeed; -r and --timeout work; CERT_NONE works; ssl.con.cert.matches_hostname is right;
 * http.header.NAME uses the whole name; a bad -p or -e is an error (exit 3), never dropped.
 */
//applet:IF_CHKSRV(APPLET_CLI("chksrv", chksrv))
//kbuild:obj-$(CONFIG_CHKSRV) += chksrv.o
//config:config CHKSRV
//config:	bool "chksrv (+36 kB, with the expression code)"
//config:	default y
//config:	select EXPR
//config:	select RECORD
//config:	select PROBE_TCP
//config:	select PROBE_TLS
//config:	select PROBE_HTTP
//config:	help
//config:	  usage: chksrv tcp [OPTIONS] [-p PARAM=VALUE]... [-e EXPR]... HOST PORT
//config:	         chksrv ssl [OPTIONS] [-p PARAM=VALUE]... [-e EXPR]... HOST PORT
//config:	         chksrv http [OPTIONS] [-p PARAM=VALUE]... [-e EXPR]... URL
//config:	         chksrv SERVICE [OPTIONS] [-p FIELD=VALUE]... [-e EXPR]... HOST PORT
//config:	  SERVICE: the service probes of this build (redis, postgres, memcached,
//config:	  mongodb, amqp, smtp), their fields named as conn-check's YAML keys
//config:	  (-p password=..., or password_env=VAR, password_file=PATH).
//config:
//config:	  Probe a service, fill a result record (tcp.*, ssl.*, http.* keys) and
//config:	  check expectations on it, like FreakyBytes' chksrv. Prints one line per
//config:	  expectation, then the record. Exit 0 when the probe succeeded and every
//config:	  expectation holds, 1 otherwise, 3 on bad usage.
//config:
//config:	  -h, --help	Show this text
//config:	  --version	Show the version
//config:	  -v, --verbose	One log level more verbose
//config:	  -l, --log-level=LEVEL	CRITICAL ERROR WARN INFO DEBUG or a number (default WARN)
//config:	  --log-file=FILE	Also append log lines to FILE
//config:	  -p, --parameter=PARAM=VALUE	Set a parameter (repeatable, see below)
//config:	  -e, --expects=EXPR	An expectation, e.g. "res['http.resp.status'] == 200"
//config:		(repeatable; the language is in docs/expressions.md)
//config:	  -r, --retry=N	Retries after a failed try, with a short back-off (default 3)
//config:	  --timeout=SEC	Seconds one try may take (default 10)
//config:	  --format=FMT	text (default), json or prometheus
//config:
//config:	  Parameters: timeout=SEC, ipv6=True|False|prefer|fallback,
//config:	  ssl.use_default_context=BOOL, ssl.protocol=tls|tlsv1.2|tlsv1.3,
//config:	  ssl.ciphers=SUITE:SUITE, ssl.check_hostname=BOOL,
//config:	  ssl.verify_mode=CERT_NONE|CERT_OPTIONAL|CERT_REQUIRED,
//config:	  ssl.verify_flags=VERIFY_DEFAULT, ssl.ca=__sys__|FILE|DIR,
//config:	  http.method=METHOD, http.body=TEXT, http.header.NAME=VALUE

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "../build/gen/usage.h"
#include "../lib/cli.h"
#include "../lib/expr.h"
#include "../lib/record.h"
#include "../lib/report.h"
#include "../lib/util.h"
#include "../net/http.h"
#include "../net/probe.h"

#define PARAMS_MAX 64
#define EXPECTS_MAX 64
#define RETRY_MAX 100
#define TIMEOUT_MAX 86400.0
#define DEFAULT_TIMEOUT 10.0
#define BODY_MAX RECORD_MAX_STR	/* body bytes kept in http.resp.body */
#define REQ_MAX (64 * 1024)	/* request head */

/* --- -p values, typed as upstream's parse_option_value() ---------------------------------- */

enum chksrv_vtype { CV_BOOL, CV_INT, CV_FLOAT, CV_COMPLEX, CV_DATE, CV_TIME, CV_DATETIME, CV_STR };

struct chksrv_value {
	enum chksrv_vtype type;
	int b;
	int64_t i;
	double f, im;	/* float, or complex real and imaginary parts */
};

static const char *const vtype_name[] = { "bool", "int", "float", "complex", "date", "time",
					  "datetime", "str" };

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Python's digitpart: digit (["_"] digit)*; the length read, 0 if none */
static size_t digitpart(const char *s)
{
	size_t n = 0;

	if (!isdigit((unsigned char)s[0]))
		return 0;
	while (isdigit((unsigned char)s[n]) || (s[n] == '_' && isdigit((unsigned char)s[n + 1])))
		n++;
	return n;
}

/* copy without underscores (the caller checked the syntax) */
static void strip_us(const char *s, size_t n, char *out, size_t cap)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < cap; i++)
		if (s[i] != '_')
			out[j++] = s[i];
	out[j] = 0;
}

/* a float() literal without sign or spaces at s: its length, 0 if none; *v its value */
static size_t float_body(const char *s, double *v)
{
	static const char *const words[] = { "infinity", "inf", "nan" };
	char buf[400];
	size_t n = digitpart(s), e;

	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strncasecmp(s, words[i], strlen(words[i]))) {
			*v = i < 2 ? INFINITY : NAN;
			return strlen(words[i]);
		}
	if (s[n] == '.') {
		size_t frac = digitpart(s + n + 1);
		if (!n && !frac)
			return 0;
		n += 1 + frac;
	} else if (!n) {
		return 0;
	}
	if (s[n] == 'e' || s[n] == 'E') {
		e = n + 1 + (s[n + 1] == '+' || s[n + 1] == '-');
		if (digitpart(s + e))
			n = e + digitpart(s + e);
	}
	if (n >= sizeof(buf))
		return 0;
	strip_us(s, n, buf, sizeof(buf));
	*v = strtod(buf, NULL);
	return n;
}

/* [sign] float_body at s; length, 0 if none */
static size_t signed_float(const char *s, double *v)
{
	size_t sg = s[0] == '+' || s[0] == '-', n = float_body(s + sg, v);

	if (n && s[0] == '-')
		*v = -*v;
	return n ? sg + n : 0;
}

static int all_space(const char *s)
{
	while (is_space(*s))
		s++;
	return !*s;
}

static int py_int(const char *s, int64_t *out)
{
	char buf[400];
	size_t sg, n;
	char *end;

	while (is_space(*s))
		s++;
	sg = s[0] == '+' || s[0] == '-';
	n = digitpart(s + sg);
	if (!n || !all_space(s + sg + n) || sg + n >= sizeof(buf))
		return -1;
	strip_us(s, sg + n, buf, sizeof(buf));
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return errno ? -1 : 0;	/* beyond 64 bits: typed as a float instead */
}

static int py_float(const char *s, double *out)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = signed_float(s, out);
	return n && all_space(s + n) ? 0 : -1;
}

/* complex(): [(] real | [real] (+|-) [imag] j | imag j [)], surrounded by spaces */
static int py_complex(const char *s, double *re, double *im)
{
	char body[400];
	size_t len, n;
	const char *p;

	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	if (len && s[0] == '(') {
		if (s[len - 1] != ')')
			return -1;
		s++, len -= 2;
		while (len && is_space(*s))
			s++, len--;
		while (len && is_space(s[len - 1]))
			len--;
	}
	if (!len || len >= sizeof(body))
		return -1;
	memcpy(body, s, len);
	body[len] = 0;
	p = body;
	*re = *im = 0;
	n = signed_float(p, re);
	if (n && !p[n])
		return 0;	/* a real number alone */
	if (n && (p[n] == 'j' || p[n] == 'J') && !p[n + 1]) {
		*im = *re, *re = 0;	/* "2j" */
		return 0;
	}
	if (!n)
		*re = 0;
	p += n;
	if (*p != '+' && *p != '-') {
		if (n)
			return -1;
		if ((*p == 'j' || *p == 'J') && !p[1]) {	/* "j" */
			*im = 1;
			return 0;
		}
		return -1;
	}
	n = signed_float(p, im);
	if (!n) {	/* "1+j" */
		*im = *p == '-' ? -1 : 1;
		n = 1;
	}
	return (p[n] == 'j' || p[n] == 'J') && !p[n + 1] ? 0 : -1;
}

static int ndigits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYY-MM-DD, a real calendar day of years 1..9999: its length (10), or 0 */
static size_t iso_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (ndigits(s, 4, &y) || s[4] != '-' || ndigits(s + 5, 2, &m) || s[7] != '-' ||
	    ndigits(s + 8, 2, &d) || y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 10;
}

/* HH[:MM[:SS[.fff|.ffffff]]]: its length, 0 if none */
static size_t iso_hms(const char *s, int max_hour)
{
	int h, m, sec;
	size_t n = 2;

	if (ndigits(s, 2, &h) || h > max_hour)
		return 0;
	if (s[2] == ':') {
		if (ndigits(s + 3, 2, &m) || m > 59)
			return 0;
		n = 5;
		if (s[5] == ':') {
			if (ndigits(s + 6, 2, &sec) || sec > 59)
				return 0;
			n = 8;
			if (s[8] == '.') {
				size_t f = 0;
				while (isdigit((unsigned char)s[9 + f]))
					f++;
				if (f != 3 && f != 6)
					return 0;
				n = 9 + f;
			}
		}
	}
	return n;
}

/* time.fromisoformat(): HH[:MM[:SS[.f]]] then Z or +HH:MM[:SS[.f]]; 0 if the whole of s
 * is one */
static int iso_time(const char *s)
{
	size_t n = iso_hms(s, 23);

	if (!n)
		return -1;
	s += n;
	if (*s == 'Z' && !s[1])
		return 0;
	if (*s == '+' || *s == '-') {
		n = iso_hms(s + 1, 23);
		if (n < 5)	/* the offset needs minutes */
			return -1;
		s += 1 + n;
	}
	return *s ? -1 : 0;
}

enum chksrv_vtype chksrv_value_type(const char *s, struct chksrv_value *v)
{
	static const char *const yes[] = { "true", "yes", "y" }, *const no[] = { "false", "no", "n" };

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return v->b = 1, v->type = CV_BOOL;
		if (!strcasecmp(s, no[i]))
			return v->type = CV_BOOL;
	}
	if (py_int(s, &v->i) == 0)
		return v->type = CV_INT;
	if (py_float(s, &v->f) == 0)
		return v->type = CV_FLOAT;
	if (py_complex(s, &v->f, &v->im) == 0)
		return v->type = CV_COMPLEX;
	if (iso_date(s) && !s[10])
		return v->type = CV_DATE;
	if (iso_time(s) == 0)
		return v->type = CV_TIME;
	if (iso_date(s) && s[10] && (unsigned char)s[10] < 0x80 && iso_time(s + 11) == 0)
		return v->type = CV_DATETIME;
	return v->type = CV_STR;
}

/* "int 7", "float 1.5", "bool True", "complex 1+2j", "date", ...: the type and (for numbers
 * and booleans) the value, for logs and tests */
void chksrv_value_describe(const char *s, char *out, size_t len)
{
	struct chksrv_value v;
	char a[RECORD_FMT_MAX], b[RECORD_FMT_MAX];

	switch (chksrv_value_type(s, &v)) {
	case CV_BOOL: snprintf(out, len, "bool %s", v.b ? "True" : "False"); break;
	case CV_INT: snprintf(out, len, "int %" PRId64, v.i); break;
	case CV_FLOAT:
		record_fmt_float(v.f, a);
		snprintf(out, len, "float %s", a);
		break;
	case CV_COMPLEX:
		record_fmt_float(v.f, a);
		record_fmt_float(v.im, b);
		snprintf(out, len, "complex %s%s%sj", a, v.im < 0 || b[0] == '-' ? "" : "+", b);
		break;
	default: snprintf(out, len, "%s", vtype_name[v.type]);
	}
}

/* --- the applet's state -------------------------------------------------------------------- */

/* MOD_PROBE: a service probe of the build (redis, postgres, ...), HOST PORT and -p NAME=VALUE
 * by its field names */
enum { MOD_TCP, MOD_SSL, MOD_HTTP, MOD_PROBE };
static const char *const mod_name[] = { "tcp", "ssl", "http" };
/* the probe of each module */
static const char *const mod_probe[] = { "tcp", "tls", "http" };

struct param {
	char *name;
	const char *value;
	struct chksrv_value v;
};

struct chk {
	int mod, log_level;
	const char *modname;	/* as given: tcp, ssl, http, redis, ... */
	struct cli_opts cli;
	long retry;
	double timeout;		/* one try: the smaller of --timeout and -p timeout */
	const char *host, *port;
	char hostbuf[URL_HOST_MAX];
	char target[URL_MAX];	/* for labels and logs: HOST:PORT, or the URL without userinfo */
	const struct probe_type *type;
	void *spec;
	struct probe_base *base;	/* the spec's */
	char *fields[PARAMS_MAX + 1];	/* http.header.* as "Name: value", and Accept-Encoding */
	size_t nfields;
	struct param param[PARAMS_MAX];
	size_t nparam;
	const char *expect_src[EXPECTS_MAX];
	struct expr *ex[EXPECTS_MAX];
	struct expr_result er[EXPECTS_MAX];
	size_t nex;
	FILE *log;
};

/* --- logging: upstream's "asctime name levelname message" lines, on stderr ---------------- */

static const struct {
	const char *name;
	int level;
} levels[] = {
	{ "CRITICAL", 50 }, { "FATAL", 50 }, { "ERROR", 40 }, { "WARNING", 30 }, { "WARN", 30 },
	{ "INFO", 20 }, { "DEBUG", 10 }, { "TRACE", 10 },
};

enum { L_DEBUG = 10, L_INFO = 20, L_WARN = 30, L_ERROR = 40 };

static int log_level(const char *s)
{
	long n;

	for (size_t i = 0; i < ARRAY_LEN(levels); i++)
		if (!strcasecmp(s, levels[i].name))
			return levels[i].level;
	if (parse_long(s, -1000000, 1000000, &n) == 0)
		return (int)n;
	return L_WARN;	/* as upstream: an unknown name is WARN */
}

static const char *level_name(int l)
{
	return l >= 50 ? "CRITICAL" : l >= 40 ? "ERROR" : l >= 30 ? "WARNING" : l >= 20 ? "INFO"
											: "DEBUG";
}

static void logm(const struct chk *k, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void logm(const struct chk *k, int level, const char *fmt, ...)
{
	char msg[1024], ts[32], line[1200];
	struct timespec now;
	struct tm tm;
	va_list ap;
	int n;

	if (level < k->log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s,%03ld %-12s %-8s %s\n", ts, now.tv_nsec / 1000000,
		     "chksrv", level_name(level), msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	write_all(2, line, (size_t)n);
	if (k->log) {
		fwrite(line, 1, (size_t)n, k->log);
		fflush(k->log);
	}
}

/* --- parameters ------------------------------------------------------------------------------ */

/* timeout and ipv6 are chksrv's own; the rest are the -p names of the probes' fields */
static const char *const own_params[] = { "timeout", "ipv6" };

/* the field of parameter name in any probe of the build (a secret also as NAME_env and
 * NAME_file), or NULL */
static const struct probe_field *param_field(const char *name)
{
	const struct probe_field *f = NULL;
	enum probe_src src;

	for (const struct probe_type *const *t = probe_types; *t && !f; t++)
		f = probe_field_src(*t, name, 1, &src);
	return f;
}

#define HEADER_PREFIX "http.header."

static int param_known(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(own_params); i++)
		if (!strcmp(name, own_params[i]))
			return 1;
	if (!strncmp(name, HEADER_PREFIX, strlen(HEADER_PREFIX)) && name[strlen(HEADER_PREFIX)])
		return 1;
	return param_field(name) != NULL;
}

/* values never logged: request headers and bodies may carry credentials */
static int param_secret(const char *name)
{
	const struct probe_field *f = param_field(name);

	return !strncmp(name, "http.", 5) || record_key_is_secret(name) ||
	       (f && (f->flags & PF_SECRET));
}

static void add_param(struct chk *k, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct param *p;
	char *name;

	if (!eq || eq == arg)
		error_exit("-p: expected PARAM=VALUE, got '%s'", arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	if (!param_known(name))
		error_exit("unknown parameter '%s' (see --help)", name);
	for (size_t i = 0; i < k->nparam; i++)
		if (!strcmp(k->param[i].name, name)) {
			logm(k, L_WARN, "parameter %s given again: the last value counts", name);
			free(name);
			k->param[i].value = eq + 1;
			chksrv_value_type(eq + 1, &k->param[i].v);
			return;
		}
	if (k->nparam >= PARAMS_MAX)
		error_exit("too many -p parameters (at most %d)", PARAMS_MAX);
	p = &k->param[k->nparam++];
	p->name = name;
	p->value = eq + 1;
	chksrv_value_type(eq + 1, &p->v);
	if (k->log_level <= L_DEBUG) {
		char d[128];
		chksrv_value_describe(p->value, d, sizeof(d));
		logm(k, L_DEBUG, "parameter %s = %s (%s)", name,
		     param_secret(name) ? "***" : p->value, param_secret(name) ? "***" : d);
	}
}

static const struct param *param(const struct chk *k, const char *name)
{
	for (size_t i = 0; i < k->nparam; i++)
		if (!strcmp(k->param[i].name, name))
			return &k->param[i];
	return NULL;
}

/* Python truthiness of the typed value; a word other than a boolean one is an error (upstream
 * would take any non-empty text as True, so "off" would turn a check on) */
static int param_bool(const struct chk *k, const char *name, int dflt)
{
	const struct param *p = param(k, name);

	if (!p)
		return dflt;
	switch (p->v.type) {
	case CV_BOOL: return p->v.b;
	case CV_INT: return p->v.i != 0;
	case CV_FLOAT: return p->v.f != 0;
	default:
		if (!strcasecmp(p->value, "prefer"))	/* the README's default for use_default_context */
			return 1;
		error_exit("-p %s: expected True or False, got '%s'", name, p->value);
	}
}

static int mod_tls(const struct chk *k)
{
	return k->mod == MOD_SSL || (k->mod != MOD_TCP && k->base->tls);
}

static void warn_unused(const struct chk *k)
{
	for (size_t i = 0; i < k->nparam; i++) {
		const char *n = k->param[i].name;
		if ((!strncmp(n, "ssl.", 4) && !mod_tls(k)) || (!strncmp(n, "http.", 5) && k->mod != MOD_HTTP))
			logm(k, L_WARN, "parameter %s has no effect on this %s check", n,
			     k->mod == MOD_HTTP ? "plain http" : k->modname);
	}
}

static void configure_tcp(struct chk *k, double try_timeout)
{
	enum { V6_PREFER, V6_FALLBACK, V6_TRUE, V6_FALSE };
	/* prefer and fallback: both families race (RFC 8305), the named one first, so a
	 * black-holed first family costs 250 ms instead of the whole timeout */
	static const int fam[4] = { [V6_TRUE] = AF_INET6, [V6_FALSE] = AF_INET };
	static const int pref[4] = { [V6_PREFER] = AF_INET6, [V6_FALLBACK] = AF_INET };
	const struct param *p = param(k, "timeout");
	int v6;

	k->timeout = try_timeout;
	if (p) {
		double t = p->v.type == CV_INT ? (double)p->v.i : p->v.f;
		if ((p->v.type != CV_INT && p->v.type != CV_FLOAT) || !(t > 0) || t > TIMEOUT_MAX)
			error_exit("-p timeout: expected seconds (0 to %g), got '%s'", TIMEOUT_MAX, p->value);
		if (t < k->timeout)
			k->timeout = t;
	}
	p = param(k, "ipv6");
	v6 = V6_PREFER;
	if (p && p->v.type == CV_BOOL)
		v6 = p->v.b ? V6_TRUE : V6_FALSE;
	else if (p && !strcasecmp(p->value, "fallback"))
		v6 = V6_FALLBACK;
	else if (p && strcasecmp(p->value, "prefer"))
		error_exit("-p ipv6: expected True, False, prefer or fallback, got '%s'", p->value);
	if (v6 == V6_TRUE && !ENABLE_FEATURE_IPV6)
		error_exit("-p ipv6=True: IPv6 is not supported by this build");
	k->base->conn.family = fam[v6];
	k->base->conn.prefer = pref[v6];
}

static void set_field(struct chk *k, const char *name, int param, const char *value)
{
	enum probe_src src;
	const struct probe_field *f = probe_field_src(k->type, name, param, &src);
	char err[300];

	if (f && probe_set_src(k->spec, f, src, value, strlen(value), err, sizeof(err)) < 0)
		error_exit("-p %s", err);
}

/* the -p values of this module's probe, typed as chksrv types them */
static void configure_probe(struct chk *k)
{
	char err[400], line[HTTP_LINE_MAX];
	int seen_ae = 0;

	/* chksrv's defaults where they differ from the probes': the name is checked only when
	 * ssl.check_hostname asks */
	set_field(k, "ssl.check_hostname", 1, "false");
	if (k->mod == MOD_HTTP)
		set_field(k, "user_agent", 0, "");	/* http.client sends none */
	for (size_t i = 0; i < k->nparam; i++) {
		const struct param *p = &k->param[i];
		enum probe_src src;
		const struct probe_field *f = probe_field_src(k->type, p->name, 1, &src);

		if (!strncmp(p->name, HEADER_PREFIX, strlen(HEADER_PREFIX))) {
			const char *n = p->name + strlen(HEADER_PREFIX);
			if (k->mod != MOD_HTTP)
				continue;
			snprintf(line, sizeof(line), "%s: %s", n, p->value);
			if (http_field_check(line, err, sizeof(err)) < 0)
				error_exit("-p %s: %s", p->name, err);
			seen_ae |= !strcasecmp(n, "accept-encoding");
			k->fields[k->nfields++] = xstrdup(line);
			continue;
		}
		if (!f)
			continue;	/* another module's (warned about), or timeout/ipv6 */
		if (f->type == PF_BOOL && src == PS_TEXT)
			set_field(k, p->name, 1, param_bool(k, p->name, 0) ? "true" : "false");
		else
			set_field(k, p->name, 1, p->value);
	}
	if (k->mod == MOD_HTTP) {
		const struct probe_field *h = probe_field(k->type, "headers", 0);
		if (!seen_ae)
			k->fields[k->nfields++] = xstrdup("Accept-Encoding: identity");
		for (size_t i = 0; i < k->nfields; i++)
			probe_set(k->spec, h, k->fields[i], strlen(k->fields[i]), err, sizeof(err));
	}
	if (mod_tls(k) && param_bool(k, "ssl.use_default_context", 1) &&
	    (param(k, "ssl.protocol") || param(k, "ssl.ciphers")))
		logm(k, L_WARN, "ssl.protocol and ssl.ciphers are ignored while "
		     "ssl.use_default_context is True (set it to False to use them)");
	if (probe_ready(k->type, k->spec, err, sizeof(err)) < 0) {
		/* a parameter's value, or the TLS library's refusal (a CA file, a cipher name) */
		if (!strncmp(err, "ssl.", 4))
			error_exit("-p %s", err);
		error_exit("%s: %s", k->mod == MOD_HTTP && k->base->tls ? "https" : k->modname, err);
	}
}

/* the positional arguments: MODULE HOST PORT | MODULE URL */
static void parse_target(struct chk *k, int argc, char **argv)
{
	char err[256];
	struct url u;
	long port;

	if (argc < 1)
		error_exit("a module is needed: tcp, ssl or http (see --help)");
	if (!strcmp(argv[0], "ping"))
		error_exit("%s checks are not implemented", argv[0]);
	k->modname = argv[0];
	for (k->mod = 0; k->mod < (int)ARRAY_LEN(mod_name) && strcmp(argv[0], mod_name[k->mod]); k->mod++)
		;
	k->type = k->mod < MOD_PROBE ? probe_find(mod_probe[k->mod]) : probe_find(argv[0]);
	if (k->mod == MOD_PROBE && (!k->type || k->type->layout == PL_ONE)) {
		char have[300] = "tcp, ssl, http";
		size_t n = strlen(have);
		for (const struct probe_type *const *t = probe_types; *t; t++)
			if ((*t)->layout != PL_ONE && n < sizeof(have))
				n += (size_t)snprintf(have + n, sizeof(have) - n, ", %s", (*t)->name);
		error_exit("unknown module '%s' (this build has: %s)", argv[0], have);
	}
	if (!k->type)
		error_exit("%s: not supported by this build", k->modname);
	k->spec = probe_spec_new(k->type);
	k->base = k->spec;
	if (k->mod == MOD_HTTP) {
		if (argc != 2)
			error_exit("usage: chksrv http [options] URL (see --help)");
		/* the URL may hold a password: errors show it without the userinfo */
		if (url_parse(&u, argv[1], err, sizeof(err)) < 0)
			error_exit("bad URL: %s", err);
		url_format(&u, k->target, sizeof(k->target));
		if (strcmp(u.scheme, "http") && strcmp(u.scheme, "https"))
			error_exit("bad URL '%s': http:// or https:// expected", k->target);
		k->base->tls = !strcmp(u.scheme, "https");
		set_field(k, "url", 0, argv[1]);
		return;
	}
	if (argc != 3)
		error_exit("usage: chksrv %s [options] HOST PORT (see --help)", k->modname);
	if (parse_long(argv[2], 1, 65535, &port) < 0)
		error_exit("bad port '%s' (1 to 65535)", argv[2]);
	if (k->mod != MOD_PROBE)
		k->base->tls = k->mod == MOD_SSL;
	k->host = conn_unbracket(argv[1], k->hostbuf, sizeof(k->hostbuf));
	if (!*k->host)
		error_exit("empty host name");
	k->port = argv[2];
	set_field(k, "host", 0, k->host);
	set_field(k, "port", 0, k->port);
	probe_hostport(k->target, sizeof(k->target), k->host, k->port);
}

static void parse_args(struct chk *k, int argc, char **argv)
{
	enum { O_VERSION = 256, O_LOGFILE, O_TIMEOUT };
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, O_VERSION },
		{ "verbose", no_argument, 0, 'v' },
		{ "log-level", required_argument, 0, 'l' },
		{ "log-file", required_argument, 0, O_LOGFILE },
		{ "parameter", required_argument, 0, 'p' },
		{ "expects", required_argument, 0, 'e' },
		{ "retry", required_argument, 0, 'r' },
		{ "timeout", required_argument, 0, O_TIMEOUT },
		CLI_LONGOPTS,
		{ 0, 0, 0, 0 },
	};
	const char *params[PARAMS_MAX], *log_file = NULL, *level = "WARN";
	size_t nparams = 0;
	double try_timeout = DEFAULT_TIMEOUT;
	char err[EXPR_REASON_MAX];
	int c, verbose = 0, family = 0;

	k->retry = 3;
	cli_args(&k->cli, "chksrv", ":hvl:p:e:r:", lo, &argc, &argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hvl:p:e:r:", lo, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(chksrv_usage, stdout);
			cli_env_help(stdout, "chksrv", lo);
			exit(0);
		case O_VERSION:
			printf("chksrv version %s (probebox)\n", PROBEBOX_VERSION);
			exit(0);
		case 'v': verbose = 1; break;
		case 'l': level = optarg; break;
		case O_LOGFILE: log_file = optarg; break;
		case 'p':
			if (nparams >= PARAMS_MAX)
				error_exit("too many -p parameters (at most %d)", PARAMS_MAX);
			params[nparams++] = optarg;
			break;
		case 'e':
			if (k->nex >= EXPECTS_MAX)
				error_exit("too many -e expectations (at most %d)", EXPECTS_MAX);
			k->expect_src[k->nex++] = optarg;
			break;
		case 'r':
			if (parse_long(optarg, 0, RETRY_MAX, &k->retry) < 0)
				error_exit("invalid retry count '%s' (0 to %d)", optarg, RETRY_MAX);
			break;
		case O_TIMEOUT:
			if (parse_double(optarg, &try_timeout) < 0 || !(try_timeout > 0) ||
			    try_timeout > TIMEOUT_MAX)
				error_exit("invalid timeout '%s' (seconds, 0 to %g)", optarg, TIMEOUT_MAX);
			break;
		default:
			if (!cli_opt(&k->cli, c, optarg))
				opt_common(c, argv, &family);
		}
	}
	k->log_level = log_level(level) - (verbose ? 10 : 0);
	if (k->cli.quiet && k->log_level < L_ERROR)
		k->log_level = L_ERROR;	/* a failed try's WARNING is not for --quiet */
	if (log_file && !(k->log = fopen(log_file, "a")))
		perror_exit("cannot open log file %s", log_file);
	parse_target(k, argc - optind, argv + optind);
	/* every expression compiles before anything runs; none is dropped */
	for (size_t i = 0; i < k->nex; i++) {
		k->ex[i] = expr_compile(k->expect_src[i], err, sizeof(err));
		if (!k->ex[i])
			error_exit("expression %zu, %s", i + 1, err);
	}
	for (size_t i = 0; i < nparams; i++)
		add_param(k, params[i]);
	configure_tcp(k, try_timeout);
	configure_probe(k);
	warn_unused(k);
}

/* --- one try: tcp, then ssl, then http over the same connection ------------------------- */

/* the probe's own success (upstream's module-level "success") */
static int run_try(struct chk *k, struct record *r)
{
	int ok = probe_run(k->type, k->spec, deadline_in(k->timeout), r);

	if (!ok) {
		const struct record_item *e = record_get(r, "error");
		logm(k, L_WARN, "%s check of %s failed: %s", k->modname, k->target,
		     e && e->type == RECORD_STR ? e->v.s.p : "?");
	}
	return ok;
}

static int judge(struct chk *k, const struct record *r, int ok)
{
	time_t now = time(NULL);

	for (size_t i = 0; i < k->nex; i++)
		if (expr_eval(k->ex[i], r, now, &k->er[i]) != EXPR_TRUE) {
			logm(k, L_WARN, "Expect %zu failed: %s", i, expr_source(k->ex[i]));
			ok = 0;
		}
	return ok;
}

/* --- output ------------------------------------------------------------------------------- */

/* "200", or "missing key 'x'", or "'abc' ('<' not supported ...)" */
static void shown(const struct expr_result *e, char *buf, size_t len)
{
	if (e->text[0] && e->reason[0])
		snprintf(buf, len, "%s (%s)", e->text, e->reason);
	else
		str_copy(buf, len, e->text[0] ? e->text : e->reason);
}

static void print_text(const struct chk *k, const struct record *r)
{
	struct record_sink s;
	char buf[EXPR_TEXT_MAX + EXPR_REASON_MAX + 8];

	record_sink_file(&s, stdout);
	for (size_t i = 0; i < k->nex; i++) {
		const char *src = expr_source(k->ex[i]);
		shown(&k->er[i], buf, sizeof(buf));
		record_put_escaped(&s, src, strlen(src), 0);
		record_puts(&s, " -> ");
		record_put_escaped(&s, buf, strlen(buf), 0);
		record_puts(&s, k->er[i].verdict == EXPR_TRUE ? ": True\n" : ": False\n");
	}
	record_write_text(r, stdout);
}

/* --format json and prometheus: the record, with each expectation's verdict in it as
 * expectation.N, through the output every applet shares */
static void print_structured(const struct chk *k, struct record *r, int ok, double duration)
{
	const struct record_item *e = record_get(r, "error");
	char reason[EXPR_REASON_MAX + 64] = "";
	struct report_check c = { .name = "chksrv", .type = k->type->name, .target = k->target,
				  .verdict = ok ? "OK" : "FAILED", .success = ok,
				  .duration = duration, .rec = r };

	for (size_t i = 0; i < k->nex; i++) {
		char key[48], v[EXPR_TEXT_MAX + EXPR_REASON_MAX + 8];
		snprintf(key, sizeof(key), "expectation.%zu", i);
		record_set_bool(r, key, k->er[i].verdict == EXPR_TRUE);
		snprintf(key, sizeof(key), "expectation.%zu.expr", i);
		record_set_str(r, key, expr_source(k->ex[i]));
		snprintf(key, sizeof(key), "expectation.%zu.value", i);
		shown(&k->er[i], v, sizeof(v));
		record_set_str(r, key, v);
		if (!reason[0] && k->er[i].verdict != EXPR_TRUE)
			snprintf(reason, sizeof(reason), "expectation %zu failed: %s", i,
				 expr_source(k->ex[i]));
	}
	if (e && e->type == RECORD_STR)
		c.reason = e->v.s.p;
	else if (reason[0])
		c.reason = reason;
	if (k->cli.format == OUTPUT_JSON)
		report_json(stdout, "chksrv", c.verdict, cli_exit(&k->cli, !ok), &c, 1);
	else
		report_prom(stdout, &c, 1);
}

int chksrv_main(int argc, char **argv)
{
	struct chk *k = xzalloc(sizeof(*k));
	struct record r;
	double t0, duration;
	int ok;

	parse_args(k, argc, argv);
	record_init(&r);
	for (long t = 0;; t++) {
		t0 = mono_sec();
		ok = judge(k, &r, run_try(k, &r));
		duration = mono_sec() - t0;
		if (ok || t >= k->retry)
			break;
		/* a short back-off: 0.1 s, doubling, at most 2 s */
		{
			double d = t < 4 ? 0.1 * (double)(1 << t) : 2.0;
			struct timespec ts = { 0, (long)(d * 1e9) % 1000000000L };
			ts.tv_sec = (time_t)d;
			logm(k, L_INFO, "try %ld of %ld failed, next in %.1fs", t + 1, k->retry + 1, d);
			nanosleep(&ts, NULL);
		}
	}
	if (!cli_should_print(&k->cli, ok))
		;	/* --quiet and all is well */
	else if (k->cli.format != OUTPUT_TEXT)
		print_structured(k, &r, ok, duration);
	else
		print_text(k, &r);
	fflush(stdout);
	return cli_exit(&k->cli, ok ? 0 : 1);
}
