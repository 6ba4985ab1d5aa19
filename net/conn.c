/* conn.c - resolve and connect within one deadline, buffered I/O over TCP, TLS, unix
 *
 * getaddrinfo() cannot be interrupted, so a name that needs DNS is resolved in a detached
 * thread while we wait on a pipe until the deadline; a resolver that never answers costs
 * us the deadline, not its own 5 s x attempts. The abandoned thread frees its own result.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "autoconf.h"
#include "../lib/util.h"

void conn_set_err(struct conn *c, enum conn_err e, const char *fmt, ...)
{
	va_list ap;

	c->err = e;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
}

static void timeout_err(struct conn *c, const char *what)
{
	/* the seconds asked for; else (a deadline made elsewhere) what was left at t_start,
	 * to 10 ms */
	double s = deadline_seconds(c->deadline);

	if (s < 0) {
		s = (double)(c->deadline - (int64_t)(c->t_start * 1000)) / 1000;
		s = (double)(int64_t)(s * 100 + 0.5) / 100;
	}
	conn_set_err(c, CONN_E_TIMEOUT, "timeout after %gs %s", s > 0 ? s : 0, what);
}

const char *conn_unbracket(const char *host, char *buf, size_t len)
{
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < len) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = 0;
		return buf;
	}
	return host;
}

int conn_split_hostport(const char *in, char *buf, size_t buflen, const char **host,
			const char **port, const char *defport)
{
	size_t n = strlen(in);
	char *p, *colon;

	if (n == 0 || n >= buflen)
		return -1;
	memcpy(buf, in, n + 1);
	*port = defport;
	if (buf[0] == '[') {
		p = strchr(buf, ']');
		if (!p || p == buf + 1)
			return -1;
		*p = 0;
		*host = buf + 1;
		if (p[1] == ':' && p[2])
			*port = p + 2;
		else if (p[1])
			return -1;
	} else {
		colon = strchr(buf, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;	/* bare IPv6 literal, no port */
		if (colon) {
			*colon = 0;
			if (!colon[1])
				return -1;
			*port = colon + 1;
		}
		*host = buf;
		if (!*buf)
			return -1;
	}
	return *port ? 0 : -1;
}

/* resolver job shared by the waiting caller and the thread; whoever finishes last frees it */
struct rjob {
	int refs;	/* __atomic */
	int pipe[2];
	int rc, err;	/* err: the resolving thread's errno, for EAI_SYSTEM */
	struct addrinfo hints, *res;
	char *host, *port;
};

static void rjob_put(struct rjob *j)
{
	if (__atomic_sub_fetch(&j->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (j->res)
		freeaddrinfo(j->res);
	close(j->pipe[0]);
	close(j->pipe[1]);
	free(j->host);
	free(j->port);
	free(j);
}

static void *rjob_run(void *arg)
{
	struct rjob *j = arg;

	j->rc = getaddrinfo(j->host, j->port, &j->hints, &j->res);
	j->err = errno;
	(void)!write(j->pipe[1], "", 1);
	rjob_put(j);
	return NULL;
}

/* resolved addresses, in the resolver's order */
#define CONN_ADDR_MAX 16
struct conn_addrs {
	int n;
	struct {
		socklen_t len;
		union {
			struct sockaddr sa;
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} u;
	} a[CONN_ADDR_MAX];
};

/* RFC 6761 6.3: "localhost" and names under it are the loopback addresses, answered here
 * without a lookup (as curl does), so they work with no /etc/hosts (a scratch image), no
 * resolver (an initramfs) and no address but loopback (glibc's AI_ADDRCONFIG then counts none) */
static int is_localhost(const char *h)
{
	size_t n = strlen(h);

	if (n && h[n - 1] == '.')
		n--;
	return (n == 9 && !strncasecmp(h, "localhost", 9)) ||
	       (n > 10 && !strncasecmp(h + n - 10, ".localhost", 10));
}

static int port_number(const char *port, int type, uint16_t *out)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = type,
				  .ai_flags = AI_NUMERICHOST }, *res;
	long v;

	if (parse_long(port, 0, 65535, &v) == 0) {
		*out = (uint16_t)v;
		return 0;
	}
	/* a service name: /etc/services, never DNS */
	if (getaddrinfo("127.0.0.1", port, &hints, &res) != 0)
		return -1;
	*out = ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port);
	freeaddrinfo(res);
	return 0;
}

static void add_addr(struct conn_addrs *l, const struct sockaddr *sa, socklen_t len)
{
	if (l->n < CONN_ADDR_MAX && len <= sizeof(l->a[0].u)) {
		memcpy(&l->a[l->n].u, sa, len);
		l->a[l->n++].len = len;
	}
}

static void add_ai(struct conn_addrs *l, const struct addrinfo *ai)
{
	for (; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET || (ENABLE_FEATURE_IPV6 && ai->ai_family == AF_INET6))
			add_addr(l, ai->ai_addr, ai->ai_addrlen);
}

static int add_localhost(struct conn *c, struct conn_addrs *l, const char *port, int family,
			 int type)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	uint16_t pn;

	if (port_number(port, type, &pn) < 0) {
		conn_set_err(c, CONN_E_CONFIG, "unknown port %s", port);
		return -1;
	}
	s6.sin6_port = s4.sin_port = htons(pn);
	/* ::1 first, as the RFC 6724 sort of getaddrinfo puts it */
	if (ENABLE_FEATURE_IPV6 && family != AF_INET)
		add_addr(l, (struct sockaddr *)&s6, sizeof(s6));
	if (family != AF_INET6)
		add_addr(l, (struct sockaddr *)&s4, sizeof(s4));
	return 0;
}

/* host to addresses (at most CONN_ADDR_MAX), within c->deadline; 0, or -1 with c->err set */
static int resolve(struct conn *c, const char *host, const char *port, int family, int type,
		   struct conn_addrs *l)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	struct rjob *j;
	pthread_t th;
	pthread_attr_t attr;
	struct pollfd pfd;
	long pl;
	int rc, e;

	l->n = 0;
	/* the common case, a dotted IPv4 address and a port number, without getaddrinfo */
	if (family != AF_INET6 && parse_long(port, 0, 65535, &pl) == 0) {
		struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)pl) };
		if (inet_pton(AF_INET, host, &s4.sin_addr) == 1) {
			add_addr(l, (struct sockaddr *)&s4, sizeof(s4));
			return 0;
		}
	}
	hints.ai_family = family;
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &res) == 0)
		goto found;
	/* a literal of the wrong family is an answer, not a lookup */
	hints.ai_family = AF_UNSPEC;
	if (family != AF_UNSPEC && getaddrinfo(host, "0", &hints, &res) == 0) {
		freeaddrinfo(res);
		conn_set_err(c, CONN_E_RESOLVE, "%s is not an IPv%c address", host,
			     family == AF_INET ? '4' : '6');
		return -1;
	}
	if (is_localhost(host))
		return add_localhost(c, l, port, family, type);
	/* no AI_ADDRCONFIG: with only loopback up glibc would drop every address, and an
	 * address of a family without a route fails at once in connect() anyway */
	hints.ai_family = family;
	hints.ai_flags = 0;

	j = xzalloc(sizeof(*j));
	j->hints = hints;
	j->host = xstrdup(host);
	j->port = xstrdup(port);
	j->refs = 2;
	if (pipe2(j->pipe, O_CLOEXEC) < 0) {
		conn_set_err(c, CONN_E_RESOLVE, "resolve %s: %s", host, strerror(errno));
		free(j->host), free(j->port), free(j);
		return -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	if (pthread_create(&th, &attr, rjob_run, j) != 0) {
		/* no thread: resolve inline, unbounded only in this corner case */
		pthread_attr_destroy(&attr);
		j->refs = 1;
		j->rc = getaddrinfo(host, port, &hints, &j->res);
		j->err = errno;
	} else {
		pthread_attr_destroy(&attr);
		pfd.fd = j->pipe[0];
		pfd.events = POLLIN;
		do
			rc = poll(&pfd, 1, ms_left(c->deadline));
		while (rc < 0 && errno == EINTR);
		if (rc <= 0) {
			rjob_put(j);
			timeout_err(c, "while resolving");
			return -1;
		}
	}
	rc = j->rc;
	e = j->err;
	if (rc == 0) {
		res = j->res;
		j->res = NULL;
	}
	rjob_put(j);
	if (rc != 0) {
		if (rc == EAI_NONAME || rc == EAI_NODATA)
			conn_set_err(c, CONN_E_RESOLVE, "cannot resolve %s: no such host", host);
		else
			conn_set_err(c, CONN_E_RESOLVE, "cannot resolve %s: %s", host,
				     rc == EAI_SYSTEM ? strerror(e) : gai_strerror(rc));
		return -1;
	}
found:
	add_ai(l, res);
	freeaddrinfo(res);
	if (!l->n) {
		conn_set_err(c, CONN_E_RESOLVE, "cannot resolve %s: no such host", host);
		return -1;
	}
	return 0;
}

static void conn_init(struct conn *c, int64_t deadline)
{
	memset(c, 0, offsetof(struct conn, rbuf));
	c->fd = -1;
	c->deadline = deadline;
	c->t_start = mono_sec();
}

static const char *errno_phrase(int e)
{
	switch (e) {
	case ECONNREFUSED: return "connection refused";
	case ENETUNREACH: return "network unreachable";
	case EHOSTUNREACH: return "host unreachable";
	case ECONNRESET: return "connection reset by peer";
	case ENOENT: return "no such socket";
	default: return strerror(e);
	}
}

static enum conn_err errno_class(int e)
{
	switch (e) {
	case ECONNREFUSED: case ENOENT: return CONN_E_REFUSED;
	case ENETUNREACH: case EHOSTUNREACH: case EADDRNOTAVAIL: return CONN_E_UNREACH;
	case ETIMEDOUT: return CONN_E_TIMEOUT;
	default: return CONN_E_IO;
	}
}

/* non-blocking connect on fd, waiting until the deadline: 0, or an errno (ETIMEDOUT) */
static int connect_wait(int fd, const struct sockaddr *sa, socklen_t len, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int e = 0, rc;
	socklen_t el = sizeof(e);

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EAGAIN && errno != EINTR)
		return errno;
	do
		rc = poll(&pfd, 1, ms_left(deadline));
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return ETIMEDOUT;
	if (rc < 0)
		return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		return errno;
	return e;
}

static void note_addr(struct conn *c, const struct sockaddr *sa)
{
	const void *a = sa->sa_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	c->family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		/* inet_ntop's dotted quad without its printf: every connection notes its address */
		const unsigned char *q = a;
		struct sbuf b;

		sbuf_init(&b, c->addr, sizeof(c->addr));
		for (int i = 0; i < 4; i++) {
			if (i)
				sbuf_add(&b, ".", 1);
			sbuf_long(&b, q[i]);
		}
	} else {
		inet_ntop(sa->sa_family, a, c->addr, sizeof(c->addr));
	}
	c->port = ntohs(sa->sa_family == AF_INET6 ? ((const struct sockaddr_in6 *)sa)->sin6_port
						  : ((const struct sockaddr_in *)sa)->sin_port);
}

/* RFC 8305 section 4: alternate the families, the preferred one (or the resolver's first) first */
static int happy_order(const struct conn_addrs *l, int prefer, int only, int *order)
{
	int n = 0, fam[2];

	if (!l->n)
		return 0;
	fam[0] = prefer ? prefer : l->a[0].u.sa.sa_family;
	fam[1] = fam[0] == AF_INET6 ? AF_INET : AF_INET6;
	for (int k[2] = { 0, 0 }, f = 0, stuck = 0; stuck < 2; f ^= 1) {
		while (k[f] < l->n && l->a[k[f]].u.sa.sa_family != fam[f])
			k[f]++;
		if (k[f] == l->n) {
			stuck++;
			continue;
		}
		stuck = 0;
		if (!only || fam[f] == only)
			order[n++] = k[f];
		k[f]++;
	}
	return n;
}

/* Happy Eyeballs (RFC 8305): the next address is tried 250 ms after the last one started or
 * at once when it failed; the first to connect wins and the others are closed, so an address
 * that drops SYNs costs 250 ms, not the deadline */
#define CONN_STAGGER_MS 250

static int open_any(struct conn *c, const char *host, const char *port, const struct conn_opts *o,
		    int64_t deadline, int type)
{
	static const struct conn_opts none;
	struct conn_addrs l;
	struct addrinfo *src = NULL;
	struct pollfd pfd[CONN_ADDR_MAX];
	int order[CONN_ADDR_MAX], from[CONN_ADDR_MAX];
	char hb[256];
	int family, n, next = 0, npend = 0, last = ETIMEDOUT, one = 1, won = -1;
	int64_t next_at = 0;

	conn_init(c, deadline);
	if (!o)
		o = &none;
	family = o->family;
	if (!ENABLE_FEATURE_IPV6)
		family = AF_INET;
	host = conn_unbracket(host, hb, sizeof(hb));
	if (!*host)
		host = "localhost";	/* as Go's dialer: an empty host is the local system */
	if (resolve(c, host, port, family, type, &l) < 0)
		return -1;
	if (o->source) {
		struct addrinfo h = { .ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = type };
		if (getaddrinfo(conn_unbracket(o->source, hb, sizeof(hb)), NULL, &h, &src) != 0) {
			conn_set_err(c, CONN_E_CONFIG, "bad source address %s", o->source);
			return -1;
		}
	}
	n = happy_order(&l, o->prefer, src ? src->ai_family : 0, order);
	if (!n) {
		freeaddrinfo(src);
		conn_set_err(c, CONN_E_RESOLVE, "no address of %s matches the source address", host);
		return -1;
	}
	while (won < 0) {
		int64_t now = mono_ms();
		int rc;

		if (next < n && (npend == 0 || now >= next_at) && now < deadline) {
			const struct sockaddr *sa = &l.a[order[next]].u.sa;
			socklen_t len = l.a[order[next]].len;
			int fd, e;

			next++;
			next_at = now;	/* a failure starts the next address at once */
			note_addr(c, sa);
			fd = socket(sa->sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				last = errno;
				continue;
			}
			if (src && bind(fd, src->ai_addr, src->ai_addrlen) < 0) {
				e = errno;
				close(fd);
				conn_set_err(c, CONN_E_CONFIG, "cannot bind to %s: %s", o->source, strerror(e));
				break;
			}
			if (connect(fd, sa, len) == 0) {
				pfd[npend].fd = fd;
				from[npend] = order[next - 1];
				won = npend++;
				break;
			}
			if (errno != EINPROGRESS && errno != EAGAIN && errno != EINTR) {
				last = errno;
				close(fd);
				continue;
			}
			pfd[npend] = (struct pollfd){ .fd = fd, .events = POLLOUT };
			from[npend++] = order[next - 1];
			next_at = now + CONN_STAGGER_MS;
			continue;
		}
		if (npend == 0 && (next == n || now >= deadline))
			break;	/* every address failed, or none was left time */
		if (now >= deadline) {
			last = ETIMEDOUT;
			break;
		}
		rc = ms_left(deadline);
		if (next < n && next_at - now < rc)
			rc = (int)(next_at - now);
		rc = poll(pfd, (nfds_t)npend, rc);
		if (rc < 0 && errno != EINTR) {
			last = errno;
			break;
		}
		for (int i = 0; rc > 0 && i < npend; i++) {
			int e = 0;
			socklen_t el = sizeof(e);

			if (!pfd[i].revents)
				continue;
			if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
				e = errno;
			if (e == 0) {
				won = i;
				break;
			}
			last = e;
			close(pfd[i].fd);
			pfd[i] = pfd[--npend];
			from[i--] = from[npend];
			next_at = now;
		}
	}
	for (int i = 0; i < npend; i++)
		if (i != won)
			close(pfd[i].fd);
	if (src)
		freeaddrinfo(src);
	if (won >= 0) {
		c->fd = pfd[won].fd;
		note_addr(c, &l.a[from[won]].u.sa);
		if (type == SOCK_STREAM)
			setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->t_connected = mono_sec();
		return 0;
	}
	if (c->err == CONN_E_CONFIG)
		;	/* the bind failure above */
	else if (last == ETIMEDOUT)
		timeout_err(c, "while connecting");
	else
		conn_set_err(c, errno_class(last), "%s", errno_phrase(last));
	return -1;
}

int conn_resolve(struct conn *c, const char *host, int family, int64_t deadline, char *addr,
		 size_t addrlen)
{
	struct conn_addrs l;
	char hb[256];

	conn_init(c, deadline);
	host = conn_unbracket(host, hb, sizeof(hb));
	if (resolve(c, host, "0", family, SOCK_STREAM, &l) < 0)
		return -1;
	note_addr(c, &l.a[0].u.sa);
	str_copy(addr, addrlen, c->addr);
	return c->family;
}

int conn_open(struct conn *c, const char *host, const char *port, const struct conn_opts *o,
	      int64_t deadline)
{
	return open_any(c, host, port, o, deadline, SOCK_STREAM);
}

int conn_open_udp(struct conn *c, const char *host, const char *port, const struct conn_opts *o,
		  int64_t deadline)
{
	/* connect() on a datagram socket only sets the peer, and makes ICMP errors visible */
	return open_any(c, host, port, o, deadline, SOCK_DGRAM);
}

int conn_open_unix(struct conn *c, const char *path, int64_t deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int e;

	conn_init(c, deadline);
	str_copy(c->addr, sizeof(c->addr), path);
	c->family = AF_UNIX;
	if (!ENABLE_FEATURE_UNIX_SOCKET) {
		conn_set_err(c, CONN_E_CONFIG, "unix sockets are not supported by this build");
		return -1;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		conn_set_err(c, CONN_E_CONFIG, "unix socket path too long");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		conn_set_err(c, CONN_E_IO, "socket: %s", strerror(errno));
		return -1;
	}
	e = connect_wait(c->fd, (struct sockaddr *)&sa, sizeof(sa), deadline);
	if (e) {
		close(c->fd);
		c->fd = -1;
		if (e == ETIMEDOUT)
			timeout_err(c, "while connecting");
		else
			conn_set_err(c, errno_class(e), "%s", errno_phrase(e));
		return -1;
	}
	c->t_connected = mono_sec();
	return 0;
}

int conn_starttls(struct conn *c, const struct tls_opts *o)
{
	char err[CONN_ERR_MAX];

	/* ENABLE_TLS: a build without TLS drops what follows, and its callers see it fail */
	if (!ENABLE_TLS || !tls_available) {
		conn_set_err(c, CONN_E_CONFIG, "TLS is not supported by this build");
		return -1;
	}
	c->tls = tls_new(o, err, sizeof(err));
	if (!c->tls) {
		conn_set_err(c, CONN_E_CONFIG, "%s", err);
		return -1;
	}
	if (tls_handshake(c->tls, c->fd, c->deadline, err, sizeof(err)) < 0) {
		if (tls_verify_result(c->tls))	/* the handshake is done, the certificate is not */
			conn_set_err(c, CONN_E_CERT, "%s", err);
		else if (ms_left(c->deadline) == 0)
			timeout_err(c, "in TLS handshake");
		else
			conn_set_err(c, CONN_E_TLS, "TLS handshake failed: %s", err);
		return -1;
	}
	c->t_tls = mono_sec();
	return 0;
}

int conn_wait_readable(struct conn *c, int64_t deadline)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	int rc;

	if (c->rpos < c->rlen || (c->tls && tls_pending(c->tls)))
		return 1;
	do
		rc = poll(&pfd, 1, ms_left(deadline));
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -1 : rc > 0;
}

int conn_write(struct conn *c, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	if (c->tls) {
		char err[CONN_ERR_MAX];
		if (tls_write(c->tls, buf, len, c->deadline, err, sizeof(err)) < 0) {
			if (ms_left(c->deadline) == 0)
				timeout_err(c, "while sending");
			else
				conn_set_err(c, CONN_E_IO, "TLS write: %s", err);
			return -1;
		}
		return 0;
	}
	while (done < len) {
		ssize_t w = send(c->fd, p + done, len - done, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
			if (poll(&pfd, 1, ms_left(c->deadline)) == 0) {
				timeout_err(c, "while sending");
				return -1;
			}
			continue;
		}
		if (w < 0) {
			conn_set_err(c, errno_class(errno), "send: %s", errno_phrase(errno));
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

/* read straight from the transport, bypassing rbuf */
static ssize_t raw_read(struct conn *c, void *buf, size_t len)
{
	/* a peer that keeps the socket readable is stopped by the deadline too, not only by
	 * what the caller caps */
	if (ms_left(c->deadline) == 0) {
		timeout_err(c, "while reading");
		return -1;
	}
	if (c->tls) {
		char err[CONN_ERR_MAX];
		ssize_t n = tls_read(c->tls, buf, len, c->deadline, err, sizeof(err));
		if (n < 0) {
			if (ms_left(c->deadline) == 0)
				timeout_err(c, "while reading");
			else
				conn_set_err(c, CONN_E_IO, "TLS read: %s", err);
		}
		return n;
	}
	for (;;) {
		ssize_t n = recv(c->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EINTR) {
			int r = conn_wait_readable(c, c->deadline);
			if (r == 0) {
				timeout_err(c, "while reading");
				return -1;
			}
			if (r < 0) {
				conn_set_err(c, CONN_E_IO, "poll: %s", strerror(errno));
				return -1;
			}
			continue;
		}
		conn_set_err(c, errno_class(errno), "recv: %s", errno_phrase(errno));
		return -1;
	}
}

ssize_t conn_read(struct conn *c, void *buf, size_t len)
{
	if (c->rpos < c->rlen) {
		size_t n = c->rlen - c->rpos;
		if (n > len)
			n = len;
		memcpy(buf, c->rbuf + c->rpos, n);
		c->rpos += n;
		return (ssize_t)n;
	}
	return raw_read(c, buf, len);
}

ssize_t conn_readline(struct conn *c, char *buf, size_t max)
{
	size_t n = 0;

	if (max == 0)
		return -1;
	while (n + 1 < max) {
		unsigned char *nl;
		size_t avail, take;

		if (c->rpos == c->rlen) {
			ssize_t r = raw_read(c, c->rbuf, sizeof(c->rbuf));
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			c->rpos = 0;
			c->rlen = (size_t)r;
		}
		avail = c->rlen - c->rpos;
		nl = memchr(c->rbuf + c->rpos, '\n', avail);
		take = nl ? (size_t)(nl - (c->rbuf + c->rpos)) + 1 : avail;
		if (take > max - 1 - n)
			take = max - 1 - n;
		memcpy(buf + n, c->rbuf + c->rpos, take);
		c->rpos += take;
		n += take;
		if (buf[n - 1] == '\n')
			break;
	}
	buf[n] = 0;
	return (ssize_t)n;
}

void conn_close(struct conn *c)
{
	if (c->tls) {
		tls_free(c->tls);
		c->tls = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}
