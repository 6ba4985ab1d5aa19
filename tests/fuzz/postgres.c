/* postgres.c - fuzz target: the postgres probe's reader over what a server sends: frames
 * (type, length, capped) handed to pg_step() in turn, as the probe does after its startup
 * message, with a password and a fixed SCRAM nonce so the SCRAM path is reachable.
 * net/probe_postgres.c is compiled in here (its parser is static). */
#include <stdint.h>
#include <stdlib.h>

#define probe_postgres fuzz_probe_postgres
#include "../../net/probe_postgres.c"
#undef probe_postgres

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg p = { .user = "u", .password = "pencil", .cnonce = "rOprNGfwEbeRWgbNEkqO" };
	char err[200];
	int rc = PG_MORE;

	while (rc == PG_MORE && size >= 5) {
		long n = pg_frame(data, err, sizeof(err));
		if (n < 0 || (size_t)n > size - 5)
			break;
		rc = pg_step(&p, data[0], data + 5, (size_t)n);
		if (p.outlen > sizeof(p.out) || (rc == PG_FAIL && !p.err[0]))
			abort();
		data += 5 + n;
		size -= 5 + (size_t)n;
	}
	scram_wipe(&p.scram);
	return 0;
}
