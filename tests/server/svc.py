#!/usr/bin/python3
"""svc.py - the programs supervisord runs under the supervisor_*_check listeners' tests.

usage: svc.py [--once FILE] [--ready FILE] MODE ARGS...

  http PORT [--stall-after S | --close-after S]   GET /ping answers 200 "pong"; after S
        seconds it stops answering (connections are accepted, never answered) or closes
        its listening socket (and goes on living)
  xmlrpc SOCKET [--fault-after S]     an XML-RPC server on a unix socket: status() -> 'ok',
        after S seconds a Fault
  grow MB [--after S]                 after S seconds, hold MB more of resident memory
  spin [--for S]                      use all of one CPU for S seconds (default 20), then idle
  heartbeat DIR [--stop-after S]      change the status of DIR/GROUP-NAME-PID every 0.3 s
        (supervisord's SUPERVISOR_GROUP_NAME and SUPERVISOR_PROCESS_NAME), as supervisor_checks'
        NotificationFile does (fchmod); stop after S seconds
  idle                                do nothing

--once FILE: misbehave only when FILE does not exist yet (and create it), so that the
process supervisord restarts is a healthy one: the test sees one restart, not a loop.
--ready FILE: create FILE once the program serves (listens, beats), for a test that must
not check it earlier (a loaded machine can take seconds to start python).
"""
import http.server
import os
import socket
import socketserver
import sys
import threading
import time
import xmlrpc.server


def idle():
    while True:
        time.sleep(3600)


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        return float(args[i + 1])
    return default


def main():
    argv = sys.argv[1:]
    bad = True
    if argv[:1] == ["--once"]:
        marker = argv[1]
        argv = argv[2:]
        bad = not os.path.exists(marker)
        if bad:
            open(marker, "w").close()
    ready = None
    if argv[:1] == ["--ready"]:
        ready = argv[1]
        argv = argv[2:]
    mode, args = argv[0], argv[1:]
    start = time.time()

    served = [start, False]

    def serving():	# the first time: misbehaviour counts from here
        if not served[1]:
            served[0], served[1] = time.time(), True
            if ready:
                open(ready, "w").close()

    if mode == "http":
        port = int(args[0])
        stall = opt(args, "--stall-after") if bad else None
        close = opt(args, "--close-after") if bad else None

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if stall is not None and time.time() - served[0] > stall:
                    time.sleep(3600)
                body = b"pong" if self.path == "/ping" else b"no"
                self.send_response(200 if self.path == "/ping" else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_POST = do_GET

            def log_message(self, *a):
                pass

        class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        srv = S(("127.0.0.1", port), H)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        serving()
        if close is not None:
            time.sleep(close)
            srv.shutdown()
            srv.server_close()
        idle()

    if mode == "xmlrpc":
        path = args[0]
        fault = opt(args, "--fault-after") if bad else None
        try:
            os.unlink(path)
        except OSError:
            pass

        class H(xmlrpc.server.SimpleXMLRPCRequestHandler):
            rpc_paths = ()
            disable_nagle_algorithm = False

            def address_string(self):
                return "unix"

        class S(socketserver.ThreadingMixIn, xmlrpc.server.SimpleXMLRPCServer):
            address_family = socket.AF_UNIX
            daemon_threads = True

        srv = S(path, requestHandler=H, logRequests=False, bind_and_activate=True)

        def status():
            if fault is not None and time.time() - served[0] > fault:
                raise xmlrpc.server.Fault(1, "broken")
            return "ok"

        srv.register_function(status)
        serving()
        srv.serve_forever()

    if mode == "grow":
        serving()
        if bad:
            time.sleep(opt(args, "--after", 0))
            hold = bytearray(int(float(args[0]) * 1024 * 1024))
            for i in range(0, len(hold), 4096):
                hold[i] = 1
        idle()

    if mode == "spin":
        serving()
        end = time.time() + opt(args, "--for", 20)
        while bad and time.time() < end:
            pass
        idle()

    if mode == "heartbeat":
        path = os.path.join(args[0], "%s-%s-%d" % (os.environ["SUPERVISOR_GROUP_NAME"],
                                                   os.environ["SUPERVISOR_PROCESS_NAME"],
                                                   os.getpid()))
        stop = opt(args, "--stop-after") if bad else None
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        mode_bit = 0
        while stop is None or time.time() - served[0] < stop:
            mode_bit ^= 0o100
            os.fchmod(fd, 0o600 | mode_bit)
            serving()
            time.sleep(0.3)
        idle()

    if mode == "idle":
        serving()
        idle()
    sys.exit("svc.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
