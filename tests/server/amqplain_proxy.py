#!/usr/bin/python3
"""amqplain_proxy.py - a TCP relay to an AMQP 0-9-1 broker that blanks the word PLAIN out of
the mechanisms of its Connection.Start (with spaces: the frame keeps its size), so that the
broker looks like one that offers only AMQPLAIN and still checks the login itself.

usage: amqplain_proxy.py --port-file FILE UPSTREAM_PORT   (listens on 127.0.0.1)
"""
import os
import socket
import sys
import threading

SWAPS = ((b"PLAIN AMQPLAIN", b"      AMQPLAIN"), (b"AMQPLAIN PLAIN", b"AMQPLAIN      "))


def pump(src, dst, rewrite):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if rewrite:
                for a, b in SWAPS:
                    data = data.replace(a, b)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(conn, upstream):
    try:
        up = socket.create_connection(("127.0.0.1", upstream), 5)
        up.settimeout(None)
    except OSError:
        conn.close()
        return
    threading.Thread(target=pump, args=(up, conn, True), daemon=True).start()
    pump(conn, up, False)


def main():
    args = sys.argv[1:]
    if len(args) != 3 or args[0] != "--port-file":
        sys.exit(__doc__)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    with open(args[1] + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.rename(args[1] + ".tmp", args[1])
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(conn, int(args[2])), daemon=True).start()


if __name__ == "__main__":
    main()
