# 05-dns.sh - the harness's own name service, so that no test depends on the machine's
# resolver: a DNS responder and a resolver that never answers, each on a loopback address of
# its own, and a hosts file. tests/with-dns.sh runs a command with them (a private mount
# namespace over a copy of /etc, so it works where /etc/hosts does not exist or resolv.conf is
# a link); where that cannot work, T_NS_WHY says why and the tests that need names skip.
T_NS_WHY=
mkdir -p "$T_DIR/ns"
if [ "$(id -u)" != 0 ]; then
	T_NS_WHY="needs root (a mount namespace, and port 53 on a loopback address)"
elif ! _e=$(unshare -m sh -c "mount --bind '$T_DIR/ns' '$T_DIR/ns'" 2>&1); then
	T_NS_WHY="unshare -m and mount --bind are not permitted here ($_e)"
else
	cp -a /etc "$T_DIR/ns/etc"
	rm -f "$T_DIR/ns/etc/hosts" "$T_DIR/ns/etc/resolv.conf"
	: > "$T_DIR/ns/etc/hosts"
	: > "$T_DIR/ns/etc/resolv.conf"
	_a=127.53.$(($$ % 200 + 20))
	t_bg dnsd /usr/bin/python3 tests/server/dnsd.py --bind "$_a.1" \
		dns.test=A:127.0.0.1 dns6.test=AAAA:::1 dual-dns.test=AAAA:::1 dual-dns.test=A:127.0.0.1
	t_bg dnsd-silent /usr/bin/python3 tests/server/dnsd.py --bind "$_a.2" --silent
	_i=0
	while { ! grep -q ready "$T_DIR/dnsd.log" || ! grep -q ready "$T_DIR/dnsd-silent.log"; } && [ $_i -lt 100 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	grep -q ready "$T_DIR/dnsd.log" || T_NS_WHY="the harness's DNS responder did not start: $(cat "$T_DIR/dnsd.log")"
	printf 'nameserver %s.1\noptions timeout:1 attempts:2\n' "$_a" > "$T_DIR/ns/resolv.ok"
	printf 'nameserver %s.2\noptions timeout:5 attempts:3\n' "$_a" > "$T_DIR/ns/resolv.sink"
	# no localhost line: localhost must resolve without one (RFC 6761, a scratch image)
	printf "127.0.0.1 hosts.test\n::1 dual.test\n127.0.0.1 dual.test\n127.0.0.1 dual4.test\n::1 dual4.test\n" > "$T_DIR/ns/hosts"
	: > "$T_DIR/ns/hosts.empty"
fi
echo "T_NS_WHY='$T_NS_WHY'" >> "$T_DIR/env"
echo "T_NS=$PWD/tests/with-dns.sh" >> "$T_DIR/env"
