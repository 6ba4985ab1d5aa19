/* tls.h - the one TLS client interface; exactly one backend is linked
 * (tls_mbedtls.c, tls_bearssl.c or tls_none.c, chosen in Kconfig).
 *
 * The socket is the caller's: a connected, non-blocking fd. Every call that may wait takes
 * an absolute deadline (mono_ms() clock) and waits no longer.
 *
 * The zero value of struct tls_opts verifies: chain and host name, against the system store.
 * Verification is deferred inside the backend: the handshake runs to its end whatever the
 * certificate, then tls_handshake() fails with the reason when the certificate did not pass,
 * before any application data is sent, so "cannot connect", "TLS failed" and "certificate
 * invalid, because ..." stay apart (tls_verify_result() is nonzero only in the last case).
 * A caller that records the facts of a bad certificate and judges it itself (chksrv's
 * CERT_OPTIONAL, an applet's own wording) sets defer_verify and MUST read tls_verify_result().
 * Pointers MUST NOT be NULL unless a comment says so.
 */
#ifndef PB_TLS_H
#define PB_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum { TLS_VER_ANY = 0, TLS_VER_1_2 = 12, TLS_VER_1_3 = 13 };

struct tls_opts {
	const char *host;	/* SNI (not sent for IP literals) and the name to verify; NULL or
				 * "": no SNI and no name check, but the chain is still verified
				 * (a caller with no name to give loses only the name check) */
	int insecure;		/* 1: no verification at all (--no-check-certificate, CERT_NONE);
				 * 0, the zero value: chain and host name are verified */
	int defer_verify;	/* 1: a certificate that fails verification does not fail
				 * tls_handshake(); the caller reads tls_verify_result() itself.
				 * 0: it fails the handshake. Meaningless with insecure */
	const char *ca_file;	/* PEM bundle; NULL with ca_dir NULL: the system store */
	const char *ca_dir;	/* directory of PEM files */
	const char *cert_file;	/* client certificate (PEM), NULL: none */
	const char *key_file;	/* its key (PEM); NULL: in cert_file */
	int min_version, max_version;	/* TLS_VER_*; ANY: the backend's range */
	const char *alpn;	/* comma-separated protocol list, NULL: none */
	const char *ciphers;	/* colon-separated IANA/OpenSSL suite names, NULL: default */
};

/* our own verification flags; backends map theirs into these */
#define TLS_V_EXPIRED		0x01
#define TLS_V_NOT_YET_VALID	0x02
#define TLS_V_UNTRUSTED		0x04	/* unknown issuer, self-signed, incomplete chain */
#define TLS_V_NAME_MISMATCH	0x08
#define TLS_V_BAD_SIG		0x10	/* bad signature, weak key or hash */
#define TLS_V_OTHER		0x20	/* key usage, revoked, anything else */
#define TLS_V_NO_CERT		0x40	/* the server sent none */

#define TLS_NAME_MAX 256
#define TLS_SAN_MAX 1024

struct tls_peer {
	char version[16];		/* "TLSv1.3" */
	char cipher[80];		/* IANA name: "TLS_AES_128_GCM_SHA256" */
	char alpn[32];
	char subject[TLS_NAME_MAX];	/* "CN=localhost, O=..." */
	char issuer[TLS_NAME_MAX];
	char subject_cn[TLS_NAME_MAX];
	char issuer_cn[TLS_NAME_MAX];
	char sans[TLS_SAN_MAX];		/* "DNS:localhost, IP:127.0.0.1" */
	char serial[80];		/* hex, upper case, colon-free */
	time_t not_before, not_after;	/* 0 when unknown */
	int chain_len;
};

struct tls;	/* backend state, allocated by tls_new() */

/* 1 if a backend is compiled in, 0 for the none build */
extern const int tls_available;
/* "mbedTLS 3.6.6" */
extern const char tls_backend_name[];

/* set up a client; NULL with err filled on a configuration failure (unreadable CA file,
 * bad client key, unknown cipher name): a failure of the tool, not of the service */
struct tls *tls_new(const struct tls_opts *o, char *err, size_t errlen);

/* run the handshake on fd; 0 on success, -1 with err filled ("timeout", alert, ...). A
 * certificate that fails verification is a failure too, unless defer_verify: err is then
 * tls_verdict()'s sentence and tls_verify_result() is nonzero (for nothing else) */
int tls_handshake(struct tls *t, int fd, int64_t deadline, char *err, size_t errlen);

/* >0 bytes, 0 on orderly close by the peer, -1 on error or timeout (err filled) */
ssize_t tls_read(struct tls *t, void *buf, size_t len, int64_t deadline, char *err, size_t errlen);
/* writes everything or returns -1 (err filled) */
ssize_t tls_write(struct tls *t, const void *buf, size_t len, int64_t deadline, char *err, size_t errlen);
/* bytes already decrypted and waiting (so a poll() on the fd would lie) */
size_t tls_pending(struct tls *t);

/* TLS_V_* flags, 0 when the certificate passed (or insecure, or before the handshake ran to
 * its end); readable after tls_handshake() succeeded or failed on the certificate */
unsigned tls_verify_result(struct tls *t);
/* one human sentence for flags: "certificate has expired", ... */
const char *tls_verify_reason(unsigned flags);

/* fill what the backend knows after a handshake; fields it does not know stay empty */
void tls_peer_info(struct tls *t, struct tls_peer *p);

/* send close_notify (without waiting for the peer's) and free everything; t MAY be NULL */
void tls_free(struct tls *t);

/* shared helpers (tls_common.c) */
/* find the system CA store: SSL_CERT_FILE, SSL_CERT_DIR, then well-known paths;
 * sets exactly one of *file / *dir, returns -1 when nothing is found */
int tls_system_ca(const char **file, const char **dir);
/* does a certificate with these SANs ("DNS:a, IP:1.2.3.4", as tls_peer.sans) and subject CN
 * fit host? As Python's match_hostname (RFC 6125): an IP literal needs an IP SAN; a name
 * needs a DNS SAN ("*." only as the whole left label), or the CN when there is no DNS SAN */
int tls_name_matches(const char *host, const char *sans, const char *cn);
/* the trust store for o's CA choice (ca_file / ca_dir, or the system store), built with
 * tls_ca_load() on the first call that needs it and shared, read-only, by every connection
 * of the process until it exits; NULL with err filled when it cannot be built (the same
 * message each time). *own is NULL, or the store itself when the process has more distinct
 * choices than are kept: the caller then frees it with tls_ca_free() */
void *tls_ca_store(const struct tls_opts *o, void **own, char *err, size_t errlen);
/* how many trust stores this process has built (for tests: one per CA choice) */
unsigned long tls_ca_builds(void);
/* the backend's side of tls_ca_store(): read file and/or dir (either MAY be NULL) into a new
 * store; NULL with err filled ("cannot read CA file ...") */
void *tls_ca_load(const char *file, const char *dir, char *err, size_t errlen);
void tls_ca_free(void *store);
/* 1 if s is an IPv4 or IPv6 literal (no SNI for those, RFC 6066 section 3) */
int tls_is_ip_literal(const char *s);
/* split a comma-separated list (ALPN names) into at most max names that point into buf;
 * how many, 0 when the list is empty or does not fit in buf */
size_t tls_split_list(const char *list, char *buf, size_t buflen, const char **names, size_t max);
/* fill p's certificate fields (names, SANs, serial, dates) from the server's DER certificate,
 * the same text whatever the backend; -1 (fields left empty) if it cannot be read */
int tls_peer_from_der(struct tls_peer *p, const unsigned char *der, size_t len);
/* "certificate has expired 3 days ago"-style text of flags with dates from p */
void tls_describe_failure(unsigned flags, const struct tls_peer *p, char *buf, size_t len);
/* the verdict after a handshake: fills p (tls_peer_info()) and returns tls_verify_result();
 * when that is nonzero, why says it in one sentence (tls_describe_failure()) */
unsigned tls_verdict(struct tls *t, struct tls_peer *p, char *why, size_t len);
/* for the backends' tls_handshake() without defer_verify: -1 with tls_verdict()'s sentence
 * in err when the certificate did not pass, else 0 */
int tls_refuse_unverified(struct tls *t, char *err, size_t errlen);

#endif
