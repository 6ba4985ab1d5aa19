/* probe_smtp.c - unit tests: the SMTP reply parser (RFC 5321 4.2), the smtp probe's fields
 * and check() errors, and the exact bytes it sends to a scripted server in a child process
 * (EHLO, AUTH PLAIN, MAIL/RCPT, the message with its dot-stuffing, QUIT) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../net/probe.h"
#include "t.h"

static const struct probe_type *smtp;
static struct smtp_reply r;

static long parse(const char *s)
{
	return smtp_reply_parse(s, strlen(s), &r);
}

static void *spec_of(const char *const *kv)
{
	return t_spec(smtp, kv);
}

static const char *ready(const char *const *kv)
{
	return t_ready(smtp, kv);
}

static void parser(void)
{
	char big[6000];

	CHECK("one line", parse("220 smtp.test ESMTP\r\n") == 21 && r.code == 220);
	CHECK_STR("one line: text", r.text, "smtp.test ESMTP");
	CHECK("multi-line", parse("250-smtp.test\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n") == 51 &&
	      r.code == 250);
	CHECK_STR("multi-line: lines", r.text, "smtp.test\nSTARTTLS\nAUTH PLAIN LOGIN");
	CHECK("LF alone ends a line", parse("250-a\n250 b\n") == 12 && r.code == 250);
	CHECK_STR("LF alone: text", r.text, "a\nb");
	CHECK("a code alone", parse("250\r\n") == 5 && r.code == 250 && r.len == 0);
	CHECK("a code and a space", parse("354 \r\n") == 6 && r.code == 354 && r.len == 0);
	CHECK("the first reply of two", parse("250 ok\r\n221 bye\r\n") == 8);
	CHECK("partial line: more", parse("220 ready") == 0);
	CHECK("partial reply: more", parse("250-a\r\n250-b\r\n") == 0);
	CHECK("partial code: more", parse("25") == 0 && parse("") == 0);
	CHECK("partial CR: more", parse("250\r") == 0);
	CHECK("not SMTP", parse("+OK POP3 ready\r\n") == -1);
	CHECK_STR("not SMTP: why", r.why, "not an SMTP reply");
	CHECK_STR("not SMTP: the line", r.text, "+OK POP3 ready");
	CHECK("not SMTP, told at once", parse("SSH-2.0-") == -1);
	CHECK("1yz codes", parse("199 x\r\n") == -1);
	CHECK("second digit above 5", parse("260 x\r\n") == -1);
	CHECK("a letter in the code", parse("2x0 x\r\n") == -1);
	CHECK("bad separator", parse("250_x\r\n") == -1);
	CHECK("short line", parse("25\r\n") == -1);
	CHECK("empty line", parse("\r\n") == -1);
	CHECK("CR inside the code's separator", parse("250\rx\r\n") == -1);
	CHECK("different codes", parse("250-a\r\n251 b\r\n") == -1);
	CHECK_STR("different codes: why", r.why, "reply lines with different codes");
	CHECK_STR("different codes: the line", r.text, "251 b");
	CHECK("different codes, told at once", parse("250-a\r\n25") == 0 && parse("250-a\r\n21") == -1);
	CHECK("control bytes become ?", parse("220 a\033[1m\x7f\r\n") > 0);
	CHECK_STR("control bytes: text", r.text, "a?[1m?");
	CHECK("a NUL byte", smtp_reply_parse("220 a\0b\r\n", 9, &r) == 9 && !strcmp(r.text, "a?b"));
	memset(big, 'x', sizeof(big));
	memcpy(big, "250 ", 4);
	memcpy(big + 998, "\r\n", 2);
	CHECK("a line of 1000 bytes", smtp_reply_parse(big, 1000, &r) == 1000);
	memcpy(big + 998, "x\r\n", 3);
	CHECK("a line of 1001 bytes", smtp_reply_parse(big, 1001, &r) == -1);
	memset(big, 'x', sizeof(big));
	memcpy(big, "250 ", 4);
	CHECK("a line that does not end", smtp_reply_parse(big, 1000, &r) == -1);
	CHECK_STR("... why", r.why, "reply line longer than 1000 bytes");
	CHECK("... its start, cut", r.len == 60 && !strncmp(r.text, "250 xxx", 7));
	for (int i = 0; i < 5; i++) {
		memset(big + i * 900, 'y', 900);
		memcpy(big + i * 900, "250-", 4);
		memcpy(big + i * 900 + 898, "\r\n", 2);
	}
	CHECK("4500 bytes of lines", smtp_reply_parse(big, 4500, &r) == -1);
	CHECK_STR("... why", r.why, "reply longer than 4096 bytes");
	CHECK("4 lines of 900: more", smtp_reply_parse(big, 3600, &r) == 0);
}

static void fields(void)
{
	static const char *const names[] = { "host", "port", "username", "password", "from_address",
					      "to_address", "message", "subject", "helo_fallback",
					      "use_tls", "starttls", "send", "disable_tls_verification" };
	const struct probe_field *pw = probe_field(smtp, "password", 1);
	int all = 1, params = 1;

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		all &= probe_field(smtp, names[i], 0) != NULL;
		params &= i < 2 || probe_field(smtp, names[i], 1) == probe_field(smtp, names[i], 0);
	}
	CHECK("every YAML field", all && smtp->nfields == ARRAY_LEN(names));
	CHECK("-p names are the YAML keys", params);
	CHECK("password is a secret", pw && (pw->flags & PF_SECRET));
	CHECK("layout: tcp, tls, smtp", smtp->layout == PL_TCP_FIRST);
	CHECK_STR("from_address needed", ready((const char *const[]){ "host=h", "port=25", NULL }),
		  "from_address missing");
	CHECK_STR("to_address needed", ready((const char *const[]){ "host=h", "port=25",
									"from_address=a@b", NULL }),
		  "to_address missing");
	CHECK_STR("neither with send: false",
		  ready((const char *const[]){ "host=h", "port=25", "send=false", "use_tls=false",
					       "starttls=false", NULL }), "");
	CHECK_STR("a line break in the subject",
		  ready((const char *const[]){ "host=h", "port=25", "from_address=a@b",
					       "to_address=c@d", "subject=x\ny", NULL }),
		  "a line break in subject, from_address or to_address");
	CHECK_STR("... or an address",
		  ready((const char *const[]){ "host=h", "port=25", "from_address=a@b\r\nRSET",
					       "to_address=c@d", NULL }),
		  "a line break in subject, from_address or to_address");
	CHECK_STR("port needed", ready((const char *const[]){ "host=h", "send=false", NULL }),
		  "port missing");
}

/* a child on a loopback port that plays a server: greeting, then one reply per command
 * (in order; "354" takes the message up to its final ".") and writes what it received to fd */
static pid_t serve(int *port, int fd, const char *const *replies)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &sl) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	pid = fork();
	if (pid == 0) {
		static char got[8192];
		size_t n = 0;
		int c = accept(l, NULL, NULL);

		for (const char *const *p = replies; c >= 0 && *p; p++) {
			size_t at = n;
			write_all(c, *p, strlen(*p));
			if (!p[1])
				break;
			/* a command line, or the message after a 354 */
			while (n < sizeof(got) - 1) {
				ssize_t k = read(c, got + n, sizeof(got) - 1 - n);
				if (k <= 0)
					_exit(1);
				n += (size_t)k;
				got[n] = 0;
				if (!strncmp(*p, "354", 3) ? strstr(got + at, "\r\n.\r\n") != NULL
							   : got[n - 1] == '\n')
					break;
			}
		}
		write_all(fd, got, n);
		_exit(0);
	}
	close(l);
	return pid;
}

/* the bytes the probe sent for kv to a server answering with replies; its verdict in *ok */
static char *exchange(const char *const *kv, const char *const *replies, int *ok, struct record *rec)
{
	static char got[8192];
	char port[32], err[600];
	const char *all[16];
	int fds[2], p, n = 0, k = 0;
	void *s;
	pid_t pid;

	got[0] = 0;
	if (pipe(fds) < 0 || (pid = serve(&p, fds[1], replies)) < 0)
		return got;
	close(fds[1]);
	snprintf(port, sizeof(port), "port=%d", p);
	all[k++] = "host=127.0.0.1";
	all[k++] = port;
	while (*kv && k < 15)
		all[k++] = *kv++;
	all[k] = NULL;
	s = spec_of(all);
	if (!s || probe_ready(smtp, s, err, sizeof(err)) < 0) {
		printf("    spec: %s\n", err);
		kill(pid, SIGKILL);
	} else {
		*ok = probe_run(smtp, s, deadline_in(5), rec);
	}
	while (n < (int)sizeof(got) - 1 && (k = (int)read(fds[0], got + n, sizeof(got) - 1 - (size_t)n)) > 0)
		n += k;
	got[n] = 0;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return got;
}

static const char *rstr(const struct record *rec, const char *key)
{
	const struct record_item *it = record_get(rec, key);

	return it && it->type == RECORD_STR ? it->v.s.p : NULL;
}

static void wire(void)
{
	static const char *const plain[] = {
		"220 smtp.test ESMTP\r\n", "250-smtp.test\r\n250 AUTH LOGIN PLAIN\r\n",
		"235 2.7.0 ok\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n",
		"250 2.0.0 queued as 42\r\n", "221 bye\r\n", NULL };
	static const char *const login[] = {
		"220 smtp.test ESMTP\r\n", "250-smtp.test\r\n250 AUTH=LOGIN\r\n",
		"334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n", "535 5.7.8 no\r\n", NULL };
	struct record rec;
	const char *want, *got;
	int ok = -1;

	record_init(&rec);
	got = exchange((const char *const[]){ "use_tls=false", "username=u", "password=pw",
					      "from_address=Me <a@b>", "to_address=c@d",
					      "subject=Hi", "message=.one\nFrom x\r\n..two\n\nend",
					      NULL }, plain, &ok, &rec);
	CHECK("the whole exchange", ok == 1);
	want = "AUTH PLAIN AHUAcHc=\r\n"
	       "MAIL FROM:<a@b>\r\n"
	       "RCPT TO:<c@d>\r\n"
	       "DATA\r\n"
	       "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
	       "MIME-Version: 1.0\r\n"
	       "Content-Transfer-Encoding: 7bit\r\n"
	       "Subject: Hi\r\n"
	       "From: Me <a@b>\r\n"
	       "To: c@d\r\n"
	       "\r\n"
	       "..one\r\n"
	       ">From x\r\n"
	       "...two\r\n"
	       "\r\n"
	       "end\r\n"
	       ".\r\n"
	       "QUIT\r\n";
	CHECK("EHLO first", !strncmp(got, "EHLO ", 5));
	got = strchr(got, '\n');
	CHECK_STR("the bytes sent after EHLO", got ? got + 1 : "", want);
	CHECK_STR("smtp.banner", rstr(&rec, "smtp.banner"), "smtp.test ESMTP");
	CHECK_STR("smtp.auth", rstr(&rec, "smtp.auth"), "PLAIN");
	CHECK_STR("smtp.queued", rstr(&rec, "smtp.queued"), "250 2.0.0 queued as 42");

	got = exchange((const char *const[]){ "use_tls=false", "username=u", "password=pw",
					      "send=false", "message=\xc3\xa9\n", NULL },
		       login, &ok, &rec);
	CHECK("AUTH LOGIN refused", ok == 0);
	got = got ? strchr(got, '\n') : NULL;
	CHECK_STR("AUTH LOGIN, user, password", got ? got + 1 : "", "AUTH LOGIN\r\ndQ==\r\ncHc=\r\n");
	CHECK_STR("the server's words", rstr(&rec, "error"), "AUTH LOGIN: 535 5.7.8 no");
	CHECK_STR("smtp.auth LOGIN", rstr(&rec, "smtp.auth"), "LOGIN");

	got = exchange((const char *const[]){ "use_tls=false", "from_address=a@b",
					      "to_address=c@d", "message=\xc3\xa9\n", NULL },
		       (const char *const[]){ "220 x\r\n", "250 x\r\n", "250 ok\r\n", "250 ok\r\n",
					      "354 go\r\n", "250 ok\r\n", "221 bye\r\n", NULL },
		       &ok, &rec);
	CHECK("no username: no AUTH", ok == 1 && strstr(got, "AUTH") == NULL);
	CHECK("8bit for a byte above 127", strstr(got, "Transfer-Encoding: 8bit\r\n") != NULL);
	CHECK("a message ending in a line break", strstr(got, "\r\n\r\n\xc3\xa9\r\n.\r\nQUIT") != NULL);
	record_free(&rec);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	smtp = probe_find("smtp");
	CHECK("smtp probe is built in", smtp != NULL);
	parser();
	if (!smtp)
		return t_done();
	fields();
	wire();
	return t_done();
}
