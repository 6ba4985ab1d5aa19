/* conn_check.c - unit tests: conn-check's ordered output (upstream's test_ordered_output) */
#include <stdlib.h>

#include "t.h"

void conn_check_order(const char **lines, size_t n, const char **out);

int main(void)
{
	/* upstream tests.py test_ordered_output: the same expectation for any input order */
	const char *in[] = {
		"SKIPPED: xyz3:localhost:666",
		"bar2:localhost:8080 FAILED: error",
		"SKIPPED: foo2:localhost:8080",
		"baz2:localhost:42 OK",
		"SKIPPED: bar2:localhost:8080",
		"xyz2:localhost:666 FAILED: error",
		"xyz1:localhost:666 OK",
		"foo1:localhost:8080 FAILED: error",
		"baz1:localhost:42 OK",
	};
	const char *want[] = {
		"bar2:localhost:8080 FAILED: error",
		"foo1:localhost:8080 FAILED: error",
		"xyz2:localhost:666 FAILED: error",
		"baz1:localhost:42 OK",
		"baz2:localhost:42 OK",
		"xyz1:localhost:666 OK",
		"SKIPPED: bar2:localhost:8080",
		"SKIPPED: foo2:localhost:8080",
		"SKIPPED: xyz3:localhost:666",
	};
	const size_t n = sizeof(in) / sizeof(in[0]);
	const char *out[9], *shuf[9];
	char name[64];

	conn_check_order(in, n, out);
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "ordered output line %zu", i + 1);
		CHECK_STR(name, out[i], want[i]);
	}
	/* shuffled inputs (a fixed permutation sequence, so the test is repeatable) */
	srand(7);
	for (int round = 0; round < 20; round++) {
		int ok = 1;
		memcpy(shuf, in, sizeof(in));
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)rand() % (i + 1);
			const char *t = shuf[i];
			shuf[i] = shuf[j];
			shuf[j] = t;
		}
		conn_check_order(shuf, n, out);
		for (size_t i = 0; i < n; i++)
			ok &= !strcmp(out[i], want[i]);
		snprintf(name, sizeof(name), "ordered output, shuffle %d", round);
		CHECK(name, ok);
	}
	/* group keys cut at the second ':'; lines without ':' and traceback lines ('' key) */
	{
		const char *a[] = { "tcp:b:1 OK", "  detail", "Starting tcp:a:1 (a:1)...", "http:https://x/: FAILED - m",
				    "tcp:a:1 FAILED - (a:1) refused" };
		const char *w[] = { "http:https://x/: FAILED - m", "tcp:a:1 FAILED - (a:1) refused", "  detail",
				    "Starting tcp:a:1 (a:1)...", "tcp:b:1 OK" };
		const char *o[5];
		conn_check_order(a, 5, o);
		for (size_t i = 0; i < 5; i++) {
			snprintf(name, sizeof(name), "grouping line %zu", i + 1);
			CHECK_STR(name, o[i], w[i]);
		}
	}
	return t_done();
}
