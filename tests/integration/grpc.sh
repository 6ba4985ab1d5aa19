# grpc.sh - grpc_health_probe, conn-check type grpc and chksrv grpc against real gRPC servers
# (servers.d/40-grpc.sh: python3-grpcio, plain, TLS, client certificates, a unix socket, no
# health service) and scripted peers (silent, HTTP/1.1, SETTINGS then nothing): upstream's exit
# codes and messages, its argument checks, deadlines measured, the output formats.
. tests/lib.sh
. "$T_DIR/env"
G="$PROBEBOX grpc_health_probe"
Y=$T_DIR/grpc.$$
mkdir -p "$Y"

if [ -z "${G_PORTS:-}" ]; then
	t_skip "grpc servers" "python3-grpcio is not installed (scripts/deps.sh testtools)"
	return 0 2>/dev/null || exit 0
fi
_i=0
while [ ! -s "$G_PORTS" ] && [ $_i -lt 150 ]; do sleep 0.1; _i=$((_i + 1)); done
if [ ! -s "$G_PORTS" ]; then
	t_fail "grpc servers" "grpcd.py did not start: $(cat "$T_DIR/grpcd.log" 2>/dev/null)"
	return 0 2>/dev/null || exit 0
fi
{ read -r G_PLAIN; read -r G_NOHEALTH; read -r G_TLS; read -r G_MTLS; read -r G_WRONG; } < "$G_PORTS"
A=127.0.0.1:$G_PLAIN
CA=$CERTS/ca.crt

# --- answers: exit code and message as upstream's --------------------------------------------
t_out "SERVING" 0 "status: SERVING" $G -addr "$A"
t_out "SERVING, -addr=VALUE" 0 "status: SERVING" $G -addr="$A" -service=ok
t_out "SERVING, two dashes" 0 "status: SERVING" $G --addr "$A" --service ok
t_out "NOT_SERVING" 4 'service unhealthy (responded with "NOT_SERVING")' $G -addr "$A" -service down
t_out "UNKNOWN (an empty response message)" 4 'service unhealthy (responded with "UNKNOWN")' \
	$G -addr "$A" -service unknown
t_out "unknown service: NOT_FOUND" 3 \
	"error: health rpc failed: rpc error: code = NotFound desc = unknown service" \
	$G -addr "$A" -service nope
t_out "no health service: UNIMPLEMENTED" 3 \
	"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): Method not found!" \
	$G -addr "127.0.0.1:$G_NOHEALTH"
t_out "-user-agent default" 0 "status: SERVING" $G -addr "$A" -service ua
t_out "-user-agent" 4 'service unhealthy (responded with "NOT_SERVING")' \
	$G -addr "$A" -service ua -user-agent other
t_out ":PORT is this host" 0 "status: SERVING" $G -addr ":$G_PLAIN"
t_out "dns:/// target" 0 "status: SERVING" $G -addr "dns:///$A"
t_out "unix:///PATH" 0 "status: SERVING" $G -addr "unix://$G_SOCK"
t_out "unix:PATH" 4 'service unhealthy (responded with "NOT_SERVING")' $G -addr "unix:$G_SOCK" -service down
if [ "$T_IPV6" = 1 ]; then
	t_out "[::1]" 0 "status: SERVING" $G -addr "[::1]:$G_PLAIN"
fi
t_out "-v" 0 "establishing connection
connection established (took T)
time elapsed: connect=T rpc=T
status: SERVING" sh -c "$G -addr $A -v 2>&1 | sed -E 's/[0-9.]+(µs|ms|s)/T/g'"
t_out "messages go to stderr" 0 "" sh -c "$G -addr $A 2>/dev/null"

# --- TLS ---------------------------------------------------------------------------------------
t_out "TLS, our CA" 0 "status: SERVING" $G -addr "localhost:$G_TLS" -tls -tls-ca-cert "$CA"
t_out "TLS, an IP address (IP SAN)" 0 "status: SERVING" $G -addr "127.0.0.1:$G_TLS" -tls -tls-ca-cert "$CA"
t_out "TLS NOT_SERVING" 4 'service unhealthy (responded with "NOT_SERVING")' \
	$G -addr "localhost:$G_TLS" -tls -tls-ca-cert "$CA" -service down
t_by 1 t_out "TLS, a CA the system does not have: connection fails" 2 \
	"timeout: failed to connect service \"localhost:$G_TLS\" within 1s" $G -addr "localhost:$G_TLS" -tls
t_run "TLS, -v says why" 2 "connection attempt failed: .*(not trusted|unknown issuer|self-signed)" \
	$G -addr "localhost:$G_TLS" -tls -v
t_out "-tls-no-verify" 0 "status: SERVING" $G -addr "localhost:$G_TLS" -tls -tls-no-verify
t_out "-tls=true" 0 "status: SERVING" $G -addr "localhost:$G_TLS" -tls=true -tls-no-verify=1
t_out "plaintext to a TLS server fails" 2 \
	"timeout: failed to connect service \"localhost:$G_TLS\" within 500ms" \
	$G -addr "localhost:$G_TLS" -connect-timeout 500ms
t_out "TLS to a plaintext server fails" 2 \
	"timeout: failed to connect service \"$A\" within 500ms" \
	$G -addr "$A" -tls -tls-no-verify -connect-timeout 500ms
t_by 1 t_out "wrong host name" 2 "timeout: failed to connect service \"localhost:$G_WRONG\" within 1s" \
	$G -addr "localhost:$G_WRONG" -tls -tls-ca-cert "$CA"
t_run "wrong host name, -v says why" 2 "connection attempt failed: certificate does not match" \
	$G -addr "localhost:$G_WRONG" -tls -tls-ca-cert "$CA" -v
t_out "-tls-server-name" 0 "status: SERVING" \
	$G -addr "localhost:$G_WRONG" -tls -tls-ca-cert "$CA" -tls-server-name wrong.example
t_out "client certificate" 0 "status: SERVING" $G -addr "localhost:$G_MTLS" -tls -tls-ca-cert "$CA" \
	-tls-client-cert "$CERTS/client.crt" -tls-client-key "$CERTS/client.key"
t_by 1 t_out "client certificate required, none given" 2 \
	"timeout: failed to connect service \"localhost:$G_MTLS\" within 1s" \
	$G -addr "localhost:$G_MTLS" -tls -tls-ca-cert "$CA"
t_run "an unreadable CA file" 1 "^failed to initialize tls credentials\. error=.*nonexistent" \
	$G -addr "localhost:$G_TLS" -tls -tls-ca-cert "$Y/nonexistent.pem"

# --- failures and deadlines --------------------------------------------------------------------
t_by 1 t_out "connection refused" 2 "timeout: failed to connect service \"127.0.0.1:$P_CLOSED\" within 1s" \
	$G -addr "127.0.0.1:$P_CLOSED"
t_by 3 t_out "refused, retried within -connect-timeout" 0 "connection attempt failed: connection refused
connection attempt failed: connection refused
connection attempt failed: connection refused
timeout: failed to connect service \"127.0.0.1:$P_CLOSED\" within 3s" sh -c \
	"$G -addr 127.0.0.1:$P_CLOSED -connect-timeout 3s -v 2>&1 | grep -v -e '^parsed' -e '^>' -e '^establishing'"
t_by 1 t_out "accepts and never answers" 2 "timeout: failed to connect service \"127.0.0.1:$P_SILENT\" within 1s" \
	$G -addr "127.0.0.1:$P_SILENT"
t_by 0.3 t_out "a black hole, -connect-timeout 300ms" 2 \
	"timeout: failed to connect service \"127.0.0.1:$P_BLACKHOLE\" within 300ms" \
	$G -addr "127.0.0.1:$P_BLACKHOLE" -connect-timeout 300ms
t_by 1 t_out "an HTTP/1.1 server" 2 "timeout: failed to connect service \"127.0.0.1:$G_HTTP1\" within 1s" \
	$G -addr "127.0.0.1:$G_HTTP1"
t_run "an HTTP/1.1 server, -v says why" 2 \
	"connection attempt failed: not an HTTP/2 server: it answered \"HTTP/1.1 400 Bad Request\"" \
	$G -addr "127.0.0.1:$G_HTTP1" -v
t_by 1.5 t_out "SETTINGS, then nothing: the RPC times out" 3 \
	"timeout: health rpc did not complete within 500ms" \
	$G -addr "127.0.0.1:$G_STALL" -rpc-timeout 500ms
t_by 1.3 t_out "a slow service: -rpc-timeout" 3 "timeout: health rpc did not complete within 300ms" \
	$G -addr "$A" -service slow -rpc-timeout 300ms
t_out "a bad address" 2 "error: failed to connect service at \"nohost\": bad address" $G -addr nohost

# --- arguments: upstream's checks, exit 1 ------------------------------------------------------
t_out "-addr missing" 1 "error: -addr not specified" $G
t_out "-connect-timeout 0" 1 "error: -connect-timeout must be greater than zero (specified: 0s)" \
	$G -addr "$A" -connect-timeout 0
t_out "-rpc-timeout negative" 1 "error: -rpc-timeout must be greater than zero (specified: -1.5s)" \
	$G -addr "$A" -rpc-timeout -1.5s
t_out "a duration without a unit" 1 'error: invalid value "1" for flag -connect-timeout: parse error' \
	$G -addr "$A" -connect-timeout 1
t_out "a bad boolean" 1 'error: invalid boolean value "yes" for -tls: parse error' $G -addr "$A" -tls=yes
t_out "an unknown flag" 1 "error: flag provided but not defined: -gzip" $G -addr "$A" -gzip
t_out "a flag without its value" 1 "error: flag needs an argument: -service" $G -addr "$A" -service
t_out "-tls-no-verify without -tls" 1 "error: specified -tls-no-verify without specifying -tls" \
	$G -addr "$A" -tls-no-verify
t_out "-tls-ca-cert without -tls" 1 "error: specified -tls-ca-cert without specifying -tls" \
	$G -addr "$A" -tls-ca-cert "$CA"
t_out "-tls-client-cert without -tls" 1 "error: specified -tls-client-cert without specifying -tls" \
	$G -addr "$A" -tls-client-cert x -tls-client-key y
t_out "-tls-server-name without -tls" 1 "error: specified -tls-server-name without specifying -tls" \
	$G -addr "$A" -tls-server-name x
t_out "a client certificate without its key" 1 \
	"error: specified -tls-client-cert without specifying -tls-client-key" \
	$G -addr "$A" -tls -tls-client-cert x
t_out "a client key without its certificate" 1 \
	"error: specified -tls-client-key without specifying -tls-client-cert" \
	$G -addr "$A" -tls -tls-client-key y
t_out "-tls-ca-cert with -tls-no-verify" 1 \
	"error: cannot specify -tls-ca-cert with -tls-no-verify (CA cert would not be used)" \
	$G -addr "$A" -tls -tls-no-verify -tls-ca-cert "$CA"
t_out "-tls-server-name with -tls-no-verify" 1 \
	"error: cannot specify -tls-server-name with -tls-no-verify (server name would not be used)" \
	$G -addr "$A" -tls -tls-no-verify -tls-server-name x
t_out "flags end at the first argument" 1 "error: -addr not specified" $G extra -addr "$A"
t_run "--help" 0 "^usage: grpc_health_probe" $G --help
t_run "-help" 0 "^usage: grpc_health_probe" $G -help

# --- the shared options ------------------------------------------------------------------------
t_out "--exit-codes docker" 1 'service unhealthy (responded with "NOT_SERVING")' \
	$G -addr "$A" -service down --exit-codes docker
t_out "--quiet when SERVING" 0 "" $G -addr "$A" --quiet
t_out "--quiet when not" 4 'service unhealthy (responded with "NOT_SERVING")' $G -addr "$A" -service down --quiet
t_out "PROBEBOX_GRPC_HEALTH_PROBE_ADDR" 0 "status: SERVING" \
	env PROBEBOX_GRPC_HEALTH_PROBE_ADDR="$A" PROBEBOX_GRPC_HEALTH_PROBE_SERVICE=ok $G
J=$(timeout 20 $G -addr "$A" -service down --format json 2>/dev/null)
if printf '%s' "$J" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["checks"][0]
assert d["applet"] == "grpc_health_probe" and d["verdict"] == "UNHEALTHY" and d["exit_code"] == 4
assert c["type"] == "grpc" and c["success"] is False and "NOT_SERVING" in c["reason"]
assert c["record"]["grpc.status"] == "NOT_SERVING" and c["record"]["grpc.code"] == 0
'; then t_ok "--format json"; else t_fail "--format json" "$J"; fi
t_run "--format prometheus" 0 "^probe_success\{name=\"grpc_health_probe\",type=\"grpc\",target=\"$A\"\} 1" \
	$G -addr "$A" --format prometheus

# a unix socket has no port: its step is named by the path alone, and has no tcp step
printf -- '- {type: grpc, host: "%s"}\n' "$G_SOCK" > "$Y/unix.yaml"
t_out "conn-check grpc on a unix socket: its name" 0 "SKIPPED: grpc:$G_SOCK" $PROBEBOX conn-check --dry-run "$Y/unix.yaml"
t_out "conn-check grpc on a unix socket" 0 "grpc:$G_SOCK OK" $PROBEBOX conn-check "$Y/unix.yaml"

# --- conn-check type grpc -----------------------------------------------------------------------
CADIR=$Y/cas
mkdir -p "$CADIR" && cp "$CA" "$CADIR/test-ca.pem"
cat > "$Y/cc.yaml" <<YAML
- {type: grpc, host: 127.0.0.1, port: $G_PLAIN}
- {type: grpc, host: 127.0.0.1, port: $G_PLAIN, service: down}
- {type: grpc, host: 127.0.0.1, port: $G_NOHEALTH}
- {type: grpc, host: localhost, port: $G_TLS, use_tls: true}
- {type: grpc, host: localhost, port: $G_WRONG, use_tls: true}
- {type: grpc, host: localhost, port: $G_WRONG, use_tls: true, disable_tls_verification: true}
- {type: grpc, host: 127.0.0.1, port: $G_HTTP1, timeout: 1}
YAML
printf '%s\n' "grpc:127.0.0.1:$G_HTTP1 FAILED - not an HTTP/2 server: it answered \"HTTP/1.1 400 Bad Request\"
grpc:127.0.0.1:$G_NOHEALTH FAILED - rpc error: code = Unimplemented desc = Method not found!
grpc:127.0.0.1:$G_PLAIN FAILED - service unhealthy (responded with \"NOT_SERVING\")
tls:localhost:$G_WRONG FAILED - (localhost:$G_WRONG) certificate does not match the host name (it is for DNS:wrong.example)
grpc:127.0.0.1:$G_PLAIN OK
grpc:localhost:$G_TLS OK
grpc:localhost:$G_WRONG OK
tcp:127.0.0.1:$G_HTTP1 OK
tcp:127.0.0.1:$G_NOHEALTH OK
tcp:127.0.0.1:$G_PLAIN OK
tcp:127.0.0.1:$G_PLAIN OK
tcp:localhost:$G_TLS OK
tcp:localhost:$G_WRONG OK
tcp:localhost:$G_WRONG OK
tls:localhost:$G_TLS OK
tls:localhost:$G_WRONG OK
SKIPPED: grpc:localhost:$G_WRONG" | sort > "$Y/cc.want"
t_exec $PROBEBOX conn-check --tls-certs-path "$CADIR" "$Y/cc.yaml"
if [ "$T_RC" = 2 ] && [ "$(printf '%s\n' "$T_OUT" | sort)" = "$(cat "$Y/cc.want")" ]; then
	t_ok "conn-check grpc"
else
	t_fail "conn-check grpc" "exit $T_RC; got:
$T_OUT
want (in any order):
$(cat "$Y/cc.want")"
fi
cat > "$Y/names.yaml" <<YAML
- {type: grpc, host: db, port: 50051}
- {type: grpc, host: db, port: 50052, use_tls: true, service: a.B}
YAML
t_out "conn-check grpc step names" 0 "SKIPPED: grpc:db:50051
SKIPPED: grpc:db:50052
SKIPPED: tcp:db:50051
SKIPPED: tcp:db:50052
SKIPPED: tls:db:50052" $PROBEBOX conn-check --dry-run "$Y/names.yaml"
printf -- '- {type: grpc, host: db, port: 1, servce: x}\n' > "$Y/typo.yaml"
t_run "conn-check grpc: an unknown key" 0 "typo.yaml:1:.*unknown key 'servce' in a grpc check" \
	$PROBEBOX conn-check --dry-run "$Y/typo.yaml"
t_by 1 t_run "conn-check grpc: a silent server, timeout 1" 2 \
	"grpc:127.0.0.1:$P_SILENT FAILED - timeout after 1s while reading, waiting for the server's HTTP/2 SETTINGS" \
	sh -c "printf -- '- {type: grpc, host: 127.0.0.1, port: $P_SILENT, timeout: 1}\n' > $Y/silent.yaml &&
	       $PROBEBOX conn-check $Y/silent.yaml"

# --- chksrv grpc ----------------------------------------------------------------------------------
C="$PROBEBOX chksrv grpc -r 0"
t_run "chksrv grpc SERVING" 0 "^grpc.status == \"SERVING\" -> 'SERVING': True$" \
	$C -e 'grpc.status == "SERVING"' 127.0.0.1 "$G_PLAIN"
t_run "chksrv grpc record" 0 "^grpc.code: 0$" $C 127.0.0.1 "$G_PLAIN"
t_run "chksrv grpc NOT_SERVING" 1 "^error: service unhealthy \(responded with \"NOT_SERVING\"\)$" \
	$C -p service=down 127.0.0.1 "$G_PLAIN"
t_run "chksrv grpc NOT_FOUND: grpc.code" 0 "^grpc.code == 5 -> 5: True$" \
	sh -c "$C -p service=nope -e 'grpc.code == 5' 127.0.0.1 $G_PLAIN; test \$? = 1"
t_run "chksrv grpc TLS with a client certificate" 0 "^grpc.status: SERVING$" \
	$C -p use_tls=true -p ca_file="$CA" -p cert_file="$CERTS/client.crt" \
	-p key_file="$CERTS/client.key" localhost "$G_MTLS"
J=$(timeout 20 $C -p use_tls=true -p ca_file="$CA" --format json localhost "$G_TLS" 2>/dev/null)
if printf '%s' "$J" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)["checks"][0]["record"]
assert r["grpc.status"] == "SERVING" and r["ssl.con.alpn_protocol"] == "h2" and r["ssl.success"]
'; then t_ok "chksrv grpc --format json"; else t_fail "chksrv grpc --format json" "$J"; fi
t_run "chksrv grpc: a bad -p value" 3 "use_tls" $C -p use_tls=maybe 127.0.0.1 "$G_PLAIN"
rm -rf "$Y"
