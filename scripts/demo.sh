#!/bin/sh
# demo.sh - a first real check: start a TLS server on loopback (openssl s_server with a
# throw-away test CA), then let build/probebox check it, verified, and show the verdicts.
set -eu
cd "$(dirname "$0")/.."
command -v openssl >/dev/null || sh scripts/deps.sh tools
D=$(mktemp -d /tmp/probebox-demo.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$D"' EXIT
sh tests/mkcerts.sh "$D/certs" >/dev/null
port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$D/certs/valid.chain.crt" \
	-key "$D/certs/valid.key" -www >/dev/null 2>&1 &
pid=$!
i=0
until build/probebox check-tcp -H 127.0.0.1 -p "$port" -t 1 >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 50 ] || { echo "demo: the test server did not start" >&2; exit 1; }
	sleep 0.1
done
run() { printf "$ %s\n" "$*"; "$@" || true; echo; }
P=build/probebox
run $P check-tcp -S -H localhost -p "$port" --ca-file "$D/certs/ca.crt" -s 'GET / HTTP/1.0\r\n\r\n' -E -e '^HTTP/1.0 200' -m 15
run $P check-tcp -S -H localhost -p "$port"
run $P check-tcp -H 127.0.0.1 -p 1
run $P check-tcp -H 127.0.0.1 -p 1 --expect-closed
