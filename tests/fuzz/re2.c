/* re2.c - fuzz target: the regexp parser and compiler on the input as a pattern, then the
 * matcher of what compiled on the input as a text */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/re2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pat, err[128];
	struct re2 *re;

	if (size > 4096)
		return 0;
	pat = malloc(size + 1);
	memcpy(pat, data, size);
	pat[size] = 0;
	if ((re = re2_compile(pat, err, sizeof(err)))) {
		re2_match(re, (const char *)data, size);
		re2_free(re);
	}
	free(pat);
	return 0;
}
