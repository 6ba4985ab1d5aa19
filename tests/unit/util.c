/* unit tests: lib/util.c's formatting without printf writes exactly what printf writes */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "t.h"
#include "../../lib/util.h"

/* one value: sbuf_fixed against "%.Nf"; 1 when equal (prints the first few differences) */
static int same_fixed(double v, int d)
{
	static int shown;
	char a[64], w[64];
	struct sbuf b;

	sbuf_init(&b, a, sizeof(a));
	sbuf_fixed(&b, v, d);
	snprintf(w, sizeof(w), "%.*f", d, v);
	if (strcmp(a, w) && shown++ < 5)
		printf("    %.17g with %d decimals: got %s, want %s\n", v, d, a, w);
	return !strcmp(a, w);
}

static uint64_t rnd(void)
{
	static uint64_t s = 88172645463325252ull;

	s ^= s << 13, s ^= s >> 7, s ^= s << 17;
	return s;
}

static void fixed(void)
{
	static const double ties[] = { 0.0625, 0.0015, 1.0005, 2.5, 0.5, 1.5, 0.125, 0.375,
				       0.0005, 0.00049999999999999999, 123.4565, 9.9995, 0, 1e-300,
				       5e-324, 0.9999995, 1e9, 1099511.627776, -0.0, -1.5, NAN,
				       INFINITY, 1e300 };
	int ok = 1, n = 0;

	for (size_t i = 0; i < sizeof(ties) / sizeof(ties[0]); i++)
		for (int d = 0; d <= 6; d++)
			ok &= same_fixed(ties[i], d);
	CHECK("sbuf_fixed: halves, ties to even, bounds, NaN and infinities as printf", ok);
	ok = 1;
	/* times as the probes measure them: nanoseconds / 1e9, and k / 2^m near every half */
	for (int i = 0; i < 200000; i++, n++) {
		double v = (double)(rnd() % 100000000000ull) / 1e9;
		ok &= same_fixed(v, 3) && same_fixed(v, (int)(rnd() % 7));
		v = (double)(rnd() % 4000000) / 2000.0 + (double)((int)(rnd() % 5) - 2) * DBL_EPSILON;
		ok &= same_fixed(v, 3);
	}
	CHECK("sbuf_fixed: 600000 random times as printf", ok && n == 200000);
}

static void longs(void)
{
	static const long long v[] = { 0, 1, -1, 9, 10, 65535, -65536, LLONG_MAX, LLONG_MIN };
	char a[FMT_LONG_MAX], w[32], buf[8];
	struct sbuf b;
	int ok = 1;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(w, sizeof(w), "%lld", v[i]);
		ok &= fmt_long(a, v[i]) == strlen(w) && !strcmp(a, w);
	}
	CHECK("fmt_long as %lld, both ends of long long", ok);
	sbuf_init(&b, buf, sizeof(buf));
	sbuf_puts(&b, "port ");
	sbuf_long(&b, 65535);
	CHECK_STR("sbuf_long: cut to the buffer, NUL-terminated", buf, "port 65");
}

int main(void)
{
	fixed();
	longs();
	return t_done();
}
