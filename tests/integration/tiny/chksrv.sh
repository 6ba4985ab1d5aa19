# chksrv.sh - chksrv in the tiny build (TLS_NONE, no IPv6): tcp and plain http work, ssl and
# https fail with a clear error, ipv6=True is refused
. tests/lib.sh
. "$T_DIR/env"
C="$PROBEBOX chksrv"

t_run "tcp works" 0 "^tcp.success: True$" $C tcp -e tcp.success 127.0.0.1 "$P_FTP"
t_run "ipv6=prefer is IPv4 here" 0 "^tcp.ipv6: False$" $C tcp 127.0.0.1 "$P_FTP"
t_out "ipv6=True is a usage error" 3 "chksrv: -p ipv6=True: IPv6 is not supported by this build" \
	$C tcp -p ipv6=True 127.0.0.1 "$P_FTP"
t_run "plain http works" 0 "^http.resp.status == 200 -> 200: True$" \
	$C http -e "http.resp.status == 200" "http://127.0.0.1:$H_HTTP/health"
t_out "ssl is a usage error" 3 "chksrv: ssl: TLS is not supported by this build" \
	$C ssl localhost "$T_VALID"
t_out "https is a usage error" 3 "chksrv: https: TLS is not supported by this build" \
	$C http "https://localhost:$H_HTTPS/health"
