/* conn.h - resolve and connect within one deadline, then buffered I/O over plain TCP, TLS
 * or a unix socket, every wait bounded by the same deadline.
 *
 * RFC 9293 (TCP), RFC 3493 (getaddrinfo), RFC 8305 (Happy Eyeballs v2: the families
 * alternate, the next address starts 250 ms after the last or at once when it failed, the
 * first to connect wins), RFC 6761 (localhost is loopback, answered without a lookup).
 */
#ifndef PB_CONN_H
#define PB_CONN_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "../tls/tls.h"

/* why a connection step failed: a closed set, so applets can map verdicts */
enum conn_err {
	CONN_OK = 0,
	CONN_E_RESOLVE,		/* name did not resolve */
	CONN_E_REFUSED,		/* every address refused */
	CONN_E_UNREACH,		/* network/host unreachable */
	CONN_E_TIMEOUT,		/* the deadline passed */
	CONN_E_TLS,		/* handshake failed */
	CONN_E_CERT,		/* handshake fine, certificate rejected */
	CONN_E_IO,		/* read/write error, reset */
	CONN_E_CLOSED,		/* peer closed when more was expected */
	CONN_E_CONFIG,		/* bad local setting: CA file, client key, bind address */
	CONN_E_PROTO,		/* the peer spoke, but not the protocol expected */
};

struct conn_opts {
	int family;		/* AF_UNSPEC (default), AF_INET, AF_INET6: only that family */
	int prefer;		/* AF_INET6, AF_INET: that family first; 0: the resolver's order */
	const char *source;	/* local address to bind, NULL: any */
};

#define CONN_RBUF 4096
#define CONN_ERR_MAX 256

struct conn {
	int fd;
	struct tls *tls;	/* NULL: plain */
	int64_t deadline;	/* absolute, mono_ms(); every wait ends by it */
	enum conn_err err;
	char errmsg[CONN_ERR_MAX];	/* human reason for err */
	int family;		/* of the connected address */
	char addr[64];		/* "127.0.0.1" or "::1" or the unix path (cut) */
	uint16_t port;
	double t_start, t_connected, t_tls;	/* mono_sec() stamps; 0 if not reached */
	size_t rpos, rlen;
	unsigned char rbuf[CONN_RBUF];
};

/* split "host:port", "[v6]:port" or "host" (port from defport); host/port point into buf.
 * Returns -1 for a malformed address (unbalanced brackets, empty host, bad port). */
int conn_split_hostport(const char *in, char *buf, size_t buflen, const char **host,
			const char **port, const char *defport);

/* strip one pair of [] around an IPv6 literal: "[::1]" -> "::1", into buf */
const char *conn_unbracket(const char *host, char *buf, size_t len);

/* connect to host:port (port numeric or a service name); 0 or -1 with err/errmsg set.
 * host may be "[::1]". The fd is non-blocking with TCP_NODELAY. */
int conn_open(struct conn *c, const char *host, const char *port, const struct conn_opts *o,
	      int64_t deadline);
/* resolve host (literal or name, within the deadline) to its first address as text;
 * returns the address family, or -1 with c->err/errmsg set */
int conn_resolve(struct conn *c, const char *host, int family, int64_t deadline, char *addr,
		 size_t addrlen);
/* a connected UDP socket to host:port (conn_write sends one datagram, conn_read receives one) */
int conn_open_udp(struct conn *c, const char *host, const char *port, const struct conn_opts *o,
		  int64_t deadline);
/* connect to a unix stream socket */
int conn_open_unix(struct conn *c, const char *path, int64_t deadline);
/* TLS on top of an open connection; 0 or -1 (CONN_E_TLS / CONN_E_CONFIG / CONN_E_TIMEOUT /
 * CONN_E_CERT). A zeroed o verifies chain and host name: a certificate that does not pass is
 * CONN_E_CERT with errmsg "certificate has expired 3 days ago" (tls_verdict()), and c->tls
 * stays for tls_peer_info() until conn_close(). With o->defer_verify it is not a failure
 * here: the caller MUST read tls_verify_result(c->tls) (or tls_verdict()). */
int conn_starttls(struct conn *c, const struct tls_opts *o);

/* write all of buf, -1 on error (err set) */
int conn_write(struct conn *c, const void *buf, size_t len);
/* one read of at most len bytes: >0, 0 on EOF, -1 on error or timeout (err set) */
ssize_t conn_read(struct conn *c, void *buf, size_t len);
/* a line up to and including '\n' (or max-1 bytes, or EOF), NUL-terminated; returns its
 * length, 0 on EOF before any byte, -1 on error. A line longer than max-1 is returned in
 * pieces; the caller sees no '\n' at the end. */
ssize_t conn_readline(struct conn *c, char *buf, size_t max);
/* wait until readable or the deadline: 1 readable, 0 timeout, -1 error */
int conn_wait_readable(struct conn *c, int64_t deadline);

void conn_close(struct conn *c);

/* "timeout after 2s while connecting": a shared phrase for deadline failures */
void conn_set_err(struct conn *c, enum conn_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
