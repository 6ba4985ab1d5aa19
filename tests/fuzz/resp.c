/* resp.c - fuzz target: the redis probe's RESP2 reply lines (resp_line), each line of the
 * input alone, copied to a buffer of its own size so a read past it shows */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/resp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size) {
		const uint8_t *nl = memchr(data, '\n', size);
		size_t n = nl ? (size_t)(nl - data) + 1 : size;
		char *p = malloc(n);
		struct resp r;
		int rc;

		memcpy(p, data, n);
		rc = resp_line(p, n, 1000, &r);
		if (rc == 0 && (r.p != p + 1 || r.len + 3 != n))
			abort();
		if (rc == 0 && r.type == '$' && (r.n < -1 || r.n > 1000))
			abort();
		if (rc == RESP_BIG && (r.type != '$' || r.n <= 1000))
			abort();
		free(p);
		data += n;
		size -= n;
	}
	return 0;
}
