#!/bin/sh
# with-dns.sh - run a command with the test harness's name service (tests/servers.d/05-dns.sh):
# in a private mount namespace whose /etc is a copy with the harness's resolv.conf and hosts.
#
#   with-dns.sh ok CMD...    hosts.test, dual.test (hosts); dns.test, dual-dns.test (DNS);
#                            every other name NXDOMAIN
#   with-dns.sh sink CMD...  the same hosts, and a resolver that never answers
#   with-dns.sh lo CMD...    also a network namespace of its own with only loopback up (as in
#                            `docker run --network none`), an empty hosts file and the silent
#                            resolver's address, which nothing listens on there
set -e
d=$T_DIR/ns
LO=
export E=$d/etc
in_ns='[ -n "$LO" ] && ip link set lo up
mount --bind "$E" /etc && mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts &&
shift 2 && exec "$@"'
m=$1
shift
case $m in
ok|sink) export LO=; exec unshare -m sh -c "$in_ns" sh "$d/resolv.$m" "$d/hosts" "$@" ;;
lo) export LO=1; exec unshare -m -n sh -c "$in_ns" sh "$d/resolv.sink" "$d/hosts.empty" "$@" ;;
*) echo "with-dns.sh: ok, sink or lo" >&2; exit 2 ;;
esac
