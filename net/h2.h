/* h2.h - the minimum of HTTP/2 (RFC 9113) a client needs for one request on one stream (a
 * unary gRPC call): the connection preface and SETTINGS both ways, the request as one HEADERS
 * and one DATA frame on stream 1, and the response read frame by frame: its header block and
 * trailers (HPACK, hpack.h), DATA, and on the way PING (answered), SETTINGS (acknowledged),
 * WINDOW_UPDATE, RST_STREAM and GOAWAY.
 *
 * Sans I/O: the caller reads into h2_space(), hands the bytes to h2_received() and writes
 * out[0..outlen) to the peer after each call, so the frame reader is a pure function of the
 * bytes (fuzzed). Bounded: frames at most H2_FRAME_MAX (our SETTINGS_MAX_FRAME_SIZE, the
 * default), a header block at most H2_BLOCK_MAX, the decoded list HPACK_LIST_MAX, what we
 * queue for the peer H2_OUT_MAX. Our receive windows are never used up: the caller keeps far
 * fewer DATA bytes than the initial 65535.
 */
#ifndef PB_H2_H
#define PB_H2_H

#include <stddef.h>
#include <stdint.h>

#include "hpack.h"

#define H2_FRAME_MAX 16384
#define H2_BLOCK_MAX 16384
#define H2_OUT_MAX 4096

/* RFC 9113 7: error codes */
enum {
	H2_NO_ERROR, H2_PROTOCOL_ERROR, H2_INTERNAL_ERROR, H2_FLOW_CONTROL_ERROR,
	H2_SETTINGS_TIMEOUT, H2_STREAM_CLOSED, H2_FRAME_SIZE_ERROR, H2_REFUSED_STREAM, H2_CANCEL,
	H2_COMPRESSION_ERROR, H2_CONNECT_ERROR, H2_ENHANCE_YOUR_CALM, H2_INADEQUATE_SECURITY,
	H2_HTTP_1_1_REQUIRED,
};

/* what h2_received() says */
enum { H2_MORE = 0, H2_DONE = 1, H2_FAIL = -1 };

/* where the connection is */
enum { H2_S_PREFACE, H2_S_OPEN };

struct h2_cb {
	/* a field of the response's first header block (block 0) or of its trailers (1):
	 * NULL to go on, or why the response is refused */
	const char *(*field)(void *arg, int block, const char *name, size_t nl, const char *value,
			     size_t vl);
	/* DATA bytes of the stream (padding removed): NULL, or why they are refused */
	const char *(*data)(void *arg, const unsigned char *p, size_t n);
	void *arg;
};

struct h2 {
	struct h2_cb cb;
	int state;		/* H2_S_*: OPEN once the server's SETTINGS arrived (its preface) */
	int sent;		/* the request went out */
	int blocks;		/* header blocks of the stream received */
	int ended;		/* the stream ended (END_STREAM) */
	uint32_t window;	/* the server's SETTINGS_INITIAL_WINDOW_SIZE */
	/* RST_STREAM of our stream, GOAWAY: the reason a response broke off */
	int rst, goaway;
	uint32_t rst_code, goaway_code, goaway_last;
	char goaway_debug[80];
	char err[200];		/* after H2_FAIL */
	uint32_t in_block;	/* the stream of a header block waiting for CONTINUATION, 0: none */
	int block_end;		/* that block ends the stream */
	size_t blen, inlen, outlen;
	unsigned char block[H2_BLOCK_MAX];
	unsigned char in[9 + H2_FRAME_MAX];
	unsigned char out[H2_OUT_MAX];
	struct hpack hp;
};

/* a fresh connection; the client preface and our SETTINGS are queued in out */
void h2_init(struct h2 *h, const struct h2_cb *cb);
/* where the next bytes from the peer go, and how many fit (never 0 before H2_DONE) */
unsigned char *h2_space(struct h2 *h, size_t *n);
/* n bytes were read into h2_space(): every complete frame is handled. H2_MORE, H2_DONE (the
 * stream ended: the response is complete), or H2_FAIL with err (a connection error, RST_STREAM
 * of our stream, GOAWAY before it, or a callback's refusal). Answers are queued in out. */
int h2_received(struct h2 *h, size_t n);
/* the peer closed the connection: H2_FAIL with err (why that was early) */
int h2_eof(struct h2 *h);
/* queue the request on stream 1: one HEADERS frame (END_HEADERS) with the HPACK block, one
 * DATA frame (END_STREAM) with body. After the server's SETTINGS only; 0, or -1 with err
 * (too large for a frame, for out, or for the server's flow-control window) */
int h2_request(struct h2 *h, const unsigned char *block, size_t blen, const void *body, size_t n);
/* the 9 bytes of a frame header (4.1) with payload length n into b */
void h2_header(unsigned char *b, size_t n, unsigned type, unsigned flags, uint32_t sid);
/* "PROTOCOL_ERROR", ...; NULL for a code RFC 9113 does not name */
const char *h2_error_name(uint32_t code);

#endif
