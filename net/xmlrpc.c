/* xmlrpc.c - XML-RPC calls (the XML-RPC specification; XML 1.0 for the few pieces of XML it
 * uses: elements, character and entity references, the prolog) over net/http. See xmlrpc.h.
 */
//kbuild:obj-$(CONFIG_XMLRPC) += xmlrpc.o
//config:config XMLRPC
//config:	bool
//config:	select HTTP
//config:	select ARENA

#include "xmlrpc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "../lib/util.h"

/* --- the encoder ------------------------------------------------------------------------ */

static void put_text(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sbuf_add(b, "&amp;", 5); break;
		case '<': sbuf_add(b, "&lt;", 4); break;
		case '>': sbuf_add(b, "&gt;", 4); break;
		default: sbuf_add(b, s, 1);
		}
	}
}

size_t xmlrpc_encode_call(const char *method, const struct xmlrpc_arg *args, size_t n, char *out,
			  size_t cap)
{
	struct sbuf b;

	sbuf_init(&b, out, cap);
	sbuf_printf(&b, "<?xml version=\"1.0\"?>\n<methodCall>\n<methodName>");
	put_text(&b, method);
	sbuf_printf(&b, "</methodName>\n<params>\n");
	for (size_t i = 0; i < n; i++) {
		sbuf_printf(&b, "<param><value>");
		if (args[i].type == XR_STR) {
			sbuf_printf(&b, "<string>");
			put_text(&b, args[i].s);
			sbuf_printf(&b, "</string>");
		} else if (args[i].type == XR_BOOL) {
			sbuf_printf(&b, "<boolean>%d</boolean>", args[i].i ? 1 : 0);
		} else {
			sbuf_printf(&b, "<int>%lld</int>", args[i].i);
		}
		sbuf_printf(&b, "</value></param>\n");
	}
	sbuf_printf(&b, "</params>\n</methodCall>\n");
	return b.len + 1 < cap ? b.len : 0;
}

/* --- the decoder ------------------------------------------------------------------------ */


static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int starts(const struct pcur *x, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(x->end - x->p) >= n && !memcmp(x->p, s, n);
}

/* whitespace, the XML declaration, processing instructions and comments */
static int skip_misc(struct pcur *x)
{
	for (;;) {
		while (x->p < x->end && is_ws(*x->p))
			x->p++;
		if (starts(x, "<?") || starts(x, "<!--")) {
			const char *close = x->p[1] == '?' ? "?>" : "-->";
			const char *e = memmem(x->p, (size_t)(x->end - x->p), close, strlen(close));
			if (!e)
				return pcur_fail(x, "unterminated %s", x->p[1] == '?' ? "<?" : "comment");
			x->p = e + strlen(close);
			continue;
		}
		return 0;
	}
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == ':';
}

/* the name of the start tag at x->p (after misc), into buf; 0 when x->p is not a start tag */
static int peek_tag(struct pcur *x, char *buf, size_t cap)
{
	const char *q;
	size_t n;

	if (skip_misc(x) < 0 || x->p >= x->end || *x->p != '<' || x->p + 1 >= x->end ||
	    x->p[1] == '/')
		return 0;
	for (q = x->p + 1; q < x->end && name_char(*q); q++)
		;
	n = (size_t)(q - x->p - 1);
	if (!n || n >= cap)
		return 0;
	memcpy(buf, x->p + 1, n);
	buf[n] = 0;
	return 1;
}

/* <name ...> or <name .../>: 1 open, 2 empty element, -1 error */
static int open_tag(struct pcur *x, const char *name)
{
	size_t n = strlen(name);
	const char *q;

	if (skip_misc(x) < 0)
		return -1;
	if ((size_t)(x->end - x->p) < n + 2 || x->p[0] != '<' || memcmp(x->p + 1, name, n) ||
	    name_char(x->p[n + 1]))
		return pcur_fail(x, "expected <%s>", name);
	/* attributes are not part of XML-RPC: skipped up to '>' (never inside a quote) */
	for (q = x->p + n + 1; q < x->end && *q != '>'; q++)
		if (*q == '"' || *q == '\'') {
			const char *e = memchr(q + 1, *q, (size_t)(x->end - q - 1));
			if (!e)
				break;
			q = e;
		}
	if (q >= x->end)
		return pcur_fail(x, "unterminated <%s>", name);
	x->p = q + 1;
	return q[-1] == '/' ? 2 : 1;
}

static int close_tag(struct pcur *x, const char *name)
{
	size_t n = strlen(name);

	if (skip_misc(x) < 0)
		return -1;
	if ((size_t)(x->end - x->p) < n + 3 || memcmp(x->p, "</", 2) || memcmp(x->p + 2, name, n))
		return pcur_fail(x, "expected </%s>", name);
	x->p += n + 2;
	while (x->p < x->end && is_ws(*x->p))
		x->p++;
	if (x->p >= x->end || *x->p != '>')
		return pcur_fail(x, "expected </%s>", name);
	x->p++;
	return 0;
}

static size_t utf8_put(unsigned long cp, char *o)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* character data up to the next '<', references decoded, into the arena; a reference never
 * decodes to more bytes than it takes ("&#1;" is 4 bytes, U+10FFFF 4 bytes as "&#x10FFFF;") */
static int text(struct pcur *x, const char **out, size_t *outlen)
{
	const char *e = memchr(x->p, '<', (size_t)(x->end - x->p));
	char *buf, *o;

	if (!e)
		return pcur_fail(x, "unterminated text");
	if (!(buf = arena_alloc(x->a, (size_t)(e - x->p) + 1)))
		return pcur_fail(x, "out of memory");
	o = buf;
	while (x->p < e) {
		static const struct { const char *ent; char c; } ents[] = {
			{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
			{ "&apos;", '\'' },
		};
		const char *semi;
		size_t k;

		if (*x->p != '&') {
			*o++ = *x->p++;
			continue;
		}
		semi = memchr(x->p, ';', (size_t)(e - x->p));
		if (!semi || semi - x->p > 10)
			return pcur_fail(x, "bad reference");
		for (k = 0; k < ARRAY_LEN(ents); k++)
			if ((size_t)(semi + 1 - x->p) == strlen(ents[k].ent) &&
			    !memcmp(x->p, ents[k].ent, strlen(ents[k].ent)))
				break;
		if (k < ARRAY_LEN(ents)) {
			*o++ = ents[k].c;
		} else if (x->p[1] == '#') {
			int hex = x->p[2] == 'x';
			const char *d = x->p + 2 + hex;
			unsigned long cp = 0;
			if (d == semi)
				return pcur_fail(x, "bad reference");
			for (; d < semi; d++) {
				int c = (unsigned char)*d, v;
				if (c >= '0' && c <= '9')
					v = c - '0';
				else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
					v = (c | 0x20) - 'a' + 10;
				else
					return pcur_fail(x, "bad reference");
				cp = cp * (hex ? 16 : 10) + (unsigned long)v;
				if (cp > 0x10ffff)
					return pcur_fail(x, "bad reference");
			}
			if (!cp || (cp >= 0xd800 && cp < 0xe000))
				return pcur_fail(x, "bad reference");
			o += utf8_put(cp, o);
		} else {
			return pcur_fail(x, "unknown entity");
		}
		x->p = semi + 1;
	}
	*o = 0;
	*out = buf;
	*outlen = (size_t)(o - buf);
	return 0;
}

static int value(struct pcur *x, struct xmlrpc_value **out);

/* <type>text</type> or <type/>: the text ("" for the empty element) */
static int typed_text(struct pcur *x, const char *type, const char **s, size_t *len)
{
	int t = open_tag(x, type);

	if (t < 0)
		return -1;
	if (t == 2) {
		*s = "";
		*len = 0;
		return 0;
	}
	if (text(x, s, len) < 0)
		return -1;
	return close_tag(x, type);
}

static int integer(struct pcur *x, const char *s, long long *out)
{
	char *e;

	while (is_ws(*s))
		s++;
	errno = 0;
	*out = strtoll(s, &e, 10);
	while (is_ws(*e))
		e++;
	if (errno || e == s || *e)
		return pcur_fail(x, "bad integer '%.20s'", s);
	return 0;
}

static int members(struct pcur *x, struct xmlrpc_value *v, int is_struct)
{
	struct xmlrpc_value **tail = &v->child;
	const char *outer = is_struct ? "struct" : "data";
	char tag[16];
	int t;

	if (!is_struct) {
		if ((t = open_tag(x, "data")) < 0)
			return -1;
		if (t == 2)
			return 0;
	}
	while (peek_tag(x, tag, sizeof(tag))) {
		struct xmlrpc_value *e;
		const char *name = NULL;
		size_t nlen;

		if (is_struct) {
			if (open_tag(x, "member") != 1)
				return x->p[-1] == '>' ? pcur_fail(x, "empty <member>") : -1;
			if (typed_text(x, "name", &name, &nlen) < 0)
				return -1;
		}
		if (value(x, &e) < 0)
			return -1;
		if (is_struct && close_tag(x, "member") < 0)
			return -1;
		e->name = name;
		*tail = e;
		tail = &e->next;
		v->count++;
	}
	return x->p >= x->end ? pcur_fail(x, "unterminated <%s>", outer) : close_tag(x, outer);
}

static int value(struct pcur *x, struct xmlrpc_value **out)
{
	struct xmlrpc_value *v = arena_alloc(x->a, sizeof(*v));
	const char *s;
	size_t len;
	char tag[24];
	int t;

	if (!v)
		return pcur_fail(x, "out of memory");
	memset(v, 0, sizeof(*v));
	*out = v;
	v->s = "";
	if ((t = open_tag(x, "value")) < 0)
		return -1;
	if (t == 2)
		return 0;	/* <value/>: an empty string */
	/* a bare <value>text</value> is a string; before a type tag only whitespace */
	if (text(x, &s, &len) < 0)
		return -1;
	if (starts(x, "</")) {
		v->s = s;
		v->len = len;
		return close_tag(x, "value");
	}
	for (size_t i = 0; i < len; i++)
		if (!is_ws(s[i]))
			return pcur_fail(x, "text before a type in <value>");
	if (!peek_tag(x, tag, sizeof(tag)))
		return pcur_fail(x, "expected a type in <value>");
	if (!strcmp(tag, "string") || !strcmp(tag, "base64") || !strcmp(tag, "dateTime.iso8601")) {
		if (typed_text(x, tag, &v->s, &v->len) < 0)
			return -1;
	} else if (!strcmp(tag, "int") || !strcmp(tag, "i4") || !strcmp(tag, "i8") ||
		   !strcmp(tag, "boolean")) {
		v->type = tag[0] == 'b' ? XR_BOOL : XR_INT;
		if (typed_text(x, tag, &s, &len) < 0 || integer(x, s, &v->i) < 0)
			return -1;
		if (v->type == XR_BOOL && v->i != 0 && v->i != 1)
			return pcur_fail(x, "bad boolean");
	} else if (!strcmp(tag, "double")) {
		char *e;
		v->type = XR_DOUBLE;
		if (typed_text(x, tag, &v->s, &v->len) < 0)
			return -1;
		v->d = strtod(v->s, &e);
		if (e == v->s)
			return pcur_fail(x, "bad double");
	} else if (!strcmp(tag, "nil")) {
		v->type = XR_NIL;
		if ((t = open_tag(x, "nil")) < 0 || (t == 1 && close_tag(x, "nil") < 0))
			return -1;
	} else if (!strcmp(tag, "array") || !strcmp(tag, "struct")) {
		int is_struct = tag[0] == 's';
		v->type = is_struct ? XR_STRUCT : XR_ARRAY;
		if (++x->depth > XMLRPC_DEPTH_MAX)
			return pcur_fail(x, "nested deeper than %d", XMLRPC_DEPTH_MAX);
		if ((t = open_tag(x, tag)) < 0)
			return -1;
		if (t == 1 && (members(x, v, is_struct) < 0 || (!is_struct && close_tag(x, "array") < 0)))
			return -1;
		x->depth--;
	} else {
		return pcur_fail(x, "unknown type <%s>", tag);
	}
	return close_tag(x, "value");
}

int xmlrpc_decode(struct xmlrpc_response *r, const char *buf, size_t len, char *err,
		  size_t errlen)
{
	struct pcur x = { buf, buf + len, buf, &r->arena, 0, err, errlen };
	struct xmlrpc_value *v = NULL;
	char tag[16];
	int t;

	memset(r, 0, sizeof(*r));
	if (len > XMLRPC_RESPONSE_MAX) {
		snprintf(err, errlen, "a response longer than %u bytes", XMLRPC_RESPONSE_MAX);
		return -1;
	}
	/* a node costs at least "<value/>" (8 bytes) of input, with at most two text copies
	 * (16-byte aligned); the copies hold at most len bytes; slack for the chunks */
	r->arena.chunk = 8192;
	r->arena.max = (len / 8 + 1) * (sizeof(struct xmlrpc_value) + 48) + 2 * len + 4 * 8192;
	if (open_tag(&x, "methodResponse") != 1) {
		if (x.p < x.end && !*err)
			pcur_fail(&x, "expected <methodResponse>");
		goto bad;
	}
	if (!peek_tag(&x, tag, sizeof(tag))) {
		pcur_fail(&x, "expected <params> or <fault>");
		goto bad;
	}
	if (!strcmp(tag, "fault")) {
		const struct xmlrpc_value *c, *s;
		if (open_tag(&x, "fault") != 1 || value(&x, &v) < 0 || close_tag(&x, "fault") < 0)
			goto bad;
		c = xmlrpc_member(v, "faultCode");
		s = xmlrpc_member(v, "faultString");
		if (v->type != XR_STRUCT || !c || c->type != XR_INT || !s || s->type != XR_STR) {
			pcur_fail(&x, "a fault without faultCode and faultString");
			goto bad;
		}
		r->fault = 1;
		r->fault_code = c->i;
		r->fault_string = s->s;
	} else {
		if ((t = open_tag(&x, "params")) < 0)
			goto bad;
		if (t == 1 && peek_tag(&x, tag, sizeof(tag))) {
			if (open_tag(&x, "param") != 1 || value(&x, &v) < 0 || close_tag(&x, "param") < 0)
				goto bad;
		}
		if (t == 1 && close_tag(&x, "params") < 0)
			goto bad;
	}
	if (close_tag(&x, "methodResponse") < 0 || skip_misc(&x) < 0)
		goto bad;
	if (x.p < x.end) {
		pcur_fail(&x, "text after </methodResponse>");
		goto bad;
	}
	if (!v) {	/* <params/>: no value, as nil */
		v = arena_alloc(&r->arena, sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		memset(v, 0, sizeof(*v));
		v->type = XR_NIL;
		v->s = "";
	}
	r->value = v;
	return 0;
bad:
	if (!*err)
		snprintf(err, errlen, "malformed response");
	xmlrpc_response_free(r);
	return -1;
}

void xmlrpc_response_free(struct xmlrpc_response *r)
{
	arena_free(&r->arena);
	r->value = NULL;
	r->fault_string = NULL;
}

const struct xmlrpc_value *xmlrpc_member(const struct xmlrpc_value *st, const char *name)
{
	if (!st || st->type != XR_STRUCT)
		return NULL;
	for (const struct xmlrpc_value *m = st->child; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static void repr(struct sbuf *b, const struct xmlrpc_value *v, unsigned depth)
{
	switch (v->type) {
	case XR_STR:
		sbuf_printf(b, "'%.*s'", (int)(v->len < 200 ? v->len : 200), v->s);
		break;
	case XR_INT: sbuf_printf(b, "%lld", v->i); break;
	case XR_BOOL: sbuf_printf(b, "%s", v->i ? "True" : "False"); break;
	case XR_DOUBLE: sbuf_printf(b, "%s", v->s); break;
	case XR_NIL: sbuf_printf(b, "None"); break;
	case XR_ARRAY:
	case XR_STRUCT:
		sbuf_add(b, v->type == XR_ARRAY ? "[" : "{", 1);
		for (const struct xmlrpc_value *c = v->child; c && b->len + 1 < b->cap; c = c->next) {
			if (c != v->child)
				sbuf_add(b, ", ", 2);
			if (v->type == XR_STRUCT)
				sbuf_printf(b, "'%s': ", c->name);
			if (depth < 4)
				repr(b, c, depth + 1);
			else
				sbuf_add(b, "...", 3);
		}
		sbuf_add(b, v->type == XR_ARRAY ? "]" : "}", 1);
		break;
	}
}

void xmlrpc_repr(const struct xmlrpc_value *v, char *out, size_t len)
{
	struct sbuf b;

	sbuf_init(&b, out, len);
	repr(&b, v, 0);
}

/* --- the call --------------------------------------------------------------------------- */

int xmlrpc_call(const struct xmlrpc_server *srv, const char *method, const struct xmlrpc_arg *args,
		size_t n, int64_t deadline, struct xmlrpc_response *r, char *err, size_t errlen)
{
	static const char *const fields[] = { "Content-Type: text/xml", "Accept: text/xml" };
	struct http_request rq = { 0 };
	struct http_result res;
	size_t cap = 1024 + strlen(method), len;
	char *body, derr[XMLRPC_ERR_MAX];
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		cap += args[i].type == XR_STR ? 5 * strlen(args[i].s) + 64 : 64;
	body = xmalloc(cap);
	len = xmlrpc_encode_call(method, args, n, body, cap);
	rq.method = "POST";
	rq.url = srv->url;
	rq.unix_socket = srv->unix_socket;
	rq.fields = fields;
	rq.nfields = ARRAY_LEN(fields);
	rq.user_agent = "probebox/" PROBEBOX_VERSION;
	rq.body = body;
	rq.body_len = len;
	rq.user = srv->user;
	rq.password = srv->user ? srv->password : NULL;
	rq.auth = HTTP_AUTH_BASIC;
	rq.proxy = "";
	rq.body_max = XMLRPC_RESPONSE_MAX;
	rq.body_max_fail = 1;
	rq.deadline = deadline;
	memset(r, 0, sizeof(*r));
	if (http_fetch(&rq, &res) < 0 || res.body_incomplete) {
		str_copy(err, errlen, res.errmsg);
	} else if (res.resp->status != 200) {
		const char *st = http_status_text(res.resp);
		snprintf(err, errlen, "HTTP status %s", st);
	} else if (xmlrpc_decode(r, (const char *)res.body, res.body_len, derr, sizeof(derr)) < 0) {
		snprintf(err, errlen, "malformed XML-RPC response: %s", derr);
	} else {
		rc = 0;
	}
	http_result_free(&res);
	free(body);
	return rc;
}
