/* probe_tcp.c - the tcp probe: connect (RFC 9293), Happy Eyeballs across the addresses
 * (net/conn), then an orderly close; tcp.success, tcp.ipv6, tcp.con.time.*, tcp.shutdown.time.*
 */
//probe:IF_PROBE_TCP(PROBE(tcp))
//kbuild:obj-$(CONFIG_PROBE_TCP) += probe_tcp.o
//config:config PROBE_TCP
//config:	bool "tcp probe (+1 kB)"
//config:	default y
//config:	help
//config:	  Connect to HOST:PORT. conn-check's tcp checks, chksrv tcp, check-tcp.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>

#include "../lib/util.h"

struct probe_tcp {
	struct probe_base base;
	const char *host;
	long port;
};

static const struct probe_field fields[] = {
	PROBE_F(struct probe_tcp, host, "host", NULL, PF_STR, PF_REQUIRED, NULL),
	PROBE_FI(struct probe_tcp, port, "port", NULL, NULL, 1, 65535),
};

static int check(void *spec, char *err, size_t errlen)
{
	const struct probe_tcp *s = spec;

	if (!s->host || !*s->host)
		return snprintf(err, errlen, "empty host"), -1;
	if (!s->port)
		return snprintf(err, errlen, "port missing"), -1;
	return 0;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_tcp *s = spec;
	struct conn c;
	struct probe_stamp st;
	char port[8];

	snprintf(port, sizeof(port), "%ld", s->port);
	if (!probe_connect(&s->base, &c, s->host, port, deadline, r))
		return 0;
	st = probe_stamp();
	conn_close(&c);
	probe_times(r, "tcp.shutdown.time", st);
	return 1;
}

static void target(const void *spec, char *buf, size_t len)
{
	const struct probe_tcp *s = spec;
	char port[8];

	snprintf(port, sizeof(port), "%ld", s->port);
	probe_hostport(buf, len, s->host, port);
}

const struct probe_type probe_tcp = {
	.name = "tcp",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_tcp),
	.check = check,
	.run = run,
	.target = target,
};
