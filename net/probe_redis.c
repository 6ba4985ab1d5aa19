/* probe_redis.c - the redis probe: RESP2 (the Redis serialization protocol specification)
 * over TCP. AUTH [username] password (Redis 6 ACL), SELECT database, PING (any reply but an
 * error is up), then INFO for redis.version, redis.role and redis.mode, left out when the
 * user may not run it; sent in one write, the replies read in order by resp_parse(),
 * bounded by RESP_MAX. tcp.*, redis.version, redis.role, redis.mode
 */
//probe:IF_PROBE_REDIS(PROBE(redis))
//kbuild:obj-$(CONFIG_PROBE_REDIS) += probe_redis.o
//config:config PROBE_REDIS
//config:	bool "redis probe (+2 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	help
//config:	  Redis over its own protocol (RESP2): AUTH with a password, or a username
//config:	  and password (Redis 6 ACL), SELECT a database, PING, and the server's
//config:	  version and role from INFO. conn-check's redis checks, chksrv redis.
#include "probe.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp.h"
#include "../lib/util.h"

struct probe_redis {
	struct probe_hp hp;
	const char *password, *username;
	long database;			/* 0: no SELECT */
};

static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_redis),
	PROBE_F(struct probe_redis, password, "password", "password", PF_STR, PF_SECRET | PF_AUTH, NULL),
	PROBE_F(struct probe_redis, username, "username", "username", PF_STR, 0, NULL),
	PROBE_FI(struct probe_redis, database, "database", "database", NULL, 0, 2147483647),
};

int resp_line(const char *p, size_t len, size_t max, struct resp *r)
{
	char *end;

	if (!len || !memchr("+-:$*", *p, 5))
		return RESP_BAD;
	if (p[len - 1] != '\n')
		return RESP_MORE;
	if (len < 3 || p[len - 2] != '\r')
		return RESP_BAD;
	r->type = *p;
	r->p = p + 1;
	r->len = len - 3;
	if (*p == '+' || *p == '-')
		return 0;
	/* a digit or '-' first (strtoll would skip spaces, CR and LF too), the CR ends the
	 * number; an overflow saturates, and is over max */
	if (*r->p != '-' && (*r->p < '0' || *r->p > '9'))
		return RESP_BAD;
	r->n = strtoll(r->p, &end, 10);
	if (end != p + len - 2 || (*p != ':' && r->n < -1))
		return RESP_BAD;
	/* a length that lies is refused before anything waits for it */
	return *p == '$' && r->n > (long long)max ? RESP_BIG : 0;
}

/* send q and read the reply, INFO's fields into the record: 1, -1 an error reply, 0 failed;
 * recorded after what. secret: not to be shown (AUTH's password) */
static int ask(struct conn *c, struct record *r, const char *what, const char *q,
	       const char *secret)
{
	static const char *const info[] = { "redis.version", "redis_version:", "redis.role",
					    "role:", "redis.mode", "redis_mode:" };
	char line[512];
	const char *why = line;
	struct resp v;
	ssize_t got;
	long long left;
	int rc;

	/* a failed write shows as the missing reply */
	conn_write(c, q, strlen(q));
	got = conn_readline(c, line, sizeof(line));
	rc = got > 0 ? resp_line(line, (size_t)got, RESP_MAX, &v) : RESP_MORE;
	if (rc == RESP_BAD)
		return probe_error(r, "not a redis server: %s",
				   probe_first_line(line, 120, line, (size_t)got)), 0;
	if (rc == RESP_MORE) {
		why = got < 0 ? c->errmsg : got && (size_t)got + 1 == sizeof(line) ?
		      "a reply too long" : "connection closed by the server";
		goto fail;
	}
	if (rc == RESP_BIG || v.type == '*') {
		why = rc ? "a reply too long" : "an array reply";
		goto fail;
	}
	if (v.type == '-') {
		probe_first_line(line, 200, v.p, v.len);
		/* a refused AUTH may quote its arguments ("unknown command 'AUTH', with args
		 * beginning with: ..."): then only the error's code is shown */
		if (secret && (strstr(line, "args") || strstr(line, secret)))
			line[strcspn(line, " ")] = 0;
		probe_error(r, "%s: %s", what, line);
		return -1;
	}
	/* a bulk (INFO's text) is read a line at a time, its length counted */
	for (left = v.type == '$' && v.n >= 0 ? v.n + 2 : 0; left > 0; left -= got) {
		got = conn_readline(c, line, sizeof(line));
		if (got <= 0) {
			why = got ? c->errmsg : "connection closed by the server";
			goto fail;
		}
		for (size_t i = 0, l; i < ARRAY_LEN(info); i += 2)
			if (!strncmp(line, info[i + 1], l = strlen(info[i + 1])))
				record_set_strn(r, info[i], line + l, strcspn(line + l, "\r\n"));
	}
	if (!left)
		return 1;
	why = "a reply too long";
fail:
	probe_error(r, "%s: %s", what, why);
	return 0;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_redis *s = spec;
	const char *pw = s->password ? s->password : "", *u = s->username;
	char q[40];
	struct conn c;
	int ok = 0;

	snprintf(q, sizeof(q), "%ld", s->hp.port);
	if (!probe_connect(&s->hp.base, &c, s->hp.host, q, deadline, r))
		return 0;
	/* a user name alone is one without a password (nopass); the password and user name go
	 * as bulk strings: any bytes, spaces and quotes too */
	if (u || *pw) {
		char *a = u ? xasprintf("*3\r\n$4\r\nAUTH\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n",
					strlen(u), u, strlen(pw), pw) :
			      xasprintf("*2\r\n$4\r\nAUTH\r\n$%zu\r\n%s\r\n", strlen(pw), pw);
		ok = ask(&c, r, "AUTH", a, *pw ? pw : NULL);
		free(a);
		if (ok <= 0)
			goto out;
	}
	snprintf(q, sizeof(q), "SELECT %ld\r\n", s->database);
	if ((s->database && ask(&c, r, "SELECT", q, NULL) <= 0) ||
	    ask(&c, r, "PING", "PING\r\n", NULL) <= 0) {
		ok = 0;
		goto out;
	}
	/* the service is up: a user without INFO (NOPERM) or a renamed INFO is fine */
	ok = ask(&c, r, "INFO", "INFO\r\n", NULL) != 0;
out:
	conn_close(&c);
	return ok;
}

const struct probe_type probe_redis = {
	.name = "redis",
	.layout = PL_PREFIXED,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_redis),
	.check = probe_hp_check,
	.run = run,
	.target = probe_hp_target,
};
