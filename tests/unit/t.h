/* t.h - a tiny unit-test vocabulary: each CHECK prints one PASS/FAIL line that tests/run.sh
 * counts; a unit test file is one program whose main() calls t_done() last. */
#ifndef PB_T_H
#define PB_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed;

#define CHECK(name, cond) do { \
	if (cond) printf("PASS %s\n", name); \
	else { printf("FAIL %s\n    %s:%d: %s\n", name, __FILE__, __LINE__, #cond); t_failed++; } \
} while (0)

#define CHECK_STR(name, got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && !strcmp(g_, w_)) printf("PASS %s\n", name); \
	else { printf("FAIL %s\n    %s:%d: got \"%s\", want \"%s\"\n", name, __FILE__, __LINE__, \
		g_ ? g_ : "(null)", w_ ? w_ : "(null)"); t_failed++; } \
} while (0)

/* what call wrote to the FILE *f_ it is given, in *out (freed first); call returns 0 */
#define T_RENDER(out, call) do { \
	size_t n_; FILE *f_; \
	free(out); out = NULL; \
	f_ = open_memstream(&out, &n_); \
	CHECK("render " #call, f_ && (call) == 0); \
	fclose(f_); \
} while (0)

static inline int t_done(void)
{
	return t_failed ? 1 : 0;
}

#ifdef PB_PROBE_H
/* a spec of type t from "field=value" pairs (YAML names), NULL-terminated; NULL when a value
 * is refused */
static inline void *t_spec(const struct probe_type *t, const char *const *kv)
{
	void *s = probe_spec_new(t);
	char err[300], name[64];

	for (; *kv; kv++) {
		size_t n = strcspn(*kv, "=");
		const struct probe_field *f;

		snprintf(name, sizeof(name), "%.*s", (int)n, *kv);
		f = probe_field(t, name, 0);
		if (!f || !(*kv)[n] ||
		    probe_set(s, f, *kv + n + 1, strlen(*kv + n + 1), err, sizeof(err)) < 0)
			return NULL;
	}
	return s;
}

/* probe_ready()'s error for such a spec, "" when the spec is ready */
static inline const char *t_ready(const struct probe_type *t, const char *const *kv)
{
	static char err[1100];
	void *s = t_spec(t, kv);

	err[0] = 0;
	if (!s)
		return "(refused by probe_set)";
	probe_ready(t, s, err, sizeof(err));
	return err;
}
#endif

#endif
