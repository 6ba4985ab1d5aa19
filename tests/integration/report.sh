# report.sh - the shared output layer (lib/report.c) read back by real parsers: the JSON
# document by python3's json module, the Prometheus text by promtool and by our own strict
# reader (tests/promcheck.py, which also catches a split family and duplicate series, which
# promtool lets through). The sample run comes from tests/tools/report_sample.
. tests/lib.sh
RS=$(dirname "$PROBEBOX")/tests/tools/report_sample
if [ ! -x "$RS" ]; then
	# release builds have no test tools; the ASan builds of each configuration run this
	t_skip "sample reports" "no $RS: test tools are built with VARIANT=asan only"
	return 0
fi
PC=tests/promcheck.py

# stdout of CMD... into FILE; a failure of CMD is a failed test NAME
t_to() {	# NAME FILE CMD...
	_n=$1 _f=$2
	shift 2
	if ! timeout -k 2 "$T_LIMIT" "$@" > "$_f" 2> "$_f.err"; then
		t_fail "$_n" "command failed: $* ($(cat "$_f.err"))"
		return 1
	fi
}

# a python3 check of FILE: passes when the script prints ok
t_pyfile() {	# NAME FILE PYCODE
	_res=$(/usr/bin/python3 -c "$3" < "$2" 2>&1)
	if [ "$_res" = ok ]; then t_ok "$1"; else t_fail "$1" "python: $_res
input: $(head -c 4000 "$2")"; fi
}

J=$T_DIR/report.json
P=$T_DIR/report.prom
t_to "json sample" "$J" "$RS" json && t_pyfile "json: valid, the documented shape" "$J" "
import json, re, sys
raw = sys.stdin.buffer.read()
text = raw.decode('utf-8')                 # strict: not UTF-8 raises
assert text.endswith('}\n') and text.count('\n') == 1, 'one document on one line'
def no_constant(c):
    raise ValueError('not JSON: ' + c)     # NaN, Infinity are Python's, not JSON's
d = json.loads(text, parse_constant=no_constant)
assert list(d) == ['applet', 'verdict', 'exit_code', 'checks'], list(d)
assert d['applet'] == 'conn-check' and d['verdict'] == 'FAILED' and d['exit_code'] == 2, d
cs = d['checks']
assert len(cs) == 5, len(cs)
keys = ['name', 'type', 'target', 'verdict', 'reason', 'success', 'duration_seconds', 'record']
for c in cs:
    assert list(c) == keys, list(c)
    assert all(isinstance(c[k], str) for k in keys[:4]), c
    assert c['reason'] is None or isinstance(c['reason'], str), c
    assert isinstance(c['success'], bool), c
    assert c['duration_seconds'] is None or isinstance(c['duration_seconds'], float), c
    assert isinstance(c['record'], dict), c
tls, http, skipped = cs[0], cs[1], cs[2]
assert tls['reason'] is None and tls['success'] is True and tls['duration_seconds'] == 0.0041
r = tls['record']
assert r['ssl.con.cert.notAfter'] == '2049-12-31T23:59:59Z', r
assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', r['ssl.con.cert.notBefore'])
assert r['ssl.con.cert.subjectAltName'] == ['localhost', '127.0.0.1', '::1']
assert r['ssl.con.alpn_protocol'] is None and r['error'] is None
assert r['tcp.success'] is True and r['tcp.ipv6'] is False and r['ssl.con.secret_bits'] == 256
assert r['ssl.con.cert.subject'] == 'CN=localhost, O=\"probebox\\\\tests\"', r['ssl.con.cert.subject']
assert http['name'] == 'http:api \"v1\"\\\\\n\ufffd', repr(http['name'])
assert http['target'] == 'http://127.0.0.1:8080/health?x=\"1\"'
assert http['reason'] == 'HTTP 503 \"Service Unavailable\"\nretry later'
h = http['record']
assert h['http.resp.time.perf'] is None and h['x.inf'] is None, 'NaN and inf are null'
assert h['x.big'] == 1e300 and h['x.min'] == -9223372036854775808
assert h['http.resp.header.set_cookie'] == ['a=1', 'b=\ufffd\ufffd']
assert h['http.resp.body'] == 'a\x00b\ufffd\x01', repr(h['http.resp.body'])
assert h['http.req.header.authorization'] == '***' and h['redis.auth.token'] == '***'
assert b's3cr3t' not in raw
assert skipped['verdict'] == 'SKIPPED' and skipped['duration_seconds'] is None
assert skipped['record'] == {}
print('ok')"

if t_to "prometheus sample" "$P" "$RS" prometheus; then
	t_run "prometheus: our strict reader accepts it" 0 "^ok: [0-9]+ families" /usr/bin/python3 "$PC" "$P"
	/usr/bin/python3 "$PC" --dump "$P" > "$P.json" 2>&1
	t_pyfile "prometheus: the documented families and series" "$P.json" "
import json, sys
s = [json.loads(l) for l in sys.stdin]
by = {}
for x in s:
    by.setdefault(x['name'], []).append(x)
names = list(by)
assert names[:3] == ['probe_success', 'probe_duration_seconds',
                     'probe_tls_cert_expiry_timestamp_seconds'], names
tls = {'name': 'tls:localhost:8443', 'type': 'tls', 'target': 'localhost:8443'}
http = {'name': 'http:api \"v1\"\\\\\n\ufffd', 'type': 'http',
        'target': 'http://127.0.0.1:8080/health?x=\"1\"'}
udp = {'name': 'udp:ns:53', 'type': 'udp', 'target': 'ns:53'}
# every sample has the three labels of its check; the duplicate tls check and the skipped
# one have no series
assert all(x['labels'] in (tls, http, udp) for x in s), [x for x in s if x['labels'] not in (tls, http, udp)]
assert [x['labels'] for x in by['probe_success']] == [tls, http, udp], by['probe_success']
assert [x['value'] for x in by['probe_success']] == ['1', '0', '0']
assert by['probe_duration_seconds'][2]['value'] == '2.0'
assert by['probe_tls_cert_expiry_timestamp_seconds'] == [{'name': 'probe_tls_cert_expiry_timestamp_seconds', 'labels': tls, 'value': '2524607999'}]
assert by['probe_ssl_con_cert_not_before'][0]['value'] == '1577836800'
assert 'probe_ssl_con_cert_not_after' not in by, 'notAfter is the expiry family'
assert by['probe_http_resp_time_perf'][0]['value'] == 'NaN' and by['probe_x_inf'][0]['value'] == '+Inf'
assert by['probe_dup_key'][0]['value'] == '1', 'the first of two keys with one name wins'
for gone in ('probe_redis_auth_token', 'probe_ssl_con_cipher', 'probe_error',
             'probe_http_resp_header_set_cookie', 'probe_http_req_header_authorization'):
    assert gone not in by, gone
print('ok')"
	# the reader is strict: what the format forbids, it refuses
	printf '# TYPE a gauge\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 1\n' > "$T_DIR/split.prom"
	t_run "strict reader: a split family is refused" 1 "family a is split" /usr/bin/python3 "$PC" "$T_DIR/split.prom"
	printf 'a{x="1"} 1\na{x="1"} 2\n' > "$T_DIR/dup.prom"
	t_run "strict reader: duplicate series are refused" 1 "duplicate series" /usr/bin/python3 "$PC" "$T_DIR/dup.prom"
	printf 'a{x="\\t"} 1\n' > "$T_DIR/esc.prom"
	t_run "strict reader: a bad escape is refused" 1 "invalid escape" /usr/bin/python3 "$PC" "$T_DIR/esc.prom"
	printf 'a{x="\377"} 1\n' > "$T_DIR/utf8.prom"
	t_run "strict reader: bytes that are not UTF-8 are refused" 1 "not UTF-8" /usr/bin/python3 "$PC" "$T_DIR/utf8.prom"

	if command -v promtool >/dev/null 2>&1; then
		t_exec sh -c 'exec promtool check metrics < "$1"' sh "$P"
		# 0: clean; 3: lint findings only. The one finding allowed is chksrv's own key name
		# ssl.con.secret_bits ("use base unit bytes"): a style opinion, not a parse error
		_lint=$(printf '%s\n' "$T_OUT" | grep -v '^probe_ssl_con_secret_bits use base unit "bytes" instead of "bits"$' | grep .)
		if { [ "$T_RC" = 0 ] || [ "$T_RC" = 3 ]; } && [ -z "$_lint" ]; then
			t_ok "promtool check metrics accepts it"
		else
			t_fail "promtool check metrics accepts it" "exit $T_RC: $T_OUT"
		fi
		t_run "promtool refuses what the format forbids (so it did read ours)" 1 "invalid escape" \
			sh -c 'exec promtool check metrics < "$1"' sh "$T_DIR/esc.prom"
	else
		t_skip "promtool check metrics" "promtool is not installed (scripts/deps.sh testtools installs Debian's prometheus)"
	fi
fi
