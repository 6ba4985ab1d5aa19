/* re2.c - unit tests: the regexp engine against what Go's regexp answers for the same pattern
 * and text (the expected values are Go's, from its documentation and syntax tests) */
#include <string.h>

#include "../../lib/re2.h"
#include "t.h"

static int m(const char *re, const char *s)
{
	char err[128];
	struct re2 *r = re2_compile(re, err, sizeof(err));
	int v;

	if (!r)
		return -1;
	v = re2_match(r, s, strlen(s));
	re2_free(r);
	return v;
}

static const char *bad(const char *re)
{
	static char err[128];
	struct re2 *r = re2_compile(re, err, sizeof(err));

	if (r) {
		re2_free(r);
		return "(compiled)";
	}
	return err;
}

static const struct {
	const char *re, *text;
	int want;
} cases[] = {
	{ "", "", 1 }, { "", "x", 1 }, { "a", "", 0 }, { "abc", "xabcx", 1 }, { "abd", "abcabd", 1 },
	{ "^abc$", "abc", 1 }, { "^abc$", "abc\n", 0 }, { "^b", "ab", 0 }, { "a$", "ab", 0 },
	{ "(?m)^b$", "a\nb\nc", 1 }, { "(?m)a$", "a\nb", 1 }, { "^b", "a\nb", 0 },
	{ "a.c", "abc", 1 }, { "a.c", "a\nc", 0 }, { "(?s)a.c", "a\nc", 1 }, { "a.c", "a\xc3\xa9" "c", 1 },
	{ "a..c", "a\xc3\xa9" "c", 0 }, { "a.c", "a\xff" "c", 1 },
	{ "a*", "", 1 }, { "^a*$", "aaa", 1 }, { "^a+$", "", 0 }, { "^a+$", "aa", 1 },
	{ "^a?b$", "b", 1 }, { "^a?b$", "aab", 0 }, { "^a{2}$", "aa", 1 }, { "^a{2}$", "aaa", 0 },
	{ "^a{2,}$", "aaaa", 1 }, { "^a{2,}$", "a", 0 }, { "^a{2,3}$", "aaa", 1 }, { "^a{2,3}$", "aaaa", 0 },
	{ "^a{0}$", "", 1 }, { "^(ab){1,2}$", "abab", 1 }, { "^(ab){1,2}$", "ababab", 0 },
	{ "a{", "a{", 1 }, { "a{,2}", "a{,2}", 1 }, { "a{x}", "a{x}", 1 }, { "^a{2}?$", "aa", 1 },
	{ "^(a|b)+$", "abba", 1 }, { "^(a|b)+$", "abca", 0 }, { "^(?:a|bc|)$", "", 1 },
	{ "^(?:a|bc|)$", "bc", 1 }, { "x|y|z", "--z", 1 }, { "^(a*)*$", "aaaa", 1 }, { "^(a*)+b", "aab", 1 },
	{ "^(|a)*$", "aa", 1 }, { "((((((a))))))", "a", 1 },
	{ "[abc]", "xbx", 1 }, { "^[a-c]+$", "abcab", 1 }, { "^[a-c]+$", "abd", 0 }, { "[^a]", "a", 0 },
	{ "[^a]", "\n", 1 }, { "[]a]", "]", 1 }, { "[^]a]", "]", 0 }, { "[a-]", "-", 1 }, { "[\\]]", "]", 1 },
	{ "^[[:alpha:]]+$", "abZ", 1 }, { "[[:digit:]]", "abc", 0 }, { "[[:^digit:]]", "123", 0 },
	{ "^[[:^digit:]]$", "x", 1 }, { "[[:space:]]", "a\tb", 1 }, { "[[:punct:]]", "a!", 1 },
	{ "^[\\d.]+$", "1.2", 1 }, { "^[\\D]$", "1", 0 }, { "^[\\S]$", " ", 0 }, { "^[^\\W]$", "_", 1 },
	{ "\\d", "x9", 1 }, { "\\D", "99", 0 }, { "^\\s$", "\t", 1 }, { "^\\s$", "\v", 0 }, { "\\S", "  ", 0 },
	{ "^\\w+$", "a_9Z", 1 }, { "\\W", "abc", 0 }, { "\\w", "\xc3\xa9", 0 },
	{ "(?i)abc", "xABCx", 1 }, { "(?i)[a-c]+$", "ABC", 1 }, { "(?i)[^a]", "A", 0 }, { "a(?i)b", "aB", 1 },
	{ "a(?i)b", "AB", 0 }, { "(?i:a)b", "Ab", 1 }, { "(?i:a)b", "AB", 0 }, { "(?i)a(?-i)b", "Ab", 1 },
	{ "(?i)a(?-i)b", "AB", 0 }, { "(a(?i)b)c", "aBc", 1 }, { "(a(?i)b)c", "aBC", 0 }, { "(?U)a+", "a", 1 },
	{ "\\bfoo\\b", "a foo b", 1 }, { "\\bfoo\\b", "afoo", 0 }, { "\\Bfoo", "afoo", 1 }, { "\\Bfoo", "foo", 0 },
	{ "\\Afoo", "foo", 1 }, { "\\Afoo", "\nfoo", 0 }, { "(?m)\\Afoo", "a\nfoo", 0 }, { "foo\\z", "foo\n", 0 },
	{ "\\x41\\x{42}", "AB", 1 }, { "\\x{e9}", "\xc3\xa9", 1 }, { "\\x{FFFD}", "\xff", 1 },
	{ "\\n\\r\\t\\f\\v\\a", "\n\r\t\f\v\a", 1 }, { "\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", ".*+?()[]{}|^$\\", 1 },
	{ "\\Qa.b\\E", "a.b", 1 }, { "\\Qa.b\\E", "axb", 0 }, { "\\Qa.b", "a.b", 1 }, { "\\Q*\\E+", "**", 1 },
	{ "a.*?b", "axxb", 1 }, { "a+?", "a", 1 }, { "a??b", "b", 1 }, { "\xc3\xa9+", "\xc3\xa9\xc3\xa9", 1 },
	{ "^.$", "\xe2\x82\xac", 1 }, { "^.$", "\xf0\x9f\x98\x80", 1 }, { "^[\xc3\xa0-\xc3\xbf]$", "\xc3\xa9", 1 },
	{ "^\\A[0-9]+\\.[0-9]+\\n\\z", "1.11\n", 1 }, { "(a|ab)(c|bcd)(d*)", "abcd", 1 },
	/* check-tcp's presets */
	{ "^220", "220 ready\r\n", 1 }, { "^220", "500 no\r\n", 0 }, { "^\\+OK", "+OK hi", 1 },
	{ "^\\* OK", "* OK hi", 1 }, { "\\A[0-9]+\\.[0-9]+\\n\\z", "1.11\n", 1 },
	{ "\\A[0-9]+\\.[0-9]+\\n\\z", "1.11\nx", 0 }, { "\\A[0-9]+\\.[0-9]+\\n\\z", "x1.11\n", 0 },
	{ "^x(a|b)*y$", "xababaay", 1 }, { "^(a+|b+)*c", "aabbac", 1 }, { "^(a?){30}a{30}$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1 },
};

int main(void)
{
	char text[8];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[200];
		snprintf(name, sizeof(name), "/%s/ on \"%s\"", cases[i].re, cases[i].text);
		for (char *c = name; *c; c++)
			if ((unsigned char)*c < ' ')
				*c = '?';
		CHECK(name, m(cases[i].re, cases[i].text) == cases[i].want);
	}
	/* NUL is an ordinary character */
	{
		char err[64];
		struct re2 *r = re2_compile("a\\x00?b", err, sizeof(err));
		CHECK("NUL in the text", r && re2_match(r, "xa\0b", 4) == 1);
		re2_free(r);
	}
	/* Go's messages */
	CHECK_STR("missing )", bad("(ab"), "missing closing ): `(ab`");
	CHECK_STR("unexpected )", bad("ab)"), "unexpected ): `ab)`");
	CHECK_STR("missing ]", bad("[ab"), "missing closing ]: `[ab`");
	CHECK_STR("bad range", bad("[z-a]"), "invalid character class range: `z-a`");
	CHECK_STR("bad class name", bad("[[:foo:]]"), "invalid character class range: `[:foo:]`");
	CHECK_STR("leading *", bad("*a"), "missing argument to repetition operator: `*`");
	CHECK_STR("a**", bad("a**"), "invalid nested repetition operator: `**`");
	CHECK_STR("a{2}{3}", bad("a{2}{3}"), "invalid nested repetition operator: `{2}{3}`");
	CHECK_STR("repeat count", bad("a{1001}"), "invalid repeat count: `{1001}`");
	CHECK_STR("repeat min above max", bad("a{3,2}"), "invalid repeat count: `{3,2}`");
	CHECK_STR("trailing backslash", bad("ab\\"), "trailing backslash at end of expression: ``");
	CHECK_STR("backreference", bad("(a)\\1"), "invalid escape sequence: `\\1`");
	CHECK_STR("unknown escape", bad("\\q"), "invalid escape sequence: `\\q`");
	CHECK_STR("\\p", bad("\\pL"), "invalid escape sequence: `\\p`");
	CHECK_STR("bad \\x", bad("\\xZZ"), "invalid escape sequence: `\\xZ`");
	CHECK_STR("\\x{} too big", bad("\\x{110000}"), "invalid escape sequence: `\\x{110000}`");
	CHECK_STR("bad flag", bad("(?z)"), "invalid or unsupported Perl syntax: `(?z`");
	CHECK_STR("empty flags", bad("(?)"), "invalid or unsupported Perl syntax: `(?)`");
	CHECK_STR("bad name", bad("(?P<>a)"), "invalid named capture: `(?P<>`");
	CHECK_STR("too large", bad("((a{1000}){1000}){1000}"), "expression too large: `((a{1000}){1000}){1000}`");
	CHECK_STR("empty repeated is bounded", bad("((((){1000}){1000}){1000}){1000}"),
		  "expression too large: `((((){1000}){1000}){1000}){1000}`");
	{
		char deep[1000];
		memset(deep, '(', 500);
		memset(deep + 500, ')', 499);
		deep[999] = 0;
		CHECK("nesting is bounded", strstr(bad(deep), "nests too deeply") != NULL);
	}
	/* linear time: a pattern that makes backtracking engines exponential */
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	CHECK("(a*)*b on a's", m("(a*)*b", text) == 0);
	return t_done();
}
