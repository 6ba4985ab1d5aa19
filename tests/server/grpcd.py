#!/usr/bin/python3
"""grpcd.py - gRPC servers for the grpc tests, on Debian's python3-grpcio (gRPC core's HTTP/2
and HPACK), with grpc.health.v1.Health/Check served by a generic handler whose messages are
encoded by hand (grpc/health/v1/health.proto: HealthCheckRequest {string service = 1},
HealthCheckResponse {ServingStatus status = 1}).

usage: grpcd.py --port-file FILE SPEC...

Each SPEC is one server on a free port of 127.0.0.1 (and [::1] when it has IPv6); their ports
go to FILE one per line in SPEC order, once all listen:
  plain              HTTP/2 with prior knowledge, the health service
  nohealth           HTTP/2 with prior knowledge, no health service (UNIMPLEMENTED)
  tls:CERT:KEY       TLS (ALPN h2), the health service
  mtls:CERT:KEY:CA   TLS that wants a client certificate issued by CA
  unix:PATH          a unix socket (its line in FILE is 0)

The health service answers by the service name asked for:
  "" or "ok"   SERVING            "down"   NOT_SERVING
  "unknown"    UNKNOWN (an empty message)
  "slow"       SERVING after 5 s  "ua"     SERVING when the user-agent is grpc_health_probe...
  anything else: NOT_FOUND "unknown service"
"""
import socket
import sys
import time
from concurrent import futures

import grpc


def service_of(req):
    """HealthCheckRequest.service, or None when the message is not one"""
    i, name = 0, b""
    while i < len(req):
        key = req[i]
        i += 1
        if key != 0x0A:
            return None
        n, shift = 0, 0
        while True:
            b = req[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        name = req[i:i + n]
        i += n
    return name.decode()


def check(req, ctx):
    svc = service_of(req)
    if svc is None:
        ctx.abort(grpc.StatusCode.INVALID_ARGUMENT, "not a HealthCheckRequest")
    if svc in ("", "ok"):
        return b"\x08\x01"
    if svc == "down":
        return b"\x08\x02"
    if svc == "unknown":
        return b""
    if svc == "slow":
        time.sleep(5)
        return b"\x08\x01"
    if svc == "ua":
        ua = dict(ctx.invocation_metadata()).get("user-agent", "")
        return b"\x08\x01" if ua.startswith("grpc_health_probe") else b"\x08\x02"
    ctx.abort(grpc.StatusCode.NOT_FOUND, "unknown service")


def has_v6():
    try:
        s = socket.socket(socket.AF_INET6)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def start(spec):
    kind, _, rest = spec.partition(":")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    if kind != "nohealth":
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "grpc.health.v1.Health", {"Check": grpc.unary_unary_rpc_method_handler(check)}),))
    creds = None
    if kind in ("tls", "mtls"):
        parts = rest.split(":")
        key, cert = open(parts[1], "rb").read(), open(parts[0], "rb").read()
        ca = open(parts[2], "rb").read() if kind == "mtls" else None
        creds = grpc.ssl_server_credentials([(key, cert)], root_certificates=ca,
                                            require_client_auth=kind == "mtls")
    if kind == "unix":
        server.add_insecure_port("unix:" + rest)
        port = 0
    else:
        add = server.add_secure_port if creds else server.add_insecure_port
        args = (creds,) if creds else ()
        port = add("127.0.0.1:0", *args)
        if has_v6():
            add("[::1]:%d" % port, *args)
    server.start()
    return server, port


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--port-file":
        sys.exit(__doc__)
    servers = [start(s) for s in args[2:]]
    with open(args[1] + ".tmp", "w") as f:
        f.write("".join("%d\n" % p for _, p in servers))
    import os
    os.rename(args[1] + ".tmp", args[1])
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
