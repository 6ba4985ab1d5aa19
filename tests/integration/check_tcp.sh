# check_tcp.sh - check-tcp against the servers of servers.d/10-tcp.sh and 20-tls.sh,
# including upstream's check-tcp_test.go matrix (compat.md 3.4), hermetically.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
if ! "$P" --list | grep -qx check-tcp; then
	t_skip "check-tcp" "not in this build"
	return 0 2>/dev/null || exit 0
fi
CT="$P check-tcp"
GET='GET / HTTP/1.0\r\n\r\n'

# upstream matrix over 127.0.0.1, [::1] and the unix socket
for where in v4 v6 unix; do
	case $where in
	v4) A="-H 127.0.0.1 -p $P_OKOK" ON="on 127.0.0.1 port $P_OKOK" ;;
	v6) A="-H [::1] -p $P_OKOK" ON="on \[::1\] port $P_OKOK" ;;
	unix) A="-U $S_OKOK" ON="on \[HTTP/1.0 200 OK" ;;
	esac
	t_run "$where: expect OKOK is OK" 0 "^TCP OK: [0-9.]+ seconds response time $ON" $CT $A --send "$GET" -E -e OKOK
	t_run "$where: reply shown in brackets" 0 "\[HTTP/1.0 200 OK" $CT $A --send "$GET" -E -e OKOK
	t_run "$where: unexpected reply is CRITICAL" 2 "^TCP CRITICAL: Unexpected response from host/socket: HTTP/1.0 200 OK" \
		$CT $A --send "$GET" -E -e OKOKOK
	t_run "$where: unexpected reply with -W is WARNING" 1 "^TCP WARNING: Unexpected response from" \
		$CT $A --send "$GET" -E -e OKOKOK -W
	t_run "$where: -w 0.1 is WARNING (server waits 0.2 s)" 1 "^TCP WARNING: [0-9.]+ seconds response time" \
		$CT $A --send "$GET" -E -e OKOK -w 0.1
	t_run "$where: -c 0.1 is CRITICAL even with -W" 2 "^TCP CRITICAL: [0-9.]+ seconds response time" \
		$CT $A --send "$GET" -E -e OKOK -c 0.1 -W
	t_run "$where: --expect-closed on an open socket is CRITICAL" 2 "^TCP CRITICAL: Unexpectedly open" $CT $A -C
	t_run "$where: --expect-closed -W on an open socket is WARNING" 1 "^TCP WARNING: Unexpectedly open" $CT $A -C -W
done
t_out "expect-closed on a closed port" 0 "TCP OK: Verified that the port is closed. (port=$P_CLOSED)" \
	$CT -H 127.0.0.1 -p "$P_CLOSED" --expect-closed
t_out "expect-closed on a missing unix socket" 0 "TCP OK: Verified that the unixsock is closed. (sock=$T_DIR/none.sock)" \
	$CT -U "$T_DIR/none.sock" --expect-closed
t_out "open port message" 2 "TCP CRITICAL: Unexpectedly open port. (port=$P_FTP)" $CT -H 127.0.0.1 -p "$P_FTP" -C
t_out "open unix socket message" 2 "TCP CRITICAL: Unexpectedly open unixsock. (sock=$S_OKOK)" $CT -U "$S_OKOK" -C

# presets
t_run "GEARMAN preset (version\\n -> 1.11\\n, \\A...\\z)" 0 "^GEARMAN OK: .* port $P_GEARMAN \[1.11\]$" \
	$CT --service=gearman -H 127.0.0.1 -p "$P_GEARMAN"
t_run "FTP preset" 0 "^FTP OK: [0-9.]+ seconds response time on 127.0.0.1 port $P_FTP \[220 probebox FTP ready\]$" \
	$CT --service ftp -H 127.0.0.1 -p "$P_FTP"
t_run "POP preset" 0 "^POP OK: .*\[\+OK POP3 ready\]" $CT --service POP -H 127.0.0.1 -p "$P_POP"
t_run "IMAP preset" 0 "^IMAP OK: .*\[\* OK IMAP ready\]" $CT --service imap -H 127.0.0.1 -p "$P_IMAP"
t_run "FTP preset against an IMAP banner (no wait for the deadline)" 2 "^FTP CRITICAL: Unexpected response from host/socket: \* OK IMAP ready" \
	$CT --service ftp -H 127.0.0.1 -p "$P_IMAP"
t_run "SSMTP preset over TLS" 0 "^SSMTP OK: .*\[220 smtps ready\]" \
	$CT --service ssmtp -H localhost -p "$T_BANNER" --ca-file "$CERTS/ca.crt"
t_out "unknown service" 3 "FOO UNKNOWN: check-tcp called with unknown service: FOO" $CT --service foo -H 127.0.0.1 -p 1

# reading: split banners, limits, delays, deadlines
t_run "a banner split over two segments is read whole" 0 "\[220 first half\]" \
	$CT -H 127.0.0.1 -p "$P_SPLIT" -e 'half' -t 5
t_run "-m 5 stops reading after 5 bytes" 2 "Unexpected response from host/socket: 220 p$" \
	$CT -H 127.0.0.1 -p "$P_FTP" -e 'ready' -m 5
t_run "-m limits what is shown" 0 "\[220 p\]$" $CT -H 127.0.0.1 -p "$P_FTP" -e '^220' -m 5
t_run "--delay takes fractions of a second (at least the 0.3 s asked)" 0 "^TCP OK: (0\.[3-9]|[1-9])[0-9.]* seconds" \
	$CT -H 127.0.0.1 -p "$P_FTP" -e '^220' --delay 0.3
t_by 1 t_run "slow reply past -t is a read timeout" 2 "^TCP CRITICAL: read tcp 127.0.0.1:$P_SLOW: timeout after 1s while reading" \
	$CT -H 127.0.0.1 -p "$P_SLOW" -e 220 -t 1
t_by 1 t_run "silent server past -t" 2 "timeout after 1s while reading" $CT -H 127.0.0.1 -p "$P_SILENT" -e . -t 1
t_run "partial reply at the deadline is judged, not a timeout" 2 "Unexpected response from host/socket: 220 partial$" \
	$CT -H 127.0.0.1 -p "$P_PARTIAL" -e 'never' -t 1
t_by 1 t_run "black-holed port: connect timeout" 2 "^TCP CRITICAL: dial tcp 127.0.0.1:$P_BLACKHOLE: timeout after 1s while connecting" \
	$CT -H 127.0.0.1 -p "$P_BLACKHOLE" -t 1
t_by 0.5 t_run "black-holed port with -W" 1 "^TCP WARNING: .*timeout" $CT -H 127.0.0.1 -p "$P_BLACKHOLE" -t 0.5 -W
t_run "closed port: connection refused" 2 "^TCP CRITICAL: dial tcp 127.0.0.1:$P_CLOSED: connection refused$" \
	$CT -H 127.0.0.1 -p "$P_CLOSED"
# the reset may come before the connection is ready: dial or read, as in Go
t_run "reset by peer while reading" 2 "^TCP CRITICAL: (read|dial) tcp .*(reset|Unexpected)" $CT -H 127.0.0.1 -p "$P_RESET" -e x
t_run "plain connect, no send" 0 "^TCP OK: [0-9.]+ seconds response time on 127.0.0.1 port $P_FTP$" \
	$CT -H 127.0.0.1 -p "$P_FTP"

# address families
t_run "localhost tries each address (server on 127.0.0.1 only)" 0 "^TCP OK" $CT -H localhost -p "$P_FTP"
t_run "-6 against a v4-only server" 2 "^TCP CRITICAL: .*connection refused" $CT -6 -H ::1 -p "$P_FTP"
t_run "-4 with an IPv6 literal" 2 "is not an IPv4 address" $CT -4 -H '[::1]' -p "$P_OKOK"
t_run "-6 with [::1]" 0 "^TCP OK" $CT -6 -H '[::1]' -p "$P_OKOK" -s "$GET" -E -e OKOK
# (names, resolvers and dual-stack black holes: tests/integration/resolve.sh)

# TLS (-S): verification on by default, each failure named
CA="--ca-file $CERTS/ca.crt"
for v in T_VALID T_VALID12 T_VALID13 T_RSA12 T_RSA13; do
	eval "port=\$$v"
	case $v in
	*13) if [ "${T_TLS13:-1}" = 0 ]; then	# a TLS-1.2-only build against a TLS-1.3-only server
		t_run "TLS $v: no common version is a clean handshake failure" 2 \
			"^TCP CRITICAL: dial tcp localhost:$port: TLS handshake failed: .+" $CT -S -H localhost -p "$port" $CA
		continue
	fi ;;
	esac
	t_run "TLS $v verified" 0 "^TCP OK: [0-9.]+ seconds response time on localhost port $port$" $CT -S -H localhost -p "$port" $CA
done
t_run "TLS by IP address (IP SAN)" 0 "^TCP OK" $CT -S -H 127.0.0.1 -p "$T_VALID" $CA
t_run "TLS by IP address not in the SANs" 2 "^TCP CRITICAL: TLS: certificate does not match the host name \(it is for DNS:wrong.example\)$" \
	$CT -S -H 127.0.0.1 -p "$T_WRONGHOST" $CA
t_run "TLS RSA chain by IP address" 0 "^TCP OK" $CT -S -H 127.0.0.1 -p "$T_RSA12" $CA
t_run "TLS exchange over -S" 0 "\[HTTP/1.0 200 ok" $CT -S -H localhost -p "$T_VALID" $CA -s "$GET" -E -e '^HTTP/1.0 200'
t_run "TLS expired" 2 "^TCP CRITICAL: TLS: certificate has expired [0-9]+ days ago$" $CT -S -H localhost -p "$T_EXPIRED" $CA
t_run "TLS not yet valid" 2 "^TCP CRITICAL: TLS: certificate is not valid for another [0-9]+ days$" $CT -S -H localhost -p "$T_FUTURE" $CA
t_run "TLS wrong host" 2 "^TCP CRITICAL: TLS: certificate does not match the host name \(it is for DNS:wrong.example\)$" \
	$CT -S -H localhost -p "$T_WRONGHOST" $CA
t_run "TLS self-signed" 2 "^TCP CRITICAL: TLS: certificate is not trusted" $CT -S -H localhost -p "$T_SELFSIGNED" $CA
t_run "TLS untrusted with the system store" 2 "^TCP CRITICAL: TLS: certificate is not trusted" $CT -S -H localhost -p "$T_VALID"
t_run "SSL_CERT_FILE names the store" 0 "^TCP OK" env SSL_CERT_FILE="$CERTS/ca.crt" $CT -S -H localhost -p "$T_VALID"
t_run "SSL_CERT_DIR names a directory store" 0 "^TCP OK" env -u SSL_CERT_FILE SSL_CERT_DIR="$CERTS" $CT -S -H localhost -p "$T_VALID"
t_run "a CA file without certificates is a usage error" 3 "no usable certificate in CA file" \
	$CT -S -H localhost -p "$T_VALID" --ca-file "$CERTS/ca.key"
t_run "TLS exchange with a request over two records' worth" 0 "\[HTTP/1.0 200 ok" \
	$CT -S -H localhost -p "$T_VALID" $CA -s "GET / HTTP/1.0\r\nX-Pad: $(printf '%020000d' 0)\r\n\r\n" -E -e '^HTTP/1.0 200'
t_run "--no-check-certificate accepts expired" 0 "^TCP OK" $CT -S -H localhost -p "$T_EXPIRED" --no-check-certificate
t_run "--no-check-certificate accepts self-signed" 0 "^TCP OK" $CT -S -H localhost -p "$T_SELFSIGNED" --no-check-certificate
t_run "TLS -W makes a bad certificate WARNING" 1 "^TCP WARNING: TLS: certificate has expired" $CT -S -H localhost -p "$T_EXPIRED" $CA -W
t_run "TLS against a plain-text server" 2 "^TCP CRITICAL: dial tcp 127.0.0.1:$P_FTP: TLS handshake failed: not a TLS server" \
	$CT -S -H 127.0.0.1 -p "$P_FTP" $CA -t 3
t_by 1 t_run "TLS handshake against a silent server times out" 2 "timeout after 1s in TLS handshake" \
	$CT -S -H 127.0.0.1 -p "$P_SILENT" $CA -t 1
t_run "unreadable CA file is a usage error" 3 "cannot read CA file" $CT -S -H localhost -p "$T_VALID" --ca-file /nonexistent

# status remapping, options, usage
t_run "--status-as critical=ok" 0 "^TCP OK: dial tcp .*connection refused" $CT -H 127.0.0.1 -p "$P_CLOSED" --status-as critical=ok
t_run "--status-as OK=WARNING,warning=ok" 1 "^TCP WARNING: " $CT -H 127.0.0.1 -p "$P_FTP" --status-as OK=WARNING,warning=ok
t_run "--status-as with a bad status" 3 "invalid status map" $CT -H 127.0.0.1 -p "$P_FTP" --status-as ok=fine
t_run "--status-as with a duplicate" 3 "given twice" $CT -H 127.0.0.1 -p "$P_FTP" --status-as ok=warning,ok=critical
t_out "--no-restime-success-msg" 0 "TCP OK: Response time faster than 5 seconds on 127.0.0.1 port $P_FTP" \
	$CT -H 127.0.0.1 -p "$P_FTP" -w 5 --no-restime-success-msg
t_run "bad regexp is UNKNOWN" 3 "^TCP UNKNOWN: error parsing regexp: missing closing \\): .\\(unclosed.$" $CT -H 127.0.0.1 -p "$P_FTP" -e '(unclosed'
t_run "unsupported RE2 escape is UNKNOWN" 3 "^TCP UNKNOWN: error parsing regexp: invalid escape sequence: .\\\\p.$" $CT -H 127.0.0.1 -p "$P_FTP" -e '\pL'
t_run "\\b is a word boundary" 0 "^TCP OK" $CT -H 127.0.0.1 -p "$P_FTP" -e '\bFTP\b'
t_run "\\b not inside a word" 2 "^TCP CRITICAL" $CT -H 127.0.0.1 -p "$P_FTP" -e '\bTP\b'
t_run "unknown option" 3 "unknown option '--bogus'" $CT --bogus
t_run "missing option argument" 3 "needs an argument" $CT -H
t_run "bad port" 3 "invalid port 'http'" $CT -H 127.0.0.1 -p http
t_run "bad timeout" 3 "invalid timeout" $CT -H 127.0.0.1 -p 1 -t soon
t_run "stray argument" 3 "unexpected argument 'extra'" $CT -H 127.0.0.1 -p 1 extra
t_run "--help" 0 "^usage: check-tcp" $CT --help
t_run "long options with =" 0 "^TCP OK" $CT --hostname=127.0.0.1 --port="$P_FTP" --expect-pattern='^220'
t_run "-E unescapes send: \\\\n \\\\t kept apart" 0 "\[1.11\]" $CT -H 127.0.0.1 -p "$P_GEARMAN" -s 'version\n' -E -e '^1'
