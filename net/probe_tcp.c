/* probe_tcp.c - the tcp probe: connect (RFC 9293), Happy Eyeballs across the addresses
 * (net/conn), then an orderly close; tcp.success, tcp.ipv6, tcp.con.time.*, tcp.shutdown.time.*
 */
//probe:IF_PROBE_TCP(PROBE(tcp))
//kbuild:obj-$(CONFIG_PROBE_TCP) += probe_tcp.o
//config:config PROBE_TCP
//config:	bool
//config:	select PROBE
//config:	help
//config:	  Connect to HOST:PORT. conn-check's tcp checks, chksrv tcp.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>

#include "../lib/util.h"

struct probe_tcp {
	struct probe_hp hp;
};

static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_tcp),
};

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_tcp *s = spec;
	struct conn c;
	struct probe_stamp st;
	char port[8];

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (!probe_connect(&s->hp.base, &c, s->hp.host, port, deadline, r))
		return 0;
	st = probe_stamp();
	conn_close(&c);
	probe_times(r, "tcp.shutdown.time", st);
	return 1;
}

const struct probe_type probe_tcp = {
	.name = "tcp",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_tcp),
	.check = probe_hp_check,
	.run = run,
	.target = probe_hp_target,
};
