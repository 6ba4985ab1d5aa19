#!/bin/sh
# run.sh - the whole test suite: unit tests, fuzz-corpus regressions, then the integration
# tests against real servers on loopback, once per build variant: the release binary, the
# ASan/UBSan build, the BearSSL configuration (release and ASan) and the TLS-less tiny one.
# Ends with "N passed, N failed, N skipped"; exit 1 if anything failed.
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
	# unit tests: each program prints PASS/FAIL/SKIP lines of its own; those of the BearSSL
	# build run too, for what depends on the backend
	for u in build/asan/tests/unit/* build/bearssl/asan/tests/unit/*; do
		[ -x "$u" ] || continue
		case $u in build/bearssl/*) k=bearssl-unit ;; *) k=unit ;; esac
		n=${u##*/}
		out=$("$u" 2>&1)
		rc=$?
		printf '%s\n' "$out" | sed -n "s/^\(PASS\|FAIL\|SKIP\) \(.*\)/\1\t$k\/$n: \2/p" >> "$T_RESULTS"
		printf '%s\n' "$out" | grep -E '^(FAIL|    )' | sed "s/^/$k\/$n: /"
		if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
			T_PREFIX=$k/ t_fail "$n" "exited $rc: $out"
		fi
	done
	# a runner that finds no test programs must say so, not pass quietly
	ls build/asan/tests/unit/* >/dev/null 2>&1 || T_PREFIX=unit/ t_fail "programs" "no unit test programs in build/asan/tests/unit"
	ls build/asan/tests/fuzz/* >/dev/null 2>&1 || T_PREFIX=fuzz/ t_fail "programs" "no fuzz programs in build/asan/tests/fuzz"
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

# what a variant's binary can do, for the tests that differ: T_TLS13=0 (BearSSL has TLS 1.2
# only); T_TLSCLIENT: the backend test tool of the ASan builds (tls.sh runs where it is set);
# T_IPV6=0: a build without IPv6; the tiny build (no TLS, no IPv6) runs the front-end tests,
# resolve.sh and tests/integration/tiny/
for variant in musl asan bearssl bearssl-asan tiny; do
	T_TLS13=1 T_TLSCLIENT= T_IPV6=1
	files=tests/integration/*.sh
	case $variant in
	musl) PROBEBOX=$PWD/build/probebox ;;
	asan) PROBEBOX=$PWD/build/asan/probebox T_TLSCLIENT=$PWD/build/asan/tests/tools/tlsclient ;;
	bearssl) PROBEBOX=$PWD/build/bearssl/probebox T_TLS13=0 ;;
	bearssl-asan) PROBEBOX=$PWD/build/bearssl/asan/probebox T_TLS13=0
		T_TLSCLIENT=$PWD/build/bearssl/asan/tests/tools/tlsclient ;;
	tiny) PROBEBOX=$PWD/build/tiny/probebox T_TLS13=0 T_IPV6=0
		files="tests/integration/probebox.sh tests/integration/resolve.sh tests/integration/tiny/*.sh" ;;
	esac
	export PROBEBOX T_TLS13 T_TLSCLIENT T_IPV6
	[ -x "$PROBEBOX" ] || { T_PREFIX=$variant/ t_fail "binary" "$PROBEBOX missing"; continue; }
	for t in $files; do
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
