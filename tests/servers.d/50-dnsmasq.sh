# 50-dnsmasq.sh - a real DNS server for check-dns and the dns probe: dnsmasq on a loopback port
# of its own, in the foreground (-d: it also answers TCP itself, without forking), with local
# records of every type the probe reads; any other name under test. is NXDOMAIN.
# Its TXT record big.test does not fit a 512-byte UDP answer, so it truncates (TC) and the
# probe asks again over TCP. For what dnsmasq will not do on demand (SERVFAIL, a reply with
# another id, a broken one, TC with no TCP, a long name over TCP), the stand-in
# tests/server/dnsstub.py.
# Writes DNSMASQ_PORT (unset when dnsmasq is missing or did not start), DS_SERVFAIL,
# DS_WRONGID, DS_LOOP, DS_TCONLY, DS_TCP.
_x=$(printf '%0250d' 0 | tr 0 x)
DNSMASQ_PORT=
if [ -x /usr/sbin/dnsmasq ]; then
	_p=$(t_free_port)
	t_bg dnsmasq /usr/sbin/dnsmasq -d -C /dev/null --log-facility=- --no-resolv --no-hosts \
		--port="$_p" --listen-address=127.0.0.1 --bind-interfaces --local=/test/ \
		--local-ttl=60 --host-record=a.test,127.0.0.5 --host-record=h.test,127.0.0.7,::7 \
		--host-record=two.test,127.0.0.1 --host-record=two.test,127.0.0.2 \
		--mx-host=a.test,mx.a.test,10 --txt-record=t.test,"hello world" \
		--txt-record=t2.test,"a b",'q"uote' --txt-record=big.test,"$_x","$_x","$_x" \
		--cname=c.test,h.test --srv-host=_x._tcp.a.test,h.test,8080,1,2 \
		--ptr-record=7.0.0.127.in-addr.arpa,h.test \
		--auth-server=ns.auth.test,127.0.0.254 --auth-zone=auth.test \
		--auth-soa=2024010101,hostmaster.auth.test
	if t_wait_port 127.0.0.1 "$_p"; then
		DNSMASQ_PORT=$_p
	else
		echo "dnsmasq did not start: $(cat "$T_DIR/dnsmasq.log")" >&2
	fi
fi
echo "DNSMASQ_PORT=$DNSMASQ_PORT" >> "$T_DIR/env"
rm -f "$T_DIR/dnsstub.ports"
t_bg dnsstub /usr/bin/python3 tests/server/dnsstub.py --port-file "$T_DIR/dnsstub.ports" \
	servfail wrongid loop tconly tcp
_i=0
while [ ! -s "$T_DIR/dnsstub.ports" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
sed 's/^/DS_/' "$T_DIR/dnsstub.ports" | tr a-z A-Z >> "$T_DIR/env"
