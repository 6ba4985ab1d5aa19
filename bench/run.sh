#!/bin/sh
# run.sh - benchmarks side by side: our checks and the peers a user would pick instead, in one
# run, against the same loopback servers; writes bench/results.md (method: docs/bench.md).
#
# Per command: instructions (valgrind callgrind, the whole process, --trace-children=no;
# deterministic), and from BENCH_RUNS interleaved rounds (bench/meter.c: fork, execve, wait4)
# the median and spread of the wall time, user+sys CPU and peak RSS (ru_maxrss).
# Our checks are also profiled (callgrind_annotate of an unstripped link of the same objects).
#
#   BENCH_RUNS=21 BENCH_OUT=bench/results.md sh bench/run.sh
set -euf
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${BENCH_RUNS:-21}
OUT=${BENCH_OUT:-bench/results.md}
PROF=${BENCH_PROF:-bench/profile.txt}
P=$ROOT/build/probebox
BS=$ROOT/build/bearssl/probebox
PY=/usr/bin/python3
MP=/usr/lib/nagios/plugins
PGB=/usr/lib/postgresql/15/bin
# every measured command runs with this PATH and nothing else in its environment (bench/meter.c too)
ENVPATH=/usr/sbin:/usr/bin:/sbin:/bin

sh scripts/deps.sh benchtools
make -s --no-print-directory all
make -s --no-print-directory CONFIG=bearssl all
# the same objects linked without -s, for callgrind_annotate's function names
NOSTRIP="-static -flto=auto -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none"
mkdir -p build/prof/bearssl
make -s --no-print-directory OUTBIN=build/prof/probebox LDFLAGS="$NOSTRIP" all >/dev/null
make -s --no-print-directory CONFIG=bearssl OUTBIN=build/prof/bearssl/probebox LDFLAGS="$NOSTRIP" all >/dev/null

D=$(mktemp -d /tmp/probebox-bench.XXXXXX)
chmod 711 "$D"	# postgres (an unprivileged user) passes through to its directory
pids=
stop() {
	for p in $pids; do kill "$p" 2>/dev/null || :; done
	for p in $pids; do wait "$p" 2>/dev/null || :; done
	if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: raw figures kept in $D" >&2; else rm -rf "$D"; fi
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
B=$D/bin
mkdir -p "$B"
for f in meter floor true; do
	musl-gcc -Os -static -s -o "$B/$f" "bench/$f.c"
done
sh tests/mkcerts.sh "$D/certs" >/dev/null
C=$D/certs
cat /etc/ssl/certs/ca-certificates.crt "$C/ca.crt" > "$D/bundle.crt"
mkdir -p "$D/ca.d"
cp "$C/ca.crt" "$D/ca.d/"

port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up() {	# PORT: wait (bounded) until 127.0.0.1:PORT accepts
	i=0
	until "$B/floor" 127.0.0.1 "$1"; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "bench: nothing listens on 127.0.0.1:$1" >&2; exit 1; }
		sleep 0.1
	done
}
tserve() {	# VAR [OPTIONS] SCRIPT...: a tests/server/tserve.py server, its port in VAR
	v=$1
	shift
	"$PY" tests/server/tserve.py --port-file "$D/$v.port" "$@" >/dev/null 2>&1 &
	pids="$pids $!"
	i=0
	while [ ! -s "$D/$v.port" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench: tserve $v did not start" >&2; exit 1; }
		sleep 0.1
	done
	eval "$v=\$(cat \"\$D/\$v.port\")"
}

# --- servers --------------------------------------------------------------------------------
# postgres first: initdb takes seconds, the other servers start meanwhile
PG=$(port)
PGD=$D/pg
mkdir -p "$PGD"
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin postgres
	RUN="setpriv --reuid=postgres --regid=postgres --init-groups"
	chown postgres: "$PGD"
else
	RUN=
fi
printf 'local all postgres trust\nhost all scramuser 127.0.0.1/32 scram-sha-256\n' > "$D/pg_hba.conf"
(
	set -e
	$RUN "$PGB/initdb" -D "$PGD/data" -U postgres --auth=trust -N -E UTF8 --locale=C --no-instructions
	cp "$D/pg_hba.conf" "$PGD/data/pg_hba.conf"
	echo "SET password_encryption = 'scram-sha-256'; CREATE ROLE scramuser LOGIN PASSWORD 'sTy6wQ';" |
		$RUN "$PGB/postgres" --single -D "$PGD/data" -c fsync=off postgres
	exec $RUN "$PGB/postgres" -D "$PGD/data" -p "$PG" -c listen_addresses=127.0.0.1 \
		-c unix_socket_directories="$PGD" -c fsync=off -c synchronous_commit=off \
		-c shared_buffers=16MB -c max_connections=40
) > "$D/postgres.log" 2>&1 &
pids="$pids $!"

tserve TCP close
tserve HOLE --no-accept hold
CLOSED=$(port)
R=$(port)
redis-server --port "$R" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
	--dir "$D" --logfile "$D/redis.log" &
pids="$pids $!"

N=$D/nginx
mkdir -p "$N/tmp"
H=$(port); E12=$(port); E13=$(port); R12=$(port); R13=$(port)
srv() {	# PORT CERT PROTOCOL
	printf 'server { listen 127.0.0.1:%s ssl; ssl_certificate %s; ssl_certificate_key %s;\n' \
		"$1" "$C/$2.chain.crt" "$C/$2.key"
	printf '    ssl_protocols %s; location / { return 200 ok; } }\n' "$3"
}
# one process (no master): its PID is the server's
{
	echo "daemon off; master_process off; pid $N/nginx.pid; error_log $N/error.log warn;"
	echo "worker_rlimit_nofile 4096; events { worker_connections 2048; }"
	echo "http { access_log off; default_type text/plain; client_body_temp_path $N/tmp/body;"
	echo "  proxy_temp_path $N/tmp/proxy; fastcgi_temp_path $N/tmp/fcgi; uwsgi_temp_path $N/tmp/uwsgi;"
	echo "  scgi_temp_path $N/tmp/scgi;"
	echo "  server { listen 127.0.0.1:$H; location / { return 200 ok; } }"
	srv "$E12" valid TLSv1.2
	srv "$E13" valid TLSv1.3
	srv "$R12" rsa TLSv1.2
	srv "$R13" rsa TLSv1.3
	echo "}"
} > "$N/nginx.conf"
nginx -e "$N/error.log" -p "$N" -c "$N/nginx.conf" &
pids="$pids $!"
for p in "$R" "$H" "$E12" "$E13" "$R12" "$R13" "$PG"; do up "$p"; done
i=0
until PGPASSWORD=sTy6wQ "$PGB/psql" -h 127.0.0.1 -p "$PG" -U scramuser -d postgres -w -tAc 'select 1' >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$D/postgres.log" >&2; echo "bench: postgres did not start" >&2; exit 1; }
	sleep 0.2
done

# --- scenarios: SCENARIO|KIND|TOOL|WORD<tab>WORD... ------------------------------------------
# KIND: floor, ours, peer, or unverified (a peer that cannot do the same work: not "best peer")
CASES=$D/cases
: > "$CASES"
T=$(printf '\t')
c() {	# SCENARIO KIND TOOL WORD...
	s=$1 k=$2 t=$3
	shift 3
	line="$s|$k|$t|$1"
	shift
	for w; do line="$line$T$w"; done
	printf '%s\n' "$line" >> "$CASES"
}
py() { c "$1" peer "python3 $2" "$PY" -c "$3"; }
S="start-up"
c "$S" floor "static musl true" "$B/true"
c "$S" ours "probebox --version" "$P" --version
c "$S" ours "probebox --version (BearSSL build)" "$BS" --version
c "$S" peer "busybox true" /bin/busybox true
c "$S" peer "coreutils true" /bin/true

S="TCP connect"
c "$S" floor "static musl connect()" "$B/floor" 127.0.0.1 "$TCP"
c "$S" ours "probebox check-tcp" "$P" check-tcp -H 127.0.0.1 -p "$TCP"
c "$S" peer "busybox nc" /bin/busybox nc -w 1 127.0.0.1 "$TCP"
c "$S" peer "nc.openbsd -z" /bin/nc.openbsd -z -w 1 127.0.0.1 "$TCP"
c "$S" peer "check_tcp" "$MP/check_tcp" -H 127.0.0.1 -p "$TCP" -t 1
py "$S" socket "import socket;socket.create_connection(('127.0.0.1',$TCP),1).close()"

S="HTTP GET 200"
c "$S" floor "static musl connect()" "$B/floor" 127.0.0.1 "$H"
c "$S" ours "probebox check-http" "$P" check-http -t 5 -u "http://127.0.0.1:$H/"
c "$S" peer "busybox wget" /bin/busybox wget -q -O /dev/null "http://127.0.0.1:$H/"
c "$S" peer "curl" /usr/bin/curl -sf -o /dev/null -m 5 "http://127.0.0.1:$H/"
c "$S" peer "check_http" "$MP/check_http" -I 127.0.0.1 -p "$H" -t 5
py "$S" urllib "import urllib.request as u;u.urlopen('http://127.0.0.1:$H/',timeout=5).read()"

https() {	# SCENARIO PORT CAFILE
	s=$1 u=https://127.0.0.1:$2/
	c "$s" floor "static musl connect()" "$B/floor" 127.0.0.1 "$2"
	c "$s" ours "probebox check-http (mbedTLS)" "$P" check-http -t 5 --ca-file "$3" -u "$u"
	c "$s" ours "probebox check-http (BearSSL)" "$BS" check-http -t 5 --ca-file "$3" -u "$u"
	c "$s" peer "curl --cacert" /usr/bin/curl -sf -o /dev/null -m 5 --cacert "$3" "$u"
	[ "$3" = "$C/ca.crt" ] && c "$s" unverified "check_http -S (cannot verify)" "$MP/check_http" -S -I 127.0.0.1 -p "$2" -t 5
	py "$s" "urllib (cafile)" "import ssl,urllib.request as u;u.urlopen('$u',timeout=5,context=ssl.create_default_context(cafile='$3')).read()"
}
https "HTTPS, P-256 leaf, TLS 1.3" "$E13" "$C/ca.crt"
https "HTTPS, P-256 leaf, TLS 1.2" "$E12" "$C/ca.crt"
https "HTTPS, RSA-2048 leaf, TLS 1.3" "$R13" "$C/ca.crt"
https "HTTPS, RSA-2048 leaf, TLS 1.2" "$R12" "$C/ca.crt"
https "HTTPS, P-256 leaf, TLS 1.2, system bundle + test CA" "$E12" "$D/bundle.crt"

S="Redis PING"
c "$S" floor "static musl connect()" "$B/floor" 127.0.0.1 "$R"
c "$S" ours "probebox chksrv redis" "$P" chksrv redis 127.0.0.1 "$R"
c "$S" ours "probebox check-tcp -E -s PING -e +PONG" "$P" check-tcp -H 127.0.0.1 -p "$R" -E -s 'PING\r\n' -e '\+PONG'
c "$S" peer "redis-cli ping" /usr/bin/redis-cli -h 127.0.0.1 -p "$R" ping
c "$S" peer "check_tcp -E -s PING -e +PONG" "$MP/check_tcp" -H 127.0.0.1 -p "$R" -E -s 'PING\r\n' -e '+PONG' -t 5

S="PostgreSQL SCRAM login"
c "$S" floor "static musl connect()" "$B/floor" 127.0.0.1 "$PG"
c "$S" ours "probebox chksrv postgres" "$P" chksrv postgres -p username=scramuser -p password=sTy6wQ \
	-p database=postgres -p sslmode=disable 127.0.0.1 "$PG"
c "$S" peer "psql -c 'select 1'" PGSSLMODE=disable PGPASSWORD=sTy6wQ "$PGB/psql" -h 127.0.0.1 -p "$PG" \
	-U scramuser -d postgres -w -tAc 'select 1'

# conn-check, N checks; every 10: 4 open, 2 closed, 1 black-holed tcp, 2 http, 1 tls
for n in 10 100 1000; do
	i=0
	while [ $i -lt $((n / 10)) ]; do
		cat <<YAML
- {type: tcp, host: 127.0.0.1, port: $TCP}
- {type: tcp, host: 127.0.0.1, port: $TCP}
- {type: tcp, host: 127.0.0.1, port: $TCP}
- {type: tcp, host: 127.0.0.1, port: $TCP}
- {type: tcp, host: 127.0.0.1, port: $CLOSED}
- {type: tcp, host: 127.0.0.1, port: $CLOSED}
- {type: tcp, host: 127.0.0.1, port: $HOLE}
- {type: http, url: "http://127.0.0.1:$H/"}
- {type: http, url: "http://127.0.0.1:$H/"}
- {type: tls, host: 127.0.0.1, port: $E13}
YAML
		i=$((i + 1))
	done > "$D/cc$n.yaml"
done
CC="--connect-timeout=1 --tls-certs-path $D/ca.d"

# --- measure ----------------------------------------------------------------------------------
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
instr() {	# OUTFILE [NAME=VALUE]... WORD...: callgrind's instruction count of one run
	o=$1 e=
	shift
	while case $1 in /*) false ;; *=*) : ;; *) false ;; esac; do e="$e $1"; shift; done
	# shellcheck disable=SC2086
	env -i PATH=$ENVPATH $e nice -n 10 valgrind --tool=callgrind --trace-children=no --callgrind-out-file="$o" "$@" \
		2>&1 >/dev/null </dev/null | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
# instructions of every case, one after another, low priority (the count does not depend on load)
: > "$D/instr"
k=0
while IFS='|' read -r _ _ _ cmd; do
	IFS=$T
	# shellcheck disable=SC2086
	set -- $cmd
	unset IFS
	printf '%s\t%s\n' "$k" "$(instr "$D/cg.$k" "$@" || :)" >> "$D/instr"
	k=$((k + 1))
done < "$CASES"

# wall, CPU, RSS: each scenario's commands interleaved, RUNS rounds after 3 warm-ups
: > "$D/meter"
cut -d'|' -f1 "$CASES" | uniq | while read -r s; do
	grep -n "^$s|" "$CASES" | cut -d: -f1 > "$D/lines"
	awk -F'|' -v s="$s" '$1 == s { print $4 }' "$CASES" | "$B/meter" "$RUNS" 3 > "$D/m"
	# meter numbers the scenario's lines from 0: back to the case numbers
	awk 'NR == FNR { l[NR - 1] = $1 - 1; next } { $1 = l[$1]; print }' OFS='\t' "$D/lines" "$D/m" >> "$D/meter"
done

# conn-check: 5 rounds of each size, default pool (-j 64) and one slot per check (-j N)
for n in 10 100 1000; do
	for j in 64 $n; do
		[ "$j" = 64 ] && [ "$n" -le 64 ] && continue
		printf '%s\t%s\t%s\n' "$n" "$j" "$P${T}conn-check$T--connect-timeout=1$T--tls-certs-path$T$D/ca.d$T-j$T$j$T$D/cc$n.yaml"
	done
done > "$D/cccases"
cut -f3- "$D/cccases" | "$B/meter" 5 1 > "$D/ccm"
: > "$D/ccinstr"
for n in 10 100; do
	# shellcheck disable=SC2086
	printf '%s\t%s\n' "$n" "$(instr "$D/ccg.$n" "$P" conn-check $CC -j "$n" "$D/cc$n.yaml" || :)" >> "$D/ccinstr"
done

# --- profiles of ours (unstripped link, same code) --------------------------------------------
PP=$ROOT/build/prof/probebox PB=$ROOT/build/prof/bearssl/probebox
{
	prof() {	# TITLE WORD...
		echo "=== $1"
		shift
		env -i PATH=$ENVPATH nice -n 10 valgrind --tool=callgrind --trace-children=no \
			--callgrind-out-file="$D/prof.out" "$@" >/dev/null 2>&1 </dev/null || :
		callgrind_annotate --inclusive=no "$D/prof.out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '1,2p;3,27p' |
			sed "s|$ROOT/||g"
		echo "--- inclusive"
		callgrind_annotate --inclusive=yes "$D/prof.out" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '3,42p' |
			sed "s|$ROOT/||g"
		echo
	}
	prof "check-tcp" "$PP" check-tcp -H 127.0.0.1 -p "$TCP"
	prof "check-http" "$PP" check-http -t 5 -u "http://127.0.0.1:$H/"
	prof "HTTPS P-256 TLS 1.3, mbedTLS" "$PP" check-http -t 5 --ca-file "$C/ca.crt" -u "https://127.0.0.1:$E13/"
	prof "HTTPS P-256 TLS 1.2, mbedTLS" "$PP" check-http -t 5 --ca-file "$C/ca.crt" -u "https://127.0.0.1:$E12/"
	prof "HTTPS P-256 TLS 1.2, BearSSL" "$PB" check-http -t 5 --ca-file "$C/ca.crt" -u "https://127.0.0.1:$E12/"
	prof "HTTPS RSA-2048 TLS 1.2, mbedTLS" "$PP" check-http -t 5 --ca-file "$C/ca.crt" -u "https://127.0.0.1:$R12/"
	prof "HTTPS RSA-2048 TLS 1.2, BearSSL" "$PB" check-http -t 5 --ca-file "$C/ca.crt" -u "https://127.0.0.1:$R12/"
	prof "HTTPS system bundle + test CA, mbedTLS" "$PP" check-http -t 5 --ca-file "$D/bundle.crt" -u "https://127.0.0.1:$E12/"
	prof "HTTPS system bundle + test CA, BearSSL" "$PB" check-http -t 5 --ca-file "$D/bundle.crt" -u "https://127.0.0.1:$E12/"
} > "$PROF"

# --- report -----------------------------------------------------------------------------------
VERS="busybox $(dpkg-query -W -f='${Version}' busybox-static), netcat-openbsd $(dpkg-query -W -f='${Version}' netcat-openbsd),"
VERS="$VERS monitoring-plugins $(dpkg-query -W -f='${Version}' monitoring-plugins-basic), curl $(dpkg-query -W -f='${Version}' curl),"
VERS="$VERS python3 $(dpkg-query -W -f='${Version}' python3), redis-tools $(dpkg-query -W -f='${Version}' redis-tools),"
VERS="$VERS postgresql-client-15 $(dpkg-query -W -f='${Version}' postgresql-client-15), nginx $(dpkg-query -W -f='${Version}' nginx-light 2>/dev/null || dpkg-query -W -f='${Version}' nginx)"
SIZES=
for b in build/probebox build/bearssl/probebox; do SIZES="$SIZES $b $(stat -c %s "$b") B;"; done
"$PY" bench/report.py "$CASES" "$D/instr" "$D/meter" "$D/cccases" "$D/ccm" "$D/ccinstr" \
	"$(nproc)" "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)" "$LOAD0" \
	"$(cut -d' ' -f1-3 /proc/loadavg)" "$RUNS" "$VERS" "$SIZES" "$("$P" --version)" "$D" "$ROOT" > "$OUT"
cat "$OUT"
