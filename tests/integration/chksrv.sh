# chksrv.sh - chksrv's tcp, ssl and http modules against the shared loopback servers
# (servers.d): parameters, the result record, -e expectations, verdicts, retries and
# timeouts, the three output formats, and that no password is ever printed.
. tests/lib.sh
. "$T_DIR/env"
C="$PROBEBOX chksrv"
CA="-p ssl.ca=$CERTS/ca.crt"
U=http://127.0.0.1:$H_HTTP
NUM='[0-9.e-]+'

# repeated headers (Set-Cookie) for the list rule; started once for all variants
[ -n "${W_COOKIES:-}" ] || t_tserve W_COOKIES recvhdr \
	'send:HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Dashed-Name: x\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok' close

# run CMD, then a python3 check that reads its stdout (stderr dropped): pass when it prints ok
t_py() {	# NAME PYCODE CMD...
	_n=$1 _py=$2
	shift 2
	_out=$(timeout -k 2 "$T_LIMIT" "$@" 2>/dev/null)
	_res=$(printf '%s' "$_out" | /usr/bin/python3 -c "$_py" 2>&1)
	if [ "$_res" = ok ]; then t_ok "$_n"; else t_fail "$_n" "python: $_res
command: $*
output: $_out"; fi
}

# elapsed seconds of CMD must lie in [MIN, MAX]
t_time() {	# NAME MIN MAX CMD...
	_n=$1 _lo=$2 _hi=$3
	shift 3
	t_exec "$@"
	if /usr/bin/python3 -c "import sys; d=$T_MS/1000; sys.exit(0 if $_lo <= d <= $_hi else 1)"; then
		t_ok "$_n"
	else
		t_fail "$_n" "took ${T_SECS}s, want $_lo..$_hi; command: $*
output: $T_OUT"
	fi
}

# --- tcp ----------------------------------------------------------------------------------
t_run "tcp open: expectation line" 0 "^res\['tcp.success'\] -> True: True$" \
	$C tcp -e "res['tcp.success']" 127.0.0.1 "$P_FTP"
t_run "tcp open: record keys" 0 "tcp.con.time.process: $NUM" $C tcp 127.0.0.1 "$P_FTP"
t_run "tcp open: shutdown time" 0 "tcp.shutdown.time.perf: $NUM" $C tcp 127.0.0.1 "$P_FTP"
t_run "tcp open: success and error None" 0 "^success: True
error: None
tcp.success: True" $C tcp 127.0.0.1 "$P_FTP"
t_run "tcp closed: exit 1, error" 1 "^error: connection refused$" $C tcp -r 0 127.0.0.1 "$P_CLOSED"
t_run "tcp closed fails even when -e True holds (upstream ignores the probe)" 1 "^True -> True: True$" \
	$C tcp -r 0 -e True 127.0.0.1 "$P_CLOSED"
t_run "tcp closed without -e" 1 "^tcp.success: False$" $C tcp -r 0 127.0.0.1 "$P_CLOSED"
t_run "tcp ipv6=False" 0 "^tcp.ipv6: False$" $C tcp -p ipv6=False 127.0.0.1 "$P_OKOK"
t_run "tcp ipv6=True on ::1" 0 "^tcp.ipv6: True$" $C tcp -p ipv6=true ::1 "$P_OKOK"
t_run "tcp ipv6=True on an IPv4 literal" 1 "^error: 127.0.0.1 is not an IPv6 address$" \
	$C tcp -r 0 -p ipv6=yes 127.0.0.1 "$P_OKOK"
t_run "tcp ipv6=prefer falls back to IPv4" 0 "^tcp.ipv6: False$" $C tcp -p ipv6=prefer 127.0.0.1 "$P_OKOK"
t_run "tcp ipv6=fallback with [::1]" 0 "^tcp.ipv6: True$" $C tcp -p ipv6=fallback '[::1]' "$P_OKOK"
t_run "tcp ipv6=prefer on localhost" 0 "^tcp.success: True$" $C tcp localhost "$P_OKOK"
t_by 0.5 t_run "black-holed: -p timeout" 1 "^error: timeout after 0.5s while connecting$" \
	$C tcp -r 0 -p timeout=0.5 127.0.0.1 "$P_BLACKHOLE"
t_time "black-holed: --timeout bounds one try" 0.4 1.5 $C tcp -r 0 --timeout 0.5 127.0.0.1 "$P_BLACKHOLE"
t_time "black-holed: 3 tries with back-off" 1.6 3.5 $C tcp -r 2 --timeout 0.5 127.0.0.1 "$P_BLACKHOLE"
t_run "retries are logged at INFO" 1 "INFO +try 2 of 3 failed, next in 0.2s" \
	$C tcp -r 2 -l INFO 127.0.0.1 "$P_CLOSED"
t_run "-v: one level more (INFO)" 1 "INFO +try 1 of 2 failed" $C tcp -r 1 -v 127.0.0.1 "$P_CLOSED"
t_lacks "default log level hides INFO" "INFO" $C tcp -r 1 127.0.0.1 "$P_CLOSED"
t_time "refused: the default 3 retries back off" 0.6 2.5 $C tcp 127.0.0.1 "$P_CLOSED"
t_lacks "success needs no retry" "try 1 of" $C -l INFO tcp 127.0.0.1 "$P_FTP"
t_run "tcp.con.time.perf expectation" 0 "^tcp.con.time.perf < 0.5 -> $NUM: True$" \
	$C tcp -e "tcp.con.time.perf < 0.5" 127.0.0.1 "$P_FTP"
LOG=$T_DIR/chksrv.log
rm -f "$LOG"
t_run "--log-file" 1 "" $C tcp -r 0 --log-file "$LOG" 127.0.0.1 "$P_CLOSED"
t_run "--log-file holds the line" 0 "WARNING +tcp check of 127.0.0.1:$P_CLOSED failed: connection refused" cat "$LOG"

# --- ssl ----------------------------------------------------------------------------------
t_run "ssl valid: success" 0 "^ssl.success: True$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: version" 0 "^ssl.con.ssl_version: TLSv1\.[23]$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: subject" 0 "^ssl.con.cert.subject: O=probebox tests, CN=localhost$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: issuer CN" 0 "^ssl.con.cert.issuer.commonName: Test CA$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: dates" 0 "^ssl.con.cert.notAfter: 2049-12-31T23:59:59Z$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: notBefore" 0 "^ssl.con.cert.notBefore: 2020-01-01T00:00:00Z$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: SANs as a list" 0 "^ssl.con.cert.subjectAltName: \['localhost', '127.0.0.1', '::1'\]$" \
	$C ssl $CA localhost "$T_VALID"
t_run "ssl valid: serial" 0 "^ssl.con.cert.serialNumber: 1000$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: matches_hostname True (upstream: always False)" 0 "^ssl.con.cert.matches_hostname: True$" \
	$C ssl $CA localhost "$T_VALID"
t_run "ssl valid: server_hostname" 0 "^ssl.con.server_hostname: localhost$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: handshake and shutdown times" 0 "ssl.shutdown.time.process: $NUM" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: None keys" 0 "^ssl.con.npn_protocol: None$" $C ssl $CA localhost "$T_VALID"
t_run "ssl valid: secret bits" 0 "^ssl.con.secret_bits: (128|256)$" $C ssl $CA localhost "$T_VALID"
t_run "ssl IP literal matches the IP SAN" 0 "^ssl.con.cert.matches_hostname: True$" $C ssl $CA 127.0.0.1 "$T_VALID"
t_run "ssl: notAfter expectation" 0 "-> 2049-12-31T23:59:59Z: True" \
	$C ssl $CA -e "res['ssl.con.cert.notAfter'] > now + timedelta(days=14)" localhost "$T_VALID"
t_run "ssl: SAN expectation" 0 "^'localhost' in res\['ssl.con.cert.subjectAltName'\] -> 'localhost': True$" \
	$C ssl $CA -e "'localhost' in res['ssl.con.cert.subjectAltName']" localhost "$T_VALID"
t_run "ssl: nested cert access" 0 ": True$" $C ssl $CA -e "res['ssl.con.cert']['subject']['commonName'] == 'localhost'" \
	localhost "$T_VALID"
t_run "ssl: system store does not trust the test CA" 1 "^error: certificate is not trusted" \
	$C ssl -r 0 localhost "$T_VALID"
t_run "ssl expired" 1 "^error: certificate has expired [0-9]+ days ago$" $C ssl -r 0 $CA localhost "$T_EXPIRED"
t_run "ssl expired: the certificate is still in the record" 1 "^ssl.con.cert.notAfter: 2020-02-01T00:00:00Z$" \
	$C ssl -r 0 $CA localhost "$T_EXPIRED"
t_run "ssl expired with CERT_NONE" 0 "^ssl.success: True$" $C ssl -p ssl.verify_mode=CERT_NONE localhost "$T_EXPIRED"
t_run "ssl not yet valid" 1 "^error: certificate is not valid for another" $C ssl -r 0 $CA localhost "$T_FUTURE"
t_run "ssl wrong host: fine by default (check_hostname False)" 0 "^ssl.con.cert.matches_hostname: False$" \
	$C ssl $CA localhost "$T_WRONGHOST"
t_run "ssl wrong host: check_hostname=True fails" 1 "^error: certificate does not match the host name \(it is for DNS:wrong.example\)$" \
	$C ssl -r 0 $CA -p ssl.check_hostname=True localhost "$T_WRONGHOST"
t_run "ssl wrong host: check_hostname=false" 0 "^ssl.success: True$" \
	$C ssl $CA -p ssl.check_hostname=false localhost "$T_WRONGHOST"
t_run "ssl check_hostname=True with CERT_NONE still checks the name" 1 "^error: certificate does not match" \
	$C ssl -r 0 -p ssl.verify_mode=CERT_NONE -p ssl.check_hostname=True localhost "$T_WRONGHOST"
t_run "ssl valid with check_hostname=True" 0 "^ssl.success: True$" $C ssl $CA -p ssl.check_hostname=y localhost "$T_VALID"
t_run "ssl self-signed: untrusted" 1 "^error: certificate is not trusted" $C ssl -r 0 $CA localhost "$T_SELFSIGNED"
t_run "ssl self-signed: CERT_NONE works (upstream: impossible)" 0 "^ssl.success: True$" \
	$C ssl -p ssl.verify_mode=CERT_NONE localhost "$T_SELFSIGNED"
t_run "ssl self-signed: CERT_REQUIRED" 1 "^ssl.success: False$" $C ssl -r 0 -p ssl.verify_mode=CERT_REQUIRED localhost "$T_SELFSIGNED"
t_run "ssl self-signed as its own CA" 0 "^ssl.success: True$" $C ssl -p "ssl.ca=$CERTS/selfsigned.crt" localhost "$T_SELFSIGNED"
CADIR=$T_DIR/chksrv-cadir
mkdir -p "$CADIR" && cp "$CERTS/ca.crt" "$CADIR/"
t_run "ssl.ca directory" 0 "^ssl.success: True$" $C ssl -p "ssl.ca=$CADIR" localhost "$T_VALID"
t_run "ssl.ca=__sys__" 1 "^error: certificate is not trusted" $C ssl -r 0 -p ssl.ca=__sys__ localhost "$T_VALID"
t_out "ssl.ca missing is a usage error" 3 "chksrv: -p ssl.ca: $T_DIR/none.pem: No such file or directory" \
	$C ssl -p "ssl.ca=$T_DIR/none.pem" localhost "$T_VALID"
t_run "TLS 1.2-only server" 0 "^ssl.con.ssl_version: TLSv1.2$" $C ssl $CA localhost "$T_VALID12"
if [ "$T_TLS13" = 1 ]; then
	t_run "TLS 1.3-only server" 0 "^ssl.con.ssl_version: TLSv1.3$" $C ssl $CA localhost "$T_VALID13"
	t_run "TLS 1.3 cipher" 0 "^ssl.con.cipher: TLS_(AES|CHACHA20)_" $C ssl $CA localhost "$T_VALID13"
	t_run "ssl.protocol=tlsv1.2 against a TLS 1.3-only server" 1 "^ssl.success: False$" \
		$C ssl -r 0 $CA -p ssl.use_default_context=False -p ssl.protocol=tlsv1.2 localhost "$T_VALID13"
	t_run "ssl.protocol=tlsv1.3" 0 "^ssl.con.ssl_version: TLSv1.3$" \
		$C ssl $CA -p ssl.use_default_context=False -p ssl.protocol=tlsv1.3 localhost "$T_VALID"
else
	t_run "TLS 1.3-only server: handshake fails" 1 "^ssl.success: False$" $C ssl -r 0 $CA localhost "$T_VALID13"
fi
t_run "ssl handshake failure: cert None" 1 "^ssl.con.cert: None$" $C ssl -r 0 $CA localhost "$P_FTP"
t_run "RSA 1.2 server" 0 "^ssl.con.cipher: TLS_ECDHE_RSA_WITH_" $C ssl $CA localhost "$T_RSA12"
t_run "ssl.ciphers picks the suite" 0 "^ssl.con.cipher: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384$" \
	$C ssl $CA -p ssl.use_default_context=false -p ssl.ciphers=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 localhost "$T_VALID12"
t_run "ssl.ciphers: 256 secret bits" 0 "^ssl.con.secret_bits: 256$" \
	$C ssl $CA -p ssl.use_default_context=false -p ssl.ciphers=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 localhost "$T_VALID12"
t_run "ssl.ciphers=ALL is the default list" 0 "^ssl.success: True$" \
	$C ssl $CA -p ssl.use_default_context=false -p ssl.ciphers=ALL localhost "$T_VALID12"
t_run "unknown cipher name is a usage error" 3 "^chksrv: ssl: unknown or unsupported cipher suite: NOPE-CIPHER$" \
	$C ssl $CA -p ssl.use_default_context=false -p ssl.ciphers=NOPE-CIPHER localhost "$T_VALID12"
t_run "ssl.ciphers under the default context: ignored, with a warning" 0 "WARNING +ssl.protocol and ssl.ciphers are ignored" \
	$C ssl $CA -p ssl.ciphers=NOPE-CIPHER localhost "$T_VALID12"
t_run "ssl.protocol=sslv3 without the default context" 3 "ssl.protocol=sslv3: not supported" \
	$C ssl $CA -p ssl.use_default_context=no -p ssl.protocol=sslv3 localhost "$T_VALID"
t_run "ssl.verify_mode unknown" 3 "expected CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED, got 'CERT_MAYBE'" \
	$C ssl -p ssl.verify_mode=CERT_MAYBE localhost "$T_VALID"
t_run "ssl.verify_flags unsupported" 3 "VERIFY_CRL_CHECK_LEAF' is not supported" \
	$C ssl -p ssl.verify_flags=VERIFY_CRL_CHECK_LEAF localhost "$T_VALID"
t_run "ssl.check_hostname=maybe" 3 "ssl.check_hostname: expected True or False, got 'maybe'" \
	$C ssl -p ssl.check_hostname=maybe localhost "$T_VALID"
t_by 0.5 t_run "ssl: timeout in the handshake" 1 "^error: timeout after 0.5s in TLS handshake$" \
	$C ssl -r 0 -p timeout=0.5 localhost "$P_SILENT"
t_run "ssl params on tcp: a warning" 0 "WARNING +parameter ssl.ca has no effect on this tcp check" \
	$C tcp $CA 127.0.0.1 "$P_FTP"

# --- http ---------------------------------------------------------------------------------
t_run "http 200: status" 0 "^http.resp.status: 200$" $C http "$U/health"
t_run "http 200: reason, version" 0 "^http.resp.reason: OK
http.resp.version: 11$" $C http "$U/health"
t_run "http 200: body and its length" 0 "^http.resp.body: healthy\\\\n
http.resp.body_length: 8$" $C http "$U/health"
t_run "http 200: header names snake_case" 0 "^http.resp.header.content_type: text/plain$" $C http "$U/health"
t_run "http 200: times" 0 "^http.resp.time.perf: $NUM$" $C http "$U/health"
t_run "http 200: expectations" 0 "^http.resp.status == 200 -> 200: True$" \
	$C http -e "http.resp.status == 200" -e "res['http.resp.body'] == b'healthy\n'" \
	-e "res.get('http.resp.header.server', '').startswith('nginx')" "$U/health"
t_run "http 503 without -e succeeds (the status is not judged)" 0 "^http.resp.status: 503$" $C http "$U/fail"
t_run "http 503 with an expectation" 1 "^res\['http.resp.status'\] == 200 -> 503: False$" \
	$C http -r 0 -e "res['http.resp.status'] == 200" "$U/fail"
t_run "http redirect is not followed" 0 "^http.resp.header.location: http://127.0.0.1:$H_HTTP/health$" $C http "$U/redirect"
t_run "http redirect status" 0 "^http.resp.status: 302$" $C http "$U/redirect"
t_run "http.method=POST and http.body" 0 "^http.resp.body: method=POST len=5 body=hello" \
	$C http -p http.method=POST -p http.body=hello "$U/echo"
t_run "http.body typed as a number is sent as written" 0 "body=007" \
	$C http -p http.method=POST -p http.body=007 "$U/echo"
t_run "http.method=HEAD" 0 "^http.resp.body_length: 0$" $C http -p http.method=HEAD "$U/health"
t_run "http.method=PUT without a body" 0 "method=PUT len=0" $C http -p http.method=PUT "$U/echo"
t_run "http.header.NAME uses the whole name (upstream: one letter)" 0 "test=abc" \
	$C http -p http.header.TestHeader=abc "$U/whoami"
t_run "http.header.host replaces Host" 0 "host=example.test " $C http -p http.header.host=example.test "$U/whoami"
t_run "request: Host, Accept-Encoding identity, origin form" 0 "GET /p\?q=1 HTTP/1.1\\\\r\\\\nHost: 127.0.0.1:$W_ECHO\\\\r\\\\n.*Accept-Encoding: identity" \
	$C http "http://127.0.0.1:$W_ECHO/p?q=1"
t_lacks "no User-Agent, as upstream (http.client sends none)" "User-Agent" $C http "http://127.0.0.1:$W_ECHO/"
t_run "http.header.user-agent sends one" 0 "\\\\r\\\\nuser-agent: x/1\\\\r\\\\n" \
	$C http -p http.header.user-agent=x/1 "http://127.0.0.1:$W_ECHO/"
t_run "repeated headers become a list" 0 "^http.resp.header.set_cookie: \['a=1', 'b=2'\]$" $C http "http://127.0.0.1:$W_COOKIES/"
t_run "dashes in header names become _" 0 "^http.resp.header.x_dashed_name: x$" $C http "http://127.0.0.1:$W_COOKIES/"
t_run "list expectation" 0 "^'b=2' in res\['http.resp.header.set_cookie'\] -> 'b=2': True$" \
	$C http -e "'b=2' in res['http.resp.header.set_cookie']" "http://127.0.0.1:$W_COOKIES/"
t_run "chunked body" 0 "^http.resp.body: Hello, client$" $C http "http://127.0.0.1:$W_CHUNKED/"
t_run "body until close, HTTP/1.0" 0 "^http.resp.version: 10$" $C http "http://127.0.0.1:$W_HTTP10/"
t_run "the status line as the server wrote it" 0 "^http.resp.status_line: HTTP/1.1 200 OK$" $C http "$U/health"
t_run "no reason phrase: the status line without one" 0 "^http.resp.status_line: HTTP/1.1 200$" \
	$C http "http://127.0.0.1:$W_NOREASON/"
t_run "Content-Length as a number" 0 "^http.resp.content_length: 8$" $C http "$U/health"
t_run "no Content-Length: None" 0 "^http.resp.content_length: None$" $C http "http://127.0.0.1:$W_NOLEN/"
t_run "a failed fetch names its URL" 1 "^http.url: http://127.0.0.1:$P_CLOSED/$" $C http -r 0 "http://127.0.0.1:$P_CLOSED/"
t_run "closed port: keys missing, expectation false" 1 "^res\['http.resp.status'\] == 200 -> missing key 'http.resp.status': False$" \
	$C http -r 0 -e "res['http.resp.status'] == 200" "http://127.0.0.1:$P_CLOSED/"
t_run "closed port: http.success absent, tcp.success False" 1 "^tcp.success: False$" $C http -r 0 "http://127.0.0.1:$P_CLOSED/"
t_run "no response" 1 "^error: reading the response: server closed the connection without a response$" \
	$C http -r 0 "http://127.0.0.1:$W_SILENTCLOSE/"
t_run "short body: http.success False" 1 "^http.success: False$" $C http -r 0 "http://127.0.0.1:$W_SHORT/"
t_run "not HTTP" 1 "^http.success: False$" $C http -r 0 "http://127.0.0.1:$W_GARBAGE/"
t_by 1 t_run "slow response past the timeout" 1 "^error: reading the response: timeout after 1s while reading$" \
	$C http -r 0 --timeout 1 "$U/slow"
t_run "https: ssl and http keys" 0 "^ssl.success: True$" $C http $CA "https://localhost:$H_HTTPS/health"
t_run "https: status" 0 "^http.resp.status: 200$" $C http $CA "https://localhost:$H_HTTPS/health"
t_run "https: wrong host passes by default" 0 "^ssl.con.cert.matches_hostname: False$" $C http $CA "https://localhost:$H_WRONGHOST/"
t_run "https: wrong host with check_hostname" 1 "^error: certificate does not match" \
	$C http -r 0 $CA -p ssl.check_hostname=true "https://localhost:$H_WRONGHOST/"
t_run "https: self-signed with CERT_NONE" 0 "^http.resp.body: selfsigned" \
	$C http -p ssl.verify_mode=CERT_NONE "https://localhost:$H_SELFSIGNED/"
t_run "https: expired fails before the request" 1 "^error: certificate has expired" $C http -r 0 $CA "https://localhost:$H_EXPIRED/"
t_run "https: IPv6 literal" 0 "^tcp.ipv6: True$" $C http $CA "https://[::1]:$H_HTTPS/health"
t_run "http params on ssl: a warning" 0 "WARNING +parameter http.method has no effect on this ssl check" \
	$C ssl $CA -p http.method=GET localhost "$T_VALID"

# --- expectations ------------------------------------------------------------------------------
t_out "syntax error: named, exit 3" 3 "chksrv: expression 2, column 18: expected ']'" \
	$C tcp -e True -e "res['tcp.success'" 127.0.0.1 "$P_FTP"
t_run "unknown function is a syntax error" 3 "^chksrv: expression 1, column 1: unknown function '__import__'" \
	$C tcp -e "__import__('os')" 127.0.0.1 "$P_FTP"
t_run "type error: false with its reason" 1 "not supported between 'bool' and 'str'|not supported between" \
	$C tcp -r 0 -e "res['tcp.success'] < 'x'" 127.0.0.1 "$P_FTP"
t_run "one false expectation fails the run" 1 "^tcp.success == False -> True: False$" \
	$C tcp -r 0 -e True -e "tcp.success == False" 127.0.0.1 "$P_FTP"
t_run "failed expectation is logged" 1 "WARNING +Expect 1 failed: tcp.success == False" \
	$C tcp -r 0 -e True -e "tcp.success == False" 127.0.0.1 "$P_FTP"
t_run "bare key missing" 1 "-> missing key 'nope.key': False$" $C tcp -r 0 -e "nope.key" 127.0.0.1 "$P_FTP"
t_run "error key in an expectation" 0 "^res\['error'\] is None -> None: True$" $C tcp -e "res['error'] is None" 127.0.0.1 "$P_FTP"
t_run "get with a default" 0 ": True$" $C tcp -e "res.get('ssl.success', True)" 127.0.0.1 "$P_FTP"

# --- output formats ------------------------------------------------------------------------------
t_py "json: one object with the record" "
import json, sys
d = json.load(sys.stdin)
assert d['applet'] == 'chksrv' and d['verdict'] == 'OK' and d['exit_code'] == 0, d
c = d['checks'][0]
r = c['record']
assert c['success'] is True and c['type'] == 'http' and c['verdict'] == 'OK', c
assert r['http.resp.status'] == 200 and r['tcp.success'] is True, r
assert r['http.resp.body'] == 'healthy\n' and r['error'] is None
assert r['expectation.0'] is True and r['expectation.0.expr'] == 'http.resp.status == 200', r
assert r['expectation.0.value'] == '200', r
print('ok')" $C http --format json -e "http.resp.status == 200" "$U/health"
t_py "json: failure, times as ISO strings, lists" "
import json, sys
d = json.load(sys.stdin)
c = d['checks'][0]
r = c['record']
assert c['success'] is False and r['success'] is False and d['exit_code'] == 1
assert c['reason'].startswith('certificate has expired'), c
assert r['ssl.con.cert.notAfter'] == '2020-02-01T00:00:00Z', r
assert r['ssl.con.cert.subjectAltName'] == ['localhost', '127.0.0.1', '::1']
assert r['error'].startswith('certificate has expired')
print('ok')" $C ssl -r 0 --format json $CA localhost "$T_EXPIRED"
t_py "json: missing key reason" "
import json, sys
d = json.load(sys.stdin)
r = d['checks'][0]['record']
assert r['expectation.0'] is False and r['expectation.0.value'] == \"missing key 'http.resp.status'\", r
print('ok')" $C http -r 0 --format json -e "http.resp.status == 200" "http://127.0.0.1:$P_CLOSED/"
t_py "prometheus: valid exposition" "
import re, sys
lines = sys.stdin.read().splitlines()
samples = {}
types = set()
for l in lines:
    if l.startswith('# TYPE '):
        n = l.split()[2]
        assert n not in types, 'TYPE twice: ' + n
        types.add(n)
        continue
    if l.startswith('#'):
        continue
    m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)', l)
    assert m, 'bad line: ' + l
    float(m.group(3))
    samples.setdefault(m.group(1), []).append((m.group(2), m.group(3)))
assert samples['probe_success'][0][1] == '0', samples['probe_success']
assert 'type=\"tcp\"' in samples['probe_success'][0][0]
assert samples['probe_tcp_success'][0][1] == '1'
assert samples['probe_expectation_0'][0][1] == '1' and samples['probe_expectation_1'][0][1] == '0', samples
print('ok')" $C tcp -r 0 --format prometheus -e tcp.success -e "not tcp.success" 127.0.0.1 "$P_FTP"
t_run "--format bad" 3 "^chksrv: --format: expected text, json or prometheus, got 'xml'$" \
	$C tcp --format xml 127.0.0.1 "$P_FTP"

# --- secrets -------------------------------------------------------------------------------------
BASIC="http://basicuser:basicpass@127.0.0.1:$H_HTTP/basic"
t_run "basic auth from the URL" 0 "^http.resp.status: 200$" $C http "$BASIC"
for f in text json prometheus; do
	t_lacks "no URL password in $f" basicpass $C http --format $f -l DEBUG "$BASIC"
	t_lacks "no URL password in $f on failure" basicpass $C http -r 0 --format $f "http://basicuser:basicpass@127.0.0.1:$P_CLOSED/"
	t_lacks "no header token in $f with DEBUG" s3cr3tt0k3n \
		$C http --format $f -l DEBUG -p "http.header.Authorization=Bearer s3cr3tt0k3n" "$U/health"
done
t_lacks "no password in a bad-URL error" basicpass $C http "http://basicuser:basicpass@[::1/"
t_lacks "no password in a bad-scheme error" basicpass $C http "ftp://basicuser:basicpass@127.0.0.1/"
# passwords with '/', '?' or '#' break the URL (exit 3); with '%', '@' or ':' they do not:
# either way no piece of them shows, at any log level and in every format
for pw in 's3cr3t/PWxq' 's3cr3t?PWxq' 's3cr3t#PWxq'; do
	t_hides "password '$pw' in a URL that does not parse" 3 '^chksrv: bad URL: invalid host or port \(in a user name' \
		"$pw" $C http "http://admin:$pw@127.0.0.1:$H_HTTP/whoami"
done
t_hides "a user name with ']' and '/' in a URL that does not parse" 3 '^chksrv: bad URL: invalid host or port' \
	's3cr3tPWxq' $C http "http://ad]m/in:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
for pw in 's3cr3t%zzPWxq' 's3cr3t@PWxq' 's3cr3t:PWxq:x'; do
	b64=$(printf 'admin:%s' "$pw" | base64 | sed 's/[+]/\\+/g')
	for f in text json prometheus; do
		t_hides "password '$pw' in the URL is sent, not shown ($f)" 0 "" \
			"$pw" $C http --format $f -l DEBUG -e "'auth=Basic $b64' in res['http.resp.body']" \
			"http://admin:$pw@127.0.0.1:$H_HTTP/whoami"
		t_hides "password '$pw' in the URL, connection refused ($f)" 1 "" \
			"$pw" $C http -r 0 --format $f -l DEBUG "http://admin:$pw@127.0.0.1:$P_CLOSED/"
	done
done
t_hides "a URL that parses with a password's '/' in the path" 1 \
	"http check of http://\\*\\*\\*@127\\.0\\.0\\.1:$H_HTTP/ failed" \
	's3cr3tPWxq' $C http -r 0 -l DEBUG "http://localhost:$P_CLOSED/admin:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
t_hides "a URL without a scheme" 3 "^chksrv: bad URL 'admin:\\*\\*\\*@127" \
	's3cr3tPWxq' $C http "admin:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
t_run "the target label has no userinfo" 0 "target=\"http://127.0.0.1:$H_HTTP/basic\"" $C http --format prometheus "$BASIC"

# --- usage -------------------------------------------------------------------------------------
t_run "--version" 0 "^chksrv version [0-9.]+" $C --version
t_run "--help" 0 "usage: chksrv tcp" $C --help
t_run "-h after the module" 0 "http.header.NAME=VALUE" $C tcp -h
t_run "no module" 3 "^chksrv: a module is needed: tcp, ssl or http" $C
t_run "unknown module" 3 "^chksrv: unknown module 'udp'" $C udp 127.0.0.1 1
t_run "ping is not implemented" 3 "^chksrv: ping checks are not implemented$" $C ping 127.0.0.1
t_run "tcp without a port" 3 "usage: chksrv tcp" $C tcp 127.0.0.1
t_run "bad port" 3 "bad port 'http'" $C tcp 127.0.0.1 http
t_run "bad URL scheme" 3 "http:// or https:// expected" $C http "ftp://127.0.0.1/"
t_run "unknown parameter" 3 "^chksrv: unknown parameter 'ssl.verify'" $C ssl -p ssl.verify=1 localhost "$T_VALID"
t_run "-p without =" 3 "^chksrv: -p: expected PARAM=VALUE, got 'timeout'" $C tcp -p timeout 127.0.0.1 "$P_FTP"
t_run "-p timeout=abc" 3 "^chksrv: -p timeout: expected seconds" $C tcp -p timeout=abc 127.0.0.1 "$P_FTP"
t_run "-p ipv6=maybe" 3 "expected True, False, prefer or fallback, got 'maybe'" $C tcp -p ipv6=maybe 127.0.0.1 "$P_FTP"
t_run "duplicate parameter: the last counts, with a warning" 0 "WARNING +parameter timeout given again" \
	$C tcp -p timeout=1 -p timeout=2 127.0.0.1 "$P_FTP"
t_run "bad header value" 3 "^chksrv: -p http.header.x-a: " $C http -p "http.header.x-a=$(printf 'a\rb')" "$U/health"
t_run "bad method" 3 "invalid method 'GE T'" $C http -p "http.method=GE T" "$U/health"
t_run "-r bad" 3 "invalid retry count 'x'" $C tcp -r x 127.0.0.1 "$P_FTP"
t_run "--timeout bad" 3 "invalid timeout '0'" $C tcp --timeout 0 127.0.0.1 "$P_FTP"
t_run "unknown option" 3 "unknown option '--nope'" $C tcp --nope 127.0.0.1 "$P_FTP"
