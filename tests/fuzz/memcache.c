/* memcache.c - fuzz target: the memcache probe's check of the reply to "version", on a
 * buffer of the input's own size */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/memcache.h"
#include "../../net/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1), out[64];
	const char *v;
	int n;

	memcpy(p, data, size);
	n = memcache_version(p, size, &v);
	if (n >= 0 && (v != p + 8 || (size_t)n + 10 != size))
		abort();
	if (strlen(probe_first_line(out, sizeof(out), p, size)) >= sizeof(out))
		abort();
	free(p);
	return 0;
}
