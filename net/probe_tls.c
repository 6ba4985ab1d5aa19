/* probe_tls.c - the tls probe (alias ssl): TCP, then a TLS handshake (RFC 8446, RFC 5246)
 * whose certificate is judged here: the chain unless verification is off, the host name
 * (RFC 6125) unless the caller said not to; the peer's facts go into ssl.* whatever the
 * verdict, so an expired certificate's notAfter can still be read.
 */
//probe:IF_PROBE_TLS(PROBE(tls))
//kbuild:obj-$(CONFIG_PROBE_TLS) += probe_tls.o
//config:config PROBE_TLS
//config:	bool
//config:	select PROBE
//config:	help
//config:	  A TLS handshake with HOST:PORT, certificate verified. conn-check's tls
//config:	  checks, chksrv ssl.
#include "probe.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "autoconf.h"
#include "../lib/util.h"

struct probe_tls {
	struct probe_hp hp;
	int no_verify;			/* disable_tls_verification */
	const char *verify_mode;	/* chksrv: CERT_NONE | CERT_OPTIONAL | CERT_REQUIRED */
	int check_hostname;
	const char *ca;			/* "__sys__", a PEM file or a directory */
	const char *protocol, *ciphers, *verify_flags;
	int use_default_context;
	struct tls_opts o;		/* made by check() */
};

#define F(m, y, p, t, fl, d) PROBE_F(struct probe_tls, m, y, p, t, fl, d)
static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_tls),
	F(no_verify, "disable_tls_verification", NULL, PF_BOOL, 0, NULL),
	F(verify_mode, NULL, "ssl.verify_mode", PF_STR, 0, "CERT_OPTIONAL"),
	F(check_hostname, NULL, "ssl.check_hostname", PF_BOOL, 0, "true"),
	F(ca, NULL, "ssl.ca", PF_STR, 0, "__sys__"),
	F(protocol, NULL, "ssl.protocol", PF_STR, 0, "tls"),
	F(ciphers, NULL, "ssl.ciphers", PF_STR, 0, "ALL"),
	F(verify_flags, NULL, "ssl.verify_flags", PF_STR, 0, "VERIFY_DEFAULT"),
	F(use_default_context, NULL, "ssl.use_default_context", PF_BOOL, 0, "true"),
};
#undef F

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_tls *s = spec;

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	memset(&s->o, 0, sizeof(s->o));
	return probe_tls_options(&s->o, &s->hp.base, s->hp.host, s->no_verify, s->verify_mode, s->ca,
				 s->protocol, s->ciphers, s->verify_flags, s->use_default_context,
				 err, errlen);
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_tls *s = spec;
	struct conn c;
	struct probe_stamp st;
	char port[8];
	int ok;

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (!probe_connect(&s->hp.base, &c, s->hp.host, port, deadline, r)) {
		record_set_bool(r, "ssl.success", 0);
		return 0;
	}
	ok = probe_starttls(&c, &s->o, r);
	if (!ok)
		record_set_bool(r, "ssl.con.cert.matches_hostname", 0);
	else
		ok = probe_tls_verdict(&c, &s->o, s->check_hostname && !s->no_verify, r);
	if (ok) {
		st = probe_stamp();
		conn_close(&c);
		probe_times(r, "ssl.shutdown.time", st);
	}
	conn_close(&c);
	return ok;
}

const struct probe_type probe_tls = {
	.name = "tls",
	.aliases = "ssl",
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_tls),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
