/* tls_common.c - backend-independent TLS helpers: CA store, IP literals, cert fields, verdicts */
#include "tls.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "autoconf.h"
#include "cert.h"
#include "../lib/util.h"

#if ENABLE_TLS
int tls_system_ca(const char **file, const char **dir)
{
	/* bundles first (one read), then hashed directories */
	static const char *const files[] = {
		CONFIG_CA_BUNDLE_PATH,
		"/etc/ssl/certs/ca-certificates.crt",	/* Debian, Ubuntu, Alpine, OpenWrt, distroless */
		"/etc/pki/tls/certs/ca-bundle.crt",	/* RHEL, Fedora */
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
		"/etc/ssl/ca-bundle.pem",		/* openSUSE */
		"/etc/ssl/cert.pem",			/* Alpine, macOS, BSD */
	};
	static const char *const dirs[] = { "/etc/ssl/certs", "/etc/pki/tls/certs" };
	struct stat st;
	const char *e;
	size_t i;

	*file = *dir = NULL;
	e = getenv("SSL_CERT_FILE");
	if (e && *e) {
		*file = e;
		return 0;
	}
	e = getenv("SSL_CERT_DIR");
	if (e && *e) {
		*dir = e;
		return 0;
	}
	for (i = 0; i < ARRAY_LEN(files); i++)
		if (*files[i] && stat(files[i], &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			*file = files[i];
			return 0;
		}
	for (i = 0; i < ARRAY_LEN(dirs); i++)
		if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			*dir = dirs[i];
			return 0;
		}
	return -1;
}

/* The process's trust stores. Each CA choice (file and directory as given, the system store
 * as tls_system_ca() finds it) is built by the backend once, on the first tls_new() that
 * needs it, and kept for the life of the process: never freed, because a handshake on
 * another thread may be reading it, and never changed, so handshakes read it without a
 * lock. The mutex covers only the lookup and the build. A failed build is not kept: the
 * next tls_new() tries again and fails with the same message, as each one did before. */
#define CA_STORES_MAX 8		/* a process uses one or two (conn-check: its path and the system's) */

static struct ca_slot {
	char *file, *dir;	/* the key; NULL for "not given" */
	void *store;
} ca_slots[CA_STORES_MAX];
static size_t ca_nslots;
static unsigned long ca_builds;
static pthread_mutex_t ca_mu = PTHREAD_MUTEX_INITIALIZER;

static int same_path(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

void *tls_ca_store(const struct tls_opts *o, void **own, char *err, size_t errlen)
{
	const char *file = o->ca_file, *dir = o->ca_dir;
	void *st = NULL;
	size_t i;

	*own = NULL;
	if (!file && !dir && tls_system_ca(&file, &dir) < 0) {
		snprintf(err, errlen, "no system CA store found (set SSL_CERT_FILE or give a CA file)");
		return NULL;
	}
	pthread_mutex_lock(&ca_mu);
	for (i = 0; i < ca_nslots && !st; i++)
		if (same_path(ca_slots[i].file, file) && same_path(ca_slots[i].dir, dir))
			st = ca_slots[i].store;
	if (!st && (st = tls_ca_load(file, dir, err, errlen))) {
		ca_builds++;
		if (ca_nslots < CA_STORES_MAX) {
			ca_slots[ca_nslots].file = file ? xstrdup(file) : NULL;
			ca_slots[ca_nslots].dir = dir ? xstrdup(dir) : NULL;
			ca_slots[ca_nslots++].store = st;
		} else {
			*own = st;	/* over the bound: this connection's own, freed with it */
		}
	}
	pthread_mutex_unlock(&ca_mu);
	return st;
}

unsigned long tls_ca_builds(void)
{
	unsigned long n;

	pthread_mutex_lock(&ca_mu);
	n = ca_builds;
	pthread_mutex_unlock(&ca_mu);
	return n;
}
#endif

int tls_is_ip_literal(const char *s)
{
	unsigned char b[16];
	return s && (inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1);
}

size_t tls_split_list(const char *list, char *buf, size_t buflen, const char **names, size_t max)
{
	size_t n = 0, len = strlen(list);
	char *p, *save = NULL;

	if (len >= buflen)
		return 0;
	memcpy(buf, list, len + 1);
	for (p = strtok_r(buf, ",", &save); p && n < max; p = strtok_r(NULL, ",", &save))
		names[n++] = p;
	return n;
}

int tls_peer_from_der(struct tls_peer *p, const unsigned char *der, size_t len)
{
	struct cert_info ci;

	if (cert_parse(der, len, &ci) < 0)
		return -1;
	cert_dn_string(ci.subject, p->subject, sizeof(p->subject));
	cert_dn_string(ci.issuer, p->issuer, sizeof(p->issuer));
	cert_dn_cn(ci.subject, p->subject_cn, sizeof(p->subject_cn));
	cert_dn_cn(ci.issuer, p->issuer_cn, sizeof(p->issuer_cn));
	cert_san_string(ci.san, p->sans, sizeof(p->sans));
	cert_serial_hex(ci.serial, p->serial, sizeof(p->serial));
	p->not_before = ci.not_before;
	p->not_after = ci.not_after;
	return 0;
}

const char *tls_verify_reason(unsigned f)
{
	if (f & TLS_V_NO_CERT)
		return "the server sent no certificate";
	if (f & TLS_V_EXPIRED)
		return "certificate has expired";
	if (f & TLS_V_NOT_YET_VALID)
		return "certificate is not yet valid";
	if (f & TLS_V_UNTRUSTED)
		return "certificate is not trusted (unknown issuer or self-signed)";
	if (f & TLS_V_NAME_MISMATCH)
		return "certificate does not match the host name";
	if (f & TLS_V_BAD_SIG)
		return "certificate has a bad signature or a weak key";
	if (f)
		return "certificate is not valid";
	return "certificate is valid";
}

void tls_describe_failure(unsigned f, const struct tls_peer *p, char *buf, size_t len)
{
	time_t now = time(NULL);
	long days;

	if ((f & TLS_V_EXPIRED) && p && p->not_after) {
		days = (long)((now - p->not_after) / 86400);
		snprintf(buf, len, "certificate has expired %ld day%s ago", days, days == 1 ? "" : "s");
	} else if ((f & TLS_V_NOT_YET_VALID) && p && p->not_before) {
		days = (long)((p->not_before - now + 86399) / 86400);
		snprintf(buf, len, "certificate is not valid for another %ld day%s", days,
			 days == 1 ? "" : "s");
	} else if ((f & TLS_V_NAME_MISMATCH) && !(f & ~TLS_V_NAME_MISMATCH) && p && p->sans[0]) {
		snprintf(buf, len, "certificate does not match the host name (it is for %s)", p->sans);
	} else {
		str_copy(buf, len, tls_verify_reason(f));
	}
}

unsigned tls_verdict(struct tls *t, struct tls_peer *p, char *why, size_t len)
{
	unsigned f = tls_verify_result(t);

	tls_peer_info(t, p);
	if (f)
		tls_describe_failure(f, p, why, len);
	return f;
}

int tls_refuse_unverified(struct tls *t, char *err, size_t errlen)
{
	struct tls_peer p;

	return tls_verdict(t, &p, err, errlen) ? -1 : 0;
}

/* one DNS name pattern against a host, case-insensitive; "*." only as the whole left label */
static int dns_match(const char *pat, size_t plen, const char *host)
{
	size_t hlen = strlen(host);

	if (hlen && host[hlen - 1] == '.')
		hlen--;
	if (plen && pat[plen - 1] == '.')
		plen--;
	if (plen > 2 && pat[0] == '*' && pat[1] == '.') {
		const char *dot = memchr(host, '.', hlen);
		if (!dot || dot == host || !memchr(pat + 2, '.', plen - 2))
			return 0;
		return (size_t)(host + hlen - dot - 1) == plen - 2 &&
		       !strncasecmp(dot + 1, pat + 2, plen - 2);
	}
	return hlen == plen && !strncasecmp(host, pat, plen);
}

static int ip_equal(const char *a, size_t alen, const char *b)
{
	unsigned char x[16], y[16];
	char buf[64];
	int fa, fb;

	if (alen >= sizeof(buf))
		return 0;
	memcpy(buf, a, alen);
	buf[alen] = 0;
	fa = inet_pton(AF_INET, buf, x) == 1 ? 4 : inet_pton(AF_INET6, buf, x) == 1 ? 16 : 0;
	fb = inet_pton(AF_INET, b, y) == 1 ? 4 : inet_pton(AF_INET6, b, y) == 1 ? 16 : 0;
	return fa && fa == fb && !memcmp(x, y, (size_t)fa);
}

/* does a certificate with these SANs ("DNS:a, IP:1.2.3.4", as tls_peer.sans) and subject
 * CN fit host? As Python's match_hostname: an IP literal needs an IP SAN; a name needs a DNS
 * SAN, or the CN when there is no DNS SAN at all */
int tls_name_matches(const char *host, const char *sans, const char *cn)
{
	int ip = tls_is_ip_literal(host), have_dns = 0;
	const char *p = sans;

	while (p && *p) {
		size_t l = strcspn(p, ",");
		if (ip && l > 3 && !strncmp(p, "IP:", 3) && ip_equal(p + 3, l - 3, host))
			return 1;
		if (!ip && l > 4 && !strncmp(p, "DNS:", 4)) {
			have_dns = 1;
			if (dns_match(p + 4, l - 4, host))
				return 1;
		}
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return !ip && !have_dns && cn && *cn && dns_match(cn, strlen(cn), host);
}
