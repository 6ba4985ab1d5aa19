# 70-smtp.sh - SMTP servers for the smtp probe: tests/server/smtpd.py (aiosmtpd: AUTH on a
# plain port, STARTTLS, implicit TLS, AUTH LOGIN only, HELO only; one listener each, ports as
# SMTP_* in the env file) and scripted peers that stall, close or inject after STARTTLS

SMTP_MAIL=$T_DIR/mail
echo "SMTP_MAIL=$SMTP_MAIL" >> "$T_DIR/env"
rm -f "$T_DIR/smtpd.env"
t_bg smtpd /usr/bin/python3 tests/server/smtpd.py "$CERTS/valid.chain.crt" "$CERTS/valid.key" \
	"$SMTP_MAIL" "$T_DIR/smtpd.env"
# greeting, then EHLO answered with AUTH PLAIN, then the connection closes at AUTH
t_tserve P_SMTP_CLOSE 'send:220 close.test ESMTP\r\n' 'expect:\n' \
	'send:250-close.test\r\n250 AUTH PLAIN\r\n' 'expect:\n' close
# a 220 to STARTTLS with a second reply behind it, in the clear (RFC 3207 5)
t_tserve P_SMTP_INJECT 'send:220 inject.test ESMTP\r\n' 'expect:\n' \
	'send:250-inject.test\r\n250 STARTTLS\r\n' 'expect:STARTTLS\r\n' \
	'send:220 go ahead\r\n250 injected\r\n' hold
# a greeting that never ends its line
t_tserve P_SMTP_LONG 'send:220 ' stream:0
_i=0
while [ ! -s "$T_DIR/smtpd.env" ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
if [ -s "$T_DIR/smtpd.env" ]; then cat "$T_DIR/smtpd.env" >> "$T_DIR/env"
else echo "smtpd.py did not start: $(cat "$T_DIR/smtpd.log")" >&2; fi
