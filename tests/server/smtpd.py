#!/usr/bin/python3
"""smtpd.py - SMTP servers for the smtp probe's tests, on aiosmtpd's SMTP class.

usage: smtpd.py CERT KEY MAILDIR ENVFILE

One process, one listener per kind on a free port of 127.0.0.1 (plain also on ::1, same
port), each written to ENVFILE as SMTP_KIND=PORT once all of them accept:
  PLAIN     ESMTP; AUTH PLAIN and LOGIN without TLS; STARTTLS offered
  BARE      ESMTP; AUTH PLAIN and LOGIN; no STARTTLS
  LOGIN     as BARE, AUTH LOGIN only
  STARTTLS  STARTTLS required before anything else; AUTH only after it
  SMTPS     implicit TLS (RFC 8314); AUTH PLAIN and LOGIN
  HELO      refuses EHLO (502), so a client must fall back to HELO; no AUTH
One user: smtpuser, password Zq8xK2vW7pLm. Every accepted message is written to
MAILDIR/N.eml: X-Env-From, X-Env-To and X-Auth lines, then the message as received.
"""
import asyncio
import itertools
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult

USER, PASSWORD = b"smtpuser", b"Zq8xK2vW7pLm"
cert, key, maildir, envfile = sys.argv[1:5]
os.makedirs(maildir, exist_ok=True)
counter = itertools.count(1)
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER and auth_data.password == PASSWORD
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(maildir, "%d.eml" % next(counter))
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Env-From: %s\nX-Env-To: %s\nX-Auth: %s\n" % (
                envelope.mail_from, ",".join(envelope.rcpt_tos),
                session.authenticated)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 OK queued"


class HeloOnly(SMTP):
    async def smtp_EHLO(self, arg):
        await self.push("502 5.5.2 Error: command not recognized")


def factory(kind):
    common = dict(authenticator=authenticator, hostname="smtp.test", auth_required=False)
    if kind == "PLAIN":
        return lambda: SMTP(Handler(), tls_context=ctx, auth_require_tls=False, **common)
    if kind == "BARE":
        return lambda: SMTP(Handler(), auth_require_tls=False, **common)
    if kind == "LOGIN":
        return lambda: SMTP(Handler(), auth_require_tls=False, auth_exclude_mechanism=["PLAIN"],
                            **common)
    if kind == "STARTTLS":
        return lambda: SMTP(Handler(), tls_context=ctx, require_starttls=True,
                            auth_require_tls=True, **common)
    if kind == "SMTPS":
        # aiosmtpd's TLS check sees only STARTTLS, not a TLS-wrapped socket
        return lambda: SMTP(Handler(), auth_require_tls=False, **common)
    return lambda: HeloOnly(Handler(), auth_require_tls=False, **common)


async def main():
    loop = asyncio.get_running_loop()
    lines = []
    for kind in ("PLAIN", "BARE", "LOGIN", "STARTTLS", "SMTPS", "HELO"):
        srv = await loop.create_server(factory(kind), "127.0.0.1", 0,
                                       ssl=ctx if kind == "SMTPS" else None)
        port = srv.sockets[0].getsockname()[1]
        if kind == "PLAIN":
            await loop.create_server(factory(kind), "::1", port)
        lines.append("SMTP_%s=%d\n" % (kind, port))
    with open(envfile + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(envfile + ".tmp", envfile)
    await asyncio.Event().wait()


asyncio.run(main())
