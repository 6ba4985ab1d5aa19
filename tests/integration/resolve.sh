# resolve.sh - names, resolvers and address families, for every applet: localhost and
# literals with nothing but loopback (no hosts entry, no resolver, glibc or musl), names from
# the harness's own hosts file and DNS responder, a resolver that never answers (the deadline
# holds, measured), and dual-stack names one of whose addresses drops SYNs (Happy Eyeballs).
# Nothing here asks the machine's resolver: tests/with-dns.sh gives each command the
# harness's /etc/hosts and resolv.conf (tests/servers.d/05-dns.sh).
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
Y=$T_DIR/resolve.$$
mkdir -p "$Y"
V6=${T_IPV6:-1}
has() { $P --list | grep -qx "$1"; }

# one check of each applet against NAME:PORT with timeout SEC: "applet ..." command words
ct() { echo "$P check-tcp -H $1 -p $2 -t $3"; }
ch() { echo "$P check-http -u http://$1:$2/ -t $3"; }
cs() { echo "$P chksrv tcp -r 0 --timeout $3 $1 $2"; }
cc() {
	printf -- '- {type: tcp, host: "%s", port: %s, timeout: %s}\n' "$1" "$2" "$3" > "$Y/$1.$2.yaml"
	echo "$P conn-check $Y/$1.$2.yaml"
}
APPLETS=
for a in check-tcp:ct check-http:ch chksrv:cs conn-check:cc; do
	has "${a%%:*}" && APPLETS="$APPLETS $a"
done
# what each applet prints for a success and for a failure
ok_re() { case $1 in check-tcp) echo "^TCP OK" ;; check-http) echo "^HTTP OK" ;;
	chksrv) echo "^tcp.success: True$" ;; conn-check) echo " OK$" ;; esac; }
fail_rc() { case $1 in chksrv) echo 1 ;; *) echo 2 ;; esac; }

if [ -n "$T_NS_WHY" ]; then
	for a in $APPLETS; do t_skip "${a%%:*}: names from the harness's hosts file and DNS" "$T_NS_WHY"; done
	return 0 2>/dev/null || exit 0
fi

# a loopback-only network namespace (docker run --network none, an initramfs): empty hosts
# file, no resolver; localhost and literals must still resolve, in every build
# (every port is free in a namespace of its own)
cat > "$Y/lo.sh" <<EOF
/usr/bin/python3 tests/server/tserve.py --bind 127.0.0.1 --port 18181 --port-file $Y/lo.port \\
	recvhdr 'send:HTTP/1.0 200 OK\r\n\r\nok' close &
s=\$!
i=0
while [ ! -s $Y/lo.port ] && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i + 1)); done
"\$@"
rc=\$?
kill \$s
rm -f $Y/lo.port
exit \$rc
EOF
for a in $APPLETS; do
	n=${a%%:*} f=${a#*:}
	for h in localhost 127.0.0.1 LocalHost. app.localhost; do
		t_run "$n: $h in a loopback-only namespace, no hosts entry, no resolver" 0 "$(ok_re "$n")" \
			"$T_NS" lo sh "$Y/lo.sh" $($f "$h" 18181 2)
	done
done

for a in $APPLETS; do
	n=${a%%:*} f=${a#*:}
	t_run "$n: a name from /etc/hosts" 0 "$(ok_re "$n")" "$T_NS" ok $($f hosts.test "$P_OKOK" 5)
	t_run "$n: a name from DNS" 0 "$(ok_re "$n")" "$T_NS" ok $($f dns.test "$P_OKOK" 5)
	t_run "$n: NXDOMAIN" "$(fail_rc "$n")" "cannot resolve no-such-host\.invalid: no such host" \
		"$T_NS" ok $($f no-such-host.invalid 80 5)
	# the deadline holds when the resolver never answers (its own timeout is 5 s x 3)
	t_by 2 t_run "$n: a resolver that never answers ends by the timeout" "$(fail_rc "$n")" \
		"timeout after 2s while resolving" "$T_NS" sink $($f probe.example.test 80 2)
	t_by 2 t_run "$n: localhost never asks the resolver" 0 "$(ok_re "$n")" "$T_NS" sink $($f localhost "$P_OKOK" 2)
	# Happy Eyeballs: the black-holed address costs 250 ms, not the timeout
	t_by 1 t_run "$n: dual-stack name, IPv6 address black-holed" 0 "$(ok_re "$n")" \
		"$T_NS" ok $($f dual.test "$P_DUAL" 6)
	[ "$V6" = 1 ] && t_by 1 t_run "$n: dual-stack name, IPv4 address black-holed" 0 "$(ok_re "$n")" \
		"$T_NS" ok $($f dual4.test "$P_DUAL4" 6)
	t_by 1 t_run "$n: dual-stack name from DNS, IPv6 black-holed" 0 "$(ok_re "$n")" \
		"$T_NS" ok $($f dual-dns.test "$P_DUAL" 6)
done

if has check-tcp; then
	t_run "check-tcp -4 on a dual-stack name" 0 "^TCP OK" "$T_NS" ok $P check-tcp -4 -H dual.test -p "$P_DUAL" -t 2
	if [ "$V6" = 1 ]; then
		t_by 1 t_run "check-tcp -6 on a dual-stack name reaches only the black hole" 2 \
			"timeout after 1s while connecting" "$T_NS" ok $P check-tcp -6 -H dual.test -p "$P_DUAL" -t 1
	fi
	# a resolver failing for lack of descriptors (EAI_SYSTEM): its own errno, not the caller's
	t_run "check-tcp: resolver error with ulimit -n 5 names the cause" 2 \
		"^TCP CRITICAL: .*cannot resolve hosts\.test: (No file descriptors available|Too many open files|no such host)$" \
		"$T_NS" ok sh -c 'ulimit -n 5 && exec "$@"' sh $P check-tcp -H hosts.test -p "$P_FTP"
fi
if has chksrv && [ "$V6" = 1 ]; then
	t_run "chksrv ipv6=prefer: IPv6 black-holed, IPv4 answers" 0 "^tcp.ipv6: False$" \
		"$T_NS" ok $P chksrv tcp -r 0 --timeout 6 dual.test "$P_DUAL"
	t_run "chksrv ipv6=fallback: IPv4 black-holed, IPv6 answers" 0 "^tcp.ipv6: True$" \
		"$T_NS" ok $P chksrv tcp -r 0 --timeout 6 -p ipv6=fallback dual4.test "$P_DUAL4"
	t_by 1 t_run "chksrv ipv6=True reaches only the black hole" 1 "^error: timeout after 1s while connecting$" \
		"$T_NS" ok $P chksrv tcp -r 0 --timeout 1 -p ipv6=True dual.test "$P_DUAL"
	t_run "chksrv ipv6=False on a dual-stack name" 0 "^tcp.ipv6: False$" \
		"$T_NS" ok $P chksrv tcp -r 0 --timeout 2 -p ipv6=False dual.test "$P_DUAL"
fi
rm -rf "$Y"
