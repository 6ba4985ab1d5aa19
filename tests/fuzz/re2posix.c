/* re2posix.c - fuzz target: the RE2-to-ERE translator and regcomp on what it produces */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/re2posix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *pat, err[128];
	regex_t re;

	if (size > 4096)
		return 0;
	pat = malloc(size + 1);
	memcpy(pat, data, size);
	pat[size] = 0;
	if (re2_compile(&re, pat, err, sizeof(err)) == 0) {
		re2_match(&re, (const char *)data, size);
		regfree(&re);
	}
	free(pat);
	return 0;
}
