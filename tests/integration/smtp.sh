# smtp.sh - the smtp probe through conn-check against aiosmtpd (tests/server/smtpd.py): AUTH
# PLAIN and LOGIN, right and wrong passwords, the message really delivered (subject, body,
# dot-stuffing), send: false, STARTTLS, implicit TLS verified by our CA and refused without
# it, the HELO fallback; scripted peers that stay silent, close, inject after STARTTLS, send
# an endless line or speak another protocol; the password never in the output.
. tests/lib.sh
. "$T_DIR/env"
CC="$PROBEBOX conn-check"
Y=$T_DIR/smtp.$$
mkdir -p "$Y/cas"
cp "$CERTS/ca.crt" "$Y/cas/test-ca.pem"
PW=Zq8xK2vW7pLm
# the AUTH PLAIN line's base64, which must not show either
PW64=$(printf '\0smtpuser\0%s' "$PW" | base64)
L=127.0.0.1

if [ -z "${SMTP_PLAIN:-}" ]; then
	t_skip "smtp" "tests/server/smtpd.py did not start"
	return 0 2>/dev/null || exit 0
fi

# one smtp check: PORT, then more YAML keys; the credentials and addresses are always there
smtp() {	# NAME PORT KEYS...
	_f=$Y/$1.yaml
	_p=$2
	shift 2
	{
		printf -- '- type: smtp\n  host: %s\n  port: %s\n  username: smtpuser\n' "$L" "$_p"
		printf '  from_address: probe@test\n  to_address: rcpt@test\n'
		for _k in "$@"; do printf '  %s\n' "$_k"; done
	} > "$_f"
	echo "$_f"
}

# the delivered message whose Subject is $1 (aiosmtpd writes MAIL/N.eml)
mail_of() {
	grep -l -F "Subject: $1" "$SMTP_MAIL"/*.eml 2>/dev/null | head -n 1
}

# --- names (compat.md 2.3) -------------------------------------------------------------------
cat > "$Y/names.yaml" <<YAML
- {type: smtp, host: mail1, port: 465, username: mon, password: x, from_address: a@b, to_address: c@d}
- {type: smtp, host: mail2, port: 587, username: mon, password: x, from_address: a@b, to_address: c@d, use_tls: false}
YAML
t_out "dry-run names: tcp, tls when use_tls, smtp" 0 "SKIPPED: smtp:mail1:465
SKIPPED: smtp:mail2:587
SKIPPED: tcp:mail1:465
SKIPPED: tcp:mail2:587
SKIPPED: tls:mail1:465" $CC --dry-run "$Y/names.yaml"
f=$(smtp verbose "$SMTP_BARE" "password: $PW" "use_tls: false" "send: false")
t_hides "-v: the user in the info, never the password" 0 "^Starting smtp:$L:$SMTP_BARE \(user smtpuser\)\.\.\.$" \
	"$PW" $CC -v "$f"

# --- AUTH and delivery ------------------------------------------------------------------------
S1="plain-$$-${T_PREFIX%%/*}"
f=$(smtp plain "$SMTP_BARE" "password: $PW" "use_tls: false" "subject: $S1" \
	"message: \"first line\\n.dot line\\nFrom here\\nlast\"")
t_hides "AUTH PLAIN, sent" 0 "^smtp:$L:$SMTP_BARE OK$" "$PW" $CC "$f"
m=$(mail_of "$S1")
if [ -z "$m" ]; then
	t_fail "the message arrived" "no mail with Subject: $S1 in $SMTP_MAIL"
else
	t_ok "the message arrived"
	t_out "its envelope" 0 "X-Env-From: probe@test
X-Env-To: rcpt@test
X-Auth: True" head -n 3 "$m"
	# aiosmtpd undoes the dot-stuffing: the body is as given, "From " mangled as Python does
	t_out "its headers and body" 0 "Content-Type: text/plain; charset=\"us-ascii\"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit
Subject: $S1
From: probe@test
To: rcpt@test

first line
.dot line
>From here
last" sh -c "tail -n +4 '$m' | tr -d '\r'"
fi
f=$(smtp wrong "$SMTP_BARE" "password: not-$PW" "use_tls: false")
t_hides "a wrong password: the server's words" 2 \
	"^smtp:$L:$SMTP_BARE FAILED - \(user smtpuser\) AUTH PLAIN: 535 5\.7\.8 Authentication credentials invalid$" \
	"$PW" $CC "$f"
f=$(smtp wrong-json "$SMTP_BARE" "password: $PW" "use_tls: false" "send: false")
t_hides "no password or AUTH line in JSON" 0 '"smtp.auth": "PLAIN"' "$PW" $CC --format json "$f"
t_lacks "... nor its base64" "$PW64" $CC --format json "$f"
f=$(smtp login "$SMTP_LOGIN" "password: $PW" "use_tls: false" "subject: login-$$")
t_run "AUTH LOGIN when only LOGIN is offered" 0 "^smtp:$L:$SMTP_LOGIN OK$" $CC "$f"
m=$(mail_of "login-$$")
t_run "... the message arrived, authenticated" 0 "^X-Auth: True" cat "${m:-/nonexistent}"
f=$(smtp login-wrong "$SMTP_LOGIN" "password: nope" "use_tls: false")
t_run "AUTH LOGIN, wrong password" 2 "AUTH LOGIN: 535 5\.7\.8 Authentication credentials invalid$" $CC "$f"

# --- the password from the environment or a file ------------------------------------------------
f=$(smtp env "$SMTP_BARE" "password_env: PB_SMTP_PW" "use_tls: false" "send: false")
t_hides "password_env" 0 "^smtp:$L:$SMTP_BARE OK$" "$PW" env PB_SMTP_PW="$PW" $CC "$f"
t_run "password_env: a variable that is not set" 3 "env\.yaml:[0-9]+:[0-9]+: password_env: the environment variable PB_SMTP_PW is not set" \
	env -u PB_SMTP_PW $CC "$f"
printf '%s\n' "$PW" > "$Y/pw"
f=$(smtp file "$SMTP_BARE" "password_file: $Y/pw" "use_tls: false" "send: false")
t_hides "password_file" 0 "^smtp:$L:$SMTP_BARE OK$" "$PW" $CC "$f"

# --- chksrv -----------------------------------------------------------------------------------
CS="$PROBEBOX chksrv smtp -p username=smtpuser -p from_address=probe@test -p to_address=rcpt@test"
t_hides "chksrv smtp: sent" 0 "^smtp\.sent: True$" "$PW" $CS -p password="$PW" -p use_tls=false \
	-p subject="chksrv-$$" $L "$SMTP_BARE"
if [ -n "$(mail_of "chksrv-$$")" ]; then t_ok "chksrv smtp: the message arrived"
else t_fail "chksrv smtp: the message arrived" "no mail with Subject: chksrv-$$"; fi
t_hides "chksrv smtp: -e over its keys" 0 "^smtp\.auth == \"PLAIN\" -> 'PLAIN': True$" "$PW" \
	$CS -p password="$PW" -p use_tls=false -p send=false -e 'smtp.auth == "PLAIN"' \
	-e "smtp.banner.startswith('smtp.test')" $L "$SMTP_BARE"
t_hides "chksrv smtp: a wrong password" 1 "^error: AUTH PLAIN: 535 5\.7\.8 Authentication credentials invalid$" \
	"$PW" $CS -p password="x$PW" -p use_tls=false -p send=false $L "$SMTP_BARE"
t_hides "chksrv smtp: password_env, JSON" 0 '"smtp.starttls": true' "$PW" env PB_SMTP_PW="$PW" \
	SSL_CERT_FILE="$CERTS/ca.crt" $CS -p password_env=PB_SMTP_PW -p use_tls=false -p send=false \
	--format json $L "$SMTP_PLAIN"
t_lacks "... nor the AUTH line" "$PW64" env PB_SMTP_PW="$PW" SSL_CERT_FILE="$CERTS/ca.crt" \
	$CS -p password_env=PB_SMTP_PW -p use_tls=false -p send=false --format json $L "$SMTP_PLAIN"
t_run "chksrv smtp: implicit TLS by default, SSL_CERT_FILE" 0 "^smtp\.sent: False$" \
	env SSL_CERT_FILE="$CERTS/ca.crt" $CS -p password="$PW" -p send=false $L "$SMTP_SMTPS"
t_by 1 t_run "chksrv smtp: a silent server, by -p timeout" 1 "^error: greeting: timeout after 1s while reading$" \
	$CS -p password="$PW" -p use_tls=false -p timeout=1 -r 0 $L "$P_SILENT"

# --- send: false ------------------------------------------------------------------------------
n0=$(ls "$SMTP_MAIL" | wc -l)
f=$(smtp nosend "$SMTP_BARE" "password: $PW" "use_tls: false" "send: false")
t_run "send: false stops after AUTH" 0 "^smtp:$L:$SMTP_BARE OK$" $CC "$f"
n1=$(ls "$SMTP_MAIL" | wc -l)
if [ "$n0" = "$n1" ]; then t_ok "... and no mail arrives"; else t_fail "... and no mail arrives" "$n0 -> $n1 mails"; fi
f=$(smtp nosend-json "$SMTP_BARE" "password: $PW" "use_tls: false" "send: false")
t_run "... smtp.sent false" 0 '"smtp.sent": false' $CC --format json "$f"

# --- STARTTLS ---------------------------------------------------------------------------------
f=$(smtp starttls "$SMTP_STARTTLS" "password: $PW" "use_tls: false" "subject: starttls-$$")
t_run "STARTTLS, verified by our CA" 0 "^smtp:$L:$SMTP_STARTTLS OK$" $CC --tls-certs-path "$Y/cas" "$f"
t_run "... smtp.starttls true" 0 '"smtp.starttls": true' $CC --format json --tls-certs-path "$Y/cas" "$f"
t_run "STARTTLS without our CA fails" 2 "^smtp:$L:$SMTP_STARTTLS FAILED - \(user smtpuser\) certificate is not trusted" $CC "$f"
f=$(smtp starttls-insecure "$SMTP_STARTTLS" "password: $PW" "use_tls: false" "send: false" \
	"disable_tls_verification: true")
t_run "... or with disable_tls_verification" 0 "^smtp:$L:$SMTP_STARTTLS OK$" $CC "$f"
f=$(smtp starttls-off "$SMTP_STARTTLS" "password: $PW" "use_tls: false" "starttls: false")
t_run "starttls: false, as upstream: no AUTH offered before TLS" 2 \
	"FAILED - \(user smtpuser\) AUTH: no PLAIN or LOGIN offered$" $CC "$f"
f=$(smtp offered "$SMTP_PLAIN" "password: $PW" "use_tls: false" "send: false")
t_run "STARTTLS whenever a plain port offers it" 0 '"smtp.starttls": true' \
	$CC --format json --tls-certs-path "$Y/cas" "$f"
f=$(smtp inject "$P_SMTP_INJECT" "password: $PW" "use_tls: false" "send: false")
t_run "a reply smuggled in behind the 220 to STARTTLS" 2 \
	"FAILED - \(user smtpuser\) STARTTLS: data after the reply$" \
	$CC --tls-certs-path "$Y/cas" "$f"

# --- implicit TLS (use_tls, the default) --------------------------------------------------------
f=$(smtp smtps "$SMTP_SMTPS" "password: $PW" "subject: smtps-$$")
t_run "implicit TLS verified by our CA" 0 "^smtp:$L:$SMTP_SMTPS OK$" $CC --tls-certs-path "$Y/cas" "$f"
if [ -n "$(mail_of "smtps-$$")" ]; then t_ok "... the message arrived"
else t_fail "... the message arrived" "no mail with Subject: smtps-$$"; fi
t_run "implicit TLS without our CA fails" 2 "^tls:$L:$SMTP_SMTPS FAILED - \($L:$SMTP_SMTPS\) certificate is not trusted" $CC "$f"
f=$(smtp smtps-plain "$SMTP_BARE" "password: $PW" "send: false")
t_run "implicit TLS against a plain port" 2 "^tls:$L:$SMTP_BARE FAILED - \($L:$SMTP_BARE\) " $CC --tls-certs-path "$Y/cas" "$f"

# --- HELO fallback ------------------------------------------------------------------------------
cat > "$Y/helo.yaml" <<YAML
- {type: smtp, host: $L, port: $SMTP_HELO, from_address: a@test, to_address: b@test, use_tls: false, helo_fallback: true, subject: helo-$$}
YAML
t_run "HELO after a refused EHLO, with helo_fallback" 0 "^smtp:$L:$SMTP_HELO OK$" $CC "$Y/helo.yaml"
if [ -n "$(mail_of "helo-$$")" ]; then t_ok "... the message arrived"
else t_fail "... the message arrived" "no mail with Subject: helo-$$"; fi
cat > "$Y/nohelo.yaml" <<YAML
- {type: smtp, host: $L, port: $SMTP_HELO, from_address: a@test, to_address: b@test, use_tls: false}
YAML
t_run "... without it, the refusal" 2 "^smtp:$L:$SMTP_HELO FAILED - EHLO: 502 5\.5\.2 Error: command not recognized$" \
	$CC "$Y/nohelo.yaml"
f=$(smtp helo-auth "$SMTP_HELO" "password: $PW" "use_tls: false" "helo_fallback: true")
t_run "... and no AUTH after HELO" 2 "AUTH: no PLAIN or LOGIN offered$" $CC "$f"

# --- peers that misbehave, each ended by the deadline -----------------------------------------
f=$(smtp silent "$P_SILENT" "password: $PW" "use_tls: false" "timeout: 1")
t_by 1 t_run "a server that accepts and stays silent" 2 \
	"^smtp:$L:$P_SILENT FAILED - \(user smtpuser\) greeting: timeout after 1s while reading$" $CC "$f"
f=$(smtp close "$P_SMTP_CLOSE" "password: $PW" "use_tls: false" "timeout: 2")
t_by 2 t_run "a server that closes at AUTH" 2 "FAILED - \(user smtpuser\) AUTH PLAIN: connection closed$" $CC "$f"
f=$(smtp pop "$P_POP" "password: $PW" "use_tls: false" "timeout: 2")
t_by 2 t_run "a server speaking another protocol" 2 \
	"FAILED - \(user smtpuser\) greeting: not an SMTP reply: '\+OK POP3 ready'$" $CC "$f"
f=$(smtp endless "$P_SMTP_LONG" "password: $PW" "use_tls: false" "timeout: 2")
t_by 2 t_run "a greeting line that never ends" 2 \
	"FAILED - \(user smtpuser\) greeting: reply line longer than 1000 bytes: '220 x+'$" $CC "$f"
f=$(smtp refused "$P_CLOSED" "password: $PW" "use_tls: false")
t_run "nothing listening" 2 "^tcp:$L:$P_CLOSED FAILED - \($L:$P_CLOSED\) .*refused" $CC "$f"
t_run "... and the smtp step SKIPPED" 2 "^SKIPPED: smtp:$L:$P_CLOSED$" $CC "$f"

# --- config errors ------------------------------------------------------------------------------
printf -- '- {type: smtp, host: %s, port: 25, username: u, password: p, to_address: b@test}\n' "$L" > "$Y/nofrom.yaml"
t_run "from_address missing" 3 "from_address missing" $CC "$Y/nofrom.yaml"
printf -- '- {type: smtp, host: %s, port: 25, username: u, password: p, send: false}\n' "$L" > "$Y/nofromok.yaml"
t_run "... not needed with send: false" 0 "" $CC --validate "$Y/nofromok.yaml"
