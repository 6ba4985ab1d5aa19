#!/usr/bin/python3
"""dnsstub.py - a stand-in DNS responder (RFC 1035 over UDP) for the replies a real server
(dnsmasq, tests/servers.d/50-dnsmasq.sh) will not give on demand. Not a DNS server: each
MODE answers every query the same way, on a UDP port of 127.0.0.1 of its own.

usage: dnsstub.py --port-file FILE MODE...

  servfail  SERVFAIL, the question echoed
  wrongid   first a reply with another id, then the answer (A 127.0.0.9)
  loop      an answer whose owner name is a compression pointer to itself
  tconly    the header and question with TC set, and the TCP port bound but not listening:
            the fallback is refused
  tcp       TC set over UDP; over TCP on the same port, the answer (A 127.0.0.9) when the
            query's 2-byte length is right

Writes MODE=PORT lines to FILE once every socket is bound; runs until killed (the harness
keeps its PID).
"""
import os
import select
import socket
import struct
import sys


def question(msg):
    off = 12
    while off < len(msg) and msg[off]:
        off += 1 + msg[off]
    return msg[12:off + 5]


def replies(mode, msg):
    if len(msg) < 17:
        return []
    qid, flags = struct.unpack("!HH", msg[:4])
    q = question(msg)
    rd = flags & 0x0100

    def head(i, fl, an):
        return struct.pack("!HHHHHH", i, 0x8080 | rd | fl, 1, an, 0, 0)

    answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + bytes([127, 0, 0, 9])
    if mode == "servfail":
        return [head(qid, 2, 0) + q]
    if mode == "wrongid":
        return [head(qid ^ 0x5555, 0, 1) + q + answer, head(qid, 0, 1) + q + answer]
    if mode == "loop":
        at = 12 + len(q)
        return [head(qid, 0, 1) + q + struct.pack("!HHHIH", 0xC000 | at, 1, 1, 60, 4) + b"\x7f\0\0\x09"]
    if mode in ("tconly", "tcp"):
        return [head(qid, 0x0200, 0) + q]
    if mode == "tcp-answer":
        return [head(qid, 0, 1) + q + answer]
    raise SystemExit("dnsstub.py: unknown mode " + mode)


def read_n(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            break
        b += d
    return b


def serve_tcp(t):
    c, _ = t.accept()
    c.settimeout(2)
    try:
        n = struct.unpack("!H", read_n(c, 2))[0]
        msg = read_n(c, n)
        if len(msg) == n:
            for r in replies("tcp-answer", msg):
                c.sendall(struct.pack("!H", len(r)) + r)
    except (OSError, struct.error):
        pass
    c.close()


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--port-file":
        raise SystemExit(__doc__)
    socks, listeners, reserved = {}, {}, []
    for mode in args[2:]:
        while True:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            if mode not in ("tcp", "tconly"):
                break
            t = socket.socket()
            try:
                t.bind(("127.0.0.1", s.getsockname()[1]))
            except OSError:
                s.close()
                t.close()
                continue
            if mode == "tconly":
                # bound, never listening: a connect is refused, and no other server can
                # take the port meanwhile
                reserved.append(t)
                break
            t.listen(4)
            listeners[t] = mode
            break
        socks[s] = mode
    with open(args[1] + ".tmp", "w") as f:
        for s, mode in socks.items():
            f.write("%s=%d\n" % (mode, s.getsockname()[1]))
    os.rename(args[1] + ".tmp", args[1])
    while True:
        for s in select.select(list(socks) + list(listeners), [], [])[0]:
            if s in listeners:
                serve_tcp(s)
                continue
            msg, peer = s.recvfrom(4096)
            for r in replies(socks[s], msg):
                s.sendto(r, peer)


if __name__ == "__main__":
    main()
