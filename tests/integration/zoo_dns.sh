# zoo_dns.sh - every applet's and probe's timeout includes name resolution: each asks for a
# name that only a resolver that never answers could resolve (tests/with-dns.sh sink: a
# private mount namespace whose /etc/resolv.conf names the harness's silent resolver, its own
# timeout 5 s x 3), and must end by its 1 s timeout + 1.5 s, saying it timed out resolving.
# Names are resolved by the C library's getaddrinfo (in a detached thread, net/conn.c), which
# reads /etc/resolv.conf and has no per-process override: without a mount namespace (not
# root, or unshare -m refused) these cases are skipped, saying why.
. tests/lib.sh
. "$T_DIR/env"
if [ -n "$T_NS_WHY" ]; then
	t_skip "names from a silent resolver" "$T_NS_WHY"
	return 0 2>/dev/null || exit 0
fi
. tests/zoo/lib.sh
H=zoo-silent.example.test
S="$T_NS sink"
W="timeout after 1s while resolving"
if has check-tcp; then
	z "check-tcp" 2 "^TCP CRITICAL: .*$W" $S $P check-tcp -H $H -p 80 -t 1
	"$P" check-tcp --help 2>&1 | grep -q -- '--ssl' &&
		z "check-tcp -S" 2 "^TCP CRITICAL: .*$W" $S $P check-tcp -S -H $H -p 443 -t 1
fi
if has check-http; then
	z "check-http" 2 "^HTTP CRITICAL: .*$W" $S $P check-http -u "http://$H/" -t 1
	z "check-http, a proxy by name" 2 "^HTTP CRITICAL: .*$W" $S $P check-http -u http://127.0.0.1/ -x "http://$H:3128" -t 1
fi
# check-dns: a server named by name, and the silent resolver itself as the server asked
has check-dns && z "check-dns -s NAME" 2 "^DNS CRITICAL: .*timeout after 1s" $S $P check-dns -H a.test -s $H -t 1
has check-dns && z "check-dns, resolv.conf's nameserver silent" 2 "^DNS CRITICAL: .*timeout after 1s" $S $P check-dns -H a.test -t 1
if has chksrv; then
	z "chksrv tcp" 1 "^error: $W$" $S $P chksrv tcp -r 0 --timeout 1 $H 80
	svc ssl && z "chksrv ssl" 1 "^error: .*$W" $S $P chksrv ssl -r 0 --timeout 1 $H 443
	z "chksrv http" 1 "^error: .*$W" $S $P chksrv http -r 0 --timeout 1 "http://$H/"
	for m in redis memcache mongodb postgres amqp smtp grpc; do
		svc $m || continue
		case $m in postgres | amqp) c='-p username=u -p password=p' ;; smtp) c='-p from_address=a@b -p to_address=c@d' ;; *) c= ;; esac
		# shellcheck disable=SC2086
		z "chksrv $m" 1 "^error: .*$W" $S $P chksrv $m -r 0 --timeout 1 $c $H 1234
	done
	svc dns && z "chksrv dns -p server=NAME" 1 "^error: .*timeout after 1s" $S $P chksrv dns -r 0 --timeout 1 -p server=$H a.test 53
fi
if has conn-check; then
	for c in "tcp:" "tls:" "udp:, send: x, expect: y" "lines:, expect: x" "redis:" "memcache:" "mongodb:" \
		"postgres:, username: u, password: p" "amqp:, username: u, password: p" \
		"smtp:, from_address: a@b, to_address: c@d" "grpc:"; do
		t=${c%%:*}
		# the first step (tcp for most) fails so, the others are skipped
		z "conn-check $t" 2 "^($t:$H:1234:)?(tcp|$t):$H:1234 FAILED - \\($H:1234\\) $W" \
			$S $P conn-check "$(cc "$t" 1234 "${c#*:}")"
	done
	printf -- '- {type: http, url: "http://%s/", timeout: 1}\n' $H > "$Y/http.yaml"
	z "conn-check http" 2 "^http:http://$H/:tcp:$H:80 FAILED - \\($H:80\\) $W" $S $P conn-check "$Y/http.yaml"
	printf -- '- {type: dns, host: a.test, server: %s, timeout: 1}\n' $H > "$Y/dns.yaml"
	z "conn-check dns, a server by name" 2 "^dns:.* FAILED - .*timeout after 1s" $S $P conn-check "$Y/dns.yaml"
	# --max-timeout holds over the per-check timeouts while a name resolves
	printf -- '- {type: tcp, host: %s, port: 1, timeout: 30}\n' $H > "$Y/max.yaml"
	z "conn-check --max-timeout 1" 2 "FAILED" $S $P conn-check --max-timeout 1 "$Y/max.yaml"
fi
has grpc_health_probe && z "grpc_health_probe" 2 "^timeout: failed to connect service \"$H:50051\" within 1s$" \
	$S $P grpc_health_probe -addr $H:50051 -connect-timeout 1s -rpc-timeout 1s
wait
rm -rf "$Y"
