# zoo.sh - every applet and every probe against the hostile servers of tests/zoo/zoo.py (one
# port per misbehaviour, tests/servers.d/80-zoo.sh). Each case asserts the verdict (the exit
# status and the reason, in the applet's words), that the process ended by its 1 s timeout
# + 1.5 s (measured) and that its peak RSS stayed under 32 MB (ru_maxrss; an ASan build's
# shadow memory is counted too, so there the bound is 160 MB); the cases whose server sends
# terminal escapes also assert that no ESC or BEL byte reached the output.
# Every case runs on the release and ASan builds of the default configuration; the BearSSL
# builds run the TLS cases (their backend is what differs); the tiny build runs the
# check-tcp and check-http cases (tests/integration/tiny/zoo.sh).
. tests/lib.sh
. "$T_DIR/env"
_i=0
while [ ! -s "$ZOO_PORTS" ] && [ $_i -lt 600 ]; do sleep 0.05; _i=$((_i + 1)); done
if [ ! -s "$ZOO_PORTS" ]; then
	t_fail "the zoo" "tests/zoo/zoo.py did not start: $(cat "$T_DIR/zoo.log")"
	return 0 2>/dev/null || exit 0
fi
. "$ZOO_PORTS"
. tests/zoo/lib.sh
# the whole zoo, or only the TLS cases (BearSSL), or only check-tcp and check-http (tiny)
ZOO=${ZOO:-all}
case $P in */bearssl/*) ZOO=tls ;; esac
H=127.0.0.1
ccu() {	# URL: a conn-check http check
	printf -- '- {type: http, url: "%s", timeout: 1}\n' "$1" > "$Y/http.yaml.$2"
	echo "$Y/http.yaml.$2"
}
port() { eval "echo \$Z_$1"; }
# each behaviour meets every applet of its protocol in turn, ZOO_EVERY=1: all of them
n=0
turn() {	# K M: the current case's turn, out of M, is K
	[ "${ZOO_EVERY:-}" = 1 ] || [ $((n % $2)) = "$1" ]
}

# --- HTTP: check-http, chksrv http, conn-check http ----------------------------------------
# behaviour:reason (an ERE the output of each of the three must hold)
HTTP_CASES='silent:timeout after 1s while reading
drip:timeout after 1s while reading
http_drip:timeout after 1s while reading
reset:connection reset by peer
reset_late:connection reset by peer
garbage:malformed status line
nul:timeout after 1s while reading
flood:status line too long
http_mid_status:connection closed in the status line
http_mid_headers:connection closed in the headers
http_mid_body:connection closed in the body \(3 of 100 bytes\)
http_endless_headers:too many headers
http_long_status:status line too long
http_chunk_negative:malformed chunk size "-5"
http_chunk_huge:chunk too large
http_chunk_malformed:malformed chunk size "zz"
http_cl_conflict:invalid Content-Length
http_cl_dup_short:connection closed in the body \(2 of 9 bytes\)
http_cl_negative:invalid Content-Length
http_status_2000:malformed status code
http_status_abc:malformed status code
http_status_099:malformed status code
http_version_bad:malformed status line
xmlrpc_lying_length:timeout after 1s while reading'
if [ "$ZOO" != tls ]; then
	while IFS=: read -r b why; do
		p=$(port "$b")
		u=http://$H:$p/
		n=$((n + 1))
		has check-http && z "check-http: $b" 2 "^HTTP CRITICAL: .*$why" $P check-http -u "$u" -t 1
		[ "$ZOO" = all ] || continue
		has chksrv && turn 0 2 && z "chksrv http: $b" 1 "^error: .*$why" $P chksrv http -r 0 --timeout 1 "$u"
		has conn-check && turn 1 2 && z "conn-check http: $b" 2 "^http:$u: FAILED - .*$why" $P conn-check "$(ccu "$u" "$b")"
	done <<EOF
$HTTP_CASES
EOF
	# bodies without end: read up to their cap, memory bounded, and the verdict is the status
	for b in http_4g http_chunked_endless xmlrpc_huge xmlrpc_deep; do
		u=http://$H:$(port "$b")/
		n=$((n + 1))
		has check-http && z "check-http: $b, read up to --max-body" 0 "^HTTP OK: HTTP/1.1 200 OK" \
			$P check-http -u "$u" -t 1 --max-body 65536
		[ "$ZOO" = all ] || continue
		has chksrv && turn 0 2 && z "chksrv http: $b" 0 "^http.resp.status: 200$" $P chksrv http -r 0 --timeout 1 "$u"
		has conn-check && turn 1 2 && z "conn-check http: $b" 0 "^http:$u: OK" $P conn-check "$(ccu "$u" "$b")"
	done
	# the last 3xx, after --max-redirects of them (upstream's: not an error)
	has check-http && z "check-http: a redirect loop" 0 "^HTTP OK: HTTP/1.1 302 Found" \
		$P check-http -u "http://$H:$Z_http_redirect_loop/" -t 1 --max-redirects 10
	has check-http && zesc "check-http: escapes in the status line" 2 "^HTTP CRITICAL: HTTP/1.1 500 " \
		$P check-http -u "http://$H:$Z_esc_http/" -t 1
	has check-http && zesc "check-http: escapes in a status line that does not parse" 2 \
		"^HTTP CRITICAL: .*malformed status code" $P check-http -u "http://$H:$Z_esc_status/" -t 1
	has chksrv && zesc "chksrv http: escapes in a status line that does not parse" 1 \
		"^error: .*malformed status code" $P chksrv http -r 0 --timeout 1 "http://$H:$Z_esc_status/"
	has conn-check && zesc "conn-check http: escapes in a status line that does not parse" 2 \
		"FAILED - .*malformed status code" $P conn-check "$(ccu "http://$H:$Z_esc_status/" esc)"
	has check-http && z "check-http: a NUL in a header" 0 "^HTTP OK" $P check-http -u "http://$H:$Z_http_nul_header/" -t 1
fi

# --- check-tcp, and the lines probe ---------------------------------------------------------
if [ "$ZOO" != tls ] && has check-tcp; then
	for c in "silent:timeout after 1s while reading" "drip:Unexpected response" "garbage:Unexpected response" \
		"nul:Unexpected response" "flood:Unexpected response" "reset_late:timeout after 1s|connection reset" \
		"closed:Unexpected response"; do
		b=${c%%:*}
		z "check-tcp -e: $b" 2 "^TCP CRITICAL: .*(${c#*:})" $P check-tcp -H $H -p "$(port "$b")" -e '^220 ' -t 1
	done
	z "check-tcp -s: reset" 2 "^TCP CRITICAL: .*(connection reset|broken pipe)" \
		$P check-tcp -H $H -p "$Z_reset" -s 'HELO\n' -E -e '^250' -t 1
	zesc "check-tcp: escapes in the banner" 2 "^TCP CRITICAL: Unexpected response from host/socket: 554 " \
		$P check-tcp -H $H -p "$Z_esc_greeting" -e '^220 ' -t 1
fi
if [ "$ZOO" = all ] && has conn-check; then
	for c in "silent:timeout after 1s while reading" "drip:unexpected reply" "garbage:unexpected reply" \
		"flood:unexpected reply" "nul:unexpected reply" "esc_greeting:unexpected reply"; do
		b=${c%%:*}
		zesc "conn-check lines: $b" 2 "^lines:$H:$(port "$b") FAILED - .*${c#*:}" \
			$P conn-check "$(cc lines "$(port "$b")" ", expect: '^220 '")"
	done
fi

# --- TLS: check-tcp -S, check-http https, chksrv ssl, conn-check tls, grpc_health_probe -tls --
TLS_CASES='silent:timeout after 1s
drip:timeout after 1s
reset_late:connection reset by peer
garbage:not a TLS server|handshake failed
nul:not a TLS server|handshake failed
flood:not a TLS server|handshake failed
tls_mid_handshake:closed the connection|handshake failed
tls_alert:alert|handshake failed
tls_plain_http:not a TLS server|handshake failed
tls_huge_record:handshake failed
tlschain_http:certificate chain too long|not trusted|unknown issuer'
if [ "$ZOO" != tiny ] && has check-tcp && "$P" check-tcp --help 2>&1 | grep -q -- '--ssl'; then
	while IFS=: read -r b why; do
		p=$(port "$b")
		n=$((n + 1))
		turn 0 2 && z "check-tcp -S: $b" 2 "^TCP CRITICAL: .*($why)" $P check-tcp -S -H $H -p "$p" -t 1
		has check-http && turn 1 2 && z "check-http https: $b" 2 "^HTTP CRITICAL: .*($why)" $P check-http -u "https://$H:$p/" -t 1
		has chksrv && turn 0 3 && z "chksrv ssl: $b" 1 "^error: .*($why)" $P chksrv ssl -r 0 --timeout 1 $H "$p"
		has conn-check && turn 1 3 && z "conn-check tls: $b" 2 "^tls:$H:$p FAILED - .*($why)" $P conn-check "$(cc tls "$p")"
		has grpc_health_probe && turn 2 3 && z "grpc_health_probe -tls: $b" 2 "^timeout: failed to connect service \"$H:$p\" within 1s$" \
			$P grpc_health_probe -addr "$H:$p" -tls -connect-timeout 1s -rpc-timeout 1s
	done <<EOF
$TLS_CASES
EOF
	# the 20-certificate chain, its root trusted: mbedTLS refuses more than 8 intermediates,
	# BearSSL verifies it; bounded either way
	case $P in
	*/bearssl/*) rc=0 re="^HTTP OK: HTTP/1.1 200 OK" ;;
	*) rc=2 re="^HTTP CRITICAL: .*TLS handshake failed: certificate chain too long \(more than 8 intermediates\)$" ;;
	esac
	has check-http && z "check-http https: a chain of 20 certificates, root trusted" $rc "$re" \
		$P check-http -u "https://localhost:$Z_tlschain_http/" --ca-file "$ZOO_CHAIN/root.pem" -t 1
	# a handshake that completes, then silence
	has check-http && z "check-http https: silent after the handshake" 2 "^HTTP CRITICAL: .*timeout after 1s" \
		$P check-http -u "https://localhost:$Z_tlsok_http_silent/" --ca-file "$CERTS/ca.crt" -t 1
fi
wait
[ "$ZOO" = all ] || { rm -rf "$Y"; return 0 2>/dev/null || exit 0; }

# --- the service probes: conn-check TYPE and chksrv TYPE ------------------------------------
# TYPE:behaviour:reason [more YAML in $X_TYPE, -p parameters in $C_TYPE]
X_postgres=', username: u, password: p'
C_postgres='-p username=u -p password=p'
X_amqp=', username: u, password: p, use_tls: false'
C_amqp='-p username=u -p password=p -p use_tls=false'
X_smtp=', use_tls: false, from_address: a@zoo.test, to_address: b@zoo.test'
C_smtp='-p use_tls=false -p from_address=a@zoo.test -p to_address=b@zoo.test'
SVC_CASES='redis:silent:timeout after 1s while reading
redis:drip:timeout after 1s while reading
redis:reset_late:connection reset by peer
redis:garbage:not a redis server
redis:flood:not a redis server
redis:resp_bulk_huge:a reply too long
redis:resp_bulk_flood:a reply too long
redis:resp_array_huge:an array reply
redis:resp_bulk_negative:not a redis server
redis:resp_bulk_short:connection closed
redis:esc_resp:.
memcache:silent:timeout after 1s while reading
memcache:drip:timeout after 1s while reading
memcache:garbage:not a memcached server
memcache:flood:not a memcached server
memcache:mc_endless_stats:not a memcached server
memcache:mc_value_huge:not a memcached server
memcache:esc_mc:.
mongodb:silent:timeout after 1s while reading
mongodb:drip:timeout after 1s while reading
mongodb:garbage:not a MongoDB reply
mongodb:nul:not a MongoDB reply
mongodb:flood:not a MongoDB reply
mongodb:mongo_len_huge:a message of 2147483647 bytes
mongodb:mongo_len_tiny:a message of 5 bytes
mongodb:mongo_bson_lie:malformed
mongodb:mongo_big:a message of 67108864 bytes
postgres:silent:timeout after 1s while reading
postgres:drip:not a PostgreSQL server
postgres:garbage:not a PostgreSQL server
postgres:flood:not a PostgreSQL server
postgres:pg_len_huge:length 2147483647
postgres:pg_len_tiny:length 2
postgres:pg_error_unterminated:timeout after 1s while reading
postgres:pg_endless_notices:not a PostgreSQL reply
postgres:pg_ssl_garbage:not a PostgreSQL server
postgres:esc_pg:SQLSTATE 28000
amqp:silent:timeout after 1s while reading
amqp:drip:timeout after 1s while reading
amqp:garbage:not an AMQP 0-9-1 reply
amqp:flood:not an AMQP 0-9-1 reply
amqp:amqp_frame_huge:a frame larger than
amqp:amqp_bad_end:not an AMQP 0-9-1 reply
amqp:amqp_header_back:not an AMQP 0-9-1 reply
amqp:amqp_table_lie:not an AMQP 0-9-1 reply
smtp:silent:timeout after 1s while reading
smtp:drip:not an SMTP reply
smtp:garbage:not an SMTP reply
smtp:nul:not an SMTP reply
smtp:flood:reply line longer than 1000 bytes
smtp:smtp_endless_greeting:reply longer than 4096 bytes
smtp:smtp_long_line:reply line longer than 1000 bytes
smtp:smtp_bad_code:not an SMTP reply
smtp:smtp_ehlo_endless:reply longer than 4096 bytes
smtp:smtp_ehlo_garbage:not an SMTP reply
smtp:esc_greeting:554
grpc:silent:timeout after 1s while reading
grpc:drip:timeout after 1s while reading
grpc:garbage:a frame of 16776704 bytes
grpc:nul:its first frame is not SETTINGS
grpc:flood:a frame of
grpc:h2_frame_huge:a frame of 16777215 bytes
grpc:h2_settings_len:an invalid SETTINGS frame
grpc:h2_msg_huge:DeadlineExceeded|above
grpc:h2_hpack_lie:HPACK
grpc:h2_endless_continuation:a header block above 16384 bytes
grpc:h2_endless_data:a response message above 16384 bytes
grpc:h2_http1:not an HTTP/2 server
grpc:h2_goaway:GOAWAY'
while IFS=: read -r t b why; do
	p=$(port "$b")
	n=$((n + 1))
	eval "x=\${X_$t:-} c=\${C_$t:-}"
	m=$t
	if has conn-check && turn 0 2; then
		zesc "conn-check $t: $b" 2 "^$t:$H:$p(:connect)? FAILED - .*($why)" $P conn-check "$(cc "$t" "$p" "$x")"
	fi
	if has chksrv && svc "$m" && turn 1 2; then
		# shellcheck disable=SC2086
		zesc "chksrv $t: $b" 1 "^error: .*($why)" $P chksrv "$m" -r 0 --timeout 1 $c $H "$p"
	fi
done <<EOF
$SVC_CASES
EOF
if has grpc_health_probe; then
	# as upstream's (grpc-go retries a connection that fails until -connect-timeout)
	for c in silent drip garbage nul flood h2_frame_huge h2_settings_len h2_http1 h2_goaway; do
		b=${c%%:*}
		z "grpc_health_probe: $b" 2 "^timeout: failed to connect service \"$H:$(port "$b")\" within 1s$" $P grpc_health_probe -addr "$H:$(port "$b")" \
			-connect-timeout 1s -rpc-timeout 1s
	done
fi

# --- DNS and UDP: check-dns, chksrv dns, conn-check dns and udp -----------------------------
DNS_CASES='dns_silent:timeout after 1s while reading
dns_wrong_id:timeout after 1s while reading; passed over a reply not ours: another id
dns_short:timeout after 1s while reading; passed over a reply not ours: shorter than a header
dns_ancount_lie:bad reply: answer 1: a name runs past its end
dns_loop:bad reply: answer 1: a compression pointer points forward
dns_rdlength:bad reply: answer 1: it runs past the end
dns_tc:over TCP: the server closed the connection
dns_huge:bad reply: answer 1: it runs past the end'
while IFS=: read -r b why; do
	p=$(port "$b")
	has check-dns && z "check-dns: $b" 2 "^DNS CRITICAL: .*($why)" $P check-dns -H a.zoo.test -s $H -p "$p" -t 1
	n=$((n + 1))
	has chksrv && svc dns && turn 0 2 && z "chksrv dns: $b" 1 "^error: .*($why)" $P chksrv dns -r 0 --timeout 1 -p server=$H a.zoo.test "$p"
	if has conn-check && turn 1 2; then
		printf -- '- {type: dns, host: a.zoo.test, server: %s, port: %s, timeout: 1}\n' $H "$p" > "$Y/dns.$b.yaml"
		z "conn-check dns: $b" 2 "^dns:.* FAILED - .*($why)" $P conn-check "$Y/dns.$b.yaml"
	fi
done <<EOF
$DNS_CASES
EOF
if has conn-check; then
	z "conn-check udp: silent" 2 "FAILED - .*timeout after 1s" $P conn-check "$(cc udp "$Z_dns_silent" ', send: x, expect: y')"
	z "conn-check udp: a 64 kB reply" 2 "FAILED - " $P conn-check "$(cc udp "$Z_dns_huge" ", send: '0123456789abcdef', expect: y")"
fi

# --- the supervisor listeners: hostile events on stdin, a hostile supervisord ---------------
if has supervisor_tcp_check; then
	B=$Y/bin
	mkdir -p "$B"
	for k in tcp xmlrpc; do ln -s "$P" "$B/supervisor_${k}_check"; done
	FEED=$Y/feed
	printf '#!/bin/sh\nf=$1; shift; exec "$@" < "$f"\n' > "$FEED"
	chmod +x "$FEED"
	export SUPERVISOR_SERVER_URL="unix://$Y/none.sock"
	tick() { printf 'ver:3.0 server:supervisor serial:1 pool:chk poolserial:1 eventname:TICK_5 len:%d\n%s' "${#1}" "$1"; }
	# a header whose length lies (huge, negative, not a number), NUL bytes, a header line
	# of 1 MB, then a good event: each refused, the next one read
	printf 'ver:3.0 eventname:TICK_5 len:99999999999999\n' > "$Y/ev.huge"
	printf 'ver:3.0 eventname:TICK_5 len:-5\n' > "$Y/ev.neg"
	printf 'ver:3.0 eventname:TICK_5 len:12abc\n' > "$Y/ev.nan"
	head -c 100000 /dev/zero > "$Y/ev.nul"
	printf '\n' >> "$Y/ev.nul"
	head -c 1000000 /dev/zero | tr '\0' 'a' > "$Y/ev.long"
	printf ':b\n' >> "$Y/ev.long"
	printf 'ver:3.0 eventname:TICK_5 len:10\nabc' > "$Y/ev.short"
	z "supervisor listener: a short payload, then the end of the stream" 0 \
		"Short payload of a TICK_5 event: 3 of 10 bytes, then the end of the stream" \
		"$FEED" "$Y/ev.short" "$B/supervisor_tcp_check" -n c -g g -p 1
	for e in huge neg nan nul long; do
		tick 'when:1' >> "$Y/ev.$e"
		z "supervisor listener: a malformed event ($e), then a good one" 0 "Received TICK_5 event" \
			"$FEED" "$Y/ev.$e" "$B/supervisor_tcp_check" -n c -g g -p 1
	done
	# a payload of 100 MB, as its header says: read and dropped, memory bounded
	z "supervisor listener: a 100 MB payload" 0 "Received TICK_5 event" sh -c \
		'{ printf "ver:3.0 eventname:TICK_5 len:100000000\n"; head -c 100000000 /dev/zero; } | exec "$@"' \
		sh "$B/supervisor_tcp_check" -n c -g g -p 1
	# a supervisord (over TCP) that answers getAllProcessInfo badly: logged, answered, in time
	tick 'when:1' > "$Y/ev.tick"
	for c in "garbage:malformed|HTTP" "reset:reset" "flood:too long|malformed" "http_endless_headers:too many headers" \
		"xmlrpc_huge:too|large|long" "xmlrpc_deep:deep|nest" "http_mid_body:closed" \
		"http_chunk_huge:chunk" "esc_xmlrpc:Fault"; do
		b=${c%%:*}
		export SUPERVISOR_SERVER_URL=http://$H:$(port "$b")
		zesc "supervisor listener: supervisord $b" 0 \
			"Failed to get the processes from supervisord: .*(${c#*:})" \
			"$FEED" "$Y/ev.tick" "$B/supervisor_xmlrpc_check" -n c -g g -u /x -p 1
	done
	wait
	# one that never answers: a TICK_5 is answered when half its period has passed
	export SUPERVISOR_SERVER_URL=http://$H:$Z_silent
	t_by 2.5 t_rss "$MB" t_run "supervisor listener: supervisord silent, answered by 2.5 s" 0 \
		"RESULT 2" "$FEED" "$Y/ev.tick" "$B/supervisor_xmlrpc_check" -n c -g g -u /x -p 1
fi
wait
rm -rf "$Y"
