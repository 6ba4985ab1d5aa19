/* memcache.c - unit tests: the memcache probe's reply to "version", its name and alias */
#include "../../net/memcache.h"
#include "../../net/probe.h"
#include "t.h"

static const char *ver;

static int version(const char *s)
{
	ver = NULL;
	return memcache_version(s, strlen(s), &ver);
}

int main(void)
{
	const struct probe_type *t = probe_find("memcache");
	const struct probe_field *f;
	char out[16];

	CHECK("VERSION 1.6.18", version("VERSION 1.6.18\r\n") == 6 && !memcmp(ver, "1.6.18", 6));
	CHECK("without CR", version("VERSION 1.6.18\n") == -1);
	CHECK("empty version", version("VERSION \r\n") == -1);
	CHECK("a proxy's version with a space", version("VERSION mcrouter 0.41.0\r\n") == 15);
	CHECK("space first", version("VERSION  1\r\n") == -1);
	CHECK("control byte", version("VERSION 1\0012\r\n") == -1);
	CHECK("lower case", version("version 1.6\r\n") == -1);
	CHECK("ERROR", version("ERROR\r\n") == -1);
	CHECK("a banner", version("220 smtp.example ESMTP\r\n") == -1);
	CHECK("empty", memcache_version("", 0, &ver) == -1);

	CHECK_STR("first line", probe_first_line(out, sizeof(out), "ab\x01\r\nc", 6), "ab?");
	CHECK_STR("first line cut", probe_first_line(out, sizeof(out), "0123456789abcdefgh", 18),
		  "0123456789ab...");
	CHECK_STR("first line that fits", probe_first_line(out, sizeof(out), "0123456789abcde", 15),
		  "0123456789abcde");
	CHECK_STR("first line empty", probe_first_line(out, sizeof(out), "\n", 1), "");

	CHECK("the memcache probe", t != NULL);
	if (!t)
		return t_done();
	CHECK("alias memcached", probe_find("memcached") == t);
	CHECK("memcache layout", t->layout == PL_PREFIXED);
	f = probe_field(t, "password", 0);
	CHECK("password accepted, a secret", f && (f->flags & PF_SECRET));
	return t_done();
}
