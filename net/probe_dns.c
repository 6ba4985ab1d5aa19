/* probe_dns.c - the dns probe: one query (RFC 1035) over UDP to the server named or the first
 * nameserver of /etc/resolv.conf, again over TCP when the answer is truncated (RFC 7766), read
 * by the codec of net/dns.h; dns.server, dns.rcode, dns.id, dns.flags, dns.truncated,
 * dns.answers, dns.records, dns.time
 */
//probe:IF_PROBE_DNS(PROBE(dns))
//kbuild:obj-$(CONFIG_PROBE_DNS) += probe_dns.o
//config:config PROBE_DNS
//config:	bool "dns probe (+7 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV || CHECK_DNS
//config:	select PROBE
//config:	select DNS
//config:	help
//config:	  Ask a DNS server (the one named, or the first nameserver of
//config:	  /etc/resolv.conf) for a record over UDP, over TCP when the answer is
//config:	  truncated; the rcode and the answers. conn-check's dns checks,
//config:	  chksrv dns, check-dns.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "dns.h"
#include "../lib/util.h"

struct probe_dns {
	struct probe_hp hp;	/* hp.host: the name asked about; hp.port: the server's */
	const char *server;	/* NULL: the first nameserver of /etc/resolv.conf */
	const char *qtype, *qclass;
	int norec;
	struct probe_list expect;
	int type, class;	/* made by check() */
};

#define F(m, y, t, d) PROBE_F(struct probe_dns, m, y, y, t, 0, d)
static const struct probe_field fields[] = {
	PROBE_F(struct probe_dns, hp.host, "host", NULL, PF_STR, PF_REQUIRED, NULL),
	PROBE_FI(struct probe_dns, hp.port, "port", NULL, "53", 1, 65535),
	F(server, "server", PF_STR, NULL),
	F(qtype, "qtype", PF_STR, "A"),
	F(qclass, "qclass", PF_STR, "IN"),
	F(norec, "norec", PF_BOOL, NULL),
	F(expect, "expect", PF_LIST, NULL),
};
#undef F

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_dns *s = spec;
	unsigned char q[DNS_QUERY_MAX];
	const char *what = "qtype", *v = s->qtype;

	if ((s->type = dns_type(v)) >= 0 && (s->class = dns_class(v = s->qclass)) >= 0 &&
	    dns_query(q, v = s->hp.host, 0, 0, 1, 1))
		return 0;
	if (v != s->qtype)
		what = v == s->qclass ? "qclass" : "host";
	/* "qtype: 'X' is not a DNS type", "... class", "host: 'a..b' is not a DNS name" */
	return snprintf(err, errlen, "%s: '%s' is not a DNS %s", what, v,
			v == s->hp.host ? "name" : what + 1), -1;
}

/* "example.test/A@127.0.0.1:53"; without a server (the system's), "example.test/A" */
static void target(const void *spec, char *buf, size_t len)
{
	const struct probe_dns *s = spec;
	int srv = s->server && *s->server;
	int n = snprintf(buf, len, "%s/%s%s", s->hp.host, s->qtype, srv ? "@" : "");
	char port[8];

	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (srv && n > 0 && (size_t)n < len)
		probe_hostport(buf + n, len - (size_t)n, s->server, port);
}

/* the first nameserver of /etc/resolv.conf; 127.0.0.1 without one, as the C resolvers do */
static void resolv_server(char *buf, size_t len)
{
	size_t n;
	char *f = read_file("/etc/resolv.conf", 65536, &n), *save = NULL;

	snprintf(buf, len, "127.0.0.1");
	for (char *l = f ? strtok_r(f, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		l += strspn(l, " \t");
		if (strncmp(l, "nameserver", 10) || (l[10] != ' ' && l[10] != '\t'))
			continue;
		l += 10 + strspn(l + 10, " \t");
		l[strcspn(l, " \t\r#;")] = 0;
		if (*l) {
			str_copy(buf, len, l);
			break;
		}
	}
	free(f);
}

/* exactly n bytes from a stream, within its deadline */
static int read_full(struct conn *c, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = conn_read(c, p, n);
		if (k == 0)
			conn_set_err(c, CONN_E_CLOSED, "the server closed the connection");
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* the query over TCP (2-byte length, then the message), its answer into buf: its length */
static ssize_t ask_tcp(const struct probe_dns *s, struct conn *c, const char *addr,
		       const char *port, const unsigned char *q, size_t qlen, unsigned char *buf,
		       int64_t deadline)
{
	unsigned char out[2 + DNS_QUERY_MAX];
	size_t n;

	out[0] = (unsigned char)(qlen >> 8);
	out[1] = (unsigned char)qlen;
	memcpy(out + 2, q, qlen);
	if (conn_open(c, addr, port, &s->hp.base.conn, deadline) < 0 ||
	    conn_write(c, out, qlen + 2) < 0 || read_full(c, buf, 2) < 0)
		return -1;
	n = (size_t)buf[0] << 8 | buf[1];
	return read_full(c, buf, n) < 0 ? -1 : (ssize_t)n;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_dns *s = spec;
	struct dns_reply *rep = xmalloc(sizeof(*rep));
	unsigned char q[DNS_QUERY_MAX], *buf = xmalloc(DNS_MSG_MAX + 1);
	const char *ans[DNS_RR_MAX], *lines[DNS_RR_MAX];
	char sbuf[256], port[8], hp[300], err[200] = "", b[32], rb[16], addr[sizeof(((struct conn *)0)->addr)];
	const char *server = s->server, *rcode;
	struct conn c;
	uint16_t id;
	size_t qlen;
	ssize_t n = -1;
	int rc = DNS_NOT_OURS, ok = 0, tc = 0;
	double t0 = 0;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id))
		id = (uint16_t)(mono_ms() ^ getpid());
	qlen = dns_query(q, s->hp.host, id, !s->norec, (unsigned)s->type, (unsigned)s->class);
	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (!server || !*server)
		resolv_server(sbuf, sizeof(sbuf)), server = sbuf;
	probe_hostport(hp, sizeof(hp), server, port);
	record_set_str(r, "dns.server", hp);
	record_set_none(r, "dns.rcode");
	if (conn_open_udp(&c, server, port, &s->hp.base.conn, deadline) < 0)
		goto fail;
	t0 = mono_sec();
	if (conn_write(&c, q, qlen) < 0)
		goto fail;
	/* a datagram that is not the answer (another id, another question) may be a stale or
	 * a forged one: it is passed over, and the wait goes on */
	while (rc == DNS_NOT_OURS && (n = conn_read(&c, buf, DNS_MSG_MAX)) >= 0)
		rc = dns_parse(buf, (size_t)n, q, qlen, rep, err, sizeof(err));
	if (n < 0)
		goto fail;
	tc = rc == DNS_OURS && (rep->flags & DNS_TC);
	record_set_bool(r, "dns.truncated", tc);
	if (tc) {	/* over TCP (RFC 7766), to the address that answered */
		memcpy(addr, c.addr, sizeof(addr));
		conn_close(&c);
		if ((n = ask_tcp(s, &c, addr, port, q, qlen, buf, deadline)) < 0)
			goto fail;
		rc = dns_parse(buf, (size_t)n, q, qlen, rep, err, sizeof(err));
	}
	if (rc != DNS_OURS) {
		probe_error(r, "%s: bad reply: %s", hp, err);
		goto out;
	}
	record_set_float(r, "dns.time", mono_sec() - t0);
	record_set_str(r, "dns.rcode", rcode = dns_rcode_name(rep->flags & 15u, rb));
	record_set_int(r, "dns.id", rep->id);
	dns_flags_text(rep->flags, b);
	record_set_str(r, "dns.flags", b);
	for (size_t i = 0; i < rep->n; i++) {
		ans[i] = rep->rr[i].data;
		lines[i] = rep->rr[i].line;
	}
	record_set_list(r, "dns.answers", ans, rep->n);
	record_set_list(r, "dns.records", lines, rep->n);
	if (rep->flags & 15u)
		probe_error(r, "%s answered %s", hp, rcode);
	else if (!(ok = !dns_expect(ans, rep->n, s->expect.v, s->expect.n)))
		probe_error(r, "the answers are not those expected");
	goto out;
fail:
	/* a reply not ours that came before: say what it was */
	probe_error(r, "%s%s: %s%s%s", hp, tc ? " over TCP" : "", c.errmsg,
		    *err ? "; passed over a reply not ours: " : "", err);
out:
	conn_close(&c);
	free(buf);
	free(rep);
	return ok;
}

const struct probe_type probe_dns = {
	.name = "dns",
	.layout = PL_SINGLE,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_dns),
	.check = check,
	.run = run,
	.target = target,
};
