# 20-tls.sh - openssl s_server with the test certificates: one port per certificate,
# TLS-1.2-only / TLS-1.3-only ports for the valid EC and RSA leaves, ALPN, client auth

tls_server() {	# VAR CERT KEY [s_server options]
	_v=$1 _crt=$2 _key=$3
	shift 3
	_p=$(t_free_port)
	t_bg "s_server-$_v" openssl s_server -quiet -accept "127.0.0.1:$_p" -cert "$CERTS/$_crt" \
		-key "$CERTS/$_key" -www "$@"
	echo "$_v=$_p" >> "$T_DIR/env"
	eval "$_v=$_p"
}
tls_server T_VALID valid.chain.crt valid.key
tls_server T_VALID12 valid.chain.crt valid.key -tls1_2
tls_server T_VALID13 valid.chain.crt valid.key -tls1_3
tls_server T_RSA12 rsa.chain.crt rsa.key -tls1_2
tls_server T_RSA13 rsa.chain.crt rsa.key -tls1_3
tls_server T_EXPIRED expired.chain.crt expired.key
tls_server T_FUTURE future.chain.crt future.key
tls_server T_WRONGHOST wronghost.chain.crt wronghost.key
tls_server T_SELFSIGNED selfsigned.crt selfsigned.key
tls_server T_ALPN valid.chain.crt valid.key -alpn h2,http/1.1
tls_server T_CLIENTAUTH valid.chain.crt valid.key -Verify 1 -CAfile "$CERTS/ca.crt"
# an SMTPS-like banner over TLS for the SSMTP preset
t_tserve T_BANNER --tls "$CERTS/valid.chain.crt" "$CERTS/valid.key" 'send:220 smtps ready\r\n' recvline close
for _v in T_VALID T_VALID12 T_VALID13 T_RSA12 T_RSA13 T_EXPIRED T_FUTURE T_WRONGHOST T_SELFSIGNED \
	T_ALPN T_CLIENTAUTH; do
	eval "t_wait_port 127.0.0.1 \$$_v" || echo "TLS server $_v did not start" >&2
done
