# 40-grpc.sh - gRPC servers for grpc_health_probe and the grpc probe: tests/server/grpcd.py on
# python3-grpcio with the health service over plain HTTP/2, TLS (the test CA's valid leaf, the
# wrong-host leaf, a client certificate required) and a unix socket, one without the service;
# tserve peers that speak HTTP/1.1 or send SETTINGS and then nothing. grpcd takes a moment to
# start: it starts in the background, and grpc.sh waits (bounded) for its port file.
if /usr/bin/python3 -c 'import grpc' 2>/dev/null; then
	t_bg grpcd /usr/bin/python3 tests/server/grpcd.py --port-file "$T_DIR/grpc.ports" plain \
		nohealth "tls:$CERTS/valid.chain.crt:$CERTS/valid.key" \
		"mtls:$CERTS/valid.chain.crt:$CERTS/valid.key:$CERTS/ca.crt" \
		"tls:$CERTS/wronghost.chain.crt:$CERTS/wronghost.key" "unix:$T_DIR/grpc.sock"
	echo "G_PORTS=$T_DIR/grpc.ports" >> "$T_DIR/env"
	echo "G_SOCK=$T_DIR/grpc.sock" >> "$T_DIR/env"
fi
t_tserve G_HTTP1 recvhdr 'send:HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n' close
t_tserve G_STALL 'send:\x00\x00\x00\x04\x00\x00\x00\x00\x00' hold
