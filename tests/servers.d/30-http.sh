# 30-http.sh - HTTP servers for check-http and the HTTP client: nginx (plain, TLS with the
# test certificates, client-certificate required), lighttpd (Digest and Basic), tinyproxy
# (forward proxy and CONNECT, without and with proxy auth) and scripted tserve edge cases.

# --- nginx ------------------------------------------------------------------------------------
N=$T_DIR/nginx
mkdir -p "$N/tmp" "$N/html"
H_HTTP=$(t_free_port); H_HTTPS=$(t_free_port); H_EXPIRED=$(t_free_port)
H_WRONGHOST=$(t_free_port); H_SELFSIGNED=$(t_free_port); H_CLIENT=$(t_free_port)
printf 'basicuser:%s\n' "$(openssl passwd -apr1 basicpass)" > "$N/htpasswd"
printf 'Hello, client\n' > "$N/html/hello"
cat > "$N/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
user root root;
pid $N/nginx.pid;
error_log $N/error.log warn;
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
events { worker_connections 256; }
http {
  access_log $N/access.log;
  client_body_temp_path $N/tmp/body; proxy_temp_path $N/tmp/proxy; fastcgi_temp_path $N/tmp/fcgi;
  uwsgi_temp_path $N/tmp/uwsgi; scgi_temp_path $N/tmp/scgi;
  default_type text/plain;
  server {
    listen 127.0.0.1:$H_HTTP; listen [::1]:$H_HTTP;
    listen 127.0.0.1:$H_HTTPS ssl; listen [::1]:$H_HTTPS ssl;
    ssl_certificate $CERTS/valid.chain.crt; ssl_certificate_key $CERTS/valid.key;
    root $N/html;
    location = /health     { return 200 "healthy\n"; }
    location = /fail       { return 503 "down\n"; }
    location = /redirect   { return 302 /health; }
    location = /redirect-abs { return 301 http://localhost:$H_HTTP/whoami; }
    location = /redirect-https { return 302 https://localhost:$H_HTTPS/health; }
    location = /redirect-wronghost { return 302 https://localhost:$H_WRONGHOST/; }
    location = /redirect-loop { return 302 /redirect-loop; }
    location = /r1         { return 307 /r2; }
    location = /r2         { return 308 r3; }
    location = /r3         { echo_read_request_body; echo "method=\$request_method body=\$request_body"; }
    location = /redirect301 { return 301 /redirected; }
    location = /redirected { return 200 "redirected\n"; }
    location = /slow       { echo_sleep 3; echo "slow"; }
    location = /basic      { auth_basic "test"; auth_basic_user_file $N/htpasswd; echo "basic ok"; }
    location = /whoami     { echo "host=\$http_host ua=\$http_user_agent test=\$http_testheader auth=\$http_authorization"; }
    location = /ip         { echo "remote=\$remote_addr"; }
    location = /echo       { echo_read_request_body; echo "method=\$request_method len=\$http_content_length body=\$request_body"; }
    location = /empty      { return 204; }
    location = /teapot     { return 418 "short and stout\n"; }
  }
  server { listen 127.0.0.1:$H_EXPIRED ssl; ssl_certificate $CERTS/expired.chain.crt; ssl_certificate_key $CERTS/expired.key; return 200 "expired\n"; }
  server { listen 127.0.0.1:$H_WRONGHOST ssl; ssl_certificate $CERTS/wronghost.chain.crt; ssl_certificate_key $CERTS/wronghost.key; return 200 "wronghost\n"; }
  server { listen 127.0.0.1:$H_SELFSIGNED ssl; ssl_certificate $CERTS/selfsigned.crt; ssl_certificate_key $CERTS/selfsigned.key; return 200 "selfsigned\n"; }
  server {
    listen 127.0.0.1:$H_CLIENT ssl;
    ssl_certificate $CERTS/valid.chain.crt; ssl_certificate_key $CERTS/valid.key;
    ssl_client_certificate $CERTS/ca.crt; ssl_verify_client on;
    location / { echo "client=\$ssl_client_s_dn"; }
  }
}
CONF
t_bg nginx nginx -e "$N/error.log" -p "$N" -c "$N/nginx.conf"

# --- lighttpd: Digest (SHA-256 and MD5 challenges, or MD5 only) and Basic ----------------------
L=$T_DIR/lighttpd
mkdir -p "$L/html/digest" "$L/html/digestmd5" "$L/html/basic"
L_HTTP=$(t_free_port)
echo "digest ok" > "$L/html/digest/index.html"
echo "digest md5 ok" > "$L/html/digestmd5/index.html"
echo "basic ok" > "$L/html/basic/index.html"
echo "digestuser:digestpass" > "$L/users"
cat > "$L/lighttpd.conf" <<CONF
server.modules = ( "mod_auth", "mod_authn_file" )
server.document-root = "$L/html"
server.bind = "127.0.0.1"
server.port = $L_HTTP
\$SERVER["socket"] == "[::1]:$L_HTTP" { }
server.pid-file = "$L/lighttpd.pid"
server.errorlog = "$L/error.log"
server.upload-dirs = ( "$L" )
index-file.names = ( "index.html" )
auth.backend = "plain"
auth.backend.plain.userfile = "$L/users"
auth.require = ( "/digest/" => ( "method" => "digest", "realm" => "test", "require" => "valid-user", "algorithm" => "SHA-256|MD5" ),
                 "/digestmd5/" => ( "method" => "digest", "realm" => "test", "require" => "valid-user", "algorithm" => "MD5" ),
                 "/basic/"  => ( "method" => "basic",  "realm" => "test", "require" => "valid-user" ) )
CONF
t_bg lighttpd lighttpd -D -f "$L/lighttpd.conf"

# --- tinyproxy: a forward proxy with CONNECT, and one that wants Basic proxy auth --------------
tinyproxy_conf() {	# DIR PORT [BasicAuth line]
	mkdir -p "$1"
	cat > "$1/tinyproxy.conf" <<CONF
Port $2
Listen 127.0.0.1
Timeout 30
MaxClients 20
LogFile "$1/tinyproxy.log"
PidFile "$1/tinyproxy.pid"
LogLevel Info
Allow 127.0.0.1
Allow ::1
DisableViaHeader No
${3:-}
CONF
}
X_PROXY=$(t_free_port); X_PROXYAUTH=$(t_free_port)
tinyproxy_conf "$T_DIR/tinyproxy" "$X_PROXY"
tinyproxy_conf "$T_DIR/tinyproxy-auth" "$X_PROXYAUTH" "BasicAuth proxyuser proxypass"
t_bg tinyproxy tinyproxy -d -c "$T_DIR/tinyproxy/tinyproxy.conf"
t_bg tinyproxy-auth tinyproxy -d -c "$T_DIR/tinyproxy-auth/tinyproxy.conf"

for _v in H_HTTP H_HTTPS H_EXPIRED H_WRONGHOST H_SELFSIGNED H_CLIENT L_HTTP X_PROXY X_PROXYAUTH; do
	eval "echo $_v=\$$_v" >> "$T_DIR/env"
done
echo "H_NGINX_DIR=$N" >> "$T_DIR/env"

# --- tserve: what real servers do not do on command ---------------------------------------------
R='send:HTTP/1.1 200 OK\r\n'
t_tserve W_CHUNKED recvhdr 'send:HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nHello\r\n8 ; x="y"\r\n, client\r\n0\r\nX-Trailer: yes\r\n\r\n' close
t_tserve W_NOLEN recvhdr "${R}Content-Type: text/plain\r\n\r\nbody without a length" close
t_tserve W_1XX recvhdr 'send:HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' close
t_tserve W_FLOOD recvhdr "$R" 'repeat:200:X-Flood: 1\r\n' 'send:\r\n' close
t_tserve W_LONGHDR recvhdr "${R}X-Long: " 'repeat:9000:a' 'send:\r\nContent-Length: 0\r\n\r\n' close
t_tserve W_DRIP recvhdr 'drip:0.2:HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' close
t_tserve W_DRIPFAST recvhdr 'drip:0.005:HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' close
t_tserve W_STREAM recvhdr "${R}\r\n" stream:0
t_tserve W_TRICKLE recvhdr "${R}\r\n" trickle:0.2
t_tserve W_CLOSEMID recvhdr "${R}Content-Ty" close
t_tserve W_SILENTCLOSE recvhdr close
t_tserve W_SHORT recvhdr "${R}Content-Length: 100\r\n\r\nonly a part" close
t_tserve W_GARBAGE recvhdr 'send:SSH-2.0-OpenSSH_9.2\r\n' close
t_tserve W_NOREASON recvhdr 'send:HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok' close
t_tserve W_LFONLY recvhdr 'send:HTTP/1.1 200 OK\nX-Folded: a\n  b\nContent-Length: 2\n\nok' close
t_tserve W_HTTP10 recvhdr 'send:HTTP/1.0 200 OK\r\n\r\nold style' close
t_tserve W_ECHO recvhdr echo close
t_tserve W_TLSECHO --tls "$CERTS/valid.chain.crt" "$CERTS/valid.key" recvhdr echo close
t_tserve W_LOOP recvhdr 'send:HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n' close
t_tserve W_BADLOC recvhdr 'send:HTTP/1.1 302 Found\r\nLocation: http://[::1/\r\nContent-Length: 0\r\n\r\n' close
t_tserve W_PWLOC recvhdr 'send:HTTP/1.1 302 Found\r\nLocation: http://admin:s3cr3t/PWxq@127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n' close
t_tserve W_FTPLOC recvhdr 'send:HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n' close

for _v in H_HTTP H_HTTPS H_EXPIRED H_WRONGHOST H_SELFSIGNED H_CLIENT L_HTTP X_PROXY X_PROXYAUTH; do
	eval "t_wait_port 127.0.0.1 \$$_v" || echo "HTTP server $_v did not start" >&2
done
# a Digest server that offers MD5 first and SHA-256 second, and takes only SHA-256
t_tserve W_DIGESTPICK recvhdr 'when:algorithm=SHA-256, response=' "${R}Content-Length: 6\r\n\r\nsha256" \
	'send:HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="t", algorithm=MD5, nonce="n1", qop="auth"\r\nWWW-Authenticate: Digest realm="t", algorithm=SHA-256, nonce="n1", qop="auth"\r\nContent-Length: 0\r\n\r\n' close
