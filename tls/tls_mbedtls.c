/* tls_mbedtls.c - the TLS interface of tls.h on mbedTLS 3.6 (RFC 5246, RFC 8446, RFC 6066)
 *
 * Verification is deferred with MBEDTLS_SSL_VERIFY_OPTIONAL: the handshake completes and
 * mbedtls_ssl_get_verify_result() is mapped to our TLS_V_* flags afterwards; tls_handshake()
 * fails on them unless defer_verify (deferring lets the reason name the certificate's dates).
 *
 * Trust anchors are looked up, not preloaded: the CA files are split into DER certificates,
 * each one's subject noted, once per process (tls_ca_store()); the CA callback parses just
 * the ones whose subject is the child's issuer, byte for byte (a system bundle holds ~150
 * roots, a chain needs one).
 */
#include "tls.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "../lib/util.h"
#include "cert.h"

#define CA_FILE_MAX (8u << 20)	/* a system bundle is ~220 KB; 8 MB is a sane ceiling */
#define KEY_FILE_MAX (1u << 20)
#define ALPN_MAX 8
#define CA_CERTS_MAX 8192	/* certificates in all CA files of one client */
#define CA_BYTES_MAX (32u << 20)	/* their DER, all together */

const int tls_available = 1;

/* The entropy source (MBEDTLS_ENTROPY_HARDWARE_ALT in mbedtls_config.h): the kernel's
 * getrandom(), so a root without /dev (a scratch image, a chroot) still has randomness. */
int mbedtls_hardware_poll(void *data, unsigned char *out, size_t len, size_t *olen);
int mbedtls_hardware_poll(void *data, unsigned char *out, size_t len, size_t *olen)
{
	ssize_t n;

	(void)data;
	do
		n = getrandom(out, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
	*olen = (size_t)n;
	return 0;
}
const char tls_backend_name[] = "mbedTLS " MBEDTLS_VERSION_STRING;

/* one trust anchor, unparsed */
struct ca_ent {
	unsigned char *der;
	size_t len;
	size_t subj_off, subj_len;	/* the subject Name's TLV inside der */
};

/* read-only once built, so the concurrent handshakes that share it need no lock */
struct ca_store {
	struct ca_ent *e;
	size_t n, cap, bytes;
};

struct tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_entropy_context ent;
	struct ca_store *ca;	/* the process's (tls_ca_store()); NULL when insecure */
	void *ca_own;		/* set when ca is this client's own, to free */
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
	int fd;
	int verify;
	int defer;		/* a bad certificate does not fail tls_handshake() */
	int done;		/* handshake completed */
	int ciphers[64];
	const char *alpn[ALPN_MAX + 1];
	char alpn_buf[256];
};

static void mbed_err(int rc, char *err, size_t len)
{
	const char *s;

	switch (rc) {
	case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: s = "the server sent a fatal alert"; break;
	case MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE: s = "handshake failure (no common cipher, version or group)"; break;
	case MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION: s = "no common protocol version"; break;
	case MBEDTLS_ERR_SSL_CONN_EOF: s = "the server closed the connection"; break;
	case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY: s = "the server closed the connection"; break;
	case MBEDTLS_ERR_SSL_INVALID_RECORD: s = "not a TLS server (invalid record)"; break;
	case MBEDTLS_ERR_SSL_DECODE_ERROR: s = "malformed handshake message"; break;
	case MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER: s = "illegal parameter in handshake"; break;
	case MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE: s = "unexpected handshake message"; break;
	case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE: s = "no client certificate"; break;
	case MBEDTLS_ERR_SSL_BAD_CERTIFICATE: s = "bad certificate"; break;
	case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED: s = "certificate verification failed"; break;
	/* what a chain of more than MBEDTLS_X509_MAX_INTERMEDIATE_CA (8) intermediates ends in */
	case MBEDTLS_ERR_X509_FATAL_ERROR: s = "certificate chain too long (more than 8 intermediates)"; break;
	case MBEDTLS_ERR_NET_RECV_FAILED: s = "receive failed"; break;
	case MBEDTLS_ERR_NET_SEND_FAILED: s = "send failed"; break;
	case MBEDTLS_ERR_NET_CONN_RESET: s = "connection reset by peer"; break;
	case MBEDTLS_ERR_SSL_TIMEOUT: s = "timeout"; break;
	default: s = NULL;
	}
	if (s)
		str_copy(err, len, s);
	else
		snprintf(err, len, "mbedTLS error -0x%04X", (unsigned)-rc);
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls *t = ctx;
	ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	return errno == ECONNRESET || errno == EPIPE ? MBEDTLS_ERR_NET_CONN_RESET
						     : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct tls *t = ctx;
	ssize_t n = recv(t->fd, buf, len, 0);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EINTR)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
}

/* wait for what mbedTLS asked for; 0 ready, -1 deadline */
static int wait_io(struct tls *t, int rc, int64_t deadline)
{
	struct pollfd pfd = { .fd = t->fd };
	int r;

	pfd.events = rc == MBEDTLS_ERR_SSL_WANT_WRITE ? POLLOUT : POLLIN;
	do
		r = poll(&pfd, 1, ms_left(deadline));
	while (r < 0 && errno == EINTR);
	return r > 0 ? 0 : -1;
}

static int want(int rc)
{
	return rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE ||
	       rc == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET ||
	       rc == MBEDTLS_ERR_SSL_RECEIVED_EARLY_DATA;
}

/* keep der (a copy) if it reads as a certificate: 1 kept, 0 skipped (as mbedTLS skips a
 * certificate it cannot parse), -1 over the store's bounds (err filled) */
static int ca_add(struct ca_store *s, const unsigned char *der, size_t len, char *err, size_t errlen)
{
	struct cert_info ci;
	struct ca_ent *e;

	if (cert_parse(der, len, &ci) < 0)
		return 0;
	if (s->n >= CA_CERTS_MAX || ci.len > CA_BYTES_MAX - s->bytes) {
		snprintf(err, errlen, "too many CA certificates (at most %u, %u MB)", CA_CERTS_MAX,
			 CA_BYTES_MAX >> 20);
		return -1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
	}
	e = &s->e[s->n++];
	e->der = xmalloc(ci.len);
	memcpy(e->der, der, ci.len);
	e->len = ci.len;
	e->subj_off = (size_t)(ci.subject_der.p - der);
	e->subj_len = ci.subject_der.len;
	s->bytes += ci.len;
	return 1;
}

/* the certificates of one file's text (NUL-terminated, len without the NUL): PEM
 * CERTIFICATE blocks, or one DER certificate when there is no PEM (what
 * mbedtls_x509_crt_parse() took); how many were kept, -1 over the bounds */
static long ca_add_text(struct ca_store *s, const char *buf, size_t len, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	struct cert_pem b;
	long kept = 0;
	int r;

	if (!strstr(buf, "-----BEGIN CERTIFICATE-----"))
		return ca_add(s, (const unsigned char *)buf, len, err, errlen);
	while ((r = cert_pem_next(&p, end, &b)) > 0) {
		size_t cap = b.body_len / 4 * 3 + 3;
		unsigned char *der;
		long n;

		if (!cert_pem_is(&b, "CERTIFICATE") || b.headers)
			continue;
		der = xmalloc(cap);
		n = cert_b64_decode(b.body, b.body_len, der, cap);
		r = n < 0 ? 0 : ca_add(s, der, (size_t)n, err, errlen);
		free(der);
		if (r < 0)
			return -1;
		kept += r;
	}
	return kept;
}

static int load_ca_file(struct ca_store *s, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = read_file(path, CA_FILE_MAX, &len);
	long n;

	if (!buf) {
		snprintf(err, errlen, "cannot read CA file %s: %s", path, strerror(errno));
		return -1;
	}
	n = ca_add_text(s, buf, len, err, errlen);
	free(buf);
	if (n < 0)
		return -1;
	if (n == 0) {
		snprintf(err, errlen, "no usable certificate in CA file %s", path);
		return -1;
	}
	return 0;
}

static int load_ca_dir(struct ca_store *s, const char *path, char *err, size_t errlen)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char file[4096];
	int any = 0;

	if (!d) {
		snprintf(err, errlen, "cannot open CA directory %s: %s", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;
		size_t len;
		char *buf;
		long n;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", path, e->d_name) >= (int)sizeof(file))
			continue;
		/* hashed links and bundles both point at the same certs: split regular PEM files
		 * once each; ca_lookup() skips the duplicates */
		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)CA_FILE_MAX)
			continue;
		buf = read_file(file, CA_FILE_MAX, &len);
		if (!buf)
			continue;
		n = strstr(buf, "-----BEGIN CERTIFICATE-----") ? ca_add_text(s, buf, len, err, errlen) : 0;
		free(buf);
		if (n < 0) {
			closedir(d);
			return -1;
		}
		any |= n > 0;
	}
	closedir(d);
	if (!any) {
		snprintf(err, errlen, "no usable certificate in CA directory %s", path);
		return -1;
	}
	return 0;
}

void tls_ca_free(void *store)
{
	struct ca_store *s = store;

	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].der);
	free(s->e);
	free(s);
}

void *tls_ca_load(const char *file, const char *dir, char *err, size_t errlen)
{
	struct ca_store *s = xzalloc(sizeof(*s));

	if ((file && load_ca_file(s, file, err, errlen) < 0) ||
	    (dir && load_ca_dir(s, dir, err, errlen) < 0)) {
		tls_ca_free(s);
		return NULL;
	}
	return s;
}

/* the stored certificate byte-identical to c, or NULL */
static const struct ca_ent *ca_find_exact(const struct ca_store *s, const mbedtls_x509_crt *c)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].len == c->raw.len && !memcmp(s->e[i].der, c->raw.p, c->raw.len))
			return &s->e[i];
	return NULL;
}

static int self_issued(const mbedtls_x509_crt *c)
{
	return c->issuer_raw.len == c->subject_raw.len &&
	       !memcmp(c->issuer_raw.p, c->subject_raw.p, c->issuer_raw.len);
}

/* mbedtls_x509_crt_ca_cb_t: the stored certificates whose subject is child's issuer, parsed
 * into a list the caller owns and frees (mbedtls_x509_crt_free, then mbedtls_free) */
static int ca_lookup(void *ctx, const mbedtls_x509_crt *child, mbedtls_x509_crt **out)
{
	const struct ca_store *s = ctx;
	mbedtls_x509_crt *head;

	*out = NULL;
	/* a self-issued leaf found verbatim in the store is trusted as it is, with no parent:
	 * mbedTLS does that only with a static CA list, so vrfy() clears the "not trusted" this
	 * empty answer gives (self-signed certificates pinned as their own CA) */
	if (self_issued(child) && ca_find_exact(s, child))
		return 0;
	head = mbedtls_calloc(1, sizeof(*head));
	if (!head)
		return MBEDTLS_ERR_X509_ALLOC_FAILED;
	mbedtls_x509_crt_init(head);
	for (size_t i = 0; i < s->n; i++) {
		const struct ca_ent *e = &s->e[i];
		size_t j;
		int rc;

		if (e->subj_len != child->issuer_raw.len ||
		    memcmp(e->der + e->subj_off, child->issuer_raw.p, e->subj_len))
			continue;
		for (j = 0; j < i; j++)	/* the same root through a bundle and a hashed link */
			if (s->e[j].len == e->len && !memcmp(s->e[j].der, e->der, e->len))
				break;
		if (j < i)
			continue;
		/* appends to head's list; a certificate mbedTLS rejects is skipped, as before */
		rc = mbedtls_x509_crt_parse_der(head, e->der, e->len);
		if (rc == MBEDTLS_ERR_X509_ALLOC_FAILED) {
			mbedtls_x509_crt_free(head);
			mbedtls_free(head);
			return rc;
		}
	}
	if (head->version == 0) {
		mbedtls_x509_crt_free(head);
		mbedtls_free(head);
		return 0;
	}
	*out = head;
	return 0;
}

/* see ca_lookup(): a self-issued leaf that is itself in the store is trusted */
static int vrfy(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	const struct ca_store *s = ctx;

	if (depth == 0 && (*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) && self_issued(crt) &&
	    ca_find_exact(s, crt))
		*flags &= ~(uint32_t)MBEDTLS_X509_BADCERT_NOT_TRUSTED;
	return 0;
}

/* "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" or mbedTLS's dashed name -> suite id, 0 unknown */
static int suite_id(const char *name, size_t n)
{
	char b[96];
	size_t i;
	int id;

	if (n >= sizeof(b))
		return 0;
	for (i = 0; i < n; i++)
		b[i] = name[i] == '_' ? '-' : name[i];
	b[n] = 0;
	id = mbedtls_ssl_get_ciphersuite_id(b);
	if (!id && !strncmp(b, "TLS-AES", 7)) {	/* TLS 1.3 names: TLS1-3-AES-... */
		char b13[100];
		snprintf(b13, sizeof(b13), "TLS1-3-%s", b + 4);
		id = mbedtls_ssl_get_ciphersuite_id(b13);
	} else if (!id && !strncmp(b, "TLS-CHACHA20", 12)) {
		char b13[100];
		snprintf(b13, sizeof(b13), "TLS1-3-%s", b + 4);
		id = mbedtls_ssl_get_ciphersuite_id(b13);
	}
	return id;
}

static int set_ciphers(struct tls *t, const char *list, char *err, size_t errlen)
{
	size_t n = 0;
	const char *p = list;

	while (*p) {
		size_t l = strcspn(p, ":, ");
		if (l) {
			int id = suite_id(p, l);
			if (!id) {
				snprintf(err, errlen, "unknown or unsupported cipher suite: %.*s", (int)l, p);
				return -1;
			}
			if (n + 1 >= ARRAY_LEN(t->ciphers)) {
				snprintf(err, errlen, "too many cipher suites");
				return -1;
			}
			t->ciphers[n++] = id;
		}
		p += l;
		if (*p)
			p++;
	}
	if (!n) {
		snprintf(err, errlen, "empty cipher suite list");
		return -1;
	}
	t->ciphers[n] = 0;
	mbedtls_ssl_conf_ciphersuites(&t->conf, t->ciphers);
	return 0;
}

static int set_alpn(struct tls *t, const char *list)
{
	size_t n = tls_split_list(list, t->alpn_buf, sizeof(t->alpn_buf), t->alpn, ALPN_MAX);

	t->alpn[n] = NULL;
	return n && mbedtls_ssl_conf_alpn_protocols(&t->conf, t->alpn) == 0 ? 0 : -1;
}

static mbedtls_ssl_protocol_version ver(int v, int dflt)
{
	if (v == TLS_VER_1_2)
		return MBEDTLS_SSL_VERSION_TLS1_2;
	if (v == TLS_VER_1_3)
		return MBEDTLS_SSL_VERSION_TLS1_3;
	return dflt;
}

/* Key exchange groups, in order (TLS 1.3 sends one key share, for the first): P-256 before
 * X25519 because in mbedTLS it is the cheaper, with NIST_OPTIM and the generator's
 * fixed-point table: 17 % fewer instructions a verified check (docs/tls-tuning.md). */
static const uint16_t groups[] = {
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1, MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
	MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1, MBEDTLS_SSL_IANA_TLS_GROUP_NONE
};

static int psa_status = PSA_ERROR_BAD_STATE;

static void psa_once(void)
{
	psa_status = psa_crypto_init();
}

struct tls *tls_new(const struct tls_opts *o, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct tls *t;
	int rc;

	/* once per process, whichever thread comes first */
	pthread_once(&once, psa_once);
	if (psa_status != PSA_SUCCESS) {
		snprintf(err, errlen, "cannot initialise the crypto library");
		return NULL;
	}
	t = xzalloc(sizeof(*t));
	t->fd = -1;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_ctr_drbg_init(&t->drbg);
	mbedtls_entropy_init(&t->ent);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_pk_init(&t->key);

	if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->ent,
				  (const unsigned char *)"probebox", 8) != 0) {
		snprintf(err, errlen, "cannot seed the random generator");
		goto fail;
	}
	if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
		snprintf(err, errlen, "cannot set up TLS defaults");
		goto fail;
	}
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
	mbedtls_ssl_conf_groups(&t->conf, groups);
	mbedtls_ssl_conf_min_tls_version(&t->conf, ver(o->min_version, MBEDTLS_SSL_VERSION_TLS1_2));
	mbedtls_ssl_conf_max_tls_version(&t->conf, ver(o->max_version, MBEDTLS_SSL_VERSION_TLS1_3));
	if (o->min_version && o->max_version && o->min_version > o->max_version) {
		snprintf(err, errlen, "minimum TLS version is above the maximum");
		goto fail;
	}

	t->verify = !o->insecure;
	t->defer = o->defer_verify;
	if (t->verify) {
		t->ca = tls_ca_store(o, &t->ca_own, err, errlen);
		if (!t->ca)
			goto fail;
		mbedtls_ssl_conf_ca_cb(&t->conf, ca_lookup, t->ca);
		mbedtls_ssl_conf_verify(&t->conf, vrfy, t->ca);
		mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
	} else {
		mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
	}

	if (o->cert_file) {
		const char *kf = o->key_file ? o->key_file : o->cert_file;
		size_t len;
		char *buf = read_file(o->cert_file, KEY_FILE_MAX, &len);

		if (!buf) {
			snprintf(err, errlen, "cannot read certificate %s: %s", o->cert_file, strerror(errno));
			goto fail;
		}
		rc = mbedtls_x509_crt_parse(&t->cert, (unsigned char *)buf, len + 1);
		free(buf);
		if (rc != 0 && t->cert.version == 0) {
			snprintf(err, errlen, "no usable certificate in %s", o->cert_file);
			goto fail;
		}
		buf = read_file(kf, KEY_FILE_MAX, &len);
		if (!buf) {
			snprintf(err, errlen, "cannot read key %s: %s", kf, strerror(errno));
			goto fail;
		}
		rc = mbedtls_pk_parse_key(&t->key, (unsigned char *)buf, len + 1, NULL, 0,
					  mbedtls_ctr_drbg_random, &t->drbg);
		memset(buf, 0, len);
		free(buf);
		if (rc != 0) {
			snprintf(err, errlen, "cannot parse key %s (unencrypted PEM RSA or EC expected)", kf);
			goto fail;
		}
		if (mbedtls_ssl_conf_own_cert(&t->conf, &t->cert, &t->key) != 0) {
			snprintf(err, errlen, "certificate and key do not go together");
			goto fail;
		}
	}
	if (o->ciphers && set_ciphers(t, o->ciphers, err, errlen) < 0)
		goto fail;
	if (o->alpn && *o->alpn && set_alpn(t, o->alpn) < 0) {
		snprintf(err, errlen, "bad ALPN list");
		goto fail;
	}
	if (mbedtls_ssl_setup(&t->ssl, &t->conf) != 0) {
		snprintf(err, errlen, "cannot set up the TLS context");
		goto fail;
	}
	/* always set: it sends SNI and names the host to verify; without a name, skip the name
	 * check explicitly and still verify the chain (since 3.6.3 mbedTLS fails a verifying
	 * handshake when no name was set at all) */
	if (mbedtls_ssl_set_hostname(&t->ssl, o->host && *o->host ? o->host : NULL) != 0) {
		snprintf(err, errlen, "bad host name for TLS");
		goto fail;
	}
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return t;
fail:
	tls_free(t);
	return NULL;
}

int tls_handshake(struct tls *t, int fd, int64_t deadline, char *err, size_t errlen)
{
	int rc;

	t->fd = fd;
	while ((rc = mbedtls_ssl_handshake(&t->ssl)) != 0) {
		if (!want(rc)) {
			mbed_err(rc, err, errlen);
			return -1;
		}
		if (wait_io(t, rc, deadline) < 0) {
			snprintf(err, errlen, "timeout");
			return -1;
		}
	}
	t->done = 1;
	return t->defer ? 0 : tls_refuse_unverified(t, err, errlen);
}

ssize_t tls_read(struct tls *t, void *buf, size_t len, int64_t deadline, char *err, size_t errlen)
{
	for (;;) {
		int rc = mbedtls_ssl_read(&t->ssl, buf, len);
		if (rc >= 0)
			return rc;
		if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF)
			return 0;
		if (!want(rc)) {
			mbed_err(rc, err, errlen);
			return -1;
		}
		if (rc != MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET && wait_io(t, rc, deadline) < 0) {
			snprintf(err, errlen, "timeout");
			return -1;
		}
	}
}

ssize_t tls_write(struct tls *t, const void *buf, size_t len, int64_t deadline, char *err,
		  size_t errlen)
{
	const unsigned char *p = buf;
	size_t done = 0;

	while (done < len) {
		int rc = mbedtls_ssl_write(&t->ssl, p + done, len - done);
		if (rc > 0) {
			done += (size_t)rc;
			continue;
		}
		if (!want(rc)) {
			mbed_err(rc, err, errlen);
			return -1;
		}
		if (wait_io(t, rc, deadline) < 0) {
			snprintf(err, errlen, "timeout");
			return -1;
		}
	}
	return (ssize_t)done;
}

size_t tls_pending(struct tls *t)
{
	return mbedtls_ssl_get_bytes_avail(&t->ssl);
}

unsigned tls_verify_result(struct tls *t)
{
	uint32_t f;
	unsigned r = 0;

	if (!t->verify || !t->done)
		return 0;
	if (!mbedtls_ssl_get_peer_cert(&t->ssl))
		return TLS_V_NO_CERT;
	f = mbedtls_ssl_get_verify_result(&t->ssl);
	if (f == 0)
		return 0;
	if (f == (uint32_t)-1)
		return TLS_V_OTHER;
	if (f & MBEDTLS_X509_BADCERT_EXPIRED)
		r |= TLS_V_EXPIRED;
	if (f & MBEDTLS_X509_BADCERT_FUTURE)
		r |= TLS_V_NOT_YET_VALID;
	if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		r |= TLS_V_UNTRUSTED;
	if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		r |= TLS_V_NAME_MISMATCH;
	if (f & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY))
		r |= TLS_V_BAD_SIG;
	if (f & ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE |
			    MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_CN_MISMATCH |
			    MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK |
			    MBEDTLS_X509_BADCERT_BAD_KEY))
		r |= TLS_V_OTHER;
	return r;
}

void tls_peer_info(struct tls *t, struct tls_peer *p)
{
	const mbedtls_x509_crt *c;
	const char *s;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!t->done)
		return;
	s = mbedtls_ssl_get_version(&t->ssl);
	str_copy(p->version, sizeof(p->version), s ? s : "");
	s = mbedtls_ssl_get_ciphersuite(&t->ssl);
	if (s) {
		/* mbedTLS: "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256", "TLS1-3-AES-128-GCM-SHA256" */
		if (!strncmp(s, "TLS1-3-", 7))
			snprintf(p->cipher, sizeof(p->cipher), "TLS_%s", s + 7);
		else
			str_copy(p->cipher, sizeof(p->cipher), s);
		for (i = 0; p->cipher[i]; i++)
			if (p->cipher[i] == '-')
				p->cipher[i] = '_';
	}
	s = mbedtls_ssl_get_alpn_protocol(&t->ssl);
	str_copy(p->alpn, sizeof(p->alpn), s ? s : "");
	c = mbedtls_ssl_get_peer_cert(&t->ssl);
	if (!c)
		return;
	for (const mbedtls_x509_crt *k = c; k && k->raw.p; k = k->next)
		p->chain_len++;
	tls_peer_from_der(p, c->raw.p, c->raw.len);
}

void tls_free(struct tls *t)
{
	if (!t)
		return;
	if (t->done && t->fd >= 0)
		mbedtls_ssl_close_notify(&t->ssl);	/* best effort, never waits */
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->ent);
	tls_ca_free(t->ca_own);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_pk_free(&t->key);
	free(t);
}
