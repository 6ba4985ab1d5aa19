/* probe_lines.c - unit tests: the lines probe's fields, presets and check() errors, and the
 * record it fills against a unix socket served by a child process */
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../net/probe.h"
#include "t.h"

static const struct probe_type *lines;

static void *spec_of(const char *const *kv)
{
	return t_spec(lines, kv);
}

static const char *ready(const char *const *kv)
{
	return t_ready(lines, kv);
}

static const char *target(const char *const *kv)
{
	static char buf[300];
	void *s = spec_of(kv);
	char err[1100];

	if (!s || probe_ready(lines, s, err, sizeof(err)) < 0)
		return "(not ready)";
	lines->target(s, buf, sizeof(buf));
	return buf;
}

static const char *rstr(const struct record *r, const char *key)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == RECORD_STR ? it->v.s.p : NULL;
}

static int rbool(const struct record *r, const char *key)
{
	const struct record_item *it = record_get(r, key);

	return it && it->type == RECORD_BOOL ? it->v.b : -1;
}

/* a child that answers each of n connections with greeting and then reads until EOF */
static pid_t serve(const char *path, const char *greeting, int n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 8) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char buf[256];
		for (int i = 0; i < n; i++) {
			int c = accept(l, NULL, NULL);
			if (c < 0)
				_exit(1);
			write_all(c, greeting, strlen(greeting));
			while (read(c, buf, sizeof(buf)) > 0)
				;
			close(c);
		}
		_exit(0);
	}
	close(l);
	return pid;
}

/* run a spec of kv against the socket; the record in r, the probe's verdict returned */
static int run(const char *const *kv, struct record *r)
{
	void *s = spec_of(kv);
	char err[1100];

	if (!s || probe_ready(lines, s, err, sizeof(err)) < 0)
		return -1;
	return probe_run(lines, s, deadline_in(5), r);
}

int main(void)
{
	char path[64], sock[80], long_path[200];
	struct record r;
	pid_t pid;

	lines = probe_find("lines");
	CHECK("lines probe is built in", lines != NULL);
	if (!lines)
		return t_done();
	{
		static const char *const names[] = { "host", "port", "unix_socket", "use_tls",
						      "disable_tls_verification", "ca_file", "send",
						      "expect", "quit", "maxbytes", "delay", "service",
						      "escape", "connect_only" };
		int all = 1, params = 0;
		for (size_t i = 0; i < ARRAY_LEN(names); i++)
			all &= probe_field(lines, names[i], 0) != NULL;
		for (size_t i = 0; i < lines->nfields; i++)
			params += lines->fields[i].param != NULL;
		CHECK("every YAML field name", all && lines->nfields == ARRAY_LEN(names));
		CHECK("no chksrv -p names", params == 0);
	}

	/* presets fill what was left empty, the port included */
	CHECK_STR("ftp preset port", target((const char *const[]){ "service=ftp", "host=h", NULL }),
		  "h:21");
	CHECK_STR("preset name in any case", target((const char *const[]){ "service=GeArMaN",
									  "host=h", NULL }), "h:7003");
	CHECK_STR("-p wins over the preset", target((const char *const[]){ "service=smtp", "host=h",
									  "port=2525", NULL }), "h:2525");
	CHECK_STR("an IPv6 literal in brackets", target((const char *const[]){ "host=[::1]",
									      "port=5", NULL }), "[::1]:5");
	CHECK_STR("a unix socket is its path", target((const char *const[]){ "unix_socket=/run/a.sock",
									    NULL }), "/run/a.sock");
	CHECK("port 0 is refused", spec_of((const char *const[]){ "port=0", NULL }) == NULL);

	/* check() errors start with the field they are about */
	CHECK_STR("unknown service", ready((const char *const[]){ "service=foo", NULL }),
		  "service: expected FTP, POP, SPOP, IMAP, SIMAP, SMTP, SSMTP or GEARMAN, got 'foo'");
	CHECK("bad regexp", !strncmp(ready((const char *const[]){ "expect=(x", NULL }),
				     "expect: error parsing regexp: ", 30));
	CHECK_STR("unsupported RE2 escape", ready((const char *const[]){ "expect=\\pL", NULL }),
		  "expect: error parsing regexp: invalid escape sequence: `\\p`");
	memset(long_path, 'a', sizeof(long_path) - 1);
	memcpy(long_path, "unix_socket=/", 13);
	long_path[sizeof(long_path) - 1] = 0;
	CHECK_STR("unix socket path too long", ready((const char *const[]){ long_path, NULL }),
		  "unix_socket: unix socket path too long");
	if (tls_available) {
		CHECK("TLS over a unix socket needs a host to verify",
		      !strncmp(ready((const char *const[]){ "unix_socket=/x", "use_tls=true", NULL }),
			       "host: ", 6));
		CHECK_STR("... unless verification is off",
			  ready((const char *const[]){ "unix_socket=/x", "use_tls=true",
						       "disable_tls_verification=true", NULL }), "");
		CHECK("a CA file that cannot be read",
		      strstr(ready((const char *const[]){ "host=h", "use_tls=true",
							  "ca_file=/nonexistent", NULL }),
			     "cannot read CA file") != NULL);
		CHECK_STR("connect_only needs no CA file",
			  ready((const char *const[]){ "host=h", "use_tls=true", "ca_file=/nonexistent",
						       "connect_only=true", NULL }), "");
	} else {
		CHECK_STR("no TLS in this build", ready((const char *const[]){ "host=h", "service=spop",
									      NULL }),
			  "use_tls: TLS is not supported by this build");
	}

	/* the record, against a unix socket */
	signal(SIGPIPE, SIG_IGN);
	snprintf(path, sizeof(path), "/tmp/probe_lines.%ld.sock", (long)getpid());
	snprintf(sock, sizeof(sock), "unix_socket=%s", path);
	record_init(&r);
	pid = serve(path, "220 ready\r\n", 3);
	CHECK("test server", pid > 0);

	CHECK("match", run((const char *const[]){ sock, "expect=^220", "quit=QUIT", NULL }, &r) == 1);
	CHECK("match: tcp.success", rbool(&r, "tcp.success") == 1);
	CHECK_STR("match: lines.reply", rstr(&r, "lines.reply"), "220 ready\r\n");
	CHECK("match: lines.matched", rbool(&r, "lines.matched") == 1);
	CHECK("match: no lines.stage", record_get(&r, "lines.stage") == NULL);
	CHECK("match: lines.time.perf", record_get(&r, "lines.time.perf") != NULL);
	CHECK("match: no error", record_get(&r, "error")->type == RECORD_NONE);

	CHECK("mismatch", run((const char *const[]){ sock, "expect=^500", NULL }, &r) == 0);
	CHECK("mismatch: lines.matched false", rbool(&r, "lines.matched") == 0);
	CHECK("mismatch: no lines.stage", record_get(&r, "lines.stage") == NULL);
	CHECK_STR("mismatch: the reply", rstr(&r, "lines.reply"), "220 ready\r\n");
	CHECK_STR("mismatch: error", rstr(&r, "error"), "unexpected reply");

	CHECK("connect only", run((const char *const[]){ sock, "expect=^500", "connect_only=true",
							 NULL }, &r) == 1);
	CHECK("connect only: nothing read", record_get(&r, "lines.reply") == NULL);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	unlink(path);

	CHECK("no socket", run((const char *const[]){ sock, "expect=^220", NULL }, &r) == 0);
	CHECK_STR("no socket: lines.stage dial", rstr(&r, "lines.stage"), "dial");
	CHECK("no socket: tcp.success false", rbool(&r, "tcp.success") == 0);
	CHECK("no socket: an error", rstr(&r, "error") != NULL);
	record_free(&r);
	return t_done();
}
