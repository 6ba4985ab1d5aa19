/* probe_udp.c - the udp probe: one datagram out (RFC 768), one back, which must be exactly
 * the expected bytes; udp.success, udp.reply
 */
//probe:IF_PROBE_UDP(PROBE(udp))
//kbuild:obj-$(CONFIG_PROBE_UDP) += probe_udp.o
//config:config PROBE_UDP
//config:	bool
//config:	select PROBE
//config:	help
//config:	  Send a datagram to HOST:PORT and compare the reply. conn-check's udp checks.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"

#define UDP_MAX 65536

struct probe_udp {
	struct probe_hp hp;
	struct probe_bytes send, expect;
};

static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_udp),
	PROBE_F(struct probe_udp, send, "send", NULL, PF_BYTES, PF_REQUIRED, NULL),
	PROBE_F(struct probe_udp, expect, "expect", NULL, PF_BYTES, PF_REQUIRED, NULL),
};

static int check(void *spec, char *err, size_t errlen)
{
	const struct probe_udp *s = spec;

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	if (s->send.len > UDP_MAX || s->expect.len > UDP_MAX)
		return snprintf(err, errlen, "send/expect longer than a datagram"), -1;
	return 0;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_udp *s = spec;
	struct conn c;
	char port[8], *buf = xmalloc(UDP_MAX + 1);
	ssize_t n = -1;
	int ok = 0;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	record_set_bool(r, "udp.success", 0);
	if (conn_open_udp(&c, s->hp.host, port, &s->hp.base.conn, deadline) < 0 ||
	    conn_write(&c, s->send.p, s->send.len) < 0 || (n = conn_read(&c, buf, UDP_MAX)) < 0) {
		double t = deadline_seconds(deadline);
		if (c.err == CONN_E_TIMEOUT && n < 0 && c.fd >= 0 && t >= 0)
			probe_error(r, "timeout after %gs waiting for a reply from %s", t, c.addr);
		else
			probe_error(r, "%s", c.errmsg);
	} else {
		record_set_strn(r, "udp.reply", buf, (size_t)n);
		ok = (size_t)n == s->expect.len && !memcmp(buf, s->expect.p, s->expect.len);
		if (!ok)
			probe_error(r, "unexpected reply");
	}
	record_set_bool(r, "udp.success", ok);
	conn_close(&c);
	free(buf);
	return ok;
}

const struct probe_type probe_udp = {
	.name = "udp",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_udp),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
