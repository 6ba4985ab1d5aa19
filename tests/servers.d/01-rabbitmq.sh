# 01-rabbitmq.sh - a RabbitMQ broker for the amqp probe: AMQP on 127.0.0.1 and ::1, AMQPS on
# 127.0.0.1 with the test PKI's valid leaf; users, vhosts and permissions loaded at boot from a
# definitions file (no rabbitmqctl: each call starts a VM). It takes 6-20 s to boot, so it is
# started first and not waited for here: tests/integration/amqp.sh waits for its AMQP port
# (bounded) and skips when it never comes. Its own epmd runs as our child on a free port, so
# nothing is stopped by name and no other Erlang node on the machine is touched.
#   probebox / Zq8vK3wT: vhosts / and testvh;  limited / Lm4pR7yX: othervh only
Q_WHY=
Q_RMQ=/usr/lib/rabbitmq/bin/rabbitmq-server
if [ ! -x "$Q_RMQ" ] || ! command -v epmd >/dev/null; then
	Q_WHY="rabbitmq-server is not installed"
else
	Q=$T_DIR/rabbitmq
	mkdir -p "$Q/mnesia" "$Q/log"
	Q_AMQP=$(t_free_port); Q_AMQPS=$(t_free_port); Q_DIST=$(t_free_port); Q_EPMD=$(t_free_port)
	# rabbit_password_hashing_sha256: base64(salt || sha256(salt || password)), 4-byte salt
	q_hash() {
		openssl rand 4 > "$Q/salt"
		{ cat "$Q/salt"; { cat "$Q/salt"; printf '%s' "$1"; } | openssl dgst -sha256 -binary; } |
			base64 -w0
	}
	cat > "$Q/definitions.json" <<JSON
{ "users": [
    {"name": "probebox", "password_hash": "$(q_hash Zq8vK3wT)", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ""},
    {"name": "limited", "password_hash": "$(q_hash Lm4pR7yX)", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": ""} ],
  "vhosts": [ {"name": "/"}, {"name": "testvh"}, {"name": "othervh"} ],
  "permissions": [
    {"user": "probebox", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"},
    {"user": "probebox", "vhost": "testvh", "configure": ".*", "write": ".*", "read": ".*"},
    {"user": "limited", "vhost": "othervh", "configure": ".*", "write": ".*", "read": ".*"} ] }
JSON
	cat > "$Q/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$Q_AMQP
listeners.tcp.2 = ::1:$Q_AMQP
listeners.ssl.1 = 127.0.0.1:$Q_AMQPS
ssl_options.cacertfile = $CERTS/ca.crt
ssl_options.certfile = $CERTS/valid.crt
ssl_options.keyfile = $CERTS/valid.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
load_definitions = $Q/definitions.json
log.file.level = warning
log.console = false
CONF
	echo '[].' > "$Q/enabled_plugins"
	: > "$Q/rabbitmq-env.conf"
	t_bg rabbitmq-epmd env ERL_EPMD_ADDRESS=127.0.0.1 epmd -port "$Q_EPMD"
	# the broker would start an epmd of its own (a daemon) if ours were not listening yet
	t_wait_port 127.0.0.1 "$Q_EPMD" || Q_WHY="epmd did not start: $(cat "$T_DIR/rabbitmq-epmd.log")"
	t_bg rabbitmq env HOME="$Q" RABBITMQ_CONF_ENV_FILE="$Q/rabbitmq-env.conf" \
		RABBITMQ_NODENAME="probebox-$$@localhost" RABBITMQ_CONFIG_FILE="$Q/rabbitmq.conf" \
		RABBITMQ_ENABLED_PLUGINS_FILE="$Q/enabled_plugins" RABBITMQ_MNESIA_BASE="$Q/mnesia" \
		RABBITMQ_LOG_BASE="$Q/log" RABBITMQ_PID_FILE="$Q/rabbit.pid" \
		RABBITMQ_DIST_PORT="$Q_DIST" ERL_EPMD_PORT="$Q_EPMD" ERL_EPMD_ADDRESS=127.0.0.1 \
		RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
		"$Q_RMQ"
	# the broker as one that offers only AMQPLAIN
	t_bg amqplain-proxy /usr/bin/python3 tests/server/amqplain_proxy.py --port-file "$T_DIR/port.Q_AMQPLAIN" "$Q_AMQP"
	_i=0
	while [ ! -s "$T_DIR/port.Q_AMQPLAIN" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	Q_AMQPLAIN=$(cat "$T_DIR/port.Q_AMQPLAIN" 2>/dev/null)
	for _v in Q_AMQP Q_AMQPS Q_AMQPLAIN; do
		eval "echo $_v=\$$_v" >> "$T_DIR/env"
	done
	echo "Q_LOG=$T_DIR/rabbitmq.log" >> "$T_DIR/env"
fi
echo "Q_WHY='$Q_WHY'" >> "$T_DIR/env"

# stand-ins for what a broker does not do on command (frames: type, channel, size, payload, 0xce)
A_HDR='expect:AMQP\x00\x00\x09\x01'
# Connection.Start: 0-9, no server-properties, mechanisms PLAIN, locales en_US
A_START='send:\x01\x00\x00\x00\x00\x00\x1c\x00\x0a\x00\x0a\x00\x09\x00\x00\x00\x00\x00\x00\x00\x05PLAIN\x00\x00\x00\x05en_US\xce'
# a heartbeat, then the socket closed after Start-Ok (a broker refusing the login so)
t_tserve A_LOGINCLOSE "$A_HDR" "$A_START" expect:en_US 'send:\x08\x00\x00\x00\x00\x00\x00\xce' close
# the first bytes of a Start, then closed
t_tserve A_CLOSEMID "$A_HDR" 'send:\x01\x00\x00\x00\x00\x01\xf7\x00\x0a\x00' close
# another protocol, AMQP 1.0 only, a frame size that lies, a frame without its frame-end
t_tserve A_SSH 'send:SSH-2.0-OpenSSH_9.2\r\n' recv close
t_tserve A_AMQP10 "$A_HDR" 'send:AMQP\x00\x01\x00\x00' close
t_tserve A_HUGE "$A_HDR" 'send:\x01\x00\x00\xff\xff\xff\xf0' hold
t_tserve A_NOEND "$A_HDR" 'send:\x01\x00\x00\x00\x00\x00\x04\x00\x0a\x00\x0a\x00' hold
# Start offering only EXTERNAL; then one whose Tune is a Secure challenge
t_tserve A_EXTERNAL "$A_HDR" 'send:\x01\x00\x00\x00\x00\x00\x1f\x00\x0a\x00\x0a\x00\x09\x00\x00\x00\x00\x00\x00\x00\x08EXTERNAL\x00\x00\x00\x05en_US\xce' recv close
t_tserve A_SECURE "$A_HDR" "$A_START" expect:en_US 'send:\x01\x00\x00\x00\x00\x00\x08\x00\x0a\x00\x14\x00\x00\x00\x00\xce' recv close
