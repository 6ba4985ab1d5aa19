/* probebox.c - the multicall entry point: dispatch on basename(argv[0]) or argv[1] */
//kbuild:obj-y += probebox.o

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autoconf.h"
#include "../build/gen/usage.h"
#include "../lib/util.h"
#include "../tls/tls.h"

#define APPLET(name, cname) int cname##_main(int argc, char **argv);
#define APPLET_CLI APPLET
#include "../build/gen/applets.h"
#undef APPLET
#undef APPLET_CLI

struct applet {
	const char *name;
	int (*main)(int, char **);
	const char *usage;
	int cli;	/* it answers --help itself (lib/cli) */
};

#define APPLET(name, cname) { name, cname##_main, cname##_usage, 0 },
#define APPLET_CLI(name, cname) { name, cname##_main, cname##_usage, 1 },
/* ends with a NULL name, so a configuration without applets still builds */
static const struct applet applets[] = {
#include "../build/gen/applets.h"
	{ NULL, NULL, NULL, 0 },
};
#undef APPLET
#undef APPLET_CLI

static const char probebox_usage[] =
	"usage: probebox APPLET [ARGS]...  |  APPLET [ARGS]...  (through a link named APPLET)\n"
	"       probebox --list | --install [-h] DIR | --version | --help\n"
	"\n"
	"Is that service really up? One static binary of drop-in service checkers.\n"
	"\n"
	"--list\tList the applets built in\n"
	"--install DIR\tMake a symlink DIR/APPLET for each applet (-h: hard links)\n"
	"APPLET --help\tThe applet's own usage\n";

static const struct applet *find(const char *name)
{
	for (const struct applet *a = applets; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

static void list(FILE *f)
{
	for (const struct applet *a = applets; a->name; a++)
		fprintf(f, "%s\n", a->name);
}

static int install(int hard, const char *dir)
{
	char self[PATH_MAX], path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int rc = 0;

	if (n < 0)
		perror_exit("cannot find my own path (/proc/self/exe)");
	self[n] = 0;
	for (const struct applet *a = applets; a->name; a++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, a->name) >= (int)sizeof(path))
			error_exit("path too long: %s", dir);
		unlink(path);
		if ((hard ? link(self, path) : symlink(self, path)) < 0) {
			perror_msg("cannot create %s", path);
			rc = EXIT_UNKNOWN;
		}
	}
	return rc;
}

static int run(const struct applet *a, int argc, char **argv)
{
	applet_name = a->name;
	applet_usage = a->usage;
	/* an applet with lib/cli answers --help itself (its usage and the PROBEBOX_* variables
	 * it reads); the others here */
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) && !a->cli) {
		fputs(a->usage, stdout);
		return 0;
	}
	return a->main(argc, argv);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct applet *a;

	base = base ? base + 1 : argv[0];
	a = find(base);
	if (a)
		return run(a, argc, argv);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(probebox_usage, argc < 2 ? stderr : stdout);
		fputs("\nApplets:\n", argc < 2 ? stderr : stdout);
		list(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_UNKNOWN : 0;
	}
	if (!strcmp(argv[1], "--list")) {
		list(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("probebox %s (TLS: %s)\n", PROBEBOX_VERSION, tls_backend_name);
		return 0;
	}
	if (!strcmp(argv[1], "--install")) {
		int hard = argc > 2 && !strcmp(argv[2], "-h");
		if (argc > 2 && !strcmp(argv[2], "-s"))
			hard = 0;
		if (argc != 3 + (argc > 2 && argv[2][0] == '-'))
			error_exit("usage: probebox --install [-s|-h] DIR");
		return install(hard, argv[argc - 1]);
	}
	a = find(argv[1]);
	if (!a)
		error_exit("unknown applet '%s' (probebox --list shows the applets built in)", argv[1]);
	return run(a, argc - 1, argv + 1);
}
