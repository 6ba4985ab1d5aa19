/* json.c - unit tests: the bounded JSON reader (RFC 8259): values, escapes, limits, errors */
#include <stdlib.h>

#include "../../lib/json.h"
#include "t.h"

static struct json_doc D;
static char E[200];

static int parse(const char *s)
{
	json_free(&D);
	return json_parse(&D, s, strlen(s), E, sizeof(E));
}

static int bad(const char *s, const char *why)
{
	return parse(s) < 0 && strstr(E, why) != NULL;
}

/* input, and a piece of the reason it is refused */
static const struct {
	const char *in, *why;
} bads[] = {
	{ "", "expected a value" }, { "[1,]", "unexpected ']'" }, { "{} x", "text after the value" },
	{ "{'a':1}", "expected a member name" }, { "\"a\nb\"", "control character" },
	{ "\"\\x\"", "bad escape" }, { "\"\\u12\"", "bad \\u escape" },
	{ "\"abc", "unterminated string" }, { "01", "text after the value" }, { "-", "bad number" },
	{ "1.", "bad number" }, { "1e", "bad number" }, { "tru", "unexpected 't'" },
	{ "{\"a\" 1}", "expected ':'" }, { "[1, 2, x]", "offset 7:" },
};

int main(void)
{
	const struct json *v, *m;
	long l;
	char deep[200];

	CHECK("object", parse(" {\"memory\": {\"cumulative\": true, \"max_rss\": 4194304}, "
			      "\"http\": {\"url\": \"\\/ping\", \"port\": 8090}} ") == 0 &&
			D.root->type == JSON_OBJ && D.root->count == 2);
	m = D.root->child;
	CHECK_STR("order: first", m->key, "memory");
	CHECK_STR("order: second", m->next->key, "http");
	v = json_get(json_get(D.root, "memory"), "cumulative");
	CHECK("bool", v && v->type == JSON_BOOL && v->b == 1);
	v = json_get(json_get(D.root, "memory"), "max_rss");
	CHECK("int", v && json_long(v, 0, 1L << 40, &l) == 0 && l == 4194304 && v->is_int);
	v = json_get(json_get(D.root, "http"), "url");
	CHECK_STR("escaped /", v->s, "/ping");
	CHECK("raw span", !strncmp(" {\"memory\": {\"cumulative\": true, \"max_rss\": 4194304}" +
				   json_get(D.root, "memory")->start, "{\"cumulative\"", 13));
	CHECK("missing key", !json_get(D.root, "nope") && !json_get(v, "x"));
	CHECK("escapes", parse("\"a\\\"\\\\\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"") == 0 &&
			 !strcmp(D.root->s, "a\"\\\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80"));
	CHECK("nul inside", parse("\"a\\u0000b\"") == 0 && D.root->len == 3);
	CHECK("lone surrogate", parse("\"\\ud800x\"") == 0 && !strcmp(D.root->s, "\xef\xbf\xbdx"));
	CHECK("numbers", parse("[0, -1, 1.5, 2e3, -0.0e-1]") == 0 && D.root->count == 5 &&
			 D.root->child->next->is_int && !D.root->child->next->next->is_int &&
			 D.root->child->next->next->next->num == 2000);
	CHECK("float is not an int", parse("1.0") == 0 && json_long(D.root, 0, 9, &l) < 0);
	CHECK("int range", parse("70000") == 0 && json_long(D.root, 1, 65535, &l) < 0);
	CHECK("duplicate: last wins", parse("{\"a\":1,\"a\":2}") == 0 &&
				      json_get(D.root, "a")->num == 2);
	CHECK("empty containers", parse("{\"a\":[],\"b\":{}}") == 0 &&
				  json_get(D.root, "a")->count == 0);
	CHECK("null", parse("null") == 0 && D.root->type == JSON_NULL);
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char name[80];
		snprintf(name, sizeof(name), "bad: %s", bads[i].in);
		CHECK(name, bad(bads[i].in, bads[i].why));
	}
	memset(deep, '[', sizeof(deep));
	deep[sizeof(deep) - 1] = 0;
	CHECK("bad: too deep", bad(deep, "nested deeper than 32"));
	CHECK("deep enough", parse("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]") == 0);
	CHECK("type names", !strcmp(json_type_name(JSON_OBJ), "object"));
	json_free(&D);
	return t_done();
}
