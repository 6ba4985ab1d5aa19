/* xmlrpc.c - unit tests: the XML-RPC call encoder and the bounded methodResponse decoder
 * (supervisord's own replies, faults, every value type, entities, limits, errors) */
#include <stdlib.h>

#include "../../net/xmlrpc.h"
#include "t.h"

static struct xmlrpc_response R;
static char E[XMLRPC_ERR_MAX];

static int dec(const char *s)
{
	xmlrpc_response_free(&R);
	E[0] = 0;
	return xmlrpc_decode(&R, s, strlen(s), E, sizeof(E));
}

static int bad(const char *s, const char *why)
{
	return dec(s) < 0 && strstr(E, why) != NULL;
}

#define RESP(v) "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" v \
		"</param>\n</params>\n</methodResponse>\n"

/* as supervisord 4 answers getAllProcessInfo (xmlrpclib.dumps, trimmed) */
static const char all_info[] = RESP(
	"<value><array><data>\n"
	"<value><struct>\n"
	"<member>\n<name>name</name>\n<value><string>web_8080</string></value>\n</member>\n"
	"<member>\n<name>group</name>\n<value><string>web</string></value>\n</member>\n"
	"<member>\n<name>start</name>\n<value><int>1764806400</int></value>\n</member>\n"
	"<member>\n<name>state</name>\n<value><int>20</int></value>\n</member>\n"
	"<member>\n<name>statename</name>\n<value><string>RUNNING</string></value>\n</member>\n"
	"<member>\n<name>spawnerr</name>\n<value><string></string></value>\n</member>\n"
	"<member>\n<name>description</name>\n<value><string>pid 42, uptime 0:00:05</string></value>\n</member>\n"
	"<member>\n<name>pid</name>\n<value><int>42</int></value>\n</member>\n"
	"</struct></value>\n"
	"<value><struct>\n"
	"<member>\n<name>name</name>\n<value><string>a &amp; &lt;b&gt; &#233;&#x263a;</string></value>\n</member>\n"
	"</struct></value>\n"
	"</data></array></value>\n");

int main(void)
{
	const struct xmlrpc_value *p, *v;
	struct xmlrpc_arg a[3] = { { XR_STR, "grp:<a&b>", 0 }, { XR_BOOL, NULL, 0 },
				   { XR_INT, NULL, -7 } };
	char buf[1024], small[40];
	size_t n;

	n = xmlrpc_encode_call("supervisor.startProcess", a, 3, buf, sizeof(buf));
	CHECK("encode", n == strlen(buf) && !strcmp(buf,
		"<?xml version=\"1.0\"?>\n<methodCall>\n<methodName>supervisor.startProcess</methodName>\n"
		"<params>\n<param><value><string>grp:&lt;a&amp;b&gt;</string></value></param>\n"
		"<param><value><boolean>0</boolean></value></param>\n"
		"<param><value><int>-7</int></value></param>\n</params>\n</methodCall>\n"));
	CHECK("encode: too small", xmlrpc_encode_call("m", a, 3, small, sizeof(small)) == 0);
	CHECK("encode: no params", xmlrpc_encode_call("status", NULL, 0, buf, sizeof(buf)) > 0 &&
				   strstr(buf, "<params>\n</params>"));

	CHECK("getAllProcessInfo", dec(all_info) == 0 && !R.fault && R.value->type == XR_ARRAY &&
				   R.value->count == 2);
	p = R.value->child;
	v = xmlrpc_member(p, "name");
	CHECK("member name", v && v->type == XR_STR && !strcmp(v->s, "web_8080"));
	v = xmlrpc_member(p, "pid");
	CHECK("member int", v && v->type == XR_INT && v->i == 42);
	CHECK("member state", xmlrpc_member(p, "state")->i == 20);
	v = xmlrpc_member(p, "spawnerr");
	CHECK("empty string", v && v->type == XR_STR && v->len == 0);
	CHECK("no member", !xmlrpc_member(p, "nope") && !xmlrpc_member(xmlrpc_member(p, "pid"), "x"));
	v = xmlrpc_member(p->next, "name");
	CHECK("entities", v && !strcmp(v->s, "a & <b> \xc3\xa9\xe2\x98\xba"));

	CHECK("fault", dec("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n"
			   "<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n"
			   "<member>\n<name>faultString</name>\n<value><string>BAD_NAME: x</string>"
			   "</value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n") == 0 &&
		       R.fault && R.fault_code == 10 && !strcmp(R.fault_string, "BAD_NAME: x"));
	CHECK("boolean", dec(RESP("<value><boolean>1</boolean></value>")) == 0 &&
			 R.value->type == XR_BOOL && R.value->i == 1);
	CHECK("bare string", dec(RESP("<value> ok </value>")) == 0 && R.value->type == XR_STR &&
			     !strcmp(R.value->s, " ok "));
	CHECK("empty value", dec(RESP("<value/>")) == 0 && R.value->type == XR_STR && !R.value->len);
	CHECK("<string/>", dec(RESP("<value><string/></value>")) == 0 && R.value->len == 0);
	CHECK("i4 i8 double nil", dec(RESP("<value><array><data><value><i4>-3</i4></value>"
					   "<value><i8>9000000000</i8></value><value><double>1.5</double>"
					   "</value><value><nil/></value></data></array></value>")) == 0 &&
				  R.value->count == 4 && R.value->child->i == -3 &&
				  R.value->child->next->i == 9000000000LL &&
				  R.value->child->next->next->d == 1.5 &&
				  R.value->child->next->next->next->type == XR_NIL);
	CHECK("empty array and struct", dec(RESP("<value><array><data/></array></value>")) == 0 &&
					R.value->count == 0 &&
					dec(RESP("<value><struct></struct></value>")) == 0 &&
					R.value->type == XR_STRUCT);
	CHECK("no params", dec("<methodResponse><params/></methodResponse>") == 0 &&
			   R.value->type == XR_NIL);
	CHECK("comment", dec("<!-- c --><methodResponse><params><param><value>x</value></param>"
			     "</params></methodResponse>") == 0);
	xmlrpc_repr(dec(all_info) == 0 ? R.value : NULL, buf, sizeof(buf));
	CHECK("repr", !strncmp(buf, "[{'name': 'web_8080', 'group': 'web', 'start': 1764806400", 55));
	dec(RESP("<value><boolean>0</boolean></value>"));
	xmlrpc_repr(R.value, buf, sizeof(buf));
	CHECK_STR("repr bool", buf, "False");

	CHECK("bad: empty", bad("", "expected <methodResponse>"));
	CHECK("bad: not xml-rpc", bad("<html>no</html>", "expected <methodResponse>"));
	CHECK("bad: unknown type", bad(RESP("<value><float>1</float></value>"), "unknown type <float>"));
	CHECK("bad: int", bad(RESP("<value><int>12x</int></value>"), "bad integer"));
	CHECK("bad: int overflow", bad(RESP("<value><int>99999999999999999999</int></value>"), "bad integer"));
	CHECK("bad: boolean", bad(RESP("<value><boolean>2</boolean></value>"), "bad boolean"));
	CHECK("bad: entity", bad(RESP("<value>&nbsp;</value>"), "unknown entity"));
	CHECK("bad: char ref", bad(RESP("<value>&#0;</value>"), "bad reference") &&
			       bad(RESP("<value>&#x110000;</value>"), "bad reference") &&
			       bad(RESP("<value>&#;</value>"), "bad reference"));
	CHECK("bad: mismatched", bad(RESP("<value><string>x</int></value>"), "expected </string>"));
	CHECK("bad: cut", bad("<methodResponse><params><param><value><string>abc", "unterminated text"));
	CHECK("bad: trailing", bad("<methodResponse><params/></methodResponse><x/>", "text after"));
	CHECK("bad: fault without code", bad("<methodResponse><fault><value><struct></struct></value>"
					     "</fault></methodResponse>", "without faultCode"));
	CHECK("bad: text before type", bad(RESP("<value>x<int>1</int></value>"), "text before a type"));
	{
		size_t d = XMLRPC_DEPTH_MAX + 2, k = 0;
		char *deep = malloc(d * 60 + 200);
		k += (size_t)sprintf(deep, "<methodResponse><params><param>");
		for (size_t i = 0; i < d; i++)
			k += (size_t)sprintf(deep + k, "<value><array><data>");
		for (size_t i = 0; i < d; i++)
			k += (size_t)sprintf(deep + k, "</data></array></value>");
		sprintf(deep + k, "</param></params></methodResponse>");
		CHECK("bad: too deep", bad(deep, "nested deeper than 16"));
		free(deep);
	}
	xmlrpc_response_free(&R);
	return t_done();
}
