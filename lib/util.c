/* util.c - messages, die-on-failure wrappers, monotonic time, bounded file reads */
//kbuild:obj-y += util.o

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"

const char *applet_name = "probebox";
const char *applet_usage;
int applet_fail_code = EXIT_UNKNOWN;

static void vmsg(int err, const char *fmt, va_list ap)
{
	char buf[1024];
	struct sbuf b;

	sbuf_init(&b, buf, sizeof(buf) - 1);
	sbuf_printf(&b, "%s: ", applet_name);
	if (fmt) {
		int n = vsnprintf(b.p + b.len, b.cap - b.len, fmt, ap);
		if (n > 0)
			b.len += (size_t)n < b.cap - b.len ? (size_t)n : b.cap - b.len - 1;
	}
	if (err)
		sbuf_printf(&b, ": %s", strerror(err));
	b.p[b.len++] = '\n';
	/* one write, so concurrent messages do not interleave; EPIPE is not worth a word */
	(void)!write(2, b.p, b.len);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void perror_msg(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vmsg(e, fmt, ap);
	va_end(ap);
}

void error_exit(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	fflush(stdout);
	exit(applet_fail_code);
}

void perror_exit(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vmsg(e, fmt, ap);
	va_end(ap);
	fflush(stdout);
	exit(applet_fail_code);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		error_exit("out of memory");
	return p;
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		error_exit("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		error_exit("out of memory");
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *p = xmalloc(l + 1);
	memcpy(p, s, l);
	p[l] = 0;
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, SIZE_MAX - 1);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		error_exit("bad format");
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double mono_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the last deadline this thread made and the seconds asked for, so that a timeout message
 * says "after 0.5s" even when the step began a loaded moment after the deadline was set */
static _Thread_local int64_t last_deadline;
static _Thread_local double last_seconds;

int64_t deadline_in(double seconds)
{
	int64_t d;

	if (!(seconds > 0))
		seconds = 0;
	if (seconds > 1e9)
		seconds = 1e9;
	d = mono_ms() + (int64_t)ceil(seconds * 1000);
	last_deadline = d;
	last_seconds = seconds;
	return d;
}

double deadline_seconds(int64_t deadline)
{
	return deadline == last_deadline ? last_seconds : -1;
}

int ms_left(int64_t deadline)
{
	int64_t d = deadline - mono_ms();
	if (d < 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

int pcur_fail(struct pcur *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "offset %zu: ", (size_t)(c->p - c->base));

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

char *read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 4096;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

ssize_t write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

void opt_common(int c, char **argv, int *family)
{
	switch (c) {
	case '4':
		*family = AF_INET;
		return;
	case '6':
		if (!ENABLE_FEATURE_IPV6)
			error_exit("IPv6 is not supported by this build");
		*family = AF_INET6;
		return;
	case ':':
		error_exit("option '%s' needs an argument (see --help)", argv[optind - 1]);
	default:
		error_exit("unknown option '%s' (see --help)", argv[optind - 1]);
	}
}

int parse_choice(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int xparse_choice(const char *opt, const char *s, const char *const *names, int n)
{
	char buf[256];
	struct sbuf b;
	int i = parse_choice(s, names, n);

	if (i >= 0)
		return i;
	sbuf_init(&b, buf, sizeof(buf));
	for (i = 0; i < n; i++)
		sbuf_printf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", names[i]);
	error_exit("%s: expected %s, got '%s'", opt, buf, s);
}

const char *const output_format_names[3] = { "text", "json", "prometheus" };

int parse_output_format(const char *s)
{
	return parse_choice(s, output_format_names, (int)ARRAY_LEN(output_format_names));
}

int parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || isnan(v))
		return -1;
	*out = v;
	return 0;
}

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void sbuf_init(struct sbuf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap;
	if (cap)
		mem[0] = 0;
}

void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (!b->cap)
		return;
	if (n > b->cap - 1 - b->len)
		n = b->cap - 1 - b->len;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->cap || b->len >= b->cap - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

size_t str_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (n) {
		size_t k = len < n ? len : n - 1;
		memmove(dst, src, k);
		dst[k] = 0;
	}
	return len;
}

size_t fmt_long(char out[FMT_LONG_MAX], long long v)
{
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	char tmp[20];
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		out[k++] = '-';
	while (n)
		out[k++] = tmp[--n];
	out[k] = 0;
	return k;
}

void sbuf_long(struct sbuf *b, long long v)
{
	char t[FMT_LONG_MAX];

	sbuf_add(b, t, fmt_long(t, v));
}

/* x * y == p + the result, exactly, for p = x * y rounded (Dekker's product; needs doubles
 * evaluated as doubles and no fused multiply-add, as -std=c11 compiles it) */
static double product_error(double x, double y, double p)
{
	const double split = 134217729.0;	/* 2^27 + 1 */
	double t = split * x, xh = t - (t - x), xl = x - xh;
	double u = split * y, yh = u - (u - y), yl = y - yh;

	return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
}

/* "%.Nf" as printf writes it: the exact binary value rounded, ties to even. v * 10^N is
 * rounded once in p, and its exact error e decides the cases near a half; outside
 * 0 <= v * 10^N < 2^40 (and for NaN and -0) printf itself */
void sbuf_fixed(struct sbuf *b, double v, int decimals)
{
	static const long long pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	long long scale, r;
	double p, e, f;
	int up;

	if (decimals < 0 || decimals > 6 || !(v >= 0) || signbit(v) ||
	    v * 1e6 >= 1099511627776.0) {
		sbuf_printf(b, "%.*f", decimals, v);
		return;
	}
	scale = pow10[decimals];
	p = v * (double)scale;
	e = product_error(v, (double)scale, p);
	r = (long long)p;
	f = p - (double)r;	/* exact: 0 <= f < 1 */
	if (f < 0.25)
		up = 0;		/* |e| < 2^-12: far from a half */
	else if (f > 0.75)
		up = 1;
	else {
		double s = (f - 0.5) + e;	/* f - 0.5 is exact; s has the sign of the sum */
		up = s > 0 || (s == 0 && (r & 1));
	}
	r += up;
	sbuf_long(b, r / scale);
	if (decimals) {
		char t[8];
		long long frac = r % scale;
		for (int i = decimals - 1; i >= 0; i--, frac /= 10)
			t[i] = (char)('0' + frac % 10);
		sbuf_add(b, ".", 1);
		sbuf_add(b, t, (size_t)decimals);
	}
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = 0;
}
