#!/bin/sh
# run.sh - run every libFuzzer target of build/fuzz/ (make fuzz) for SECONDS each, one at a
# time, from its corpus tests/fuzz/corpus/NAME (read only: new inputs go to a scratch
# directory, build/fuzz/found/NAME). Prints per target the executions, coverage (libFuzzer's
# cov: and ft:) and what broke (a crash, a leak, a timeout, going over the memory limit);
# writes the table to build/fuzz/summary.md; exit 1 if any target broke. The input that broke
# one is in build/fuzz/crashes/: once the parser is fixed it goes into the target's corpus,
# which the suite replays under ASan/UBSan (tests/run.sh).
#
#   tests/fuzz/run.sh SECONDS [NAME...]     (make fuzz FUZZ_SECONDS=SECONDS)
#   FUZZ_FLAGS="-jobs=..."                  more libFuzzer flags
set -u
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [NAME...]}
shift
F=build/fuzz
mkdir -p "$F/found" "$F/crashes" "$F/logs"
if [ $# -eq 0 ]; then
	set --
	for b in "$F"/*; do
		[ -f "$b" ] && [ -x "$b" ] && set -- "$@" "${b##*/}"
	done
fi
[ $# -gt 0 ] || { echo "no fuzz targets in $F (make fuzz)" >&2; exit 1; }

sum=$F/summary.md
{
	echo "| target | seconds | executions | exec/s | cov | ft | corpus | result |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
} > "$sum"
bad=0
for n in "$@"; do
	b=$F/$n
	log=$F/logs/$n.log
	[ -x "$b" ] || { echo "$n: no $b" >&2; bad=1; continue; }
	mkdir -p "$F/found/$n"
	rm -f "$F/crashes/$n-"*
	# -timeout: one input may take 10 s at most; -rss_limit_mb: the process, ASan included
	nice -n 10 "$b" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$F/crashes/$n-" \
		${FUZZ_FLAGS:-} "$F/found/$n" "tests/fuzz/corpus/$n" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	art=$(ls "$F/crashes/$n-"* 2>/dev/null | head -1)
	if [ "$rc" -eq 0 ] && [ -z "$art" ]; then
		res=ok
	else
		res="FAILED (exit $rc${art:+, $art})"
		bad=1
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -3 | sed "s/^/  $n: /"
	fi
	printf '%-14s %8s execs  cov %-6s ft %-6s %s\n' "$n" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$res"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$secs" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$res" >> "$sum"
done
echo "summary: $sum"
exit $bad
