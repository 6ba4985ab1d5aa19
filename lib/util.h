/* util.h - messages, die-on-failure wrappers, monotonic time, bounded file reads */
#ifndef PB_UTIL_H
#define PB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EXIT_OK 0
#define EXIT_WARNING 1
#define EXIT_CRITICAL 2
#define EXIT_UNKNOWN 3

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

extern const char *applet_name;
/* its --help text, set by the multicall main (NULL: none) */
extern const char *applet_usage;
/* exit status of error_exit(): 3 (UNKNOWN) unless an applet says otherwise */
extern int applet_fail_code;

/* "applet: message" (+ ": strerror(errno)" for the perror forms), one write() to stderr */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void perror_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void error_exit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void perror_exit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* milliseconds on CLOCK_MONOTONIC; deadlines are absolute values of this clock */
int64_t mono_ms(void);
/* seconds with sub-ms resolution on CLOCK_MONOTONIC, for measured durations */
double mono_sec(void);
/* deadline from now + seconds (fractional; <= 0 means "now") */
int64_t deadline_in(double seconds);
/* the seconds deadline_in() was given for deadline, if it was this thread's last; else -1 */
double deadline_seconds(int64_t deadline);
/* ms left until deadline, at least 0, at most INT32_MAX (for poll()) */
int ms_left(int64_t deadline);

/* a bounded parser's place in its input (JSON, XML-RPC), and where its error goes */
struct arena;
struct pcur {
	const char *p, *end, *base;
	struct arena *a;
	unsigned depth;
	char *err;
	size_t errlen;
};
/* "offset N: " and the message into c->err; -1 */
int pcur_fail(struct pcur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* read a whole file of at most max bytes, NUL-terminated; NULL with errno on failure
 * (EFBIG when larger than max) */
char *read_file(const char *path, size_t max, size_t *len);

/* write all of buf to fd (blocking); -1 on error */
ssize_t write_all(int fd, const void *buf, size_t len);

/* the shared cases of an applet's getopt switch: -4 and -6 set *family (AF_INET, AF_INET6);
 * anything else is a usage error (':' a missing argument, '?' an unknown option) and exits */
void opt_common(int c, char **argv, int *family);

/* one of a few names: its index in names (n of them), or -1 */
int parse_choice(const char *s, const char *const *names, int n);
/* the same, or a usage error: "OPT: expected a, b or c, got 'S'" */
int xparse_choice(const char *opt, const char *s, const char *const *names, int n);

/* --format NAME, the same three everywhere: OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_PROMETHEUS,
 * or -1 for another name */
enum { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_PROMETHEUS };
extern const char *const output_format_names[3];
int parse_output_format(const char *s);

/* strict number parsing: the whole string must be a number; 0 on success */
int parse_double(const char *s, double *out);
int parse_long(const char *s, long min, long max, long *out);

/* bounded append to a fixed buffer: never overflows, always NUL-terminated */
struct sbuf {
	char *p;
	size_t len, cap;
};
void sbuf_init(struct sbuf *b, char *mem, size_t cap);
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* the hot output paths' formatting without printf (whose every call walks its format string
 * and, for one %f, its arbitrary-precision digit code): what "%s", "%lld" and "%.Nf" write */
void sbuf_puts(struct sbuf *b, const char *s);
/* strlcpy: src into dst[n], cut and NUL-terminated (n > 0); strlen(src) (snprintf "%s"
 * without printf's cost) */
size_t str_copy(char *dst, size_t n, const char *src);
void sbuf_long(struct sbuf *b, long long v);
void sbuf_fixed(struct sbuf *b, double v, int decimals);	/* decimals 0..6 */
/* "%lld" of v into out; its length */
#define FMT_LONG_MAX 21
size_t fmt_long(char out[FMT_LONG_MAX], long long v);

/* lower-case hex of n bytes into out (2n+1 bytes) */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
