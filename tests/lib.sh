# lib.sh - helpers for the integration tests (sourced by tests/run.sh and every test file)
#
#   t_run NAME RC REGEX CMD...   run CMD (bounded by T_LIMIT seconds, default 20); pass when
#                                its exit status is RC and its stdout+stderr match the
#                                extended REGEX ("" matches anything)
#   t_out NAME RC TEXT CMD...    the same, but the output must be exactly TEXT
#   t_lacks NAME TEXT CMD...     pass when the output of CMD does not contain TEXT
#   t_by SEC t_run|t_out ...     the same test, and CMD must have ended by SEC + 1.5 s: a
#                                deadline is correctness, measured here, not read from the
#                                message (T_SECS holds the last command's elapsed time)
#   t_ended_by NAME SEC          after t_exec: pass when it ended by SEC + 1.5 s
#   t_rss MB t_run|t_out|t_by ...  the same test, and CMD's peak RSS (GNU time's %M, the
#                                kernel's ru_maxrss) must have stayed under MB megabytes (T_KB
#                                holds the last peak, in kB; MB empty: measured, not judged)
#   t_hides NAME RC REGEX SECRET CMD...  t_run, and no 4 bytes in a row of SECRET are in
#                                the output (a password must not show, not even a piece)
#   RC "any"                     (t_run, t_hides) any verdict, 0 to 3, but not a crash
#   t_skip NAME WHY              record a skipped test
#   t_ok NAME / t_fail NAME WHY  record a verdict computed by the caller
# Results go to $T_RESULTS, one "PASS|FAIL|SKIP<TAB>name" line each; failures print details.

T_LIMIT=${T_LIMIT:-20}

t_rec() {	# VERDICT NAME [DETAIL]
	printf '%s\t%s%s\n' "$1" "${T_PREFIX:-}" "$2" >> "$T_RESULTS"
	case $1 in
	FAIL) printf 'FAIL: %s%s\n%s\n' "${T_PREFIX:-}" "$2" "${3:-}" | sed '3,$s/^/    /' ;;
	SKIP) [ -n "${T_VERBOSE:-}" ] && printf 'SKIP: %s%s (%s)\n' "${T_PREFIX:-}" "$2" "${3:-}" ;;
	PASS) [ -n "${T_VERBOSE:-}" ] && printf 'PASS: %s%s\n' "${T_PREFIX:-}" "$2" ;;
	esac
	return 0
}

t_ok() { t_rec PASS "$1"; }
t_fail() { t_rec FAIL "$1" "$2"; }
t_skip() { t_rec SKIP "$1" "$2"; }

# run "$@" with a hard limit; sets T_RC, T_OUT and T_MS (elapsed milliseconds)
t_exec() {
	_tx0=$(date +%s%N)
	if [ -n "${_rss+x}" ]; then
		_rf=$(mktemp "$T_DIR/rss.XXXXXX")
		T_OUT=$(timeout -k 2 "$T_LIMIT" /usr/bin/time -f %M -o "$_rf" "$@" 2>&1 </dev/null)
		T_RC=$?
		T_KB=$(tail -n 1 "$_rf")
		rm -f "$_rf"
	else
		T_OUT=$(timeout -k 2 "$T_LIMIT" "$@" 2>&1 </dev/null)
		T_RC=$?
	fi
	T_MS=$((($(date +%s%N) - _tx0) / 1000000))
	T_SECS=$((T_MS / 1000)).$(printf '%03d' $((T_MS % 1000)))
}

t_rss() {	# MB t_run|t_out|t_by ARGS...
	_rss=$1
	shift
	"$@"
	unset _rss
}

# "" when the last t_exec stayed under ${_rss} MB (or nothing is judged), else why not
_t_big() {
	[ -z "${_rss:-}" ] && return 0
	[ -n "$T_KB" ] && [ "$T_KB" -lt $((_rss * 1024)) ] && return 0
	echo "peak RSS ${T_KB:-unknown} kB, not under ${_rss} MB"
}

# the margin a deadline test allows past its deadline, in ms (VALGRIND=1 run.sh: 10 s)
T_MARGIN_MS=${T_MARGIN_MS:-1500}

# "" when the last t_exec ended by $1 seconds + the margin, else why not
_t_late() {
	[ -z "$1" ] && return 0
	_lim=$(/usr/bin/python3 -c "print(int(float('$1') * 1000) + $T_MARGIN_MS)")
	[ "$T_MS" -le "$_lim" ] && return 0
	echo "ended after ${T_SECS}s, past its deadline of ${1}s + $((T_MARGIN_MS / 100 / 10)).$((T_MARGIN_MS / 100 % 10)) s"
}

t_by() {	# SEC t_run|t_out ARGS...
	_by=$1
	shift
	"$@"
	_by=
}

t_ended_by() {	# NAME SEC
	_late=$(_t_late "$2")
	if [ -n "$_late" ]; then t_fail "$1" "$_late
output: $T_OUT"; else t_ok "$1"; fi
}

# t_run without the PASS: 0 when it would pass, else the FAIL is recorded and 1
t_judge() {	# NAME RC REGEX CMD...
	_n=$1 _rc=$2 _re=$3
	shift 3
	t_exec "$@"
	_late=$(_t_late "${_by:-}")$(_t_big)
	if [ "$_rc" = any ] && [ "$T_RC" -gt 3 ]; then
		t_fail "$_n" "exit $T_RC, expected a verdict (0 to 3); command: $*
output: $T_OUT"
	elif [ "$_rc" != any ] && [ "$T_RC" != "$_rc" ]; then
		t_fail "$_n" "exit $T_RC, expected $_rc; command: $*
output: $T_OUT"
	elif [ -n "$_late" ]; then
		t_fail "$_n" "$_late; command: $*
output: $T_OUT"
	elif [ -n "$_re" ] && ! printf '%s\n' "$T_OUT" | grep -Eq -- "$_re"; then
		t_fail "$_n" "output does not match /$_re/; command: $*
output: $T_OUT"
	else
		return 0
	fi
	return 1
}

t_run() {
	t_judge "$@" && t_ok "$1"
	return 0
}

t_out() {
	_n=$1 _rc=$2 _want=$3
	shift 3
	t_exec "$@"
	_late=$(_t_late "${_by:-}")$(_t_big)
	if [ -n "$_late" ]; then
		t_fail "$_n" "$_late; command: $*
output: $T_OUT"
	elif [ "$T_RC" != "$_rc" ] || [ "$T_OUT" != "$_want" ]; then
		t_fail "$_n" "exit $T_RC (expected $_rc); command: $*
got:  $T_OUT
want: $_want"
	else
		t_ok "$_n"
	fi
}

# pass when CMD's output (stdout and stderr) does not contain TEXT
t_lacks() {	# NAME TEXT CMD...
	_n=$1 _txt=$2
	shift 2
	t_exec "$@"
	case $T_OUT in
	*"$_txt"*) t_fail "$_n" "output contains '$_txt': $T_OUT" ;;
	*) t_ok "$_n" ;;
	esac
}

t_hides() {	# NAME RC REGEX SECRET CMD...
	_n=$1 _rc=$2 _re=$3 _s=$4
	shift 4
	t_judge "$_n" "$_rc" "$_re" "$@" || return 0
	while [ ${#_s} -ge 4 ]; do
		_w=${_s%"${_s#????}"}
		case $T_OUT in
		*"$_w"*) t_fail "$_n" "output contains '$_w' of the secret: $T_OUT"; return 0 ;;
		esac
		_s=${_s#?}
	done
	t_ok "$_n"
}

# wait until a TCP port accepts (bash-free: python), at most 10 s
t_wait_port() {	# HOST PORT
	/usr/bin/python3 - "$1" "$2" <<'PY'
import socket, sys, time
end = time.time() + 10
while time.time() < end:
    try:
        socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}

# a TCP port that is free now on 127.0.0.1 and ::1
t_free_port() {
	/usr/bin/python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start a background server, remember its PID for t_stop_all
t_bg() {	# NAME CMD...
	_name=$1
	shift
	"$@" > "$T_DIR/$_name.log" 2>&1 &
	echo "$! $_name" >> "$T_DIR/pids"
}

t_stop_all() {
	[ -f "$T_DIR/pids" ] || return 0
	while read -r _pid _name; do
		kill -TERM "$_pid" 2>/dev/null
	done < "$T_DIR/pids"
	while read -r _pid _name; do
		wait "$_pid" 2>/dev/null
	done < "$T_DIR/pids"
	rm -f "$T_DIR/pids"
}

# start tserve.py with a script; sets the variable named VAR to its port
t_tserve() {	# VAR [tserve options] SCRIPT...
	_var=$1
	shift
	_pf=$T_DIR/port.$_var
	rm -f "$_pf"
	t_bg "tserve-$_var" /usr/bin/python3 tests/server/tserve.py --port-file "$_pf" "$@"
	_i=0
	while [ ! -s "$_pf" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ -s "$_pf" ] || { echo "tserve $_var did not start" >&2; return 1; }
	eval "$_var=\$(cat \"\$_pf\")"
	echo "$_var=$(cat "$_pf")" >> "$T_DIR/env"
}
