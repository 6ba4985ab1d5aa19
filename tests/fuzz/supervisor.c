/* supervisor.c - fuzz target: what the supervisor listeners read from outside: the event
 * header line supervisord sends (its protocol's "ver:3.0 ... eventname:X len:N"), the /proc
 * files of the memory and cpu checks (statm, stat) and a port spec with the process name it
 * is matched against. The input is split at its first three newlines: header, port spec,
 * process name; the whole input is also read as statm and stat. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/re2.h"

#define LINE_MAX_ 4096	/* supervisor.c SV_LINE_MAX */

struct port_spec {
	const char *text;
	long port;
	struct re2 *pre, *grp, *post;
};
int sv_parse_header(const char *line, char *event, size_t cap, long *len, char *err, size_t errlen);
int sv_tick_period(const char *event);
long sv_statm_pages(const char *text);
int sv_parse_stat(const char *text, long *ppid, unsigned long long *ticks, unsigned long long *start);
int sv_split_namespec(const char *spec, char *group, char *name, size_t cap, int *all);
long sv_port(const struct port_spec *ps, const char *name);
int sv_port_spec(struct port_spec *ps, const char *text, char *err, size_t errlen);

/* the next line of [*p, end) as a string in out (cap bytes), cut at NUL */
static void line(const char **p, const char *end, char *out, size_t cap)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = (size_t)((nl ? nl : end) - *p);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, *p, n);
	out[n] = 0;
	*p = nl ? nl + 1 : end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char hdr[LINE_MAX_ + 1], spec[256], name[256], group[256], pname[256];
	const char *p = (const char *)data, *end = p + size;
	char event[64], err[300], *all;
	unsigned long long ticks, start;
	long len = -1, ppid;
	int any;
	struct port_spec ps;

	line(&p, end, hdr, sizeof(hdr));
	err[0] = 0;
	if (sv_parse_header(hdr, event, sizeof(event), &len, err, sizeof(err)) == 0) {
		if (len < 0 || len > (1L << 30) || strlen(event) >= sizeof(event) || !*event)
			abort();
		sv_tick_period(event);
	} else if (!*err) {
		abort();
	}
	line(&p, end, spec, sizeof(spec));
	line(&p, end, name, sizeof(name));
	if (sv_port_spec(&ps, spec, err, sizeof(err)) == 0) {
		long v = sv_port(&ps, name);
		if (v < 0 || v > 65535)
			abort();
		if (!ps.port) {
			re2_free(ps.pre);
			re2_free(ps.grp);
			re2_free(ps.post);
		}
	}
	sv_split_namespec(name, group, pname, sizeof(group), &any);
	all = malloc(size + 1);
	memcpy(all, data, size);
	all[size] = 0;
	sv_statm_pages(all);
	sv_parse_stat(all, &ppid, &ticks, &start);
	free(all);
	return 0;
}
