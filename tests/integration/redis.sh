# redis.sh - the redis probe through conn-check and chksrv, against real redis-servers
# (requirepass, ACL users with and without INFO, no auth; tests/servers.d/60-redis.sh) and
# scripted peers: a silent one, one that closes mid-reply, lying lengths, other protocols.
. tests/lib.sh
. "$T_DIR/env"
CC="$PROBEBOX conn-check"
C="$PROBEBOX chksrv"
Y=$T_DIR/redis.$$
mkdir -p "$Y"
H=127.0.0.1
PW='Kx9 vQ2!m'

rcheck() {	# FILE PORT [KEY: VALUE]...: a redis check of H:PORT with those keys
	_f=$Y/$1 _p=$2
	shift 2
	{ echo "- type: redis"; echo "  host: $H"; echo "  port: $_p"; echo "  timeout: 1"
	  for _kv; do echo "  $_kv"; done; } > "$_f"
}

# --- real servers ---------------------------------------------------------------------------
rcheck plain.yaml "$R_PLAIN"
t_out "no auth" 0 "redis:$H:$R_PLAIN:connect OK
redis:$H:$R_PLAIN:tcp:$H:$R_PLAIN OK" $CC "$Y/plain.yaml"
rcheck pw.yaml "$R_AUTH" "password: \"$PW\""
t_out "requirepass, right password (with a space)" 0 "redis:$H:$R_AUTH:connect with auth OK
redis:$H:$R_AUTH:tcp:$H:$R_AUTH OK" $CC "$Y/pw.yaml"
rcheck wrong.yaml "$R_AUTH" "password: wrong-Ux3"
t_out "requirepass, wrong password" 2 "redis:$H:$R_AUTH:connect with auth FAILED - AUTH: WRONGPASS invalid username-password pair or user is disabled.
redis:$H:$R_AUTH:tcp:$H:$R_AUTH OK" $CC "$Y/wrong.yaml"
rcheck nopw.yaml "$R_AUTH"
t_out "requirepass, no password" 2 "redis:$H:$R_AUTH:connect FAILED - PING: NOAUTH Authentication required.
redis:$H:$R_AUTH:tcp:$H:$R_AUTH OK" $CC "$Y/nopw.yaml"
rcheck acl.yaml "$R_AUTH" "username: full" "password: Hq2mXc" "database: 15"
t_out "ACL user and password, database 15" 0 "redis:$H:$R_AUTH:connect with auth OK
redis:$H:$R_AUTH:tcp:$H:$R_AUTH OK" $CC "$Y/acl.yaml"
rcheck aclwrong.yaml "$R_AUTH" "username: full" "password: Jr5wTn"
t_run "ACL user, another user's password" 2 "connect with auth FAILED - AUTH: WRONGPASS " $CC "$Y/aclwrong.yaml"
rcheck noinfo.yaml "$R_AUTH" "username: probe" "password: Jr5wTn" "database: 3"
t_run "ACL user without INFO is up" 0 "connect with auth OK" $CC "$Y/noinfo.yaml"
rcheck nopass.yaml "$R_AUTH" "username: nopw"
t_run "ACL user without a password (nopass)" 0 "^redis:$H:$R_AUTH:connect OK" $CC "$Y/nopass.yaml"
rcheck db16.yaml "$R_PLAIN" "database: 16"
t_run "database out of range" 2 "connect FAILED - SELECT: ERR DB index is out of range$" $CC "$Y/db16.yaml"
rcheck dbneg.yaml "$R_PLAIN" "database: -1"
t_run "negative database is a config error" 3 "dbneg.yaml:5:13: database: expected a number from 0 to" \
	$CC "$Y/dbneg.yaml"
rcheck noport.yaml "$R_PLAIN"
sed -i '/port:/d' "$Y/noport.yaml"
t_run "port is required" 3 "noport.yaml:1:3: port missing" $CC "$Y/noport.yaml"
rcheck refused.yaml "$P_CLOSED"
t_out "connection refused: connect skipped" 2 "redis:$H:$P_CLOSED:tcp:$H:$P_CLOSED FAILED - ($H:$P_CLOSED) connection refused
SKIPPED: redis:$H:$P_CLOSED:connect" $CC "$Y/refused.yaml"
t_out "dry run" 0 "SKIPPED: redis:$H:$R_AUTH:connect with auth
SKIPPED: redis:$H:$R_AUTH:tcp:$H:$R_AUTH" $CC --dry-run "$Y/pw.yaml"

# --- secrets from the environment and files; never shown --------------------------------------
rcheck env.yaml "$R_AUTH" "password_env: T_REDIS_PW"
t_run "password_env" 0 "connect with auth OK" env T_REDIS_PW="$PW" $CC "$Y/env.yaml"
t_run "password_env not set: config error at its place" 3 \
	"env.yaml:5:17: password_env: the environment variable T_REDIS_PW is not set" $CC "$Y/env.yaml"
printf '%s\n' "$PW" > "$Y/pwfile"
rcheck file.yaml "$R_AUTH" "password_file: $Y/pwfile"
t_run "password_file (trailing newline dropped)" 0 "connect with auth OK" $CC "$Y/file.yaml"
rcheck nofile.yaml "$R_AUTH" "password_file: $Y/none"
t_run "password_file missing: config error at its place" 3 "nofile.yaml:5:18: password_file: cannot read" \
	$CC "$Y/nofile.yaml"
for mode in "" -v -t "-v -t" "--format json"; do
	t_hides "right password never shown ($mode)" 0 "" "$PW" $CC $mode "$Y/pw.yaml"
	t_hides "wrong password never shown ($mode)" 2 "" wrong-Ux3 $CC $mode "$Y/wrong.yaml"
	t_hides "a password from a file never shown ($mode)" 0 "" "$PW" $CC $mode "$Y/file.yaml"
done
# a server that quotes AUTH's arguments back: only the error's code is shown
rcheck echo.yaml "$R_ECHOAUTH" "password: sekrit-pw"
t_hides "an error that quotes the password" 2 "connect with auth FAILED - AUTH: ERR$" sekrit-pw \
	$CC -v -t "$Y/echo.yaml"
t_hides "an error that quotes the password (chksrv)" 1 "error: AUTH: ERR$" sekrit-pw \
	$C redis -r 0 -v -p password=sekrit-pw -p timeout=1 "$H" "$R_ECHOAUTH"

# --- peers that are not well-behaved redis servers: each verdict within the deadline --------------
peer() {	# NAME PORT REASON-REGEX
	rcheck peer.yaml "$2"
	t_by 1 t_run "$1" 2 "^redis:$H:$2:connect FAILED - $3" $CC "$Y/peer.yaml"
}
peer "silent server" "$P_SILENT" "PING: timeout after 1s while reading$"
peer "lying bulk length" "$R_LYING" "INFO: a reply too long$"
peer "bulk cut short" "$R_SHORT" "INFO: connection closed by the server$"
peer "loading" "$R_LOADING" "PING: LOADING Redis is loading the dataset in memory$"
peer "master down" "$R_MASTERDOWN" "PING: MASTERDOWN Link with MASTER is down"
peer "an array reply" "$R_ARRAY" "PING: an array reply$"
peer "closed mid-reply" "$R_CLOSEMID" "PING: connection closed by the server$"
peer "reset while the reply is awaited" "$P_RESETREAD" "PING: "
peer "a line without an end" "$R_LONGLINE" "PING: a reply too long$"
peer "an FTP banner" "$P_FTP" "not a redis server: 220 probebox FTP ready$"
peer "an HTTP server" "$H_HTTP" "not a redis server: HTTP/1.1 400 Bad Request$"

# --- chksrv ---------------------------------------------------------------------------------
t_run "chksrv: role master" 0 "redis.role == \"master\" -> 'master': True" \
	$C redis -p "password=$PW" -e 'redis.role == "master"' "$H" "$R_AUTH"
t_run "chksrv: version recorded" 0 "^redis.version: [0-9]+\.[0-9]+" $C redis "$H" "$R_PLAIN"
t_run "chksrv: an old server's INFO" 0 "redis.role == \"slave\" -> 'slave': True" \
	$C redis -e 'redis.role == "slave"' -e 'redis.version == "2.8.4"' "$H" "$R_OLDINFO"
t_run "chksrv: expectation fails" 1 "False" $C redis -r 0 -e 'redis.role == "slave"' "$H" "$R_PLAIN"
t_run "chksrv: wrong password" 1 "error: AUTH: WRONGPASS" $C redis -r 0 -p password=wrong-Ux3 "$H" "$R_AUTH"
t_run "chksrv: username and password_env" 0 "success: True" env T_REDIS_PW=Hq2mXc \
	$C redis -p username=full -p password_env=T_REDIS_PW -p database=2 "$H" "$R_AUTH"
t_run "chksrv: password_env not set" 3 "password_env: the environment variable T_NOPE is not set" \
	$C redis -p password_env=T_NOPE "$H" "$R_AUTH"
t_by 1 t_run "chksrv: silent server" 1 "error: PING: timeout after 1s while reading" \
	$C redis -r 0 -p timeout=1 "$H" "$P_SILENT"
t_exec $C redis --format json -p "password=$PW" -p username=default "$H" "$R_AUTH"
printf '%s' "$T_OUT" > "$Y/out.json"
if /usr/bin/python3 - "$Y/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d['checks'][0]['record'] if 'checks' in d else d['record']
assert d['verdict'] == 'OK', d
assert r['redis.role'] == 'master' and r['redis.mode'] == 'standalone', r
assert r['redis.version'], r
PY
then t_ok "chksrv --format json: record"; else t_fail "chksrv --format json: record" "$T_OUT"; fi
t_exec $C redis --format json -p username=probe -p password=Jr5wTn "$H" "$R_AUTH"
case $T_OUT in
*'"success": true'*redis.role*) t_fail "chksrv: a user without INFO records no role" "$T_OUT" ;;
*'"success": true'*) t_ok "chksrv: a user without INFO records no role" ;;
*) t_fail "chksrv: a user without INFO records no role" "$T_OUT" ;;
esac
for mode in "" -v "--format json" "--format prometheus"; do
	t_hides "chksrv: password never shown ($mode)" 0 "" "$PW" $C redis $mode -p "password=$PW" "$H" "$R_AUTH"
	t_hides "chksrv: wrong password never shown ($mode)" 1 "" wrong-Ux3 $C redis -r 0 $mode -p password=wrong-Ux3 "$H" "$R_AUTH"
done
