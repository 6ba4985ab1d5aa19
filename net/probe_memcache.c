/* probe_memcache.c - the memcache probe (alias memcached): memcached's text protocol
 * (protocol.txt of the memcached sources) over TCP: "version", answered "VERSION x".
 * tcp.*, memcached.version
 */
//probe:IF_PROBE_MEMCACHE(PROBE(memcache))
//kbuild:obj-$(CONFIG_PROBE_MEMCACHE) += probe_memcache.o
//config:config PROBE_MEMCACHE
//config:	bool "memcache probe (+1 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	help
//config:	  memcached's text protocol: ask for the server's version. conn-check's
//config:	  memcache checks, chksrv memcache.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "memcache.h"
#include "../lib/util.h"

struct probe_memcache {
	struct probe_hp hp;
	const char *password;		/* accepted and ignored, as upstream */
};

static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_memcache),
	PROBE_F(struct probe_memcache, password, "password", "password", PF_STR, PF_SECRET, NULL),
};

int memcache_version(const char *line, size_t len, const char **v)
{
	if (len < 11 || memcmp(line, "VERSION ", 8) || memcmp(line + len - 2, "\r\n", 2))
		return -1;
	/* "1.6.18", or a proxy's "mcrouter 0.41.0": printable, not starting with a space */
	for (size_t i = 8; i < len - 2; i++)
		if (line[i] < ' ' + (i == 8) || line[i] >= 127)
			return -1;
	*v = line + 8;
	return (int)(len - 10);
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_memcache *s = spec;
	char port[8], line[256], why[120];
	const char *v;
	struct conn c;
	ssize_t n = -1;
	int vl;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (!probe_connect(&s->hp.base, &c, s->hp.host, port, deadline, r))
		return 0;
	if (conn_write(&c, "version\r\n", 9) == 0)
		n = conn_readline(&c, line, sizeof(line));
	vl = n > 0 ? memcache_version(line, (size_t)n, &v) : -1;
	if (vl > 0)
		record_set_strn(r, "memcached.version", v, (size_t)vl);
	else if (n < 0)
		probe_error(r, "version: %s", c.errmsg);
	else if (!n || (line[n - 1] != '\n' && (size_t)n + 1 < sizeof(line)))
		probe_error(r, "version: connection closed %s", n ? "mid-reply" : "by the server");
	else
		probe_error(r, "%s: %s", n > 13 && !memcmp(line + 6, "_ERROR ", 7) ? "version" :
			    "not a memcached server", probe_first_line(why, sizeof(why), line, (size_t)n));
	conn_close(&c);
	return vl > 0;
}

const struct probe_type probe_memcache = {
	.name = "memcache",
	.aliases = "memcached",
	.layout = PL_PREFIXED,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_memcache),
	.check = probe_hp_check,
	.run = run,
	.target = probe_hp_target,
};
