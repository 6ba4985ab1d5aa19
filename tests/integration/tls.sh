# tls.sh - the TLS backend behind tls.h, through tests/tools/tlsclient: peer information,
# verification by default (a zeroed struct tls_opts or http_request) and deferred on request,
# ALPN, cipher and version choice, client certificates; the same expectations for every
# backend (T_TLS13=0: a backend without TLS 1.3)
. tests/lib.sh
. "$T_DIR/env"
[ -n "${T_TLSCLIENT:-}" ] || return 0
TC=$T_TLSCLIENT
CA="ca=$CERTS/ca.crt"

tc() {	# NAME FIELD=WANT ARGS... : one line of tlsclient's output must be exactly FIELD=WANT
	_n=$1 _fw=$2
	shift 2
	t_exec "$TC" "$@"
	_got=$(printf '%s\n' "$T_OUT" | grep -m1 "^${_fw%%=*}=")
	if [ "$_got" = "$_fw" ]; then
		t_ok "$_n"
	else
		t_fail "$_n" "want $_fw; command: $TC $*
output: $T_OUT"
	fi
}

# peer information: the same text from every backend
tc "version" "version=TLSv1.2" localhost "$T_VALID12" $CA
tc "subject, RFC 4514 order" "subject=O=probebox tests, CN=localhost" localhost "$T_VALID12" $CA
tc "issuer" "issuer=CN=Test CA, O=probebox tests" localhost "$T_VALID12" $CA
tc "subject CN" "subject_cn=localhost" localhost "$T_VALID12" $CA
tc "issuer CN" "issuer_cn=Test CA" localhost "$T_VALID12" $CA
tc "SANs" "sans=DNS:localhost, IP:127.0.0.1, IP:::1" localhost "$T_VALID12" $CA
tc "serial" "serial=1000" localhost "$T_VALID12" $CA
tc "not before" "not_before=1577836800" localhost "$T_VALID12" $CA
tc "not after" "not_after=2524607999" localhost "$T_VALID12" $CA
tc "chain length" "chain_len=1" localhost "$T_VALID12" $CA
tc "verified" "verify=0 certificate is valid" localhost "$T_VALID12" $CA
tc "request and reply" "reply=HTTP/1.0 200 ok" localhost "$T_VALID12" $CA get
tc "RSA leaf subject" "subject_cn=localhost" localhost "$T_RSA12" $CA

# the zero value verifies: a certificate that does not pass fails the handshake with
# CONN_E_CERT (exit 4) and the reason; nothing but the host (and the CA) is set
t_run "zeroed options: the test CA is not in the system store" 4 \
	"^error=certificate is not trusted \(unknown issuer or self-signed\)$" "$TC" localhost "$T_VALID12"
t_run "zeroed options: expired" 4 "^error=certificate has expired [0-9]+ days ago$" \
	"$TC" localhost "$T_EXPIRED" $CA
t_run "zeroed options: not yet valid" 4 "^error=certificate is not valid for another [0-9]+ days$" \
	"$TC" localhost "$T_FUTURE" $CA
t_run "zeroed options: self-signed" 4 "^error=certificate is not trusted" "$TC" localhost "$T_SELFSIGNED" $CA
t_run "zeroed options: wrong host" 4 \
	"^error=certificate does not match the host name \(it is for DNS:wrong.example\)$" \
	"$TC" localhost "$T_WRONGHOST" $CA
t_run "zeroed options: IPv4 literal not in the SANs" 4 "^error=certificate does not match the host name" \
	"$TC" 127.0.0.1 "$T_WRONGHOST" $CA
t_lacks "zeroed options: no peer fields after a rejected certificate" "subject_cn=" \
	"$TC" localhost "$T_EXPIRED" $CA
tc "zeroed options: a valid certificate passes" "verify=0 certificate is valid" localhost "$T_VALID12" $CA
for p in "$T_EXPIRED expired" "$T_SELFSIGNED self-signed" "$T_WRONGHOST wrong host"; do
	set -- $p
	tc "insecure: $2 passes" "verify=0 certificate is valid" localhost "$1" insecure
done
tc "insecure: fields still read" "subject_cn=localhost" localhost "$T_EXPIRED" insecure
# no host name to check: the chain is still verified, only the name is not
tc "no host: the name is not checked" "verify=0 certificate is valid" localhost "$T_WRONGHOST" $CA nohost
t_run "no host: the chain still is" 4 "^error=certificate is not trusted" "$TC" localhost "$T_SELFSIGNED" $CA nohost
t_run "no host: expiry still is" 4 "^error=certificate has expired" "$TC" localhost "$T_EXPIRED" $CA nohost

# a zeroed struct http_request verifies every hop too (nginx)
t_run "zeroed http_request: expired" 4 "^error=TLS: certificate has expired [0-9]+ days ago$" \
	"$TC" localhost "$H_EXPIRED" $CA http
t_run "zeroed http_request: wrong host" 4 "^error=TLS: certificate does not match the host name" \
	"$TC" localhost "$H_WRONGHOST" $CA http
t_run "zeroed http_request: self-signed" 4 "^error=TLS: certificate is not trusted" \
	"$TC" localhost "$H_SELFSIGNED" $CA http
t_run "zeroed http_request: untrusted with the system store" 4 "^error=TLS: certificate is not trusted" \
	"$TC" localhost "$H_HTTPS" http
t_out "zeroed http_request: valid" 0 "status=200" "$TC" localhost "$H_HTTPS" $CA http path=/health
t_out "http_request tls.insecure: expired passes" 0 "status=200" "$TC" localhost "$H_EXPIRED" insecure http
t_out "http_request tls.insecure: self-signed passes" 0 "status=200" "$TC" localhost "$H_SELFSIGNED" insecure http
t_run "http_request: defer_verify does not let a bad certificate through" 4 "^error=TLS: certificate has expired" \
	"$TC" localhost "$H_EXPIRED" $CA defer http

# deferred verification, asked for: the handshake completes, the verdict comes after
tc "expired: handshake done, verdict after" "verify=0x1 certificate has expired" localhost "$T_EXPIRED" $CA defer
tc "not yet valid" "verify=0x2 certificate is not yet valid" localhost "$T_FUTURE" $CA defer
tc "self-signed" "verify=0x4 certificate is not trusted (unknown issuer or self-signed)" localhost "$T_SELFSIGNED" $CA defer
tc "wrong host" "verify=0x8 certificate does not match the host name" localhost "$T_WRONGHOST" $CA defer
tc "IPv4 literal in the SANs" "verify=0 certificate is valid" 127.0.0.1 "$T_VALID12" $CA
tc "IPv4 literal not in the SANs" "verify=0x8 certificate does not match the host name" 127.0.0.1 "$T_WRONGHOST" $CA defer
tc "deferred: fields read" "subject_cn=localhost" localhost "$T_EXPIRED" $CA defer
tc "insecure and defer: no verdict" "verify=0 certificate is valid" localhost "$T_SELFSIGNED" insecure defer

# ALPN (the server prefers h2, then http/1.1)
tc "ALPN negotiated" "alpn=http/1.1" localhost "$T_ALPN" $CA alpn=http/1.1
tc "ALPN server's choice" "alpn=h2" localhost "$T_ALPN" $CA alpn=http/1.1,h2
t_run "ALPN without a common protocol: the server refuses" 2 \
	"^error=TLS handshake failed: the server sent a fatal alert" "$TC" localhost "$T_ALPN" $CA alpn=x-none
tc "no ALPN offered" "alpn=" localhost "$T_ALPN" $CA

# cipher suites and versions
tc "cipher by IANA name" "cipher=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" \
	localhost "$T_VALID12" $CA ciphers=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
tc "cipher, RSA, AES-256" "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" \
	localhost "$T_RSA12" $CA ciphers=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
tc "unknown cipher is a configuration error" "error=unknown or unsupported cipher suite: BOGUS" \
	localhost "$T_VALID12" $CA ciphers=BOGUS
t_run "unknown cipher exits 3" 3 "" "$TC" localhost "$T_VALID12" $CA ciphers=BOGUS
t_run "no common cipher fails the handshake" 2 "^error=TLS handshake failed: " \
	"$TC" localhost "$T_RSA12" $CA ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
if [ "$T_TLS13" = 1 ]; then
	tc "TLS 1.3" "version=TLSv1.3" localhost "$T_VALID13" $CA min=13
	t_run "max 1.2 against a 1.3-only server" 2 "^error=TLS handshake failed: " \
		"$TC" localhost "$T_VALID13" $CA max=12
else
	t_run "min TLS 1.3 is a configuration error" 3 "^error=TLS 1.3 is not supported by the BearSSL build$" \
		"$TC" localhost "$T_VALID13" $CA min=13
	t_run "TLS-1.3-only server: clean handshake failure" 2 "^error=TLS handshake failed: " \
		"$TC" localhost "$T_VALID13" $CA
	tc "TLS 1.3 suite names are skipped in a mixed list" "cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" \
		localhost "$T_VALID12" $CA ciphers=TLS_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
fi

# client certificates: PKCS#8 and traditional keys, EC and RSA, key in the certificate file
K=$T_DIR/keys.$$
mkdir -p "$K"
openssl ec -in "$CERTS/client.key" -out "$K/client.ec.key" 2>/dev/null
openssl rsa -in "$CERTS/clientrsa.key" -traditional -out "$K/clientrsa.rsa.key" 2>/dev/null
cat "$CERTS/client.crt" "$CERTS/client.key" > "$K/client.both.pem"
openssl pkey -in "$CERTS/client.key" -aes128 -passout pass:x -out "$K/client.enc.key" 2>/dev/null
for k in "client.crt $CERTS/client.key EC PKCS#8" "client.crt $K/client.ec.key EC traditional" \
	"clientrsa.crt $CERTS/clientrsa.key RSA PKCS#8" "clientrsa.crt $K/clientrsa.rsa.key RSA traditional"; do
	set -- $k
	tc "client certificate, $3 $4 key" "client_cert=yes" localhost "$T_CLIENTAUTH" $CA \
		cert="$CERTS/$1" key="$2" max=12 get
done
tc "client certificate and key in one file" "client_cert=yes" localhost "$T_CLIENTAUTH" $CA \
	cert="$K/client.both.pem" max=12 get
t_run "no client certificate: the server refuses" 2 "^error=TLS handshake failed: " \
	"$TC" localhost "$T_CLIENTAUTH" $CA max=12
t_run "encrypted client key is a configuration error" 3 "^error=cannot (parse|use) key" \
	"$TC" localhost "$T_CLIENTAUTH" $CA cert="$CERTS/client.crt" key="$K/client.enc.key"
t_run "missing client key file" 3 "^error=cannot read key" \
	"$TC" localhost "$T_CLIENTAUTH" $CA cert="$CERTS/client.crt" key="$K/none.key"

# big CA bundles: trust anchors are looked up by the issuer's name, not all parsed up front
SYS=/etc/ssl/certs/ca-certificates.crt
if [ -s "$SYS" ] && [ "$(grep -c 'BEGIN CERTIFICATE' "$SYS")" -ge 20 ]; then
	cat "$SYS" "$CERTS/ca.crt" > "$K/bundle.crt"
	tc "many CAs + the test CA: trusted" "verify=0 certificate is valid" localhost "$T_VALID12" ca="$K/bundle.crt"
	tc "many CAs without the test CA: not trusted" \
		"verify=0x4 certificate is not trusted (unknown issuer or self-signed)" localhost "$T_VALID12" ca="$SYS" defer
	[ "$T_TLS13" = 0 ] ||
		tc "many CAs + the test CA, TLS 1.3" "verify=0 certificate is valid" localhost "$T_VALID13" ca="$K/bundle.crt"
else
	t_skip "many CAs" "no system bundle at $SYS"
fi
# another CA with the very same name (but not the key) ahead of the real one: both are candidates
openssl ecparam -name prime256v1 -genkey -noout -out "$K/decoy.key" 2>/dev/null
openssl req -x509 -new -key "$K/decoy.key" -sha256 -days 3650 -subj "/O=probebox tests/CN=Test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -out "$K/decoy.crt" 2>/dev/null
cat "$K/decoy.crt" "$CERTS/ca.crt" > "$K/decoy+ca.crt"
tc "same-name decoy CA first, then the real one" "verify=0 certificate is valid" localhost "$T_VALID12" ca="$K/decoy+ca.crt"
tc "same-name decoy CA only: not trusted" \
	"verify=0x4 certificate is not trusted (unknown issuer or self-signed)" localhost "$T_VALID12" ca="$K/decoy.crt" defer
tc "self-signed leaf as its own CA" "verify=0 certificate is valid" localhost "$T_SELFSIGNED" ca="$CERTS/selfsigned.crt"
tc "expired, through a bundle" "verify=0x1 certificate has expired" localhost "$T_EXPIRED" ca="$K/decoy+ca.crt" defer
tc "wrong host, through a bundle" "verify=0x8 certificate does not match the host name" localhost "$T_WRONGHOST" ca="$K/decoy+ca.crt" defer
printf 'no certificate here\n' > "$K/empty.crt"
t_run "CA file without a certificate" 3 "^error=no usable certificate in CA file $K/empty.crt" \
	"$TC" localhost "$T_VALID12" ca="$K/empty.crt"
