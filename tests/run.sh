#!/bin/sh
# run.sh - the whole test suite: unit tests, fuzz-corpus regressions, then the integration
# tests against real servers on loopback, once per build variant: the release binary, the
# ASan/UBSan build, the BearSSL configuration (release and ASan) and the TLS-less tiny one.
# Ends with "N passed, N failed, N skipped"; exit 1 if anything failed.
#
#   tests/run.sh [PATTERN]   only integration files whose name contains PATTERN
#   T_VERBOSE=1              print every verdict
#   T_VARIANTS="musl asan"   only these builds (default: all seven)
#   VALGRIND=1               instead: the unit tests and the integration files of VG_FILES
#                            (default below) once, on build/valgrind (make VARIANT=valgrind
#                            test-programs) under valgrind memcheck (tests/valgrind.sh); a
#                            deadline may be overrun by 10 s there, not 1.5 s (valgrind is
#                            slow: the deadlines are held in the other runs)
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

# servers shared by all integration tests (their ports go to $T_DIR/env); started first so
# the slow ones (postgres, rabbitmq, in the background) boot while the unit tests run
. tests/servers.sh
servers_start
. "$T_DIR/env"

VARIANTS=${T_VARIANTS:-"musl asan bearssl bearssl-asan tiny openwrt container"}
# the integration files VALGRIND=1 runs, bounded for CI: TLS in smtp, HTTP/2 in grpc
# (docs/reliability.md). secrets.sh is left out until its two findings are fixed: chksrv
# --log-file leaves the log fd open at exit, supervisor_http_check -H / _complex_ leak.
VG_DEFAULT="probebox output report memcache redis smtp grpc"

# valgrind's reports ($VG_LOGS/PID.log): a FAIL for each process with an error (invalid
# access, uninitialised use, a definite leak) or a descriptor it opened and left open
vg_verdicts() {
	_n=0 _bad=0
	for _l in "$VG_LOGS"/*.log; do
		[ -f "$_l" ] || continue
		_n=$((_n + 1))
		_cmd=$(sed -n 's/^==[0-9]*== Command: //p' "$_l" | head -1 | cut -c1-160)
		_fds=$(awk '/Open file descriptor [0-9]+:/ { sub(":", "", $5); fd = $5; next }
			fd != "" { if ($0 !~ /inherited from parent/ && fd > 2) print fd; fd = "" }' "$_l" |
			tr '\n' ' ')
		if grep -q 'ERROR SUMMARY: [1-9]' "$_l" || [ -n "$_fds" ]; then
			_bad=$((_bad + 1))
			T_PREFIX=valgrind/ t_fail "${_l##*/}: $_cmd" "$(grep -E 'ERROR SUMMARY|Invalid|uninitialised|definitely lost|Open file descriptor' "$_l" | head -8)${_fds:+
left open: $_fds}"
		fi
	done
	[ "$_bad" -eq 0 ] && T_PREFIX=valgrind/ t_ok "$_n processes: no errors, no definite leaks, no descriptors left open"
	[ "$_n" -gt 0 ] || T_PREFIX=valgrind/ t_fail "reports" "no valgrind reports in $VG_LOGS"
}
UNITS="build/asan/tests/unit/* build/bearssl/asan/tests/unit/*"
UNIT_RUN=
if [ -n "${VALGRIND:-}" ]; then
	VARIANTS=valgrind UNITS="build/valgrind/tests/unit/*"
	VG_LOGS=$T_DIR/valgrind VG_BIN=$PWD/build/valgrind/probebox
	mkdir -p "$VG_LOGS/bin"
	ln -s "$PWD/tests/valgrind.sh" "$VG_LOGS/bin/probebox"
	ln -s "$PWD/build/valgrind/tests" "$VG_LOGS/bin/tests"
	export VG_LOGS VG_BIN
	UNIT_RUN="valgrind --leak-check=full --errors-for-leak-kinds=definite --track-fds=yes
		--error-exitcode=97 --child-silent-after-fork=yes --suppressions=$PWD/tests/valgrind.supp --log-file=$VG_LOGS/%p.log"
	T_MARGIN_MS=10000 T_LIMIT=60
	export T_LIMIT T_MARGIN_MS
fi

if [ -z "$ONLY" ]; then
	# unit tests: each program prints PASS/FAIL/SKIP lines of its own; those of the BearSSL
	# build run too, for what depends on the backend
	for u in $UNITS; do
		[ -x "$u" ] || continue
		case $u in build/bearssl/*) k=bearssl-unit ;; *) k=unit ;; esac
		n=${u##*/}
		out=$($UNIT_RUN "$u" 2>&1)
		rc=$?
		printf '%s\n' "$out" | sed -n "s/^\(PASS\|FAIL\|SKIP\) \(.*\)/\1\t$k\/$n: \2/p" >> "$T_RESULTS"
		printf '%s\n' "$out" | grep -E '^(FAIL|    )' | sed "s/^/$k\/$n: /"
		if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL'; then
			T_PREFIX=$k/ t_fail "$n" "exited $rc: $out"
		fi
	done
	# a runner that finds no test programs must say so, not pass quietly
	ls ${UNITS%% *} >/dev/null 2>&1 || T_PREFIX=unit/ t_fail "programs" "no unit test programs in ${UNITS%%/\**}"
	[ -n "${VALGRIND:-}" ] || ls build/asan/tests/fuzz/* >/dev/null 2>&1 ||
		T_PREFIX=fuzz/ t_fail "programs" "no fuzz programs in build/asan/tests/fuzz"
	# fuzz targets over their corpora (ASan/UBSan build, no fuzzing engine needed)
	for f in build/asan/tests/fuzz/*; do
		[ -z "${VALGRIND:-}" ] || break
		[ -x "$f" ] || continue
		n=${f##*/}
		T_PREFIX=fuzz/ t_run "$n corpus" 0 "" "$f" "tests/fuzz/corpus/$n"
	done
fi


# what a variant's binary can do, for the tests that differ: T_TLS13=0 (BearSSL has TLS 1.2
# only); T_TLSCLIENT: the backend test tool of the ASan builds (tls.sh runs where it is set);
# T_IPV6=0: a build without IPv6; the tiny build (no TLS, no IPv6) runs the front-end tests,
# resolve.sh, packaging.sh and tests/integration/tiny/. The other defconfigs CI builds
# (openwrt, container when configs/ has it) run front-end files, which skip what a build
# lacks and say so; what they can do is read from the build itself (--version, its .config).
# To keep the time small (about a minute each): container (the image's health check) runs
# check_tcp and check_http in full; openwrt's are the bearssl variant's code, tested there,
# and its own applet set is what conn_check, dns and packaging meet.
FRONT="tests/integration/probebox.sh tests/integration/conn_check.sh tests/integration/dns.sh
	tests/integration/packaging.sh"
for variant in $VARIANTS; do
	T_TLS13=1 T_TLSCLIENT= T_IPV6=1
	files=tests/integration/*.sh
	case $variant in
	musl) PROBEBOX=$PWD/build/probebox ;;
	asan) PROBEBOX=$PWD/build/asan/probebox T_TLSCLIENT=$PWD/build/asan/tests/tools/tlsclient ;;
	bearssl) PROBEBOX=$PWD/build/bearssl/probebox T_TLS13=0 ;;
	bearssl-asan) PROBEBOX=$PWD/build/bearssl/asan/probebox T_TLS13=0
		T_TLSCLIENT=$PWD/build/bearssl/asan/tests/tools/tlsclient ;;
	tiny) PROBEBOX=$PWD/build/tiny/probebox T_TLS13=0 T_IPV6=0
		files="tests/integration/probebox.sh tests/integration/resolve.sh tests/integration/packaging.sh
			tests/integration/tiny/*.sh" ;;
	openwrt | container)
		[ -f "configs/${variant}_defconfig" ] ||
			{ T_PREFIX=$variant/ t_skip "defconfig" "no configs/${variant}_defconfig"; continue; }
		PROBEBOX=$PWD/build/$variant/probebox files=$FRONT
		[ "$variant" = container ] &&
			files="$files tests/integration/check_tcp.sh tests/integration/check_http.sh"
		case $("$PROBEBOX" --version 2>/dev/null) in *"TLS: mbedTLS"*) ;; *) T_TLS13=0 ;; esac
		grep -qx CONFIG_FEATURE_IPV6=y "build/$variant/.config" 2>/dev/null || T_IPV6=0 ;;
	valgrind) PROBEBOX=$VG_LOGS/bin/probebox T_TLSCLIENT=$PWD/build/valgrind/tests/tools/tlsclient
		files=$(for f in ${VG_FILES:-$VG_DEFAULT}; do echo tests/integration/$f.sh; done) ;;
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
[ -z "${VALGRIND:-}" ] || vg_verdicts

pass=$(grep -c '^PASS' "$T_RESULTS")
fail=$(grep -c '^FAIL' "$T_RESULTS")
skip=$(grep -c '^SKIP' "$T_RESULTS")
if [ "$skip" -gt 0 ]; then
	echo "skipped:"
	grep '^SKIP' "$T_RESULTS" | cut -f2 | sed 's/^/  /'
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
