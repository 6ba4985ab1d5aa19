# conn_check.sh - conn-check, conn-check-export-fw, conn-check-convert-fw against loopback
# servers: names and sub-steps, tags, patterns, ordering, deadlines, TLS, UDP, HTTP, output
# formats, config errors with positions, and passwords that never show.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
if ! "$P" --list | grep -qx conn-check; then
	t_skip "conn-check" "not in this build"
	return 0 2>/dev/null || exit 0
fi
CC="$P conn-check"
Y=$T_DIR/cc.$$
mkdir -p "$Y"
CADIR=$Y/cas
mkdir -p "$CADIR" && cp "$CERTS/ca.crt" "$CADIR/test-ca.pem"

# --- names and sub-steps (compat.md 2.3), as --dry-run prints them ------------------------
cat > "$Y/names.yaml" <<YAML
- {type: tcp, host: db1, port: 5432}
- {type: ssl, host: web, port: 443}
- {type: udp, host: stats, port: 8125, send: x, expect: y}
- {type: http, url: "http://localhost/"}
- {type: https, url: "https://localhost/"}
- {type: http, url: "http://example.test:8080/p", proxy_host: proxy, proxy_port: 3128}
- {type: http, url: "//localhost/"}
YAML
t_out "dry-run names" 0 "SKIPPED: http:http://example.test:8080/p:
SKIPPED: http:http://example.test:8080/p:tcp:proxy:3128
SKIPPED: http:http://localhost/:
SKIPPED: http:http://localhost/:
SKIPPED: http:http://localhost/:tcp:localhost:80
SKIPPED: http:http://localhost/:tcp:localhost:80
SKIPPED: http:https://localhost/:
SKIPPED: http:https://localhost/:tcp:localhost:443
SKIPPED: tcp:db1:5432
SKIPPED: tls:web:443
SKIPPED: udp:stats:8125" $CC --dry-run "$Y/names.yaml"
t_out "patterns select steps by full name" 0 "SKIPPED: tcp:db1:5432
SKIPPED: tls:web:443" $CC --dry-run "$Y/names.yaml" 'tcp:*' '*:web:*'
t_out "a pattern on an http sub-step" 0 "SKIPPED: http:https://localhost/:tcp:localhost:443" \
	$CC --dry-run "$Y/names.yaml" 'http:https*tcp*'
t_run "--validate" 0 "" $CC --validate "$Y/names.yaml"
t_run "--version" 0 "^conn-check 1\.3\.1" $CC --version
t_run "--help" 0 "^usage: conn-check" $CC --help

# --- tags (upstream's 5-check fixture idea) ----------------------------------------------
cat > "$Y/tags.yaml" <<YAML
- {type: tcp, host: a, port: 1, tags: [foo]}
- {type: tcp, host: b, port: 2, tags: [bar]}
- {type: tcp, host: c, port: 3, tags: [foo, bar]}
- {type: tcp, host: d, port: 4, tags: [baz]}
- {type: tcp, host: e, port: 5}
YAML
t_out "--include-tags" 0 "SKIPPED: tcp:a:1
SKIPPED: tcp:c:3" $CC --dry-run --include-tags foo "$Y/tags.yaml"
t_out "--include-tags two" 0 "SKIPPED: tcp:a:1
SKIPPED: tcp:b:2
SKIPPED: tcp:c:3" $CC --dry-run --include-tags ' foo , bar' "$Y/tags.yaml"
t_out "--exclude-tags" 0 "SKIPPED: tcp:d:4
SKIPPED: tcp:e:5" $CC --dry-run --exclude-tags foo,bar "$Y/tags.yaml"
t_run "include and exclude together" 3 "not allowed with" $CC --dry-run --include-tags a --exclude-tags b "$Y/tags.yaml"

# --- real checks ----------------------------------------------------------------------------
cat > "$Y/run.yaml" <<YAML
- {type: tcp, host: 127.0.0.1, port: $P_FTP}
- {type: tcp, host: 127.0.0.1, port: $P_CLOSED}
- {type: tls, host: localhost, port: $T_VALID}
- {type: tls, host: localhost, port: $T_EXPIRED}
- {type: tls, host: localhost, port: $T_WRONGHOST}
- {type: tls, host: localhost, port: $T_SELFSIGNED, disable_tls_verification: true}
- {type: udp, host: 127.0.0.1, port: $U_ECHO, send: ping, expect: pong}
- {type: udp, host: 127.0.0.1, port: $U_ECHO, send: other, expect: pong}
- {type: udp, host: 127.0.0.1, port: $U_SILENT, send: ping, expect: pong, timeout: 0.5}
- {type: http, url: "http://127.0.0.1:$H_HTTP/health"}
- {type: http, url: "http://127.0.0.1:$H_HTTP/fail"}
- {type: http, url: "http://127.0.0.1:$H_HTTP/fail", expected_code: 503}
- {type: http, url: "http://127.0.0.1:$H_HTTP/redirect"}
- {type: http, url: "http://127.0.0.1:$H_HTTP/redirect", allow_redirects: true}
- {type: https, url: "https://localhost:$H_HTTPS/health"}
- {type: https, url: "https://localhost:$H_EXPIRED/"}
- {type: https, url: "https://localhost:$H_EXPIRED/", disable_tls_verification: true}
- {type: http, url: "http://127.0.0.1:$P_CLOSED/"}
YAML
U="127.0.0.1:$H_HTTP"
printf '%s\n' "http:http://127.0.0.1:$P_CLOSED/:tcp:127.0.0.1:$P_CLOSED FAILED - (127.0.0.1:$P_CLOSED) connection refused
http:http://$U/fail: FAILED - (GET http://$U/fail) Unexpected response code: 503
http:http://$U/redirect: FAILED - (GET http://$U/redirect) Unexpected response code: 302
http:https://localhost:$H_EXPIRED/: FAILED - (GET https://localhost:$H_EXPIRED/) TLS: certificate has expired $(( ($(date +%s) - $(date -d 2020-02-01 +%s)) / 86400 )) days ago
tcp:127.0.0.1:$P_CLOSED FAILED - (127.0.0.1:$P_CLOSED) connection refused
tls:localhost:$T_EXPIRED FAILED - (localhost:$T_EXPIRED) certificate has expired $(( ($(date +%s) - $(date -d 2020-02-01 +%s)) / 86400 )) days ago
tls:localhost:$T_WRONGHOST FAILED - (localhost:$T_WRONGHOST) certificate does not match the host name (it is for DNS:wrong.example)
udp:127.0.0.1:$U_ECHO FAILED - (127.0.0.1:$U_ECHO) unexpected reply
udp:127.0.0.1:$U_SILENT FAILED - (127.0.0.1:$U_SILENT) timeout after 0.5s waiting for a reply from 127.0.0.1
http:http://$U/fail: OK
http:http://$U/fail:tcp:127.0.0.1:$H_HTTP OK
http:http://$U/fail:tcp:127.0.0.1:$H_HTTP OK
http:http://$U/health: OK
http:http://$U/health:tcp:127.0.0.1:$H_HTTP OK
http:http://$U/redirect: OK
http:http://$U/redirect:tcp:127.0.0.1:$H_HTTP OK
http:http://$U/redirect:tcp:127.0.0.1:$H_HTTP OK
http:https://localhost:$H_EXPIRED/: OK
http:https://localhost:$H_EXPIRED/:tcp:localhost:$H_EXPIRED OK
http:https://localhost:$H_EXPIRED/:tcp:localhost:$H_EXPIRED OK
http:https://localhost:$H_HTTPS/health: OK
http:https://localhost:$H_HTTPS/health:tcp:localhost:$H_HTTPS OK
tcp:127.0.0.1:$P_FTP OK
tls:localhost:$T_SELFSIGNED OK
tls:localhost:$T_VALID OK
udp:127.0.0.1:$U_ECHO OK
SKIPPED: http:http://127.0.0.1:$P_CLOSED/:" > "$Y/run.want"
t_exec $CC --tls-certs-path "$CADIR" "$Y/run.yaml"
# the same lines, in upstream's order: FAILED, then the rest, then SKIPPED; inside each, by the
# name up to its second ':', then by the whole line (ports are random, so check the rule)
if [ "$T_RC" = 2 ] && printf '%s\n' "$T_OUT" | /usr/bin/python3 -c '
import sys
got = sys.stdin.read().splitlines()
want = open(sys.argv[1]).read().splitlines()
assert sorted(got) == sorted(want), (sorted(set(got) ^ set(want)))
def key(l):
    if l.startswith("SKIPPED"): return (2, "", l)
    name, msg = l.split(" ", 1)
    return (0 if msg.startswith("FAILED") else 1, ":".join(name.split(":", 2)[:2]) + (":" if name.count(":") >= 2 else ""), l)
assert got == sorted(got, key=key), "order"
' "$Y/run.want"; then t_ok "ordered verdicts of real checks"; else t_fail "ordered verdicts of real checks" "rc=$T_RC
$T_OUT"; fi
t_run "tls without the test CA is untrusted" 2 "tls:localhost:$T_VALID FAILED - \(localhost:$T_VALID\) certificate is not trusted" \
	$CC "$Y/run.yaml" "tls:localhost:$T_VALID"
# many tls checks on the worker threads at once share one CA store (built by whichever
# comes first): each still gets its own verdict
: > "$Y/many.yaml"
: > "$Y/many.want"
EXP="certificate has expired $(( ($(date +%s) - $(date -d 2020-02-01 +%s)) / 86400 )) days ago"
for _i in 1 2 3 4 5 6 7 8; do
	printf -- '- {type: tls, host: localhost, port: %s}\n' "$T_VALID" "$T_EXPIRED" "$T_WRONGHOST" >> "$Y/many.yaml"
	printf '%s\n' "tls:localhost:$T_VALID OK" \
		"tls:localhost:$T_EXPIRED FAILED - (localhost:$T_EXPIRED) $EXP" \
		"tls:localhost:$T_WRONGHOST FAILED - (localhost:$T_WRONGHOST) certificate does not match the host name (it is for DNS:wrong.example)" \
		>> "$Y/many.want"
done
for _how in "--tls-certs-path" "the system store"; do
	if [ "$_how" = --tls-certs-path ]; then
		t_exec $CC -j 24 --tls-certs-path "$CADIR" "$Y/many.yaml"
	else
		t_exec env SSL_CERT_FILE="$CERTS/ca.crt" $CC -j 24 "$Y/many.yaml"
	fi
	if [ "$T_RC" = 2 ] && [ "$(printf '%s\n' "$T_OUT" | sort)" = "$(sort "$Y/many.want")" ]; then
		t_ok "24 tls checks at once, one CA store ($_how)"
	else
		t_fail "24 tls checks at once, one CA store ($_how)" "rc=$T_RC
$T_OUT"
	fi
done
t_out "all passing: exit 0" 0 "tcp:127.0.0.1:$P_FTP OK" $CC "$Y/run.yaml" "tcp:127.0.0.1:$P_FTP"
t_run "-U prints as it goes" 2 "^tcp:127.0.0.1:$P_CLOSED FAILED" $CC -U "$Y/run.yaml" "tcp:127.0.0.1:$P_CLOSED"
t_run "-d shows durations and timestamps" 0 "^[0-9]+\.[0-9]{3}: tcp:127.0.0.1:$P_FTP OK: \([0-9]+\.[0-9]{3} ms\)$" \
	$CC -d "$Y/run.yaml" "tcp:127.0.0.1:$P_FTP"
t_run "-d on a failure" 2 "^[0-9.]+: tcp:127.0.0.1:$P_CLOSED FAILED: \([0-9.]+ ms\) - \(127.0.0.1:$P_CLOSED\) connection refused$" \
	$CC -d "$Y/run.yaml" "tcp:127.0.0.1:$P_CLOSED"
t_out "-v start lines are ordered too" 0 "Starting tcp:127.0.0.1:$P_FTP (127.0.0.1:$P_FTP)...
tcp:127.0.0.1:$P_FTP OK" $CC -v "$Y/run.yaml" "tcp:127.0.0.1:$P_FTP"
t_run "-t adds a detail line" 2 "^  connect failed after" $CC -t "$Y/run.yaml" "tcp:127.0.0.1:$P_CLOSED"

# --- HTTP features: proxy, auth, headers, params, body ------------------------------------
cat > "$Y/http.yaml" <<YAML
- type: http
  url: http://127.0.0.1:$H_HTTP/health
  proxy_host: 127.0.0.1
  proxy_port: $X_PROXY
- type: http
  url: http://127.0.0.1:$H_HTTP/basic
  auth: [basicuser, basicpass]
- type: http
  url: http://127.0.0.1:$H_HTTP/basic?wrong
  auth: [basicuser, wrongpass-s3cret]
- type: http
  url: http://127.0.0.1:$L_HTTP/digest/
  digest_auth: [digestuser, digestpass]
- type: http
  url: http://basicuser:basicpass@127.0.0.1:$H_HTTP/basic?userinfo
YAML
t_run "http through a proxy" 0 "^http:http://127.0.0.1:$H_HTTP/health:tcp:127.0.0.1:$X_PROXY OK" $CC "$Y/http.yaml" "*/health*"
t_out "basic auth" 0 "http:http://127.0.0.1:$H_HTTP/basic: OK
http:http://127.0.0.1:$H_HTTP/basic:tcp:127.0.0.1:$H_HTTP OK" $CC "$Y/http.yaml" "http:http://127.0.0.1:$H_HTTP/basic:*"
t_run "basic auth, wrong password" 2 "/basic\?wrong: FAILED - \(GET http://127.0.0.1:$H_HTTP/basic\?wrong\) Unexpected response code: 401" \
	$CC "$Y/http.yaml" "*wrong*"
t_run "digest auth" 0 "^http:http://127.0.0.1:$L_HTTP/digest/: OK" $CC "$Y/http.yaml" "*/digest/*"
t_run "userinfo in the URL is redacted" 0 "http:http://basicuser:\*\*\*@127.0.0.1:$H_HTTP/basic\?userinfo: OK" \
	$CC "$Y/http.yaml" "*basicuser*"
for mode in "" "-v" "-t" "--dry-run" "--format=json" "--format=prometheus" "-U -d -v -t"; do
	# shellcheck disable=SC2086
	t_exec $CC $mode "$Y/http.yaml"
	case $T_OUT in
	*basicpass*|*s3cret*|*digestpass*) t_fail "no password in output ($mode)" "$T_OUT" ;;
	*) t_ok "no password in output ($mode)" ;;
	esac
done
# a URL without a path, and one too long to fetch (params), still never show the password
long=$(printf '%09000d' 0)
cat > "$Y/nopath.yaml" <<YAML
- {type: http, url: "http://basicuser:basicpass@127.0.0.1:$H_HTTP"}
- {type: http, url: "http://basicuser:basicpass@127.0.0.1:$H_HTTP/long", params: {a: "$long"}}
YAML
for mode in "" "--dry-run" "--format=json"; do
	# shellcheck disable=SC2086
	t_exec $CC $mode "$Y/nopath.yaml"
	case $T_OUT in
	*basicpass*) t_fail "no password in output, URL without a path or too long ($mode)" "$T_OUT" ;;
	*basicuser:\*\*\*@*) t_ok "no password in output, URL without a path or too long ($mode)" ;;
	*) t_fail "no password in output, URL without a path or too long ($mode)" "no redacted name: $T_OUT" ;;
	esac
done
# passwords with '/', '?' or '#' break the URL (a config error, exit 3); with '%', '@' or ':'
# they do not: no piece of them shows, with -v or not, in any format
for pw in 's3cr3t/PWxq' 's3cr3t?PWxq' 's3cr3t#PWxq'; do
	printf -- '- {type: http, url: "http://admin:%s@127.0.0.1:%s/whoami"}\n' "$pw" "$H_HTTP" > "$Y/badpw.yaml"
	for mode in "" "-v" "--dry-run"; do
		# shellcheck disable=SC2086
		t_hides "password '$pw' in a URL that does not parse ($mode)" 3 \
			'badpw.yaml:1:[0-9]+: bad url: invalid host or port \(in a user name or password' "$pw" $CC $mode "$Y/badpw.yaml"
	done
done
printf -- '- {type: http, url: "//ad]m/in:s3cr3tPWxq@127.0.0.1:%s/"}\n' "$H_HTTP" > "$Y/baduser.yaml"
t_hides "a user name with ']' and '/', no scheme" 3 'bad url: invalid host or port' 's3cr3tPWxq' \
	$CC -v "$Y/baduser.yaml"
printf -- '- {type: http, url: "ftp://admin:s3cr3tPWxq@127.0.0.1/"}\n' > "$Y/ftppw.yaml"
t_hides "a URL without an http scheme" 3 "url needs an http or https scheme: ftp://admin:\\*\\*\\*@127" \
	's3cr3tPWxq' $CC "$Y/ftppw.yaml"
for pw in 's3cr3t%zzPWxq' 's3cr3t@PWxq' 's3cr3t:PWxq:x'; do
	cat > "$Y/pw.yaml" <<YAML
- {type: http, url: "http://admin:$pw@127.0.0.1:$H_HTTP/whoami"}
- {type: http, url: "http://admin:$pw@127.0.0.1:$P_CLOSED/"}
YAML
	for mode in "" "-v" "-t" "--format=json" "--format=prometheus"; do
		# shellcheck disable=SC2086
		t_hides "password '$pw' in the URL ($mode)" 2 "" "$pw" $CC $mode "$Y/pw.yaml"
	done
	t_hides "password '$pw' in the URL: the verdicts" 2 \
		"^http:http://admin:\\*\\*\\*@127\\.0\\.0\\.1:$H_HTTP/whoami: OK" "$pw" $CC "$Y/pw.yaml"
	t_hides "password '$pw' in the URL (--dry-run)" 0 \
		"^SKIPPED: http:http://admin:\\*\\*\\*@127\\.0\\.0\\.1:$P_CLOSED/:tcp:127\\.0\\.0\\.1:$P_CLOSED$" \
		"$pw" $CC --dry-run "$Y/pw.yaml"
done
printf -- '- {type: http, url: "http://localhost:%s/admin:s3cr3tPWxq@127.0.0.1:%s/"}\n' "$P_CLOSED" "$H_HTTP" > "$Y/pathpw.yaml"
for mode in "" "-v" "--format=json"; do
	# shellcheck disable=SC2086
	t_hides "a URL that parses with a password's '/' in the path ($mode)" 2 \
		"http:http://\\*\\*\\*@127\\.0\\.0\\.1:$H_HTTP/:tcp:localhost:$P_CLOSED" 's3cr3tPWxq' $CC $mode "$Y/pathpw.yaml"
done
# a server that answers 200 only to exactly the request the check describes
t_tserve W_STRICT recvhdr 'if:\r\n\r\nhello' 'if:POST /post?q=a+b&lang=en HTTP/1.1\r\n' 'if:\r\nX-One: 1\r\n' \
	'if:\r\nX-Many: a\r\n' 'if:\r\nX-Many: b\r\n' 'if:\r\nCookie: session=abc\r\n' \
	'if:\r\nContent-Length: 5\r\n' 'send:HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' close
cat > "$Y/echo.yaml" <<YAML
- type: http
  method: POST
  url: http://127.0.0.1:$W_STRICT/post
  timeout: 3
  headers: {X-One: "1", X-Many: [a, b]}
  params: {q: "a b", lang: en}
  cookies: {session: abc}
  body: hello
  expected_code: 200
YAML
t_run "http POST with params, headers, cookies and body" 0 "^http:http://127.0.0.1:$W_STRICT/post: OK$" $CC "$Y/echo.yaml"
sed -i 's/X-One: "1"/X-One: "2"/' "$Y/echo.yaml"
t_run "the strict server refuses another request" 2 "post: FAILED" $CC "$Y/echo.yaml"

# a low descriptor limit slows the run down, it does not fail checks (every check at once by default)
i=0
while [ $i -lt 230 ]; do echo "- {type: tcp, host: localhost, port: $P_FTP}"; i=$((i + 1)); done > "$Y/fds.yaml"
t_exec sh -c 'ulimit -n 64 && exec "$@"' sh $CC "$Y/fds.yaml"
nok=$(printf '%s\n' "$T_OUT" | grep -c ' OK$')
if [ "$T_RC" = 0 ] && [ "$nok" = 230 ]; then t_ok "230 checks with ulimit -n 64"
else t_fail "230 checks with ulimit -n 64" "exit $T_RC, $nok OK: $(printf '%s\n' "$T_OUT" | grep -v ' OK$' | head -3)"; fi
# --- deadlines: black holes do not delay the others; --max-timeout ends everything ---------
{
	i=0
	while [ $i -lt 80 ]; do echo "- {type: tcp, host: 127.0.0.1, port: $P_FTP}"; i=$((i + 1)); done
	while [ $i -lt 160 ]; do echo "- {type: tcp, host: 127.0.0.$((i % 200 + 2)), port: $P_CLOSED}"; i=$((i + 1)); done
	while [ $i -lt 220 ]; do echo "- {type: tcp, host: 127.0.0.1, port: $P_BLACKHOLE, timeout: 30}"; i=$((i + 1)); done
	while [ $i -lt 230 ]; do echo "- {type: udp, host: 127.0.0.1, port: $U_SILENT, send: a, expect: b, timeout: 30}"; i=$((i + 1)); done
} > "$Y/many.yaml"
t_exec $CC --max-timeout 2 "$Y/many.yaml"
t_ended_by "--max-timeout 2 against 30 s black holes ends by 3.5 s" 2
first=$(printf '%s\n' "$T_OUT" | head -1)
nl=$(printf '%s\n' "$T_OUT" | wc -l)
nto=$(printf '%s\n' "$T_OUT" | grep -c 'FAILED - .*timeout: --max-timeout of 2.0s reached')
nok=$(printf '%s\n' "$T_OUT" | grep -c ' OK$')
nref=$(printf '%s\n' "$T_OUT" | grep -c 'connection refused$')
if [ "$T_RC" = 2 ] && [ "$first" = "Maximum timeout reached: 2.0s" ] && [ "$nl" = 231 ] && [ "$nto" = 70 ] &&
	[ "$nok" = 80 ] && [ "$nref" = 80 ]; then
		t_ok "--max-timeout: 230 checks, every verdict printed"
else
	t_fail "--max-timeout: 230 checks, every verdict printed" "rc=$T_RC first='$first' lines=$nl timeouts=$nto ok=$nok refused=$nref
$(printf '%s\n' "$T_OUT" | grep -v 'max-timeout of\| OK$\|refused$')"
fi
# a stdout nobody reads (an exec probe whose output is not drained): the deadline still holds,
# and the exit status is the verdict; the wrapper measures the child from its start to its end
cat > "$Y/undrained.py" <<'EOF'
import subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
rc = p.wait()
print("rc=%d ms=%d" % (rc, (time.monotonic() - t) * 1000))
EOF
{
	i=0
	while [ $i -lt 1200 ]; do echo "- {type: tcp, host: 127.0.0.1, port: $P_CLOSED}"; i=$((i + 1)); done
	echo "- {type: udp, host: 127.0.0.1, port: $U_SILENT, send: a, expect: b, timeout: 30}"
} > "$Y/undrained.yaml"
undrained() {	# NAME OPTION...
	_n=$1
	shift
	t_exec /usr/bin/python3 "$Y/undrained.py" $CC "$@" --max-timeout 2 "$Y/undrained.yaml"
	_ms=${T_OUT##*ms=}
	case $T_OUT in
	"rc=2 ms="*) if [ "$_ms" -le $((2000 + T_MARGIN_MS)) ]; then t_ok "$_n"; else
		t_fail "$_n" "ended after $_ms ms, past --max-timeout 2 + the margin"; fi ;;
	*) t_fail "$_n" "expected exit 2 within the deadline, got: $T_OUT" ;;
	esac
}
undrained "--max-timeout holds with stdout never read (text)"
undrained "--max-timeout holds with stdout never read (-U)" -U
undrained "--max-timeout holds with stdout never read (json)" --format json
t_exec $CC --max-timeout 2 --format json "$Y/many.yaml"
t_ended_by "--max-timeout 2 --format json ends by 3.5 s" 2
if [ "$T_RC" = 2 ] && printf '%s' "$T_OUT" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["checks"])==230, len(d["checks"])'; then
	t_ok "--max-timeout with --format json: 230 objects"
else
	t_fail "--max-timeout with --format json: 230 objects" "rc=$T_RC $(printf '%s' "$T_OUT" | tail -3)"
fi
cat > "$Y/mixed.yaml" <<YAML
- {type: tcp, host: 127.0.0.1, port: $P_BLACKHOLE, timeout: 1}
- {type: tcp, host: 127.0.0.1, port: $P_FTP}
YAML
t_by 1 t_out "a black-holed check fails by its own timeout" 2 "tcp:127.0.0.1:$P_BLACKHOLE FAILED - (127.0.0.1:$P_BLACKHOLE) timeout after 1s while connecting
tcp:127.0.0.1:$P_FTP OK" $CC "$Y/mixed.yaml"
cat > "$Y/bh.yaml" <<YAML
- {type: tcp, host: 127.0.0.1, port: $P_BLACKHOLE}
YAML
t_by 0.5 t_out "--connect-timeout" 2 "tcp:127.0.0.1:$P_BLACKHOLE FAILED - (127.0.0.1:$P_BLACKHOLE) timeout after 0.5s while connecting" \
	$CC --connect-timeout 0.5 "$Y/bh.yaml"
t_run "-j 1 still finishes" 0 "OK" $CC -j 1 "$Y/run.yaml" "tcp:127.0.0.1:$P_FTP"

# --- output formats -------------------------------------------------------------------------
t_exec $CC --format json --tls-certs-path "$CADIR" "$Y/run.yaml"
if printf '%s' "$T_OUT" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["applet"] == "conn-check" and d["verdict"] == "FAILED" and d["exit_code"] == 2, d
c = d["checks"]
assert all(set(o) >= {"name", "type", "target", "verdict", "reason", "duration_seconds", "record"} for o in c)
assert any(o["verdict"] == "FAILED" and "expired" in (o["reason"] or "") for o in c)
assert any(o["verdict"] == "SKIPPED" for o in c)
assert any(o["verdict"] == "OK" and o["record"].get("tcp.success") is True for o in c)
'; then t_ok "--format json"; else t_fail "--format json" "$T_OUT"; fi
t_run "--format prometheus" 2 "^probe_success\{name=\"tcp:127.0.0.1:$P_FTP\",type=\"tcp\",target=\"127.0.0.1:$P_FTP\"\} 1$" \
	$CC --format prometheus "$Y/run.yaml"
t_run "--format prometheus failure" 2 "^probe_success\{name=\"tcp:127.0.0.1:$P_CLOSED\",.*\} 0$" \
	$CC --format prometheus "$Y/run.yaml"
t_run "--format bogus" 3 "expected text, json or prometheus" $CC --format xml "$Y/run.yaml"

# --- bad configs: what and where, exit 3 ---------------------------------------------------
bad() {	# NAME REGEX YAML
	printf '%s\n' "$3" > "$Y/bad.yaml"
	t_run "bad config: $1" 3 "$2" $CC "$Y/bad.yaml"
}
bad "unknown type" "bad.yaml:1:9: unknown check type 'foo'" "- type: foo"
bad "missing host" "bad.yaml:1:3: host missing from check" "- type: tcp
  port: 1"
bad "bad port" "bad.yaml:1:30: expected an integer" "- {type: tcp, host: a, port: [1]}"
bad "port out of range" "bad.yaml:1:30: integer 70000 out of range" "- {type: tcp, host: a, port: 70000}"
bad "an anchor" "bad.yaml:1:3:" "- &a {type: tcp, host: a, port: 1}"
bad "a tab as indentation" "bad.yaml:2:1:" "- type: tcp
	host: a"
bad "not a list" "bad.yaml:1:1: expected a list of checks" "type: tcp"
bad "a list item that is not a mapping" "bad.yaml:1:3: expected a check" "- tcp"
bad "udp without expect" "expect missing from check" "- {type: udp, host: a, port: 1, send: x}"
bad "http without url" "url missing from check" "- {type: http}"
bad "bad url" "bad url" "- {type: http, url: 'http://[::1/'}"
bad "auth not a pair" "expected a list" "- {type: http, url: 'http://a/', auth: x}"
bad "bad timeout" "timeout must be above 0" "- {type: tcp, host: a, port: 1, timeout: 0}"
t_run "unknown key is a warning with its place" 0 "bad.yaml:1:[0-9]+: warning: unknown key 'verify' in a tcp check" \
	sh -c "printf -- '- {type: tcp, host: 127.0.0.1, port: $P_FTP, verify: true}\n' > '$Y/bad.yaml'; $CC '$Y/bad.yaml'"
t_run "missing file" 3 "nonexistent.yaml" $CC "$Y/nonexistent.yaml"
t_run "no config file" 3 "required: config_file" $CC
t_run "empty file: nothing to do" 0 "" sh -c ": > '$Y/empty.yaml'; $CC '$Y/empty.yaml'"

# --- conn-check-export-fw and conn-check-convert-fw ----------------------------------------
# (not indented: a build without the two applets skips the section and says so)
fw=$($P --list | grep -cx "conn-check-export-fw\|conn-check-convert-fw")
if [ "$fw" = 2 ]; then
ME=$(hostname)
t_out "export-fw" 0 "egress:
- from_host: $ME
  ports: [5432]
  protocol: tcp
  to_host: db1
- from_host: $ME
  ports: [443]
  protocol: tcp
  to_host: web
- from_host: $ME
  ports: [8125]
  protocol: udp
  to_host: stats
- from_host: $ME
  ports: [80, 443]
  protocol: tcp
  to_host: localhost
- from_host: $ME
  ports: [3128]
  protocol: tcp
  to_host: proxy" $P conn-check-export-fw "$Y/names.yaml"
t_out "export-fw with tags" 0 "egress:
- from_host: $ME
  ports: [1]
  protocol: tcp
  to_host: a
- from_host: $ME
  ports: [3]
  protocol: tcp
  to_host: c" $P conn-check-export-fw --include-tags foo "$Y/tags.yaml"
i=1
while [ $i -le 70 ]; do echo "- {type: tcp, host: many, port: $i}"; i=$((i + 1)); done > "$Y/ports.yaml"
t_run "export-fw lists every port of a host (70)" 0 "ports: \\[1, 2, .*, 64, 65, 66, 67, 68, 69, 70\\]" \
	$P conn-check-export-fw "$Y/ports.yaml"
cat > "$Y/fw1.yaml" <<YAML
egress:
- {from_host: me, ports: [80, 443], protocol: tcp, to_host: 127.0.0.1}
- {from_host: me, ports: [53], protocol: udp, to_host: '::1'}
YAML
cat > "$Y/fw2.yaml" <<YAML
egress:
- {from_host: me, ports: [443, 8443], protocol: tcp, to_host: 127.0.0.1}
YAML
t_out "convert-fw aws, merged files" 0 "aws ec2 authorize-security-group-egress --group-id \$SECGROUP --protocol tcp --port 80 --cidr 127.0.0.1/32
aws ec2 authorize-security-group-egress --group-id \$SECGROUP --protocol tcp --port 443 --cidr 127.0.0.1/32
aws ec2 authorize-security-group-egress --group-id \$SECGROUP --protocol tcp --port 8443 --cidr 127.0.0.1/32
aws ec2 authorize-security-group-egress --group-id \$SECGROUP --protocol udp --port 53 --cidr ::1/128" \
	$P conn-check-convert-fw -t EC2 "$Y/fw1.yaml" "$Y/fw2.yaml"
t_out "convert-fw neutron" 0 "neutron security-group-rule-create --direction egress --ethertype IPv4 --protocol tcp  --port-range-min 80 --port-range-max 80  --remote-ip-prefix 127.0.0.1/32 grp
neutron security-group-rule-create --direction egress --ethertype IPv4 --protocol tcp  --port-range-min 443 --port-range-max 443  --remote-ip-prefix 127.0.0.1/32 grp
neutron security-group-rule-create --direction egress --ethertype IPv6 --protocol udp  --port-range-min 53 --port-range-max 53  --remote-ip-prefix ::1/128 grp" \
	$P conn-check-convert-fw --type openstack --group grp "$Y/fw1.yaml"
t_out "convert-fw nova" 0 "nova secgroup-add-rule g tcp 80 80 127.0.0.1/32
nova secgroup-add-rule g tcp 443 443 127.0.0.1/32
nova secgroup-add-rule g udp 53 53 ::1/128" $P conn-check-convert-fw -t nova --group g "$Y/fw1.yaml"
t_out "convert-fw iptables" 0 "iptables -A FORWARD -p tcp --dport 80 -s me -d 127.0.0.1 -j ACCEPT
iptables -A FORWARD -p tcp --dport 443 -s me -d 127.0.0.1 -j ACCEPT
ip6tables -A FORWARD -p udp --dport 53 -s me -d ::1 -j ACCEPT" $P conn-check-convert-fw -t iptables "$Y/fw1.yaml"
t_out "convert-fw ufw" 0 "ufw allow proto tcp from any to 127.0.0.1/32 port 80
ufw allow proto tcp from any to 127.0.0.1/32 port 443
ufw allow proto udp from any to ::1/128 port 53" $P conn-check-convert-fw -t ufw "$Y/fw1.yaml"
t_run "convert-fw bad type" 3 "Error: invalid output type \(pf\)" $P conn-check-convert-fw -t pf "$Y/fw1.yaml"
t_run "convert-fw needs -t" 3 "required: -t/--type" $P conn-check-convert-fw "$Y/fw1.yaml"
t_run "convert-fw bad rule" 3 "fw.yaml:2:3: rule without 'to_host'" sh -c \
	"printf 'egress:\n- {from_host: a, ports: [1], protocol: tcp}\n' > '$Y/fw.yaml'; $P conn-check-convert-fw -t ufw '$Y/fw.yaml'"
t_run "export then convert" 0 "^ufw allow proto tcp from any to 127.0.0.1/32 port $P_FTP$" sh -c \
	"$P conn-check-export-fw '$Y/run.yaml' 'tcp:*' > '$Y/exp.yaml' && $P conn-check-convert-fw -t ufw '$Y/exp.yaml'"
printf -- '- {type: tcp, host: 127.0.0.1, port: 1}\n- {type: tcp, host: "::1", port: 2}\n- {type: udp, host: "10", port: 3, send: a, expect: b}\n' > "$Y/ips.yaml"
t_out "export-fw writes addresses as PyYAML does" 0 "egress:
- from_host: $ME
  ports: [1]
  protocol: tcp
  to_host: 127.0.0.1
- from_host: $ME
  ports: [2]
  protocol: tcp
  to_host: '::1'
- from_host: $ME
  ports: [3]
  protocol: udp
  to_host: '10'" $P conn-check-export-fw "$Y/ips.yaml"
t_run "convert-fw refuses a host that is not a host" 3 "fw.yaml:2:15: from_host is not a host name or address" sh -c \
	"printf 'egress:\n- {from_host: \"a;rm -rf x\", ports: [1], protocol: tcp, to_host: b}\n' > '$Y/fw.yaml'; $P conn-check-convert-fw -t iptables '$Y/fw.yaml'"
else
	t_skip "conn-check-export-fw, conn-check-convert-fw" "not in this build"
fi
bad "bad proxy_url" "bad.yaml:1:45: bad proxy_url" "- {type: http, url: 'http://a/', proxy_url: 'socks5://p:1'}"
bad "port 0 in a url" "bad.yaml:1:21: bad port in url: 0" "- {type: http, url: 'http://a:0/'}"
long=$(printf 'p%.0s' $(seq 1500))
printf -- "- {type: http, url: 'http://127.0.0.1:$P_CLOSED/%s'}\n" "$long" > "$Y/long.yaml"
t_run "long names are not cut" 0 "^SKIPPED: http:http://127.0.0.1:$P_CLOSED/$long:$" $CC --dry-run "$Y/long.yaml"

# --- any probe of the build is a check type: its YAML keys are the probe's fields -----------
cat > "$Y/probe.yaml" <<YAML
- {type: lines, host: 127.0.0.1, port: $P_FTP, expect: "^220", quit: QUIT}
- {type: lines, host: 127.0.0.1, port: $P_FTP, expect: "^500"}
YAML
t_out "a probe type read through its field table" 2 "lines:127.0.0.1:$P_FTP FAILED - (127.0.0.1:$P_FTP) unexpected reply
lines:127.0.0.1:$P_FTP OK" $CC "$Y/probe.yaml"
printf -- '- {type: lines, host: 127.0.0.1, port: 99999}\n' > "$Y/probe-bad.yaml"
t_run "a bad field value is an error at its place" 3 "probe-bad.yaml:1:40: port: expected a number from 1 to 65535, got '99999'" \
	$CC "$Y/probe-bad.yaml"
printf -- '- {type: lines, host: 127.0.0.1, port: %s, nope: 1}\n' "$P_FTP" > "$Y/probe-key.yaml"
t_run "an unknown key of a probe type is a warning with its place" 0 "probe-key.yaml:1:[0-9]+: warning: unknown key 'nope' in a lines check" \
	$CC "$Y/probe-key.yaml"
printf -- '- {type: lines, host: 127.0.0.1, port: 1, expect: [a, b]}\n' > "$Y/probe-seq.yaml"
t_run "a list where a probe field takes one value" 3 "probe-seq.yaml:1:51: expect: expected a scalar" $CC "$Y/probe-seq.yaml"
