/* cli.c - the command line every applet shares: --format, --exit-codes, --quiet, exit status
 * schemes (Nagios plugin guidelines, Docker HEALTHCHECK) and PROBEBOX_* variables; see cli.h.
 */
//kbuild:obj-$(CONFIG_CLI) += cli.o
//config:config CLI
//config:	bool
//config:	default y
//config:	help
//config:	  Every applet's --format, --exit-codes, --quiet and PROBEBOX_* variables: on in
//config:	  every build (an applet also selects it, where it says what it calls).
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "util.h"

static const char *const exit_names[] = { "nagios", "docker" };

void cli_opts_init(struct cli_opts *o)
{
	o->format = OUTPUT_TEXT;
	o->exit_codes = CLI_EXIT_NAGIOS;
	o->quiet = 0;
}

int cli_exit_code(int scheme, int status)
{
	if (scheme == CLI_EXIT_DOCKER)
		return status ? 1 : 0;
	return status;
}

int cli_exit(const struct cli_opts *o, int status)
{
	return cli_exit_code(o->exit_codes, status);
}

int cli_should_print(const struct cli_opts *o, int ok)
{
	return !(o->quiet && ok);
}

static void set_exit_codes(struct cli_opts *o, int scheme)
{
	o->exit_codes = scheme;
	applet_fail_code = cli_exit_code(scheme, EXIT_UNKNOWN);
}

int cli_opt(struct cli_opts *o, int code, const char *arg)
{
	switch (code) {
	case CLI_OPT_FORMAT:
		o->format = xparse_choice("--format", arg, output_format_names,
					  (int)ARRAY_LEN(output_format_names));
		return 1;
	case CLI_OPT_EXIT_CODES:
		set_exit_codes(o, xparse_choice("--exit-codes", arg, exit_names,
						(int)ARRAY_LEN(exit_names)));
		return 1;
	case CLI_OPT_QUIET:
		o->quiet = 1;
		return 1;
	}
	return 0;
}

/* PROBEBOX_APPLET_OPTION, upper case, every other byte '_'; built by hand: every run of every
 * applet names each of its options (printf made that most of a TCP check's instructions) */
size_t cli_env_name(const char *applet, const char *option, char out[CLI_ENV_NAME_MAX])
{
	const char *part[] = { "PROBEBOX_", applet, "_", option };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_LEN(part); i++)
		for (const char *p = part[i]; *p; p++) {
			char c = *p;
			if (n == CLI_ENV_NAME_MAX - 1)
				return 0;
			/* ASCII by hand, not the locale's isalnum and toupper */
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			else if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
				c = '_';
			out[n++] = c;
		}
	out[n] = 0;
	return n;
}

/* is there any variable of this applet (PROBEBOX_APPLET_...)? Usually not, and then the
 * option table need not be walked name by name; 1 also when the prefix is too long, so
 * that the table walk says what is wrong */
static int env_any(const char *applet)
{
	extern char **environ;
	char pre[CLI_ENV_NAME_MAX];
	size_t n = cli_env_name(applet, "", pre);

	for (char **e = environ; n && *e; e++)
		if (**e == 'P' && !strncmp(*e, pre, n))
			return 1;
	return !n;
}

/* help and version print and exit: a variable left in an image would make every run of a
 * health check "print the usage, exit 0", healthy forever */
static int env_skipped(const struct option *o)
{
	return !strcmp(o->name, "help") || !strcmp(o->name, "version");
}

/* the variable of lo[i], or 0 when the entry is not read from the environment (skipped, or
 * an alias whose variable an earlier entry already reads) */
static size_t env_var(const char *applet, const struct option *lo, size_t i,
		      char name[CLI_ENV_NAME_MAX])
{
	char other[CLI_ENV_NAME_MAX];

	if (env_skipped(&lo[i]))
		return 0;
	if (!cli_env_name(applet, lo[i].name, name))
		error_exit("option --%s: the variable name is too long", lo[i].name);
	for (size_t j = 0; j < i; j++)
		if (!env_skipped(&lo[j]) && cli_env_name(applet, lo[j].name, other) &&
		    !strcmp(name, other))
			return 0;
	return strlen(name);
}

static int flag_value(const char *name, const char *v)
{
	static const char *const on[] = { "1", "true", "yes" };
	static const char *const off[] = { "0", "false", "no", "" };

	for (size_t i = 0; i < ARRAY_LEN(on); i++)
		if (!strcasecmp(v, on[i]))
			return 1;
	for (size_t i = 0; i < ARRAY_LEN(off); i++)
		if (!strcasecmp(v, off[i]))
			return 0;
	error_exit("%s: expected 1, true, yes, 0, false, no or nothing, got '%s'", name, v);
}

/* one option from the environment: argv entries to add (0..2) and the bytes of the strings
 * it needs ("--name", "--name=value") */
struct env_opt {
	const struct option *o;
	const char *value;	/* NULL: a flag */
	size_t bytes;
};

int cli_env_args(const char *applet, const struct option *lo, int *argc, char ***argv)
{
	struct env_opt use[CLI_ENV_MAX];
	char name[CLI_ENV_NAME_MAX], **nv, *str;
	size_t n = 0, bytes = 0, k = 0;

	if (*argc < 1 || !env_any(applet))
		return 0;
	for (size_t i = 0; lo[i].name; i++) {
		const char *v;
		size_t len;
		if (!env_var(applet, lo, i, name) || !(v = getenv(name)))
			continue;
		len = strlen(v);
		if (len > CLI_ENV_VALUE_MAX)
			error_exit("%s: the value is %zu bytes, at most %d", name, len, CLI_ENV_VALUE_MAX);
		if (lo[i].has_arg == no_argument && !flag_value(name, v))
			continue;
		if (n == CLI_ENV_MAX)
			error_exit("more than %d PROBEBOX_* variables for %s", CLI_ENV_MAX, applet);
		use[n].o = &lo[i];
		use[n].value = lo[i].has_arg == no_argument ? NULL : v;
		/* "--" name ["=" value] NUL */
		use[n].bytes = 2 + strlen(lo[i].name) + 1;
		if (lo[i].has_arg == optional_argument && *v)
			use[n].bytes += 1 + len;
		bytes += use[n].bytes;
		n++;
	}
	if (!n)
		return 0;
	nv = xmalloc(sizeof(char *) * ((size_t)*argc + 2 * n + 1) + bytes);
	str = (char *)(nv + (size_t)*argc + 2 * n + 1);
	nv[k++] = (*argv)[0];
	for (size_t i = 0; i < n; i++) {
		const struct env_opt *e = &use[i];
		if (e->o->has_arg == optional_argument && *e->value)
			snprintf(str, e->bytes, "--%s=%s", e->o->name, e->value);
		else
			snprintf(str, e->bytes, "--%s", e->o->name);
		nv[k++] = str;
		str += e->bytes;
		if (e->o->has_arg == required_argument)
			nv[k++] = (char *)e->value;
	}
	for (int i = 1; i < *argc; i++)
		nv[k++] = (*argv)[i];
	nv[k] = NULL;
	*argc = (int)k;
	*argv = nv;
	return (int)n;
}

void cli_env_help(FILE *f, const char *applet, const struct option *lo)
{
	char name[CLI_ENV_NAME_MAX];

	fprintf(f, "\nEnvironment: each variable stands for its option, placed before the command\n"
		   "line's options (which win); a flag takes 1, true or yes (0, false, no: off).\n");
	for (size_t i = 0; lo[i].name; i++)
		if (env_var(applet, lo, i, name))
			fprintf(f, "  %s\t--%s%s\n", name, lo[i].name,
				lo[i].has_arg == required_argument ? "=VALUE" :
				lo[i].has_arg == optional_argument ? "[=VALUE]" : "");
}

void cli_args(struct cli_opts *o, const char *applet, const char *optstring,
	      const struct option *lo, int *argc, char ***argv)
{
	const int nschemes = (int)ARRAY_LEN(exit_names);
	char name[CLI_ENV_NAME_MAX], **copy;
	const char *v;
	int c, scheme = -1, saved = opterr;

	cli_opts_init(o);
	/* APPLET --help: the applet's usage (probebox.c set it) and the variables it reads */
	if (*argc > 1 && (!strcmp((*argv)[1], "--help") || !strcmp((*argv)[1], "-h")) &&
	    applet_usage) {
		fputs(applet_usage, stdout);
		cli_env_help(stdout, applet, lo);
		exit(0);
	}
	/* the command line first, as it wins; getopt_long permutes, so over a copy */
	copy = xmalloc(sizeof(char *) * ((size_t)*argc + 1));
	memcpy(copy, *argv, sizeof(char *) * (size_t)*argc);
	copy[*argc] = NULL;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(*argc, copy, optstring, lo, NULL)) != -1)
		if (c == CLI_OPT_EXIT_CODES && parse_choice(optarg, exit_names, nschemes) >= 0)
			scheme = parse_choice(optarg, exit_names, nschemes);
	free(copy);
	opterr = saved;
	optind = 0;	/* glibc and musl: the next getopt starts afresh */
	/* the variables only when there is one of this applet (usually none) */
	for (size_t i = 0, any = env_any(applet); scheme < 0 && any && lo[i].name; i++)
		if (lo[i].val == CLI_OPT_EXIT_CODES && cli_env_name(applet, lo[i].name, name) &&
		    (v = getenv(name)))
			scheme = parse_choice(v, exit_names, nschemes);
	if (scheme >= 0)
		set_exit_codes(o, scheme);
	cli_env_args(applet, lo, argc, argv);
}
