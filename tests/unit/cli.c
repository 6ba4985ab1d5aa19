/* cli.c - unit tests: the shared options, exit status schemes, --quiet and PROBEBOX_*
 * variables (usage errors run in a child, whose exit status and message are checked) */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/cli.h"
#include "../../lib/util.h"
#include "t.h"

/* check-tcp's table, cut down, with the shared options and one of each kind */
enum { O_SERVICE = 256, O_NOCHECK, O_COLOR };
static const struct option lo[] = {
	{ "service", required_argument, 0, O_SERVICE },
	{ "hostname", required_argument, 0, 'H' },
	{ "port", required_argument, 0, 'p' },
	{ "ssl", no_argument, 0, 'S' },
	{ "unix-sock", required_argument, 0, 'U' },
	{ "unix_sock", required_argument, 0, 'U' },	/* the same variable: read once */
	{ "no-check-certificate", no_argument, 0, O_NOCHECK },
	{ "color", optional_argument, 0, O_COLOR },
	{ "help", no_argument, 0, 'h' },
	{ "version", no_argument, 0, 'V' },
	{ "host", required_argument, 0, 'H' },
	CLI_LONGOPTS,
	{ 0, 0, 0, 0 },
};
static const char optstring[] = ":H:p:SU:h";

static const char *const vars[] = {
	"PROBEBOX_CHECK_TCP_SERVICE", "PROBEBOX_CHECK_TCP_HOSTNAME", "PROBEBOX_CHECK_TCP_PORT",
	"PROBEBOX_CHECK_TCP_SSL", "PROBEBOX_CHECK_TCP_UNIX_SOCK",
	"PROBEBOX_CHECK_TCP_NO_CHECK_CERTIFICATE", "PROBEBOX_CHECK_TCP_COLOR",
	"PROBEBOX_CHECK_TCP_HELP", "PROBEBOX_CHECK_TCP_VERSION", "PROBEBOX_CHECK_TCP_HOST",
	"PROBEBOX_CHECK_TCP_FORMAT", "PROBEBOX_CHECK_TCP_EXIT_CODES", "PROBEBOX_CHECK_TCP_QUIET",
};

/* only these variables: kv is name, value, name, value, ..., NULL */
static void set_env(const char *const *kv)
{
	for (size_t i = 0; i < ARRAY_LEN(vars); i++)
		unsetenv(vars[i]);
	for (; kv && kv[0]; kv += 2)
		setenv(kv[0], kv[1], 1);
}

/* the argv as one string, elements in [] */
static const char *joined(int argc, char **argv)
{
	static char buf[8192];
	struct sbuf b;

	sbuf_init(&b, buf, sizeof(buf));
	for (int i = 0; i < argc; i++)
		sbuf_printf(&b, "%s[%s]", i ? " " : "", argv[i]);
	if (argv[argc])
		sbuf_printf(&b, " (not NULL-terminated)");
	return buf;
}

/* run fn in a child with stderr captured: its exit status and what it wrote */
struct child {
	int status;
	char msg[512];
};

static struct child in_child(void (*fn)(void *), void *arg)
{
	struct child c = { -1, "" };
	int p[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) < 0 || (pid = fork()) < 0)
		return c;
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 2);
		fn(arg);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], c.msg + got, sizeof(c.msg) - 1 - (size_t)got)) > 0)
		got += n;
	c.msg[got] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	c.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return c;
}

/* fn(arg) in a child exits with want_status after writing want_msg on stderr */
static void child_check(const char *name, void (*fn)(void *), void *arg, int want_status,
			const char *want_msg)
{
	struct child c = in_child(fn, arg);
	char n[256];

	snprintf(n, sizeof(n), "%s: exit status", name);
	CHECK(n, c.status == want_status);
	snprintf(n, sizeof(n), "%s: message", name);
	CHECK_STR(n, c.msg, want_msg);
}

static void exit_codes(void)
{
	struct cli_opts o;

	for (int s = 0; s <= 4; s++)
		CHECK("nagios keeps the status", cli_exit_code(CLI_EXIT_NAGIOS, s) == s);
	CHECK("docker: 0 stays 0", cli_exit_code(CLI_EXIT_DOCKER, 0) == 0);
	CHECK("docker: WARNING is 1", cli_exit_code(CLI_EXIT_DOCKER, 1) == 1);
	CHECK("docker: CRITICAL is 1, never the reserved 2", cli_exit_code(CLI_EXIT_DOCKER, 2) == 1);
	CHECK("docker: UNKNOWN is 1", cli_exit_code(CLI_EXIT_DOCKER, 3) == 1);
	CHECK("docker: anything else is 1", cli_exit_code(CLI_EXIT_DOCKER, 99) == 1);
	cli_opts_init(&o);
	CHECK("defaults", o.format == OUTPUT_TEXT && o.exit_codes == CLI_EXIT_NAGIOS && !o.quiet);
	CHECK("cli_exit: nagios by default", cli_exit(&o, 2) == 2);
	o.exit_codes = CLI_EXIT_DOCKER;
	CHECK("cli_exit: docker", cli_exit(&o, 2) == 1 && cli_exit(&o, 0) == 0);
}

static void quiet(void)
{
	struct cli_opts o;

	cli_opts_init(&o);
	CHECK("prints OK without --quiet", cli_should_print(&o, 1));
	CHECK("prints a failure without --quiet", cli_should_print(&o, 0));
	CHECK("--quiet is ours", cli_opt(&o, CLI_OPT_QUIET, NULL) == 1 && o.quiet);
	CHECK("--quiet: nothing when OK", !cli_should_print(&o, 1));
	CHECK("--quiet: a failure prints", cli_should_print(&o, 0));
}

static void bad_format(void *arg)
{
	struct cli_opts o;

	cli_opts_init(&o);
	if (arg)
		cli_opt(&o, CLI_OPT_EXIT_CODES, arg);
	cli_opt(&o, CLI_OPT_FORMAT, "xml");
}

static void bad_exit_codes(void *arg)
{
	struct cli_opts o;

	cli_opts_init(&o);
	cli_opt(&o, CLI_OPT_EXIT_CODES, arg);
}

static void options(void)
{
	struct cli_opts o;

	applet_name = "check-tcp";
	cli_opts_init(&o);
	CHECK("--format json", cli_opt(&o, CLI_OPT_FORMAT, "json") == 1 && o.format == OUTPUT_JSON);
	CHECK("--format prometheus", cli_opt(&o, CLI_OPT_FORMAT, "prometheus") == 1 &&
	      o.format == OUTPUT_PROMETHEUS);
	CHECK("--format text", cli_opt(&o, CLI_OPT_FORMAT, "text") == 1 && o.format == OUTPUT_TEXT);
	CHECK("not ours: 'H'", cli_opt(&o, 'H', "x") == 0);
	CHECK("not ours: '?'", cli_opt(&o, '?', NULL) == 0);
	child_check("--format xml", bad_format, NULL, 3,
	      "check-tcp: --format: expected text, json or prometheus, got 'xml'\n");
	child_check("--exit-codes docker, then --format xml: a usage error exits 1", bad_format, "docker",
	      1, "check-tcp: --format: expected text, json or prometheus, got 'xml'\n");
	child_check("--exit-codes nagios, then --format xml", bad_format, "nagios", 3,
	      "check-tcp: --format: expected text, json or prometheus, got 'xml'\n");
	child_check("--exit-codes bad", bad_exit_codes, "Docker", 3,
	      "check-tcp: --exit-codes: expected nagios or docker, got 'Docker'\n");
	applet_fail_code = EXIT_UNKNOWN;
	CHECK("--exit-codes docker", cli_opt(&o, CLI_OPT_EXIT_CODES, "docker") == 1 &&
	      o.exit_codes == CLI_EXIT_DOCKER && applet_fail_code == 1);
	CHECK("--exit-codes nagios", cli_opt(&o, CLI_OPT_EXIT_CODES, "nagios") == 1 &&
	      o.exit_codes == CLI_EXIT_NAGIOS && applet_fail_code == 3);
}

static void names(void)
{
	char n[CLI_ENV_NAME_MAX], long_name[CLI_ENV_NAME_MAX];

	CHECK("env name", cli_env_name("check-tcp", "unix-sock", n) == 28);
	CHECK_STR("env name: upper case, - as _", n, "PROBEBOX_CHECK_TCP_UNIX_SOCK");
	cli_env_name("conn-check", "tls-certs-path", n);
	CHECK_STR("env name: conn-check", n, "PROBEBOX_CONN_CHECK_TLS_CERTS_PATH");
	cli_env_name("check-http", "url", n);
	CHECK_STR("env name: check-http --url", n, "PROBEBOX_CHECK_HTTP_URL");
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	CHECK("env name: too long is 0, never cut", cli_env_name("a", long_name, n) == 0);
}

static void env_args(void)
{
	static const char *const set[] = {
		"PROBEBOX_CHECK_TCP_HOSTNAME", "env.example",
		"PROBEBOX_CHECK_TCP_PORT", "80",
		"PROBEBOX_CHECK_TCP_SERVICE", "  two words 'and' \"quotes\" $HOME ",
		"PROBEBOX_CHECK_TCP_SSL", "Yes",
		"PROBEBOX_CHECK_TCP_NO_CHECK_CERTIFICATE", "0",
		"PROBEBOX_CHECK_TCP_UNIX_SOCK", "",
		"PROBEBOX_CHECK_TCP_COLOR", "always",
		"PROBEBOX_CHECK_TCP_HELP", "1",
		"PROBEBOX_CHECK_TCP_VERSION", "1",
		"PROBEBOX_CHECK_TCP_HOST", "alias.example",
		"PROBEBOX_CHECK_TCP_FORMAT", "json",
		"PROBEBOX_CHECK_TCP_QUIET", "true",
		NULL,
	};
	static const char *const off[] = {
		"PROBEBOX_CHECK_TCP_SSL", "FALSE",
		"PROBEBOX_CHECK_TCP_QUIET", "",
		"PROBEBOX_CHECK_TCP_NO_CHECK_CERTIFICATE", "no",
		"PROBEBOX_CHECK_TCP_COLOR", "",
		NULL,
	};
	char *argv0[] = { "check-tcp", "-H", "cli.example", "--port=443", "extra", NULL };
	char **argv = argv0;
	int argc = 5, n, c;
	const char *host = NULL, *port = NULL, *sock = NULL;

	set_env(NULL);
	n = cli_env_args("check-tcp", lo, &argc, &argv);
	CHECK("nothing set: argv untouched", n == 0 && argv == argv0 && argc == 5);

	set_env(set);
	n = cli_env_args("check-tcp", lo, &argc, &argv);
	CHECK("set variables: how many", n == 9);
	CHECK_STR("set variables: inserted before the command line, verbatim", joined(argc, argv),
		  "[check-tcp] [--service] [  two words 'and' \"quotes\" $HOME ] [--hostname] "
		  "[env.example] [--port] [80] [--ssl] [--unix-sock] [] [--color=always] [--host] "
		  "[alias.example] [--format] [json] [--quiet] [-H] [cli.example] [--port=443] [extra]");
	/* the command line wins: getopt sees it last */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1) {
		if (c == 'H')
			host = optarg;
		else if (c == 'p')
			port = optarg;
		else if (c == 'U')
			sock = optarg;
	}
	CHECK_STR("command line wins: -H", host, "cli.example");
	CHECK_STR("command line wins: --port", port, "443");
	CHECK_STR("an empty value is an empty argument", sock, "");
	CHECK("the positional stays", optind == argc - 1 && !strcmp(argv[optind], "extra"));
	free(argv);

	/* a flag's off values, and an optional argument without a value */
	set_env(off);
	argv = argv0;
	argc = 1;
	n = cli_env_args("check-tcp", lo, &argc, &argv);
	CHECK_STR("flags off; --opt alone for an empty optional argument", joined(argc, argv),
		  "[check-tcp] [--color]");
	free(argv);
	set_env(NULL);
}

static void set_and_args(void *arg)
{
	char *argv0[] = { "check-tcp", NULL }, **argv = argv0;
	int argc = 1;

	set_env(arg);
	cli_env_args("check-tcp", lo, &argc, &argv);
}

static void env_errors(void)
{
	char big[CLI_ENV_VALUE_MAX + 2];
	const char *flag[] = { "PROBEBOX_CHECK_TCP_SSL", "maybe", NULL };
	const char *toolong[] = { "PROBEBOX_CHECK_TCP_HOSTNAME", big, NULL };
	const char *fits[] = { "PROBEBOX_CHECK_TCP_HOSTNAME", big + 1, NULL };

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	child_check("invalid flag value", set_and_args, flag, 3,
	      "check-tcp: PROBEBOX_CHECK_TCP_SSL: expected 1, true, yes, 0, false, no or nothing, "
	      "got 'maybe'\n");
	child_check("a value too long is an error, not cut", set_and_args, toolong, 3,
	      "check-tcp: PROBEBOX_CHECK_TCP_HOSTNAME: the value is 4097 bytes, at most 4096\n");
	child_check("a value of the largest size", set_and_args, fits, 0, "");
}

/* cli_args over a command line with some variables set, then a getopt loop: the usage
 * errors after it exit as the exit-code scheme says */
struct begin_case {
	const char *name;
	char *argv[5];
	const char *env[5];
	int status;
	const char *msg;
};

#define SSL_2 "check-tcp: PROBEBOX_CHECK_TCP_SSL: expected 1, true, yes, 0, false, no or " \
	      "nothing, got '2'\n"
static const struct begin_case begin_cases[] = {
	{ "--exit-codes docker read ahead of a bad option",
	  { "check-tcp", "-S", "--exit-codes", "docker", "--bogus" }, { NULL },
	  1, "check-tcp: bad option --bogus\n" },
	{ "the command line's scheme wins over the variable", { "check-tcp", "--exit-codes=nagios" },
	  { "PROBEBOX_CHECK_TCP_EXIT_CODES", "docker", "PROBEBOX_CHECK_TCP_SSL", "2" }, 3, SSL_2 },
	{ "an option's argument is not --exit-codes", { "check-tcp", "-H", "--exit-codes", "docker" },
	  { NULL }, 3, "check-tcp: end, format 0\n" },
	{ "PROBEBOX_..._EXIT_CODES=docker: a bad variable exits 1", { "check-tcp" },
	  { "PROBEBOX_CHECK_TCP_EXIT_CODES", "docker", "PROBEBOX_CHECK_TCP_SSL", "2" }, 1, SSL_2 },
	{ "a bad PROBEBOX_..._EXIT_CODES is the option's usage error", { "check-tcp" },
	  { "PROBEBOX_CHECK_TCP_EXIT_CODES", "bogus" }, 3,
	  "check-tcp: --exit-codes: expected nagios or docker, got 'bogus'\n" },
	{ "cli_args hands on the environment's options", { "check-tcp" },
	  { "PROBEBOX_CHECK_TCP_FORMAT", "prometheus" }, 3, "check-tcp: end, format 2\n" },
};

static void begin(void *arg)
{
	const struct begin_case *bc = arg;
	char *copy[6] = { 0 }, **argv = copy;
	struct cli_opts o;
	int argc = 0, c;

	set_env(bc->env);
	for (; argc < 5 && bc->argv[argc]; argc++)
		copy[argc] = bc->argv[argc];
	cli_args(&o, "check-tcp", optstring, lo, &argc, &argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1)
		if (!cli_opt(&o, c, optarg) && (c == '?' || c == ':'))
			error_exit("bad option %s", argv[optind - 1]);
	error_exit("end, format %d", o.format);
}

static void begin_all(void)
{
	for (size_t i = 0; i < ARRAY_LEN(begin_cases); i++)
		child_check(begin_cases[i].name, begin, (void *)&begin_cases[i], begin_cases[i].status,
		      begin_cases[i].msg);
}

static void set_many(void *arg)
{
	static struct option many[CLI_ENV_MAX + 3];
	static char names[CLI_ENV_MAX + 2][16];
	char *argv0[] = { "check-tcp", NULL }, **argv = argv0, var[CLI_ENV_NAME_MAX];
	int argc = 1, n = *(int *)arg;

	for (int i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "o%d", i);
		many[i] = (struct option){ names[i], no_argument, 0, 300 + i };
		cli_env_name("check-tcp", names[i], var);
		setenv(var, "1", 1);
	}
	many[n] = (struct option){ 0, 0, 0, 0 };
	fprintf(stderr, "%d", cli_env_args("check-tcp", many, &argc, &argv));
}

static void env_bounds(void)
{
	int most = CLI_ENV_MAX, over = CLI_ENV_MAX + 1;

	child_check("the most variables", set_many, &most, 0, "64");
	child_check("one variable too many", set_many, &over, 3,
	      "check-tcp: more than 64 PROBEBOX_* variables for check-tcp\n");
}

static void help(void)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	cli_env_help(f, "check-tcp", lo);
	fclose(f);
	CHECK_STR("--help lists the variables from the same table", buf,
		  "\nEnvironment: each variable stands for its option, placed before the command\n"
		  "line's options (which win); a flag takes 1, true or yes (0, false, no: off).\n"
		  "  PROBEBOX_CHECK_TCP_SERVICE\t--service=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_HOSTNAME\t--hostname=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_PORT\t--port=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_SSL\t--ssl\n"
		  "  PROBEBOX_CHECK_TCP_UNIX_SOCK\t--unix-sock=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_NO_CHECK_CERTIFICATE\t--no-check-certificate\n"
		  "  PROBEBOX_CHECK_TCP_COLOR\t--color[=VALUE]\n"
		  "  PROBEBOX_CHECK_TCP_HOST\t--host=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_FORMAT\t--format=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_EXIT_CODES\t--exit-codes=VALUE\n"
		  "  PROBEBOX_CHECK_TCP_QUIET\t--quiet\n");
	free(buf);
}

int main(void)
{
	exit_codes();
	quiet();
	options();
	names();
	env_args();
	env_errors();
	begin_all();
	env_bounds();
	help();
	return t_done();
}
