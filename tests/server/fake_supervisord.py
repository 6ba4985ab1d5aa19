#!/usr/bin/python3
"""fake_supervisord.py - supervisord's XML-RPC interface, as far as the listeners use it, on a
unix socket: for the listener tests that need no real supervisord.

usage: fake_supervisord.py (--socket PATH | --port-file FILE) --log FILE [--auth USER:PASS]
                           [--hang] [--proc GROUP:NAME:PID[:STATE]]...

getAllProcessInfo lists the --proc processes (state 20, RUNNING, unless given);
getProcessInfo, stopProcess and startProcess answer as supervisord does (BAD_NAME faults for
others) and each call is appended to --log as "METHOD ARGS...". --auth: Basic auth required
(401 otherwise). --hang: stopProcess never answers. --port-file: on TCP, 127.0.0.1 and a free
port, written to FILE once it listens.
"""
import base64
import os
import socket
import socketserver
import sys
import threading
import time
import xmlrpc.server

args = sys.argv[1:]
sock = args[args.index("--socket") + 1] if "--socket" in args else None
port_file = args[args.index("--port-file") + 1] if "--port-file" in args else None
logf = args[args.index("--log") + 1]
auth = args[args.index("--auth") + 1] if "--auth" in args else None
hang = "--hang" in args
procs = []
for i, a in enumerate(args):
    if a == "--proc":
        f = args[i + 1].split(":")
        procs.append({"group": f[0], "name": f[1], "pid": int(f[2]),
                      "state": int(f[3]) if len(f) > 3 else 20, "statename": "RUNNING",
                      "start": int(time.time()), "stop": 0, "now": int(time.time()),
                      "description": "pid %s, uptime 0:00:01" % f[2], "spawnerr": "",
                      "exitstatus": 0, "logfile": "", "stdout_logfile": "",
                      "stderr_logfile": ""})
lock = threading.Lock()


def log(*words):
    with lock, open(logf, "a") as f:
        f.write(" ".join(str(w) for w in words) + "\n")


def find(namespec):
    for p in procs:
        spec = p["name"] if p["group"] == p["name"] else p["group"] + ":" + p["name"]
        if spec == namespec:
            return p
    raise xmlrpc.server.Fault(10, "BAD_NAME: " + namespec)


class H(xmlrpc.server.SimpleXMLRPCRequestHandler):
    rpc_paths = ("/RPC2",)
    disable_nagle_algorithm = False

    def address_string(self):
        return "unix"

    def parse_request(self):
        if not super().parse_request():
            return False
        if auth:
            want = "Basic " + base64.b64encode(auth.encode()).decode()
            if self.headers.get("Authorization") != want:
                log("unauthorized")
                self.send_error(401)
                return False
        return True


class S(socketserver.ThreadingMixIn, xmlrpc.server.SimpleXMLRPCServer):
    address_family = socket.AF_UNIX
    daemon_threads = True


if sock:
    try:
        os.unlink(sock)
    except OSError:
        pass
    srv = S(sock, requestHandler=H, logRequests=False, allow_none=False)
else:
    class T(socketserver.ThreadingMixIn, xmlrpc.server.SimpleXMLRPCServer):
        daemon_threads = True
    srv = T(("127.0.0.1", 0), requestHandler=H, logRequests=False, allow_none=False)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)


def getAllProcessInfo():
    log("getAllProcessInfo")
    return procs


def getProcessInfo(name):
    log("getProcessInfo", name)
    return find(name)


def stopProcess(name, wait=True):
    log("stopProcess", name)
    find(name)
    if hang:
        time.sleep(3600)
    return True


def startProcess(name, wait=True):
    log("startProcess", name, wait)
    find(name)
    return True


for fn in (getAllProcessInfo, getProcessInfo, stopProcess, startProcess):
    srv.register_function(fn, "supervisor." + fn.__name__)
srv.serve_forever()
