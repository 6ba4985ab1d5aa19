#!/usr/bin/python3
"""zoo.py - the hostile-server zoo: one loopback port per misbehaviour, all in one process.

usage: zoo.py --ports FILE --tls CERT KEY --chain CERT KEY

Listens on 127.0.0.1, one port per behaviour of BEHAVIOURS (TCP; the dns_* ones on UDP, with
a TCP port of the same number for the truncation fallback), and writes one Z_NAME=PORT line
per behaviour to FILE (for the shell), then serves until killed (SIGTERM). A TCP behaviour is
a tests/server/tserve.py script run for each connection; "tls" in front of one runs it after
a real TLS handshake (--tls: one leaf; --chain: a leaf with 19 intermediates). The dns_*
behaviours answer each query in one lying way (dns_reply). tests/integration/zoo.sh runs
every applet and probe against them.
"""
import os
import socket
import ssl
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import tserve  # noqa: E402

H200 = "HTTP/1.1 200 OK\\r\\n"
CHUNKED = H200 + "Transfer-Encoding: chunked\\r\\n\\r\\n"
ESC = "\\x1b]0;zoo\\x07\\x1b[2J\\x9b31m"
# h2 frames: length(3) type flags stream(4)
H2_SETTINGS = "\\x00\\x00\\x00\\x04\\x00\\x00\\x00\\x00\\x00"
# the server's SETTINGS once the preface has come, then the request (HEADERS, DATA)
H2_OPEN = ["recv", "send:\\x00\\x00\\x00\\x04\\x00\\x00\\x00\\x00\\x00", "delay:0.1", "recv"]
H2_HEADERS_200 = "\\x00\\x00\\x01\\x01\\x04\\x00\\x00\\x00\\x01\\x88"

BEHAVIOURS = {
    # any protocol
    "silent": ["hold"],
    "drip": ["trickle:1"],
    "reset": ["reset"],
    "reset_late": ["recv", "reset"],
    "closed": ["close"],
    "garbage": ["send:\\xff\\xfe\\x00GARBAGE \\x01\\x02 garbage\\r\\n", "hold"],
    "nul": ["repeat:64:\\x00", "hold"],
    "flood": ["stream:0"],
    # HTTP (and XML-RPC, which is HTTP)
    "http_drip": ["recvhdr", "drip:1:HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"],
    "http_mid_status": ["recvhdr", "send:HTTP/1.1 20", "close"],
    "http_mid_headers": ["recvhdr", "send:" + H200 + "Content-Type: te", "close"],
    "http_mid_body": ["recvhdr", "send:" + H200 + "Content-Length: 100\\r\\n\\r\\nabc", "close"],
    "http_endless_headers": ["recvhdr", "send:" + H200, "forever:X-Zoo: aaaaaaaaaaaaaaaa\\r\\n"],
    "http_long_status": ["recvhdr", "send:HTTP/1.1 200 ", "stream:0"],
    "http_4g": ["recvhdr", "send:" + H200 + "Content-Length: 4294967296\\r\\n\\r\\n", "stream:0"],
    "http_chunked_endless": ["recvhdr", "send:" + CHUNKED, "forever:10\\r\\n0123456789abcdef\\r\\n"],
    "http_chunk_negative": ["recvhdr", "send:" + CHUNKED + "-5\\r\\nabc\\r\\n0\\r\\n\\r\\n", "hold"],
    "http_chunk_huge": ["recvhdr", "send:" + CHUNKED + "ffffffffffffffffffff\\r\\nabc", "hold"],
    "http_chunk_malformed": ["recvhdr", "send:" + CHUNKED + "zz\\r\\nabc\\r\\n0\\r\\n\\r\\n", "hold"],
    "http_cl_conflict": ["recvhdr", "send:" + H200 + "Content-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\nok!", "hold"],
    "http_cl_dup_short": ["recvhdr", "send:" + H200 + "Content-Length: 9\\r\\nContent-Length: 9\\r\\n\\r\\nok", "close"],
    "http_cl_negative": ["recvhdr", "send:" + H200 + "Content-Length: -1\\r\\n\\r\\nok", "hold"],
    "http_status_2000": ["recvhdr", "send:HTTP/1.1 2000 OK\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "http_status_abc": ["recvhdr", "send:HTTP/1.1 abc OK\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "http_status_099": ["recvhdr", "send:HTTP/1.1 099 Low\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "http_version_bad": ["recvhdr", "send:HTTX/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "http_nul_header": ["recvhdr", "send:" + H200 + "X-A: a\\x00b\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "http_redirect_loop": ["recvhdr", "send:HTTP/1.1 302 Found\\r\\nLocation: /again\\r\\nContent-Length: 0\\r\\n\\r\\n", "close"],
    "xmlrpc_huge": ["recvhdr", "send:" + H200 + "Content-Type: text/xml\\r\\nContent-Length: 100000000\\r\\n\\r\\n"
                    "<?xml version='1.0'?><methodResponse><params><param><value><array><data>",
                    "forever:<value><struct><member><name>name</name><value><string>x</string></value></member></struct></value>"],
    "xmlrpc_deep": ["recvhdr", "send:" + H200 + "Content-Type: text/xml\\r\\n\\r\\n"
                    "<?xml version='1.0'?><methodResponse><params><param>",
                    "repeat:20000:<value><array><data>", "close"],
    "xmlrpc_lying_length": ["recvhdr", "send:" + H200 + "Content-Type: text/xml\\r\\nContent-Length: 5000\\r\\n\\r\\n"
                            "<?xml version='1.0'?><methodResponse><params><param><value><array><data>"
                            "</data></array></value></param></params></methodResponse>", "hold"],
    # TLS: the client hello comes first
    "tls_mid_handshake": ["recv", "send:\\x16\\x03\\x03\\x00\\x50\\x02\\x00\\x00\\x4c\\x03\\x03", "close"],
    "tls_alert": ["recv", "send:\\x15\\x03\\x03\\x00\\x02\\x02\\x28", "hold"],
    "tls_plain_http": ["recv", "send:HTTP/1.1 400 Bad Request\\r\\n\\r\\n", "close"],
    "tls_huge_record": ["recv", "send:\\x16\\x03\\x03\\xff\\xff", "stream:0"],
    # greetings: SMTP, lines
    "smtp_endless_greeting": ["forever:220-zoo.test still greeting you\\r\\n"],
    "smtp_long_line": ["send:220 ", "stream:0"],
    "smtp_bad_code": ["send:999 zoo\\r\\n", "hold"],
    "smtp_ehlo_endless": ["send:220 zoo ESMTP\\r\\n", "recvline", "forever:250-SIZE 1000\\r\\n"],
    "smtp_ehlo_garbage": ["send:220 zoo ESMTP\\r\\n", "recvline", "send:\\x00\\x01garbage\\r\\n", "hold"],
    # RESP (redis): PING comes first
    "resp_bulk_huge": ["recv", "send:$99999999999\\r\\n", "hold"],
    "resp_bulk_flood": ["recv", "send:+PONG\\r\\n", "recv", "send:$1000000000\\r\\n", "stream:0"],
    "resp_array_huge": ["recv", "send:*2147483647\\r\\n", "forever::1\\r\\n"],
    "resp_bulk_negative": ["recv", "send:$-5\\r\\n", "hold"],
    "resp_bulk_short": ["recv", "send:+PONG\\r\\n", "recv", "send:$100\\r\\nredis_version:7\\r\\n", "close"],
    # memcache: "version" (or a stats) comes first
    "mc_endless_stats": ["recv", "forever:STAT zoo 1\\r\\n"],
    "mc_value_huge": ["recv", "send:VALUE k 0 99999999999\\r\\n", "hold"],
    # MongoDB (OP_MSG / OP_QUERY): the hello comes first
    "mongo_len_huge": ["recv", "send:\\xff\\xff\\xff\\x7f\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\xdd\\x07\\x00\\x00", "hold"],
    "mongo_len_tiny": ["recv", "send:\\x05\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\xdd\\x07\\x00\\x00", "hold"],
    "mongo_bson_lie": ["recv", "send:\\x1a\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\xdd\\x07\\x00\\x00"
                       "\\x00\\x00\\x00\\x00\\x00\\xff\\xff\\x00\\x00\\x10", "hold"],
    "mongo_big": ["recv", "send:\\x00\\x00\\x00\\x04\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\xdd\\x07\\x00\\x00", "stream:0"],
    # PostgreSQL: the SSLRequest comes first (refused: N), then the startup message
    "pg_len_huge": ["recv", "send:N", "recv", "send:R\\x7f\\xff\\xff\\xff", "stream:0"],
    "pg_len_tiny": ["recv", "send:N", "recv", "send:R\\x00\\x00\\x00\\x02", "hold"],
    "pg_error_unterminated": ["recv", "send:N", "recv", "send:E\\x00\\x00\\x00\\x20SFATAL\\x00Mnever ends", "hold"],
    "pg_endless_notices": ["recv", "send:N", "recv", "forever:N\\x00\\x00\\x00\\x0bSNOTICE\\x00\\x00"],
    "pg_ssl_garbage": ["recv", "send:Z", "hold"],
    # AMQP 0-9-1: the protocol header comes first
    "amqp_frame_huge": ["recv", "send:\\x01\\x00\\x00\\xff\\xff\\xff\\xff", "stream:0"],
    "amqp_bad_end": ["recv", "send:\\x01\\x00\\x00\\x00\\x00\\x00\\x04\\x00\\x0a\\x00\\x0a\\x00", "hold"],
    "amqp_header_back": ["recv", "send:AMQP\\x00\\x00\\x09\\x01", "close"],
    "amqp_table_lie": ["recv", "send:\\x01\\x00\\x00\\x00\\x00\\x00\\x0c\\x00\\x0a\\x00\\x0a\\x00\\x09"
                       "\\x7f\\xff\\xff\\xff\\x00\\x00\\x00\\x00\\xce", "hold"],
    # gRPC: HTTP/2 frames that lie
    "h2_frame_huge": ["recv", "send:\\xff\\xff\\xff\\x04\\x00\\x00\\x00\\x00\\x00", "stream:0"],
    "h2_settings_len": ["recv", "send:\\x00\\x00\\x05\\x04\\x00\\x00\\x00\\x00\\x00\\x00\\x03\\x00\\x00\\x00", "hold"],
    "h2_msg_huge": H2_OPEN + ["send:" + H2_HEADERS_200 + "\\x00\\x00\\x05\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\xff\\xff\\xff\\xff", "hold"],
    "h2_hpack_lie": H2_OPEN + ["send:\\x00\\x00\\x07\\x01\\x04\\x00\\x00\\x00\\x01\\x00\\x7f\\xff\\xff\\xff\\xff\\x0f", "hold"],
    "h2_endless_continuation": H2_OPEN + ["send:\\x00\\x00\\x01\\x01\\x00\\x00\\x00\\x00\\x01\\x88",
                                          "forever:\\x00\\x00\\x01\\x09\\x00\\x00\\x00\\x00\\x01\\x88"],
    "h2_endless_data": H2_OPEN + ["send:" + H2_HEADERS_200, "forever:\\x00\\x00\\x05\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00"],
    "h2_http1": ["recv", "send:HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n", "close"],
    "h2_goaway": ["recv", "send:" + H2_SETTINGS + "\\x00\\x00\\x08\\x07\\x00\\x00\\x00\\x00\\x00"
                  "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x0b", "hold"],
    # terminal escapes (ESC, and C1's CSI) in what a failure quotes: never printed as they are
    "esc_http": ["recvhdr", "send:HTTP/1.1 500 " + ESC + "\\r\\nX-E: " + ESC + "\\r\\nContent-Length: 0\\r\\n\\r\\n", "hold"],
    "esc_status": ["recvhdr", "send:HTTP/1.1 5" + ESC + "\\r\\n\\r\\n", "hold"],
    "esc_greeting": ["send:554 " + ESC + "\\r\\n", "hold"],
    "esc_resp": ["recv", "send:-ERR " + ESC + "\\r\\n", "hold"],
    "esc_mc": ["recv", "send:SERVER_ERROR " + ESC + "\\r\\n", "hold"],
    "esc_pg": ["recv", "send:N", "recv", "send:E\\x00\\x00\\x00\\x25SFATAL\\x00C28000\\x00M" + ESC + "\\x00\\x00", "hold"],
    "esc_xmlrpc": ["recvhdr", "send:" + H200 + "Content-Type: text/xml\\r\\nContent-Length: 256\\r\\n\\r\\n"
                   "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name>"
                   "<value><int>1</int></value></member><member><name>faultString</name><value><string>" + ESC +
                   "</string></value></member></struct></value></fault></methodResponse>", "hold"],
    # a real TLS handshake, then HTTP
    "tlsok_http_silent": ["recvhdr", "hold"],
    "tlschain_http": ["recvhdr", "send:" + H200 + "Content-Length: 2\\r\\n\\r\\nok", "close"],
}
TLS_FRONT = {"tlsok_http_silent": "leaf", "tlschain_http": "chain"}

DNS = ["dns_silent", "dns_wrong_id", "dns_short", "dns_ancount_lie", "dns_loop", "dns_rdlength",
       "dns_tc", "dns_huge"]


def dns_reply(kind, q):
    """the lying answer of kind to query q, or None (no answer)"""
    if len(q) < 12 or kind == "dns_silent":
        return None
    qid, body = q[:2], q[12:]
    hdr = lambda flags, an: qid + struct.pack(">HHHHH", flags, 1, an, 0, 0)
    if kind == "dns_wrong_id":
        return bytes([q[0] ^ 0xff, q[1]]) + q[2:3] + b"\x80" + q[4:]
    if kind == "dns_short":
        return qid + b"\x81\x80\x00"
    if kind == "dns_ancount_lie":
        return hdr(0x8180, 65535) + body
    if kind == "dns_loop":
        off = 12 + len(body)
        return hdr(0x8180, 1) + body + struct.pack(">H", 0xc000 | off) + b"\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x7f\x00\x00\x01"
    if kind == "dns_rdlength":
        return hdr(0x8180, 1) + body + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\xff\xff\x7f\x00"
    if kind == "dns_tc":
        return hdr(0x8380, 0) + body
    if kind == "dns_huge":
        return hdr(0x8180, 1) + body + b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\xfd\xe8" + (b"\xff" + b"x" * 255) * 250


def main():
    args, ports_file, tls = sys.argv[1:], None, {}
    while args:
        opt = args.pop(0)
        if opt == "--ports":
            ports_file = args.pop(0)
        elif opt in ("--tls", "--chain"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.pop(0), args.pop(0))
            tls["leaf" if opt == "--tls" else "chain"] = ctx
        else:
            raise SystemExit("zoo: unknown option " + opt)
    lines = []

    def tcp(name, script, port=0):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(64)
        ctx = tls.get(TLS_FRONT.get(name, ""))

        def loop():
            while True:
                c, _ = s.accept()
                threading.Thread(target=tserve.serve_tls, args=(ctx, c, script), daemon=True).start()
        threading.Thread(target=loop, daemon=True).start()
        return s.getsockname()[1]

    for name, script in BEHAVIOURS.items():
        lines.append("Z_%s=%d" % (name, tcp(name, script)))

    def udp(kind, s):
        while True:
            q, peer = s.recvfrom(65536)
            a = dns_reply(kind, q)
            if a is not None:
                s.sendto(a, peer)
    for kind in DNS:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        # the TCP fallback of a truncated answer: a length that lies, then the end
        tcp(kind, ["recv", "send:\\xff\\xffzoo", "close"], port)
        threading.Thread(target=udp, args=(kind, s), daemon=True).start()
        lines.append("Z_%s=%d" % (kind, port))
    with open(ports_file + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(ports_file + ".tmp", ports_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
