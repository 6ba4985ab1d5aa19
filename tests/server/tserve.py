#!/usr/bin/python3
"""tserve.py - a scripted TCP/unix test server for the integration tests.

usage: tserve.py [--bind ADDR]... [--blackhole ADDR]... [--unix PATH] [--port N] [--no-accept]
                 [--tls CERT KEY] --port-file FILE SCRIPT...
       tserve.py --udp [--bind ADDR] --port-file FILE [reply:IN:OUT]...

--tls: speak TLS (after the handshake the script runs as usual).
--no-accept: listen, fill the accept queue and never accept (connects then hang).
--blackhole ADDR: also listen on ADDR, on the same port, as --no-accept does (a dual-stack
  name one of whose addresses drops SYNs).

Listens on every --bind address (default 127.0.0.1) on one port (0: pick a free one, written
to --port-file) or on a unix socket, and runs the script for every connection, in a thread.
Each script word is one action; TEXT takes \\r \\n \\t \\\\ \\xHH escapes:
  send:TEXT        send TEXT
  drip:SEC:TEXT    send TEXT one byte at a time, SEC apart
  delay:SEC        sleep SEC
  recv             read once (up to 64 KiB); end the script on EOF
  recvhdr          read until a blank line (end of HTTP headers) or EOF
  recvline         read one line
  expect:TEXT      read until TEXT has arrived (for a request/response exchange)
  stream:N         send N bytes of 'x' (N=0: forever, until the peer goes away)
  hold             keep the connection open and silent until the peer closes it
  close            close now (also the implicit end of the script)
  reset            close with an RST (SO_LINGER 0)
  if:TEXT          go on only if the bytes received so far contain TEXT
  when:TEXT        if the bytes received so far contain TEXT, run the next action and end;
                   else skip the next action
  repeat:N:TEXT    send TEXT N times (in one go)
  echo             answer HTTP/1.1 200 with what was received so far as the body
  trickle:SEC      send one 'x' every SEC, forever (until the peer goes away)
  forever:TEXT     send TEXT again and again, as fast as the peer reads (until it goes away)
The server runs until killed (SIGTERM); the harness keeps its PID.
"""
import os
import socket
import struct
import sys
import threading
import time


def unesc(s):
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x" and i + 3 < len(s):
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            out += {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\", "0": b"\0"}.get(n, ("\\" + n).encode())
            i += 2
            continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


def serve(conn, script):
    got = bytearray()
    try:
        mode = None
        for word in script:
            if mode == "skip":
                mode = None
                continue
            last, mode = mode == "last", None
            act, _, arg = word.partition(":")
            if act == "when":
                mode = "last" if unesc(arg) in got else "skip"
                continue
            if last and act == "send":
                conn.sendall(unesc(arg))
                return
            if act == "send":
                conn.sendall(unesc(arg))
            elif act == "drip":
                sec, _, text = arg.partition(":")
                for b in unesc(text):
                    conn.sendall(bytes([b]))
                    time.sleep(float(sec))
            elif act == "delay":
                time.sleep(float(arg))
            elif act == "recv":
                d = conn.recv(65536)
                if not d:
                    return
                got += d
            elif act in ("recvhdr", "recvline", "expect"):
                want = {"recvhdr": b"\r\n\r\n", "recvline": b"\n"}.get(act) or unesc(arg)
                start = len(got)
                while want not in got[start:] and not (act == "recvhdr" and b"\n\n" in got[start:]):
                    d = conn.recv(65536)
                    if not d:
                        return
                    got += d
            elif act == "stream":
                n, chunk = int(arg or 0), b"x" * 65536
                sent = 0
                while n == 0 or sent < n:
                    k = len(chunk) if n == 0 else min(len(chunk), n - sent)
                    conn.sendall(chunk[:k])
                    sent += k
            elif act == "hold":
                while conn.recv(65536):
                    pass
                return
            elif act == "close":
                return
            elif act == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            elif act == "repeat":
                n, _, text = arg.partition(":")
                conn.sendall(unesc(text) * int(n))
            elif act == "echo":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                             % len(got) + bytes(got))
            elif act == "trickle":
                while True:
                    conn.sendall(b"x")
                    time.sleep(float(arg))
            elif act == "forever":
                text = unesc(arg) * max(1, 65536 // max(1, len(unesc(arg))))
                while True:
                    conn.sendall(text)
            elif act == "if":
                if unesc(arg) not in got:
                    return
            else:
                raise SystemExit("tserve: unknown action " + word)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def serve_tls(ctx, conn, script):
    """serve(), after a TLS handshake on conn when ctx (an ssl.SSLContext) is given"""
    if ctx:
        try:
            conn.settimeout(10)
            conn = ctx.wrap_socket(conn, server_side=True)
            conn.settimeout(None)
        except OSError:
            conn.close()
            return
    serve(conn, script)


def udp_main(args, port_file, binds):
    """--udp [--bind ADDR] --port-file FILE [reply:IN:OUT]... : answer each datagram equal to
    IN with OUT, any other with 'nope'; with no reply words, never answer."""
    bind, replies = (binds or ["127.0.0.1"])[0], {}
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--bind":
            bind = args.pop(0)
        elif opt == "--port-file":
            port_file = args.pop(0)
        else:
            raise SystemExit("tserve: unknown option " + opt)
    for word in args:
        act, _, arg = word.partition(":")
        if act != "reply":
            raise SystemExit("tserve --udp: unknown action " + word)
        k, _, v = arg.partition(":")
        replies[unesc(k)] = unesc(v)
    s = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind, 0))
    with open(port_file + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]) + "\n")
    os.rename(port_file + ".tmp", port_file)
    while True:
        data, peer = s.recvfrom(65536)
        if replies:
            s.sendto(replies.get(data, b"nope"), peer)


def main():
    args, binds, unix, port, port_file = sys.argv[1:], [], None, 0, None
    no_accept = False
    holes = []
    tls = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--bind":
            binds.append(args.pop(0))
        elif opt == "--unix":
            unix = args.pop(0)
        elif opt == "--port":
            port = int(args.pop(0))
        elif opt == "--port-file":
            port_file = args.pop(0)
        elif opt == "--tls":
            import ssl
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(args.pop(0), args.pop(0))
        elif opt == "--blackhole":
            holes.append(args.pop(0))
        elif opt == "--no-accept":
            no_accept = True
        elif opt == "--udp":
            return udp_main(args, port_file, binds)
        else:
            raise SystemExit("tserve: unknown option " + opt)
    script = args
    socks = []
    if unix:
        if os.path.exists(unix):
            os.unlink(unix)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(unix)
        socks.append(s)
    else:
        for addr in binds or ["127.0.0.1"]:
            fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((addr, port))
            port = s.getsockname()[1]
            socks.append(s)
    for s in socks:
        s.listen(0 if no_accept else 128)
    # a full accept queue makes the kernel drop further SYNs: connects then hang,
    # which is how a black-holed port looks from the client
    fillers = []

    def fill(ls):
        for _ in range(4):
            f = socket.socket(ls.family, socket.SOCK_STREAM)
            f.setblocking(False)
            try:
                f.connect(ls.getsockname()[:2])
            except BlockingIOError:
                pass
            fillers.append(f)
            time.sleep(0.05)

    if no_accept:
        fill(socks[0])
    for addr in holes:
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        h = socket.socket(fam, socket.SOCK_STREAM)
        if fam == socket.AF_INET6:
            h.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        h.bind((addr, port))
        h.listen(0)
        fillers.append(h)
        fill(h)
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port) + "\n")
        os.rename(port_file + ".tmp", port_file)

    def loop(s):
        while True:
            c, _ = s.accept()
            threading.Thread(target=start, args=(c,), daemon=True).start()

    def start(c):
        serve_tls(tls, c, script)

    for s in socks[1:]:
        threading.Thread(target=loop, args=(s,), daemon=True).start()
    if no_accept:
        while True:
            time.sleep(3600)
    loop(socks[0])


if __name__ == "__main__":
    main()
