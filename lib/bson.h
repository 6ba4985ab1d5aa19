/* bson.h - BSON (bsonspec.org, version 1.1) for the mongodb probe: a writer over a fixed
 * buffer for the few documents it sends, a strict reader for the replies, and the MongoDB
 * wire-message frame around them (OP_MSG, OP_QUERY / OP_REPLY; MongoDB Wire Protocol).
 *
 * The reader trusts nothing: every length is checked against what holds it, every element
 * type is known, every string and name ends in its NUL inside its document, and documents
 * nest at most BSON_DEPTH_MAX deep. It never allocates. The writer's errors are sticky: a
 * document that does not fit is reported once, at the end.
 */
#ifndef PB_BSON_H
#define PB_BSON_H

#include <stddef.h>
#include <stdint.h>

#define BSON_DEPTH_MAX 16
#define BSON_WDEPTH 4		/* documents the writer can have open at once */

enum {
	BSON_DOUBLE = 0x01, BSON_STRING = 0x02, BSON_DOC = 0x03, BSON_ARRAY = 0x04,
	BSON_BINARY = 0x05, BSON_BOOL = 0x08, BSON_INT32 = 0x10, BSON_INT64 = 0x12,
};

/* wire opcodes */
enum { BSON_OP_REPLY = 1, BSON_OP_QUERY = 2004, BSON_OP_MSG = 2013 };

/* one element of a document; for a string v/len are its bytes without the NUL (v[len] is
 * the NUL); for binary data its bytes (sub: the subtype); for a document or an array the
 * whole nested document; else the value's bytes (little-endian) */
struct bson_el {
	unsigned char type, sub;
	const char *name;
	const unsigned char *v;
	size_t len;
};

struct bson_it {
	const unsigned char *p, *end;	/* end: the document's closing NUL */
};

/* the document at the start of p (n bytes, more may follow it): 0 and *it at its first
 * element, or -1 when its length does not fit in n */
int bson_it(struct bson_it *it, const void *p, size_t n);
/* the next element: 1, 0 at the end of the document, -1 malformed */
int bson_next(struct bson_it *it, struct bson_el *e);
/* the document at p (n bytes, more may follow it), each nested one checked too: its
 * length, or -1 when any of it is malformed or nests deeper than BSON_DEPTH_MAX */
long bson_valid(const void *p, size_t n);
/* the first element called name in the document at p: 1, or 0 when there is none */
int bson_get(const void *p, size_t n, const char *name, struct bson_el *e);
/* the element as a number (double, int32, int64, bool): 0, or -1 when it is none */
int bson_num(const struct bson_el *e, double *d);

struct bson_w {
	unsigned char *p;
	size_t len, cap;
	int err;			/* sticky: something did not fit */
	int depth;
	size_t open[BSON_WDEPTH];	/* where each open document starts */
};

void bson_w_init(struct bson_w *w, void *buf, size_t cap);
/* open a document: the top-level one (name NULL), or an element of type BSON_DOC or
 * BSON_ARRAY of the open one */
void bson_open(struct bson_w *w, int type, const char *name);
void bson_close(struct bson_w *w);
/* an element whose value is len bytes as they are (a copied element's bytes) */
void bson_put(struct bson_w *w, int type, const char *name, const void *v, size_t len);
void bson_int(struct bson_w *w, const char *name, int32_t v);
void bson_bool(struct bson_w *w, const char *name, int v);
void bson_str(struct bson_w *w, const char *name, const char *s);
/* binary data of the generic subtype 0 */
void bson_bin(struct bson_w *w, const char *name, const void *p, size_t n);

/* a command message: the header (length filled by bson_cmd_end), then for BSON_OP_MSG the
 * flags and a body section, for BSON_OP_QUERY a query on DB.$cmd; the body is left open */
void bson_cmd(struct bson_w *w, int op, int32_t reqid, const char *db);
/* "$db": db for OP_MSG, the body and the message closed: its length, 0 when it did not fit */
size_t bson_cmd_end(struct bson_w *w, int op, const char *db);
/* the little-endian 32-bit number at p (a message header's length) */
uint32_t bson_u32(const void *p);
/* the body of reply msg (n bytes, all of the message) to request reqid: an OP_MSG's one
 * body section or an OP_REPLY's first document, checked whole (bson_valid). 0 with *doc
 * and *len, or -1 with *why. */
int bson_msg_body(const void *msg, size_t n, int32_t reqid, const unsigned char **doc,
		  size_t *len, const char **why);

#endif
