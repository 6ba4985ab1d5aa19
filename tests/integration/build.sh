# build.sh - the build system: defconfigs, a stripped binary, install, applets alone (release variant only)
. tests/lib.sh
. "$T_DIR/env"
# the release build of the default configuration only: the other variants are the same tree
[ "$PROBEBOX" = "$PWD/build/probebox" ] || return 0

t_run "every defconfig names real symbols and every applet" 0 "" /usr/bin/python3 scripts/check_defconfigs.py Kconfig configs/*defconfig
t_run "release binary is stripped" 0 "" sh -c "! readelf -S '$PROBEBOX' | grep -q '\.symtab'"
DEST=$T_DIR/dest
t_run "make install DESTDIR PREFIX" 0 "" make -s install DESTDIR="$DEST" PREFIX=/opt/pb
t_run "installed binary runs" 0 "^check-tcp$" "$DEST/opt/pb/bin/probebox" --list
t_run "installed applet link" 0 "^usage: check-tcp" "$DEST/opt/pb/bin/check-tcp" --help
t_run "applet help comes from Kconfig" 0 "" sh -c "grep -q 'Preset: FTP POP SPOP' build/gen/usage.h"
# every applet builds and links alone (with only what it selects), without TLS and with each
# backend, and with all the others but itself; each Kconfig prompt's "(+N kB)" is within a
# third of what the applet really adds (scripts/bloat.sh)
T_LIMIT=900 t_exec sh scripts/bloat.sh
if [ "$T_RC" = 0 ]; then
	t_ok "every applet links alone, without TLS, with mbedTLS and with BearSSL"
else
	t_fail "every applet links alone, without TLS, with mbedTLS and with BearSSL" "rc=$T_RC
$T_OUT"
fi
if [ "$T_RC" = 0 ] && ! printf '%s\n' "$T_OUT" | grep -q 'prompt says'; then
	t_ok "Kconfig size prompts are honest"
else
	t_fail "Kconfig size prompts are honest" "rc=$T_RC
$T_OUT"
fi
# each single-applet binary has that applet only, and the backend it was built with
for sym in $(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.applets); do
	a=$(echo "$sym" | tr A-Z_ a-z-) want=
	# grpc_health_probe keeps upstream's underscores
	[ "$sym" = GRPC_HEALTH_PROBE ] && a=grpc_health_probe
	# conn-check-export-fw depends on conn-check, so it comes with it
	[ "$sym" = CONN_CHECK_EXPORT_FW ] && want="conn-check
"
	if [ "$sym" = SUPERVISOR_CHECKS ]; then	# one symbol, upstream's seven console scripts
		t_out "$sym alone lists its seven listeners only" 0 "supervisor_complex_check
supervisor_cpu_check
supervisor_file_check
supervisor_http_check
supervisor_memory_check
supervisor_tcp_check
supervisor_xmlrpc_check" "build/bloat-$sym/probebox" --list
	else
		t_out "$a alone lists $a only" 0 "$want$a" "build/bloat-$sym/probebox" --list
	fi
	t_run "$a alone with mbedTLS" 0 "^probebox [0-9.]+ \(TLS: mbedTLS 3\.6\." "build/bloat-${sym}_MBEDTLS/probebox" --version
	t_run "$a alone with BearSSL" 0 "^probebox [0-9.]+ \(TLS: BearSSL " "build/bloat-${sym}_BEARSSL/probebox" --version
done
# a type of upstream's that a build leaves out is told apart from a wrong name
printf -- '- {type: redis, host: a, port: 1}\n' > "$T_DIR/notbuilt.yaml"
t_run "conn-check alone: a left-out service type" 3 \
	"notbuilt.yaml:1:10: check type 'redis' is not supported by this build$" \
	build/bloat-CONN_CHECK/probebox conn-check "$T_DIR/notbuilt.yaml"
# chksrv without TLS, in its alone build (tiny has no chksrv): ssl and https are usage
# errors, tcp and plain http work
C="build/bloat-CHKSRV/probebox chksrv"
t_run "chksrv without TLS: tcp works" 0 "^tcp.success: True$" $C tcp -e tcp.success 127.0.0.1 "$P_FTP"
t_run "chksrv without TLS: plain http works" 0 "^http.resp.status == 200 -> 200: True$" \
	$C http -e "http.resp.status == 200" "http://127.0.0.1:$H_HTTP/health"
t_out "chksrv without TLS: ssl is a usage error" 3 "chksrv: ssl: TLS is not supported by this build" \
	$C ssl localhost "$T_VALID"
t_out "chksrv without TLS: https is a usage error" 3 "chksrv: https: TLS is not supported by this build" \
	$C http "https://localhost:$H_HTTPS/health"
