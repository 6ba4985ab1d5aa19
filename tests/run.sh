#!/bin/sh
# run.sh - the whole test suite: unit tests, fuzz-corpus regressions, then the integration
# tests against real servers on loopback, once with the release binary and once with the
# ASan/UBSan build. Ends with "N passed, N failed, N skipped"; exit 1 if anything failed.
#
#   tests/run.sh [PATTERN]   only integration files whose name contains PATTERN
#   T_VERBOSE=1              print every verdict
set -u
cd "$(dirname "$0")/.."
T_DIR=$(mktemp -d /tmp/probebox-test.XXXXXX)
T_RESULTS=$T_DIR/results
export T_DIR T_RESULTS
: > "$T_RESULTS"
: > "$T_DIR/env"
. tests/lib.sh
trap 't_stop_all; rm -rf "$T_DIR"' EXIT
trap 'exit 130' INT TERM
ONLY=${1:-}

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

if [ -z "$ONLY" ]; then
	# unit tests: each program prints PASS/FAIL/SKIP lines of its own
	for u in build/asan/tests/unit/*; do
		[ -x "$u" ] || continue
		n=${u##*/}
		out=$("$u" 2>&1)
		rc=$?
		printf '%s\n' "$out" | sed -n "s/^\(PASS\|FAIL\|SKIP\) \(.*\)/\1\tunit\/$n: \2/p" >> "$T_RESULTS"
		printf '%s\n' "$out" | grep -E '^(FAIL|    )' | sed "s/^/unit\/$n: /"
		if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
			T_PREFIX=unit/ t_fail "$n" "exited $rc: $out"
		fi
	done
	# fuzz targets over their corpora (ASan/UBSan build, no fuzzing engine needed)
	for f in build/asan/tests/fuzz/*; do
		[ -x "$f" ] || continue
		n=${f##*/}
		T_PREFIX=fuzz/ t_run "$n corpus" 0 "" "$f" "tests/fuzz/corpus/$n"
	done
fi

# servers shared by all integration tests (their ports go to $T_DIR/env)
. tests/servers.sh
servers_start
. "$T_DIR/env"

for variant in musl asan; do
	if [ $variant = musl ]; then PROBEBOX=$PWD/build/probebox; else PROBEBOX=$PWD/build/asan/probebox; fi
	export PROBEBOX
	[ -x "$PROBEBOX" ] || { T_PREFIX=$variant/ t_fail "binary" "$PROBEBOX missing"; continue; }
	for t in tests/integration/*.sh; do
		case $t in *"$ONLY"*) ;; *) continue ;; esac
		n=${t##*/}
		T_PREFIX="$variant/${n%.sh}: "
		export T_PREFIX
		( . "$t" )
	done
done
t_stop_all

pass=$(grep -c '^PASS' "$T_RESULTS")
fail=$(grep -c '^FAIL' "$T_RESULTS")
skip=$(grep -c '^SKIP' "$T_RESULTS")
if [ "$skip" -gt 0 ]; then
	echo "skipped:"
	grep '^SKIP' "$T_RESULTS" | cut -f2 | sed 's/^/  /'
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
