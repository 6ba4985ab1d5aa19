/* probe_smtp.c - the smtp probe: the greeting, EHLO (HELO as a fallback), STARTTLS (RFC 3207)
 * on a plain port or implicit TLS (RFC 8314), AUTH PLAIN (RFC 4616) or LOGIN (RFC 4954), then
 * MAIL FROM / RCPT TO / DATA (RFC 5321) with the message conn-check builds (Python's MIMEText,
 * RFC 2045) and QUIT. Replies are read by smtp_reply_parse(), bounded in lines and bytes.
 * tcp.*, ssl.*, smtp.banner, smtp.starttls, smtp.auth, smtp.sent, smtp.queued, smtp.time.*
 */
//probe:IF_PROBE_SMTP(PROBE(smtp))
//kbuild:obj-$(CONFIG_PROBE_SMTP) += probe_smtp.o
//config:config PROBE_SMTP
//config:	bool "smtp probe (+5 kB)"
//config:	default y
//config:	depends on CONN_CHECK || CHKSRV
//config:	select PROBE
//config:	select BASE64
//config:	help
//config:	  Log in to an SMTP server (implicit TLS, or STARTTLS when offered; AUTH
//config:	  PLAIN or LOGIN) and send it a message, or stop after AUTH (send: false).
//config:	  conn-check's smtp checks, chksrv smtp.
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "../lib/base64.h"
#include "../lib/util.h"

#define X_STARTTLS 1
#define X_PLAIN 2
#define X_LOGIN 4

struct probe_smtp {
	struct probe_hp hp;		/* hp.base.tls: use_tls (implicit TLS) */
	const char *user, *password, *from, *to, *message, *subject;
	int helo_fallback, starttls, send, no_verify;
	/* made by check(): the lines to send, CRLF-terminated */
	char *tls_err;			/* why TLS cannot be set up, for STARTTLS */
	char *ehlo, *helo, *plain, *luser, *lpass, *mail, *rcpt, *data;
	char hostbuf[256];
	struct tls_opts o;
};

#define F(m, y, t, fl, d) PROBE_F(struct probe_smtp, m, y, y, t, fl, d)
static const struct probe_field fields[] = {
	PROBE_HP_FIELDS(struct probe_smtp),
	F(user, "username", PF_STR, 0, NULL),
	F(password, "password", PF_STR, PF_SECRET, NULL),
	F(from, "from_address", PF_STR, 0, NULL),
	F(to, "to_address", PF_STR, 0, NULL),
	F(message, "message", PF_STR, 0, ""),
	F(subject, "subject", PF_STR, 0, ""),
	F(helo_fallback, "helo_fallback", PF_BOOL, 0, NULL),
	F(hp.base.tls, "use_tls", PF_BOOL, 0, "true"),
	F(starttls, "starttls", PF_BOOL, 0, "true"),
	F(send, "send", PF_BOOL, 0, "true"),
	F(no_verify, "disable_tls_verification", PF_BOOL, 0, NULL),
};
#undef F

/* --- the reply parser ---------------------------------------------------------------------- */

/* 0 when the n bytes at p can start a reply line: [2-5][0-5][0-9], then ' ', '-' or the end */
static int bad_head(const char *p, size_t n)
{
	static const char lo[] = "200", hi[] = "559";

	for (size_t i = 0; i < n && i < 4; i++)
		if (i < 3 ? p[i] < lo[i] || p[i] > hi[i]
			  : p[i] != ' ' && p[i] != '-' && (p[i] != '\r' || n > 4))
			return 1;
	return 0;
}

long smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *r)
{
	size_t pos = 0, n, i;

	r->code = 0;
	r->len = 0;
	r->text[0] = 0;
	r->why = NULL;
	for (;;) {
		const char *p = buf + pos, *nl = memchr(p, '\n', len - pos);

		n = nl ? (size_t)(nl - p) : len - pos;
		if (n >= SMTP_LINE_MAX)
			r->why = "reply line longer than 1000 bytes";
		else if (bad_head(p, n) || (nl && n < 3))
			r->why = "not an SMTP reply";
		else if (memcmp(p, buf, n < 3 ? n : 3))
			r->why = "reply lines with different codes";
		else if (pos + n >= SMTP_REPLY_MAX)
			r->why = "reply longer than 4096 bytes";
		else if (!nl)
			return 0;
		n -= n && p[n - 1] == '\r';
		i = 4;
		if (r->why)	/* the offending line's start, for the message */
			r->len = i = 0, n = n < 60 ? n : 60;
		else if (pos)
			r->text[r->len++] = '\n';
		for (; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			r->text[r->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
		}
		r->text[r->len] = 0;
		if (r->why)
			return -1;
		pos += (size_t)(nl - p) + 1;
		if (n == 3 || p[3] == ' ') {
			r->code = (buf[0] - '0') * 100 + (buf[1] - '0') * 10 + buf[2] - '0';
			return (long)pos;
		}
	}
}

/* --- the session --------------------------------------------------------------------------- */

struct sess {
	struct conn c;
	struct record *r;
	size_t have;			/* bytes in buf not yet parsed */
	struct smtp_reply rep;
	char buf[SMTP_REPLY_MAX];
	char msg[SMTP_REPLY_MAX + 8];	/* the reply on one line: "CODE TEXT" */
};

/* send line (NULL: none), then read the reply into x->rep and x->msg: 1 when its code is in
 * class want (2: 2yz, 3: 3yz), else 0 with the error "what: CODE TEXT" or why no reply was
 * read (then rep.code is 0) */
static int cmd(struct sess *x, const char *line, const char *what, int want)
{
	struct smtp_reply *p = &x->rep;
	const char *why = x->c.errmsg;
	ssize_t n;

	p->code = 0;
	if (line && conn_write(&x->c, line, strlen(line)) < 0)
		goto fail;
	while (!(n = smtp_reply_parse(x->buf, x->have, p))) {
		if ((n = conn_read(&x->c, x->buf + x->have, sizeof(x->buf) - x->have)) <= 0) {
			why = n ? why : "connection closed";
			goto fail;
		}
		x->have += (size_t)n;
	}
	why = x->msg;
	if (n < 0) {
		snprintf(x->msg, sizeof(x->msg), "%s: '%s'", p->why, p->text);
		goto fail;
	}
	x->have -= (size_t)n;
	memmove(x->buf, x->buf + n, x->have);
	snprintf(x->msg, sizeof(x->msg), "%d %s", p->code, p->text);
	for (char *t = x->msg; (t = strchr(t, '\n'));)
		*t = ' ';
	if (p->code / 100 == want)
		return 1;
fail:
	probe_error(x->r, "%s: %s", what, why);
	return 0;
}

/* the extensions of an EHLO reply we use (RFC 5321 4.1.1.1: a keyword per line after the
 * first; AUTH=... is the pre-standard form some servers still send) */
static unsigned extensions(char *t)
{
	unsigned x = 0;
	char *save, *line = strtok_r(t, "\n", &save);

	while ((line = strtok_r(NULL, "\n", &save))) {
		char *s2, *w = strtok_r(line, " =", &s2);
		if (!strcasecmp(w, "STARTTLS"))
			x |= X_STARTTLS;
		else if (!strcasecmp(w, "AUTH"))
			while ((w = strtok_r(NULL, " =", &s2)))
				x |= !strcasecmp(w, "PLAIN") ? X_PLAIN : !strcasecmp(w, "LOGIN") ? X_LOGIN : 0;
	}
	return x;
}

/* EHLO, or HELO after a refusal when asked: the extensions, 0 after HELO, -1 on failure */
static int hello(struct sess *x, const struct probe_smtp *s)
{
	if (cmd(x, s->ehlo, "EHLO", 2))
		return (int)extensions(x->rep.text);
	if (!s->helo_fallback || !x->rep.code)
		return -1;
	return cmd(x, s->helo, "HELO", 2) - 1;
}

static int secure(struct sess *x, const struct probe_smtp *s)
{
	return probe_starttls(&x->c, &s->o, x->r) &&
	       probe_tls_verdict(&x->c, &s->o, !s->no_verify, x->r);
}

static int session(struct sess *x, const struct probe_smtp *s)
{
	int ext, tls = s->hp.base.tls;

	if ((tls && !secure(x, s)) || !cmd(x, NULL, "greeting", 2))
		return 0;
	record_set_str(x->r, "smtp.banner", x->msg + 4);
	if ((ext = hello(x, s)) < 0)
		return 0;
	if (!tls && s->starttls && (ext & X_STARTTLS)) {
		if (s->tls_err)
			return probe_error(x->r, "STARTTLS: %s", s->tls_err), 0;
		if (!cmd(x, "STARTTLS\r\n", "STARTTLS", 2))
			return 0;
		/* what came with the 220 was sent in the clear: a command injection (RFC 3207 5) */
		if (x->have)
			return probe_error(x->r, "STARTTLS: data after the reply"), 0;
		if (!secure(x, s) || (ext = hello(x, s)) < 0)
			return 0;
		record_set_bool(x->r, "smtp.starttls", 1);
	}
	if (s->user) {
		const char *m = ext & X_PLAIN ? "AUTH PLAIN" : "AUTH LOGIN";
		if (!(ext & (X_PLAIN | X_LOGIN)))
			return probe_error(x->r, "AUTH: no PLAIN or LOGIN offered"), 0;
		record_set_str(x->r, "smtp.auth", m + 5);
		if (ext & X_PLAIN ? !cmd(x, s->plain, m, 2) :
		    !cmd(x, "AUTH LOGIN\r\n", m, 3) || !cmd(x, s->luser, m, 3) || !cmd(x, s->lpass, m, 2))
			return 0;
	}
	if (s->send) {
		if (!cmd(x, s->mail, "MAIL FROM", 2) || !cmd(x, s->rcpt, "RCPT TO", 2) ||
		    !cmd(x, "DATA\r\n", "DATA", 3) || !cmd(x, s->data, "message", 2))
			return 0;
		record_set_bool(x->r, "smtp.sent", 1);
		record_set_str(x->r, "smtp.queued", x->msg);
	}
	/* done: the reply to QUIT is waited for (RFC 5321 4.1.1.10), but briefly */
	if (x->c.deadline > mono_ms() + 1000)
		x->c.deadline = mono_ms() + 1000;
	cmd(x, "QUIT\r\n", "QUIT", 2);
	return 1;
}

static int run(const void *spec, int64_t deadline, struct record *r)
{
	const struct probe_smtp *s = spec;
	struct probe_stamp t0 = probe_stamp();
	struct sess *x = xzalloc(sizeof(*x));
	char port[8];
	int ok = 0;

	x->r = r;
	record_set_bool(r, "smtp.starttls", 0);
	record_set_none(r, "smtp.auth");
	record_set_bool(r, "smtp.sent", 0);
	snprintf(port, sizeof(port), "%ld", s->hp.port);
	if (probe_connect(&s->hp.base, &x->c, s->hp.host, port, deadline, r)) {
		ok = session(x, s);
		conn_close(&x->c);
	}
	if (ok)
		record_set_none(r, "error");
	probe_times(r, "smtp.time", t0);
	free(x);
	return ok;
}

/* --- the spec ------------------------------------------------------------------------------ */

/* "CMD:<ADDR>\r\n"; of "Name <a@b>" only a@b, as Twisted's quoteaddr() */
static char *path(const char *cmd, const char *a)
{
	const char *lt = strchr(a, '<');
	size_t n = lt ? strcspn(++lt, ">") : strlen(a);

	return xasprintf("%s:<%.*s>\r\n", cmd, (int)n, lt ? lt : a);
}

static char *b64line(const char *pre, const char *p, size_t n)
{
	char *l = xmalloc(strlen(pre) + BASE64_LEN(n) + 2);
	size_t k = strlen(strcpy(l, pre));

	k += base64_encode(p, n, l + k);
	memcpy(l + k, "\r\n", 3);
	return l;
}

/* the message as conn-check makes it: Python 2's MIMEText(message) with a Subject, flattened
 * by its Generator (a "From " line start becomes ">From "), then Twisted's sender: LF to
 * CRLF, a leading '.' doubled (RFC 5321 4.5.2), the final ".". From and To are ours. */
static void build_data(struct probe_smtp *s)
{
	const char *m = s->message;
	char *o;
	int bol = 1, eight = 0;

	for (const char *p = m; *p; p++)
		eight |= (unsigned char)*p >= 0x80;
	o = s->data = xmalloc(200 + 3 * strlen(m) + strlen(s->subject) + strlen(s->from) +
			      strlen(s->to));
	o += sprintf(o, "Content-Type: text/plain; charset=\"us-ascii\"\r\nMIME-Version: 1.0\r\n"
		     "Content-Transfer-Encoding: %s\r\nSubject: %s\r\nFrom: %s\r\nTo: %s\r\n\r\n",
		     eight ? "8bit" : "7bit", s->subject, s->from, s->to);
	for (; *m; m++) {
		if (bol && *m == '.')
			*o++ = '.';
		else if (bol && !strncmp(m, "From ", 5))
			*o++ = '>';
		bol = *m == '\n' || *m == '\r';
		if (bol) {	/* LF, CRLF or a bare CR: CRLF (RFC 5321 2.3.8) */
			m += m[0] == '\r' && m[1] == '\n';
			*o++ = '\r';
			*o++ = '\n';
		} else {
			*o++ = *m;
		}
	}
	strcpy(o, bol ? ".\r\n" : "\r\n.\r\n");
}

static int check(void *spec, char *err, size_t errlen)
{
	struct probe_smtp *s = spec;
	const char *v[] = { s->subject, s->from, s->to };
	struct utsname u;

	if (probe_hp_check(spec, err, errlen) < 0)
		return -1;
	if (s->send && (!s->from || !s->to))
		return snprintf(err, errlen, "%s missing", s->from ? "to_address" : "from_address"), -1;
	/* a line break would end the command or header it is put in */
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		if (v[i] && strpbrk(v[i], "\r\n"))
			return snprintf(err, errlen, "a line break in subject, from_address or "
					"to_address"), -1;
	if ((s->hp.base.tls || (s->starttls &= tls_available)) &&
	    probe_tls_options(&s->o, &s->hp.base,
			      conn_unbracket(s->hp.host, s->hostbuf, sizeof(s->hostbuf)), s->no_verify,
			      "CERT_REQUIRED", "__sys__", "tls", "ALL", "VERIFY_DEFAULT", 1, err,
			      errlen) < 0) {
		/* no CA store is no error until a server offers STARTTLS */
		if (s->hp.base.tls)
			return -1;
		s->tls_err = xstrdup(err);
	}
	/* the name Twisted's client gives is socket.getfqdn() */
	s->ehlo = xasprintf("EHLO %s\r\n", uname(&u) == 0 && *u.nodename ? u.nodename : "localhost");
	s->helo = xstrdup(s->ehlo);
	memcpy(s->helo, "HE", 2);
	if (s->user) {
		size_t ul = strlen(s->user), pl = s->password ? strlen(s->password) : 0;
		char *raw = xzalloc(ul + pl + 2);

		memcpy(raw + 1, s->user, ul);
		memcpy(raw + ul + 2, s->password ? s->password : "", pl);
		s->plain = b64line("AUTH PLAIN ", raw, ul + pl + 2);
		s->luser = b64line("", s->user, ul);
		s->lpass = b64line("", raw + ul + 2, pl);
		free(raw);
	}
	if (s->send) {
		s->mail = path("MAIL FROM", s->from);
		s->rcpt = path("RCPT TO", s->to);
		build_data(s);
	}
	return 0;
}

const struct probe_type probe_smtp = {
	.name = "smtp",
	.layout = PL_TCP_FIRST,
	.fields = fields,
	.nfields = ARRAY_LEN(fields),
	.size = sizeof(struct probe_smtp),
	.check = check,
	.run = run,
	.target = probe_hp_target,
};
