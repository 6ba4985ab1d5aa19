/* xmlrpc.h - a small XML-RPC client (the XML-RPC specification, xmlrpc.com/spec): a call
 * encoder and a bounded methodResponse decoder, both pure functions over buffers, and one
 * call over the HTTP/1.1 client (TCP or a unix socket, as supervisord serves it).
 */
#ifndef PB_XMLRPC_H
#define PB_XMLRPC_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/arena.h"

enum xmlrpc_type {
	XR_STR,		/* <string> or a bare <value>; also base64 and dateTime.iso8601, as text */
	XR_INT,		/* <int>, <i4>, <i8> */
	XR_BOOL,	/* <boolean> */
	XR_DOUBLE,	/* <double>: .s keeps the text, .d the value */
	XR_NIL,		/* <nil/> */
	XR_ARRAY,
	XR_STRUCT,
};

#define XMLRPC_DEPTH_MAX 16		/* nested arrays and structs */
#define XMLRPC_RESPONSE_MAX (4u << 20)	/* bytes of a response */
#define XMLRPC_ERR_MAX 320

struct xmlrpc_value {
	enum xmlrpc_type type;
	struct xmlrpc_value *next;	/* the next element or member of the parent */
	struct xmlrpc_value *child;	/* XR_ARRAY, XR_STRUCT: the first one */
	size_t count;
	const char *name;		/* a struct member's name, else NULL */
	const char *s;			/* XR_STR, XR_DOUBLE: decoded text, NUL-terminated */
	size_t len;
	long long i;			/* XR_INT, XR_BOOL */
	double d;
};

struct xmlrpc_response {
	int fault;			/* a <fault>: code and string below */
	long long fault_code;
	const char *fault_string;
	const struct xmlrpc_value *value;	/* the one param, or the fault's struct */
	struct arena arena;
};

/* an argument of a call */
struct xmlrpc_arg {
	enum xmlrpc_type type;		/* XR_STR, XR_INT or XR_BOOL */
	const char *s;
	long long i;
};

/* <methodCall> with the arguments; its length, or 0 when it does not fit in cap */
size_t xmlrpc_encode_call(const char *method, const struct xmlrpc_arg *args, size_t n, char *out,
			  size_t cap);
/* parse a <methodResponse>: 0 (r->fault says which kind), or -1 with the reason in err */
int xmlrpc_decode(struct xmlrpc_response *r, const char *buf, size_t len, char *err,
		  size_t errlen);
void xmlrpc_response_free(struct xmlrpc_response *r);
/* the member of a struct called name, NULL when none */
const struct xmlrpc_value *xmlrpc_member(const struct xmlrpc_value *st, const char *name);
/* a short text of v for logs, as Python prints it ('x', 12, True, [..], {'k': ..}), cut to
 * fit len */
void xmlrpc_repr(const struct xmlrpc_value *v, char *out, size_t len);

/* where a call goes: an http:// URL, or a unix socket (the URL then gives the path, and
 * Host: localhost as supervisorctl sends it); Basic authentication when user is set */
struct xmlrpc_server {
	const char *url;
	const char *unix_socket;
	const char *user, *password;
};

/* call method on srv by deadline: 0 with a response (which may be a fault), or -1 with err
 * (the connection, an HTTP status other than 200, a reply that does not parse) */
int xmlrpc_call(const struct xmlrpc_server *srv, const char *method, const struct xmlrpc_arg *args,
		size_t n, int64_t deadline, struct xmlrpc_response *r, char *err, size_t errlen);

#endif
