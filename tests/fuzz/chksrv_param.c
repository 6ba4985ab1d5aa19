/* chksrv_param.c - fuzz target: chksrv's -p value typing (bool, int, float, complex, ISO
 * date/time/datetime, string), the header-name key rule and host-name matching.
 * Input: VALUE, or HOST '\n' SANS '\n' CN for the matcher. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/probe.h"

void chksrv_value_describe(const char *s, char *out, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *nl, *nl2, out[256];

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	chksrv_value_describe(s, out, sizeof(out));
	probe_http_header_key(s, out, sizeof(out));
	nl = strchr(s, '\n');
	if (nl) {
		*nl = 0;
		nl2 = strchr(nl + 1, '\n');
		if (nl2)
			*nl2 = 0;
		tls_name_matches(s, nl + 1, nl2 ? nl2 + 1 : NULL);
	}
	free(s);
	return 0;
}
