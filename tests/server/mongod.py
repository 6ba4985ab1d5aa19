#!/usr/bin/python3
"""mongod.py - a MongoDB wire-protocol STAND-IN for the mongodb probe's tests.

No MongoDB server can be had here (Debian ships none), so this speaks just enough of the
protocol, with the standard library only: OP_MSG (2013) and OP_QUERY (2004) with OP_REPLY (1),
for hello / isMaster / buildInfo / saslStart / saslContinue / ping / listCollections /
endSessions. It is not MongoDB: a pass here shows that the probe's framing, BSON and SCRAM
maths agree with this reading of the specifications, not that a real mongod accepts them.

Users are stored as MongoDB stores them, as SCRAM credentials (salt, iterations, StoredKey,
ServerKey; the SCRAM-SHA-1 password is hex(md5(user + ":mongo:" + password))), and the
client's proof is really verified (RFC 5802): a wrong password is code 18
AuthenticationFailed. The server signature sent back is the real one (except in badsig).

usage: mongod.py --port-file FILE MODE...
  listens on 127.0.0.1, one free port per MODE, and writes "MODE PORT" lines to FILE:
  auth     authentication required for listCollections (as mongod --auth)
  noauth   no authentication: every command is allowed
  badsig   as auth, but the server signature is wrong (a server that does not know the password)
  silent   accepts, reads, never answers
  close    answers hello, then closes the connection at the next command
  old      a server before wire version 6: OP_MSG hello is "no such command", isMaster over
           OP_QUERY says maxWireVersion 5, every later OP_MSG closes the connection, and
           SCRAM ends with the empty exchange (no skipEmptyExchange)

Users (authSource admin): mongouser/Qx7-mgpw-93 (SCRAM-SHA-256 and SCRAM-SHA-1, every
database), sha1user/Sh1-sapw-55 (SCRAM-SHA-1 only), limited/Lz4-lmpw-71 (both; database
"test" only, "secretdb" is Unauthorized). Runs until killed (SIGTERM); the harness keeps its PID.
"""
import base64
import hashlib
import hmac
import os
import socket
import socketserver
import struct
import sys
import threading

OP_REPLY, OP_QUERY, OP_MSG = 1, 2004, 2013

# ---- BSON: the few types the probe sends and we answer ------------------------------------


class Int64(int):
    pass


def enc_cstr(s):
    return s.encode() + b"\0"


def enc_doc(d):
    out = bytearray()
    for k, v in d.items():
        k = enc_cstr(k)
        if isinstance(v, bool):
            out += b"\x08" + k + (b"\1" if v else b"\0")
        elif isinstance(v, Int64):
            out += b"\x12" + k + struct.pack("<q", v)
        elif isinstance(v, int):
            out += b"\x10" + k + struct.pack("<i", v)
        elif isinstance(v, float):
            out += b"\x01" + k + struct.pack("<d", v)
        elif isinstance(v, str):
            b = v.encode()
            out += b"\x02" + k + struct.pack("<i", len(b) + 1) + b + b"\0"
        elif isinstance(v, (bytes, bytearray)):
            out += b"\x05" + k + struct.pack("<i", len(v)) + b"\0" + bytes(v)
        elif isinstance(v, dict):
            out += b"\x03" + k + enc_doc(v)
        elif isinstance(v, list):
            out += b"\x04" + k + enc_doc({str(i): x for i, x in enumerate(v)})
        elif v is None:
            out += b"\x0a" + k
        else:
            raise TypeError(type(v))
    return struct.pack("<i", len(out) + 5) + bytes(out) + b"\0"


class BadBson(Exception):
    pass


def dec_doc(b, off=0):
    """the document at b[off:]: (dict, its length)"""
    if len(b) - off < 5:
        raise BadBson("short document")
    (n,) = struct.unpack_from("<i", b, off)
    if n < 5 or off + n > len(b) or b[off + n - 1] != 0:
        raise BadBson("bad document length")
    end, p, d = off + n - 1, off + 4, {}
    while p < end:
        t = b[p]
        z = b.index(b"\0", p + 1, end)
        name = b[p + 1:z].decode()
        p = z + 1
        if t == 0x01:
            (v,) = struct.unpack_from("<d", b, p); p += 8
        elif t == 0x02:
            (l,) = struct.unpack_from("<i", b, p)
            if l < 1 or p + 4 + l > end or b[p + 3 + l] != 0:
                raise BadBson("bad string")
            v = b[p + 4:p + 3 + l].decode(); p += 4 + l
        elif t in (0x03, 0x04):
            v, l = dec_doc(b, p); p += l
            if t == 0x04:
                v = list(v.values())
        elif t == 0x05:
            (l,) = struct.unpack_from("<i", b, p)
            v = bytes(b[p + 5:p + 5 + l]); p += 5 + l
        elif t == 0x08:
            v = b[p] == 1; p += 1
        elif t == 0x10:
            (v,) = struct.unpack_from("<i", b, p); p += 4
        elif t == 0x12:
            (v,) = struct.unpack_from("<q", b, p); p += 8
        elif t == 0x0a:
            v = None
        else:
            raise BadBson("type 0x%02x" % t)
        if p > end:
            raise BadBson("element past the end")
        d[name] = v
    return d, n


# ---- users, as SCRAM credentials ------------------------------------------------------------

ITER = {"SCRAM-SHA-256": 15000, "SCRAM-SHA-1": 10000}
HASH = {"SCRAM-SHA-256": hashlib.sha256, "SCRAM-SHA-1": hashlib.sha1}


def credentials(user, password, mech):
    h = HASH[mech]
    pw = password if mech == "SCRAM-SHA-256" else \
        hashlib.md5(("%s:mongo:%s" % (user, password)).encode()).hexdigest()
    salt = os.urandom(28 if mech == "SCRAM-SHA-256" else 16)
    salted = hashlib.pbkdf2_hmac(h().name, pw.encode(), salt, ITER[mech])
    client_key = hmac.new(salted, b"Client Key", h).digest()
    return dict(salt=salt, iter=ITER[mech], stored=h(client_key).digest(),
                server=hmac.new(salted, b"Server Key", h).digest())


USERS = {}  # "admin.user" -> {"mechs": {mech: credentials}, "dbs": None (all) or a set}
for _u, _p, _m, _dbs in (("mongouser", "Qx7-mgpw-93", ITER, None),
                         ("sha1user", "Sh1-sapw-55", ["SCRAM-SHA-1"], None),
                         ("limited", "Lz4-lmpw-71", ITER, {"test"})):
    USERS["admin." + _u] = dict(mechs={m: credentials(_u, _p, m) for m in _m}, dbs=_dbs)


def err(code, name, msg):
    return {"ok": 0.0, "errmsg": msg, "code": code, "codeName": name}


def unauthorized(db, cmd):
    return err(13, "Unauthorized", "not authorized on %s to execute command { %s: 1 }" % (db, cmd))


# ---- one connection ----------------------------------------------------------------------------


class Conn(socketserver.BaseRequestHandler):
    def setup(self):
        self.user = None        # "admin.name" once authenticated
        self.conv = None        # the SASL conversation in progress
        self.requests = 0

    def recv_exact(self, n):
        b = bytearray()
        while len(b) < n:
            chunk = self.request.recv(n - len(b))
            if not chunk:
                return None
            b += chunk
        return bytes(b)

    def handle(self):
        mode = self.server.mode
        while True:
            head = self.recv_exact(16)
            if head is None:
                return
            length, reqid, _, op = struct.unpack("<iiii", head)
            if length < 16 or length > 1 << 20:
                return
            body = self.recv_exact(length - 16)
            if body is None or mode == "silent":
                if body is None:
                    return
                continue
            self.requests += 1
            if mode == "close" and self.requests > 1:
                return
            try:
                if op == OP_MSG:
                    (flags,) = struct.unpack_from("<I", body, 0)
                    if body[4] != 0:
                        return
                    doc, _ = dec_doc(body, 5)
                    db = doc.pop("$db", None)
                    if db is None:
                        return
                elif op == OP_QUERY:
                    z = body.index(b"\0", 4)
                    ns = body[4:z].decode()
                    if not ns.endswith(".$cmd"):
                        return
                    db = ns[:-5]
                    doc, _ = dec_doc(body, z + 9)
                    if "$db" in doc:  # not allowed in OP_QUERY
                        return
                else:
                    return
            except (BadBson, ValueError, IndexError, struct.error, UnicodeDecodeError):
                return
            reply = self.command(op, db, doc)
            print("%s %s %s %s %s" % (mode, "OP_MSG" if op == OP_MSG else "OP_QUERY", db,
                                      next(iter(doc), "-"),
                                      "ok" if reply and reply.get("ok") else "failed"), flush=True)
            if reply is None:
                return
            out = enc_doc(reply)
            if op == OP_MSG:
                msg = struct.pack("<I", 0) + b"\0" + out
            else:
                msg = struct.pack("<iqii", 8, 0, 0, 1) + out
            self.request.sendall(struct.pack("<iiii", 16 + len(msg), self.server.next_id(), reqid,
                                             OP_MSG if op == OP_MSG else OP_REPLY) + msg)

    def command(self, op, db, doc):
        mode = self.server.mode
        if not doc:
            return err(59, "CommandNotFound", "no command")
        name = next(iter(doc))
        lname = name.lower()
        if mode == "old" and op == OP_MSG:
            if lname == "hello":
                return err(59, "CommandNotFound", "no such command: 'hello'")
            return None
        if lname in ("hello", "ismaster"):
            if lname == "hello" and op == OP_QUERY and mode == "old":
                return err(59, "CommandNotFound", "no such command: 'hello'")
            r = {"ismaster" if lname == "ismaster" else "isWritablePrimary": True,
                 "helloOk": True, "maxBsonObjectSize": 16777216, "maxMessageSizeBytes": 48000000,
                 "maxWriteBatchSize": 100000, "localTime": None, "logicalSessionTimeoutMinutes": 30,
                 "connectionId": 1, "minWireVersion": 0,
                 "maxWireVersion": 5 if mode == "old" else 21, "readOnly": False}
            u = USERS.get(doc.get("saslSupportedMechs"))
            if u:
                r["saslSupportedMechs"] = sorted(u["mechs"])
            r["ok"] = 1.0
            return r
        if lname == "buildinfo":
            v = "3.4.24-standin" if mode == "old" else "7.0.14-standin"
            return {"version": v, "versionArray": [int(x) for x in v.split("-")[0].split(".")] + [0],
                    "bits": 64, "ok": 1.0}
        if lname == "saslstart":
            return self.sasl_start(db, doc)
        if lname == "saslcontinue":
            return self.sasl_continue(doc)
        if lname in ("ping", "endsessions"):
            return {"ok": 1.0}
        if lname == "listcollections":
            if mode != "noauth":
                if not self.user:
                    return err(13, "Unauthorized", "command listCollections requires authentication")
                dbs = USERS[self.user]["dbs"]
                if dbs is not None and db not in dbs:
                    return unauthorized(db, "listCollections")
            names = ["items", "users"]
            want = doc.get("filter", {}).get("name")
            batch = [{"name": n, "type": "collection"} for n in names if want is None or n == want]
            return {"cursor": {"id": Int64(0), "ns": db + ".$cmd.listCollections",
                               "firstBatch": batch}, "ok": 1.0}
        return err(59, "CommandNotFound", "no such command: '%s'" % name)

    def fail(self):
        self.conv = None
        return err(18, "AuthenticationFailed", "Authentication failed.")

    def sasl_start(self, db, doc):
        mech = doc.get("mechanism")
        if mech not in ITER:
            return err(2, "BadValue", "Received authentication for mechanism %s which is unknown "
                       "or not enabled" % mech)
        payload = doc.get("payload")
        if not isinstance(payload, bytes):
            return err(14, "TypeMismatch", "payload is not binary data")
        first = payload.decode(errors="replace")
        if not first.startswith("n,,"):
            return self.fail()
        bare = first[3:]
        attrs = dict(kv.split("=", 1) for kv in bare.split(",") if "=" in kv)
        user = attrs.get("n", "").replace("=2C", ",").replace("=3D", "=")
        cred = USERS.get(db + "." + user, {"mechs": {}})["mechs"].get(mech)
        if not cred or "r" not in attrs:
            # mongod goes on with made-up credentials so a missing user looks like a wrong
            # password; failing at once is the same verdict
            return self.fail()
        nonce = attrs["r"] + base64.b64encode(os.urandom(18)).decode()
        sfirst = "r=%s,s=%s,i=%d" % (nonce, base64.b64encode(cred["salt"]).decode(), cred["iter"])
        skip = bool(doc.get("options", {}).get("skipEmptyExchange")) and self.server.mode != "old"
        self.conv = dict(mech=mech, user=db + "." + user, cred=cred, bare=bare, sfirst=sfirst,
                         nonce=nonce, step=1, skip=skip)
        return {"conversationId": 1, "done": False, "payload": sfirst.encode(), "ok": 1.0}

    def sasl_continue(self, doc):
        c = self.conv
        if not c or doc.get("conversationId") != 1 or not isinstance(doc.get("payload"), bytes):
            return err(17, "ProtocolError", "No SASL session state found")
        if c["step"] == 2:
            if doc["payload"]:
                return self.fail()
            self.user, self.conv = c["user"], None
            return {"conversationId": 1, "done": True, "payload": b"", "ok": 1.0}
        final = doc["payload"].decode(errors="replace")
        without_proof, sep, proof = final.rpartition(",p=")
        h, cred = HASH[c["mech"]], c["cred"]
        if not sep or not without_proof.startswith("c=biws,r=") or without_proof[9:] != c["nonce"]:
            return self.fail()
        auth_msg = ("%s,%s,%s" % (c["bare"], c["sfirst"], without_proof)).encode()
        sig = hmac.new(cred["stored"], auth_msg, h).digest()
        try:
            p = base64.b64decode(proof, validate=True)
        except ValueError:
            return self.fail()
        if len(p) != len(sig) or h(bytes(a ^ b for a, b in zip(p, sig))).digest() != cred["stored"]:
            return self.fail()
        v = hmac.new(cred["server"], auth_msg, h).digest()
        if self.server.mode == "badsig":
            v = os.urandom(len(v))
        out = ("v=" + base64.b64encode(v).decode()).encode()
        if c["skip"]:
            self.user, self.conv = c["user"], None
            return {"conversationId": 1, "done": True, "payload": out, "ok": 1.0}
        c["step"] = 2
        return {"conversationId": 1, "done": False, "payload": out, "ok": 1.0}


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode):
        super().__init__(("127.0.0.1", 0), Conn)
        self.mode = mode
        self._id = 0
        self._lock = threading.Lock()

    def next_id(self):
        with self._lock:
            self._id += 1
            return self._id


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--port-file":
        sys.exit(__doc__)
    port_file, modes = args[1], args[2:]
    servers = [Server(m) for m in modes]
    with open(port_file + ".tmp", "w") as f:
        for s in servers:
            f.write("%s %d\n" % (s.mode, s.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
