/* supervisor.c - supervisor_checks' event listeners (supervisor_http_check, _tcp_, _xmlrpc_,
 * _memory_, _cpu_, _file_ and _complex_check): run as an [eventlistener:x] of supervisord,
 * check the RUNNING processes of a group on every TICK event and restart a failing one
 * through supervisord's XML-RPC interface (net/xmlrpc over net/http, a unix socket or TCP).
 *
 * The event-listener protocol (supervisor's "Events" documentation): READY\n, a header line
 * of key:value tokens, exactly len bytes of payload, RESULT 2\nOK. stdout carries nothing
 * else; the log goes to stderr in supervisor_checks' format. The http and tcp checks are the
 * http and tcp probes. Deviations from upstream, all listed in docs/compat.md.
 */
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_http_check", supervisor_http_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_tcp_check", supervisor_tcp_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_xmlrpc_check", supervisor_xmlrpc_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_memory_check", supervisor_memory_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_cpu_check", supervisor_cpu_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_file_check", supervisor_file_check))
//applet:IF_SUPERVISOR_CHECKS(APPLET_CLI("supervisor_complex_check", supervisor_complex_check))
//kbuild:obj-$(CONFIG_SUPERVISOR_CHECKS) += supervisor.o
//config:config SUPERVISOR_CHECKS
//config:	bool "supervisor_*_check event listeners (+48 kB)"
//config:	default y
//config:	select PROBE_HTTP
//config:	select PROBE_TCP
//config:	select XMLRPC
//config:	select JSON
//config:	select RE2
//config:	select CLI
//config:	help
//config:	  supervisor_http_check, supervisor_tcp_check, supervisor_xmlrpc_check,
//config:	  supervisor_memory_check, supervisor_cpu_check, supervisor_file_check and
//config:	  supervisor_complex_check: supervisord event listeners that check the
//config:	  RUNNING processes of a group on every TICK_5, TICK_60 or TICK_3600 event
//config:	  and restart a failing one through supervisord (drop-ins for the
//config:	  supervisor_checks package, docs/supervisor.md).
//usage:supervisor_http_check:usage: supervisor_http_check -n NAME -g GROUP|-N NAME -u PATH -p PORT [OPTIONS]
//usage:supervisor_http_check:
//usage:supervisor_http_check:An event listener of supervisord: on every TICK event, GET (or -m) http://127.0.0.1:PORT/PATH
//usage:supervisor_http_check:for each RUNNING process of the group; a status other than 200, or no answer after the
//usage:supervisor_http_check:retries, restarts the process.
//usage:supervisor_http_check:
//usage:supervisor_http_check:  -n, --check-name=NAME	Health check name (in every log line; required)
//usage:supervisor_http_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_http_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g; GROUP:* is the group)
//usage:supervisor_http_check:  -u, --url=PATH	HTTP path to query (required)
//usage:supervisor_http_check:  -p, --port=PORT|REGEX	Port, or a regular expression with one group that takes it
//usage:supervisor_http_check:		from the process name (".+_(\d+)"; required)
//usage:supervisor_http_check:  -m, --method=METHOD	HTTP method (default GET)
//usage:supervisor_http_check:  -j, --json=JSON	Body, sent with Content-Type: application/json (wins over -b)
//usage:supervisor_http_check:  -b, --body=BODY	Body
//usage:supervisor_http_check:  -H, --headers=JSON	Request headers as a JSON object ({"X-Key": "v"})
//usage:supervisor_http_check:  -U, --username=USER	Basic authentication, with -P
//usage:supervisor_http_check:  -P, --password=PASS	Its password (never logged)
//usage:supervisor_http_check:  -t, --timeout=SEC	Seconds one try may take (default 15)
//usage:supervisor_http_check:  -r, --num-retries=N	Tries after a failed connection, 3 s x try apart (default 2)
//usage:supervisor_http_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_tcp_check:usage: supervisor_tcp_check -n NAME -g GROUP|-N NAME -p PORT [-t SEC] [-r N]
//usage:supervisor_tcp_check:
//usage:supervisor_tcp_check:An event listener of supervisord: on every TICK event, connect to 127.0.0.1:PORT for each
//usage:supervisor_tcp_check:RUNNING process of the group; no connection after the retries restarts the process.
//usage:supervisor_tcp_check:
//usage:supervisor_tcp_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_tcp_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_tcp_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_tcp_check:  -p, --port=PORT|REGEX	Port, or a regular expression with one group (required)
//usage:supervisor_tcp_check:  -t, --timeout=SEC	Seconds one try may take (default 15)
//usage:supervisor_tcp_check:  -r, --num-retries=N	Tries after a failed one, 3 s x try apart (default 2)
//usage:supervisor_tcp_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_xmlrpc_check:usage: supervisor_xmlrpc_check -n NAME -g GROUP|-N NAME (-u PATH -p PORT | -s SOCKET | -S DIR) [OPTIONS]
//usage:supervisor_xmlrpc_check:
//usage:supervisor_xmlrpc_check:An event listener of supervisord: on every TICK event, call METHOD() on each RUNNING
//usage:supervisor_xmlrpc_check:process's XML-RPC server; a fault, or no answer after the retries, restarts it.
//usage:supervisor_xmlrpc_check:
//usage:supervisor_xmlrpc_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_xmlrpc_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_xmlrpc_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_xmlrpc_check:  -u, --url=PATH	Path of the server at http://127.0.0.1:PORT, with -p
//usage:supervisor_xmlrpc_check:  -p, --port=PORT|REGEX	Port, or a regular expression with one group
//usage:supervisor_xmlrpc_check:  -s, --socket-path=PATH	The server's unix socket
//usage:supervisor_xmlrpc_check:  -S, --socket-dir=DIR	A directory of unix sockets named PROCESS.sock
//usage:supervisor_xmlrpc_check:  -m, --method=METHOD	Method to call (default status)
//usage:supervisor_xmlrpc_check:  -U, --username=USER	Basic authentication, with -P
//usage:supervisor_xmlrpc_check:  -P, --password=PASS	Its password (never logged)
//usage:supervisor_xmlrpc_check:  -t, --timeout=SEC	Seconds one try may take (default 15)
//usage:supervisor_xmlrpc_check:  -r, --num-retries=N	Tries after a failed connection (default 2)
//usage:supervisor_xmlrpc_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_memory_check:usage: supervisor_memory_check -n NAME -g GROUP|-N NAME -m KB [-c]
//usage:supervisor_memory_check:
//usage:supervisor_memory_check:An event listener of supervisord: on every TICK event, restart each RUNNING process of
//usage:supervisor_memory_check:the group whose resident memory is above KB.
//usage:supervisor_memory_check:
//usage:supervisor_memory_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_memory_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_memory_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_memory_check:  -m, --msx-rss=KB	Most resident memory allowed, in KB (--max-rss too; required)
//usage:supervisor_memory_check:  -c, --cumulative	Count the process and all its descendants
//usage:supervisor_memory_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_cpu_check:usage: supervisor_cpu_check -n NAME -g GROUP|-N NAME -p PERCENT -i SEC
//usage:supervisor_cpu_check:
//usage:supervisor_cpu_check:An event listener of supervisord: restart each RUNNING process of the group whose CPU use
//usage:supervisor_cpu_check:(percent of one CPU, between two TICK events) stayed above PERCENT for longer than SEC.
//usage:supervisor_cpu_check:
//usage:supervisor_cpu_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_cpu_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_cpu_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_cpu_check:  -p, --max-cpu-percent=PERCENT	Most CPU use allowed (required)
//usage:supervisor_cpu_check:  -i, --interval=SEC	How long it may stay above (required)
//usage:supervisor_cpu_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_file_check:usage: supervisor_file_check -n NAME -g GROUP|-N NAME -t SEC [-x] [-f FILE | -d DIR]
//usage:supervisor_file_check:
//usage:supervisor_file_check:An event listener of supervisord: restart each RUNNING process of the group whose
//usage:supervisor_file_check:heartbeat file's status (ctime) changed more than SEC seconds ago.
//usage:supervisor_file_check:
//usage:supervisor_file_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_file_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_file_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_file_check:  -t, --timeout=SEC	Most seconds since the last heartbeat (required)
//usage:supervisor_file_check:  -x, --fail-on-error	A file that cannot be read fails the check (else it passes)
//usage:supervisor_file_check:  -f, --filepath=FILE	The heartbeat file (default DIR/GROUP-NAME-PID)
//usage:supervisor_file_check:  -d, --root-dir=DIR	Its directory (default $TMPDIR or /tmp)
//usage:supervisor_file_check:  --quiet	Log only failures, restarts and errors
//usage:supervisor_complex_check:usage: supervisor_complex_check -n NAME -g GROUP|-N NAME -c JSON
//usage:supervisor_complex_check:
//usage:supervisor_complex_check:An event listener of supervisord: run several checks per process, in the JSON's order;
//usage:supervisor_complex_check:the first that fails restarts the process. JSON: {"CHECK": {KEY: VALUE, ...}, ...} with
//usage:supervisor_complex_check:CHECK http (url, port, method, json, body, headers, username, password, timeout,
//usage:supervisor_complex_check:num_retries), tcp (port, timeout, num_retries), xmlrpc (url, port, sock_path, sock_dir,
//usage:supervisor_complex_check:method, username, password, timeout, num_retries), memory (max_rss, cumulative), cpu
//usage:supervisor_complex_check:(max_cpu, interval) or file (timeout, fail_on_error, filepath, root_dir).
//usage:supervisor_complex_check:
//usage:supervisor_complex_check:  -n, --check-name=NAME	Health check name (required)
//usage:supervisor_complex_check:  -g, --process-group=GROUP	Supervisor process group to check
//usage:supervisor_complex_check:  -N, --process-name=GROUP:NAME	Only this process (wins over -g)
//usage:supervisor_complex_check:  -c, --check-config=JSON	The checks (required)
//usage:supervisor_complex_check:  --quiet	Log only failures, restarts and errors

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "../lib/cli.h"
#include "../lib/json.h"
#include "../lib/re2.h"
#include "../lib/util.h"
#include "../net/http.h"
#include "../net/probe.h"
#include "../net/xmlrpc.h"

#define SV_NAME_MAX 256		/* bytes of a group or process name */
#define SV_PROCS_MAX 256	/* processes one listener keeps state for */
#define SV_CHECKS_MAX 6		/* checks of one listener (complex: one of each kind) */
#define SV_WORKERS 16		/* processes checked at once (supervisor_checks' pool) */
#define SV_LINE_MAX 4096	/* an event header line */
#define SV_PAYLOAD_MAX (1L << 30)
#define SV_PAYLOAD_SECS 5	/* the payload follows its header at once; this long at most */
#define SV_RPC_SECS 10		/* a call to supervisord (stopProcess waits for the stop) */
#define SV_STOP_SECS 120
#define SV_RETRY_SECS 3		/* supervisor_checks' back-off: 3 s x try */
#define SV_RUNNING 20		/* supervisor's ProcessStates.RUNNING */

enum { CK_HTTP, CK_TCP, CK_XMLRPC, CK_MEMORY, CK_CPU, CK_FILE, CK_COMPLEX };
static const char *const ck_name[] = { "http", "tcp", "xmlrpc", "memory", "cpu", "file" };
static const char *const ck_class[] = { "HTTPCheck", "TCPCheck", "XMLRPCCheck", "MemoryCheck",
					"CPUCheck", "FileCheck" };

/* a port, or PRE(GROUP)POST: the three parts anchored (PRE and GROUP whole, POST a prefix) */
struct port_spec {
	const char *text;
	long port;		/* a number, or 0 with the pattern */
	struct re2 *pre, *grp, *post;
};

struct check {
	int kind;
	struct port_spec port;
	int has_port;
	const char *url, *method, *body, *user, *password, *sock_path, *sock_dir;
	size_t body_len;
	int json_body;
	const char **headers;	/* "Name: value" */
	size_t nheaders;
	double timeout;
	long retries;
	double max_rss, max_cpu;
	long interval;
	int cumulative, fail_on_error;
	long file_timeout;
	const char *filepath, *root_dir;
};

/* what a tick knows of a process */
struct proc {
	char group[SV_NAME_MAX], name[SV_NAME_MAX];
	long pid;
};

struct cpu_state {
	long pid;			/* the sample's process */
	unsigned long long ticks;	/* utime + stime */
	double at;			/* mono_sec() of the sample */
	int over;			/* above the limit since first_over */
	double first_over;
};

/* per process, across ticks */
struct slot {
	int used, busy;
	unsigned tick;			/* of the job running now */
	struct proc pr;
	void *spec[SV_CHECKS_MAX];	/* http and tcp probe specs, made once */
	struct cpu_state cpu;
};

static struct sv {
	const char *name;		/* -n */
	const char *group, *process;	/* -g, -N */
	char ngroup[SV_NAME_MAX], nname[SV_NAME_MAX];	/* -N split */
	int nall;			/* -N GROUP:* */
	struct check checks[SV_CHECKS_MAX];
	size_t nchecks;
	struct cli_opts cli;
	struct xmlrpc_server rpc;
	char rpc_url[URL_MAX];
	char *rpc_path;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	int queue[SV_PROCS_MAX + 1];	/* slot indices; -1: the list job */
	size_t qhead, qlen;
	unsigned tick;
	int pending, list_busy;
	int done_pipe[2], sig_pipe[2];
	struct slot slots[SV_PROCS_MAX];
} *S;

static volatile sig_atomic_t got_signal;

/* --- the log: "2026/01/31 12:00:00 [NAME] Class: message", one write() per line ------------- */

static void vlog(int info, const char *cls, const char *fmt, va_list ap)
{
	char line[2048];
	struct tm tm;
	time_t now = time(NULL);
	size_t n;
	int k;

	if (info && S->cli.quiet)
		return;
	localtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y/%m/%d %H:%M:%S", &tm);
	k = snprintf(line + n, sizeof(line) - n, " [%s] %s%s", S->name, cls ? cls : "",
		     cls ? ": " : "");
	if (k > 0 && (size_t)k < sizeof(line) - n)
		n += (size_t)k;
	k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = k < 0 ? n : n + (size_t)k < sizeof(line) - 1 ? n + (size_t)k : sizeof(line) - 2;
	for (size_t i = 0; i < n; i++)	/* one line, whatever a server or a name holds */
		if ((unsigned char)line[i] < 0x20)
			line[i] = ' ';
	line[n++] = '\n';
	write_all(2, line, n);
}

static void slog(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void slog(const char *cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(0, cls, fmt, ap);
	va_end(ap);
}

/* what --quiet leaves out: the steps of a check that passes */
static void sinfo(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sinfo(const char *cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(1, cls, fmt, ap);
	va_end(ap);
}

/* --- pure pieces (tests/unit/supervisor.c) ------------------------------------------------ */

/* supervisor's split_namespec: "g:n" -> (g, n), "n" -> (n, n), "g:" and "g:*" -> (g, all) */
int sv_split_namespec(const char *spec, char *group, char *name, size_t cap, int *all)
{
	const char *c = strchr(spec, ':');
	size_t gl = c ? (size_t)(c - spec) : strlen(spec);
	const char *n = c ? c + 1 : spec;

	if (gl >= cap || strlen(n) >= cap)
		return -1;
	memcpy(group, spec, gl);
	group[gl] = 0;
	str_copy(name, cap, n);
	*all = c && (!*n || !strcmp(n, "*"));
	return 0;
}

/* supervisor's make_namespec */
void sv_namespec(const char *group, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, strcmp(group, name) ? "%s:%s" : "%s", group, name);
}

/* "ver:3.0 server:supervisor ... eventname:TICK_5 len:15": the event's name and its
 * payload length; 0, or -1 with why */
int sv_parse_header(const char *line, char *event, size_t cap, long *len, char *err,
		    size_t errlen)
{
	const char *p = line;
	int have_event = 0, have_len = 0;

	while (*p) {
		const char *tok = p, *colon, *end;
		while (*p && *p != ' ')
			p++;
		end = p;
		while (*p == ' ')
			p++;
		if (end == tok)
			continue;
		colon = memchr(tok, ':', (size_t)(end - tok));
		if (!colon)
			return snprintf(err, errlen, "a token without ':'"), -1;
		if (colon - tok == 9 && !memcmp(tok, "eventname", 9)) {
			size_t n = (size_t)(end - colon - 1);
			if (!n || n >= cap)
				return snprintf(err, errlen, "a bad eventname"), -1;
			memcpy(event, colon + 1, n);
			event[n] = 0;
			have_event = 1;
		} else if (colon - tok == 3 && !memcmp(tok, "len", 3)) {
			long v = 0;
			const char *d = colon + 1;
			if (d == end)
				return snprintf(err, errlen, "a bad len"), -1;
			for (; d < end; d++) {
				if (*d < '0' || *d > '9' || v > SV_PAYLOAD_MAX / 10)
					return snprintf(err, errlen, "a bad len"), -1;
				v = v * 10 + (*d - '0');
			}
			if (v > SV_PAYLOAD_MAX)
				return snprintf(err, errlen, "a bad len"), -1;
			*len = v;
			have_len = 1;
		}
	}
	if (!have_event || !have_len)
		return snprintf(err, errlen, "no %s", have_event ? "len" : "eventname"), -1;
	return 0;
}

/* the seconds of a TICK_N event, 0 for any other */
int sv_tick_period(const char *event)
{
	if (!strcmp(event, "TICK_5"))
		return 5;
	if (!strcmp(event, "TICK_60"))
		return 60;
	if (!strcmp(event, "TICK_3600"))
		return 3600;
	return 0;
}

/* the resident set of /proc/PID/statm's text, in pages; -1 when it does not parse */
long sv_statm_pages(const char *text)
{
	unsigned long size, res;

	return sscanf(text, "%lu %lu", &size, &res) == 2 ? (long)res : -1;
}

/* /proc/PID/stat: ppid, utime + stime, starttime (clock ticks); 0 or -1 */
int sv_parse_stat(const char *text, long *ppid, unsigned long long *ticks,
		  unsigned long long *start)
{
	const char *p = strrchr(text, ')');	/* the command may hold spaces and ')' */
	unsigned long long ut, st, sta;
	long pp;

	if (!p || sscanf(p + 1, " %*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d "
			 "%*d %*d %*d %*d %llu", &pp, &ut, &st, &sta) != 4)
		return -1;
	*ppid = pp;
	*ticks = ut + st;
	*start = sta;
	return 0;
}

enum { CPU_OK, CPU_ABOVE_FIRST, CPU_ABOVE, CPU_DROPPED, CPU_FAIL };

/* supervisor_checks' rule: fail when a process is above max on a tick and was above it on
 * every tick since one more than interval seconds ago; any tick at or below resets */
int sv_cpu_rule(struct cpu_state *st, double pct, double max, long interval, double now)
{
	if (pct > max) {
		if (st->over && now - st->first_over > (double)interval) {
			st->over = 0;
			return CPU_FAIL;
		}
		if (!st->over) {
			st->over = 1;
			st->first_over = now;
			return CPU_ABOVE_FIRST;
		}
		return CPU_ABOVE;
	}
	if (st->over) {
		st->over = 0;
		return CPU_DROPPED;
	}
	return CPU_OK;
}

/* the port of a process: 1..65535, 0 when the pattern does not give one. Python's re.match
 * anchors at the start: the name is PRE GROUP POST... with the longest PRE, then the longest
 * GROUP (what greedy patterns such as ".+_(\d+)" choose) */
long sv_port(const struct port_spec *ps, const char *name)
{
	size_t n = strlen(name);
	char num[16];
	long v;

	if (ps->port)
		return ps->port;
	for (size_t i = n + 1; i-- > 0;) {
		if (!re2_match(ps->pre, name, i))
			continue;
		for (size_t j = n + 1; j-- > i;) {
			if (!re2_match(ps->grp, name + i, j - i) || !re2_match(ps->post, name + j, n - j))
				continue;
			if (j - i >= sizeof(num))
				return 0;
			memcpy(num, name + i, j - i);
			num[j - i] = 0;
			return parse_long(num, 1, 65535, &v) ? 0 : v;
		}
	}
	return 0;
}

static struct re2 *part(const char *text, size_t from, size_t to, const char *end, char *err,
			size_t errlen)
{
	char *p = xasprintf("^(?:%.*s)%s", (int)(to - from), text + from, end), e[200];
	struct re2 *re = re2_compile(p, e, sizeof(e));

	if (!re)
		snprintf(err, errlen, "port '%s': %s", text, e);
	free(p);
	return re;
}

/* a port, or a pattern with exactly one capturing group at its top level: PRE(GROUP)POST,
 * no '|' outside the group, no quantifier on it: 0, or -1 with err */
int sv_port_spec(struct port_spec *ps, const char *text, char *err, size_t errlen)
{
	size_t open = 0, close = 0, caps = 0, depth = 0, cap_depth = 0;
	int top_alt = 0, bad = 0;

	memset(ps, 0, sizeof(*ps));
	ps->text = text;
	if (!parse_long(text, 1, 65535, &ps->port))
		return 0;
	ps->port = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {	/* a bracket expression: ']' first is a member */
			p += p[1] == '^' ? 2 : 1;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p += *p == '\\' && p[1] ? 2 : 1;
			if (!*p)
				break;
		} else if (*p == '(') {
			if (p[1] == '?' && p[2] != ':')
				bad = 1;	/* flags and named groups */
			if (p[1] != '?') {
				caps++;
				open = (size_t)(p - text);
				cap_depth = depth;
			}
			depth++;
		} else if (*p == ')' && depth) {
			if (--depth == cap_depth && caps == 1 && !close)
				close = (size_t)(p - text);
		} else if (*p == '|' && (!depth || (caps == 1 && !close && depth == cap_depth))) {
			top_alt = 1;
		}
	}
	if (caps != 1 || !close)
		return snprintf(err, errlen, "port '%s': expected a number or a regular expression "
				"with one group", text), -1;
	if (bad || cap_depth || top_alt || strchr("*+?{", text[close + 1] ? text[close + 1] : 'x'))
		return snprintf(err, errlen, "port '%s': the group must stand alone: PREFIX(GROUP)REST, "
				"without flags, '|' or a repeat around it", text), -1;
	if (!(ps->pre = part(text, 0, open, "$", err, errlen)) ||
	    !(ps->grp = part(text, open + 1, close, "$", err, errlen)) ||
	    !(ps->post = part(text, close + 1, strlen(text), "", err, errlen))) {
		re2_free(ps->pre);
		re2_free(ps->grp);
		return -1;
	}
	return 0;
}

/* --- talking to supervisord ------------------------------------------------------------- */

static int rpc(const char *method, const struct xmlrpc_arg *args, size_t n, double secs,
	       struct xmlrpc_response *r, char *err, size_t errlen)
{
	return xmlrpc_call(&S->rpc, method, args, n, deadline_in(secs), r, err, errlen);
}

static void fault_text(const struct xmlrpc_response *r, char *out, size_t cap)
{
	snprintf(out, cap, "<Fault %lld: '%s'>", r->fault_code, r->fault_string);
}

/* getProcessInfo, then stopProcess and startProcess(name, false) only if still RUNNING */
static void restart(const struct proc *pr)
{
	char spec[2 * SV_NAME_MAX + 2], err[XMLRPC_ERR_MAX];
	struct xmlrpc_arg a[2] = { { XR_STR, spec, 0 }, { XR_BOOL, NULL, 0 } };
	struct xmlrpc_response r;
	const struct xmlrpc_value *st;

	sv_namespec(pr->group, pr->name, spec, sizeof(spec));
	if (rpc("supervisor.getProcessInfo", a, 1, SV_RPC_SECS, &r, err, sizeof(err)) < 0) {
		slog(NULL, "Failed to get the state of process %s: %s", spec, err);
		return;
	}
	st = xmlrpc_member(r.value, "state");
	if (r.fault) {
		fault_text(&r, err, sizeof(err));
		slog(NULL, "Failed to get the state of process %s: %s", spec, err);
		xmlrpc_response_free(&r);
		return;
	}
	if (!st || st->type != XR_INT || st->i != SV_RUNNING) {
		slog(NULL, "%s not in RUNNING state, cannot restart", spec);
		xmlrpc_response_free(&r);
		return;
	}
	xmlrpc_response_free(&r);
	slog(NULL, "Trying to stop process %s", spec);
	if (rpc("supervisor.stopProcess", a, 1, SV_STOP_SECS, &r, err, sizeof(err)) < 0) {
		slog(NULL, "Failed to stop process %s: %s", spec, err);
	} else if (r.fault) {
		fault_text(&r, err, sizeof(err));
		slog(NULL, "Failed to stop process %s: %s", spec, err);
	} else {
		slog(NULL, "Stopped process %s", spec);
	}
	xmlrpc_response_free(&r);
	slog(NULL, "Starting process %s", spec);
	if (rpc("supervisor.startProcess", a, 2, SV_RPC_SECS, &r, err, sizeof(err)) < 0) {
		slog(NULL, "Failed to start process %s: %s", spec, err);
	} else if (r.fault) {
		fault_text(&r, err, sizeof(err));
		slog(NULL, "Failed to start process %s: %s", spec, err);
	}
	xmlrpc_response_free(&r);
}

/* --- the checks: 1 passed, 0 failed (restart), -1 raised (logged, next check) ------------- */

static int sleep_sec(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

/* the port of the check for pr, 0 (logged) when a pattern does not give one */
static long port_of(const struct check *c, const struct proc *pr, const char *what)
{
	long port = sv_port(&c->port, pr->name);

	if (!port)
		slog(ck_class[c->kind], "ERROR: Could not extract the %s port for process name %s "
		     "using port specification %s.", what, pr->name, c->port.text);
	return port;
}

static void pset(const struct probe_type *t, void *spec, const char *name, const char *v)
{
	char err[300];

	if (probe_set(spec, probe_field(t, name, 0), v, strlen(v), err, sizeof(err)) < 0)
		error_exit("%s", err);
}

/* retry_errors: one try, then after each failure that is not a verdict (try returns -1)
 * sleep 3 s x the tries so far, up to c->retries more */
static int retried(const struct check *c, int (*once)(const struct check *, struct slot *,
						      long, char *, size_t),
		   struct slot *sl, long port)
{
	char err[HTTP_ERR_MAX + 64];

	for (long t = 0;; t++) {
		int rc = once(c, sl, port, err, sizeof(err));
		if (rc >= 0)
			return rc;
		if (t >= c->retries) {
			slog(ck_class[c->kind], "Check failed: %s", err);
			return 0;
		}
		slog(ck_class[c->kind], "Exception occurred: %s. Retry in %ld seconds.", err,
		     (t + 1) * SV_RETRY_SECS);
		sleep_sec((double)((t + 1) * SV_RETRY_SECS));
	}
}

static const char *rec_str(const struct record *r, const char *key)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == RECORD_STR ? it->v.s.p : NULL;
}

static int http_once(const struct check *c, struct slot *sl, long port, char *err, size_t el)
{
	const struct probe_type *t = probe_find("http");
	size_t i = (size_t)(c - S->checks);
	const struct record_item *st;
	struct record r;
	const char *reason;
	int rc;

	if (!sl->spec[i]) {
		char *url = xasprintf("http://127.0.0.1:%ld%s", port, c->url), perr[300];
		void *spec = probe_spec_new(t);
		pset(t, spec, "url", url);
		pset(t, spec, "method", c->method);
		for (size_t h = 0; h < c->nheaders; h++)
			pset(t, spec, "headers", c->headers[h]);
		if (c->body && probe_set(spec, probe_field(t, "body", 0), c->body, c->body_len,
					 perr, sizeof(perr)) < 0)
			error_exit("%s", perr);
		if (c->user && c->password) {	/* only both, as upstream */
			pset(t, spec, "user", c->user);
			pset(t, spec, "password", c->password);
		}
		pset(t, spec, "user_agent", "http_check");
		pset(t, spec, "max_body", "65536");
		pset(t, spec, "proxy_url", "");
		if (probe_ready(t, spec, perr, sizeof(perr)) < 0) {
			str_copy(err, el, perr);
			free(url);
			return -1;
		}
		sl->spec[i] = spec;	/* the url stays with it */
	}
	record_init(&r);
	probe_run(t, sl->spec[i], deadline_in(c->timeout), &r);
	st = record_get(&r, "http.resp.status");
	if (!st || st->type != RECORD_INT) {
		str_copy(err, el, rec_str(&r, "error") ? rec_str(&r, "error") : "no response");
		record_free(&r);
		return -1;
	}
	reason = rec_str(&r, "http.resp.reason");
	sinfo(ck_class[c->kind], "Status contacting URL http://127.0.0.1:%ld%s for process %s: %lld %s",
	      port, c->url, sl->pr.name, (long long)st->v.i, reason ? reason : "");
	rc = st->v.i == 200;
	if (!rc)
		slog(ck_class[c->kind], "Check failed: Bad HTTP status code: %lld", (long long)st->v.i);
	record_free(&r);
	return rc;
}

static int tcp_once(const struct check *c, struct slot *sl, long port, char *err, size_t el)
{
	const struct probe_type *t = probe_find("tcp");
	size_t i = (size_t)(c - S->checks);
	struct record r;
	int ok;

	if (!sl->spec[i]) {
		char num[16];
		sl->spec[i] = probe_spec_new(t);
		pset(t, sl->spec[i], "host", "127.0.0.1");
		snprintf(num, sizeof(num), "%ld", port);
		pset(t, sl->spec[i], "port", num);
	}
	sinfo(ck_class[c->kind], "Trying to connect to TCP ip 127.0.0.1 port %ld for process %s",
	      port, sl->pr.name);
	record_init(&r);
	ok = probe_run(t, sl->spec[i], deadline_in(c->timeout), &r);
	if (ok)
		sinfo(ck_class[c->kind], "Successfully connected to TCP ip 127.0.0.1 port %ld for "
		      "process %s", port, sl->pr.name);
	else
		str_copy(err, el, rec_str(&r, "error") ? rec_str(&r, "error") : "failed");
	record_free(&r);
	return ok ? 1 : -1;
}

/* where the process's XML-RPC server is: its URL and socket (for messages too) */
static void xmlrpc_where(const struct check *c, const struct slot *sl, long port,
			 struct xmlrpc_server *srv, char *url, size_t ul, char *sock, size_t sl_)
{
	memset(srv, 0, sizeof(*srv));
	if (c->url) {
		snprintf(url, ul, "http://127.0.0.1:%ld%s", port, c->url);
	} else {
		const char *p = c->sock_path;
		if (p && !strncmp(p, "unix://", 7))
			p += 7;
		if (p)
			str_copy(sock, sl_, p);
		else
			snprintf(sock, sl_, "%s/%s.sock", c->sock_dir, sl->pr.name);
		snprintf(url, ul, "http://localhost/RPC2");
		srv->unix_socket = sock;
	}
	srv->url = url;
	if (c->user && c->password) {
		srv->user = c->user;
		srv->password = c->password;
	}
}

static int xmlrpc_once(const struct check *c, struct slot *sl, long port, char *err, size_t el)
{
	char url[URL_MAX], sock[4096], res[512];
	struct xmlrpc_server srv;
	struct xmlrpc_response r;

	xmlrpc_where(c, sl, port, &srv, url, sizeof(url), sock, sizeof(sock));
	if (xmlrpc_call(&srv, c->method, NULL, 0, deadline_in(c->timeout), &r, err, el) < 0)
		return -1;
	if (r.fault) {
		fault_text(&r, res, sizeof(res));
		slog(ck_class[c->kind], "XML RPC server returned error: %s", res);
		xmlrpc_response_free(&r);
		return 0;
	}
	xmlrpc_repr(r.value, res, sizeof(res));
	sinfo(ck_class[c->kind], "Successfully contacted XML RPC server at %s%s, method %s for "
	      "process %s. Result: %s", srv.unix_socket ? "unix://" : "",
	      srv.unix_socket ? sock : url, c->method, sl->pr.name, res);
	xmlrpc_response_free(&r);
	return 1;
}

static long page_kb(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? p / 1024 : 4;
}

/* resident KB of pid, -1 with errno when it cannot be read */
static long rss_kb(long pid)
{
	char path[64], buf[256];
	FILE *f;
	long pages = -1;

	snprintf(path, sizeof(path), "/proc/%ld/statm", pid);
	if (!(f = fopen(path, "re")))
		return -1;
	if (fgets(buf, sizeof(buf), f))
		pages = sv_statm_pages(buf);
	fclose(f);
	if (pages < 0)
		errno = EINVAL;
	return pages < 0 ? -1 : pages * page_kb();
}

static int read_stat(long pid, long *ppid, unsigned long long *ticks, unsigned long long *start)
{
	char path[64], buf[1024];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "re")))
		return -1;
	if (fgets(buf, sizeof(buf), f))
		rc = sv_parse_stat(buf, ppid, ticks, start);
	fclose(f);
	if (rc < 0)
		errno = EINVAL;
	return rc;
}

/* the process and, cumulative, every descendant (by ppid over /proc) */
static long total_rss(long pid, int cumulative)
{
	long total = rss_kb(pid), *pids = NULL, *ppids = NULL;
	size_t n = 0, cap = 0;
	DIR *d;
	struct dirent *e;

	if (total < 0 || !cumulative || !(d = opendir("/proc")))
		return total;
	while ((e = readdir(d)) && n < 1000000) {
		long p, pp;
		unsigned long long t, s;
		if (parse_long(e->d_name, 1, 0x7fffffffL, &p) || read_stat(p, &pp, &t, &s) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			pids = xrealloc(pids, cap * sizeof(*pids));
			ppids = xrealloc(ppids, cap * sizeof(*ppids));
		}
		pids[n] = p;
		ppids[n++] = pp;
	}
	closedir(d);
	/* descendants: a queue of found pids, each looked up as a parent once */
	{
		long *q = xmalloc((n + 1) * sizeof(*q));
		size_t qh = 0, qt = 0;
		q[qt++] = pid;
		while (qh < qt) {
			long parent = q[qh++];
			for (size_t i = 0; i < n; i++)
				if (ppids[i] == parent && pids[i] != pid && qt <= n) {
					long kb = rss_kb(pids[i]);
					q[qt++] = pids[i];
					ppids[i] = -1;	/* once */
					if (kb > 0)
						total += kb;
				}
		}
		free(q);
	}
	free(pids);
	free(ppids);
	return total;
}

static int memory_check(const struct check *c, struct slot *sl, char *err, size_t el)
{
	const char *cls = ck_class[c->kind];
	long kb;

	sinfo(cls, "Checking for %sRSS memory used by process %s", c->cumulative ? "cumulative " : "",
	      sl->pr.name);
	if ((kb = total_rss(sl->pr.pid, c->cumulative)) < 0)
		return snprintf(err, el, "cannot read the memory of pid %ld: %s", sl->pr.pid,
				strerror(errno)), -1;
	sinfo(cls, "Total memory consumed by process %s is %ld KB", sl->pr.name, kb);
	if ((double)kb > c->max_rss) {
		slog(cls, "Memory usage for process %s is above the configured threshold: %ld KB vs "
		     "%g KB.", sl->pr.name, kb, c->max_rss);
		return 0;
	}
	return 1;
}

static int cpu_check(const struct check *c, struct slot *sl, char *err, size_t el)
{
	const char *cls = ck_class[c->kind];
	struct cpu_state *cs = &sl->cpu;
	unsigned long long ticks, start;
	double now = mono_sec(), pct, secs;
	long ppid, hz = sysconf(_SC_CLK_TCK);

	sinfo(cls, "Checking for CPU percent used by process %s.", sl->pr.name);
	if (read_stat(sl->pr.pid, &ppid, &ticks, &start) < 0)
		return snprintf(err, el, "cannot read the CPU time of pid %ld: %s", sl->pr.pid,
				strerror(errno)), -1;
	if (hz <= 0)
		hz = 100;
	if (cs->pid == sl->pr.pid && now > cs->at) {
		secs = now - cs->at;
		pct = 100.0 * (double)(ticks - cs->ticks) / (double)hz / secs;
	} else {
		/* a first sample: the average over the process's life so far */
		char buf[64] = "";
		FILE *f = fopen("/proc/uptime", "re");
		double up = 0;
		if (f) {
			if (fgets(buf, sizeof(buf), f))
				up = strtod(buf, NULL);
			fclose(f);
		}
		secs = up - (double)start / (double)hz;
		pct = secs > 0.01 ? 100.0 * (double)ticks / (double)hz / secs : 0;
		cs->over = 0;
	}
	cs->pid = sl->pr.pid;
	cs->ticks = ticks;
	cs->at = now;
	sinfo(cls, "CPU percent used by process %s is %.1f", sl->pr.name, pct);
	switch (sv_cpu_rule(cs, pct, c->max_cpu, c->interval, now)) {
	case CPU_FAIL:
		slog(cls, "CPU usage for process %s has been above the configured threshold %g for "
		     "maximum allowed interval: %ld seconds.", sl->pr.name, c->max_cpu, c->interval);
		return 0;
	case CPU_ABOVE_FIRST:
		slog(cls, "CPU usage for process %s is above the threshold %g.", sl->pr.name, c->max_cpu);
		break;
	case CPU_ABOVE:
		slog(cls, "CPU usage for process %s is above the threshold %g for %.0f seconds.",
		     sl->pr.name, c->max_cpu, now - cs->first_over);
		break;
	case CPU_DROPPED:
		slog(cls, "CPU usage for process %s dropped below the threshold %g.", sl->pr.name,
		     c->max_cpu);
		break;
	}
	return 1;
}

static int file_check(const struct check *c, struct slot *sl)
{
	char path[4096];
	struct stat st;
	struct timespec now;
	double age;

	if (c->filepath) {
		str_copy(path, sizeof(path), c->filepath);
	} else {
		const char *root = c->root_dir ? c->root_dir : getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/%s-%s-%ld", root && *root ? root : "/tmp",
			 sl->pr.group, sl->pr.name, sl->pr.pid);
	}
	if (lstat(path, &st) < 0) {
		slog(ck_class[c->kind], "ERROR: Could not stat file: %s", path);
		return !c->fail_on_error;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	age = (double)(now.tv_sec - st.st_ctim.tv_sec) + (now.tv_nsec - st.st_ctim.tv_nsec) / 1e9;
	if (age > (double)c->file_timeout) {
		slog(ck_class[c->kind], "File %s of process %s last changed %.0f seconds ago, more "
		     "than %ld", path, sl->pr.name, age, c->file_timeout);
		return 0;
	}
	return 1;
}

static int run_check(const struct check *c, struct slot *sl, char *err, size_t el)
{
	long port = 0;

	switch (c->kind) {
	case CK_HTTP:
		if (!(port = port_of(c, &sl->pr, "HTTP")))
			return 1;	/* not a restart: upstream meant "pass" here */
		sinfo(ck_class[c->kind], "Querying URL http://127.0.0.1:%ld%s for process %s", port,
		      c->url, sl->pr.name);
		return retried(c, http_once, sl, port);
	case CK_TCP:
		if (!(port = port_of(c, &sl->pr, "TCP")))
			return 1;
		return retried(c, tcp_once, sl, port);
	case CK_XMLRPC:
		if (c->url && !(port = port_of(c, &sl->pr, "HTTP")))
			return 1;
		{
			char url[URL_MAX], sock[4096];
			struct xmlrpc_server srv;
			xmlrpc_where(c, sl, port, &srv, url, sizeof(url), sock, sizeof(sock));
			sinfo(ck_class[c->kind], "Querying XML RPC server at %s%s, method %s for process %s",
			      srv.unix_socket ? "unix://" : "", srv.unix_socket ? sock : url, c->method,
			      sl->pr.name);
		}
		return retried(c, xmlrpc_once, sl, port);
	case CK_MEMORY:
		return memory_check(c, sl, err, el);
	case CK_CPU:
		return cpu_check(c, sl, err, el);
	default:
		return file_check(c, sl);
	}
}

static void check_process(struct slot *sl)
{
	char err[512];

	for (size_t i = 0; i < S->nchecks; i++) {
		const struct check *c = &S->checks[i];
		int rc;

		sinfo(NULL, "Performing `%s` check for process name %s", ck_name[c->kind], sl->pr.name);
		err[0] = 0;
		rc = run_check(c, sl, err, sizeof(err));
		if (rc == 0) {
			slog(NULL, "`%s` check failed for process %s. Trying to restart.",
			     ck_name[c->kind], sl->pr.name);
			restart(&sl->pr);
			return;
		}
		if (rc > 0)
			sinfo(NULL, "`%s` check succeeded for process %s", ck_name[c->kind], sl->pr.name);
		else
			slog(NULL, "`%s` check raised error for process %s: %s", ck_name[c->kind],
			     sl->pr.name, err);
	}
}

/* --- the workers ------------------------------------------------------------------------ */

/* under the lock: a job of tick ended; the last one tells the main thread */
static void job_done(unsigned tick)
{
	if (tick == S->tick && --S->pending == 0) {
		unsigned char b = (unsigned char)tick;
		/* a failed write: the main thread answers at its deadline */
		ssize_t w = write(S->done_pipe[1], &b, 1);
		(void)w;
	}
}

static void push(int job)
{
	S->queue[(S->qhead + S->qlen++) % ARRAY_LEN(S->queue)] = job;
	pthread_cond_signal(&S->cv);
}

static int matches(const char *group, const char *name)
{
	if (!S->process)
		return !strcmp(group, S->group);
	return !strcmp(group, S->ngroup) && (S->nall || !strcmp(name, S->nname));
}

static const char *vstr(const struct xmlrpc_value *st, const char *name)
{
	const struct xmlrpc_value *v = xmlrpc_member(st, name);

	return v && v->type == XR_STR ? v->s : NULL;
}

static long vint(const struct xmlrpc_value *st, const char *name)
{
	const struct xmlrpc_value *v = xmlrpc_member(st, name);

	return v && v->type == XR_INT ? (long)v->i : -1;
}

/* getAllProcessInfo, the RUNNING processes of ours into the queue */
static void list_job(unsigned tick)
{
	struct xmlrpc_response r;
	char err[XMLRPC_ERR_MAX];
	size_t found = 0;

	if (rpc("supervisor.getAllProcessInfo", NULL, 0, SV_RPC_SECS, &r, err, sizeof(err)) < 0) {
		slog(NULL, "Failed to get the processes from supervisord: %s", err);
		goto out;
	}
	if (r.fault || r.value->type != XR_ARRAY) {
		if (r.fault)
			fault_text(&r, err, sizeof(err));
		slog(NULL, "Failed to get the processes from supervisord: %s", r.fault ? err : "not a list");
		xmlrpc_response_free(&r);
		goto out;
	}
	for (const struct xmlrpc_value *p = r.value->child; p; p = p->next) {
		const char *g = vstr(p, "group"), *n = vstr(p, "name");
		long pid = vint(p, "pid");
		size_t i, fr = SV_PROCS_MAX;
		struct slot *sl;

		if (!g || !n || vint(p, "state") != SV_RUNNING || !matches(g, n) || pid <= 0 ||
		    strlen(g) >= SV_NAME_MAX || strlen(n) >= SV_NAME_MAX)
			continue;
		found++;
		pthread_mutex_lock(&S->mu);
		for (i = 0; i < SV_PROCS_MAX; i++) {
			if (S->slots[i].used && !strcmp(S->slots[i].pr.group, g) &&
			    !strcmp(S->slots[i].pr.name, n))
				break;
			if (!S->slots[i].used && fr == SV_PROCS_MAX)
				fr = i;
		}
		if (i == SV_PROCS_MAX && fr < SV_PROCS_MAX) {
			i = fr;
			sl = &S->slots[i];
			sl->used = 1;
			str_copy(sl->pr.group, sizeof(sl->pr.group), g);
			str_copy(sl->pr.name, sizeof(sl->pr.name), n);
		}
		if (i == SV_PROCS_MAX) {
			pthread_mutex_unlock(&S->mu);
			slog(NULL, "More than %d processes: %s not checked", SV_PROCS_MAX, n);
			continue;
		}
		sl = &S->slots[i];
		if (sl->busy) {
			pthread_mutex_unlock(&S->mu);
			slog(NULL, "The checks of process %s from an earlier event are still running", n);
			continue;
		}
		sl->busy = 1;
		sl->tick = tick;
		sl->pr.pid = pid;
		S->pending++;
		push((int)i);
		pthread_mutex_unlock(&S->mu);
	}
	xmlrpc_response_free(&r);
	if (!found)
		sinfo(NULL, "No processes in state RUNNING found for process group %s",
		      S->process ? S->process : S->group);
out:
	pthread_mutex_lock(&S->mu);
	S->list_busy = 0;
	job_done(tick);
	pthread_mutex_unlock(&S->mu);
}

static void *worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&S->mu);
	for (;;) {
		int job;
		unsigned tick;

		while (!S->qlen)
			pthread_cond_wait(&S->cv, &S->mu);
		job = S->queue[S->qhead];
		S->qhead = (S->qhead + 1) % ARRAY_LEN(S->queue);
		S->qlen--;
		tick = job < 0 ? S->tick : S->slots[job].tick;
		pthread_mutex_unlock(&S->mu);
		if (job < 0) {
			list_job(tick);
			pthread_mutex_lock(&S->mu);
		} else {
			check_process(&S->slots[job]);
			pthread_mutex_lock(&S->mu);
			S->slots[job].busy = 0;
			job_done(tick);
		}
	}
	return NULL;
}

static void start_workers(void)
{
	pthread_attr_t a;
	sigset_t all, old;

	pthread_mutex_init(&S->mu, NULL);
	pthread_cond_init(&S->cv, NULL);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 256 * 1024);
	/* the signals are the main thread's: the workers block them all */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < SV_WORKERS; i++) {
		pthread_t t;
		if (pthread_create(&t, &a, worker, NULL))
			error_exit("cannot start a thread");
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
}

/* --- the event-listener loop ------------------------------------------------------------- */

static void on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;

	ssize_t w;

	got_signal = sig;
	w = write(S->sig_pipe[1], &b, 1);
	(void)w;
}

static int say(const char *s)
{
	return write_all(1, s, strlen(s)) < 0 ? -1 : 0;
}

struct in {
	char buf[SV_LINE_MAX + 1];
	size_t len;
	int eof;
	int skip;		/* dropping the rest of a line too long */
};

/* wait for fd 0 (or the done pipe with want) until deadline (0: none): 1 readable, 0 the
 * deadline, 2 done, -1 a signal */
static int wait_for(int in, int done, int64_t deadline)
{
	for (;;) {
		struct pollfd p[3] = { { S->sig_pipe[0], POLLIN, 0 }, { in ? 0 : -1, POLLIN, 0 },
				       { done ? S->done_pipe[0] : -1, POLLIN, 0 } };
		int rc = poll(p, 3, deadline ? ms_left(deadline) : -1);

		if (got_signal)
			return -1;
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			error_exit("poll: %s", strerror(errno));
		if (rc == 0)
			return 0;
		if (p[1].revents)
			return 1;
		if (p[2].revents)
			return 2;
	}
}

static int fill(struct in *in)
{
	ssize_t n = read(0, in->buf + in->len, SV_LINE_MAX - in->len);

	if (n <= 0) {
		in->eof = 1;
		return -1;
	}
	in->len += (size_t)n;
	return 0;
}

/* one header line into line: 1, 0 at EOF, -1 a signal, -2 a line too long (dropped up to
 * its end) */
static int read_line(struct in *in, char *line)
{
	for (;;) {
		char *nl = memchr(in->buf, '\n', in->len);
		int w;

		if (nl) {
			size_t n = (size_t)(nl - in->buf);
			int skipped = in->skip;
			memcpy(line, in->buf, n);
			line[n] = 0;
			in->len -= n + 1;
			memmove(in->buf, nl + 1, in->len);
			in->skip = 0;
			if (skipped)
				return -2;
			return 1;
		}
		if (in->len >= SV_LINE_MAX) {
			in->len = 0;
			in->skip = 1;
		}
		if (in->eof)
			return 0;
		if ((w = wait_for(1, 0, 0)) < 0)
			return -1;
		fill(in);
	}
}

/* drop len bytes of payload: 1, 0 EOF before them, -1 a signal, -2 they did not come in time;
 * *got says how many came */
static int skip_payload(struct in *in, long len, long *got)
{
	int64_t deadline = deadline_in(SV_PAYLOAD_SECS);

	*got = 0;
	while (*got < len) {
		size_t take = in->len < (size_t)(len - *got) ? in->len : (size_t)(len - *got);
		int w;

		*got += (long)take;
		in->len -= take;
		memmove(in->buf, in->buf + take, in->len);
		if (*got == len)
			break;
		if (in->eof)
			return 0;
		if ((w = wait_for(1, 0, deadline)) < 0)
			return -1;
		if (w == 0)
			return -2;
		fill(in);
	}
	return 1;
}

/* the checks of one tick: answered when they are done or when half the tick has passed
 * (at most 30 s), whichever comes first; -1 on a signal */
static int tick(int period)
{
	int64_t deadline = deadline_in(period / 2.0 < 30 ? period / 2.0 : 30);
	unsigned t;

	pthread_mutex_lock(&S->mu);
	if (S->list_busy) {
		pthread_mutex_unlock(&S->mu);
		slog(NULL, "The checks of an earlier event are still being started; skipped");
		return 0;
	}
	t = ++S->tick;
	S->pending = 1;
	S->list_busy = 1;
	push(-1);
	pthread_mutex_unlock(&S->mu);
	for (;;) {
		unsigned char b[64];
		ssize_t n;
		int w = wait_for(0, 1, deadline);

		if (w <= 0)
			return w;
		n = read(S->done_pipe[0], b, sizeof(b));
		for (ssize_t i = 0; i < n; i++)
			if (b[i] == (unsigned char)t)
				return 0;
	}
}

static void stop_msg(void)
{
	slog(NULL, "Got signal %d", (int)got_signal);
	slog(NULL, "Health check for %s process group has been told to stop.",
	     S->process ? S->process : S->group);
}

static int listen_loop(void)
{
	struct in *in = xzalloc(sizeof(*in));
	char line[SV_LINE_MAX + 1], event[64], err[64];
	struct sigaction sa;
	static const int sigs[] = { SIGINT, SIGUSR1, SIGHUP, SIGTERM, SIGQUIT };

	if (pipe(S->sig_pipe) < 0 || pipe(S->done_pipe) < 0)
		error_exit("pipe: %s", strerror(errno));
	sinfo(NULL, "Installing signal handlers.");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	start_workers();
	for (;;) {
		long len = 0, got;
		int rc, period;

		if (say("READY\n") < 0)
			break;
		rc = read_line(in, line);
		if (rc == -1) {
			stop_msg();
			break;
		}
		if (rc == 0) {
			slog(NULL, "supervisord closed the event stream");
			break;
		}
		if (rc == -2 || sv_parse_header(line, event, sizeof(event), &len, err, sizeof(err)) < 0) {
			slog(NULL, "Malformed event header (%s): %.200s", rc == -2 ? "too long" : err,
			     rc == -2 ? "" : line);
			if (say("RESULT 2\nOK") < 0)
				break;
			continue;
		}
		rc = skip_payload(in, len, &got);
		if (rc == -1) {
			stop_msg();
			break;
		}
		if (rc <= 0) {
			slog(NULL, "Short payload of a %s event: %ld of %ld bytes%s", event, got, len,
			     rc == 0 ? ", then the end of the stream" : " in time");
			if (rc == 0)
				break;
			if (say("RESULT 2\nOK") < 0)
				break;
			continue;
		}
		sinfo(NULL, "Received %s event from supervisor", event);
		period = sv_tick_period(event);
		if (period && tick(period) < 0) {
			say("RESULT 2\nOK");
			stop_msg();
			break;
		}
		if (!period)
			slog(NULL, "Received unsupported event type: %s", event);
		if (say("RESULT 2\nOK") < 0)
			break;
	}
	slog(NULL, "Done.");
	/* only the exit follows: what the loop opened is closed (a late worker's or signal's
	 * write then fails, unread) */
	free(in);
	for (int i = 0; i < 2; i++) {
		close(S->sig_pipe[i]);
		close(S->done_pipe[i]);
	}
	return 0;
}

/* --- configuration ----------------------------------------------------------------------- */

static void need(int ok, const char *what)
{
	if (!ok)
		error_exit("the required option %s was not given (see --help)", what);
}

/* -H: a JSON object of header names and values */
static void headers_json(struct check *c, const char *text)
{
	struct json_doc *d = xzalloc(sizeof(*d));
	char err[200];

	if (json_parse(d, text, strlen(text), err, sizeof(err)) < 0)
		error_exit("headers: bad JSON: %s", err);
	if (d->root->type != JSON_OBJ)
		error_exit("headers: expected a JSON object, got %s", json_type_name(d->root->type));
	c->headers = xzalloc(sizeof(*c->headers) * (d->root->count + 1));
	for (const struct json *m = d->root->child; m; m = m->next) {
		const char *v;
		if (m->type == JSON_STR)
			v = m->s;
		else if (m->type == JSON_NUM)
			v = xstrndup(m->s, m->len);
		else
			error_exit("headers: the value of %s is %s, not a string", m->key,
				   json_type_name(m->type));
		c->headers[c->nheaders] = xasprintf("%s: %s", m->key, v);
		if (http_field_check(c->headers[c->nheaders], err, sizeof(err)) < 0)
			error_exit("headers: %s", err);
		c->nheaders++;
	}
	/* the document stays: its strings are used */
}

static void set_json_body(struct check *c, const char *text, size_t len)
{
	struct json_doc d;
	char err[200];

	if (json_parse(&d, text, len, err, sizeof(err)) < 0)
		error_exit("json: bad JSON: %s", err);
	json_free(&d);
	c->body = text;
	c->body_len = len;
	c->json_body = 1;
}

static void check_defaults(struct check *c, int kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->timeout = 15;
	c->retries = 2;
	c->method = kind == CK_XMLRPC ? "status" : "GET";
	c->interval = 3600;	/* the cpu module's default (the command line requires -i) */
}

static void set_port(struct check *c, const char *v)
{
	char err[300];

	if (sv_port_spec(&c->port, v, err, sizeof(err)) < 0)
		error_exit("%s", err);
	c->has_port = 1;
}

static double num_arg(const char *opt, const char *v, double min, double max)
{
	double d;

	if (parse_double(v, &d) || d < min || d > max)
		error_exit("%s: expected a number from %g to %g, got '%s'", opt, min, max, v);
	return d;
}

static long int_arg(const char *opt, const char *v, long min, long max)
{
	long l;

	if (parse_long(v, min, max, &l))
		error_exit("%s: expected an integer from %ld to %ld, got '%s'", opt, min, max, v);
	return l;
}

/* a path that makes a URL with http://127.0.0.1:PORT in front */
static void url_check(const char *path, const char *where)
{
	char *u = xasprintf("http://127.0.0.1:1%s", path), err[160];
	struct url *pu = xmalloc(sizeof(*pu));

	int bad = path[0] != '/' || url_parse(pu, u, err, sizeof(err)) < 0 ||
		  strcmp(pu->host, "127.0.0.1");

	free(pu);
	free(u);
	if (bad)
		error_exit("%surl: expected a path from '/', got '%s'", where, path);
}

/* what every kind needs, checked once all is set */
static void check_valid(struct check *c, const char *where)
{
	switch (c->kind) {
	case CK_HTTP:
		if (!c->url || !c->has_port)
			error_exit("%sthe http check needs %s", where, c->url ? "a port" : "a url");
		url_check(c->url, where);
		if (!http_method_ok(c->method))
			error_exit("%sinvalid method '%s'", where, c->method);
		if (c->json_body) {
			int has_ct = 0;
			for (size_t i = 0; i < c->nheaders; i++)
				has_ct |= !strncasecmp(c->headers[i], "Content-Type:", 13);
			if (!has_ct) {
				c->headers = xrealloc(c->headers, sizeof(*c->headers) * (c->nheaders + 1));
				c->headers[c->nheaders++] = "Content-Type: application/json";
			}
		}
		break;
	case CK_TCP:
		if (!c->has_port)
			error_exit("%sthe tcp check needs a port", where);
		break;
	case CK_XMLRPC:
		if (!!c->url + !!c->sock_path + !!c->sock_dir != 1)
			error_exit("%sthe xmlrpc check needs one of url (with a port), a socket path "
				   "or a socket directory", where);
		if (c->url && !c->has_port)
			error_exit("%sthe xmlrpc check's url needs a port", where);
		if (c->url)
			url_check(c->url, where);
		break;
	case CK_MEMORY:
		if (c->max_rss <= 0)
			error_exit("%sthe memory check needs max_rss", where);
		break;
	case CK_CPU:
		if (c->max_cpu <= 0 || c->interval < 0)
			error_exit("%sthe cpu check needs max_cpu and interval", where);
		break;
	case CK_FILE:
		if (c->file_timeout <= 0)
			error_exit("%sthe file check needs a timeout", where);
		if (c->filepath && c->root_dir)
			error_exit("%sfilepath and root_dir do not go together", where);
		break;
	}
}

static const char *jstr(const struct json *v, const char *k)
{
	if (v->type != JSON_STR)
		error_exit("check config: %s must be a string, not %s", k, json_type_name(v->type));
	if (strlen(v->s) != v->len)
		error_exit("check config: %s holds a NUL", k);
	return v->s;
}

static double jnum(const struct json *v, const char *k, double min, double max)
{
	if (v->type != JSON_NUM || v->num < min || v->num > max)
		error_exit("check config: %s must be a number from %g to %g", k, min, max);
	return v->num;
}

static long jint(const struct json *v, const char *k, long min, long max)
{
	long l;

	if (json_long(v, min, max, &l) < 0)
		error_exit("check config: %s must be an integer from %ld to %ld", k, min, max);
	return l;
}

static int jbool(const struct json *v, const char *k)
{
	if (v->type != JSON_BOOL)
		error_exit("check config: %s must be true or false", k);
	return v->b;
}

/* one entry of the complex check's JSON */
static void complex_entry(struct check *c, const struct json *e)
{
	static const char *const keys[][11] = {
		[CK_HTTP] = { "url", "port", "method", "json", "body", "headers", "username",
			      "password", "timeout", "num_retries", NULL },
		[CK_TCP] = { "port", "timeout", "num_retries", NULL },
		[CK_XMLRPC] = { "url", "port", "sock_path", "sock_dir", "method", "username",
				"password", "timeout", "num_retries", NULL },
		[CK_MEMORY] = { "max_rss", "cumulative", NULL },
		[CK_CPU] = { "max_cpu", "interval", NULL },
		[CK_FILE] = { "timeout", "fail_on_error", "filepath", "file", "root_dir", NULL },
	};
	char where[64];

	if (e->type != JSON_OBJ)
		error_exit("check config: %s must be an object", e->key);
	snprintf(where, sizeof(where), "check config: %s: ", e->key);
	for (const struct json *m = e->child; m; m = m->next) {
		const char *k = m->key;
		size_t i;

		for (i = 0; keys[c->kind][i] && strcmp(keys[c->kind][i], k); i++)
			;
		if (!keys[c->kind][i])
			error_exit("check config: the %s check has no parameter %s", e->key, k);
		if (!strcmp(k, "port")) {
			if (m->type == JSON_NUM)
				set_port(c, xstrndup(m->s, m->len));
			else
				set_port(c, jstr(m, k));
		} else if (!strcmp(k, "url")) {
			c->url = jstr(m, k);
		} else if (!strcmp(k, "method")) {
			c->method = jstr(m, k);
		} else if (!strcmp(k, "json")) {
			;	/* complex_config() took its text */
		} else if (!strcmp(k, "body")) {
			c->body = jstr(m, k);
			c->body_len = strlen(c->body);
		} else if (!strcmp(k, "headers")) {
			if (m->type != JSON_OBJ)
				error_exit("check config: headers must be an object");
		} else if (!strcmp(k, "username")) {
			c->user = jstr(m, k);
		} else if (!strcmp(k, "password")) {
			c->password = jstr(m, k);
		} else if (!strcmp(k, "timeout")) {
			if (c->kind == CK_FILE)
				c->file_timeout = jint(m, k, 1, 100000000);
			else
				c->timeout = jnum(m, k, 0.001, 86400);
		} else if (!strcmp(k, "num_retries")) {
			c->retries = jint(m, k, 0, 100);
		} else if (!strcmp(k, "sock_path")) {
			c->sock_path = jstr(m, k);
		} else if (!strcmp(k, "sock_dir")) {
			c->sock_dir = jstr(m, k);
		} else if (!strcmp(k, "max_rss")) {
			c->max_rss = jnum(m, k, 1, 1e15);
		} else if (!strcmp(k, "cumulative")) {
			c->cumulative = jbool(m, k);
		} else if (!strcmp(k, "max_cpu")) {
			c->max_cpu = jnum(m, k, 0.001, 1e9);
		} else if (!strcmp(k, "interval")) {
			c->interval = jint(m, k, 0, 100000000);
		} else if (!strcmp(k, "fail_on_error")) {
			c->fail_on_error = jbool(m, k);
		} else if (!strcmp(k, "filepath") || !strcmp(k, "file")) {
			c->filepath = m->type == JSON_NULL ? NULL : jstr(m, k);
		} else if (!strcmp(k, "root_dir")) {
			c->root_dir = jstr(m, k);
		}
	}
	check_valid(c, where);
}

static void complex_config(const char *text)
{
	struct json_doc *d = xzalloc(sizeof(*d));
	char err[200];

	if (json_parse(d, text, strlen(text), err, sizeof(err)) < 0)
		error_exit("check config: bad JSON: %s", err);
	if (d->root->type != JSON_OBJ || !d->root->count)
		error_exit("check config: expected an object of checks");
	for (const struct json *e = d->root->child; e; e = e->next) {
		struct check *c;
		int kind;

		for (kind = 0; kind < CK_COMPLEX && strcmp(ck_name[kind], e->key); kind++)
			;
		if (kind == CK_COMPLEX)
			error_exit("check config: unknown check '%s' (http, tcp, xmlrpc, memory, cpu "
				   "or file)", e->key);
		for (size_t i = 0; i < S->nchecks; i++)
			if (S->checks[i].kind == kind)
				error_exit("check config: the %s check is given twice", e->key);
		c = &S->checks[S->nchecks++];
		check_defaults(c, kind);
		/* the raw text of json and headers objects: sent or read as they are */
		for (const struct json *m = e->type == JSON_OBJ ? e->child : NULL; m; m = m->next) {
			if (!strcmp(m->key, "json") && kind == CK_HTTP)
				set_json_body(c, text + m->start, m->end - m->start);
			if (!strcmp(m->key, "headers") && kind == CK_HTTP && m->type == JSON_OBJ)
				headers_json(c, xstrndup(text + m->start, m->end - m->start));
		}
		complex_entry(c, e);
	}
}

/* the checks as the start-up line shows them: every setting but secrets */
static void summary(char *out, size_t cap)
{
	struct sbuf b;

	sbuf_init(&b, out, cap);
	sbuf_add(&b, "[", 1);
	for (size_t i = 0; i < S->nchecks; i++) {
		const struct check *c = &S->checks[i];
		sbuf_printf(&b, "%s%s(", i ? ", " : "", ck_name[c->kind]);
		switch (c->kind) {
		case CK_HTTP:
			sbuf_printf(&b, "url=%s, port=%s, method=%s, timeout=%g, num_retries=%ld%s%s",
				    c->url, c->port.text, c->method, c->timeout, c->retries,
				    c->body ? c->json_body ? ", json" : ", body" : "",
				    c->user && c->password ? ", username=***" : "");
			break;
		case CK_TCP:
			sbuf_printf(&b, "port=%s, timeout=%g, num_retries=%ld", c->port.text, c->timeout,
				    c->retries);
			break;
		case CK_XMLRPC:
			if (c->url)
				sbuf_printf(&b, "url=%s, port=%s, ", c->url, c->port.text);
			else if (c->sock_path)
				sbuf_printf(&b, "sock_path=%s, ", c->sock_path);
			else
				sbuf_printf(&b, "sock_dir=%s, ", c->sock_dir);
			sbuf_printf(&b, "method=%s, timeout=%g, num_retries=%ld", c->method, c->timeout,
				    c->retries);
			break;
		case CK_MEMORY:
			sbuf_printf(&b, "max_rss=%g, cumulative=%s", c->max_rss,
				    c->cumulative ? "True" : "False");
			break;
		case CK_CPU:
			sbuf_printf(&b, "max_cpu=%g, interval=%ld", c->max_cpu, c->interval);
			break;
		case CK_FILE:
			sbuf_printf(&b, "timeout=%ld, fail_on_error=%s, filepath=%s, root_dir=%s",
				    c->file_timeout, c->fail_on_error ? "True" : "False",
				    c->filepath ? c->filepath : "None", c->root_dir ? c->root_dir : "None");
			break;
		}
		sbuf_add(&b, ")", 1);
	}
	sbuf_add(&b, "]", 1);
}

/* SUPERVISOR_SERVER_URL (unix:///PATH or http://HOST:PORT) and the credentials */
static void rpc_setup(void)
{
	const char *u = getenv("SUPERVISOR_SERVER_URL"), *user = getenv("SUPERVISOR_USERNAME");
	char err[160], auth[URL_HOST_MAX + 16];
	struct url *pu;

	if (!u || !*u)
		error_exit("SUPERVISOR_SERVER_URL is not set: run me as an [eventlistener:...] of "
			   "supervisord");
	if (!strncmp(u, "unix://", 7)) {
		if (!u[7])
			error_exit("SUPERVISOR_SERVER_URL: no socket path in '%s'", u);
		S->rpc.unix_socket = u + 7;
		snprintf(S->rpc_url, sizeof(S->rpc_url), "http://localhost/RPC2");
	} else {
		pu = xmalloc(sizeof(*pu));
		if (url_parse(pu, u, err, sizeof(err)) < 0 || strcmp(pu->scheme, "http") || !pu->host[0])
			error_exit("SUPERVISOR_SERVER_URL: expected unix:///PATH or http://HOST:PORT, "
				   "got '%s'", u);
		url_authority(pu, 1, auth, sizeof(auth));
		snprintf(S->rpc_url, sizeof(S->rpc_url), "http://%s/RPC2", auth);
		free(pu);
	}
	S->rpc.url = S->rpc_url;
	if (user && *user) {
		S->rpc.user = user;
		S->rpc.password = getenv("SUPERVISOR_PASSWORD") ? getenv("SUPERVISOR_PASSWORD") : "";
	}
}

#define SV_COMMON \
	{ "check-name", required_argument, 0, 'n' }, \
	{ "process-group", required_argument, 0, 'g' }, \
	{ "process-name", required_argument, 0, 'N' }

static const struct option lo_http[] = {
	SV_COMMON, { "url", required_argument, 0, 'u' }, { "method", required_argument, 0, 'm' },
	{ "json", required_argument, 0, 'j' }, { "body", required_argument, 0, 'b' },
	{ "headers", required_argument, 0, 'H' }, { "username", required_argument, 0, 'U' },
	{ "password", required_argument, 0, 'P' }, { "port", required_argument, 0, 'p' },
	{ "timeout", required_argument, 0, 't' }, { "num-retries", required_argument, 0, 'r' },
	CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_tcp[] = {
	SV_COMMON, { "port", required_argument, 0, 'p' }, { "timeout", required_argument, 0, 't' },
	{ "num-retries", required_argument, 0, 'r' }, CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_xmlrpc[] = {
	SV_COMMON, { "url", required_argument, 0, 'u' }, { "socket-path", required_argument, 0, 's' },
	{ "socket-dir", required_argument, 0, 'S' }, { "method", required_argument, 0, 'm' },
	{ "port", required_argument, 0, 'p' }, { "num-retries", required_argument, 0, 'r' },
	{ "username", required_argument, 0, 'U' }, { "password", required_argument, 0, 'P' },
	{ "timeout", required_argument, 0, 't' }, CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_memory[] = {
	SV_COMMON, { "msx-rss", required_argument, 0, 'm' }, { "max-rss", required_argument, 0, 'm' },
	{ "cumulative", no_argument, 0, 'c' }, CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_cpu[] = {
	SV_COMMON, { "max-cpu-percent", required_argument, 0, 'p' },
	{ "interval", required_argument, 0, 'i' }, CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_file[] = {
	SV_COMMON, { "timeout", required_argument, 0, 't' }, { "fail-on-error", no_argument, 0, 'x' },
	{ "filepath", required_argument, 0, 'f' }, { "root-dir", required_argument, 0, 'd' },
	CLI_LONGOPTS, { 0, 0, 0, 0 },
};
static const struct option lo_complex[] = {
	SV_COMMON, { "check-config", required_argument, 0, 'c' }, CLI_LONGOPTS, { 0, 0, 0, 0 },
};

static const struct {
	const char *applet, *opts;
	const struct option *lo;
} kinds[] = {
	[CK_HTTP] = { "supervisor_http_check", ":n:g:N:u:m:j:b:H:U:P:p:t:r:", lo_http },
	[CK_TCP] = { "supervisor_tcp_check", ":n:g:N:p:t:r:", lo_tcp },
	[CK_XMLRPC] = { "supervisor_xmlrpc_check", ":n:g:N:u:s:S:m:p:r:U:P:t:", lo_xmlrpc },
	[CK_MEMORY] = { "supervisor_memory_check", ":n:g:N:m:c", lo_memory },
	[CK_CPU] = { "supervisor_cpu_check", ":n:g:N:p:i:", lo_cpu },
	[CK_FILE] = { "supervisor_file_check", ":n:g:N:t:xf:d:", lo_file },
	[CK_COMPLEX] = { "supervisor_complex_check", ":n:g:N:c:", lo_complex },
};

static void parse_args(int kind, int argc, char **argv)
{
	struct check *c = &S->checks[0];
	const char *headers = NULL, *json = NULL, *config = NULL;
	int opt, have_interval = 0, family;

	if (kind != CK_COMPLEX) {
		check_defaults(c, kind);
		S->nchecks = 1;
	}
	cli_args(&S->cli, kinds[kind].applet, kinds[kind].opts, kinds[kind].lo, &argc, &argv);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, kinds[kind].opts, kinds[kind].lo, NULL)) != -1) {
		switch (opt) {
		case 'n': S->name = optarg; continue;
		case 'g': S->group = optarg; continue;
		case 'N': S->process = optarg; continue;
		}
		if (cli_opt(&S->cli, opt, optarg))
			continue;
		switch (kind * 128 + opt) {
		case CK_HTTP * 128 + 'u': case CK_XMLRPC * 128 + 'u': c->url = optarg; break;
		case CK_HTTP * 128 + 'm': case CK_XMLRPC * 128 + 'm': c->method = optarg; break;
		case CK_HTTP * 128 + 'j': json = optarg; break;
		case CK_HTTP * 128 + 'b': c->body = optarg; c->body_len = strlen(optarg); break;
		case CK_HTTP * 128 + 'H': headers = optarg; break;
		case CK_HTTP * 128 + 'U': case CK_XMLRPC * 128 + 'U': c->user = optarg; break;
		case CK_HTTP * 128 + 'P': case CK_XMLRPC * 128 + 'P': c->password = optarg; break;
		case CK_HTTP * 128 + 'p': case CK_TCP * 128 + 'p': case CK_XMLRPC * 128 + 'p':
			set_port(c, optarg);
			break;
		case CK_HTTP * 128 + 't': case CK_TCP * 128 + 't': case CK_XMLRPC * 128 + 't':
			c->timeout = num_arg("-t", optarg, 0.001, 86400);
			break;
		case CK_HTTP * 128 + 'r': case CK_TCP * 128 + 'r': case CK_XMLRPC * 128 + 'r':
			c->retries = int_arg("-r", optarg, 0, 100);
			break;
		case CK_XMLRPC * 128 + 's': c->sock_path = optarg; break;
		case CK_XMLRPC * 128 + 'S': c->sock_dir = optarg; break;
		case CK_MEMORY * 128 + 'm': c->max_rss = num_arg("-m", optarg, 1, 1e15); break;
		case CK_MEMORY * 128 + 'c': c->cumulative = 1; break;
		case CK_CPU * 128 + 'p': c->max_cpu = num_arg("-p", optarg, 0.001, 1e9); break;
		case CK_CPU * 128 + 'i':
			c->interval = int_arg("-i", optarg, 0, 100000000);
			have_interval = 1;
			break;
		case CK_FILE * 128 + 't': c->file_timeout = int_arg("-t", optarg, 1, 100000000); break;
		case CK_FILE * 128 + 'x': c->fail_on_error = 1; break;
		case CK_FILE * 128 + 'f': c->filepath = optarg; break;
		case CK_FILE * 128 + 'd': c->root_dir = optarg; break;
		case CK_COMPLEX * 128 + 'c': config = optarg; break;
		default: opt_common(opt, argv, &family);
		}
	}
	if (optind < argc)
		error_exit("unexpected argument '%s' (see --help)", argv[optind]);
	if (S->cli.format != OUTPUT_TEXT)
		error_exit("--format: a listener's stdout is the event-listener protocol: text only");
	need(S->name != NULL, "-n, --check-name");
	if (!S->group && !S->process)
		error_exit("one of -g, --process-group and -N, --process-name is required");
	if (S->process && sv_split_namespec(S->process, S->ngroup, S->nname, SV_NAME_MAX, &S->nall) < 0)
		error_exit("-N: too long");
	if (kind == CK_COMPLEX) {
		need(config != NULL, "-c, --check-config");
		complex_config(config);
		return;
	}
	need(kind != CK_MEMORY || c->max_rss > 0, "-m, --msx-rss");
	need(kind != CK_CPU || c->max_cpu > 0, "-p, --max-cpu-percent");
	need(kind != CK_CPU || have_interval, "-i, --interval");
	need(kind != CK_FILE || c->file_timeout > 0, "-t, --timeout");
	need(kind != CK_HTTP || c->url, "-u, --url");
	need(kind == CK_XMLRPC || (kind != CK_HTTP && kind != CK_TCP) || c->has_port, "-p, --port");
	if (headers)
		headers_json(c, headers);
	if (json)
		set_json_body(c, json, strlen(json));	/* wins over -b */
	check_valid(c, "");
}

static int sv_main(int kind, int argc, char **argv)
{
	char sum[1024];

	S = xzalloc(sizeof(*S));
	parse_args(kind, argc, argv);
	rpc_setup();
	summary(sum, sizeof(sum));
	slog(NULL, "Starting the health check for %s process Checks config: %s",
	     S->process ? S->process : S->group, sum);
	return listen_loop();
}

int supervisor_http_check_main(int argc, char **argv) { return sv_main(CK_HTTP, argc, argv); }
int supervisor_tcp_check_main(int argc, char **argv) { return sv_main(CK_TCP, argc, argv); }
int supervisor_xmlrpc_check_main(int argc, char **argv) { return sv_main(CK_XMLRPC, argc, argv); }
int supervisor_memory_check_main(int argc, char **argv) { return sv_main(CK_MEMORY, argc, argv); }
int supervisor_cpu_check_main(int argc, char **argv) { return sv_main(CK_CPU, argc, argv); }
int supervisor_file_check_main(int argc, char **argv) { return sv_main(CK_FILE, argc, argv); }
int supervisor_complex_check_main(int argc, char **argv) { return sv_main(CK_COMPLEX, argc, argv); }
