/* tls_bearssl.c - the TLS interface of tls.h on BearSSL 0.6: a trimmed TLS 1.2 client
 * (RFC 5246; ECDHE suites of RFC 8422 with AES-GCM, RFC 5289, and ChaCha20-Poly1305,
 * RFC 7905; SNI, RFC 6066; ALPN, RFC 7301), trust anchors built at run time from PEM
 * (RFC 7468), once per process and CA choice (tls_ca_store()), and deferred X.509
 * verification (RFC 5280, names per RFC 6125).
 *
 * BearSSL has no TLS 1.3. Its minimal X.509 engine stops the handshake on any certificate
 * error; tls.h wants the handshake to complete and the verdict read afterwards (a failure
 * names the certificate's dates, as with mbedTLS), so the engine sees a wrapping X.509
 * class (struct xwrap) that asks the minimal engine, keeps its answer as TLS_V_* flags,
 * and goes on with the end-entity key it decoded itself; tls_handshake() then fails on
 * those flags unless defer_verify.
 */
#include "tls.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <bearssl.h>
/* BearSSL states no version in its sources: scripts/deps.sh writes the tarball's into the
 * tree it unpacks; a tree from elsewhere may lack it */
#if __has_include(<probebox_bearssl_version.h>)
#include <probebox_bearssl_version.h>
#else
#define PROBEBOX_BEARSSL_VERSION "(version unknown)"
#endif

#include "cert.h"
#include "../lib/util.h"

#define CA_FILE_MAX (8u << 20)	/* a system bundle is ~220 KB; 8 MB is a sane ceiling */
#define KEY_FILE_MAX (1u << 20)
#define DER_MAX (64u << 10)	/* one decoded PEM certificate or key */
#define EE_MAX (16u << 10)	/* the server's certificate, kept for tls_peer_info() */
#define TA_DN_MAX 1024		/* a trust anchor's subject DN */
#define CHAIN_MAX 8		/* certificates in the client's chain */
#define ALPN_MAX 8
#define CA_DIR_FILES_MAX 4096

const int tls_available = 1;
const char tls_backend_name[] = "BearSSL " PROBEBOX_BEARSSL_VERSION;

/* the suites of the trimmed profile, in our order of preference (AES-128-GCM first, as
 * the mbedTLS build); ciphers= names select from these, IANA or OpenSSL spelling */
static const struct suite {
	uint16_t id;
	const char *iana, *openssl;
} suites[] = {
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	  "ECDHE-ECDSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	  "ECDHE-RSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305" },
	{ BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	  "ECDHE-ECDSA-AES256-GCM-SHA384" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	  "ECDHE-RSA-AES256-GCM-SHA384" },
};

/* TLS 1.3 suites: known names that this build can never negotiate */
static const char *const tls13_suites[] = {
	"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
	"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
};

/* the X.509 "engine" the SSL engine talks to; vtable first, as BearSSL's classes */
struct xwrap {
	const br_x509_class *vtable;
	br_x509_minimal_context mini;	/* the verdict (only when verifying) */
	br_x509_decoder_context dec;	/* the end-entity key, whatever the verdict */
	int verify;
	const char *ip;			/* an IP literal host: its SAN is checked here */
	unsigned ncerts;
	unsigned flags;			/* TLS_V_* */
	size_t ee_len;
	int ee_over;			/* the certificate was larger than ee[] */
	unsigned char ee[EE_MAX];
};

/* the trust anchors of one CA choice; read-only once built, so the connections that share
 * it (the minimal engine only reads them) need no lock */
struct ta_store {
	br_x509_trust_anchor *ta;
	size_t n, cap;
};

struct tls {
	br_ssl_client_context sc;
	struct xwrap x;
	/* Full duplex (BIDI, 33 KB) rather than MONO (16.7 KB): conn.c reads through a 4 KB
	 * buffer while a record holds up to 16 KB, so decrypted data can still sit in the
	 * engine when an applet writes its next command; a half-duplex engine cannot take
	 * outgoing data then, and the write would wait until the deadline. */
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
	const struct ta_store *ca;	/* the process's (tls_ca_store()); NULL when insecure */
	void *ca_own;			/* set when ca is this client's own, to free */
	br_skey_decoder_context skey;	/* the client key; wiped after the handshake */
	br_x509_certificate chain[CHAIN_MAX];
	size_t nchain;
	uint16_t suite_ids[ARRAY_LEN(suites)];
	const char *alpn[ALPN_MAX];
	char alpn_buf[256];
	char host[256];
	int fd;
	int verify;
	int defer;	/* a bad certificate does not fail tls_handshake() */
	int done;	/* handshake completed */
	int eof;	/* the peer closed (close_notify or TCP EOF) */
	int first;	/* the first byte the server sent, -1 before any */
};

/* --- errors --------------------------------------------------------------------------- */

static const char *alert_name(int a)
{
	switch (a) {
	case 10: return "unexpected message";
	case 20: return "bad record MAC";
	case 22: return "record overflow";
	case 40: return "handshake failure";
	case 42: return "bad certificate";
	case 43: return "unsupported certificate";
	case 46: return "certificate unknown";
	case 47: return "illegal parameter";
	case 48: return "unknown CA";
	case 50: return "decode error";
	case 51: return "decrypt error";
	case 70: return "protocol version";
	case 71: return "insufficient security";
	case 80: return "internal error";
	case 86: return "inappropriate fallback";
	case 109: return "missing extension";
	case 110: return "unsupported extension";
	case 112: return "unrecognized name";
	case 116: return "certificate required";
	case 120: return "no application protocol";
	default: return NULL;
	}
}

static void engine_err(int e, char *err, size_t len)
{
	const char *s;

	if (e >= BR_ERR_RECV_FATAL_ALERT && e < BR_ERR_SEND_FATAL_ALERT) {
		s = alert_name(e - BR_ERR_RECV_FATAL_ALERT);
		snprintf(err, len, "the server sent a fatal alert (%d%s%s)", e - BR_ERR_RECV_FATAL_ALERT,
			 s ? ": " : "", s ? s : "");
		return;
	}
	if (e >= BR_ERR_SEND_FATAL_ALERT) {
		s = alert_name(e - BR_ERR_SEND_FATAL_ALERT);
		snprintf(err, len, "we sent a fatal alert (%d%s%s)", e - BR_ERR_SEND_FATAL_ALERT,
			 s ? ": " : "", s ? s : "");
		return;
	}
	switch (e) {
	case BR_ERR_UNSUPPORTED_VERSION:
	case BR_ERR_BAD_VERSION: s = "no common protocol version (this build speaks TLS 1.2 only)"; break;
	case BR_ERR_BAD_LENGTH:
	case BR_ERR_UNKNOWN_TYPE: s = "not a TLS server (invalid record)"; break;
	case BR_ERR_TOO_LARGE: s = "record too large"; break;
	case BR_ERR_BAD_MAC: s = "bad record MAC"; break;
	case BR_ERR_NO_RANDOM: s = "no random source"; break;
	case BR_ERR_UNEXPECTED: s = "unexpected handshake message"; break;
	case BR_ERR_BAD_HANDSHAKE: s = "malformed handshake message"; break;
	case BR_ERR_BAD_CIPHER_SUITE: s = "the server chose a cipher suite we did not offer"; break;
	case BR_ERR_BAD_SECRENEG: s = "secure renegotiation failed"; break;
	case BR_ERR_EXTRA_EXTENSION: s = "the server sent an extension we did not ask for"; break;
	case BR_ERR_LIMIT_EXCEEDED: s = "the server's key is too large"; break;
	case BR_ERR_BAD_FINISHED: s = "bad Finished message"; break;
	case BR_ERR_INVALID_ALGORITHM: s = "no common curve or signature algorithm"; break;
	case BR_ERR_BAD_SIGNATURE: s = "bad signature on the key exchange"; break;
	case BR_ERR_WRONG_KEY_USAGE: s = "the server's key does not fit the cipher suite"; break;
	case BR_ERR_NO_CLIENT_AUTH: s = "client certificate required or refused"; break;
	case BR_ERR_X509_EMPTY_CHAIN: s = "the server sent no certificate"; break;
	case BR_ERR_X509_UNSUPPORTED:
	case BR_ERR_X509_WRONG_KEY_TYPE: s = "unsupported server key type"; break;
	default: s = NULL;
	}
	if (s)
		str_copy(err, len, s);
	else if (e >= BR_ERR_X509_OK && e < 64)
		snprintf(err, len, "cannot decode the server certificate (BearSSL X.509 error %d)", e);
	else
		snprintf(err, len, "BearSSL error %d", e);
}

/* a BR_ERR_X509_* verdict as TLS_V_* flags; EXPIRED covers both ends of the validity */
static unsigned x509_flags(unsigned e, const struct cert_info *ee, int have_ee)
{
	switch (e) {
	case 0:
	case BR_ERR_X509_OK:
		return 0;
	case BR_ERR_X509_EXPIRED:
		return have_ee && time(NULL) < ee->not_before ? TLS_V_NOT_YET_VALID : TLS_V_EXPIRED;
	case BR_ERR_X509_BAD_SERVER_NAME:
		return TLS_V_NAME_MISMATCH;
	case BR_ERR_X509_NOT_TRUSTED:
	case BR_ERR_X509_DN_MISMATCH:
		return TLS_V_UNTRUSTED;
	case BR_ERR_X509_BAD_SIGNATURE:
	case BR_ERR_X509_WEAK_PUBLIC_KEY:
	case BR_ERR_X509_UNSUPPORTED:
		return TLS_V_BAD_SIG;
	case BR_ERR_X509_EMPTY_CHAIN:
		return TLS_V_NO_CERT;
	default:
		return TLS_V_OTHER;
	}
}

/* --- the wrapping X.509 class ------------------------------------------------------------ */

static struct xwrap *xw(const br_x509_class *const *ctx)
{
	return (struct xwrap *)(void *)(uintptr_t)ctx;
}

static void x_start_chain(const br_x509_class **ctx, const char *server_name)
{
	struct xwrap *x = xw(ctx);
	time_t now = time(NULL);

	x->ncerts = 0;
	x->ee_len = 0;
	x->ee_over = 0;
	x->flags = 0;
	br_x509_decoder_init(&x->dec, NULL, NULL);
	if (x->verify) {
		/* days since 0000-01-01 (proleptic Gregorian) and seconds into the day */
		br_x509_minimal_set_time(&x->mini, (uint32_t)(now / 86400 - cert_days_from_civil(0, 1, 1)),
					 (uint32_t)(now % 86400));
		x->mini.vtable->start_chain(&x->mini.vtable, server_name);
	}
}

static void x_start_cert(const br_x509_class **ctx, uint32_t length)
{
	struct xwrap *x = xw(ctx);

	if (x->verify)
		x->mini.vtable->start_cert(&x->mini.vtable, length);
	if (++x->ncerts == 1 && length > sizeof(x->ee))
		x->ee_over = 1;
}

static void x_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct xwrap *x = xw(ctx);

	if (x->verify)
		x->mini.vtable->append(&x->mini.vtable, buf, len);
	if (x->ncerts != 1)
		return;
	br_x509_decoder_push(&x->dec, buf, len);
	if (!x->ee_over && len <= sizeof(x->ee) - x->ee_len) {
		memcpy(x->ee + x->ee_len, buf, len);
		x->ee_len += len;
	} else {
		x->ee_over = 1;
	}
}

static void x_end_cert(const br_x509_class **ctx)
{
	struct xwrap *x = xw(ctx);

	if (x->verify)
		x->mini.vtable->end_cert(&x->mini.vtable);
}

/* 0 lets the handshake go on: a bad certificate is judged once it is over (tls_handshake(),
 * tls_verify_result()), not here; only a chain without a usable key stops it */
static unsigned x_end_chain(const br_x509_class **ctx)
{
	struct xwrap *x = xw(ctx);
	struct cert_info ci;
	int have_ee;
	unsigned e;

	if (x->ncerts == 0)
		return BR_ERR_X509_EMPTY_CHAIN;
	if (!br_x509_decoder_get_pkey(&x->dec)) {
		e = (unsigned)br_x509_decoder_last_error(&x->dec);
		return e ? e : BR_ERR_X509_UNSUPPORTED;
	}
	if (!x->verify)
		return 0;
	memset(&ci, 0, sizeof(ci));
	have_ee = !x->ee_over && cert_parse(x->ee, x->ee_len, &ci) == 0;
	e = x->mini.vtable->end_chain(&x->mini.vtable);
	x->flags = x509_flags(e, &ci, have_ee);
	/* the minimal engine matches DNS names only: IP literals are ours (RFC 6125 6.2) */
	if (x->ip && !(have_ee && cert_san_has_ip(ci.san, x->ip)))
		x->flags |= TLS_V_NAME_MISMATCH;
	return 0;
}

static const br_x509_pkey *x_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	struct xwrap *x = xw(ctx);
	const br_x509_pkey *k = NULL;

	if (x->verify)
		k = x->mini.vtable->get_pkey(&x->mini.vtable, usages);
	if (k)
		return k;
	/* failed verification, deferred: use the key as the certificate states it */
	if (usages)
		*usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return br_x509_decoder_get_pkey(&x->dec);
}

static const br_x509_class xwrap_vtable = {
	sizeof(struct xwrap), x_start_chain, x_start_cert, x_append, x_end_cert, x_end_chain,
	x_get_pkey
};

/* --- trust anchors --------------------------------------------------------------------- */

struct dn_buf {
	unsigned char b[TA_DN_MAX];
	size_t len;
	int over;
};

static void dn_append(void *ctx, const void *buf, size_t len)
{
	struct dn_buf *d = ctx;

	if (len > sizeof(d->b) - d->len) {
		d->over = 1;
		return;
	}
	memcpy(d->b + d->len, buf, len);
	d->len += len;
}

/* one DER certificate as a trust anchor; -1 if BearSSL cannot use it (DSA, Ed25519, ...) */
static int add_anchor(struct ta_store *s, const unsigned char *der, size_t len)
{
	br_x509_decoder_context dc;
	struct dn_buf dn;
	const br_x509_pkey *pk;
	br_x509_trust_anchor *ta;
	size_t klen;
	unsigned char *mem;

	dn.len = 0;
	dn.over = 0;
	br_x509_decoder_init(&dc, dn_append, &dn);
	br_x509_decoder_push(&dc, der, len);
	pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || dn.over)
		return -1;
	klen = pk->key_type == BR_KEYTYPE_RSA ? pk->key.rsa.nlen + pk->key.rsa.elen : pk->key.ec.qlen;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->ta = xrealloc(s->ta, s->cap * sizeof(*s->ta));
	}
	/* the DN and the key in one block: ta->dn.data is what tls_ca_free() frees */
	mem = xmalloc(dn.len + klen);
	memcpy(mem, dn.b, dn.len);
	ta = &s->ta[s->n++];
	memset(ta, 0, sizeof(*ta));
	ta->dn.data = mem;
	ta->dn.len = dn.len;
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->pkey.key_type = pk->key_type;
	mem += dn.len;
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = memcpy(mem, pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.e = memcpy(mem + pk->key.rsa.nlen, pk->key.rsa.e, pk->key.rsa.elen);
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
	} else {
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.q = memcpy(mem, pk->key.ec.q, pk->key.ec.qlen);
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
	}
	return 0;
}

/* decode one PEM block into der (DER_MAX bytes); its length, or -1 */
static long pem_der(const struct cert_pem *b, unsigned char *der)
{
	if (b->headers || b->body_len / 4 * 3 > DER_MAX + 3)
		return -1;
	return cert_b64_decode(b->body, b->body_len, der, DER_MAX);
}

/* every certificate of a PEM text as a trust anchor; how many were added */
static size_t add_anchors_pem(struct ta_store *s, const char *text, size_t len, unsigned char *der)
{
	const char *p = text, *end = text + len;
	struct cert_pem b;
	size_t n = 0;
	long dl;

	while (cert_pem_next(&p, end, &b) > 0)
		if ((cert_pem_is(&b, "CERTIFICATE") || cert_pem_is(&b, "X509 CERTIFICATE")) &&
		    (dl = pem_der(&b, der)) > 0 && add_anchor(s, der, (size_t)dl) == 0)
			n++;
	return n;
}

static int load_ca_file(struct ta_store *s, const char *path, unsigned char *der, char *err,
			size_t errlen)
{
	size_t len, n;
	char *buf = read_file(path, CA_FILE_MAX, &len);

	if (!buf) {
		snprintf(err, errlen, "cannot read CA file %s: %s", path, strerror(errno));
		return -1;
	}
	n = add_anchors_pem(s, buf, len, der);
	free(buf);
	if (!n) {
		snprintf(err, errlen, "no usable certificate in CA file %s", path);
		return -1;
	}
	return 0;
}

static int load_ca_dir(struct ta_store *s, const char *path, unsigned char *der, char *err,
		       size_t errlen)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct { dev_t dev; ino_t ino; } *seen;
	size_t nseen = 0, any = 0, i;
	char file[4096];

	if (!d) {
		snprintf(err, errlen, "cannot open CA directory %s: %s", path, strerror(errno));
		return -1;
	}
	seen = xmalloc(CA_DIR_FILES_MAX * sizeof(*seen));
	while ((e = readdir(d)) && nseen < CA_DIR_FILES_MAX) {
		struct stat st;
		size_t len;
		char *buf;

		if (e->d_name[0] == '.' ||
		    snprintf(file, sizeof(file), "%s/%s", path, e->d_name) >= (int)sizeof(file))
			continue;
		/* the hashed names are links to the same files: read each file once */
		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)CA_FILE_MAX)
			continue;
		for (i = 0; i < nseen; i++)
			if (seen[i].dev == st.st_dev && seen[i].ino == st.st_ino)
				break;
		if (i < nseen)
			continue;
		seen[nseen].dev = st.st_dev;
		seen[nseen++].ino = st.st_ino;
		buf = read_file(file, CA_FILE_MAX, &len);
		if (!buf)
			continue;
		any += add_anchors_pem(s, buf, len, der);
		free(buf);
	}
	closedir(d);
	free(seen);
	if (!any) {
		snprintf(err, errlen, "no usable certificate in CA directory %s", path);
		return -1;
	}
	return 0;
}

void tls_ca_free(void *store)
{
	struct ta_store *s = store;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->ta[i].dn.data);
	free(s->ta);
	free(s);
}

void *tls_ca_load(const char *file, const char *dir, char *err, size_t errlen)
{
	struct ta_store *s = xzalloc(sizeof(*s));
	unsigned char *der = xmalloc(DER_MAX);

	if ((file && load_ca_file(s, file, der, err, errlen) < 0) ||
	    (dir && load_ca_dir(s, dir, der, err, errlen) < 0)) {
		tls_ca_free(s);
		s = NULL;
	}
	free(der);
	return s;
}

/* Record protection, one implementation each (the default setters link every one and
 * pick at run time): constant-time bitsliced AES and carry-less-multiply GHASH in plain C
 * for GCM, ChaCha20 and Poly1305 in plain C. AES-NI/PCLMUL and SSE2 would add 5.9 kB for
 * 2 % fewer instructions a check (docs/tls-tuning.md); a probe moves a few kB of data. */
static void set_aead(br_ssl_engine_context *eng)
{
	br_ssl_engine_set_gcm(eng, &br_sslrec_in_gcm_vtable, &br_sslrec_out_gcm_vtable);
#if ULONG_MAX > 0xffffffffUL
	br_ssl_engine_set_aes_ctr(eng, &br_aes_ct64_ctr_vtable);
	br_ssl_engine_set_ghash(eng, br_ghash_ctmul64);
#else
	br_ssl_engine_set_aes_ctr(eng, &br_aes_ct_ctr_vtable);
	br_ssl_engine_set_ghash(eng, br_ghash_ctmul);
#endif
	br_ssl_engine_set_chapol(eng, &br_sslrec_in_chapol_vtable, &br_sslrec_out_chapol_vtable);
	br_ssl_engine_set_chacha20(eng, br_chacha20_ct_run);
#ifdef __SIZEOF_INT128__	/* as BearSSL's own test for ctmulq */
	br_ssl_engine_set_poly1305(eng, br_poly1305_ctmulq_run);
#else
	br_ssl_engine_set_poly1305(eng, br_poly1305_ctmul_run);
#endif
}

/* --- client certificate and key -------------------------------------------------------- */

static int load_client_cert(struct tls *t, const struct tls_opts *o, unsigned char *der,
			    char *err, size_t errlen)
{
	const char *kf = o->key_file ? o->key_file : o->cert_file, *p, *end;
	struct cert_pem b;
	size_t len;
	long dl;
	int type = 0, enc = 0;
	char *buf = read_file(o->cert_file, KEY_FILE_MAX, &len);

	if (!buf) {
		snprintf(err, errlen, "cannot read certificate %s: %s", o->cert_file, strerror(errno));
		return -1;
	}
	for (p = buf, end = buf + len; t->nchain < CHAIN_MAX && cert_pem_next(&p, end, &b) > 0;)
		if (cert_pem_is(&b, "CERTIFICATE") && (dl = pem_der(&b, der)) > 0) {
			t->chain[t->nchain].data = memcpy(xmalloc((size_t)dl), der, (size_t)dl);
			t->chain[t->nchain++].data_len = (size_t)dl;
		}
	free(buf);
	if (!t->nchain) {
		snprintf(err, errlen, "no usable certificate in %s", o->cert_file);
		return -1;
	}
	buf = read_file(kf, KEY_FILE_MAX, &len);
	if (!buf) {
		snprintf(err, errlen, "cannot read key %s: %s", kf, strerror(errno));
		return -1;
	}
	/* PKCS#8 or the traditional RSA / EC forms; the skey decoder takes all three */
	for (p = buf, end = buf + len; !type && cert_pem_next(&p, end, &b) > 0;) {
		if (cert_pem_is(&b, "ENCRYPTED PRIVATE KEY") ||
		    ((cert_pem_is(&b, "RSA PRIVATE KEY") || cert_pem_is(&b, "EC PRIVATE KEY")) && b.headers)) {
			enc = 1;
			continue;
		}
		if (!cert_pem_is(&b, "PRIVATE KEY") && !cert_pem_is(&b, "RSA PRIVATE KEY") &&
		    !cert_pem_is(&b, "EC PRIVATE KEY"))
			continue;
		dl = pem_der(&b, der);
		if (dl > 0) {
			br_skey_decoder_init(&t->skey);
			br_skey_decoder_push(&t->skey, der, (size_t)dl);
			type = br_skey_decoder_key_type(&t->skey);
		}
		explicit_bzero(der, DER_MAX);
	}
	explicit_bzero(buf, len);
	free(buf);
	if (type == BR_KEYTYPE_RSA) {
		br_ssl_client_set_single_rsa(&t->sc, t->chain, t->nchain, br_skey_decoder_get_rsa(&t->skey),
					     br_rsa_i31_pkcs1_sign);
	} else if (type == BR_KEYTYPE_EC) {
		br_ssl_client_set_single_ec(&t->sc, t->chain, t->nchain, br_skey_decoder_get_ec(&t->skey),
					    BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, &br_ec_all_m31,
					    br_ecdsa_i31_sign_asn1);
	} else {
		snprintf(err, errlen, enc ? "cannot use key %s: encrypted keys are not supported"
					  : "cannot parse key %s (unencrypted PEM RSA or EC expected)", kf);
		return -1;
	}
	return 0;
}

/* --- options ---------------------------------------------------------------------------- */

static int set_ciphers(struct tls *t, const char *list, size_t *n, char *err, size_t errlen)
{
	const char *p = list;
	int tls13 = 0;

	*n = 0;
	while (*p) {
		size_t l = strcspn(p, ":, "), i;

		for (i = 0; l && i < ARRAY_LEN(suites); i++)
			if ((strlen(suites[i].iana) == l && !strncmp(p, suites[i].iana, l)) ||
			    (strlen(suites[i].openssl) == l && !strncmp(p, suites[i].openssl, l)))
				break;
		if (l && i < ARRAY_LEN(suites)) {
			size_t k;
			for (k = 0; k < *n && t->suite_ids[k] != suites[i].id; k++)
				;
			if (k == *n)
				t->suite_ids[(*n)++] = suites[i].id;
		} else if (l) {
			for (i = 0; i < ARRAY_LEN(tls13_suites); i++)
				if (strlen(tls13_suites[i]) == l && !strncmp(p, tls13_suites[i], l))
					break;
			if (i == ARRAY_LEN(tls13_suites)) {
				snprintf(err, errlen, "unknown or unsupported cipher suite: %.*s", (int)l, p);
				return -1;
			}
			tls13 = 1;	/* skipped: harmless in a list that also names 1.2 suites */
		}
		p += l;
		if (*p)
			p++;
	}
	if (!*n) {
		snprintf(err, errlen, tls13 ? "TLS 1.3 cipher suites are not supported by the BearSSL build"
					    : "empty cipher suite list");
		return -1;
	}
	return 0;
}

static int set_alpn(struct tls *t, const char *list, char *err, size_t errlen)
{
	size_t n = tls_split_list(list, t->alpn_buf, sizeof(t->alpn_buf), t->alpn, ALPN_MAX);

	if (!n) {
		snprintf(err, errlen, "bad ALPN list");
		return -1;
	}
	br_ssl_engine_set_protocol_names(&t->sc.eng, t->alpn, n);
	return 0;
}

/* the trimmed profile: TLS 1.2, ECDHE_ECDSA / ECDHE_RSA, AES-GCM and ChaCha20-Poly1305,
 * SHA-256/384 (512 costs nothing more), RSA i31, EC m31 (P-256/384/521, X25519) */
static void profile(struct tls *t, size_t nsuites)
{
	static const struct {
		int id;
		const br_hash_class *impl;
	} hashes[] = {
		{ br_sha256_ID, &br_sha256_vtable },
		{ br_sha384_ID, &br_sha384_vtable },
		{ br_sha512_ID, &br_sha512_vtable },
	};
	br_ssl_engine_context *eng = &t->sc.eng;
	size_t i;

	br_ssl_client_zero(&t->sc);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, t->suite_ids, nsuites);
	br_ssl_engine_set_ec(eng, &br_ec_all_m31);
	br_ssl_engine_set_rsavrfy(eng, br_rsa_i31_pkcs1_vrfy);
	br_ssl_engine_set_ecdsa(eng, br_ecdsa_i31_vrfy_asn1);
	br_ssl_engine_set_prf_sha256(eng, br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, br_tls12_sha384_prf);
	set_aead(eng);
	br_x509_minimal_init(&t->x.mini, &br_sha256_vtable, t->ca ? t->ca->ta : NULL,
			     t->ca ? t->ca->n : 0);
	br_x509_minimal_set_rsa(&t->x.mini, br_rsa_i31_pkcs1_vrfy);
	br_x509_minimal_set_ecdsa(&t->x.mini, &br_ec_all_m31, br_ecdsa_i31_vrfy_asn1);
	for (i = 0; i < ARRAY_LEN(hashes); i++) {
		br_ssl_engine_set_hash(eng, hashes[i].id, hashes[i].impl);
		br_x509_minimal_set_hash(&t->x.mini, hashes[i].id, hashes[i].impl);
	}
	t->x.vtable = &xwrap_vtable;
	br_ssl_engine_set_x509(eng, &t->x.vtable);
	br_ssl_engine_set_buffer(eng, t->iobuf, sizeof(t->iobuf), 1);
	br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION);
}

struct tls *tls_new(const struct tls_opts *o, char *err, size_t errlen)
{
	struct tls *t;
	unsigned char *der = NULL, seed[32];
	size_t nsuites = ARRAY_LEN(suites), i;
	const char *sni;

	if (o->min_version == TLS_VER_1_3) {
		snprintf(err, errlen, "TLS 1.3 is not supported by the BearSSL build");
		return NULL;
	}
	if (o->min_version && o->max_version && o->min_version > o->max_version) {
		snprintf(err, errlen, "minimum TLS version is above the maximum");
		return NULL;
	}
	t = xzalloc(sizeof(*t));
	t->fd = -1;
	t->first = -1;
	t->verify = t->x.verify = !o->insecure;
	t->defer = o->defer_verify;
	for (i = 0; i < nsuites; i++)
		t->suite_ids[i] = suites[i].id;
	if (o->ciphers && set_ciphers(t, o->ciphers, &nsuites, err, errlen) < 0)
		goto fail;
	if (o->host && strlen(o->host) >= sizeof(t->host)) {
		snprintf(err, errlen, "host name too long for TLS");
		goto fail;
	}
	str_copy(t->host, sizeof(t->host), o->host ? o->host : "");
	if (t->verify && !(t->ca = tls_ca_store(o, &t->ca_own, err, errlen)))
		goto fail;
	profile(t, nsuites);	/* after the anchors: the minimal engine keeps their address */
	if (o->cert_file && load_client_cert(t, o, der = xmalloc(DER_MAX), err, errlen) < 0)
		goto fail;
	if (o->alpn && *o->alpn && set_alpn(t, o->alpn, err, errlen) < 0)
		goto fail;
	free(der);
	der = NULL;
	/* BearSSL finds the OS random source itself; getrandom() first also serves
	 * chroots and scratch images without /dev/urandom */
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed))
		br_ssl_engine_inject_entropy(&t->sc.eng, seed, sizeof(seed));
	explicit_bzero(seed, sizeof(seed));
	/* no SNI for IP literals (RFC 6066 3); their SAN is checked in x_end_chain(). No host:
	 * the minimal engine skips the name check and still verifies the chain */
	sni = t->host[0] ? t->host : NULL;
	if (sni && tls_is_ip_literal(sni)) {
		t->x.ip = t->host;
		sni = NULL;
	}
	if (!br_ssl_client_reset(&t->sc, sni, 0)) {
		engine_err(br_ssl_engine_last_error(&t->sc.eng), err, errlen);
		goto fail;
	}
	return t;
fail:
	free(der);
	tls_free(t);
	return NULL;
}

/* --- I/O ------------------------------------------------------------------------------- */

/* Run the engine on the socket until its state has a bit of want (want 0: until all
 * outgoing records are sent). 0 when there, 1 when the peer closed (close_notify, or
 * EOF after the handshake), -1 with err filled on failure or at the deadline. */
static int pump(struct tls *t, unsigned want, int64_t deadline, char *err, size_t errlen)
{
	br_ssl_engine_context *eng = &t->sc.eng;

	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		struct pollfd pfd = { .fd = t->fd };
		unsigned char *buf;
		size_t len;
		ssize_t n;
		int r;

		if (st & BR_SSL_CLOSED) {
			int e = br_ssl_engine_last_error(eng);
			if (e == BR_ERR_OK) {
				t->eof = 1;
				return 1;
			}
			/* BearSSL reads a banner as a record of a bad version: name it */
			if (!t->done && t->first >= 0 && (t->first < 20 || t->first > 23))
				snprintf(err, errlen, "not a TLS server (invalid record)");
			else
				engine_err(e, err, errlen);
			return -1;
		}
		if (st & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			n = send(t->fd, buf, len, MSG_NOSIGNAL);
			if (n > 0) {
				br_ssl_engine_sendrec_ack(eng, (size_t)n);
				continue;
			}
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				snprintf(err, errlen, "%s", errno == ECONNRESET || errno == EPIPE
					 ? "connection reset by peer" : strerror(errno));
				return -1;
			}
			pfd.events |= POLLOUT;
		}
		if (want ? (st & want) : !(st & BR_SSL_SENDREC))
			return 0;
		if (st & BR_SSL_RECVREC) {
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = recv(t->fd, buf, len, 0);
			if (n > 0) {
				if (t->first < 0)
					t->first = buf[0];	/* a record type: 20 to 23 */
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
				continue;
			}
			if (n == 0) {
				if (t->done) {	/* EOF without close_notify: many servers do that */
					t->eof = 1;
					return 1;
				}
				snprintf(err, errlen, "the server closed the connection");
				return -1;
			}
			if (errno != EAGAIN && errno != EINTR) {
				snprintf(err, errlen, "%s", errno == ECONNRESET ? "connection reset by peer"
								: strerror(errno));
				return -1;
			}
			pfd.events |= POLLIN;
		}
		if (!pfd.events) {
			/* application data waits in the engine (a record being built): seal it */
			if (st & BR_SSL_SENDAPP) {
				br_ssl_engine_flush(eng, 0);
				if (br_ssl_engine_current_state(eng) != st)
					continue;
			}
			snprintf(err, errlen, "TLS engine stalled (state 0x%x)", st);
			return -1;
		}
		do
			r = poll(&pfd, 1, ms_left(deadline));
		while (r < 0 && errno == EINTR);
		if (r <= 0) {
			snprintf(err, errlen, "timeout");
			return -1;
		}
	}
}

int tls_handshake(struct tls *t, int fd, int64_t deadline, char *err, size_t errlen)
{
	int rc;

	t->fd = fd;
	rc = pump(t, BR_SSL_SENDAPP | BR_SSL_RECVAPP, deadline, err, errlen);
	if (rc == 1)
		snprintf(err, errlen, "the server closed the connection");
	if (rc != 0)
		return -1;
	t->done = 1;
	/* renegotiation is off, so the client key is not needed again */
	explicit_bzero(&t->skey, sizeof(t->skey));
	return t->defer ? 0 : tls_refuse_unverified(t, err, errlen);
}

ssize_t tls_read(struct tls *t, void *buf, size_t len, int64_t deadline, char *err, size_t errlen)
{
	unsigned char *in;
	size_t avail;
	int rc;

	if (t->eof)
		return 0;
	rc = pump(t, BR_SSL_RECVAPP, deadline, err, errlen);
	if (rc)
		return rc > 0 ? 0 : -1;
	in = br_ssl_engine_recvapp_buf(&t->sc.eng, &avail);
	if (avail > len)
		avail = len;
	memcpy(buf, in, avail);
	br_ssl_engine_recvapp_ack(&t->sc.eng, avail);
	return (ssize_t)avail;
}

ssize_t tls_write(struct tls *t, const void *buf, size_t len, int64_t deadline, char *err,
		  size_t errlen)
{
	const unsigned char *p = buf;
	size_t done = 0;

	/* fill the engine's record buffer and seal it once: a request goes out in as few
	 * records (and send() calls) as it fits in */
	while (done < len) {
		unsigned char *out;
		size_t room;
		int rc = pump(t, BR_SSL_SENDAPP, deadline, err, errlen);

		if (rc) {
			if (rc > 0)
				snprintf(err, errlen, "the server closed the connection");
			return -1;
		}
		out = br_ssl_engine_sendapp_buf(&t->sc.eng, &room);
		if (room > len - done)
			room = len - done;
		memcpy(out, p + done, room);
		br_ssl_engine_sendapp_ack(&t->sc.eng, room);
		done += room;
	}
	br_ssl_engine_flush(&t->sc.eng, 0);
	if (pump(t, 0, deadline, err, errlen) != 0)
		return -1;
	return (ssize_t)done;
}

size_t tls_pending(struct tls *t)
{
	size_t len = 0;

	if (!br_ssl_engine_recvapp_buf(&t->sc.eng, &len))
		return 0;
	return len;
}

unsigned tls_verify_result(struct tls *t)
{
	return t->verify && t->done ? t->x.flags : 0;
}

void tls_peer_info(struct tls *t, struct tls_peer *p)
{
	br_ssl_session_parameters sp;
	const char *alpn;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!t->done)
		return;
	snprintf(p->version, sizeof(p->version), "%s",
		 br_ssl_engine_get_version(&t->sc.eng) == BR_TLS12 ? "TLSv1.2" : "TLS (old)");
	br_ssl_engine_get_session_parameters(&t->sc.eng, &sp);
	for (i = 0; i < ARRAY_LEN(suites) && suites[i].id != sp.cipher_suite; i++)
		;
	if (i < ARRAY_LEN(suites))
		str_copy(p->cipher, sizeof(p->cipher), suites[i].iana);
	else
		snprintf(p->cipher, sizeof(p->cipher), "0x%04X", sp.cipher_suite);
	alpn = br_ssl_engine_get_selected_protocol(&t->sc.eng);
	str_copy(p->alpn, sizeof(p->alpn), alpn ? alpn : "");
	p->chain_len = (int)t->x.ncerts;
	if (!t->x.ee_over)
		tls_peer_from_der(p, t->x.ee, t->x.ee_len);
}

void tls_free(struct tls *t)
{
	br_ssl_engine_context *eng;
	size_t i;

	if (!t)
		return;
	eng = &t->sc.eng;
	if (t->done && t->fd >= 0 && !(br_ssl_engine_current_state(eng) & BR_SSL_CLOSED)) {
		/* close_notify, sent as far as the socket takes it now; the peer's answer is
		 * not awaited (some servers never send one) */
		br_ssl_engine_close(eng);
		while (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) {
			size_t len;
			unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len);
			ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n <= 0)
				break;
			br_ssl_engine_sendrec_ack(eng, (size_t)n);
		}
	}
	tls_ca_free(t->ca_own);
	for (i = 0; i < t->nchain; i++)
		free(t->chain[i].data);
	/* keys: the client's, the session's, and what the buffers still hold */
	explicit_bzero(t, sizeof(*t));
	free(t);
}
