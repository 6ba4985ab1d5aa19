/* memcache.h - the memcache probe's reply check (net/probe_memcache.c), without a socket */
#ifndef PB_MEMCACHE_H
#define PB_MEMCACHE_H

#include <stddef.h>

/* the reply line to "version" (len bytes, with its CR LF): the length of the version, with
 * *v at it in line, or -1 when it is not "VERSION x\r\n" with x printable ASCII (spaces
 * inside) */
int memcache_version(const char *line, size_t len, const char **v);

#endif
