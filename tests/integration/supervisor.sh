# supervisor.sh - the supervisor_*_check event listeners: their command lines, the listener
# protocol fed from a pipe (malformed headers, short payloads, unknown events, signals), the
# checks and restarts against tests/server/fake_supervisord.py, and then, for the release and
# the ASan build of the default configuration, under a real supervisord on a unix socket
# with TICK_5 events and test programs (tests/server/svc.py) that fail in each way.
case " $("$PROBEBOX" --list | tr '\n' ' ') " in
*" supervisor_http_check "*) ;;
*) t_skip "supervisor applets" "not in this build"; return 0 ;;
esac
PY=/usr/bin/python3
SV=$(mktemp -d "$T_DIR/sv.XXXXXX")
mkdir -p "$SV/bin"
for k in http tcp xmlrpc memory cpu file complex; do
	ln -s "$PROBEBOX" "$SV/bin/supervisor_${k}_check"
done
B=$SV/bin
# FEED FILE CMD...: CMD with FILE on stdin (t_run's commands read /dev/null)
FEED=$SV/feed
printf '#!/bin/sh\nf=$1; shift; exec "$@" < "$f"\n' > "$FEED"
chmod +x "$FEED"

# one event as supervisord sends it: a header, then exactly len bytes of payload
ev() {	# EVENTNAME PAYLOAD
	printf 'ver:3.0 server:supervisor serial:1 pool:chk poolserial:1 eventname:%s len:%d\n%s' \
		"$1" "${#2}" "$2"
}

# the last command's output has a line matching ERE
has() {	# NAME ERE
	if printf '%s\n' "$T_OUT" | grep -Eq -- "$2"; then t_ok "$1"
	else t_fail "$1" "no line matches /$2/: $T_OUT"; fi
}

# --- command lines -------------------------------------------------------------------------
for k in http tcp xmlrpc memory cpu file complex; do
	t_run "$k --help" 0 "^usage: supervisor_${k}_check " "$B/supervisor_${k}_check" --help
	has "$k --help: the variables" "^  PROBEBOX_SUPERVISOR_$(echo "$k" | tr a-z A-Z)_CHECK_CHECK_NAME"
done
export SUPERVISOR_SERVER_URL=unix://$SV/none.sock
t_run "usage: no -n" 3 "check-name" "$B/supervisor_tcp_check" -g g -p 1
t_run "usage: no group" 3 "one of -g, --process-group and -N" "$B/supervisor_tcp_check" -n c -p 1
t_run "usage: no port" 3 "-p, --port" "$B/supervisor_http_check" -n c -g g -u /
t_run "usage: two groups in the port" 3 "one group" "$B/supervisor_tcp_check" -n c -g g -p '(.+)_(\d+)'
t_run "usage: bad headers" 3 "headers: expected a JSON object" "$B/supervisor_http_check" -n c -g g -u / -p 1 -H '[1]'
t_run "usage: bad json" 3 "json: bad JSON: offset 1" "$B/supervisor_http_check" -n c -g g -u / -p 1 -j '{x'
t_run "usage: a url that is no path" 3 "url: expected a path from '/', got 'ping'" "$B/supervisor_http_check" -n c -g g -u ping -p 1
t_run "usage: xmlrpc url and socket" 3 "one of url" "$B/supervisor_xmlrpc_check" -n c -g g -u /x -p 1 -s /s
t_run "usage: xmlrpc url without port" 3 "needs a port" "$B/supervisor_xmlrpc_check" -n c -g g -u /x
t_run "usage: cpu without -i" 3 "interval" "$B/supervisor_cpu_check" -n c -g g -p 50
t_run "usage: memory without -m" 3 "msx-rss" "$B/supervisor_memory_check" -n c -g g -c
t_run "usage: complex bad JSON" 3 "check config: bad JSON: offset" "$B/supervisor_complex_check" -n c -g g -c '{"tcp":'
t_run "usage: complex unknown check" 3 "unknown check 'ping'" "$B/supervisor_complex_check" -n c -g g -c '{"ping":{}}'
t_run "usage: complex unknown key" 3 "the tcp check has no parameter prot" "$B/supervisor_complex_check" -n c -g g -c '{"tcp":{"prot":1}}'
t_run "usage: complex http without url" 3 "needs a url" "$B/supervisor_complex_check" -n c -g g -c '{"http":{"port":1}}'
t_run "usage: --format json" 3 "text only" "$B/supervisor_tcp_check" -n c -g g -p 1 --format json
t_run "usage: --exit-codes docker" 1 "one of -g" "$B/supervisor_tcp_check" -n c -p 1 --exit-codes docker
t_run "usage: no SUPERVISOR_SERVER_URL" 3 "SUPERVISOR_SERVER_URL is not set" env -u SUPERVISOR_SERVER_URL "$B/supervisor_tcp_check" -n c -g g -p 1
t_run "usage: a bad SUPERVISOR_SERVER_URL" 3 "expected unix:///PATH or http://HOST:PORT" env SUPERVISOR_SERVER_URL=ftp://x "$B/supervisor_tcp_check" -n c -g g -p 1

# --- the protocol, fed from a file ----------------------------------------------------------
# an unknown event, a malformed header, a tick whose supervisord is not there, a payload cut
# by the end of the stream: each answered, nothing on stdout but the protocol, exit 0
{ ev PROCESS_STATE_RUNNING 'processname:x groupname:x from_state:STARTING pid:1'
  printf 'this is no header\n'
  ev TICK_5 'when:1'
  printf 'ver:3.0 eventname:TICK_60 len:10\nabc'; } > "$SV/in1"
timeout 10 "$B/supervisor_tcp_check" -n pipechk -g g -p 1 < "$SV/in1" > "$SV/out1" 2> "$SV/err1"
rc=$?
if [ $rc = 0 ] && [ "$(cat "$SV/out1")" = "$(printf 'READY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY\nRESULT 2\nOKREADY')" ]; then
	t_ok "protocol: stdout holds only the protocol"
else
	t_fail "protocol: stdout holds only the protocol" "exit $rc, stdout: $(od -c "$SV/out1" | head)"
fi
for want in '\[pipechk\] Starting the health check for g process' \
	'Received unsupported event type: PROCESS_STATE_RUNNING' \
	'Malformed event header \(a token without .:.\): this is no header' \
	'Received TICK_5 event from supervisor' \
	'Failed to get the processes from supervisord: dial unix .*none.sock' \
	'Short payload of a TICK_60 event: 3 of 10 bytes, then the end of the stream' \
	'^[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \[pipechk\] Done\.$'; do
	if grep -Eq -- "$want" "$SV/err1"; then t_ok "protocol: log /$want/"
	else t_fail "protocol: log /$want/" "$(cat "$SV/err1")"; fi
done
# a header line that never ends, then a good event
{ head -c 5000 /dev/zero | tr '\0' x; printf '\n'; ev TICK_3600 ''; } > "$SV/in2"
t_run "protocol: a header line too long" 0 "Malformed event header \(too long\)" \
	"$FEED" "$SV/in2" "$B/supervisor_tcp_check" -n c -g g -p 1
has "protocol: then the next event" "Received TICK_3600 event"
case $T_OUT in *xxxx*) t_fail "protocol: the long line is dropped whole" "$T_OUT" ;; *) t_ok "protocol: the long line is dropped whole" ;; esac
# a payload that does not come: answered after 5 s, not a hang
rm -f "$SV/in3.fifo"
mkfifo "$SV/in3.fifo"
( printf 'ver:3.0 eventname:TICK_5 len:5\nab'; sleep 8 ) > "$SV/in3.fifo" &
w=$!
t_by 6.5 t_run "protocol: a payload that does not come" 124 "Short payload of a TICK_5 event: 2 of 5 bytes in time" \
	timeout 6.5 "$FEED" "$SV/in3.fifo" "$B/supervisor_tcp_check" -n c -g g -p 1
kill "$w" 2>/dev/null
wait "$w" 2>/dev/null

# start a listener reading the fifo $SV/fifo (kept open on fd 7); LPID
listener() {	# ARGS...
	rm -f "$SV/fifo" "$SV/lout" "$SV/lerr"
	mkfifo "$SV/fifo"
	"$@" < "$SV/fifo" > "$SV/lout" 2> "$SV/lerr" &
	LPID=$!
	exec 7> "$SV/fifo"
}
# wait (at most SEC) until the listener's stdout holds N times READY
readies() {	# N SEC
	_i=0
	while [ "$(grep -o READY "$SV/lout" 2>/dev/null | wc -l)" -lt "$1" ] && [ $_i -lt $(($2 * 20)) ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	[ $_i -lt $(($2 * 20)) ]
}
# send SIG, the listener must end with 0 within 2 s
ends_on() {	# NAME SIG
	_t0=$(date +%s%N)
	kill "-$2" "$LPID"
	_i=0
	while kill -0 "$LPID" 2>/dev/null && [ $_i -lt 40 ]; do sleep 0.05; _i=$((_i + 1)); done
	kill -KILL "$LPID" 2>/dev/null
	wait "$LPID"
	_rc=$?
	exec 7>&-
	_ms=$((($(date +%s%N) - _t0) / 1000000))
	if [ $_rc = 0 ] && [ $_ms -lt 2000 ] && grep -q 'Got signal' "$SV/lerr" && grep -q 'Done\.$' "$SV/lerr"; then
		t_ok "$1"
	else
		t_fail "$1" "exit $_rc after ${_ms} ms; stderr: $(cat "$SV/lerr")"
	fi
}
for sig in TERM INT HUP QUIT USR1; do
	listener "$B/supervisor_memory_check" -n c -g g -m 1000
	readies 1 5
	ends_on "signal: SIG$sig ends the loop with 0" "$sig"
done

# --- checks and restarts against a fake supervisord -----------------------------------------
FAKE=$SV/fake.sock
fake() {	# ARGS... (--proc ...): a fake supervisord on $FAKE, its calls in $SV/calls
	rm -f "$FAKE" "$SV/calls"
	: > "$SV/calls"
	t_bg "fake-supervisord-${SV##*.}" $PY tests/server/fake_supervisord.py --socket "$FAKE" --log "$SV/calls" "$@"
	FPID=$!
	_i=0
	while [ ! -S "$FAKE" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
unfake() { kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; }
export SUPERVISOR_SERVER_URL=unix://$FAKE
PID=$$
fake --auth svuser:Sup3rSecretPw --proc "web:web_$P_CLOSED:$PID" --proc "web:web_$P_OKOK:$PID" \
	--proc "web:odd:$PID" --proc "other:x_$P_CLOSED:$PID" --proc "web:stopped_$P_CLOSED:$PID:0"
export SUPERVISOR_USERNAME=svuser SUPERVISOR_PASSWORD=Sup3rSecretPw
ev TICK_5 '' > "$SV/tick"
t_hides "fake: a closed port is restarted, the password never shows" 0 \
	"TCPCheck: Check failed: connection refused.*" Sup3rSecretPw \
	"$FEED" "$SV/tick" "$B/supervisor_tcp_check" -n tcpchk -g web -p '.+_(\d+)' -t 2 -r 0
out=$T_OUT
if [ "$(cat "$SV/calls")" = "getAllProcessInfo
getProcessInfo web:web_$P_CLOSED
stopProcess web:web_$P_CLOSED
startProcess web:web_$P_CLOSED False" ]; then t_ok "fake: the calls: list, getProcessInfo, stop, start(name, false)"
else t_fail "fake: the calls: list, getProcessInfo, stop, start(name, false)" "$(cat "$SV/calls")
$out"; fi
for want in "Performing \`tcp\` check for process name web_$P_OKOK" \
	"Successfully connected to TCP ip 127.0.0.1 port $P_OKOK for process web_$P_OKOK" \
	"\`tcp\` check failed for process web_$P_CLOSED. Trying to restart." \
	"Trying to stop process web:web_$P_CLOSED" "Stopped process web:web_$P_CLOSED" \
	"Starting process web:web_$P_CLOSED" \
	"TCPCheck: ERROR: Could not extract the TCP port for process name odd using port specification" \
	"\`tcp\` check succeeded for process odd"; do
	case $out in *"$want"*) t_ok "fake: log '$want'" ;; *) t_fail "fake: log '$want'" "$out" ;; esac
done
case $out in *"x_$P_CLOSED"*|*"stopped_"*) t_fail "fake: only RUNNING processes of the group" "$out" ;;
*) t_ok "fake: only RUNNING processes of the group" ;; esac
: > "$SV/calls"
t_run "fake: -N checks one process" 0 "Performing .tcp. check for process name web_$P_OKOK" \
	"$FEED" "$SV/tick" "$B/supervisor_tcp_check" -n c -g other -N "web:web_$P_OKOK" -p '.+_(\d+)' -r 0
case $T_OUT in *"web_$P_CLOSED"*|*"name odd"*) t_fail "fake: -N wins over -g" "$T_OUT" ;; *) t_ok "fake: -N wins over -g" ;; esac
t_run "fake: --quiet logs no passing steps" 0 "Check failed" \
	"$FEED" "$SV/tick" "$B/supervisor_tcp_check" --quiet -n c -g web -p '.+_(\d+)' -r 0
case $T_OUT in *Performing*|*Successfully*) t_fail "fake: --quiet leaves out passing steps" "$T_OUT" ;; *) t_ok "fake: --quiet leaves out passing steps" ;; esac
# retries: 3 s after the first try (the event was answered long before)
listener "$B/supervisor_tcp_check" -n c -N "web:web_$P_CLOSED" -p '.+_(\d+)' -r 1
readies 1 5
ev TICK_5 '' >&7
_i=0
while ! grep -q 'Check failed' "$SV/lerr" && [ $_i -lt 160 ]; do sleep 0.05; _i=$((_i + 1)); done
ends_on "fake: retries: the listener still ends with 0" TERM
T_OUT=$(cat "$SV/lerr")
has "fake: retries with upstream's back-off" "Exception occurred: connection refused. Retry in 3 seconds."
has "fake: after the retries, the verdict" "TCPCheck: Check failed: connection refused"
t_hides "fake: a wrong password is a 401" 0 "Failed to get the processes from supervisord: HTTP status 401" Sup3rSecretPw \
	"$FEED" "$SV/tick" env SUPERVISOR_PASSWORD=Sup3rSecretPx "$B/supervisor_tcp_check" -n c -g web -p 1
unfake
# supervisord on TCP (inet_http_server): SUPERVISOR_SERVER_URL=http://HOST:PORT
rm -f "$SV/fport"
: > "$SV/calls"
t_bg "fake-supervisord-tcp-${SV##*.}" $PY tests/server/fake_supervisord.py --port-file "$SV/fport" \
	--log "$SV/calls" --auth svuser:Sup3rSecretPw --proc "web:web_$P_CLOSED:$PID"
FPID=$!
_i=0
while [ ! -s "$SV/fport" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
t_hides "fake on TCP: restarted through http://127.0.0.1:PORT" 0 "Stopped process web:web_$P_CLOSED" Sup3rSecretPw \
	"$FEED" "$SV/tick" env SUPERVISOR_SERVER_URL="http://127.0.0.1:$(cat "$SV/fport")" \
	"$B/supervisor_tcp_check" -n c -g web -p '.+_(\d+)' -r 0
unfake

fake --proc "web:web_$H_HTTP:$PID" --proc "web:silent_$P_SILENT:$PID"
unset SUPERVISOR_USERNAME SUPERVISOR_PASSWORD
t_run "fake: http 200 passes" 0 "Status contacting URL http://127.0.0.1:$H_HTTP/health for process web_$H_HTTP: 200 OK" \
	"$FEED" "$SV/tick" "$B/supervisor_http_check" -n c -N "web:web_$H_HTTP" -u /health -p '.+_(\d+)'
t_run "fake: http 503 restarts" 0 "Check failed: Bad HTTP status code: 503" \
	"$FEED" "$SV/tick" "$B/supervisor_http_check" -n c -N "web:web_$H_HTTP" -u /fail -p '.+_(\d+)'
has "fake: http 503: the restart" "Trying to stop process web:web_$H_HTTP"
t_run "fake: http Basic auth" 0 "web_$H_HTTP: 200 OK" \
	"$FEED" "$SV/tick" "$B/supervisor_http_check" -n c -N "web:web_$H_HTTP" -u /basic -p '.+_(\d+)' -U basicuser -P basicpass
case $T_OUT in *basicpass*) t_fail "fake: http: the password never shows" "$T_OUT" ;; *) t_ok "fake: http: the password never shows" ;; esac
t_run "fake: http -j and -H" 0 "web_$H_HTTP: 200 OK" \
	"$FEED" "$SV/tick" "$B/supervisor_http_check" -n c -N "web:web_$H_HTTP" -u /echo -m POST -j '{"a": 1}' -H '{"X-Test": "1"}' -p '.+_(\d+)'
t_run "fake: complex, http without method is GET" 0 "web_$H_HTTP: 200 OK" \
	"$FEED" "$SV/tick" "$B/supervisor_complex_check" -n c -N "web:web_$H_HTTP" -c '{"memory":{"cumulative":true,"max_rss":4194304},"http":{"timeout":15,"port":".+_(\\d+)","url":"\/health","num_retries":3}}'
has "fake: complex: memory first" "\`memory\` check succeeded for process web_$H_HTTP"
has "fake: complex: then http" "\`http\` check succeeded for process web_$H_HTTP"
printf '%s\n' "$T_OUT" | grep -n 'check succeeded' | head -1 | grep -q memory &&
	t_ok "fake: complex: in the JSON's order" || t_fail "fake: complex: in the JSON's order" "$T_OUT"
# a check that hangs: the event is answered within half the tick (2.5 s of TICK_5), the
# check goes on, and SIGTERM still ends the listener at once with 0
: > "$SV/calls"
listener "$B/supervisor_http_check" -n c -N "web:silent_$P_SILENT" -u / -p '.+_(\d+)' -t 15 -r 0
readies 1 5
ev TICK_5 '' >&7
if readies 2 4; then t_ok "hung check: the event is answered in time"
else t_fail "hung check: the event is answered in time" "$(cat "$SV/lout") $(cat "$SV/lerr")"; fi
ends_on "hung check: SIGTERM ends the listener with 0" TERM
case $(cat "$SV/calls") in *stopProcess*) t_fail "hung check: no restart yet" "$(cat "$SV/calls")" ;; *) t_ok "hung check: no restart yet" ;; esac
unfake

# xmlrpc: a server of its own (unix socket in a directory, -S), one that answers a fault
mkdir -p "$SV/socks"
t_bg "svc-rpc-${SV##*.}" $PY tests/server/svc.py xmlrpc "$SV/socks/rpc_ok.sock"
RPID=$!
t_bg "svc-rpcf-${SV##*.}" $PY tests/server/svc.py xmlrpc "$SV/socks/rpc_bad.sock" --fault-after 0
RFPID=$!
fake --proc "rpc:rpc_ok:$RPID" --proc "rpc:rpc_bad:$RFPID"
_i=0; while [ ! -S "$SV/socks/rpc_bad.sock" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
t_run "fake: xmlrpc -S: a fault restarts, an answer passes" 0 \
	"XMLRPCCheck: XML RPC server returned error: <Fault 1: 'broken'>" \
	"$FEED" "$SV/tick" "$B/supervisor_xmlrpc_check" -n c -g rpc -S "$SV/socks" -r 0
case $T_OUT in *"Successfully contacted XML RPC server at unix://$SV/socks/rpc_ok.sock, method status for process rpc_ok. Result: 'ok'"*)
	t_ok "fake: xmlrpc -S answer" ;; *) t_fail "fake: xmlrpc -S answer" "$T_OUT" ;; esac
case $(cat "$SV/calls") in *"stopProcess rpc:rpc_bad"*) t_ok "fake: xmlrpc fault restarts" ;; *) t_fail "fake: xmlrpc fault restarts" "$(cat "$SV/calls")" ;; esac
t_run "fake: xmlrpc -s" 0 "Result: 'ok'" "$FEED" "$SV/tick" "$B/supervisor_xmlrpc_check" -n c -N rpc:rpc_ok -s "$SV/socks/rpc_ok.sock"
# memory and file against the fake's processes (the xmlrpc servers: python, some MB)
t_run "fake: memory below the limit" 0 "\`memory\` check succeeded" \
	"$FEED" "$SV/tick" "$B/supervisor_memory_check" -n c -N rpc:rpc_ok -m 10000000
has "fake: memory in KB" "Total memory consumed by process rpc_ok is [0-9]+ KB"
t_run "fake: memory above the limit" 0 "above the configured threshold: [0-9]+ KB vs 1000 KB" \
	"$FEED" "$SV/tick" "$B/supervisor_memory_check" -n c -N rpc:rpc_ok -m 1000 -c
has "fake: memory above: the restart" "Trying to stop process rpc:rpc_ok"
t_run "fake: cpu, a first sample" 0 "CPU percent used by process rpc_ok is [0-9.]+" \
	"$FEED" "$SV/tick" "$B/supervisor_cpu_check" -n c -N rpc:rpc_ok -p 100 -i 60
t_run "fake: file missing passes without -x" 0 "ERROR: Could not stat file: $SV/rpc-rpc_ok-$RPID" \
	"$FEED" "$SV/tick" "$B/supervisor_file_check" -n c -N rpc:rpc_ok -t 5 -d "$SV"
has "fake: file missing: passes" "\`file\` check succeeded"
t_run "fake: file missing fails with -x" 0 "\`file\` check failed" \
	"$FEED" "$SV/tick" "$B/supervisor_file_check" -n c -N rpc:rpc_ok -t 5 -x -d "$SV"
touch "$SV/hb"
t_run "fake: file fresh passes" 0 "\`file\` check succeeded" \
	"$FEED" "$SV/tick" "$B/supervisor_file_check" -n c -N rpc:rpc_ok -t 5 -f "$SV/hb"
unfake
kill "$RPID" "$RFPID" 2>/dev/null
wait "$RPID" "$RFPID" 2>/dev/null
unset SUPERVISOR_SERVER_URL

# --- under a real supervisord (release and ASan builds of the default configuration) -------
case $PROBEBOX in */build/probebox|*/build/asan/probebox) ;;
*) t_skip "supervisord" "the real supervisord runs for the default configuration's builds"; return 0 ;;
esac
command -v supervisord >/dev/null || { t_skip "supervisord" "supervisord is not installed"; return 0; }
D=$(mktemp -d "$T_DIR/svd.XXXXXX")
mkdir -p "$D/socks" "$D/hb"
SVC="$PY $PWD/tests/server/svc.py"
W1=$(t_free_port); W2=$(t_free_port); T1=$(t_free_port); T2=$(t_free_port)
X1=$(t_free_port); X2=$(t_free_port)
mkdir -p "$D/ready"
# the misbehaving programs fail once (--once: the restarted one is healthy); ports in names;
# the listeners start once every program serves (--ready)
cat > "$D/supervisord.conf" <<CONF
[unix_http_server]
file=$D/s.sock
[supervisord]
logfile=$D/supervisord.log
loglevel=debug
pidfile=$D/supervisord.pid
childlogdir=$D
nodaemon=true
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$D/s.sock
CONF
group() {	# GROUP NAME...
	_g=$1
	shift
	printf '[group:%s]\nprograms=%s\n' "$_g" "$(echo "$@" | tr ' ' ,)" >> "$D/supervisord.conf"
}
prog() {	# NAME [once] SVC-ARGS...
	_n=$1 _o=
	shift
	[ "$1" = once ] && { _o="--once $D/once.$_n"; shift; }
	printf '[program:%s]\ncommand=%s %s --ready %s %s\n' "$_n" "$SVC" "$_o" "$D/ready/$_n" "$*" \
		>> "$D/supervisord.conf"
}
listen() {	# NAME APPLET ARGS...
	_n=$1
	shift
	printf '[eventlistener:%s]\ncommand=%s\nevents=TICK_5\nautostart=false\n' "$_n" "$*" >> "$D/supervisord.conf"
	printf 'stdout_logfile=%s\nstderr_logfile=%s\n' "$D/$_n.out" "$D/$_n.err" >> "$D/supervisord.conf"
}
prog "web_ok_$W1" http "$W1"
prog "web_stall_$W2" once http "$W2" --stall-after 1
group web "web_ok_$W1" "web_stall_$W2"
prog "tcp_ok_$T1" http "$T1"
prog "tcp_close_$T2" once http "$T2" --close-after 1
group tcp "tcp_ok_$T1" "tcp_close_$T2"
prog rpc_ok xmlrpc "$D/socks/rpc_ok.sock"
prog rpc_bad once xmlrpc "$D/socks/rpc_bad.sock" --fault-after 1
group rpc rpc_ok rpc_bad
printf "[program:mem_ok]\ncommand=sleep 3600\n" >> "$D/supervisord.conf"
prog mem_grow once grow 120 --after 1
group mem mem_ok mem_grow
printf "[program:cpu_ok]\ncommand=sleep 3600\n" >> "$D/supervisord.conf"
prog cpu_spin once spin --for 30
group cpu cpu_ok cpu_spin
prog hb_ok heartbeat "$D/hb"
prog hb_stale once heartbeat "$D/hb" --stop-after 0.5
group hb hb_ok hb_stale
prog "cx_ok_$X1" http "$X1"
prog "cx_bad_$X2" once http "$X2" --stall-after 1
group cx "cx_ok_$X1" "cx_bad_$X2"
listen httpchk "$B/supervisor_http_check" -n httpchk -g web -u /ping -p "'.+_(\d+)'" -t 4 -r 0
listen tcpchk "$B/supervisor_tcp_check" -n tcpchk -g tcp -p "'.+_(\d+)'" -t 2 -r 0
listen rpcchk "$B/supervisor_xmlrpc_check" -n rpcchk -g rpc -S "$D/socks" -t 2 -r 0
listen memchk "$B/supervisor_memory_check" -n memchk -g mem -m 81920 -c
listen cpuchk "$B/supervisor_cpu_check" -n cpuchk -g cpu -p 2 -i 1
listen hbchk "$B/supervisor_file_check" -n hbchk -g hb -t 2 -d "$D/hb"
listen cxchk "$B/supervisor_complex_check" -n cxchk -g cx -c "'{\"memory\":{\"cumulative\":true,\"max_rss\":4194304},\"http\":{\"timeout\":4,\"port\":\".+_(\\\\d+)\",\"url\":\"/ping\",\"num_retries\":0}}'"
LISTENERS="httpchk tcpchk rpcchk memchk cpuchk hbchk cxchk"
# the processes as supervisord reports them: GROUP NAME PID START STATE
svinfo() {
	$PY - "$D/s.sock" <<'PY' 2>/dev/null
import sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
s = xmlrpc.client.ServerProxy("http://127.0.0.1", SupervisorTransport("", "", "unix://" + sys.argv[1]))
for p in s.supervisor.getAllProcessInfo():
    print(p["group"], p["name"], p["pid"], p["start"], p["statename"])
PY
}
t_bg "supervisord-${D##*.}" supervisord -c "$D/supervisord.conf"
SDPID=$!
# every program serves (within 60 s: a loaded machine is slow to start python) and is
# RUNNING: their pids then are the ones a restart must change; then the listeners start
_t0=$(date +%s)
while :; do
	svinfo > "$D/before"
	[ "$(ls "$D/ready" | wc -l)" -ge 12 ] && [ "$(grep -c ' RUNNING$' "$D/before")" -ge 14 ] && break
	[ $(($(date +%s) - _t0)) -ge 60 ] && break
	sleep 0.3
done
if [ "$(grep -c ' RUNNING$' "$D/before")" = 14 ]; then t_ok "supervisord: 14 programs RUNNING"
else t_fail "supervisord: 14 programs RUNNING" "$(ls "$D/ready"; cat "$D/before"; tail -20 "$D/supervisord.log")"; fi
$PY - "$D/s.sock" $LISTENERS <<'PY'
import sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
s = xmlrpc.client.ServerProxy("http://127.0.0.1", SupervisorTransport("", "", "unix://" + sys.argv[1]))
for n in sys.argv[2:]:
    s.supervisor.startProcess(n, False)
PY
svinfo > "$D/listeners"
if [ "$(grep -c '^\([a-z]*chk\) \1 [1-9][0-9]* [0-9]* \(STARTING\|RUNNING\)$' "$D/listeners")" = 7 ]
then t_ok "supervisord: 7 listeners started"
else t_fail "supervisord: 7 listeners started" "$(cat "$D/listeners")"; fi
{ grep -v 'chk ' "$D/before"; grep 'chk ' "$D/listeners"; } > "$D/pids0"
mv "$D/pids0" "$D/before"
BAD="web_stall_$W2 tcp_close_$T2 rpc_bad mem_grow cpu_spin hb_stale cx_bad_$X2"
GOOD="web_ok_$W1 tcp_ok_$T1 rpc_ok mem_ok cpu_ok hb_ok cx_ok_$X1"
# restarted: RUNNING with another pid and start time than before
restarted() {	# NAME
	_b=$(awk -v n="$1" '$2 == n { print $3, $4 }' "$D/before")
	_a=$(awk -v n="$1" '$2 == n && $5 == "RUNNING" { print $3, $4 }' "$D/now")
	[ -n "$_a" ] && [ "${_a% *}" != "${_b% *}" ] && [ "${_a#* }" != "${_b#* }" ]
}
_t0=$(date +%s)
while :; do
	svinfo > "$D/now"
	left=
	for n in $BAD; do restarted "$n" || left="$left $n"; done
	[ -z "$left" ] && break
	[ $(($(date +%s) - _t0)) -ge 45 ] && break
	sleep 1
done
for n in $BAD; do
	if restarted "$n"; then t_ok "supervisord: $n restarted (new pid and start time)"
	else t_fail "supervisord: $n restarted (new pid and start time)" "before: $(grep " $n " "$D/before")
now: $(grep " $n " "$D/now")
$(cat "$D"/*.err | grep -v 'check succeeded\|Performing\|Received TICK' | tail -30)"; fi
done
for n in $GOOD $LISTENERS; do
	if [ "$(awk -v n="$n" '$2 == n { print $3 }' "$D/before")" = "$(awk -v n="$n" '$2 == n && $5 == "RUNNING" { print $3 }' "$D/now")" ]; then
		t_ok "supervisord: $n keeps its pid"
	else
		t_fail "supervisord: $n keeps its pid" "before: $(grep " $n " "$D/before") now: $(grep " $n " "$D/now")"
	fi
done
# each restart is the listener's: its log says so
for pair in "httpchk web_stall_$W2" "tcpchk tcp_close_$T2" "rpcchk rpc_bad" "memchk mem_grow" \
	"cpuchk cpu_spin" "hbchk hb_stale" "cxchk cx_bad_$X2"; do
	l=${pair% *} n=${pair#* }
	if grep -q "check failed for process $n. Trying to restart." "$D/$l.err" &&
	   grep -q "Stopped process ${n%%_*}:$n" "$D/$l.err"; then t_ok "supervisord: $l restarted $n"
	else t_fail "supervisord: $l restarted $n" "$(tail -20 "$D/$l.err")"; fi
done
grep -q "cx_bad_$X2.*HTTPCheck: Check failed\|HTTPCheck: Check failed" "$D/cxchk.err" &&
	grep -q "\`memory\` check succeeded for process cx_bad_$X2" "$D/cxchk.err" &&
	t_ok "supervisord: complex runs memory, then http" ||
	t_fail "supervisord: complex runs memory, then http" "$(tail -20 "$D/cxchk.err")"
kill -TERM "$SDPID"
_i=0
while kill -0 "$SDPID" 2>/dev/null && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
wait "$SDPID" 2>/dev/null
for l in $LISTENERS; do
	if grep -q "stopped: $l (exit status 0)" "$D/supervisord.log" && grep -q '\] Done\.$' "$D/$l.err"; then
		t_ok "supervisord: $l exits 0 when supervisord stops"
	else
		t_fail "supervisord: $l exits 0 when supervisord stops" "$(grep "$l" "$D/supervisord.log" | tail -5; tail -3 "$D/$l.err")"
	fi
	if $PY -c 'import re, sys; sys.exit(not re.fullmatch(rb"(READY\n(RESULT 2\nOK)?)*", open(sys.argv[1], "rb").read()))' "$D/$l.out" &&
	   grep -q READY "$D/$l.out"; then
		t_ok "supervisord: $l wrote only the protocol"
	else
		t_fail "supervisord: $l wrote only the protocol" "$(od -c "$D/$l.out" | head -5)"
	fi
done
if grep -q 'UNKNOWN state' "$D/supervisord.log"; then
	t_fail "supervisord: no listener in the UNKNOWN state" "$(grep -B2 'UNKNOWN state' "$D/supervisord.log" | head)"
else
	t_ok "supervisord: no listener in the UNKNOWN state"
fi
