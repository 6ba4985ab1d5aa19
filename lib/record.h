/* record.h - the result record: a flat, ordered, bounded list of typed keys that every probe
 * fills, and its text, JSON (RFC 8259) and Prometheus text-exposition (0.0.4) renderings.
 *
 * Keys are chksrv's dotted names ("tcp.success", "http.resp.status", "ssl.con.cert.notAfter").
 * Setting a key that exists replaces its value in place, so the order is that of first
 * insertion. Every string is copied. Every limit (items, key length, string length, list
 * length, total bytes) is a clean failure: -1 with errno E2BIG, never a cut value.
 */
#ifndef PB_RECORD_H
#define PB_RECORD_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

enum record_type {
	RECORD_NONE,		/* Python's None: the key exists, the value does not (no ALPN) */
	RECORD_BOOL,
	RECORD_INT,		/* int64 */
	RECORD_FLOAT,		/* double; durations are seconds */
	RECORD_STR,		/* bytes with a length; may hold NULs and invalid UTF-8 */
	RECORD_LIST,		/* list of NUL-terminated strings (repeated headers) */
	RECORD_TIME,		/* UTC, seconds since the epoch (certificate dates) */
};

/* item flag: the value is never rendered (text, JSON, expression reports show "***") */
#define RECORD_SECRET 1u

struct record_item {
	char *key;			/* NUL-terminated, in the record's key blocks */
	size_t klen;
	enum record_type type;
	unsigned flags;
	union {
		int b;
		int64_t i;
		double f;
		int64_t t;
		struct {
			char *p;	/* NUL-terminated copy, len bytes before the NUL */
			size_t len;
		} s;
		struct {
			char **v;
			size_t n;
		} list;
	} v;
};

/* defaults; a caller may change the limits in struct record after record_init() */
#define RECORD_MAX_ITEMS 512
#define RECORD_MAX_KEY 200		/* bytes of a key */
#define RECORD_MAX_STR (1u << 20)	/* bytes of one string value (an HTTP body) */
#define RECORD_MAX_LIST 256		/* elements of one list */
#define RECORD_MAX_BYTES (4u << 20)	/* all keys and values together */

struct record {
	struct record_item *items;
	size_t n, cap;
	size_t bytes;			/* what keys and values hold now */
	size_t max_items, max_str, max_list, max_bytes;
	char *kblk;			/* newest key block: a link to the older one, then keys */
	char *knext;			/* its first free byte */
	size_t kleft;			/* and how many are free */
};

void record_init(struct record *r);
/* frees every item; the record stays usable (for the next try of a probe) */
void record_clear(struct record *r);
void record_free(struct record *r);

/* 0 on success; -1 with errno EINVAL (key empty, too long, or not printable ASCII),
 * E2BIG (a limit), ENOMEM. On failure the record is unchanged. */
int record_set_none(struct record *r, const char *key);
int record_set_bool(struct record *r, const char *key, int v);
int record_set_int(struct record *r, const char *key, int64_t v);
int record_set_float(struct record *r, const char *key, double v);
int record_set_time(struct record *r, const char *key, int64_t t);
int record_set_str(struct record *r, const char *key, const char *s);
int record_set_strn(struct record *r, const char *key, const char *s, size_t len);
int record_set_list(struct record *r, const char *key, const char *const *v, size_t n);
/* chksrv's rule for repeated headers: absent -> string, string -> list of two, list -> one
 * more element */
int record_append_str(struct record *r, const char *key, const char *s);
/* sets RECORD_SECRET on an existing key (the flag survives later sets); -1/ENOENT if absent */
int record_mark_secret(struct record *r, const char *key);

const struct record_item *record_get(const struct record *r, const char *key);
const struct record_item *record_getn(const struct record *r, const char *key, size_t keylen);
/* whether some key starts with prefix (which should end in '.') */
int record_has_prefix(const struct record *r, const char *prefix, size_t plen);
/* iteration in insertion order: for (i = 0; i < record_count(r); i++) record_at(r, i) */
size_t record_count(const struct record *r);
const struct record_item *record_at(const struct record *r, size_t i);

/* the key-name rule: the last dotted part is password, passwd, secret, token, api_key,
 * apikey, authorization or ends in _password, _secret, _token (case-insensitive) */
int record_key_is_secret(const char *key);
/* flag or name rule */
int record_item_is_secret(const struct record_item *it);

/* --- output -------------------------------------------------------------------------- */

/* where text goes: a FILE, or a fixed buffer that says whether it was cut (for one-line
 * reports; the record itself is never cut) */
struct record_sink {
	FILE *f;
	char *buf;
	size_t len, cap;
	int cut;
	int err;
};
void record_sink_file(struct record_sink *s, FILE *f);
void record_sink_buf(struct record_sink *s, char *buf, size_t cap);
void record_put(struct record_sink *s, const char *p, size_t n);
void record_puts(struct record_sink *s, const char *str);
/* quote 0: bare, escaped so it stays on one line; '\'': Python repr (picks " when the text
 * holds ' and no "). Valid UTF-8 is kept, invalid bytes and controls become \xHH / \n ... */
void record_put_escaped(struct record_sink *s, const char *p, size_t n, int quote);
/* a Prometheus label value, without the quotes: \\ \" \n escaped, invalid UTF-8 as U+FFFD */
void record_put_prom_label(struct record_sink *s, const char *v);
/* a JSON string: "..." with \" \\ \n \u00XX, invalid UTF-8 as \uFFFD */
void record_put_json_str(struct record_sink *s, const char *p, size_t n);

#define RECORD_FMT_MAX 48
/* Python repr of a float: shortest round-trip digits, "1.0", "1e+16", "inf", "nan" */
size_t record_fmt_float(double v, char buf[RECORD_FMT_MAX]);
/* "2026-01-31T12:00:00Z" (the integer when out of the calendar's range) */
size_t record_fmt_time(int64_t t, char buf[RECORD_FMT_MAX]);
/* length of the valid UTF-8 sequence at p (1..4), 0 if invalid or cut at n */
size_t record_utf8_len(const unsigned char *p, size_t n);

/* "key: value" lines in insertion order; strings bare (escaped), lists and None as Python
 * prints them, bools True/False, times ISO 8601. 0, or -1 on a write error. */
int record_write_text(const struct record *r, FILE *f);
/* one JSON object {"key": value, ...} (no newline); NaN/inf floats are null, times are ISO
 * strings, secrets "***" */
int record_write_json(const struct record *r, FILE *f);
/* Prometheus text exposition for one check: probebox_up{labels} up,
 * probebox_duration_seconds{labels} duration, then every bool, int, float and time item as a
 * gauge "probebox_" + key with [^A-Za-z0-9_] as '_' (bools 1/0, times Unix seconds); strings,
 * lists, None and secrets are left out, as is a key whose name collides with an earlier one.
 * labels: NULL or name, value, name, value, ..., NULL. */
int record_write_prom(const struct record *r, FILE *f, const char *const *labels, int up,
		      double duration);
/* one more gauge sample in the same exposition, name{labels} value: the first sample of a
 * metric gives help (its # HELP and # TYPE lines; \\ and newlines escaped), the ones after
 * it NULL */
int record_write_prom_sample(FILE *f, const char *name, const char *help,
			     const char *const *labels, const char *value);

/* the pieces both Prometheus writers share */
#define RECORD_PROM_NAME_MAX (2 * RECORD_MAX_KEY + 32)
/* a metric name: prefix (at most 31 bytes, a valid name start) + key with every byte outside
 * [A-Za-z0-9_] as '_'; snake also writes camelCase as snake_case (notAfter -> not_after), as
 * promtool's lint wants. Never cut. Returns the length. */
size_t record_prom_name(const char *prefix, const char *key, int snake,
			char out[RECORD_PROM_NAME_MAX]);
/* a sample value: "NaN", "+Inf", "-Inf" or record_fmt_float's digits */
size_t record_fmt_prom_float(double v, char buf[RECORD_FMT_MAX]);
/* the sample value of a bool (1/0), int, float or time (Unix seconds) item that is not
 * secret; 0 (nothing written) for a string, list, None or secret */
size_t record_prom_value(const struct record_item *it, char buf[RECORD_FMT_MAX]);

#endif
