/* cli.c - fuzz target: the command-line and environment option parsing every applet shares
 * (lib/cli.c: cli_args, cli_env_args, cli_opt; lib/util.c: opt_common, parse_long,
 * parse_double, xparse_choice) over an argv made of the input. The input is split at NUL
 * and newline bytes; a piece "$K=VALUE" sets the variable of the table's K-th option
 * (PROBEBOX_CHKSRV_...) to VALUE, every other piece is an argument. A usage error exits:
 * exit() is caught here (the applets' error_exit path) and counts as a verdict. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cli.h"
#include "../../lib/util.h"

#define ARGS_MAX 64

/* chksrv's kinds of option: a number, a duration, a choice, a flag, repeatable values, an
 * optional value */
enum { O_TIMEOUT = 256, O_LOGFILE, O_COLOR, O_LEVEL };
static const struct option lo[] = {
	{ "parameter", required_argument, 0, 'p' },
	{ "expects", required_argument, 0, 'e' },
	{ "retry", required_argument, 0, 'r' },
	{ "timeout", required_argument, 0, O_TIMEOUT },
	{ "log-level", required_argument, 0, O_LEVEL },
	{ "log-file", required_argument, 0, O_LOGFILE },
	{ "verbose", no_argument, 0, 'v' },
	{ "color", optional_argument, 0, O_COLOR },
	{ "help", no_argument, 0, 'h' },
	{ "version", no_argument, 0, 'V' },
	CLI_LONGOPTS,
	{ 0, 0, 0, 0 },
};
#define NLO (sizeof(lo) / sizeof(lo[0]) - 1)
static const char optstring[] = ":p:e:r:l:v46hV";
static const char *const levels[] = { "CRITICAL", "ERROR", "WARN", "INFO", "DEBUG" };

static jmp_buf out;
static volatile int inside;

/* error_exit() ends in exit(): inside the target, back to it; elsewhere, the real one */
void exit(int status)
{
	if (inside)
		longjmp(out, 1);
	((void (*)(int))dlsym(RTLD_NEXT, "exit"))(status);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *pieces, *args[ARGS_MAX + 1];
	static char **volatile envv;
	char name[CLI_ENV_NAME_MAX], **argv;
	struct cli_opts co;
	int argc = 1, c, family = 0;
	long v;
	double d;

	for (size_t i = 0; i < NLO; i++)
		if (cli_env_name("chksrv", lo[i].name, name))
			unsetenv(name);
	pieces = malloc(size + 1);
	memcpy(pieces, data, size);
	pieces[size] = 0;
	args[0] = "chksrv";
	for (char *p = pieces, *end = pieces + size; p <= end && argc < ARGS_MAX;) {
		char *q = p;
		while (q < end && *q && *q != '\n')
			q++;
		*q = 0;
		if (p[0] == '$' && p[1] >= '0' && p[1] <= '9' && p[2] == '=') {
			if ((size_t)(p[1] - '0') < NLO &&
			    cli_env_name("chksrv", lo[p[1] - '0'].name, name))
				setenv(name, p + 3, 1);
		} else if (q > p || q < end) {
			args[argc++] = p;
		}
		p = q + 1;
	}
	args[argc] = NULL;
	argv = args;
	envv = NULL;
	applet_fail_code = 3;
	inside = 1;
	if (!setjmp(out)) {
		cli_args(&co, "chksrv", optstring, lo, &argc, &argv);
		if (argv != args)
			envv = argv;
		while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1) {
			switch (c) {
			case 'r':
				if (parse_long(optarg, 0, 100, &v))
					error_exit("bad retry '%s'", optarg);
				break;
			case O_TIMEOUT:
				if (parse_double(optarg, &d) || d <= 0)
					error_exit("bad timeout '%s'", optarg);
				break;
			case 'l':
			case O_LEVEL:
				xparse_choice("--log-level", optarg, levels, 5);
				break;
			case 'p': case 'e': case 'v': case 'h': case 'V':
			case O_LOGFILE: case O_COLOR:
				break;
			default:
				if (!cli_opt(&co, c, optarg))
					opt_common(c, argv, &family);
			}
		}
		if (optind > argc)
			abort();
		cli_exit(&co, 2);
	}
	inside = 0;
	if (applet_fail_code != 3 && applet_fail_code != 1)
		abort();
	free(envv);
	free(pieces);
	return 0;
}
