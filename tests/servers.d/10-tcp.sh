# 10-tcp.sh - plain TCP and unix-socket servers for check-tcp and the transport layer

# upstream check-tcp's own test server: reads a request, waits 200 ms, answers OKOK
HTTPISH='recvhdr delay:0.2 send:HTTP/1.0\x20200\x20OK\r\n\r\nOKOK close'
t_tserve P_OKOK --bind 127.0.0.1 --bind ::1 $HTTPISH
t_tserve P_OKOK_UNIX_DUMMY --unix "$T_DIR/okok.sock" $HTTPISH
echo "S_OKOK=$T_DIR/okok.sock" >> "$T_DIR/env"
# banners: FTP-like, split over two segments, and one that takes its time
t_tserve P_FTP 'send:220 probebox FTP ready\r\n' recvline close
t_tserve P_SPLIT 'send:220 first' delay:0.3 'send: half\r\n' hold
t_tserve P_PARTIAL 'send:220 partial' hold
t_tserve P_SLOW delay:3 'send:220 late\r\n' hold
t_tserve P_SILENT hold
t_tserve P_GEARMAN 'expect:version\n' 'send:1.11\n' hold
t_tserve P_POP 'send:+OK POP3 ready\r\n' recvline close
t_tserve P_IMAP 'send:* OK IMAP ready\r\n' recvline close
t_tserve P_RESET reset
# resets once the request has arrived: a reset while the reply is awaited, never at connect
t_tserve P_RESETREAD recv reset
t_tserve P_BLACKHOLE --no-accept hold
P_CLOSED=$(t_free_port)
echo "P_CLOSED=$P_CLOSED" >> "$T_DIR/env"
# UDP: a statsd/echo-style responder, and one that never answers
t_tserve U_ECHO --udp reply:ping:pong 'reply:hello\n:world\n'
t_tserve U_SILENT --udp
# dual-stack names one of whose addresses drops SYNs (tests/integration/resolve.sh)
t_tserve P_DUAL --bind 127.0.0.1 --blackhole ::1 $HTTPISH
t_tserve P_DUAL4 --bind ::1 --blackhole 127.0.0.1 $HTTPISH
