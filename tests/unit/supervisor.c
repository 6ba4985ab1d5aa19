/* supervisor.c - unit tests: the pure pieces of the supervisor_*_check listeners: event
 * headers, namespecs, port specs (Python's re.match, one group), /proc parsing, the CPU rule */
#include <stdlib.h>

#include "../../lib/re2.h"
#include "t.h"

/* as applets/supervisor.c has them */
struct port_spec {
	const char *text;
	long port;
	struct re2 *pre, *grp, *post;
};
struct cpu_state {
	long pid;
	unsigned long long ticks;
	double at;
	int over;
	double first_over;
};
enum { CPU_OK, CPU_ABOVE_FIRST, CPU_ABOVE, CPU_DROPPED, CPU_FAIL };
int sv_split_namespec(const char *spec, char *group, char *name, size_t cap, int *all);
void sv_namespec(const char *group, const char *name, char *out, size_t cap);
int sv_parse_header(const char *line, char *event, size_t cap, long *len, char *err, size_t errlen);
int sv_tick_period(const char *event);
long sv_statm_pages(const char *text);
int sv_parse_stat(const char *text, long *ppid, unsigned long long *ticks, unsigned long long *start);
int sv_cpu_rule(struct cpu_state *st, double pct, double max, long interval, double now);
long sv_port(const struct port_spec *ps, const char *name);
int sv_port_spec(struct port_spec *ps, const char *text, char *err, size_t errlen);

static long port(const char *spec, const char *name)
{
	struct port_spec ps;
	char err[300];
	long p;

	if (sv_port_spec(&ps, spec, err, sizeof(err)) < 0)
		return -1;
	p = sv_port(&ps, name);
	if (!ps.port) {
		re2_free(ps.pre);
		re2_free(ps.grp);
		re2_free(ps.post);
	}
	return p;
}

int main(void)
{
	char g[64], n[64], ev[64], err[64];
	long len = -1, ppid;
	unsigned long long ticks, start;
	int all;
	struct cpu_state cs = { 0 };

	CHECK("namespec g:n", sv_split_namespec("web:web_1", g, n, sizeof(g), &all) == 0 &&
			      !strcmp(g, "web") && !strcmp(n, "web_1") && !all);
	CHECK("namespec n", sv_split_namespec("solo", g, n, sizeof(g), &all) == 0 &&
			    !strcmp(g, "solo") && !strcmp(n, "solo") && !all);
	CHECK("namespec g:*", sv_split_namespec("web:*", g, n, sizeof(g), &all) == 0 && all &&
			      !strcmp(g, "web"));
	CHECK("namespec g:", sv_split_namespec("web:", g, n, sizeof(g), &all) == 0 && all);
	CHECK("namespec too long", sv_split_namespec("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
						     g, n, sizeof(g), &all) < 0);
	sv_namespec("web", "web_1", n, sizeof(n));
	CHECK_STR("make_namespec", n, "web:web_1");
	sv_namespec("solo", "solo", n, sizeof(n));
	CHECK_STR("make_namespec same", n, "solo");

	CHECK("header", sv_parse_header("ver:3.0 server:supervisor serial:21 pool:listener "
					"poolserial:10 eventname:TICK_5 len:15", ev, sizeof(ev), &len,
					err, sizeof(err)) == 0 && !strcmp(ev, "TICK_5") && len == 15);
	CHECK("header: spaces", sv_parse_header("  eventname:X   len:0 ", ev, sizeof(ev), &len, err,
						sizeof(err)) == 0 && len == 0);
	CHECK("header: no len", sv_parse_header("eventname:TICK_5", ev, sizeof(ev), &len, err,
						sizeof(err)) < 0 && !strcmp(err, "no len"));
	CHECK("header: no eventname", sv_parse_header("len:3", ev, sizeof(ev), &len, err,
						      sizeof(err)) < 0 && !strcmp(err, "no eventname"));
	CHECK("header: bad len", sv_parse_header("eventname:A len:-1", ev, sizeof(ev), &len, err,
						 sizeof(err)) < 0 &&
				 sv_parse_header("eventname:A len:99999999999999", ev, sizeof(ev), &len,
						 err, sizeof(err)) < 0 &&
				 sv_parse_header("eventname:A len:", ev, sizeof(ev), &len, err,
						 sizeof(err)) < 0);
	CHECK("header: token", sv_parse_header("garbage", ev, sizeof(ev), &len, err, sizeof(err)) < 0 &&
			       !strcmp(err, "a token without ':'"));
	CHECK("header: empty", sv_parse_header("", ev, sizeof(ev), &len, err, sizeof(err)) < 0);
	CHECK("ticks", sv_tick_period("TICK_5") == 5 && sv_tick_period("TICK_60") == 60 &&
		       sv_tick_period("TICK_3600") == 3600 && sv_tick_period("TICK_6") == 0 &&
		       sv_tick_period("PROCESS_STATE_RUNNING") == 0);

	CHECK("port: number", port("8080", "anything") == 8080);
	CHECK("port: regex", port(".+_(\\d+)", "web_8081") == 8081);
	CHECK("port: anchored at the start", port("_(\\d+)", "web_8081") == 0);
	CHECK("port: not at the end", port("web_(\\d+)", "web_8082x") == 8082);
	CHECK("port: no match", port(".+_(\\d+)", "web") == 0);
	CHECK("port: not a number", port("(.+)", "web") == 0);
	CHECK("port: out of range", port(".+_(\\d+)", "web_70000") == 0);
	CHECK("port: (?:) is not the group", port("(?:w|x)eb_(\\d+)", "web_9000") == 9000);
	CHECK("port: [(] is not a group", port("[(]?web_(\\d+)", "web_9001") == 9001);
	CHECK("port: two groups", port("(.+)_(\\d+)", "web_1") == -1);
	CHECK("port: no group", port(".+_\\d+", "web_1") == -1);
	CHECK("port: 0 is not a port", port("0", "x") == -1);
	CHECK("port: the longest prefix", port(".+_(\\d+)", "a_1_2") == 2);
	CHECK("port: the longest group", port("x(\\d+)", "x1234y") == 1234);
	CHECK("port: a named group counts", port("(?P<p>\\d+)", "1") == -1);
	CHECK("port: a group in an alternation", port("a|b(\\d+)", "b1") == -1 &&
						port("(?:a|b)_(\\d+)", "b_7") == 7);
	CHECK("port: a repeated group", port("(\\d)+", "12") == -1);
	CHECK("port: | inside the group", port("p(1|2)", "p2") == 2);

	CHECK("statm", sv_statm_pages("1234 567 89 1 0 100 0\n") == 567 && sv_statm_pages("x") == -1);
	CHECK("stat", sv_parse_stat("42 (a b) c)) S 7 42 42 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 "
				    "1 0 9999 1000 10 18446744073709551615\n", &ppid, &ticks,
				    &start) == 0 && ppid == 7 && ticks == 175 && start == 9999);
	CHECK("stat: cut", sv_parse_stat("42 (x) S 1 2", &ppid, &ticks, &start) < 0);

	CHECK("cpu: below", sv_cpu_rule(&cs, 10, 50, 60, 0) == CPU_OK);
	CHECK("cpu: first above", sv_cpu_rule(&cs, 90, 50, 60, 10) == CPU_ABOVE_FIRST && cs.over);
	CHECK("cpu: above, not long", sv_cpu_rule(&cs, 90, 50, 60, 70) == CPU_ABOVE);
	CHECK("cpu: above, long enough", sv_cpu_rule(&cs, 90, 50, 60, 70.5) == CPU_FAIL && !cs.over);
	CHECK("cpu: after a failure, anew", sv_cpu_rule(&cs, 90, 50, 60, 71) == CPU_ABOVE_FIRST);
	CHECK("cpu: dropped", sv_cpu_rule(&cs, 50, 50, 60, 200) == CPU_DROPPED && !cs.over);
	CHECK("cpu: interval 0, second tick", sv_cpu_rule(&cs, 90, 50, 0, 300) == CPU_ABOVE_FIRST &&
					      sv_cpu_rule(&cs, 90, 50, 0, 305) == CPU_FAIL);
	return t_done();
}
