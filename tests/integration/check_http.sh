# check_http.sh - check-http against nginx, lighttpd, tinyproxy and tserve on loopback
# (servers.d/30-http.sh), including the hermetic cases of upstream's check_http_test.go
# (compat.md 4.3): status ranges, Host and headers, patterns, redirects, --connect-to, proxy.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
if ! "$P" --list | grep -qx check-http; then
	t_skip "check-http" "not in this build"
	return 0 2>/dev/null || exit 0
fi
CH="$P check-http"
U=http://127.0.0.1:$H_HTTP
S=https://localhost:$H_HTTPS
CA="--ca-file $CERTS/ca.crt"
NUM='[0-9]+\.[0-9]{6}'

# --- the basic line and the default status mapping ------------------------------------------
t_run "200 is OK, exact line" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes in $NUM second response time$" $CH -u "$U/health"
t_run "503 is CRITICAL" 2 "^HTTP CRITICAL: HTTP/1.1 503 Service Temporarily Unavailable - 5 bytes" $CH -u "$U/fail"
t_run "404 is WARNING" 1 "^HTTP WARNING: HTTP/1.1 404 Not Found - " $CH -u "$U/missing"
t_run "418 is WARNING" 1 "^HTTP WARNING: HTTP/1.1 418 " $CH -u "$U/teapot"
t_run "204 is OK with 0 bytes" 0 "^HTTP OK: HTTP/1.1 204 No Content - 0 bytes" $CH -u "$U/empty"
t_run "IPv6 literal" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -u "http://[::1]:$H_HTTP/health"
t_run "-6 with [::1]" 0 "^HTTP OK" $CH -6 -u "http://[::1]:$H_HTTP/health"
t_run "-4 with an IPv6 literal" 2 "is not an IPv4 address" $CH -4 -u "http://[::1]:$H_HTTP/health"

# --- upstream: TestRun, TestNoCheckCertificate, TestStatusRange, TestSourceIP -----------------
t_out "no scheme (upstream TestRun)" 2 'HTTP CRITICAL: Get "hoge": unsupported protocol scheme ""' $CH -u hoge
t_out "no scheme with --no-check-certificate" 2 'HTTP CRITICAL: Get "hoge": unsupported protocol scheme ""' \
	$CH --no-check-certificate -u hoge
t_run "-s 404=ok with no scheme is CRITICAL" 2 "^HTTP CRITICAL" $CH -s 404=ok -u hoge
t_run "-s 404=ok" 0 "^HTTP OK: HTTP/1.1 404" $CH -s 404=ok -u "$U/missing"
t_run "-s 401=ok on a 404 is WARNING" 1 "^HTTP WARNING" $CH -s 401=ok -u "$U/missing"
t_run "-s 300-404=ok" 0 "^HTTP OK" $CH -s 300-404=ok -u "$U/missing"
t_out "-s 200-300-404=ok is UNKNOWN" 3 "HTTP UNKNOWN: Invalid mapping of status: 200-300-404=ok" $CH -s 200-300-404=ok -u "$U/health"
t_run "-s 300=ok -s 404=ok" 0 "^HTTP OK" $CH -s 300=ok -s 404=ok -u "$U/missing"
t_out "-s 300 is UNKNOWN" 3 "HTTP UNKNOWN: Invalid mapping of status: 300" $CH -s 300 -s 404=ok -u "$U/missing"
t_run "-s =ok is UNKNOWN" 3 "Invalid mapping of status: =ok" $CH -s =ok -s 404=ok -u "$U/missing"
t_run "-s 404-200=ok is UNKNOWN" 3 "Invalid mapping of status" $CH -s =ok -s 404-200=ok -u "$U/missing"
t_run "-s first match wins, case-insensitive" 2 "^HTTP CRITICAL: HTTP/1.1 200" $CH -s 200=CRITICAL -s 200=ok -u "$U/health"
t_run "-s unknown" 3 "^HTTP UNKNOWN: HTTP/1.1 200" $CH -s 100-299=unknown -u "$U/health"
t_out "-i 1.2.3 is UNKNOWN (upstream TestSourceIP)" 3 "HTTP UNKNOWN: Invalid source IP address: 1.2.3" $CH -u hoge -i 1.2.3

# --- source address: honoured without --connect-to (upstream bug fixed) ---------------------
t_run "-i 127.0.0.2 is the source" 0 "^HTTP OK" $CH -i 127.0.0.2 -u "$U/ip" -p 'remote=127\.0\.0\.2'
t_run "-i ::1 with [::1]" 0 "^HTTP OK" $CH -i ::1 -u "http://[::1]:$H_HTTP/ip" -p 'remote=::1'
t_run "-i ::1 against an IPv4 host" 2 "^HTTP CRITICAL: .*matches the source address" $CH -i ::1 -u "$U/ip"

# --- upstream TestHost: Host and extra headers -------------------------------------------------
t_run "-H Host: and a custom header" 0 "^HTTP OK" $CH -H "Host: mackerel.io" -H "TestHeader: test" \
	-u "$U/whoami" -p '^host=mackerel\.io ua=check-http test=test auth=\n'
t_run "User-Agent is check-http, as upstream's" 0 "^HTTP OK" $CH -u "$U/whoami" -p "^host=127\.0\.0\.1:$H_HTTP ua=check-http test= auth=\n"
t_run "-H User-Agent replaces ours" 0 "^HTTP OK" $CH -H "User-Agent: custom/1" -u "$U/whoami" -p 'ua=custom/1 '
t_run "-H User-Agent is the only User-Agent sent" 0 "^HTTP OK" $CH -H "user-agent: custom/1" -u "http://127.0.0.1:$W_ECHO/" \
	-p "^GET / HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:$W_ECHO\\r\\nuser-agent: custom/1\\r\\nConnection: close\\r\\n\\r\\n$"
t_run "--header long form" 0 "^HTTP OK" $CH --header "TestHeader: long" -u "$U/whoami" -p 'test=long'
t_run "malformed -H is UNKNOWN" 3 "^HTTP UNKNOWN: failed to parse header: malformed MIME header line: nocolon" \
	$CH -H nocolon -u "$U/health"
long_method=$(printf '%020000d' 0 | tr 0 M)
t_run "a 20000-byte method: the request is whole, not cut" 0 "^HTTP OK" \
	$CH -t 5 -m "$long_method" -d data -u "http://127.0.0.1:$W_ECHO/" -p "Connection: close\\r\\n\\r\\n(data)?$"
t_run "request line, Host, User-Agent, Connection" 0 "^HTTP OK" $CH -u "http://127.0.0.1:$W_ECHO/p/a%2Fth?q=1&r" \
	-p "^GET /p/a%2Fth\\?q=1&r HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:$W_ECHO\\r\\nUser-Agent: check-http\\r\\nConnection: close\\r\\n\\r\\n$"

# --- upstream TestExpectedContent ----------------------------------------------------------------
t_run "pattern 'Hello, client'" 0 "^HTTP OK" $CH -u "$U/hello" -p "Hello, client"
t_run "pattern 'Wrong response' is CRITICAL" 2 "^HTTP CRITICAL: 'Wrong response' not found in the content$" \
	$CH -u "$U/hello" -p "Wrong response"
t_run "pattern 'Wrong response': the status line follows" 2 "^HTTP/1.1 200 OK - 14 bytes in $NUM second response time$" \
	$CH -u "$U/hello" -p "Wrong response"
t_run "pattern 'Hel.*'" 0 "^HTTP OK" $CH -u "$U/hello" -p "Hel.*"
t_run "pattern 'clientt?'" 0 "^HTTP OK" $CH -u "$U/hello" -p "clientt?"
t_run "pattern '???' is UNKNOWN" 3 "^HTTP UNKNOWN: error parsing regexp" $CH -u "$U/hello" -p "???"
t_run "bad pattern after a failed request is CRITICAL (upstream order)" 2 "^HTTP CRITICAL: Get" \
	$CH -u "http://127.0.0.1:$P_CLOSED/" -p "???"

# --- upstream TestMaxRedirects and redirects in general ------------------------------------------
t_run "--max-redirects 0 returns the 301" 0 "^HTTP OK: HTTP/1.1 301 Moved Permanently" \
	$CH -s 301=ok -s 100-300=warning -s 302-599=warning -u "$U/redirect301" --max-redirects 0
t_run "--max-redirects 1 follows" 0 "^HTTP OK: HTTP/1.1 200 OK - 11 bytes" \
	$CH -s 200=ok -s 100-199=warning -s 201-599=warning -u "$U/redirect301" --max-redirects 1
t_run "default follows" 0 "^HTTP OK: HTTP/1.1 200 OK" $CH -s 200=ok -s 100-199=warning -s 201-599=warning -u "$U/redirect301"
t_run "relative Location" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -u "$U/redirect"
t_run "redirect loop stops at the limit with the 3xx" 0 "^HTTP OK: HTTP/1.1 302 Found" $CH -u "http://127.0.0.1:$W_LOOP/" --max-redirects 3
t_run "redirect loop, 302=critical" 2 "^HTTP CRITICAL: HTTP/1.1 302 Found" $CH -u "http://127.0.0.1:$W_LOOP/" -s 302=critical
t_run "307 and 308 keep the method and body" 0 "^HTTP OK" $CH -m POST -d data -u "$U/r1" -p '^method=POST body=data\n'
t_run "302 turns POST into GET" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -m POST -d data -u "$U/redirect" -p healthy
t_run "--max-redirects 0 on 307" 0 "^HTTP OK: HTTP/1.1 307 Temporary Redirect" $CH -u "$U/r1" --max-redirects 0
t_run "http -> https redirect verifies the new host" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -u "$U/redirect-https" $CA
t_run "redirect to a wrong-host certificate" 2 "^HTTP CRITICAL: Get \"https://localhost:$H_WRONGHOST/\": TLS: certificate does not match" \
	$CH -u "$U/redirect-wronghost" $CA
t_run "credentials and Host: stay with the original host" 0 "^HTTP OK" \
	$CH --user u:p -H "Host: custom" -u "$U/redirect-abs" -p "^host=localhost:$H_HTTP ua=check-http test= auth=\\n"
t_tserve W_TOECHO recvhdr "send:HTTP/1.1 302 Found\\r\\nLocation: http://localhost:$W_ECHO/\\r\\nContent-Length: 0\\r\\n\\r\\n" close
# credentials stay with the origin: a redirect from https to http on the same host drops them
t_tserve W_DOWNGRADE --tls "$CERTS/valid.chain.crt" "$CERTS/valid.key" recvhdr \
	"send:HTTP/1.1 302 Found\\r\\nLocation: http://localhost:$W_ECHO/\\r\\nContent-Length: 0\\r\\n\\r\\n" close
t_run "no credentials in clear after an https-to-http redirect" 0 "^HTTP OK" \
	$CH --user u:pw -u "https://localhost:$W_DOWNGRADE/" $CA \
	-p "^GET / HTTP/1\\.1\\r\\nHost: localhost:$W_ECHO\\r\\nUser-Agent: check-http\\r\\nConnection: close\\r\\n\\r\\n$"
t_tserve W_PORTHOP recvhdr "send:HTTP/1.1 302 Found\\r\\nLocation: http://127.0.0.1:$W_ECHO/\\r\\nContent-Length: 0\\r\\n\\r\\n" close
t_run "no credentials to another port of the same host" 0 "^HTTP OK" \
	$CH --user u:pw -u "http://127.0.0.1:$W_PORTHOP/" \
	-p "^GET / HTTP/1\\.1\\r\\nHost: 127.0.0.1:$W_ECHO\\r\\nUser-Agent: check-http\\r\\nConnection: close\\r\\n\\r\\n$"
t_run "Authorization and Cookie given with -H stay with the original host" 0 "^HTTP OK" \
	$CH -H "Authorization: Bearer t0ken" -H "Cookie: s=1" -H "X-Keep: 1" -u "http://127.0.0.1:$W_TOECHO/" \
	-p "^GET / HTTP/1\\.1\\r\\nHost: localhost:$W_ECHO\\r\\nUser-Agent: check-http\\r\\nX-Keep: 1\\r\\nConnection: close\\r\\n\\r\\n$"
t_run "malformed Location" 2 "^HTTP CRITICAL: .*failed to parse Location header" $CH -u "http://127.0.0.1:$W_BADLOC/"
t_run "Location with another scheme" 2 "^HTTP CRITICAL: Get \"ftp://127.0.0.1/x\": unsupported protocol scheme \"ftp\"" \
	$CH -u "http://127.0.0.1:$W_FTPLOC/"

# --- upstream TestConnectTos (W_GARBAGE is the wrong server) -------------------------------------
H=127.0.0.1 W=$W_GARBAGE
t_run "connect-to: not affected" 0 "^HTTP OK" $CH --connect-to "hoge:80:$H:$H_HTTP" -u "$U/health"
t_run "connect-to: to target" 0 "^HTTP OK" $CH --connect-to "hoge:80:$H:$H_HTTP" -u http://hoge/health
t_run "connect-to: empty HOST1 is any" 0 "^HTTP OK" $CH --connect-to ":80:$H:$H_HTTP" -u http://hoge/health
t_run "connect-to: empty PORT1 is any" 0 "^HTTP OK" $CH --connect-to "hoge::$H:$H_HTTP" -u http://hoge/health
t_run "connect-to: empty HOST2 keeps the host" 0 "^HTTP OK" $CH --connect-to "$H:80::$H_HTTP" -u "http://$H/health"
t_run "connect-to: empty PORT2 keeps the port" 0 "^HTTP OK" $CH --connect-to "hoge:$H_HTTP:$H:" -u "http://hoge:$H_HTTP/health"
t_run "connect-to: host mismatch ignored" 0 "^HTTP OK" $CH --connect-to "not.target:$H_HTTP:$H:$W" -u "$U/health"
t_run "connect-to: port mismatch ignored" 0 "^HTTP OK" $CH --connect-to "$H:$W:$H:$W" -u "$U/health"
t_run "connect-to: host mismatch, empty port" 0 "^HTTP OK" $CH --connect-to "not.target::$H:$W" -u "$U/health"
t_run "connect-to: port mismatch, empty host" 0 "^HTTP OK" $CH --connect-to ":$W:$H:$W" -u "$U/health"
t_run "connect-to: several, the matching one" 0 "^HTTP OK" $CH --connect-to "not.hoge:80:$H:$W" \
	--connect-to "hoge:80:$H:$H_HTTP" -u http://hoge/health
t_run "connect-to: several, the first wins" 0 "^HTTP OK" $CH --connect-to "hoge:80:$H:$H_HTTP" \
	--connect-to "hoge:80:$H:$W" -u http://hoge/health
t_out "connect-to: invalid pattern" 3 "HTTP UNKNOWN: Invalid --connect-to pattern: foo:123:" $CH --connect-to foo:123: -u "$U/health"
t_run "connect-to: [::1] as HOST2 (upstream bug fixed)" 0 "^HTTP OK" $CH --connect-to "hoge:80:[::1]:$H_HTTP" -u http://hoge/health
t_run "connect-to: the Host header keeps the URL's" 0 "^HTTP OK" $CH --connect-to "hoge:80:$H:$H_HTTP" -u http://hoge/whoami -p "^host=hoge ua"
t_run "connect-to: TLS name stays the URL's" 0 "^HTTP OK" $CH --connect-to "localhost:443:$H:$H_HTTPS" -u https://localhost/health $CA
t_run "connect-to: TLS name checked against the URL" 2 "does not match" $CH --connect-to "localhost:443:$H:$H_WRONGHOST" \
	-u https://localhost/ $CA

# --- upstream TestProxy and TestProxy_Auth, with tinyproxy --------------------------------------
t_run "proxy with a full URL" 0 "^HTTP OK" $CH --proxy "http://127.0.0.1:$X_PROXY" -u "$U/health" -p healthy
t_run "proxy without scheme" 0 "^HTTP OK" $CH --proxy "127.0.0.1:$X_PROXY" -u "$U/health" -p healthy
t_run "proxy really used (Via)" 0 "^HTTP OK" $CH -x "127.0.0.1:$X_PROXY" -u "http://127.0.0.1:$W_ECHO/" -p 'Via: .*tinyproxy'
t_run "proxy default port 1080" 2 "^HTTP CRITICAL: Get \"$U/health\": proxyconnect tcp: dial tcp 127.0.0.1:1080: " \
	$CH -x 127.0.0.1 -u "$U/health"
t_run "proxy auth: without credentials 407 (-s 407=ok)" 0 "^HTTP OK: HTTP/1.[01] 407" \
	$CH --proxy "http://127.0.0.1:$X_PROXYAUTH" -s 200=warning -s 407=ok -u "$U/health"
t_run "proxy auth: with credentials" 0 "^HTTP OK: HTTP/1.1 200" \
	$CH --proxy "http://proxyuser:proxypass@127.0.0.1:$X_PROXYAUTH" -u "$U/health" -p healthy
t_run "proxy auth: wrong password (tinyproxy says 401)" 1 "^HTTP WARNING: HTTP/1.[01] 40[17]" \
	$CH --proxy "http://proxyuser:nope@127.0.0.1:$X_PROXYAUTH" -u "$U/health"
t_lacks "proxy password never printed" proxypass $CH --proxy "http://proxyuser:proxypass@127.0.0.1:$P_CLOSED" -u "$U/health"
t_out "a URL that does not parse: its password is redacted" 3 \
	'HTTP UNKNOWN: parse "http://user:***@127.0.0.1:99999/": invalid port "99999"' \
	$CH -u "http://user:s3cret@127.0.0.1:99999/"
t_out "a proxy that does not parse: its password is redacted" 3 \
	'HTTP UNKNOWN: parse "proxyuser:***@127.0.0.1:99999": invalid port "99999"' \
	$CH -x "proxyuser:proxypass@127.0.0.1:99999" -u "$U/health"
# passwords that break the URL's syntax (a '/', '?' or '#' ends the authority before the '@')
# or do not: no piece of them shows, and the verdict stays right
for pw in 's3cr3t/PWxq' 's3cr3t?PWxq' 's3cr3t#PWxq'; do
	t_hides "password '$pw' in a URL that does not parse" 3 \
		'^HTTP UNKNOWN: parse "http://\*\*\*@127\.0\.0\.1:[0-9]+/whoami": invalid host or port \(in a user name or password' \
		"$pw" $CH -u "http://admin:$pw@127.0.0.1:$H_HTTP/whoami"
	t_hides "password '$pw' in a proxy URL that does not parse" 3 '^HTTP UNKNOWN: parse "\*\*\*@127' \
		"$pw" $CH -x "admin:$pw@127.0.0.1:$X_PROXYAUTH" -u "$U/health"
done
for pw in 's3cr3t%zzPWxq' 's3cr3t@PWxq' 's3cr3t:PWxq:x'; do
	b64=$(printf 'admin:%s' "$pw" | base64 | sed 's/[+]/\\+/g')
	t_hides "password '$pw' in the URL is sent, not shown" 0 '^HTTP OK: HTTP/1.1 200' \
		"$pw" $CH -u "http://admin:$pw@127.0.0.1:$H_HTTP/whoami" -p "auth=Basic $b64"
	t_hides "password '$pw' in the URL, connection refused" 2 \
		"^HTTP CRITICAL: Get \"http://127\.0\.0\.1:$P_CLOSED/\": dial tcp" \
		"$pw" $CH -u "http://admin:$pw@127.0.0.1:$P_CLOSED/"
done
t_hides "a user name with ']' and '/': nothing of the userinfo shows" 3 '^HTTP UNKNOWN: parse "http://\*\*\*@127' \
	's3cr3tPWxq' $CH -u "http://ad]m/in:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
t_hides "a URL that parses with a password's '/' in the path" 2 \
	"^HTTP CRITICAL: Get \"http://\\*\\*\\*@127\\.0\\.0\\.1:$H_HTTP/\": dial tcp localhost:$P_CLOSED: " \
	's3cr3tPWxq' $CH -u "http://localhost:$P_CLOSED/admin:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
t_hides "a URL without a scheme" 2 '^HTTP CRITICAL: Get "admin:\*\*\*@127.0.0.1:[0-9]+/": unsupported protocol scheme "admin"' \
	's3cr3tPWxq' $CH -u "admin:s3cr3tPWxq@127.0.0.1:$H_HTTP/"
t_hides "a Location that does not parse" 2 '^HTTP CRITICAL: .*failed to parse Location header "http://\*\*\*@127' \
	's3cr3t/PWxq' $CH -u "http://127.0.0.1:$W_PWLOC/"
# through a proxy the proxy resolves the name: an address, so no test asks a resolver
S4=https://127.0.0.1:$H_HTTPS
t_run "CONNECT for https" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -x "127.0.0.1:$X_PROXY" -u "$S4/health" $CA
t_run "CONNECT: certificate still checked" 2 "^HTTP CRITICAL: .*certificate has expired" \
	$CH -x "127.0.0.1:$X_PROXY" -u "https://127.0.0.1:$H_EXPIRED/" $CA
t_run "CONNECT: 407 without credentials" 2 "^HTTP CRITICAL: .*proxy refused CONNECT: 407" \
	$CH -x "127.0.0.1:$X_PROXYAUTH" -u "$S/health" $CA
t_run "CONNECT: with credentials" 0 "^HTTP OK: HTTP/1.1 200" \
	$CH -x "http://proxyuser:proxypass@127.0.0.1:$X_PROXYAUTH" -u "$S4/health" $CA
t_run "HTTP_PROXY: absolute-form request" 0 "^HTTP OK" env HTTP_PROXY="http://127.0.0.1:$W_ECHO" \
	$CH -u http://proxied.invalid/p?q -p '^GET http://proxied\.invalid/p\?q HTTP/1\.1\r\nHost: proxied\.invalid\r\n'
t_run "http_proxy (lower case)" 0 "^HTTP OK" env http_proxy="http://127.0.0.1:$W_ECHO" \
	$CH -u http://proxied.invalid/ -p '^GET http://proxied\.invalid/ HTTP/1\.1'
t_run "HTTP_PROXY: loopback is never proxied" 0 "^HTTP OK" env HTTP_PROXY="http://127.0.0.1:$P_CLOSED" $CH -u "$U/health"
t_run "NO_PROXY" 0 "^HTTP OK" env HTTP_PROXY="http://127.0.0.1:$P_CLOSED" NO_PROXY=".invalid" \
	$CH --connect-to "proxied.invalid::127.0.0.1:$H_HTTP" -u http://proxied.invalid/health
t_run "HTTPS_PROXY: CONNECT through it" 2 "^HTTP CRITICAL: Get \"https://proxied.invalid/\": TLS handshake failed" \
	env HTTPS_PROXY="http://127.0.0.1:$W_ECHO" $CH -u https://proxied.invalid/ $CA -t 3
t_run "-x overrides the environment" 0 "^HTTP OK" env HTTP_PROXY="http://127.0.0.1:$P_CLOSED" \
	$CH -x "127.0.0.1:$X_PROXY" -u http://127.0.0.1:$H_HTTP/health

# --- authentication ----------------------------------------------------------------------------------
t_run "no credentials: 401 WARNING" 1 "^HTTP WARNING: HTTP/1.1 401" $CH -u "$U/basic"
t_run "--user Basic" 0 "^HTTP OK: HTTP/1.1 200" $CH --user basicuser:basicpass -u "$U/basic" -p 'basic ok'
t_run "--user wrong password" 1 "^HTTP WARNING: HTTP/1.1 401" $CH --user basicuser:wrong -u "$U/basic"
t_run "--user without colon: empty password" 0 "^HTTP OK" $CH --user u -u "$U/whoami" -p 'auth=Basic dTo='
t_run "URL userinfo" 0 "^HTTP OK: HTTP/1.1 200" $CH -u "http://basicuser:basicpass@127.0.0.1:$H_HTTP/basic"
t_lacks "password never printed (failure)" sekrit $CH --user basicuser:sekrit -u "http://127.0.0.1:$W_CLOSEMID/"
t_lacks "URL password never printed" sekrit $CH -u "http://basicuser:sekrit@127.0.0.1:$P_CLOSED/"
t_run "Digest SHA-256|MD5 (lighttpd)" 0 "^HTTP OK: HTTP/1.1 200 OK" $CH --user digestuser:digestpass -u "http://127.0.0.1:$L_HTTP/digest/" -p 'digest ok'
t_run "Digest MD5 (lighttpd)" 0 "^HTTP OK: HTTP/1.1 200 OK" $CH --user digestuser:digestpass -u "http://127.0.0.1:$L_HTTP/digestmd5/"
t_run "Digest wrong password" 1 "^HTTP WARNING: HTTP/1.1 401" $CH --user digestuser:nope -u "http://127.0.0.1:$L_HTTP/digest/"
t_run "Digest over IPv6" 0 "^HTTP OK" $CH --digest --user digestuser:digestpass -u "http://[::1]:$L_HTTP/digest/"
t_run "Digest: SHA-256 chosen over MD5" 0 "^HTTP OK: HTTP/1.1 200 OK - 6 bytes" $CH --user u:p -u "http://127.0.0.1:$W_DIGESTPICK/" -p sha256
t_run "--digest sends no Basic" 1 "^HTTP WARNING: HTTP/1.1 401" $CH --digest --user basicuser:basicpass -u "$U/basic"
t_run "lighttpd Basic" 0 "^HTTP OK" $CH --user digestuser:digestpass -u "http://127.0.0.1:$L_HTTP/basic/"

# --- methods and bodies ------------------------------------------------------------------------------
t_run "HEAD: Content-Length counts" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -m HEAD -u "$U/health"
t_run "POST -d" 0 "^HTTP OK" $CH -m POST -d hello -u "$U/echo" -p '^method=POST len=5 body=hello\n'
t_run "PUT -d" 0 "^HTTP OK" $CH --method PUT --body 'a b' -u "http://127.0.0.1:$W_ECHO/" -p '(?s)^PUT / HTTP/1\.1\r\n.*Content-Length: 3\r\nConnection: close\r\n\r\na b$'
# Go's . does not match a newline unless (?s)
t_run "a . does not cross lines" 2 "^HTTP CRITICAL: .* not found" $CH --method PUT --body 'a b' -u "http://127.0.0.1:$W_ECHO/" -p '^PUT / HTTP/1\.1\r\n.*Content-Length: 3'
t_run "POST without a body sends Content-Length: 0" 0 "^HTTP OK" $CH -m POST -u "http://127.0.0.1:$W_ECHO/" -p 'Content-Length: 0\r\n'
t_run "any token method" 0 "^HTTP OK" $CH -m PROPFIND -u "http://127.0.0.1:$W_ECHO/" -p '^PROPFIND / HTTP/1\.1'
t_run "bad method is a usage error" 3 "invalid method 'GE T'" $CH -m "GE T" -u "$U/health"
t_run "error text names the method like Go" 2 "^HTTP CRITICAL: Post \"http://127.0.0.1:$P_CLOSED/\": dial tcp" \
	$CH -m POST -u "http://127.0.0.1:$P_CLOSED/"

# --- sizes ----------------------------------------------------------------------------------------------
t_run "-B exact" 0 "^HTTP OK" $CH -B 8 -u "$U/health"
t_run "-B wrong" 2 "^HTTP CRITICAL: Response was '8' bytes instead of '9'$" $CH -B 9 -u "$U/health"
t_run "-g enough" 0 "^HTTP OK" $CH -g 8 -u "$U/health"
t_run "-g too small" 2 "^HTTP CRITICAL: Response was '8' bytes instead of the indicated minimum '9'$" $CH --min-bytes 9 -u "$U/health"

# --- TLS -------------------------------------------------------------------------------------------------
t_run "https verified" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH -u "$S/health" $CA
t_run "https by IP (IP SAN)" 0 "^HTTP OK" $CH -u "https://127.0.0.1:$H_HTTPS/health" $CA
t_run "https over IPv6" 0 "^HTTP OK" $CH -u "https://[::1]:$H_HTTPS/health" $CA
t_run "https untrusted with the system store" 2 "^HTTP CRITICAL: Get \"$S/health\": TLS: certificate is not trusted" $CH -u "$S/health"
t_run "SSL_CERT_FILE" 0 "^HTTP OK" env SSL_CERT_FILE="$CERTS/ca.crt" $CH -u "$S/health"
t_run "expired" 2 "^HTTP CRITICAL: Get \"https://localhost:$H_EXPIRED/\": TLS: certificate has expired [0-9]+ days ago$" \
	$CH -u "https://localhost:$H_EXPIRED/" $CA
t_run "wrong host" 2 "TLS: certificate does not match the host name \(it is for DNS:wrong.example\)" \
	$CH -u "https://localhost:$H_WRONGHOST/" $CA
t_run "self-signed" 2 "TLS: certificate is not trusted" $CH -u "https://localhost:$H_SELFSIGNED/" $CA
t_run "--no-check-certificate" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes" $CH --no-check-certificate -u "https://localhost:$H_EXPIRED/"
t_run "client certificate required, none sent" 1 "^HTTP WARNING: HTTP/1.1 400" $CH -u "https://localhost:$H_CLIENT/" $CA
t_run "client certificate" 0 "^HTTP OK" $CH -u "https://localhost:$H_CLIENT/" $CA \
	--cert-file "$CERTS/client.crt" --key-file "$CERTS/client.key" -p 'client=.*CN=probebox-client'
t_run "--cert-file without --key-file" 3 "go together" $CH -u "$S/" --cert-file "$CERTS/client.crt"
t_run "unreadable client certificate is UNKNOWN" 3 "^HTTP UNKNOWN: cannot read certificate" \
	$CH -u "$S/" --cert-file /nonexistent --key-file /nonexistent
t_run "unreadable CA file is UNKNOWN" 3 "^HTTP UNKNOWN: cannot read CA file" $CH -u "$S/" --ca-file /nonexistent
t_run "https against plain HTTP" 2 "^HTTP CRITICAL: .*TLS handshake failed" $CH -u "https://127.0.0.1:$H_HTTP/" $CA -t 3
if [ "${T_TLS13:-1}" = 1 ]; then
t_run "--tls-min 1.3 against a TLS 1.3 server" 0 "^HTTP OK" $CH --tls-min 1.3 -u "https://localhost:$T_VALID13/" $CA
t_run "--tls-min 1.3 against nginx (TLS 1.2 at most)" 2 "^HTTP CRITICAL: .*TLS handshake failed" \
	$CH --tls-min 1.3 -u "$S/health" $CA
t_run "--tls-min 1.3 against a TLS-1.2-only server" 2 "^HTTP CRITICAL: .*TLS handshake failed" \
	$CH --tls-min 1.3 -u "https://localhost:$T_VALID12/" $CA
else	# a backend without TLS 1.3 says so before connecting
t_run "--tls-min 1.3 without TLS 1.3 in the build" 3 "^HTTP UNKNOWN: TLS 1.3 is not supported by the BearSSL build" \
	$CH --tls-min 1.3 -u "https://localhost:$T_VALID13/" $CA
t_run "TLS 1.2 build against a TLS-1.3-only server" 2 "^HTTP CRITICAL: .*TLS handshake failed" \
	$CH -u "https://localhost:$T_VALID13/" $CA
fi
t_run "TLS 1.2 server without --tls-min" 0 "^HTTP OK: HTTP/1.0 200 ok" $CH -u "https://localhost:$T_VALID12/" $CA
t_run "--cert-warn shows the days (OK)" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes in $NUM second response time - certificate expires in [0-9]+ days \(2049-12-31\)$" \
	$CH -u "$S/health" $CA --cert-warn 30
t_run "--cert-warn hit" 1 "^HTTP WARNING: .* certificate expires in [0-9]+ days" $CH -u "$S/health" $CA --cert-warn 20000
t_run "--cert-crit hit" 2 "^HTTP CRITICAL: .* certificate expires in [0-9]+ days" $CH -u "$S/health" $CA --cert-warn 20000 --cert-crit 30000
t_run "TLS through tserve" 0 "^HTTP OK" $CH -u "https://localhost:$W_TLSECHO/x" $CA -p '^GET /x HTTP/1\.1\r\nHost: localhost:'

# --- times and perfdata --------------------------------------------------------------------------------
t_run "-w/-c add perfdata" 0 "^HTTP OK: HTTP/1.1 200 OK - 8 bytes in $NUM second response time \|time=${NUM}s;5;10;0 size=8B;;;0$" \
	$CH -u "$U/health" -w 5 -c 10
t_run "-w exceeded" 1 "^HTTP WARNING: Response time $NUM seconds is over the warning threshold 0.05 \|time=${NUM}s;0.05;;0 size=2B;;;0$" \
	$CH -u "http://127.0.0.1:$W_DRIPFAST/" -w 0.05
t_run "-c exceeded" 2 "^HTTP CRITICAL: Response time .* over the critical threshold 0.05" $CH -u "http://127.0.0.1:$W_DRIPFAST/" -w 0.01 -c 0.05
t_by 1 t_run "-t: slow server" 2 "^HTTP CRITICAL: Get \"$U/slow\": timeout after 1s while reading$" $CH -t 1 -u "$U/slow"
t_run "-t: enough time" 0 "^HTTP OK: HTTP/1.1 200 OK" $CH -t 5 -u "$U/slow"
t_by 1 t_run "slow drip past -t" 2 "timeout after 1s while reading" $CH -t 1 -u "http://127.0.0.1:$W_DRIP/"
t_run "fast drip" 0 "^HTTP OK: HTTP/1.1 200 OK - 2 bytes" $CH -u "http://127.0.0.1:$W_DRIPFAST/"
t_run "connection refused" 2 "^HTTP CRITICAL: Get \"http://127.0.0.1:$P_CLOSED/\": dial tcp 127.0.0.1:$P_CLOSED: connection refused$" \
	$CH -u "http://127.0.0.1:$P_CLOSED/"
t_by 1 t_run "black-holed port" 2 "timeout after 1s while connecting" $CH -t 1 -u "http://127.0.0.1:$P_BLACKHOLE/"

# --- message framing edge cases -------------------------------------------------------------------------
t_run "chunked with extensions and trailers" 0 "^HTTP OK: HTTP/1.1 200 OK - 13 bytes" $CH -u "http://127.0.0.1:$W_CHUNKED/" -p '^Hello, client$'
t_run "no Content-Length: read until close" 0 "^HTTP OK: HTTP/1.1 200 OK - 21 bytes" $CH -u "http://127.0.0.1:$W_NOLEN/"
t_run "1xx responses skipped" 0 "^HTTP OK: HTTP/1.1 200 OK - 2 bytes" $CH -u "http://127.0.0.1:$W_1XX/"
t_run "header flood" 2 "^HTTP CRITICAL: .*malformed HTTP response: too many headers \(more than 100\)$" $CH -u "http://127.0.0.1:$W_FLOOD/"
t_run "header line too long" 2 "^HTTP CRITICAL: .*header too long \(more than 8192 bytes\)$" $CH -u "http://127.0.0.1:$W_LONGHDR/"
t_run "closed in the headers" 2 "^HTTP CRITICAL: .*connection closed in the headers$" $CH -u "http://127.0.0.1:$W_CLOSEMID/"
t_run "closed without a response" 2 "^HTTP CRITICAL: .*server closed the connection without a response$" $CH -u "http://127.0.0.1:$W_SILENTCLOSE/"
t_run "body shorter than Content-Length" 2 "^HTTP/1.1 200 OK - 100 bytes" $CH -u "http://127.0.0.1:$W_SHORT/"
t_run "body shorter: the reason" 2 "^HTTP CRITICAL: Incomplete body: malformed HTTP response: connection closed in the body \(11 of 100 bytes\)$" \
	$CH -u "http://127.0.0.1:$W_SHORT/"
t_run "not HTTP" 2 "malformed status line \"SSH-2.0-OpenSSH_9.2\"" $CH -u "http://127.0.0.1:$W_GARBAGE/"
t_run "no reason phrase" 0 "^HTTP OK: HTTP/1.1 200 - 2 bytes in" $CH -u "http://127.0.0.1:$W_NOREASON/"
t_run "LF-only lines and obs-fold" 0 "^HTTP OK: HTTP/1.1 200 OK - 2 bytes" $CH -u "http://127.0.0.1:$W_LFONLY/" -p '^ok$'
t_run "HTTP/1.0 response" 0 "^HTTP OK: HTTP/1.0 200 OK - 9 bytes" $CH -u "http://127.0.0.1:$W_HTTP10/"
T_LIMIT=6 t_run "endless body: read up to the limit, then done" 0 "^HTTP OK: HTTP/1.1 200 OK - 1048576 bytes" \
	$CH -t 5 -u "http://127.0.0.1:$W_STREAM/"
T_LIMIT=6 t_run "endless body with --max-body" 0 "^HTTP OK: HTTP/1.1 200 OK - 1000 bytes" \
	$CH -t 5 --max-body 1000 -u "http://127.0.0.1:$W_STREAM/"
T_LIMIT=6 t_run "--max-body above 1 MiB: the whole of it is kept" 0 "^HTTP OK: HTTP/1.1 200 OK - 2000000 bytes" \
	$CH -t 5 --max-body 2000000 -u "http://127.0.0.1:$W_STREAM/" -p 'x$'
T_LIMIT=4 t_by 1 t_run "endless trickle ends by the deadline" 2 "^HTTP CRITICAL: Incomplete body: timeout after 1s while reading" \
	$CH -t 1 -u "http://127.0.0.1:$W_TRICKLE/"

# --- usage ---------------------------------------------------------------------------------------------------
t_run "missing -u" 3 "required flag '-u, --url'" $CH
t_run "unknown option" 3 "unknown option '--bogus'" $CH --bogus -u "$U/"
t_run "bad timeout" 3 "invalid timeout" $CH -t soon -u "$U/"
t_run "bad --tls-min" 3 "invalid --tls-min" $CH --tls-min 1.1 -u "$U/"
t_run "malformed URL is UNKNOWN" 3 "^HTTP UNKNOWN: parse \"http://\[::1\": missing '\]' in host$" $CH -u 'http://[::1'
t_run "empty host" 2 "^HTTP CRITICAL: Get \"http:///x\": http: no Host in request URL$" $CH -u 'http:///x'
t_run "--help" 0 "^usage: check-http" $CH --help
LONGPW=$(printf '%0300d' 0)
t_run "an over-long password is refused, not cut" 3 "longer than 255 bytes" $CH --user "u:$LONGPW" -u "http://127.0.0.1:$W_ECHO/"
t_lacks "the over-long password is not printed" "$LONGPW" $CH --user "u:$LONGPW" -u "http://127.0.0.1:$W_ECHO/"
t_run "a malformed -H names the header, not its value" 3 "malformed MIME header line: Authorization \.\.\.$" \
	$CH -u "http://127.0.0.1:$W_ECHO/" -H 'Authorization Bearer s3cr3t-t0ken'
t_lacks "a malformed -H does not print its token" s3cr3t-t0ken $CH -u "http://127.0.0.1:$W_ECHO/" -H 'Authorization Bearer s3cr3t-t0ken'
