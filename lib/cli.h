/* cli.h - what every applet's command line shares: the --format, --exit-codes and --quiet
 * options, the exit status schemes (Nagios plugin guidelines; Docker HEALTHCHECK, which
 * reserves 2), and options from the environment (PROBEBOX_<APPLET>_<OPTION>).
 * docs/output.md describes them for users.
 *
 * A front end's command line, start to end:
 *
 *	static const struct option lo[] = { ..., CLI_LONGOPTS, { 0, 0, 0, 0 } };
 *	struct cli_opts co;
 *
 *	cli_args(&co, "check-tcp", optstring, lo, &argc, &argv);
 *	while ((c = getopt_long(argc, argv, optstring, lo, NULL)) != -1)
 *		switch (c) {
 *		...
 *		default:
 *			if (!cli_opt(&co, c, optarg))
 *				opt_common(c, argv, &family);
 *		}
 *	... run the checks, judge: status (0..3), ok ...
 *	if (cli_should_print(&co, ok))
 *		print in co.format (report_json, report_prom, or the applet's own text)
 *	return cli_exit(&co, status);
 *
 * and its --help ends with cli_env_help(stdout, "check-tcp", lo).
 */
#ifndef PB_CLI_H
#define PB_CLI_H

#include <getopt.h>
#include <stdio.h>

/* --exit-codes NAME */
enum { CLI_EXIT_NAGIOS, CLI_EXIT_DOCKER };

struct cli_opts {
	int format;		/* OUTPUT_TEXT (the default), OUTPUT_JSON, OUTPUT_PROMETHEUS */
	int exit_codes;		/* CLI_EXIT_NAGIOS (the default), CLI_EXIT_DOCKER */
	int quiet;		/* --quiet: print nothing when the verdict is OK */
};

/* the getopt codes of the shared options: above any character and any applet's own codes */
enum { CLI_OPT_FORMAT = 0x1000, CLI_OPT_EXIT_CODES, CLI_OPT_QUIET };

/* the shared entries of an applet's struct option table */
#define CLI_LONGOPTS \
	{ "format", required_argument, 0, CLI_OPT_FORMAT }, \
	{ "exit-codes", required_argument, 0, CLI_OPT_EXIT_CODES }, \
	{ "quiet", no_argument, 0, CLI_OPT_QUIET }

/* the defaults: text, nagios, not quiet */
void cli_opts_init(struct cli_opts *o);

/* the start of an applet's command line: cli_opts_init(o); then the exit-code scheme, read
 * ahead from the command line (getopt_long with optstring and lo over a copy of argv) or
 * else from PROBEBOX_<APPLET>_EXIT_CODES, so that every usage error after it, those of the
 * environment included, exits as that scheme says (applet_fail_code); then cli_env_args().
 * Leaves optind for a fresh getopt_long loop. */
void cli_args(struct cli_opts *o, const char *applet, const char *optstring,
	      const struct option *lo, int *argc, char ***argv);

/* the getopt case of the shared options: 1 when code is one of CLI_OPT_*, which it sets in
 * o (a bad value is a usage error: error_exit), 0 when it is not ours. --exit-codes also
 * sets applet_fail_code, so that later usage errors exit as the scheme says. */
int cli_opt(struct cli_opts *o, int code, const char *arg);

/* an applet's native exit status (Nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN or bad
 * usage) in a scheme: CLI_EXIT_NAGIOS keeps it, CLI_EXIT_DOCKER makes every non-zero 1 */
int cli_exit_code(int scheme, int status);
/* the same in o's scheme: what main() returns */
int cli_exit(const struct cli_opts *o, int status);

/* whether to print the run's normal output (stdout, and notes on stderr such as warnings):
 * always, except under --quiet when the verdict is OK (ok != 0). Usage errors always print. */
int cli_should_print(const struct cli_opts *o, int ok);

/* --- options from the environment ------------------------------------------------------- */

#define CLI_ENV_MAX 64			/* variables one run may use */
#define CLI_ENV_VALUE_MAX 4096		/* bytes of one value */
#define CLI_ENV_NAME_MAX 128		/* bytes of one variable name */

/* the variable of one long option: PROBEBOX_ + applet + _ + option, upper-cased, every byte
 * outside [A-Za-z0-9] as '_' ("check-tcp", "unix-sock" -> PROBEBOX_CHECK_TCP_UNIX_SOCK);
 * its length, or 0 when it would not fit */
size_t cli_env_name(const char *applet, const char *option, char out[CLI_ENV_NAME_MAX]);

/* options from the environment: for every entry of lo (but help and version, which are
 * actions, not settings) whose variable is set, the option goes into a new argv: argv[0],
 * then the environment's options in lo's order, then argv[1..] as they were, so that for a
 * single-valued option the command line wins. A required_argument option takes the value
 * verbatim (no splitting, "" is an empty argument); an optional_argument one is --opt=VALUE,
 * or --opt alone when the value is empty; a no_argument one is added for 1, true or yes and
 * left out for 0, false, no or the empty string (any case). Usage errors (error_exit): any
 * other flag value, a value over CLI_ENV_VALUE_MAX bytes (never cut), more than CLI_ENV_MAX
 * variables; each names the variable. An option the environment gives once cannot be
 * repeated through it (chksrv -e twice: use the command line).
 * *argv becomes one allocation (free() releases it; the values point into the
 * environment) and stays NULL-terminated. Returns how many variables were used. */
int cli_env_args(const char *applet, const struct option *lo, int *argc, char ***argv);

/* the end of an applet's --help: the variables cli_env_args() reads, from the same table */
void cli_env_help(FILE *f, const char *applet, const struct option *lo);

#endif
