# amqp.sh - the amqp probe through conn-check and chksrv against a real RabbitMQ
# (tests/servers.d/01-rabbitmq.sh: right and wrong passwords, a vhost allowed and refused,
# AMQPS verified with the test CA and refused without it, AMQPLAIN through a relay that hides
# PLAIN, IPv6, passwords from the environment and from a file) and against stand-ins that stay
# silent, close mid-handshake, speak another protocol or send frames that lie; every verdict
# within its deadline, the password never in the output.
. tests/lib.sh
. "$T_DIR/env"
CC="$PROBEBOX conn-check"
CS="$PROBEBOX chksrv -r 0"
Y=$T_DIR/amqp.$$
mkdir -p "$Y/cas"
cp "$CERTS/ca.crt" "$Y/cas/test-ca.pem"
PW=Zq8vK3wT

# the broker boots in 6-20 s: wait for it once per run (at most 90 s), then remember
q_ready() {
	[ -f "$T_DIR/rabbitmq.up" ] && return 0
	[ -f "$T_DIR/rabbitmq.down" ] && return 1
	if [ -z "$Q_WHY" ] && /usr/bin/python3 - "$Q_AMQP" <<'PY'
import socket, sys, time
end = time.time() + 90
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
	then
		touch "$T_DIR/rabbitmq.up"
		return 0
	fi
	[ -n "$Q_WHY" ] || Q_WHY="RabbitMQ did not open its port within 90 s: $(tail -3 "$Q_LOG" 2>/dev/null)"
	printf '%s\n' "$Q_WHY" > "$T_DIR/rabbitmq.down"
	return 1
}

# an amqp check: NAME then YAML "key: value" pairs, one an argument
q_yaml() {
	_f=$Y/$1.yaml
	shift
	{
		echo "- type: amqp"
		for _kv in "$@"; do echo "  $_kv"; done
	} > "$_f"
	echo "$_f"
}

# --- stand-ins: no broker needed ----------------------------------------------------------------
standin() {	# NAME PORT REGEX
	t_by 2 t_run "$1" 2 "amqp:127.0.0.1:$2 FAILED - .*$3" $CC "$(q_yaml "$1" "host: 127.0.0.1" \
		"port: $2" "username: probebox" "password: $PW" "use_tls: false" "timeout: 2")"
}
standin "silent server: a timeout" "$P_SILENT" \
	'timeout after 2s while reading \(waiting for Connection.Start\)'
standin "closed mid-frame" "$A_CLOSEMID" \
	'connection closed by the server \(waiting for Connection.Start\)'
standin "closed after Start-Ok (a heartbeat first)" "$A_LOGINCLOSE" \
	'connection closed by the server \(waiting for Connection.Tune; was the login refused\?\)'
standin "another protocol" "$A_SSH" 'not an AMQP 0-9-1 reply \(waiting for Connection.Start\)'
standin "an AMQP 1.0 server" "$A_AMQP10" 'not an AMQP 0-9-1 reply'
standin "a frame size that lies" "$A_HUGE" 'a frame larger than 128 KiB \(waiting for Connection.Start\)'
standin "a frame without its frame-end" "$A_NOEND" 'not an AMQP 0-9-1 reply'
standin "no PLAIN or AMQPLAIN" "$A_EXTERNAL" 'the server offers neither PLAIN nor AMQPLAIN: EXTERNAL$'
standin "a Secure challenge" "$A_SECURE" 'an unexpected method \(waiting for Connection.Tune'
t_by 1 t_out "a black-holed port: the tcp step, then nothing" 2 \
"tcp:127.0.0.1:$P_BLACKHOLE FAILED - (127.0.0.1:$P_BLACKHOLE) timeout after 1s while connecting
SKIPPED: amqp:127.0.0.1:$P_BLACKHOLE" \
	$CC "$(q_yaml blackhole "host: 127.0.0.1" "port: $P_BLACKHOLE" "username: u" "password: $PW" \
		"use_tls: false" "timeout: 1")"
t_by 2 t_run "chksrv: a silent server" 1 \
	"error: timeout after 2s while reading \\(waiting for Connection.Start\\)" \
	$CS amqp --timeout 2 -p use_tls=false -p username=u -p password=$PW 127.0.0.1 "$P_SILENT"
cat > "$Y/names.yaml" <<YAML
- {type: amqp, host: mq, port: 5671, username: u, password: p}
- {type: amqp, host: mq, port: 5672, username: u, password: p, use_tls: false}
YAML
t_out "dry-run: the steps of compat 2.3" 0 "SKIPPED: amqp:mq:5671
SKIPPED: amqp:mq:5672
SKIPPED: tcp:mq:5671
SKIPPED: tcp:mq:5672
SKIPPED: tls:mq:5671" $CC --dry-run "$Y/names.yaml"
t_run "the username is required" 3 "amqp-nouser.yaml:1:3: username missing" \
	$CC "$(q_yaml amqp-nouser "host: 127.0.0.1" "port: 1" "password: $PW")"
t_run "a vhost longer than a shortstr" 3 "vhost: longer than 255 bytes" \
	$CC "$(q_yaml longvh "host: 127.0.0.1" "port: 1" "username: u" "password: $PW" \
		"vhost: $(printf '%0300d' 0)")"

# --- RabbitMQ -----------------------------------------------------------------------------------
if ! q_ready; then
	t_skip "rabbitmq" "$(cat "$T_DIR/rabbitmq.down")"
	return 0 2>/dev/null || exit 0
fi
plain() {	# NAME MORE_YAML...
	_n=$1
	shift
	q_yaml "$_n" "host: 127.0.0.1" "port: $Q_AMQP" "use_tls: false" "timeout: 5" "$@"
}
t_out "login, default vhost: the steps" 0 "amqp:127.0.0.1:$Q_AMQP OK
tcp:127.0.0.1:$Q_AMQP OK" $CC "$(plain ok "username: probebox" "password: $PW")"
t_hides "login, vhost testvh, -v" 0 "amqp:127.0.0.1:$Q_AMQP OK" "$PW" \
	$CC -v "$(plain vh "username: probebox" "password: $PW" "vhost: testvh")"
t_hides "wrong password: the broker's reason" 2 \
	"amqp:127.0.0.1:$Q_AMQP FAILED - \\(user probebox\\) 403 ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN" \
	"Wr0ngPw9x" $CC "$(plain badpw "username: probebox" "password: Wr0ngPw9x")"
t_run "unknown user" 2 "403 ACCESS_REFUSED" $CC "$(plain nouser "username: nobody" "password: $PW")"
t_hides "vhost refused" 2 \
	"amqp:127.0.0.1:$Q_AMQP FAILED - .*530 NOT_ALLOWED - access to vhost 'testvh' refused for user 'limited'" \
	Lm4pR7yX $CC "$(plain vhrefused "username: limited" "password: Lm4pR7yX" "vhost: testvh")"
t_run "the user's own vhost" 0 "amqp:127.0.0.1:$Q_AMQP OK" \
	$CC "$(plain vhother "username: limited" "password: Lm4pR7yX" "vhost: othervh")"
t_run "a vhost that does not exist" 2 "530 NOT_ALLOWED - vhost nope not found" \
	$CC "$(plain vhnope "username: probebox" "password: $PW" "vhost: nope")"
if [ "$T_IPV6" = 1 ]; then
	t_run "IPv6" 0 "amqp:::1:$Q_AMQP OK" $CC "$(q_yaml v6 "host: '::1'" "port: $Q_AMQP" \
		"use_tls: false" "username: probebox" "password: $PW")"
fi
# the record, read back by a JSON parser, without the password
t_hides "json: the server's properties" 0 "" "$PW" $CC --format json "$(plain ok "username: probebox" "password: $PW")"
if printf '%s' "$T_OUT" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["checks"][-1]["record"]
assert r["success"] is True and r["error"] is None, r
assert r["amqp.product"] == "RabbitMQ" and r["amqp.version"].startswith("3."), r
assert r["amqp.platform"].startswith("Erlang/OTP"), r
assert r["amqp.mechanism"] == "PLAIN" and r["tcp.success"] is True, r
' 2>"$Y/json.err"; then t_ok "json: amqp.* keys"; else t_fail "json: amqp.* keys" "$(cat "$Y/json.err")"; fi

# AMQPLAIN, checked by the broker itself behind a relay that hides PLAIN
t_hides "AMQPLAIN only" 0 '"verdict": "OK"' "$PW" $CC --format json \
	"$(q_yaml amqplain "host: 127.0.0.1" "port: $Q_AMQPLAIN" "use_tls: false" "username: probebox" \
		"password: $PW")"
t_run "AMQPLAIN only: the mechanism recorded" 0 '"amqp.mechanism": "AMQPLAIN"' printf '%s' "$T_OUT"
t_hides "AMQPLAIN only, wrong password" 2 \
	"403 ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN" "Wr0ngPw9x" \
	$CC "$(q_yaml amqplainbad "host: 127.0.0.1" "port: $Q_AMQPLAIN" "use_tls: false" \
		"username: probebox" "password: Wr0ngPw9x")"

# TLS: use_tls is the default
tls() {	# NAME HOST MORE_YAML...
	_n=$1 _h=$2
	shift 2
	q_yaml "$_n" "host: $_h" "port: $Q_AMQPS" "username: probebox" "password: $PW" "timeout: 5" "$@"
}
t_hides "AMQPS verified with the test CA" 0 '"verdict": "OK"' "$PW" \
	$CC --tls-certs-path "$Y/cas" --format json "$(tls tls localhost "vhost: testvh")"
t_run "AMQPS: the TLS keys" 0 '"ssl.success": true.*"amqp.product": "RabbitMQ"' printf '%s' "$T_OUT"
t_run "AMQPS by address" 0 "amqp:127.0.0.1:$Q_AMQPS OK" \
	$CC --tls-certs-path "$Y/cas" "$(tls tlsip 127.0.0.1)"
t_by 5 t_run "AMQPS without the CA: the tls step refuses" 2 \
	"tls:localhost:$Q_AMQPS FAILED - .*certificate is not trusted" $CC "$(tls tlsnoca localhost)"
t_run "AMQPS, verification disabled" 0 "amqp:localhost:$Q_AMQPS OK" \
	$CC "$(tls tlsnoverify localhost "disable_tls_verification: true")"
t_hides "AMQPS, wrong password" 2 "amqp:localhost:$Q_AMQPS FAILED - .*403 ACCESS_REFUSED" Wr0ngPw9x \
	$CC --tls-certs-path "$Y/cas" "$(q_yaml tlsbad "host: localhost" "port: $Q_AMQPS" \
		"username: probebox" "password: Wr0ngPw9x")"
t_by 5 t_run "TLS (the default) against the plain port" 2 \
	"tls:127.0.0.1:$Q_AMQP FAILED - .*TLS handshake failed" $CC --tls-certs-path "$Y/cas" \
	"$(q_yaml tlsplain "host: 127.0.0.1" "port: $Q_AMQP" "username: probebox" "password: $PW" \
		"timeout: 5")"

# secrets from the environment and from a file
printf '%s\n' "$PW" > "$Y/pw"
t_hides "password_file" 0 "amqp:127.0.0.1:$Q_AMQP OK" "$PW" \
	$CC "$(plain pwfile "username: probebox" "password_file: $Y/pw")"
t_hides "password_env" 0 "amqp:127.0.0.1:$Q_AMQP OK" "$PW" \
	env Q_TEST_PW="$PW" $CC "$(plain pwenv "username: probebox" "password_env: Q_TEST_PW")"
t_run "password_env not set" 3 "pwunset.yaml:.*Q_TEST_UNSET is not set" \
	$CC "$(plain pwunset "username: probebox" "password_env: Q_TEST_UNSET")"

# chksrv: one probe, so the amqp step's own TLS verification decides
t_hides "chksrv: login" 0 "amqp.product == 'RabbitMQ' -> 'RabbitMQ': True" "$PW" \
	$CS amqp -p use_tls=false -p username=probebox -p password=$PW -p vhost=testvh \
	-e "amqp.product == 'RabbitMQ'" 127.0.0.1 "$Q_AMQP"
t_run "chksrv: the record" 0 "amqp.mechanism: PLAIN" printf '%s' "$T_OUT"
t_hides "chksrv: wrong password, -v" 1 "error: 403 ACCESS_REFUSED" Wr0ngPw9x \
	$CS -v amqp -p use_tls=false -p username=probebox -p password=Wr0ngPw9x 127.0.0.1 "$Q_AMQP"
t_hides "chksrv: vhost refused" 1 "error: 530 NOT_ALLOWED - access to vhost 'testvh' refused" \
	Lm4pR7yX env Q_TEST_PW=Lm4pR7yX $CS amqp -p use_tls=false -p username=limited -p password_env=Q_TEST_PW \
	-p vhost=testvh 127.0.0.1 "$Q_AMQP"
t_hides "chksrv: AMQPS (the default) with the test CA" 0 "ssl.success: True" "$PW" \
	env SSL_CERT_FILE="$CERTS/ca.crt" $CS amqp -p username=probebox -p password_file="$Y/pw" \
	localhost "$Q_AMQPS"
t_by 10 t_run "chksrv: AMQPS without the CA, refused by the amqp probe" 1 \
	"error: certificate is not trusted" $CS amqp -p username=probebox -p password=$PW \
	localhost "$Q_AMQPS"
t_run "chksrv: AMQPS, verification disabled" 0 "amqp.version: 3" \
	$CS amqp -p username=probebox -p password=$PW -p disable_tls_verification=true \
	localhost "$Q_AMQPS"
t_by 10 t_run "chksrv: TLS against the plain port" 1 "error: TLS handshake failed" \
	$CS amqp -p username=probebox -p password=$PW 127.0.0.1 "$Q_AMQP"
t_hides "chksrv: json" 0 '"amqp.product": "RabbitMQ"' "$PW" \
	$CS amqp --format json -p use_tls=false -p username=probebox -p password=$PW 127.0.0.1 "$Q_AMQP"
t_run "chksrv: the password is required" 3 "password missing" \
	$CS amqp -p use_tls=false -p username=probebox 127.0.0.1 "$Q_AMQP"
