/* yaml.c - unit tests: the YAML subset parser (lib/yaml.c, docs/yaml.md), every conn-check doc
 * example under tests/fixtures/yaml/, each rejected construct with its line:column */
#include <stdlib.h>

#include "../../lib/yaml.h"
#include "t.h"

static char out[8192];
static size_t olen;

static void put(const char *s)
{
	size_t n = strlen(s);
	if (olen + n < sizeof(out)) {
		memcpy(out + olen, s, n + 1);
		olen += n;
	}
}

/* a compact dump: strings "quoted", ints/floats/bools as written, null as ~ */
static void dump(const struct yaml_node *n)
{
	char b[8];

	if (n->kind == YAML_SEQ) {
		put("[");
		yaml_foreach(i, n) {
			dump(i);
			if (i->next)
				put(",");
		}
		put("]");
		return;
	}
	if (n->kind == YAML_MAP) {
		put("{");
		yaml_foreach(k, n) {
			dump(k);
			put(":");
			dump(k->value);
			if (k->next)
				put(",");
		}
		put("}");
		return;
	}
	if (n->type == YAML_NULL) {
		put("~");
		return;
	}
	if (n->type != YAML_STR) {
		put(n->text);
		return;
	}
	put("\"");
	for (size_t i = 0; i < n->len; i++) {
		unsigned char c = (unsigned char)n->text[i];
		if (c == '\n')
			put("\\n");
		else if (c == '"' || c == '\\')
			b[0] = '\\', b[1] = (char)c, b[2] = 0, put(b);
		else if (c < 0x20)
			snprintf(b, sizeof(b), "\\x%02x", c), put(b);
		else
			b[0] = (char)c, b[1] = 0, put(b);
	}
	put("\"");
}

/* parse len bytes: the dump, or "ERR LINE:COL: message" */
static const char *pn(const char *src, size_t len)
{
	char err[256];
	struct yaml_doc *d = yaml_parse("t.yaml", src, len, NULL, err, sizeof(err));

	out[0] = 0;
	olen = 0;
	if (!d) {
		put("ERR ");
		put(strncmp(err, "t.yaml:", 7) ? err : err + 7);
		return out;
	}
	dump(d->root);
	yaml_free(d);
	return out;
}

static const char *p(const char *src)
{
	return pn(src, strlen(src));
}

static const char *file(const char *name)
{
	char path[256], err[256];
	struct yaml_doc *d;

	snprintf(path, sizeof(path), "tests/fixtures/yaml/%s", name);
	d = yaml_load_file(path, NULL, err, sizeof(err));
	out[0] = 0;
	olen = 0;
	if (!d) {
		put("ERR ");
		put(err);
		return out;
	}
	dump(d->root);
	yaml_free(d);
	return out;
}

/* an error: its "LINE:COL" and a word of its message */
#define ERR(name, src, where, word) do { \
	const char *r_ = p(src); \
	char w_[64]; \
	snprintf(w_, sizeof(w_), "ERR %s: ", where); \
	CHECK(name, !strncmp(r_, w_, strlen(w_)) && strstr(r_, word)); \
	if (strncmp(r_, w_, strlen(w_)) || !strstr(r_, word)) printf("    got: %s\n", r_); \
} while (0)

/* the checks of the tutorial, as the manual's examples repeat them */
#define TCP_TLS "[{\"type\":\"tcp\",\"host\":\"localhost\",\"port\":80}," \
	"{\"type\":\"tls\",\"host\":\"localhost\",\"port\":443,\"disable_tls_verification\":false}]"
#define PG_HEAD "{\"type\":\"postgresql\","
#define PG_REST "\"username\":\"hwaas\",\"password\":\"123456asdf\""
#define PG_HOST "\"host\":\"gibson.hwaas.internal\",\"port\":5432,"
#define PG_DB "\"database\":\"hwaas_production\""
#define MEMCACHED "{\"type\":\"memcached\",\"host\":\"freeside.hwaas.internal\",\"port\":11211}"
#define HTTP_BODY "{\"type\":\"http\",\"url\":\"https://www.googleapis.com/language/translate/v2" \
	"?q=Hello%20World&target=de&source=en&key=BLAH\",\"proxy_host\":\"countzero.hwaas.internal\"," \
	"\"proxy_port\":8080,\"expected_code\":200"
#define FW(ports, proto, to) "{\"from_host\":\"mydevmachine\",\"ports\":" ports ",\"protocol\":\"" proto \
	"\",\"to_host\":\"" to "\"}"
#define UDP(send, expect) "[{\"type\":\"udp\",\"host\":\"bigend.hwaas.internal\",\"port\":10021," \
	"\"send\":" send ",\"expect\":" expect "}]"

static void fixtures(void)
{
	CHECK_STR("readme config", file("readme-config.yaml"), TCP_TLS);
	CHECK_STR("manual config", file("manual-config.yaml"), TCP_TLS);
	CHECK_STR("manual tags", file("manual-tags.yaml"),
		  "[{\"type\":\"http\",\"url\":\"http://google.com/\",\"tags\":[\"external\"]}]");
	CHECK_STR("manual firewall", file("manual-firewall.yaml"),
		  "{\"egress\":[" FW("[8080]", "udp", "localhost") "," FW("[80,443]", "tcp", "login.ubuntu.com") ","
		  FW("[6379,11211]", "tcp", "127.0.0.1") "]}");
	CHECK_STR("manual hwaas", file("manual-hwaas.yaml"),
		  "[" PG_HEAD PG_HOST PG_REST "," PG_DB "}," MEMCACHED "," HTTP_BODY "}]");
	CHECK_STR("manual postgresql", file("manual-postgresql.yaml"), "[" PG_HEAD PG_HOST PG_REST "," PG_DB "}]");
	CHECK_STR("manual memcached", file("manual-memcached.yaml"), "[" MEMCACHED "]");
	CHECK_STR("manual http", file("manual-http.yaml"), "[" HTTP_BODY "}]");
	CHECK_STR("manual http no-nagios", file("manual-http-no-nagios.yaml"),
		  "[" HTTP_BODY ",\"tags\":[\"no-nagios\"]}]");
	CHECK_STR("manual generated", file("manual-generated.yaml"),
		  "[" PG_HEAD PG_DB "," PG_HOST PG_REST "}," MEMCACHED "]");
	CHECK_STR("manual statsd (empty expect)", file("manual-statsd.yaml"), UDP("\"conncheck.test:1|c\"", "~"));
	CHECK_STR("manual statsd hakuna", file("manual-statsd-hakuna.yaml"), UDP("\"Hakuna\"", "\"Matata\""));
	CHECK_STR("manual juju metadata", file("manual-juju-metadata.yaml"),
		  "{\"provides\":{\"conn-check\":{\"interface\":\"conn-check\",\"scope\":\"container\"}}}");
	CHECK_STR("missing file", file("no-such.yaml"), "ERR tests/fixtures/yaml/no-such.yaml: No such file or directory");
}

static void structure(void)
{
	CHECK_STR("indentless sequence", p("a:\n- 1\n- 2\nb: c\n"), "{\"a\":[1,2],\"b\":\"c\"}");
	CHECK_STR("indented sequence", p("a:\n    - 1\n    - 2\nb: c\n"), "{\"a\":[1,2],\"b\":\"c\"}");
	CHECK_STR("compact mapping in sequence", p("- a: 1\n  b: 2\n- c: 3\n"), "[{\"a\":1,\"b\":2},{\"c\":3}]");
	CHECK_STR("compact mapping, wide", p("-   a: 1\n    b: 2\n"), "[{\"a\":1,\"b\":2}]");
	CHECK_STR("compact nested sequence", p("- - a\n  - b\n- c\n"), "[[\"a\",\"b\"],\"c\"]");
	CHECK_STR("nested mappings", p("a:\n  b:\n    c: 1\n  d: 2\ne: 3\n"), "{\"a\":{\"b\":{\"c\":1},\"d\":2},\"e\":3}");
	CHECK_STR("headers with lists", p("headers:\n  Accept: text/html\n  X-Multi:\n    - a\n    - b\n"),
		  "{\"headers\":{\"Accept\":\"text/html\",\"X-Multi\":[\"a\",\"b\"]}}");
	CHECK_STR("empty entries", p("- \n-\n- a\n"), "[~,~,\"a\"]");
	CHECK_STR("entry on next line", p("-\n  a\n- # c\n  b\n"), "[\"a\",\"b\"]");
	CHECK_STR("key: empty is null", p("a:\nb: \nc: ~\nd: null\n"), "{\"a\":~,\"b\":~,\"c\":~,\"d\":~}");
	CHECK_STR("value on next line", p("a:\n  b\nc: # c\n  d\n"), "{\"a\":\"b\",\"c\":\"d\"}");
	CHECK_STR("quoted keys", p("\"a b\": 1\n'c': 2\n\"\": 3\n"), "{\"a b\":1,\"c\":2,\"\":3}");
	CHECK_STR("keys with spaces", p("my key: v\nx  y : w\n"), "{\"my key\":\"v\",\"x  y\":\"w\"}");
	CHECK_STR("comments everywhere", p("# head\na: 1 # c\n# mid\n  # indented\nb: x#y\nc: 'q' # c\nd: [1] # c\n"),
		  "{\"a\":1,\"b\":\"x#y\",\"c\":\"q\",\"d\":[1]}");
	CHECK_STR("blank lines", p("\n\na: 1\n\n\nb: 2\n\n"), "{\"a\":1,\"b\":2}");
	CHECK_STR("indented root", p("  a: 1\n  b: 2\n"), "{\"a\":1,\"b\":2}");
	CHECK_STR("root scalar", p("hello\n"), "\"hello\"");
	CHECK_STR("root flow", p("[a, {b: c}]\n"), "[\"a\",{\"b\":\"c\"}]");
	CHECK_STR("empty input", p(""), "~");
	CHECK_STR("only comments", p("# nothing\n\n"), "~");
	CHECK_STR("no final newline", p("a: 1\nb: x"), "{\"a\":1,\"b\":\"x\"}");
	CHECK_STR("document start", p("---\na: 1\n"), "{\"a\":1}");
	CHECK_STR("document start, comment", p("# c\n--- # c\n- a\n"), "[\"a\"]");
	CHECK_STR("document end", p("a: 1\n...\n# after\n"), "{\"a\":1}");
	CHECK_STR("both markers", p("---\na: 1\n...\n"), "{\"a\":1}");
	CHECK_STR("--- scalar", p("--- text\n"), "\"text\"");
	CHECK_STR("--- flow", p("--- [a]\n"), "[\"a\"]");
	CHECK_STR("--- |", p("--- |\n  text\n"), "\"text\\n\"");
	CHECK_STR("--- empty", p("---\n"), "~");
	CHECK_STR("---x is a scalar", p("---x\n"), "\"---x\"");
	CHECK_STR("CRLF", p("a: 1\r\nb:\r\n  - x\r\nc: |\r\n  l1\r\n  l2\r\n"),
		  "{\"a\":1,\"b\":[\"x\"],\"c\":\"l1\\nl2\\n\"}");
	CHECK_STR("CR only", p("a: 1\rb: 2\r"), "{\"a\":1,\"b\":2}");
	CHECK_STR("BOM", p("\xEF\xBB\xBF- a\n"), "[\"a\"]");
	CHECK_STR("BOM position", p("\xEF\xBB\xBF" "a: &x\n"), "ERR 1:4: anchors (&name) are not supported");
	CHECK_STR("UTF-8 content", p("k\xC3\xA9y: v\xE2\x82\xAC\n"), "{\"k\xC3\xA9y\":\"v\xE2\x82\xAC\"}");
	CHECK_STR("tab as separator", p("a:\tb\t# c\n"), "{\"a\":\"b\"}");
	CHECK_STR("tab on blank line", p("a: 1\n\t\nb: 2\n"), "{\"a\":1,\"b\":2}");
	CHECK_STR("tab before comment line", p("a: 1\n\t# c\nb: 2\n"), "{\"a\":1,\"b\":2}");
}

static void scalars(void)
{
	CHECK_STR("plain", p("a: hello world\n"), "{\"a\":\"hello world\"}");
	CHECK_STR("plain trailing blanks", p("a: x   \n"), "{\"a\":\"x\"}");
	CHECK_STR("plain with :", p("a: http://h:80/p?x=1#f\n"), "{\"a\":\"http://h:80/p?x=1#f\"}");
	CHECK_STR("plain indicators inside", p("a: -x\nb: :x\nc: ?x\nd: a, b]\n"),
		  "{\"a\":\"-x\",\"b\":\":x\",\"c\":\"?x\",\"d\":\"a, b]\"}");
	CHECK_STR("plain multi-line", p("a: one\n  two\n\n  three\nb: 1\n"), "{\"a\":\"one two\\nthree\",\"b\":1}");
	CHECK_STR("plain multi-line in seq", p("- one\n  two\n- x\n"), "[\"one two\",\"x\"]");
	CHECK_STR("plain ends at comment line", p("a: one\n  # c\nb: 2\n"), "{\"a\":\"one\",\"b\":2}");
	CHECK_STR("single quoted", p("a: 'it''s #x: y'\n"), "{\"a\":\"it's #x: y\"}");
	CHECK_STR("single quoted empty", p("a: ''\n"), "{\"a\":\"\"}");
	CHECK_STR("single quoted folding", p("a: 'one\n  two\n\n  three  '\n"), "{\"a\":\"one two\\nthree  \"}");
	CHECK_STR("single quoted no escapes", p("a: '\\n'\n"), "{\"a\":\"\\\\n\"}");
	CHECK_STR("double quoted escapes", p("a: \"\\0\\a\\b\\t\\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\"\n"),
		  "{\"a\":\"\\x00\\x07\\x08\\x09\\x09\\n\\x0b\\x0c\\x0d\\x1b \\\"/\\\\\"}");
	CHECK_STR("double quoted unicode", p("a: \"\\x41\\xe9\\u00e9\\u20AC\\U0001F600\"\n"),
		  "{\"a\":\"A\xC3\xA9\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}");
	CHECK_STR("double quoted N _ L P", p("a: \"\\N\\_\\L\\P\"\n"),
		  "{\"a\":\"\xC2\x85\xC2\xA0\xE2\x80\xA8\xE2\x80\xA9\"}");
	CHECK_STR("double quoted folding", p("a: \"one \n   two\n\n  three\"\n"), "{\"a\":\"one two\\nthree\"}");
	CHECK_STR("double quoted escaped break", p("a: \"one \\\n   two\"\n"), "{\"a\":\"one two\"}");
	CHECK_STR("double quoted escaped break joins", p("a: \"one\\\n   two\"\n"), "{\"a\":\"onetwo\"}");
	CHECK_STR("quoted continuation at column 1", p("a: \"x\ny\"\n"), "{\"a\":\"x y\"}");
	CHECK("\\0 keeps length", !strcmp(p("a: \"x\\0y\"\n"), "{\"a\":\"x\\x00y\"}"));

	CHECK_STR("literal", p("a: |\n  one\n   two\n\n  three\nb: 1\n"), "{\"a\":\"one\\n two\\n\\nthree\\n\",\"b\":1}");
	CHECK_STR("literal strip", p("a: |-\n  x\n\n\nb: 1\n"), "{\"a\":\"x\",\"b\":1}");
	CHECK_STR("literal clip", p("a: |\n  x\n\n\nb: 1\n"), "{\"a\":\"x\\n\",\"b\":1}");
	CHECK_STR("literal keep", p("a: |+\n  x\n\n\nb: 1\n"), "{\"a\":\"x\\n\\n\\n\",\"b\":1}");
	CHECK_STR("literal at EOF without newline", p("a: |\n  x"), "{\"a\":\"x\"}");
	CHECK_STR("literal keep at EOF", p("a: |+\n  x\n"), "{\"a\":\"x\\n\"}");
	CHECK_STR("literal empty", p("a: |\nb: 1\n"), "{\"a\":\"\",\"b\":1}");
	CHECK_STR("literal empty keep", p("a: |+\n\n\nb: 1\n"), "{\"a\":\"\\n\\n\",\"b\":1}");
	CHECK_STR("literal leading empty lines", p("a: |\n\n  x\n"), "{\"a\":\"\\nx\\n\"}");
	CHECK_STR("literal keeps #", p("a: |\n  # not a comment\n # a comment\n"), "{\"a\":\"# not a comment\\n\"}");
	CHECK_STR("literal spaces-only line", p("a: |\n  x\n    \n  y\n"), "{\"a\":\"x\\n  \\ny\\n\"}");
	CHECK_STR("literal indentation indicator", p("a: |2\n    x\n  y\n"), "{\"a\":\"  x\\ny\\n\"}");
	CHECK_STR("literal indicator in seq", p("- |1\n  x\n"), "[\" x\\n\"]");
	CHECK_STR("literal indicator order", p("a: |-2\n   x\nb: |2+\n   y\n\n"), "{\"a\":\" x\",\"b\":\" y\\n\\n\"}");
	CHECK_STR("literal header comment", p("a: | # c\n  x\n"), "{\"a\":\"x\\n\"}");
	CHECK_STR("folded", p("a: >\n  one\n  two\n\n  three\n   more\n  four\n"),
		  "{\"a\":\"one two\\nthree\\n more\\nfour\\n\"}");
	CHECK_STR("folded strip", p("a: >-\n  one\n  two\n\n"), "{\"a\":\"one two\"}");
	CHECK_STR("folded keep", p("a: >+\n  one\n\n"), "{\"a\":\"one\\n\\n\"}");
	CHECK_STR("folded empty lines", p("a: >\n  a\n\n\n  b\n"), "{\"a\":\"a\\n\\nb\\n\"}");
	CHECK_STR("folded in sequence", p("- >\n a\n b\n- c\n"), "[\"a b\\n\",\"c\"]");
	CHECK_STR("block scalar on its own line", p("a:\n  |\n  x\n"), "{\"a\":\"x\\n\"}");

	/* resolution: PyYAML's booleans, ints and floats where YAML 1.1 and 1.2 agree */
	CHECK_STR("ints", p("[0, -0, 5432, +7, -12, 0x1F, 0o17, 9223372036854775807, -9223372036854775808]"),
		  "[0,-0,5432,+7,-12,0x1F,0o17,9223372036854775807,-9223372036854775808]");
	CHECK_STR("ambiguous numbers stay strings", p("[017, 00, 0b11, 1_000, '12:30', 0x, 0o8, 0X1]"),
		  "[\"017\",\"00\",\"0b11\",\"1_000\",\"12:30\",\"0x\",\"0o8\",\"0X1\"]");
	CHECK_STR("floats", p("[1.5, .5, 1., -2.5e+3, +1.0E-3, 0.0, .inf, -.Inf, +.INF, .nan, .NaN]"),
		  "[1.5,.5,1.,-2.5e+3,+1.0E-3,0.0,.inf,-.Inf,+.INF,.nan,.NaN]");
	CHECK_STR("not floats", p("[., 1e, e3, .5.5, -.nan, 1.2.3, 1.e+]"),
		  "[\".\",\"1e\",\"e3\",\".5.5\",\"-.nan\",\"1.2.3\",\"1.e+\"]");
	/* YAML 1.2 floats that PyYAML reads (and writes unquoted) as strings */
	CHECK_STR("1.2-only floats stay strings", p("[1e3, 1.0e3, -.5, +.5, 1E5]"),
		  "[\"1e3\",\"1.0e3\",\"-.5\",\"+.5\",\"1E5\"]");
	CHECK_STR("bools", p("[true, True, TRUE, false, yes, Yes, YES, no, No, NO, on, On, ON, off, Off, OFF]"),
		  "[true,True,TRUE,false,yes,Yes,YES,no,No,NO,on,On,ON,off,Off,OFF]");
	CHECK_STR("not bools", p("[tRUE, y, n, Y, N, yES, oN]"),
		  "[\"tRUE\",\"y\",\"n\",\"Y\",\"N\",\"yES\",\"oN\"]");
	CHECK_STR("nulls", p("[~, null, Null, NULL, nULL, '', '~', \"null\"]"),
		  "[~,~,~,~,\"nULL\",\"\",\"~\",\"null\"]");
	CHECK_STR("quoted is a string", p("a: \"5432\"\nb: 'true'\nc: |\n  1\n"), "{\"a\":\"5432\",\"b\":\"true\",\"c\":\"1\\n\"}");
}

static void flow(void)
{
	CHECK_STR("flow nesting", p("a: {b: [1, {c: d}, [e, [f]]], g: {}, h: []}\n"),
		  "{\"a\":{\"b\":[1,{\"c\":\"d\"},[\"e\",[\"f\"]]],\"g\":{},\"h\":[]}}");
	CHECK_STR("flow trailing comma", p("a: [1, 2,]\nb: {x: 1,}\n"), "{\"a\":[1,2],\"b\":{\"x\":1}}");
	CHECK_STR("flow multi-line", p("a: [\n  1,  # one\n  2\n]\nb: {\n  x: y\n}\n"), "{\"a\":[1,2],\"b\":{\"x\":\"y\"}}");
	CHECK_STR("flow quoted", p("a: ['b, c', \"d]\", 'e''f']\n"), "{\"a\":[\"b, c\",\"d]\",\"e'f\"]}");
	CHECK_STR("flow JSON-like", p("{\"a\":1, \"b\":[true,null]}\n"), "{\"a\":1,\"b\":[true,~]}");
	CHECK_STR("flow empty value", p("{a: , b:}\n"), "{\"a\":~,\"b\":~}");
	CHECK_STR("flow plain with spaces and colons", p("[a b, http://x:1/]\n"), "[\"a b\",\"http://x:1/\"]");
	CHECK_STR("flow plain multi-line", p("[a\n  b, c]\n"), "[\"a b\",\"c\"]");
	CHECK_STR("flow tabs", p("[a,\tb]\n"), "[\"a\",\"b\"]");
	CHECK_STR("flow tags list", p("- type: tcp\n  tags: [no-nagios, external]\n"),
		  "[{\"type\":\"tcp\",\"tags\":[\"no-nagios\",\"external\"]}]");
	CHECK_STR("flow auth pair", p("auth: [user, pass]\n"), "{\"auth\":[\"user\",\"pass\"]}");
}

static void errors(void)
{
	ERR("anchor", "a: &x 1\n", "1:4", "anchors");
	ERR("anchor on key", "- &x a: 1\n", "1:3", "anchors");
	ERR("alias", "a: 1\nb: *x\n", "2:4", "aliases");
	ERR("alias in flow", "a: [1, *x]\n", "1:8", "aliases");
	ERR("tag", "a: !foo x\n", "1:4", "tags");
	ERR("python tag", "a: !!python/object:os.system x\n", "1:4", "tags");
	ERR("tag in flow", "a: {b: !!str 1}\n", "1:8", "tags");
	ERR("complex key", "? a\n: b\n", "1:1", "complex keys");
	ERR("complex key in map", "a: 1\n? b\n", "2:1", "complex keys");
	ERR("flow collection as key", "[a]: b\n", "1:1", "complex keys");
	ERR("flow collection as flow key", "{[a]: b}\n", "1:2", "complex keys");
	ERR("tab indentation", "a:\n\tb: 1\n", "2:1", "tab");
	ERR("tab after spaces", "a:\n  \tb: 1\n", "2:3", "tab");
	ERR("tab after - before mapping", "-\ta: 1\n", "1:2", "tab");
	ERR("duplicate key", "a: 1\nb: 2\na: 3\n", "3:1", "duplicate key \"a\" (first at line 1, column 1)");
	ERR("duplicate key nested", "x:\n  a: 1\n  a: 2\n", "3:3", "duplicate key");
	ERR("duplicate key in seq item", "- a: 1\n  a: 2\n", "2:3", "duplicate");
	ERR("duplicate key quoted", "a: 1\n\"a\": 2\n", "2:1", "duplicate");
	ERR("duplicate key flow", "{a: 1, a: 2}\n", "1:8", "duplicate");
	ERR("duplicate null keys", "~: 1\nnull: 2\n", "2:1", "duplicate");
	ERR("duplicate bool keys", "yes: 1\ntrue: 2\n", "2:1", "duplicate");
	ERR("duplicate int keys", "0x10: 1\n16: 2\n", "2:1", "duplicate");
	CHECK_STR("same key in two mappings", p("- a: 1\n- a: 2\n"), "[{\"a\":1},{\"a\":2}]");
	ERR("two documents", "a: 1\n---\nb: 2\n", "2:1", "multiple documents");
	ERR("two documents after ...", "a: 1\n...\n---\nb: 2\n", "3:1", "multiple documents");
	ERR("content after ...", "a: 1\n...\nb: 2\n", "3:1", "document end");
	ERR("directive", "%YAML 1.2\n---\na: 1\n", "1:1", "directives");
	ERR("unterminated double quote", "a: 1\nb: \"abc\n\nc: 2\n", "2:4", "unterminated double-quoted");
	ERR("unterminated single quote", "a: 'abc\n", "1:4", "unterminated single-quoted");
	ERR("quote cut by document marker", "a: 'abc\n---\n'\n", "1:4", "unterminated");
	ERR("unterminated flow sequence", "a: [1, 2\n", "1:4", "unterminated flow sequence");
	ERR("flow sequence runs into the next key", "a: [1, 2\nb: 3\n", "2:2", "flow sequence");
	ERR("unterminated flow mapping", "a: {x: 1\n", "1:4", "unterminated flow mapping");
	ERR("unterminated nested flow", "a: [[1]\n", "1:4", "unterminated flow sequence");
	ERR("bad indentation, map", "a:\n    b: 1\n  c: 2\n", "3:3", "indentation");
	ERR("bad indentation, seq", "- 'a'\n - b\n", "2:2", "indentation");
	CHECK_STR("deeper '- ' continues a plain scalar", p("- a\n - b\n"), "[\"a - b\"]");
	ERR("bad indentation, deeper key", "a: 1\n  b: 2\n", "2:4", "mapping values are not allowed");
	ERR("bad indentation, seq item", "- a: 1\n - b\n", "2:2", "indentation");
	ERR("less indented than root", "  a: 1\nb: 2\n", "2:1", "indentation");
	ERR("key without value", "a: 1\nb\nc: 2\n", "2:1", "no ':'");
	ERR("key without colon in seq item", "- a: 1\n  b\n", "2:3", "no ':'");
	ERR("flow key without value", "{a, b: 1}\n", "1:3", "expected ':'");
	ERR("flow key glued colon", "{a:1}\n", "1:5", "expected ':'");
	ERR("pair in flow sequence", "[a: 1]\n", "1:3", "flow sequence");
	ERR("empty flow entry", "[a, , b]\n", "1:5", "','");
	ERR("flow missing comma", "{a: b c: d}\n", "1:8", "expected ','");
	ERR("junk after flow", "a: [1] x\n", "1:8", "unexpected text");
	ERR("junk after quoted", "a: 'x' y\n", "1:8", "unexpected text");
	ERR("mapping on key line", "a: b: c\n", "1:5", "mapping values are not allowed");
	ERR("sequence on key line", "a: - b\n", "1:4", "block sequence");
	ERR("sequence in mapping", "a: 1\n- b\n", "2:1", "sequence entry");
	ERR("multi-line implicit key", "\"a\nb\": 1\n", "1:1", "single line");
	ERR("block scalar in flow", "[|\n  x\n]\n", "1:2", "block scalars");
	ERR("block seq entry in flow", "[- a]\n", "1:2", "block sequence");
	ERR("bad block header", "a: |x\n  y\n", "1:5", "block scalar header");
	ERR("indentation indicator 0", "a: |0\n  y\n", "1:5", "1 to 9");
	ERR("leading empty line too deep", "a: |\n    \n  x\n", "2:5", "leading empty line");
	ERR("comment glued to value", "a: 'x'#c\n", "1:7", "comment");
	ERR("reserved @", "a: @x\n", "1:4", "reserved");
	ERR("reserved `", "a: `x\n", "1:4", "reserved");
	ERR("stray ]", "a: ]\n", "1:4", "unexpected ']'");
	ERR("stray ,", "a: ,\n", "1:4", "unexpected ','");
	ERR("empty key", ": a\n", "1:1", "empty keys");
	ERR("escape invalid", "a: \"\\q\"\n", "1:5", "invalid escape");
	ERR("escape short hex", "a: \"\\x4\"\n", "1:5", "2 hex digits");
	ERR("escape bad hex", "a: \"\\u12G4\"\n", "1:5", "4 hex digits");
	ERR("escape surrogate", "a: \"ok \\uD800\"\n", "1:8", "surrogate");
	ERR("escape beyond unicode", "a: \"\\U00110000\"\n", "1:5", "U+10FFFF");
	ERR("escape at end", "a: \"\\", "1:5", "invalid escape");
	{
		const char *r = pn("a: 1\nb: x\0y\n", 12);
		CHECK("NUL byte", !strncmp(r, "ERR 2:5: NUL byte", 17));
	}
	ERR("invalid UTF-8", "a: \xC3\x28\n", "1:4", "invalid UTF-8");
	ERR("overlong UTF-8", "a: \xC0\xAF\n", "1:4", "invalid UTF-8");
	ERR("UTF-8 surrogate", "a: \xED\xA0\x80\n", "1:4", "invalid UTF-8");
	ERR("truncated UTF-8", "a: \xE2\x82", "1:4", "invalid UTF-8");
	ERR("UTF-8 column counts characters", "\xC3\xA9\xC3\xA9: &x\n", "1:5", "anchors");
	ERR("control character", "a: \x01\n", "1:4", "control character");
	ERR("C1 control", "a: \xC2\x80\n", "1:4", "control character");
	ERR("NEL", "a: x\xC2\x85y\n", "1:5", "line break in YAML 1.1");
	ERR("LS", "a: x\xE2\x80\xA8y\n", "1:5", "line break in YAML 1.1");
	ERR("BOM inside", "a: 1\n\xEF\xBB\xBF" "b: 2\n", "2:1", "byte order mark");
	ERR("CRLF keeps lines", "a: 1\r\nb: 2\r\na: 3\r\n", "3:1", "duplicate");
}

static void limits(void)
{
	struct yaml_limits lim = { 64, 3, 10 };
	char err[256], big[200];
	struct yaml_doc *d;

	d = yaml_parse("t.yaml", "[[[a]]]", 7, &lim, err, sizeof(err));
	CHECK("depth 3 ok", d != NULL);
	yaml_free(d);
	d = yaml_parse("t.yaml", "[[[[a]]]]", 9, &lim, err, sizeof(err));
	CHECK_STR("depth 4 flow", d ? "parsed" : err, "t.yaml:1:4: nesting deeper than 3 levels");
	d = yaml_parse("t.yaml", "a:\n  b:\n    c:\n      d: 1\n", 26, &lim, err, sizeof(err));
	CHECK_STR("depth 4 block", d ? "parsed" : err, "t.yaml:4:7: nesting deeper than 3 levels");
	d = yaml_parse("t.yaml", "[1,2,3,4,5,6,7,8,9]", 19, &lim, err, sizeof(err));
	CHECK("10 nodes", d != NULL);
	yaml_free(d);
	d = yaml_parse("t.yaml", "[1,2,3,4,5,6,7,8,9,10]", 22, &lim, err, sizeof(err));
	CHECK_STR("node limit", d ? "parsed" : err, "t.yaml:1:20: more than 10 nodes");
	memset(big, ' ', sizeof(big));
	memcpy(big, "a: 1\nb: ", 8);
	d = yaml_parse("t.yaml", big, sizeof(big), &lim, err, sizeof(err));
	CHECK_STR("size limit", d ? "parsed" : err, "t.yaml:2:60: input larger than 64 bytes");
	d = yaml_parse("t.yaml", big, 64, &lim, err, sizeof(err));
	CHECK("size at the limit", d != NULL);
	yaml_free(d);
	{
		/* default depth 64: 64 nested flow sequences parse, 65 do not */
		char deep[200];
		memset(deep, '[', 65);
		memset(deep + 65, ']', 65);
		CHECK("default depth 65", !strncmp(pn(deep, 130), "ERR 1:65: nesting deeper than 64", 32));
		CHECK("default depth 64", strncmp(pn(deep + 1, 128), "ERR", 3) != 0);
	}
	{
		char small[24];
		d = yaml_parse("a-rather-long-file-name.yaml", "a: &x\n", 6, NULL, small, sizeof(small));
		CHECK("error truncation is marked", !d && strlen(small) == 23 && !strcmp(small + 20, "..."));
	}
	{
		char key[1100];
		memset(key, 'k', sizeof(key));
		memcpy(key + 1025, ": 1\n", 4);
		CHECK("key of 1025 bytes", !strncmp(pn(key, 1029), "ERR 1:1: implicit key longer", 28));
		memcpy(key + 1024, ": 1\n", 4);
		CHECK("key of 1024 bytes", strncmp(pn(key, 1028), "ERR", 3) != 0);
	}
}

static void api(void)
{
	char err[256];
	const char *s;
	long long i;
	double f;
	int b;
	const char *src = "- type: tcp\n  port: 5432\n  qport: \"5432\"\n  big: 99999999999999999999\n"
			  "  t: 1.5\n  on: yes\n  oct: 0755\n  nul: \"a\\0b\"\n  empty:\n  list: [a]\n";
	struct yaml_doc *d = yaml_parse("c.yaml", src, strlen(src), NULL, err, sizeof(err));
	const struct yaml_node *m;

	CHECK("api parse", d != NULL);
	if (!d)
		return;
	CHECK("root is seq", yaml_expect(d->root, YAML_SEQ, err, sizeof(err)) == 0 && d->root->count == 1);
	m = d->root->child;
	CHECK("item is map", m->kind == YAML_MAP && m->count == 10 && m->line == 1 && m->col == 3);
	CHECK_STR("expect map fails", yaml_expect(d->root, YAML_MAP, err, sizeof(err)) ? err : "",
		  "c.yaml:1:1: expected a mapping, got a sequence");
	CHECK("get str", yaml_str(yaml_get(m, "type"), &s, err, sizeof(err)) == 0 && !strcmp(s, "tcp"));
	CHECK("key position", yaml_get_key(m, "port")->line == 2 && yaml_get_key(m, "port")->col == 3);
	CHECK("value position", yaml_get(m, "port")->line == 2 && yaml_get(m, "port")->col == 9);
	CHECK("get int", yaml_int(yaml_get(m, "port"), 1, 65535, &i, err, sizeof(err)) == 0 && i == 5432);
	CHECK("int as str", yaml_str(yaml_get(m, "port"), &s, err, sizeof(err)) == 0 && !strcmp(s, "5432"));
	CHECK_STR("quoted is not int", yaml_int(yaml_get(m, "qport"), 1, 65535, &i, err, sizeof(err)) ? err : "",
		  "c.yaml:3:10: expected an integer, got a string");
	CHECK_STR("int range", yaml_int(yaml_get(m, "port"), 1, 1000, &i, err, sizeof(err)) ? err : "",
		  "c.yaml:2:9: integer 5432 out of range 1..1000");
	CHECK_STR("int overflow", yaml_int(yaml_get(m, "big"), 0, 10, &i, err, sizeof(err)) ? err : "",
		  "c.yaml:4:8: integer 99999999999999999999 out of range 0..10");
	CHECK("big is int type", yaml_get(m, "big")->type == YAML_INT && yaml_get(m, "big")->int_overflow);
	CHECK("ambiguous octal hint", yaml_int(yaml_get(m, "oct"), 0, 9999, &i, err, sizeof(err)) < 0 &&
	      strstr(err, "c.yaml:7:8: expected an integer, got \"0755\" (YAML 1.1 and 1.2"));
	{
		struct yaml_doc *e = yaml_parse("e.yaml", "t: 1e3\n", 7, NULL, err, sizeof(err));
		CHECK("1e3 float hint", e && yaml_float(yaml_get(e->root, "t"), &f, err, sizeof(err)) < 0 &&
		      !strcmp(err, "e.yaml:1:4: expected a number, got \"1e3\" (YAML 1.1 and 1.2 read it "
			      "differently; write a plain decimal number)"));
		yaml_free(e);
	}
	CHECK("get float", yaml_float(yaml_get(m, "t"), &f, err, sizeof(err)) == 0 && f == 1.5);
	CHECK("int as float", yaml_float(yaml_get(m, "port"), &f, err, sizeof(err)) == 0 && f == 5432.0);
	CHECK("get bool (key 'on' is a bool key)", yaml_bool(yaml_get(m, "on"), &b, err, sizeof(err)) == 0 && b == 1);
	CHECK_STR("bool type error", yaml_bool(yaml_get(m, "type"), &b, err, sizeof(err)) ? err : "",
		  "c.yaml:1:9: expected true or false, got a string");
	CHECK_STR("str rejects NUL", yaml_str(yaml_get(m, "nul"), &s, err, sizeof(err)) ? err : "",
		  "c.yaml:8:8: string contains a NUL character");
	CHECK("nul len", yaml_get(m, "nul")->len == 3);
	CHECK("empty is null", yaml_is_null(yaml_get(m, "empty")));
	CHECK_STR("null is not a string", yaml_str(yaml_get(m, "empty"), &s, err, sizeof(err)) ? err : "",
		  "c.yaml:9:9: expected a string, got an empty value (null)");
	CHECK_STR("seq is not a string", yaml_str(yaml_get(m, "list"), &s, err, sizeof(err)) ? err : "",
		  "c.yaml:10:9: expected a string, got a sequence");
	CHECK("missing key", yaml_get(m, "nope") == NULL && yaml_get(d->root, "type") == NULL);
	CHECK_STR("missing value getter", yaml_str(yaml_get(m, "nope"), &s, err, sizeof(err)) ? err : "",
		  "<input>: expected a string, got nothing");
	yaml_error(yaml_get(m, "type"), err, sizeof(err), "unknown check type: %s", "tcp");
	CHECK_STR("yaml_error", err, "c.yaml:1:9: unknown check type: tcp");
	CHECK("style", yaml_get(m, "qport")->style == YAML_DOUBLE_QUOTED && yaml_get(m, "list")->style == YAML_FLOW);
	i = 0;
	yaml_foreach(k, m)
		i++;
	CHECK("foreach", i == 10);
	yaml_free(d);
	yaml_free(NULL);
}

int main(void)
{
	fixtures();
	structure();
	scalars();
	flow();
	errors();
	limits();
	api();
	return t_done();
}
