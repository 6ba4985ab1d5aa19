# output.sh - what every applet shares (docs/output.md): --format json read back by python3's
# json module, --format prometheus by our strict reader (tests/promcheck.py) and by promtool,
# --exit-codes docker, --quiet and PROBEBOX_<APPLET>_<OPTION> variables, against real
# servers on loopback, for each applet of the build.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
Y=$T_DIR/output.$$
mkdir -p "$Y"
has() { $P --list | grep -qx "$1"; }
cat > "$Y/ok.yaml" <<YAML
- {type: tcp, host: 127.0.0.1, port: $P_FTP}
- {type: http, url: "http://127.0.0.1:$H_HTTP/health"}
YAML
cat > "$Y/bad.yaml" <<YAML
- {type: tcp, host: 127.0.0.1, port: $P_CLOSED}
- {type: tcp, host: 127.0.0.1, port: $P_FTP}
YAML
# grpcd (servers.d/40-grpc.sh) starts in the background
_i=0
while [ -n "${G_PORTS:-}" ] && [ ! -s "$G_PORTS" ] && [ $_i -lt 150 ]; do sleep 0.1; _i=$((_i + 1)); done
# applet, then the words of a check that passes and of one that fails
cases() {
	has check-tcp && echo "check-tcp|-H 127.0.0.1 -p $P_FTP|-H 127.0.0.1 -p $P_CLOSED"
	has check-http && echo "check-http|-u http://127.0.0.1:$H_HTTP/health|-u http://127.0.0.1:$P_CLOSED/"
	has chksrv && echo "chksrv|tcp 127.0.0.1 $P_FTP|tcp -r 0 127.0.0.1 $P_CLOSED"
	has conn-check && echo "conn-check|$Y/ok.yaml|$Y/bad.yaml"
	has grpc_health_probe && [ -s "${G_PORTS:-}" ] &&
		echo "grpc_health_probe|-addr 127.0.0.1:$(head -n 1 "$G_PORTS")|-addr 127.0.0.1:$P_CLOSED"
}

JSONCHECK='
import json, sys
want_verdict, want_exit = sys.argv[1], int(sys.argv[2])
raw = sys.stdin.buffer.read().decode("utf-8")
def no_constant(c):
    raise ValueError("not JSON: " + c)
d = json.loads(raw, parse_constant=no_constant)
assert set(d) == {"applet", "verdict", "exit_code", "checks"}, d
assert d["exit_code"] == want_exit, d
assert (d["verdict"] == "OK") == (want_verdict == "OK"), d
for c in d["checks"]:
    assert set(c) >= {"name", "type", "target", "verdict", "reason", "success", "duration_seconds", "record"}, c
    assert isinstance(c["success"], bool) and isinstance(c["record"], dict), c
    assert c["duration_seconds"] is None or c["duration_seconds"] >= 0, c
assert any(c["record"] for c in d["checks"]), "some check has a record"
print("ok")'

cases | while IFS='|' read -r a good bad; do
	n=$a
	# native exit status of the failure: 1 for chksrv, 2 for the others
	frc=2
	[ "$a" = chksrv ] && frc=1
	t_exec $P $a --format json $good
	if [ "$T_RC" = 0 ] && r=$(printf '%s' "$T_OUT" | /usr/bin/python3 -c "$JSONCHECK" OK 0 2>&1) && [ "$r" = ok ]; then
		t_ok "$n: --format json, a check that passes"
	else
		t_fail "$n: --format json, a check that passes" "exit $T_RC: ${r:-} $T_OUT"
	fi
	t_exec $P $a --format json $bad
	if [ "$T_RC" = "$frc" ] && r=$(printf '%s' "$T_OUT" | sed -n '/^{/p' | /usr/bin/python3 -c "$JSONCHECK" FAILED "$frc" 2>&1) && [ "$r" = ok ]; then
		t_ok "$n: --format json, a check that fails"
	else
		t_fail "$n: --format json, a check that fails" "exit $T_RC: ${r:-} $T_OUT"
	fi
	for w in good bad; do
		eval "args=\$$w"
		$P $a --format prometheus $args > "$Y/$a.$w.prom" 2>/dev/null
		t_run "$n: --format prometheus ($w) passes the strict reader" 0 "^ok: " /usr/bin/python3 tests/promcheck.py "$Y/$a.$w.prom"
		t_run "$n: --format prometheus ($w) has probe_success" 0 "^probe_success\{name=" cat "$Y/$a.$w.prom"
		if command -v promtool >/dev/null 2>&1; then
			t_run "$n: promtool check metrics ($w)" 0 "" sh -c 'exec promtool check metrics < "$1"' sh "$Y/$a.$w.prom"
		else
			t_skip "$n: promtool check metrics ($w)" "promtool is not installed (scripts/deps.sh testtools installs it)"
		fi
	done
	t_run "$n: --exit-codes docker makes a failure 1" 1 "" $P $a --exit-codes docker $bad
	t_run "$n: --exit-codes docker keeps 0" 0 "" $P $a --exit-codes docker $good
	t_run "$n: --exit-codes nagios is the native status" "$frc" "" $P $a --exit-codes nagios $bad
	t_run "$n: --exit-codes docker: a usage error is 1 too" 1 "" $P $a --exit-codes docker --no-such-option
	# a usage error: 3, but 1 for grpc_health_probe (upstream's "invalid arguments")
	urc=3
	[ "$a" = grpc_health_probe ] && urc=1
	t_run "$n: --exit-codes bad" "$urc" "exit-codes" $P $a --exit-codes kubernetes $good
	t_out "$n: --quiet prints nothing when all is well" 0 "" $P $a --quiet $good
	t_run "$n: --quiet still prints a failure" "$frc" "." $P $a --quiet $bad
	t_run "$n: PROBEBOX_..._EXIT_CODES from the environment" 1 "" \
		env "PROBEBOX_$(echo "$a" | tr a-z- A-Z_)_EXIT_CODES=docker" $P $a $bad
	t_run "$n: PROBEBOX_..._FORMAT from the environment" 0 '^\{"applet": ' \
		env "PROBEBOX_$(echo "$a" | tr a-z- A-Z_)_FORMAT=json" $P $a $good
	t_run "$n: the command line wins over the environment" 0 '^\{"applet": ' \
		env "PROBEBOX_$(echo "$a" | tr a-z- A-Z_)_FORMAT=prometheus" $P $a --format json $good
	t_run "$n: --help lists the variables" 0 "PROBEBOX_$(echo "$a" | tr a-z- A-Z_)_FORMAT" $P $a --help
done
rm -rf "$Y"
