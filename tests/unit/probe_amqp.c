/* probe_amqp.c - unit tests: the AMQP 0-9-1 frame readers and writers of the amqp probe
 * (net/amqp.h) on hand-made frames and on a Connection.Start captured from RabbitMQ 3.10
 * (tests/fuzz/corpus/amqp_frame/rabbitmq-start), and the probe's fields */
#include <stdio.h>
#include <string.h>

#include "../../lib/util.h"
#include "../../net/amqp.h"
#include "../../net/probe.h"
#include "t.h"

#define S(lit) (const unsigned char *)(lit), sizeof(lit) - 1
#define H (const unsigned char *)

static struct amqp_rd rd(const void *p, size_t n)
{
	struct amqp_rd r = { p, (const unsigned char *)p + n };
	return r;
}

static int str_is(struct amqp_rd v, const char *want)
{
	return (size_t)(v.end - v.p) == strlen(want) && !memcmp(v.p, want, strlen(want));
}

static void test_head(void)
{
	unsigned type, ch;
	uint32_t n;

	CHECK("head: a method frame", amqp_head(H"\1\0\0\0\0\1\xf7", &type, &ch, &n) == 0 &&
	      type == 1 && ch == 0 && n == 0x1f7);
	CHECK("head: a heartbeat on channel 258", amqp_head(H"\10\1\2\0\0\0\0", &type, &ch, &n) == 0
	      && type == 8 && ch == 258 && n == 0);
	CHECK("head: SSH is not a frame", amqp_head(H"SSH-2.0", &type, &ch, &n) == -1);
	CHECK("head: type 0 is not a frame", amqp_head(H"\0\0\0\0\0\0\0", &type, &ch, &n) == -1);
	CHECK("head: HTTP is not a frame", amqp_head(H"HTTP/1.", &type, &ch, &n) == -1);
	CHECK("head: the largest frame", amqp_head(H"\1\0\0\0\1\xff\xf8", &type, &ch, &n) == 0 &&
	      n == AMQP_FRAME_MAX - 8);
	CHECK("head: one byte more is refused", amqp_head(H"\1\0\0\0\1\xff\xf9", &type, &ch, &n) == -2
	      && n == AMQP_FRAME_MAX - 7);
	CHECK("head: a length that lies", amqp_head(H"\3\0\1\xff\xff\xff\xff", &type, &ch, &n) == -2
	      && n == 0xffffffffu);
}

static void test_readers(void)
{
	struct amqp_rd r = rd(S("\1\2\3\4\5\6\7")), s;

	CHECK("u: 1 byte", amqp_u(&r, 1) == 1);
	CHECK("u: 2 bytes", amqp_u(&r, 2) == 0x0203);
	CHECK("u: 4 bytes", amqp_u(&r, 4) == 0x04050607 && r.p);
	CHECK("u: past the end is 0 and bad", amqp_u(&r, 1) == 0 && !r.p);
	r = rd(S("\1\2\3"));
	CHECK("u: a short read takes nothing", amqp_u(&r, 4) == 0 && !r.p && amqp_u(&r, 1) == 0);
	r = rd(S("\3abcd"));
	s = amqp_sub(&r, 1);
	CHECK("sub: a shortstr", str_is(s, "abc") && r.p && amqp_u(&r, 1) == 'd');
	r = rd(S("\0\0\0\5abcd"));
	s = amqp_sub(&r, 4);
	CHECK("sub: a longstr longer than the bytes", !r.p && !s.p && !s.end);
	r = rd(S("\xff\xff\xff\xff"));
	s = amqp_sub(&r, 4);
	CHECK("sub: a length of 4 GiB", !r.p && !s.p);
}

static void test_table(void)
{
	/* every type RabbitMQ has, then "k" */
	static const char t[] =
		"\1tt\1" "\1bb\xff" "\1BB\1" "\1ss\0\1" "\1uu\0\1" "\1UU\0\1" "\1II\0\0\0\1"
		"\1ii\0\0\0\1" "\1ff\0\0\0\0" "\1DD\2\0\0\0\1" "\1dd\0\0\0\0\0\0\0\0"
		"\1ll\0\0\0\0\0\0\0\1" "\1LL\0\0\0\0\0\0\0\1" "\1TT\0\0\0\0\0\0\0\1" "\1VV"
		"\1xx\0\0\0\2\0\1" "\1AA\0\0\0\3S\0\0" "\1FF\0\0\0\5\1kS\0\0"
		"\1kS\0\0\0\5value" "\4flagt\1";
	struct amqp_rd v;

	CHECK("table: a value after every type", amqp_table_get(rd(S(t)), "k", &v) == 'S' &&
	      str_is(v, "value"));
	CHECK("table: a boolean", amqp_table_get(rd(S(t)), "flag", &v) == 't' && v.end - v.p == 1 &&
	      *v.p == 1);
	CHECK("table: a nested table", amqp_table_get(rd(S(t)), "F", &v) == 'F' && v.end - v.p == 5);
	CHECK("table: the first key", amqp_table_get(rd(S(t)), "t", &v) == 't');
	CHECK("table: void", amqp_table_get(rd(S(t)), "V", &v) == 'V' && v.p == v.end);
	CHECK("table: absent", amqp_table_get(rd(S(t)), "nope", &v) == 0);
	CHECK("table: a key inside the nested table is not at the top",
	      amqp_table_get(rd(S("\1FF\0\0\0\x08\1kS\0\0\0\1v")), "k", &v) == 0);
	CHECK("table: empty", amqp_table_get(rd(S("")), "k", &v) == 0);
	CHECK("table: an unknown type ends the walk",
	      amqp_table_get(rd(S("\1a?\1kS\0\0\0\1v")), "k", &v) == 0);
	CHECK("table: a value cut short",
	      amqp_table_get(rd(S("\1kS\0\0\0\x09v")), "k", &v) == 0);
	CHECK("table: a fixed value cut short", amqp_table_get(rd(S("\1kl\0\0")), "k", &v) == 0);
	CHECK("table: a key cut short", amqp_table_get(rd(S("\x09k")), "k", &v) == 0);
	CHECK("table: no type byte", amqp_table_get(rd(S("\1k")), "k", &v) == 0);
}

static void test_has(void)
{
	CHECK("has: PLAIN in RabbitMQ's list", amqp_has(rd(S("PLAIN AMQPLAIN")), "PLAIN"));
	CHECK("has: AMQPLAIN in RabbitMQ's list", amqp_has(rd(S("PLAIN AMQPLAIN")), "AMQPLAIN"));
	CHECK("has: AMQPLAIN only", !amqp_has(rd(S("AMQPLAIN")), "PLAIN"));
	CHECK("has: a longer word", !amqp_has(rd(S("PLAINS EXTERNAL")), "PLAIN"));
	CHECK("has: the last word, after spaces", amqp_has(rd(S("EXTERNAL  PLAIN")), "PLAIN"));
	CHECK("has: a trailing space", amqp_has(rd(S("PLAIN ")), "PLAIN"));
	CHECK("has: empty", !amqp_has(rd(S("")), "PLAIN"));
}

static void test_methods(void)
{
	struct amqp_msg m;

	CHECK("method: Tune", amqp_method(S("\0\x0a\0\x1e\x07\xff\0\2\0\0\0\x3c"), &m) == 0 &&
	      m.id == AMQP_TUNE && m.channel_max == 2047 && m.frame_max == 131072 && m.heartbeat == 60);
	CHECK("method: Tune cut short", amqp_method(S("\0\x0a\0\x1e\x07\xff\0\2"), &m) < 0);
	CHECK("method: Close", amqp_method(S("\0\x0a\0\x32\1\x93\x0e" "ACCESS_REFUSED\0\0\0\0"), &m) == 0
	      && m.id == AMQP_CLOSE && m.code == 403 && str_is(m.text, "ACCESS_REFUSED"));
	CHECK("method: Close whose text lies", amqp_method(S("\0\x0a\0\x32\1\x93\xff" "ACCESS"), &m) < 0);
	CHECK("method: Open-Ok", amqp_method(S("\0\x0a\0\x29\0"), &m) == 0 && m.id == AMQP_OPEN_OK);
	CHECK("method: Close-Ok", amqp_method(S("\0\x0a\0\x33"), &m) == 0 && m.id == AMQP_CLOSE_OK);
	CHECK("method: no id", amqp_method(S("\0\x0a"), &m) < 0);
	CHECK("method: Start without locales",
	      amqp_method(S("\0\x0a\0\x0a\0\x09\0\0\0\0\0\0\0\5PLAIN"), &m) < 0);
}

static void test_rabbitmq_start(void)
{
	size_t len = 0;
	char *f = read_file("tests/fuzz/corpus/amqp_frame/rabbitmq-start", 4096, &len);
	const unsigned char *p = (const unsigned char *)f;
	unsigned type, ch;
	uint32_t n = 0;
	struct amqp_msg m;
	struct amqp_rd v;

	CHECK("rabbitmq: the capture is there", f && len == 511);
	if (!f)
		return;
	CHECK("rabbitmq: head", amqp_head(p, &type, &ch, &n) == 0 && type == 1 && ch == 0 &&
	      n + 8 == len && p[len - 1] == AMQP_FRAME_END);
	CHECK("rabbitmq: Start", amqp_method(p + 7, n, &m) == 0 && m.id == AMQP_START &&
	      m.major == 0 && m.minor == 9);
	CHECK("rabbitmq: product", amqp_table_get(m.props, "product", &v) == 'S' &&
	      str_is(v, "RabbitMQ"));
	CHECK("rabbitmq: version", amqp_table_get(m.props, "version", &v) == 'S' &&
	      str_is(v, "3.10.8"));
	CHECK("rabbitmq: platform", amqp_table_get(m.props, "platform", &v) == 'S' &&
	      str_is(v, "Erlang/OTP 25.2.3"));
	CHECK("rabbitmq: capabilities", amqp_table_get(m.props, "capabilities", &v) == 'F' &&
	      amqp_table_get(v, "authentication_failure_close", &v) == 't' && *v.p == 1);
	CHECK("rabbitmq: mechanisms", str_is(m.mechs, "PLAIN AMQPLAIN"));
	free(f);
}

static int bytes_are(const struct amqp_wr *w, const void *want, size_t n)
{
	if (!w->bad && w->n == n && !memcmp(w->p, want, n))
		return 1;
	for (size_t i = 0; i < w->n; i++)
		printf("%s%02x", i ? " " : "    got ", w->p[i]);
	printf("\n");
	return 0;
}

#define PROPS "\0\0\0\x46" "\x07product" "S\0\0\0\x08probebox" "\x0c" "capabilities" \
	"F\0\0\0\x1f" "\x1c" "authentication_failure_close" "t\1"

static void test_writers(void)
{
	unsigned char buf[512];
	struct amqp_wr w = { buf, 0, sizeof(buf), 0 };
	struct amqp_msg m = { .channel_max = 2047, .frame_max = 131072, .heartbeat = 60 };
	struct amqp_msg big = { .channel_max = 0, .frame_max = 0x7fffffff };
	static const char plain[] = "\1\0\0\0\0\0\x64" "\0\x0a\0\x0b" PROPS "\5PLAIN"
		"\0\0\0\x06" "\0us\0pw" "\5en_US" "\xce";
	static const char amqplain[] = "\1\0\0\0\0\0\x7e" "\0\x0a\0\x0b" PROPS "\x08" "AMQPLAIN"
		"\0\0\0\x1d" "\5LOGINS\0\0\0\2us" "\x08PASSWORDS\0\0\0\2pw" "\5en_US" "\xce";
	static const char tune_open[] = "\1\0\0\0\0\0\x0c" "\0\x0a\0\x1f" "\x07\xff\0\2\0\0\0\0" "\xce"
		"\1\0\0\0\0\0\x0d" "\0\x0a\0\x28" "\6testvh\0\0" "\xce";
	static const char open_root[] = "\1\0\0\0\0\0\x0c" "\0\x0a\0\x1f" "\0\0\0\2\0\0\0\0" "\xce"
		"\1\0\0\0\0\0\x08" "\0\x0a\0\x28" "\1/\0\0" "\xce";
	char name[300];

	amqp_start_ok(&w, "us", "pw", 0);
	CHECK("write: Start-Ok with PLAIN", bytes_are(&w, plain, sizeof(plain) - 1));
	w.n = 0;
	amqp_start_ok(&w, "us", "pw", 1);
	CHECK("write: Start-Ok with AMQPLAIN", bytes_are(&w, amqplain, sizeof(amqplain) - 1));
	w.n = 0;
	amqp_tune_open(&w, &m, "testvh");
	CHECK("write: Tune-Ok (the server's limits, no heartbeat) and Open",
	      bytes_are(&w, tune_open, sizeof(tune_open) - 1));
	w.n = 0;
	amqp_tune_open(&w, &big, "/");
	CHECK("write: a frame-max above ours is ours", bytes_are(&w, open_root, sizeof(open_root) - 1));
	w.n = 0;
	w.cap = 100;
	amqp_start_ok(&w, "us", "pw", 0);
	CHECK("write: a frame that does not fit is bad", w.bad && w.n <= w.cap);
	w = (struct amqp_wr){ buf, 0, sizeof(buf), 0 };
	memset(name, 'v', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	amqp_putb(&w, 1, name, 256);
	CHECK("write: a shortstr of 256 bytes is bad", w.bad && w.n == 0);
}

/* probe_ready()'s error for the YAML fields kv, "" when ready */
static const char *ready(const char *const *kv, const char **vhost, int *tls)
{
	static char err[300];
	const struct probe_type *t = probe_find("amqp");
	void *s = probe_spec_new(t);

	err[0] = 0;
	for (; *kv; kv += 2) {
		const struct probe_field *f = probe_field(t, kv[0], 0);
		if (!f || probe_set(s, f, kv[1], strlen(kv[1]), err, sizeof(err)) < 0)
			return "(refused)";
	}
	probe_ready(t, s, err, sizeof(err));
	if (vhost)
		*vhost = *(const char **)((char *)s + probe_field(t, "vhost", 0)->off);
	if (tls)
		*tls = ((struct probe_base *)s)->tls;
	return err;
}

static void test_fields(void)
{
	const struct probe_type *t = probe_find("amqp");
	const char *vh = NULL;
	const struct probe_field *f;
	char long_vhost[300];
	int tls = -1;

	CHECK("probe: amqp is built in", t && t->layout == PL_TCP_FIRST);
	if (!t)
		return;
	f = probe_field(t, "password", 0);
	CHECK("probe: the password is a secret", f && (f->flags & PF_SECRET) && f->type == PF_STR);
	CHECK("probe: -p names are the YAML keys", probe_field(t, "vhost", 1) &&
	      probe_field(t, "use_tls", 1) && probe_field(t, "username", 1));
	CHECK_STR("probe: the username is required",
		  ready((const char *[]){ "host", "h", "port", "5671", "password", "x", NULL }, NULL,
			NULL), "username missing");
	CHECK_STR("probe: the password is required",
		  ready((const char *[]){ "host", "h", "port", "5671", "username", "u", NULL }, NULL,
			NULL), "password missing");
	CHECK_STR("probe: the port is required",
		  ready((const char *[]){ "host", "h", "username", "u", "password", "p", NULL }, NULL,
			NULL), "port missing");
	CHECK_STR("probe: ready without TLS",
		  ready((const char *[]){ "host", "h", "port", "5672", "username", "u", "password", "p",
				       "use_tls", "false", NULL }, &vh, &tls), "");
	CHECK("probe: vhost defaults to /", vh && !strcmp(vh, "/") && tls == 0);
	memset(long_vhost, 'v', 256);
	long_vhost[256] = 0;
	CHECK_STR("probe: a vhost longer than a shortstr",
		  ready((const char *[]){ "host", "h", "port", "5672", "username", "u", "password", "p",
				       "use_tls", "no", "vhost", long_vhost, NULL }, NULL, NULL),
		  "vhost: longer than 255 bytes");
	if (tls_available) {
		tls = -1;
		CHECK_STR("probe: ready with TLS",
			  ready((const char *[]){ "host", "h", "port", "5671", "username", "u",
					       "password", "p", NULL }, NULL, &tls), "");
		CHECK("probe: use_tls defaults to true", tls == 1);
	}
}

int main(void)
{
	test_head();
	test_readers();
	test_table();
	test_has();
	test_methods();
	test_rabbitmq_start();
	test_writers();
	test_fields();
	return t_done();
}
