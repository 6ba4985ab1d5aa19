/* tls_none.c - the TLS backend of a build without TLS: every call fails clearly */
#include "tls.h"

#include <stdio.h>
#include <string.h>

const int tls_available = 0;
const char tls_backend_name[] = "none";

int tls_system_ca(const char **file, const char **dir)
{
	*file = *dir = NULL;
	return -1;
}

unsigned long tls_ca_builds(void)
{
	return 0;
}

struct tls *tls_new(const struct tls_opts *o, char *err, size_t errlen)
{
	(void)o;
	snprintf(err, errlen, "TLS is not supported by this build");
	return NULL;
}

int tls_handshake(struct tls *t, int fd, int64_t deadline, char *err, size_t errlen)
{
	(void)t, (void)fd, (void)deadline;
	snprintf(err, errlen, "TLS is not supported by this build");
	return -1;
}

ssize_t tls_read(struct tls *t, void *buf, size_t len, int64_t deadline, char *err, size_t errlen)
{
	(void)t, (void)buf, (void)len, (void)deadline;
	snprintf(err, errlen, "TLS is not supported by this build");
	return -1;
}

ssize_t tls_write(struct tls *t, const void *buf, size_t len, int64_t deadline, char *err,
		  size_t errlen)
{
	return tls_read(t, (void *)buf, len, deadline, err, errlen);
}

size_t tls_pending(struct tls *t)
{
	(void)t;
	return 0;
}

unsigned tls_verify_result(struct tls *t)
{
	(void)t;
	return 0;
}

/* no peer: empty facts, never uninitialised ones */
void tls_peer_info(struct tls *t, struct tls_peer *p)
{
	(void)t;
	memset(p, 0, sizeof(*p));
}

void tls_free(struct tls *t)
{
	(void)t;
}
