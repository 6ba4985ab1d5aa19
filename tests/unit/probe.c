/* probe.c - unit tests: the http probe's fields set from text and its own check (what
 * check-http's flags become), and a fetch that fails before connecting, in the record */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/util.h"
#include "../../net/probe.h"
#include "t.h"

static const struct probe_type *http;

static int set(void *spec, const char *name, const char *text)
{
	const struct probe_field *f = probe_field(http, name, 0);
	char err[200];

	return f ? probe_set(spec, f, text, strlen(text), err, sizeof(err)) : -1;
}

/* probe_ready() of an http spec for URL with one more field: its error, "" when it passed */
static const char *ready(const char *url, const char *name, const char *text)
{
	static char err[300];
	void *spec = probe_spec_new(http);

	set(spec, "url", url);
	if (name && set(spec, name, text) < 0)
		return "(set failed)";
	if (probe_ready(http, spec, err, sizeof(err)) == 0)
		err[0] = 0;
	return err;
}

/* a secret field from its text, an environment variable or a file */
static void secrets(void)
{
	char err[300], path[] = "/tmp/probe-unit-XXXXXX";
	enum probe_src src;
	const struct probe_field *f;
	void *spec = probe_spec_new(http);
	const char *const *pw;
	int fd;

	CHECK("password_env is the password field", (f = probe_field_src(http, "password_env", 0, &src)) &&
	      src == PS_ENV && f == probe_field(http, "password", 0));
	CHECK("password_file is the password field", probe_field_src(http, "password_file", 0, &src) == f &&
	      src == PS_FILE);
	CHECK("password itself", probe_field_src(http, "password", 0, &src) == f && src == PS_TEXT);
	CHECK("method_env: not a secret", !probe_field_src(http, "method_env", 0, &src));
	CHECK("_env alone", !probe_field_src(http, "_env", 0, &src));
	if (!f)
		return;
	pw = (const char *const *)((char *)spec + f->off);
	setenv("PB_UNIT_PW", "s3cret", 1);
	CHECK("from the environment", probe_set_src(spec, f, PS_ENV, "PB_UNIT_PW", 10, err, sizeof(err)) == 0 &&
	      !strcmp(*pw, "s3cret") && probe_isset(spec, f));
	unsetenv("PB_UNIT_PW_NONE");
	CHECK("an unset variable", probe_set_src(spec, f, PS_ENV, "PB_UNIT_PW_NONE", 15, err, sizeof(err)) < 0);
	CHECK_STR("says which", err, "password_env: the environment variable PB_UNIT_PW_NONE is not set");
	fd = mkstemp(path);
	CHECK("temp file", fd >= 0 && write(fd, "fil3\r\n", 6) == 6);
	close(fd);
	CHECK("from a file, CRLF dropped", probe_set_src(spec, f, PS_FILE, path, strlen(path), err, sizeof(err)) == 0 &&
	      !strcmp(*pw, "fil3"));
	unlink(path);
	CHECK("an unreadable file", probe_set_src(spec, f, PS_FILE, path, strlen(path), err, sizeof(err)) < 0 &&
	      strstr(err, "password_file: cannot read /tmp/probe-unit-") && strstr(err, "No such file"));
}

int main(void)
{
	struct record r;
	void *spec;
	const struct record_item *it;

	http = probe_find("http");
	CHECK("the http probe", http != NULL);
	if (!http)
		return t_done();
	CHECK_STR("plain URL", ready("http://h/", NULL, NULL), "");
	CHECK_STR("connect-to pair", ready("http://h/", "connect_to", "h:80:127.0.0.1:8080"), "");
	CHECK_STR("connect-to malformed", ready("http://h/", "connect_to", "foo:123:"),
		  "connect_to: expected HOST1:PORT1:HOST2:PORT2, got 'foo:123:'");
	CHECK_STR("cert_file alone", ready("http://h/", "cert_file", "c.pem"),
		  "cert_file and key_file go together");
	CHECK_STR("tls_min_version 1.3", ready("http://h/", "tls_min_version", "1.3"), "");
	CHECK_STR("tls_min_version 1.1", ready("http://h/", "tls_min_version", "1.1"),
		  "tls_min_version: expected 1.2 or 1.3, got '1.1'");
	CHECK_STR("max_body above the record's default string size", ready("http://h/", "max_body", "2000000"), "");
	CHECK_STR("max_body beyond its maximum", ready("http://h/", "max_body", "2000000000"), "(set failed)");
	CHECK_STR("max_redirects beyond 1000", ready("http://h/", "max_redirects", "1001"), "(set failed)");
	CHECK_STR("user_agent by its name", ready("http://h/", "user_agent", "check-http"), "");
	CHECK_STR("source_address", ready("http://h/", "source_address", "127.0.0.2"), "");
	/* a scheme the client does not speak is the fetch's failure, as after a redirect */
	CHECK_STR("ftp URL passes the check", ready("ftp://h/x", NULL, NULL), "");

	spec = probe_spec_new(http);
	set(spec, "url", "ftp://127.0.0.1/x");
	probe_ready(http, spec, (char[200]){ 0 }, 200);
	record_init(&r);
	CHECK("ftp URL fails the probe", probe_run(http, spec, mono_ms() + 1000, &r) == 0);
	it = record_get(&r, "http.error");
	CHECK_STR("http.error in the client's words", it && it->type == RECORD_STR ? it->v.s.p : NULL,
		  "unsupported protocol scheme \"ftp\"");
	it = record_get(&r, "http.url");
	CHECK_STR("http.url of the failure", it && it->type == RECORD_STR ? it->v.s.p : NULL,
		  "ftp://127.0.0.1/x");
	CHECK("no response keys", !record_get(&r, "http.resp.status") &&
	      !record_get(&r, "http.resp.status_line"));
	record_free(&r);
	secrets();
	return t_done();
}
