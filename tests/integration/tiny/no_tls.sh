# no_tls.sh - the tiny build (TLS_NONE, no IPv6): plain checks work, TLS fails clearly
. tests/lib.sh
. "$T_DIR/env"
CT="$PROBEBOX check-tcp"

t_run "--version names no TLS" 0 "^probebox [0-9.]+ \(TLS: none" $PROBEBOX --version
# applets default to y: the defconfig names each one, so a new applet does not slip in
t_out "tiny is check-tcp and check-http only" 0 "check-http
check-tcp" $PROBEBOX --list
t_run "plain TCP check" 0 "^TCP OK: [0-9.]+ seconds response time on 127.0.0.1 port $P_FTP \[220 probebox FTP ready\]$" \
	$CT -H 127.0.0.1 -p "$P_FTP" -e '^220'
t_out "-S is a usage error" 3 "check-tcp: -S: TLS is not supported by this build" \
	$CT -S -H localhost -p "$T_VALID"
t_run "a TLS preset is a usage error" 3 "TLS is not supported by this build" \
	$CT --service ssmtp -H localhost -p "$T_BANNER"
t_run "unix socket" 0 "^TCP OK" $CT -U "$S_OKOK" -s 'GET / HTTP/1.0\r\n\r\n' -E -e OKOK
