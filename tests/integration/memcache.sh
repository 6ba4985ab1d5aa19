# memcache.sh - the memcache probe (alias memcached) through conn-check and chksrv, against a
# real memcached (tests/servers.d/60-redis.sh) and scripted peers that are not one.
. tests/lib.sh
. "$T_DIR/env"
CC="$PROBEBOX conn-check"
C="$PROBEBOX chksrv"
Y=$T_DIR/memcache.$$
mkdir -p "$Y"
H=127.0.0.1

mcheck() {	# TYPE PORT [KEY: VALUE]...
	_t=$1 _p=$2
	shift 2
	{ echo "- type: $_t"; echo "  host: $H"; echo "  port: $_p"; echo "  timeout: 1"
	  for _kv; do echo "  $_kv"; done; } > "$Y/m.yaml"
}

mcheck memcache "$M_MEMCACHED"
t_out "memcached" 0 "memcache:$H:$M_MEMCACHED:connect OK
memcache:$H:$M_MEMCACHED:tcp:$H:$M_MEMCACHED OK" $CC "$Y/m.yaml"
mcheck memcached "$M_MEMCACHED"
t_run "alias memcached" 0 "^memcache:$H:$M_MEMCACHED:connect OK" $CC "$Y/m.yaml"
mcheck memcache "$M_MEMCACHED" "password: Wm4-ignored"
t_hides "a password is accepted and ignored, never shown" 0 "connect" Wm4-ignored $CC -v "$Y/m.yaml"
t_out "a password does not name the step 'with auth'" 0 "SKIPPED: memcache:$H:$M_MEMCACHED:connect
SKIPPED: memcache:$H:$M_MEMCACHED:tcp:$H:$M_MEMCACHED" $CC --dry-run "$Y/m.yaml"
mcheck memcache "$M_MEMCACHED"
sed -i '/port:/d' "$Y/m.yaml"
t_run "port is required" 3 "m.yaml:1:3: port missing" $CC "$Y/m.yaml"

peer() {	# NAME PORT REASON-REGEX
	mcheck memcache "$2"
	t_by 1 t_run "$1" 2 "^memcache:$H:$2:connect FAILED - $3" $CC "$Y/m.yaml"
}
peer "silent server" "$P_SILENT" "version: timeout after 1s while reading$"
peer "a redis server" "$R_PLAIN" "not a memcached server: -ERR unknown command 'version'"
peer "an FTP banner" "$P_FTP" "not a memcached server: 220 probebox FTP ready$"
peer "an HTTP server" "$H_HTTP" "not a memcached server: HTTP/1.1 400 Bad Request$"
peer "a VERSION without one" "$M_ODD" "not a memcached server: VERSION$"
peer "SERVER_ERROR" "$M_ERROR" "version: SERVER_ERROR out of memory$"
peer "closed mid-reply" "$M_CLOSEMID" "version: connection closed mid-reply$"
peer "closed at once" "$R_CLOSEMID" "version: "
peer "reset while the reply is awaited" "$P_RESETREAD" "version: "

t_run "chksrv memcached: version" 0 "^memcached.version: [0-9]+\.[0-9]+" \
	$C memcached -e 'memcached.version != ""' "$H" "$M_MEMCACHED"
t_exec $C memcache --format json "$H" "$M_MEMCACHED"
case $T_OUT in
*'"memcached.version": "'[0-9]*) t_ok "chksrv --format json" ;;
*) t_fail "chksrv --format json" "$T_OUT" ;;
esac
t_by 1 t_run "chksrv: silent server" 1 "error: version: timeout after 1s while reading" \
	$C memcache -r 0 -p timeout=1 "$H" "$P_SILENT"
