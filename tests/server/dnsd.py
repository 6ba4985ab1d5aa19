#!/usr/bin/python3
"""dnsd.py - the test harness's own DNS responder (RFC 1035 over UDP), so that no test
depends on the machine's resolver.

usage: dnsd.py --bind ADDR [--port N] [--silent] [NAME=TYPE:VALUE]...

Answers A and AAAA queries for the NAME=A:1.2.3.4 / NAME=AAAA:::1 records given, an empty
NOERROR answer for a known name without a record of the type asked, and NXDOMAIN for every
other name. --silent reads queries and never answers (a resolver that is down). Runs until
killed; the harness keeps its PID.
"""
import ipaddress
import socket
import struct
import sys

TYPES = {"A": 1, "AAAA": 28}


def qname(msg, off):
    labels = []
    while off < len(msg) and msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace").lower())
        off += 1 + n
    return ".".join(labels), off + 1


def answer(msg, zone):
    if len(msg) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qd != 1:
        return None
    name, off = qname(msg, 12)
    if off + 4 > len(msg):
        return None
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    question = msg[12:off + 4]
    name = name.rstrip(".")
    rcode, rrs = 0, []
    if name not in zone:
        rcode = 3
    else:
        rrs = [v for t, v in zone[name] if t == qtype]
    head = struct.pack("!HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode, 1, len(rrs), 0, 0)
    body = b"".join(struct.pack("!HHHIH", 0xC00C, qtype, qclass, 60, len(v)) + v for v in rrs)
    return head + question + body


def main():
    args = sys.argv[1:]
    bind, port, silent, zone = None, 53, False, {}
    while args:
        a = args.pop(0)
        if a == "--bind":
            bind = args.pop(0)
        elif a == "--port":
            port = int(args.pop(0))
        elif a == "--silent":
            silent = True
        else:
            name, _, rr = a.partition("=")
            t, _, v = rr.partition(":")
            zone.setdefault(name.lower(), []).append((TYPES[t], ipaddress.ip_address(v).packed))
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((bind, port))
    print("ready", flush=True)
    while True:
        msg, peer = s.recvfrom(4096)
        if silent:
            continue
        r = answer(msg, zone)
        if r:
            s.sendto(r, peer)


if __name__ == "__main__":
    main()
