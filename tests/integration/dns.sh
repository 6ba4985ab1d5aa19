# dns.sh - check-dns, conn-check's dns checks and chksrv dns against dnsmasq on a loopback port
# (servers.d/50-dnsmasq.sh): every record type, NXDOMAIN, SERVFAIL, the TCP fallback of a
# truncated answer, a silent server (the deadline holds), replies that are not ours or broken
# (the stand-in dnsstub.py), the system's resolver (tests/with-dns.sh), output formats.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
CD="$P check-dns"
T=$(printf '\t')
Y=$T_DIR/dns.$$
mkdir -p "$Y"

if ! "$P" --list | grep -qx check-dns; then
	t_skip "check-dns" "not in this build"
	return 0 2>/dev/null || exit 0
fi
if [ -z "${DNSMASQ_PORT:-}" ]; then
	t_skip "dnsmasq" "dnsmasq (Debian's dnsmasq-base) is not installed or did not start"
	return 0 2>/dev/null || exit 0
fi
S="-s 127.0.0.1 -p $DNSMASQ_PORT"

# a command whose output shows the random query id as N, for t_out
cat > "$Y/noid.sh" <<'SH'
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/id: [0-9]*$/id: N/'
exit $rc
SH
NOID="sh $Y/noid.sh"

H="HEADER-> ;; opcode: QUERY, status:"
# --- check-dns: upstream's output, one record type after another ------------------------
t_out "A" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr aa rd ra;
ANSWER-> a.test.${T}60${T}IN${T}A${T}127.0.0.5" $NOID $CD $S -H a.test
t_out "AAAA" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr aa rd ra;
ANSWER-> h.test.${T}60${T}IN${T}AAAA${T}::7" $NOID $CD $S -H h.test -q aaaa
t_out "MX" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr aa rd ra;
ANSWER-> a.test.${T}60${T}IN${T}MX${T}10 mx.a.test." $NOID $CD $S -H a.test -q MX
t_out "TXT, quoted and escaped" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr aa rd ra;
ANSWER-> t2.test.${T}60${T}IN${T}TXT${T}\"a b\" \"q\\\"uote\"" $NOID $CD $S -H t2.test -q TXT
t_out "CNAME and its target" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr aa rd ra;
ANSWER-> c.test.${T}60${T}IN${T}CNAME${T}h.test.
ANSWER-> h.test.${T}60${T}IN${T}A${T}127.0.0.7" $NOID $CD $S -H c.test
t_run "SRV" 0 "^ANSWER-> _x\._tcp\.a\.test\.${T}60${T}IN${T}SRV${T}1 2 8080 h\.test\.$" \
	$CD $S -H _x._tcp.a.test -q SRV
t_run "PTR" 0 "^ANSWER-> 7\.0\.0\.127\.in-addr\.arpa\.${T}60${T}IN${T}PTR${T}h\.test\.$" \
	$CD $S -H 7.0.0.127.in-addr.arpa -q PTR
t_run "NS" 0 "^ANSWER-> auth\.test\.${T}[0-9]+${T}IN${T}NS${T}ns\.auth\.test\.$" \
	$CD $S -H auth.test -q NS
t_run "SOA" 0 "${T}IN${T}SOA${T}ns\.auth\.test\. hostmaster\.auth\.test\. 2024010101 [0-9]+ [0-9]+ [0-9]+ [0-9]+$" \
	$CD $S -H auth.test -q SOA
t_run "class CH: version.bind" 0 "^ANSWER-> version\.bind\.${T}[0-9]+${T}CH${T}TXT${T}\"dnsmasq-" \
	$CD $S -H version.bind -q TXT -c ch
t_out "no record of the type: NOERROR, no answer" 0 "DNS OK: $H NOERROR, id: N
;; flags: qr rd ra;" $NOID $CD $S -H a.test -q AAAA
t_out "NXDOMAIN is CRITICAL" 2 "DNS CRITICAL: $H NXDOMAIN, id: N
;; flags: qr rd ra;" $NOID $CD $S -H nx.test
t_run "--norec: no rd" 0 "^;; flags: qr aa ra;$" $CD $S -H a.test --norec
t_run "long options" 0 "^ANSWER-> a\.test\..*MX" $CD --server 127.0.0.1 --port "$DNSMASQ_PORT" \
	--host a.test --querytype MX --queryclass IN
t_run "the name with its final dot" 0 "^ANSWER-> a\.test\.${T}" $CD $S -H a.test.

# --- -e: upstream's table (check_dns.go), two.test has 127.0.0.1 and 127.0.0.2 -------------
t_run "-e both: OK" 0 "^DNS OK: " $CD $S -H two.test -e 127.0.0.1 -e 127.0.0.2
t_run "-e both and one more: WARNING" 1 "^DNS WARNING: " $CD $S -H two.test -e 127.0.0.1 \
	-e 127.0.0.2 -e 127.0.0.3
t_run "-e one of two: WARNING" 1 "^DNS WARNING: " $CD $S -H two.test -e 127.0.0.1
t_run "-e one right, one wrong: WARNING" 1 "^DNS WARNING: " $CD $S -H two.test -e 127.0.0.1 -e 127.0.0.3
t_run "-e wrong: CRITICAL" 2 "^DNS CRITICAL: " $CD $S -H two.test -e 127.0.0.3
t_run "-e three wrong: CRITICAL" 2 "^DNS CRITICAL: " $CD $S -H two.test -e 127.0.0.3 -e 127.0.0.4 -e 127.0.0.5
t_run "-e TXT without its quotes: OK" 0 "^DNS OK: " $CD $S -H t.test -q TXT -e 'hello world'
t_run "-e MX: preference and name" 0 "^DNS OK: " $CD $S -H a.test -q MX -e '10 mx.a.test.'
t_run "-e CNAME and A: both" 0 "^DNS OK: " $CD $S -H c.test -e h.test. -e 127.0.0.7
t_run "-e on NXDOMAIN: CRITICAL" 2 "status: NXDOMAIN" $CD $S -H nx.test -e 127.0.0.1

# --- upstream's own refusals (CRITICAL), and usage errors (UNKNOWN) -------------------------
t_out "-q AAA" 2 "DNS CRITICAL: AAA is not supported query type" $CD $S -H a.test -q AAA
t_out "-c INN" 2 "DNS CRITICAL: INN is invalid query class" $CD $S -H a.test -c INN
t_out "a name with an empty label" 2 "DNS CRITICAL: host: 'a..test' is not a DNS name" $CD $S -H a..test
t_run "no -H" 3 "required flag '-H, --host'" $CD $S
t_run "a bad port" 3 "invalid port" $CD -H a.test -p 70000
t_run "--help" 0 "^usage: check-dns" $CD --help

# --- transport: TCP fallback, silence, refusal, replies not ours ---------------------------
t_run "truncated: asked again over TCP" 0 "^ANSWER-> big\.test\.${T}60${T}IN${T}TXT${T}\"x{250}\" \"x{250}\" \"x{250}\"$" \
	$CD $S -H big.test -q TXT
t_run "truncated: dns.truncated" 0 '"dns.truncated": true' $CD $S -H big.test -q TXT --format json
t_run "not truncated: dns.truncated false" 0 '"dns.truncated": false' $CD $S -H a.test --format json
t_by 1 t_run "a silent server: -t 1 holds" 2 "^DNS CRITICAL: 127\.0\.0\.1:$U_SILENT: timeout after 1s" \
	$CD -s 127.0.0.1 -p "$U_SILENT" -H a.test -t 1
t_by 2 t_run "a silent server: 2 s by default" 2 "timeout after 2s" $CD -s 127.0.0.1 -p "$U_SILENT" -H a.test
t_run "a closed port" 2 "^DNS CRITICAL: 127\.0\.0\.1:$P_CLOSED: .*connection refused" \
	$CD -s 127.0.0.1 -p "$P_CLOSED" -H a.test
t_run "SERVFAIL is CRITICAL" 2 "status: SERVFAIL" $CD -s 127.0.0.1 -p "$DS_SERVFAIL" -H a.test
t_run "a reply with another id is passed over" 0 "^ANSWER-> a\.test\.${T}60${T}IN${T}A${T}127\.0\.0\.9$" \
	$CD -s 127.0.0.1 -p "$DS_WRONGID" -H a.test
t_out "a compression loop is a clean failure" 2 \
	"DNS CRITICAL: 127.0.0.1:$DS_LOOP: bad reply: answer 1: a compression pointer points forward" \
	$CD -s 127.0.0.1 -p "$DS_LOOP" -H a.test
_l=$(printf '%063d' 0 | tr 0 l)
t_run "truncated: a name of 255 bytes over TCP (a 2-byte length over 255)" 0 \
	"^ANSWER-> $_l\.$_l\.$_l\.${_l%??}\.${T}60${T}IN${T}A${T}127\.0\.0\.9$" \
	$CD -s 127.0.0.1 -p "$DS_TCP" -H "$_l.$_l.$_l.${_l%??}"
t_run "truncated, and no TCP" 2 "^DNS CRITICAL: 127\.0\.0\.1:$DS_TCONLY over TCP: connection refused" \
	$CD -s 127.0.0.1 -p "$DS_TCONLY" -H a.test

# --- the shared options ----------------------------------------------------------------------
t_run "--format json" 0 '"applet": "check-dns", "verdict": "OK".*"type": "dns", "target": "a\.test/A@127\.0\.0\.1:[0-9]+".*"dns\.rcode": "NOERROR".*"dns\.answers": \["127\.0\.0\.5"\]' \
	$CD $S -H a.test --format json
t_run "--format prometheus" 0 '^probe_success\{name="check-dns",type="dns",target="a\.test/A@127\.0\.0\.1:[0-9]+"\} 1$' \
	$CD $S -H a.test --format prometheus
t_out "--quiet on OK" 0 "" $CD $S -H a.test --quiet
t_run "--exit-codes docker" 1 "NXDOMAIN" $CD $S -H nx.test --exit-codes docker
t_run "options from the environment" 0 "127\.0\.0\.5" env PROBEBOX_CHECK_DNS_SERVER=127.0.0.1 \
	PROBEBOX_CHECK_DNS_PORT="$DNSMASQ_PORT" $CD -H a.test

# --- the system's resolver: the first nameserver of resolv.conf (the harness's dnsd) -------
if [ -n "$T_NS_WHY" ]; then
	t_skip "resolv.conf" "$T_NS_WHY"
else
	t_run "no -s: the first nameserver of /etc/resolv.conf" 0 "^ANSWER-> dns\.test\.${T}60${T}IN${T}A${T}127\.0\.0\.1$" \
		"$T_NS" ok $CD -H dns.test
	t_by 1 t_run "no -s: a resolver that never answers" 2 "timeout after 1s" "$T_NS" sink $CD -H dns.test -t 1
fi

# --- conn-check type: dns ----------------------------------------------------------------------
if "$P" --list | grep -qx conn-check; then
	cat > "$Y/cc.yaml" <<YAML
- {type: dns, host: a.test, server: 127.0.0.1, port: $DNSMASQ_PORT}
- {type: dns, host: two.test, server: 127.0.0.1, port: $DNSMASQ_PORT, expect: [127.0.0.2, 127.0.0.1]}
- {type: dns, host: big.test, qtype: TXT, server: 127.0.0.1, port: $DNSMASQ_PORT}
- {type: dns, host: a.test, qtype: MX, norec: true, server: 127.0.0.1, port: $DNSMASQ_PORT,
   expect: [10 mx.a.test.]}
YAML
	t_out "conn-check: OK" 0 "dns:a.test/A@127.0.0.1:$DNSMASQ_PORT OK
dns:a.test/MX@127.0.0.1:$DNSMASQ_PORT OK
dns:big.test/TXT@127.0.0.1:$DNSMASQ_PORT OK
dns:two.test/A@127.0.0.1:$DNSMASQ_PORT OK" $P conn-check "$Y/cc.yaml"
	cat > "$Y/bad.yaml" <<YAML
- {type: dns, host: nx.test, server: 127.0.0.1, port: $DNSMASQ_PORT}
- {type: dns, host: two.test, server: 127.0.0.1, port: $DNSMASQ_PORT, expect: [127.0.0.1]}
- {type: dns, host: a.test, server: 127.0.0.1, port: $DS_SERVFAIL}
- {type: dns, host: a.test, server: 127.0.0.1, port: $U_SILENT, timeout: 1}
YAML
	t_by 1 t_run "conn-check: failures" 2 "" $P conn-check "$Y/bad.yaml"
	for l in "dns:a.test/A@127.0.0.1:$DS_SERVFAIL FAILED - (a.test/A@127.0.0.1:$DS_SERVFAIL) 127.0.0.1:$DS_SERVFAIL answered SERVFAIL" \
		"dns:a.test/A@127.0.0.1:$U_SILENT FAILED - (a.test/A@127.0.0.1:$U_SILENT) 127.0.0.1:$U_SILENT: timeout after 1s while reading" \
		"dns:nx.test/A@127.0.0.1:$DNSMASQ_PORT FAILED - (nx.test/A@127.0.0.1:$DNSMASQ_PORT) 127.0.0.1:$DNSMASQ_PORT answered NXDOMAIN" \
		"dns:two.test/A@127.0.0.1:$DNSMASQ_PORT FAILED - (two.test/A@127.0.0.1:$DNSMASQ_PORT) the answers are not those expected"; do
		if printf '%s\n' "$T_OUT" | grep -qxF -- "$l"; then t_ok "conn-check: ${l%% - *}"
		else t_fail "conn-check: ${l%% - *}" "no line '$l' in: $T_OUT"; fi
	done
	t_run "conn-check: --format json" 0 '"name": "dns:big\.test/TXT@127\.0\.0\.1:[0-9]+", "type": "dns".*"dns\.truncated": true' \
		$P conn-check --format json "$Y/cc.yaml"
	printf -- '- {type: dns, host: a.test, qtype: AXFR}\n' > "$Y/badtype.yaml"
	t_run "conn-check: a bad qtype is a config error" 3 "badtype\.yaml:1:.*qtype: 'AXFR' is not a DNS type" \
		$P conn-check "$Y/badtype.yaml"
else
	t_skip "conn-check" "not in this build"
fi

# --- chksrv dns NAME PORT -p server=ADDR ------------------------------------------------------
if "$P" --list | grep -qx chksrv; then
	C="$P chksrv"
	t_run "chksrv dns" 0 "^dns\.rcode: NOERROR$" $C dns -p server=127.0.0.1 a.test "$DNSMASQ_PORT"
	t_run "chksrv dns: answers" 0 "^dns\.answers: \['127\.0\.0\.5'\]$" $C dns -p server=127.0.0.1 a.test "$DNSMASQ_PORT"
	t_run "chksrv dns -p qtype=MX -e" 0 "^dns\.answers: \['10 mx\.a\.test\.'\]$" $C dns -p server=127.0.0.1 \
		-p qtype=MX -e '"10 mx.a.test." in dns.answers' a.test "$DNSMASQ_PORT"
	t_run "chksrv dns -e that fails" 1 "" $C -r 0 dns -p server=127.0.0.1 -e 'dns.rcode == "NXDOMAIN"' \
		a.test "$DNSMASQ_PORT"
	t_run "chksrv dns: NXDOMAIN fails" 1 "answered NXDOMAIN" $C -r 0 dns -p server=127.0.0.1 nx.test "$DNSMASQ_PORT"
	t_run "chksrv dns -p norec=True" 0 "^dns\.flags: qr aa ra$" $C dns -p server=127.0.0.1 -p norec=True \
		a.test "$DNSMASQ_PORT"
	t_run "chksrv dns --format json" 0 '"type": "dns".*"dns\.truncated": true' $C dns -p server=127.0.0.1 \
		-p qtype=TXT --format json big.test "$DNSMASQ_PORT"
	t_by 1 t_run "chksrv dns: a silent server" 1 "timeout after 1s" $C -r 0 --timeout 1 dns \
		-p server=127.0.0.1 a.test "$U_SILENT"
	t_run "chksrv ping is still refused" 3 "ping checks are not implemented" $C ping 127.0.0.1
else
	t_skip "chksrv" "not in this build"
fi
rm -rf "$Y"
