/* report.h - the output every applet shares for --format json and --format prometheus: one
 * run's checks as one JSON document (RFC 8259, UTF-8 per RFC 3629) or as Prometheus text
 * exposition (format 0.0.4, as node_exporter's textfile collector and promtool read it).
 * The applet's own text format stays the applet's; docs/output.md shows what each prints.
 */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "record.h"

/* one check's outcome, as every applet reports it; strings are UTF-8 or not (invalid
 * sequences come out as U+FFFD), NULL reads as "" except where said */
struct report_check {
	const char *name;	/* the check's name: "check-tcp", a conn-check step name, ... */
	const char *type;	/* probe type: "tcp", "tls", "udp", "http", "redis", ... */
	const char *target;	/* "host:port", a unix path, or a URL (already without userinfo) */
	const char *verdict;	/* the applet's own word: OK WARNING CRITICAL UNKNOWN, or OK
				 * FAILED SKIPPED */
	const char *reason;	/* human reason, NULL: none (JSON null) */
	int success;		/* 1 when the check passed (probe_success) */
	double duration;	/* seconds; NaN: not measured */
	const struct record *rec;	/* every key of the probe's record, may be NULL */
};

/* the Nagios word of a native exit status: OK WARNING CRITICAL UNKNOWN (UNKNOWN for any
 * other number) */
const char *report_status_word(int status);

/* one JSON document for the run, on one line, then a newline:
 *   {"applet": "check-tcp", "verdict": "OK", "exit_code": 0, "checks": [CHECK, ...]}
 * where exit_code is what the process exits with (after --exit-codes: cli_exit()) and each
 * CHECK is
 *   {"name": ..., "type": ..., "target": ..., "verdict": ..., "reason": "..." | null,
 *    "success": true | false, "duration_seconds": 0.0123 | null, "record": {...}}
 * "record" is record_write_json()'s object ({} without a record): every key in order, bools
 * and numbers as JSON's, times as "2026-01-31T12:00:00Z", lists as arrays, None as null,
 * secrets as "***", NaN and infinities as null. 0, or -1 on a write error. */
int report_json(FILE *f, const char *applet, const char *verdict, int exit_code,
		const struct report_check *c, size_t n);

/* the Prometheus families every check gets (gauges, labelled name, type, target) */
#define REPORT_PROM_SUCCESS "probe_success"
#define REPORT_PROM_DURATION "probe_duration_seconds"
#define REPORT_PROM_CERT_EXPIRY "probe_tls_cert_expiry_timestamp_seconds"
/* the record key the certificate expiry comes from (a time or an int: Unix seconds) */
#define REPORT_CERT_EXPIRY_KEY "ssl.con.cert.notAfter"

/* Prometheus text exposition for the run, family by family, each with its # HELP and
 * # TYPE once and all of its samples together (the format keeps a family's lines together;
 * HELP or TYPE given twice, as a writer per check gives them, is refused by the textfile
 * collector and promtool):
 *   probe_success, probe_duration_seconds (NaN when not measured), then
 *   probe_tls_cert_expiry_timestamp_seconds for the checks whose record has
 *   ssl.con.cert.notAfter, then
 *   one family per numeric record key (bool 1/0, int, float, time as Unix seconds), named
 *   "probe_" + the key in snake_case with every byte outside [A-Za-z0-9_] as '_'
 *   (record_prom_name: ssl.con.cert.notBefore -> probe_ssl_con_cert_not_before), in the
 *   order the keys first appear; strings, lists, None and secrets are left out, and so is
 *   a key whose name is taken (by the families above, or by an earlier key: "a.b" and
 *   "a_b" are both probe_a_b, the first one seen wins in every check).
 * Every sample is labelled {name="...",type="...",target="..."}, values escaped (\\ \" \n).
 * Two checks with the same three labels would be the same series: the later one is left
 * out. A SKIPPED check (it did not run) has no samples. 0, or -1 on a write error or
 * ENOMEM. */
int report_prom(FILE *f, const struct report_check *c, size_t n);

#endif
