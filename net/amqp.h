/* amqp.h - the AMQP 0-9-1 framing of the amqp probe (net/probe_amqp.c) as pure functions over
 * buffers, for it, its unit tests and its fuzz target. Bounded readers (a slice whose reads
 * stop at its end, the error sticky) and a bounded writer; nothing is allocated.
 */
#ifndef PB_AMQP_H
#define PB_AMQP_H

#include <stddef.h>
#include <stdint.h>

/* the largest frame read or proposed (header, payload and frame-end) */
#define AMQP_FRAME_MAX (128 * 1024)
#define AMQP_FRAME_END 0xce

/* class << 16 | method */
#define AMQP_START	0x000a000aul
#define AMQP_START_OK	0x000a000bul
#define AMQP_TUNE	0x000a001eul
#define AMQP_TUNE_OK	0x000a001ful
#define AMQP_OPEN	0x000a0028ul
#define AMQP_OPEN_OK	0x000a0029ul
#define AMQP_CLOSE	0x000a0032ul
#define AMQP_CLOSE_OK	0x000a0033ul

/* bytes [p, end); a read past end makes both NULL (the error sticks: every read then
 * gives 0 or an empty slice) */
struct amqp_rd {
	const unsigned char *p, *end;
};

/* a big-endian unsigned of n bytes (1, 2 or 4) */
uint32_t amqp_u(struct amqp_rd *r, int n);
/* a string with an n-byte length (1: shortstr, 4: longstr, a table) as a slice of its own
 * ({NULL, NULL} when it does not fit) */
struct amqp_rd amqp_sub(struct amqp_rd *r, int n);

/* a frame header (7 bytes): its type, channel and payload size. 0; -1 when it is not a frame
 * type (method 1, header 2, body 3, heartbeat 8: anything else is another protocol); -2 when
 * the frame would be larger than AMQP_FRAME_MAX */
int amqp_head(const unsigned char h[7], unsigned *type, unsigned *channel, uint32_t *size);

/* a method frame's payload: its id and the arguments of the methods the probe reads */
struct amqp_msg {
	uint32_t id;
	unsigned major, minor;		/* Start: the protocol version */
	struct amqp_rd props, mechs;	/* Start: server-properties (a table), mechanisms */
	uint32_t channel_max, frame_max, heartbeat;	/* Tune */
	unsigned code;			/* Close: reply-code */
	struct amqp_rd text;		/* Close: reply-text */
};
/* 0, or -1 when the arguments do not fit in the payload */
int amqp_method(const unsigned char *p, size_t n, struct amqp_msg *m);

/* the value of name in a field table (its contents, without the table's length): its type
 * ('S' a longstr, whose bytes *v then holds, 't' a boolean, ...), 0 when it is absent or the
 * table is malformed before it */
int amqp_table_get(struct amqp_rd t, const char *name, struct amqp_rd *v);
/* whether the space-separated list (mechanisms) has word */
int amqp_has(struct amqp_rd list, const char *word);

/* a frame being written into p[0..cap); bad when it did not fit */
struct amqp_wr {
	unsigned char *p;
	size_t n, cap;
	int bad;
};
void amqp_put(struct amqp_wr *w, int n, uint32_t v);
/* a length of n bytes (0: none), then len bytes of s */
void amqp_putb(struct amqp_wr *w, int n, const void *s, size_t len);
/* a method frame on channel 0: amqp_begin() its header and id, the arguments, amqp_end() */
size_t amqp_begin(struct amqp_wr *w, uint32_t id);
void amqp_end(struct amqp_wr *w, size_t start);
/* Start-Ok: client-properties (capabilities.authentication_failure_close, so that a refused
 * login is a Close with its reason, not a closed socket), then PLAIN ("\0user\0pass") or,
 * with amqplain, AMQPLAIN (a table of LOGIN and PASSWORD without its length) */
void amqp_start_ok(struct amqp_wr *w, const char *user, const char *pass, int amqplain);
/* Tune-Ok for the server's Tune (its channel-max; its frame-max, at most AMQP_FRAME_MAX; no
 * heartbeat), then Open(vhost) */
void amqp_tune_open(struct amqp_wr *w, const struct amqp_msg *tune, const char *vhost);

#endif
