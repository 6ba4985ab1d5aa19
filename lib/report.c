/* report.c - one run's checks as a JSON document (RFC 8259) or Prometheus text exposition
 * (format 0.0.4, node_exporter's textfile collector); see report.h. Escaping, number and time
 * formats are the record's own (record.c), so every output writes them one way.
 */
//kbuild:obj-$(CONFIG_REPORT) += report.o
//config:config REPORT
//config:	bool
//config:	default y
//config:	select RECORD
//config:	help
//config:	  Every applet's --format json and --format prometheus: on in every build (an
//config:	  applet also selects it, where it says what it calls).
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const char *report_status_word(int status)
{
	static const char *const words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

	return status >= 0 && status < 4 ? words[status] : words[3];
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static void json_str(struct record_sink *s, const char *str)
{
	str = str_or_empty(str);
	record_put_json_str(s, str, strlen(str));
}

static void json_field(struct record_sink *s, const char *key, const char *str)
{
	record_puts(s, ", \"");
	record_puts(s, key);
	record_puts(s, "\": ");
	json_str(s, str);
}

static int sink_done(struct record_sink *s, FILE *f)
{
	return s->err || ferror(f) ? -1 : 0;
}

int report_json(FILE *f, const char *applet, const char *verdict, int exit_code,
		const struct report_check *c, size_t n)
{
	struct record_sink s;
	char buf[RECORD_FMT_MAX];
	int rc = 0;

	record_sink_file(&s, f);
	record_puts(&s, "{\"applet\": ");
	json_str(&s, applet);
	json_field(&s, "verdict", verdict);
	snprintf(buf, sizeof(buf), ", \"exit_code\": %d, \"checks\": [", exit_code);
	record_puts(&s, buf);
	for (size_t i = 0; i < n; i++) {
		record_puts(&s, i ? ", {\"name\": " : "{\"name\": ");
		json_str(&s, c[i].name);
		json_field(&s, "type", c[i].type);
		json_field(&s, "target", c[i].target);
		json_field(&s, "verdict", c[i].verdict);
		if (c[i].reason)
			json_field(&s, "reason", c[i].reason);
		else
			record_puts(&s, ", \"reason\": null");
		record_puts(&s, c[i].success ? ", \"success\": true" : ", \"success\": false");
		record_puts(&s, ", \"duration_seconds\": ");
		if (isfinite(c[i].duration))
			record_put(&s, buf, record_fmt_float(c[i].duration, buf));
		else
			record_puts(&s, "null");
		record_puts(&s, ", \"record\": ");
		if (c[i].rec) {
			if (record_write_json(c[i].rec, f) < 0)
				rc = -1;
		} else {
			record_puts(&s, "{}");
		}
		record_puts(&s, "}");
	}
	record_puts(&s, "]}\n");
	return sink_done(&s, f) < 0 ? -1 : rc;
}

/* --- Prometheus -------------------------------------------------------------------------- */

/* a family taken from the record: the key it stands for, its metric name */
struct family {
	const char *key;
	char name[RECORD_PROM_NAME_MAX];
};

struct prom {
	FILE *f;
	const struct report_check *c;
	size_t n;
	const unsigned char *keep;	/* per check: it has samples */
	struct family *fam;
	size_t nfam, capfam;
	int err;
};

static int same_labels(const struct report_check *a, const struct report_check *b)
{
	return !strcmp(str_or_empty(a->name), str_or_empty(b->name)) &&
	       !strcmp(str_or_empty(a->type), str_or_empty(b->type)) &&
	       !strcmp(str_or_empty(a->target), str_or_empty(b->target));
}

static void sample(struct prom *p, const char *name, const char *help, size_t check,
		   const char *value)
{
	const struct report_check *c = &p->c[check];
	const char *labels[] = { "name", str_or_empty(c->name), "type", str_or_empty(c->type),
				 "target", str_or_empty(c->target), NULL };

	if (record_write_prom_sample(p->f, name, help, labels, value) < 0)
		p->err = 1;
}

static const struct record_item *cert_expiry(const struct report_check *c)
{
	const struct record_item *it = c->rec ? record_get(c->rec, REPORT_CERT_EXPIRY_KEY) : NULL;

	return it && (it->type == RECORD_TIME || it->type == RECORD_INT) ? it : NULL;
}

static int reserved(const char *name)
{
	return !strcmp(name, REPORT_PROM_SUCCESS) || !strcmp(name, REPORT_PROM_DURATION) ||
	       !strcmp(name, REPORT_PROM_CERT_EXPIRY);
}

/* the families of the records' numeric keys, in the order the keys first appear */
static int collect(struct prom *p)
{
	char name[RECORD_PROM_NAME_MAX], val[RECORD_FMT_MAX];

	for (size_t i = 0; i < p->n; i++) {
		const struct record *r = p->c[i].rec;
		if (!p->keep[i] || !r)
			continue;
		for (size_t k = 0; k < record_count(r); k++) {
			const struct record_item *it = record_at(r, k);
			size_t j;
			if (!strcmp(it->key, REPORT_CERT_EXPIRY_KEY) || !record_prom_value(it, val))
				continue;
			for (j = 0; j < p->nfam && strcmp(p->fam[j].key, it->key); j++)
				;
			if (j < p->nfam)
				continue;
			record_prom_name("probe_", it->key, 1, name);
			if (reserved(name))
				continue;
			for (j = 0; j < p->nfam && strcmp(p->fam[j].name, name); j++)
				;
			if (j < p->nfam)
				continue;	/* another key has this name */
			if (p->nfam == p->capfam) {
				size_t cap = p->capfam ? 2 * p->capfam : 32;
				struct family *nf = realloc(p->fam, cap * sizeof(*nf));
				if (!nf) {
					errno = ENOMEM;
					return -1;
				}
				p->fam = nf;
				p->capfam = cap;
			}
			p->fam[p->nfam].key = it->key;
			memcpy(p->fam[p->nfam].name, name, sizeof(name));
			p->nfam++;
		}
	}
	return 0;
}

int report_prom(FILE *f, const struct report_check *c, size_t n)
{
	struct prom p = { .f = f, .c = c, .n = n };
	unsigned char *keep = calloc(n ? n : 1, 1);
	char val[RECORD_FMT_MAX], help[RECORD_MAX_KEY + 32];
	const char *h;
	int rc = 0;

	if (!keep) {
		errno = ENOMEM;
		return -1;
	}
	p.keep = keep;
	for (size_t i = 0; i < n; i++) {
		keep[i] = !c[i].verdict || strcmp(c[i].verdict, "SKIPPED");
		for (size_t j = 0; j < i && keep[i]; j++)
			keep[i] = !keep[j] || !same_labels(&c[i], &c[j]);
	}
	h = "1 if the check passed, else 0";
	for (size_t i = 0; i < n; i++)
		if (keep[i]) {
			sample(&p, REPORT_PROM_SUCCESS, h, i, c[i].success ? "1" : "0");
			h = NULL;
		}
	h = "Seconds the check took";
	for (size_t i = 0; i < n; i++)
		if (keep[i]) {
			record_fmt_prom_float(c[i].duration, val);
			sample(&p, REPORT_PROM_DURATION, h, i, val);
			h = NULL;
		}
	h = "Unix time the peer certificate expires (" REPORT_CERT_EXPIRY_KEY ")";
	for (size_t i = 0; i < n; i++) {
		const struct record_item *it = keep[i] ? cert_expiry(&c[i]) : NULL;
		if (it && record_prom_value(it, val)) {
			sample(&p, REPORT_PROM_CERT_EXPIRY, h, i, val);
			h = NULL;
		}
	}
	if (collect(&p) < 0)
		rc = -1;
	for (size_t j = 0; j < p.nfam && !rc; j++) {
		snprintf(help, sizeof(help), "Record key %s", p.fam[j].key);
		h = help;
		for (size_t i = 0; i < n; i++) {
			const struct record_item *it;
			if (!keep[i] || !c[i].rec || !(it = record_get(c[i].rec, p.fam[j].key)) ||
			    !record_prom_value(it, val))
				continue;
			sample(&p, p.fam[j].name, h, i, val);
			h = NULL;
		}
	}
	free(p.fam);
	free(keep);
	return rc || p.err || ferror(f) ? -1 : 0;
}
