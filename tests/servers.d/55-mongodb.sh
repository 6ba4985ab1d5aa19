# 55-mongodb.sh - the MongoDB stand-in (tests/server/mongod.py: no MongoDB server can be had
# here), one port per mode: M_AUTH, M_NOAUTH, M_BADSIG, M_SILENT, M_CLOSE, M_OLD

_pf=$T_DIR/port.mongod
t_bg mongod /usr/bin/python3 tests/server/mongod.py --port-file "$_pf" auth noauth badsig silent \
	close old
_i=0
while [ ! -s "$_pf" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
if [ -s "$_pf" ]; then
	while read -r _m _p; do
		echo "M_$(echo "$_m" | tr a-z A-Z)=$_p" >> "$T_DIR/env"
	done < "$_pf"
else
	echo "the MongoDB stand-in did not start" >&2
fi
# replies no MongoDB server sends: another protocol, a length that lies, a frame or a document
# that does not hold together (our first request is id 1)
t_tserve M_HTTP recv 'send:HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n' close
t_tserve M_SSH 'send:SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n' hold
t_tserve M_HUGE recv 'send:\xff\xff\xff\x7f\x01\x00\x00\x00\x01\x00\x00\x00\xdd\x07\x00\x00' hold
t_tserve M_TINY recv 'send:\x08\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\xdd\x07\x00\x00' hold
t_tserve M_CUT recv 'send:\x64\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\xdd\x07\x00\x00\x00\x00' close
t_tserve M_BADBSON recv 'send:\x1a\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x01' hold
t_tserve M_OTHERID recv 'send:\x1a\x00\x00\x00\x01\x00\x00\x00\x63\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00' hold
