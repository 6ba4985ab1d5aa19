# secrets.sh - the secrets sweep: every applet with a secret in every field that takes one
# (passwords of redis, postgres, mongodb, amqp, smtp and supervisord; URL userinfo; Basic,
# Digest and proxy credentials; Authorization and Cookie headers from -H, -p http.header.*,
# YAML headers and cookies; password_env and password_file; the environment's PROBEBOX_*),
# the right secret and a wrong one, against the real servers of tests/servers.d and a closed
# port, in every output mode (text, -v, -l DEBUG, --log-file, --dry-run, --format json and
# prometheus). Every byte printed (stdout, stderr, the log file) is searched for the secret:
# no 4 bytes in a row of it may show (t_hides). Upstream tools print some of these (a URL's
# password in an error); here nothing does.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
Y=$T_DIR/secrets.$$
mkdir -p "$Y"
H=127.0.0.1
X=Vq7Lm2Xz9Kw		# the wrong secret, everywhere
BP=icpas		# of nginx's basicuser:basicpass (4-byte pieces of "basicpass" are words)
PP=oxypas		# of tinyproxy's proxyuser:proxypass
R_PW='Kx9 vQ2!m'	# redis requirepass
PG_SCRAM=sTy6wQ PG_MD5=m5Kq3zR PG_CLEAR=pJr8vT
M_PW=Qx7-mgpw-93	# the MongoDB stand-in's mongouser
Q_PW=Zq8vK3wT		# RabbitMQ's probebox user
S_PW=Zq8xK2vW7pLm	# aiosmtpd's smtpuser
S_PW64=$(printf '\0smtpuser\0%s' "$S_PW" | base64)	# its AUTH PLAIN line
S_PWLOGIN=$(printf '%s' "$S_PW" | base64)		# its AUTH LOGIN line
SV_PW=Sup3rSecretPw	# the fake supervisord's
printf '%s\n' "$X" > "$Y/wrong.pw"
printf '%s\n' "$R_PW" > "$Y/redis.pw"
export PBS_WRONG=$X PBS_REDIS=$R_PW PBS_SMTP=$S_PW PBS_MONGO=$M_PW

# CMD, then the log file it wrote (if any) on stderr: its bytes are searched too
LOGGED=$Y/logged
printf '#!/bin/sh\nlog=$1; shift; rm -f "$log"; "$@"; rc=$?; cat "$log" >&2 2>/dev/null; exit $rc\n' > "$LOGGED"
chmod +x "$LOGGED"

# NAME RC SECRET APPLET MODES ARGS...: APPLET in each mode ("" for none, "|" between modes),
# the mode's words before ARGS; RC "any" is any verdict (0-3) but no crash; --dry-run runs
# nothing and may exit 0
sweep() {
	_sn=$1 _src=$2 _ss=$3 _sa=$4 _sm=$5
	shift 5
	_IFS=$IFS
	IFS='|'
	set -f
	for _m in $_sm; do
		IFS=$_IFS
		_r=$_src
		case $_m in *dry-run*) _r=any ;; esac
		case $_m in
		LOG) t_hides "$_sn (log file)" "$_r" "" "$_ss" "$LOGGED" "$Y/log" $P $_sa \
			--log-file="$Y/log" -l DEBUG "$@" ;;
		*) t_hides "$_sn (${_m:-text})" "$_r" "" "$_ss" $P $_sa $_m "$@" ;;
		esac
	done
	IFS=$_IFS
	set +f
}
# the modes of each front end
M_HTTP="|--format json|--format prometheus"
M_CHKSRV="|-v|-l DEBUG|LOG|--format json|--format prometheus"
M_CC="|-v|--dry-run|-v --dry-run|--format json|--format prometheus"

# --- check-http -------------------------------------------------------------------------------
U=http://$H:$H_HTTP
sweep "check-http --user, right" 0 "$BP" check-http "$M_HTTP" -u "$U/basic" --user=basicuser:basicpass
sweep "check-http --user, wrong" 1 "$X" check-http "$M_HTTP" -u "$U/basic" --user="basicuser:$X"
sweep "check-http --user, closed port" 2 "$X" check-http "$M_HTTP" -u "http://$H:$P_CLOSED/" --user="u:$X"
sweep "check-http URL userinfo, right" 0 "$BP" check-http "$M_HTTP" -u "http://basicuser:basicpass@$H:$H_HTTP/basic"
sweep "check-http URL userinfo, wrong" 1 "$X" check-http "$M_HTTP" -u "http://basicuser:$X@$H:$H_HTTP/basic"
sweep "check-http URL userinfo, closed port" 2 "$X" check-http "$M_HTTP" -u "http://u:$X@$H:$P_CLOSED/"
sweep "check-http URL userinfo, does not parse" 3 "$X" check-http "$M_HTTP" -u "http://u:$X@$H:99999999/"
sweep "check-http -H Authorization" 0 "$X" check-http "$M_HTTP" -u "$U/health" -H "Authorization: Bearer $X"
sweep "check-http -H Cookie" 0 "$X" check-http "$M_HTTP" -u "$U/health" -H "Cookie: sid=$X"
sweep "check-http -H Authorization, closed port" 2 "$X" check-http "$M_HTTP" -u "http://$H:$P_CLOSED/" \
	-H "Authorization: Basic $X" -H "Cookie: sid=$X"
sweep "check-http proxy userinfo, right" 0 "$PP" check-http "$M_HTTP" -u "$U/health" \
	-x "http://proxyuser:proxypass@$H:$X_PROXYAUTH"
sweep "check-http proxy userinfo, wrong" any "$X" check-http "$M_HTTP" -u "$U/health" \
	-x "http://proxyuser:$X@$H:$X_PROXYAUTH"
sweep "check-http proxy userinfo, closed port" any "$X" check-http "$M_HTTP" -u "$U/health" \
	-x "http://proxyuser:$X@$H:$P_CLOSED"
t_hides "check-http PROBEBOX_CHECK_HTTP_USER" 1 "" "$X" env PROBEBOX_CHECK_HTTP_USER="basicuser:$X" \
	$P check-http -u "$U/basic"
t_hides "check-http PROBEBOX_CHECK_HTTP_HEADER" 0 "" "$X" env PROBEBOX_CHECK_HTTP_HEADER="Authorization: Bearer $X" \
	$P check-http -u "$U/health"
t_hides "check-http PROBEBOX_CHECK_HTTP_HEADER, bad" 3 "" "$X" env PROBEBOX_CHECK_HTTP_HEADER="Authorization $X" \
	$P check-http -u "$U/health"

# --- chksrv -----------------------------------------------------------------------------------
CS="chksrv -r 0 --timeout 5"
sweep "chksrv http URL userinfo, right" 0 "$BP" "$CS http" "$M_CHKSRV" "http://basicuser:basicpass@$H:$H_HTTP/basic"
sweep "chksrv http URL userinfo, wrong" 1 "$X" "$CS http" "$M_CHKSRV" -e "res['http.resp.status'] == 200" \
	"http://basicuser:$X@$H:$H_HTTP/basic"
sweep "chksrv http URL userinfo, closed port" 1 "$X" "$CS http" "$M_CHKSRV" "http://u:$X@$H:$P_CLOSED/"
sweep "chksrv http.header.Authorization" 0 "$X" "$CS http" "$M_CHKSRV" -p "http.header.Authorization=Bearer $X" "$U/health"
sweep "chksrv http.header.Cookie" 0 "$X" "$CS http" "$M_CHKSRV" -p "http.header.Cookie=sid=$X" "$U/health"
sweep "chksrv http headers, closed port" 1 "$X" "$CS http" "$M_CHKSRV" -p "http.header.Authorization=Bearer $X" \
	-p "http.header.Cookie=sid=$X" "http://$H:$P_CLOSED/"
sweep "chksrv redis password, right" 0 "$R_PW" "$CS redis" "$M_CHKSRV" -p "password=$R_PW" $H "$R_AUTH"
sweep "chksrv redis password, wrong" 1 "$X" "$CS redis" "$M_CHKSRV" -p username=full -p "password=$X" $H "$R_AUTH"
sweep "chksrv redis password_env" 0 "$R_PW" "$CS redis" "$M_CHKSRV" -p password_env=PBS_REDIS $H "$R_AUTH"
sweep "chksrv redis password_file, wrong" 1 "$X" "$CS redis" "$M_CHKSRV" -p password_file="$Y/wrong.pw" $H "$R_AUTH"
sweep "chksrv redis password, closed port" 1 "$X" "$CS redis" "$M_CHKSRV" -p "password=$X" $H "$P_CLOSED"
sweep "chksrv redis password, a server that echoes it" 1 "sekrit-pw" "$CS redis" "$M_CHKSRV" -p "password=sekrit-pw" \
	$H "$R_ECHOAUTH"
sweep "chksrv mongodb password, right" 0 "$M_PW" "$CS mongodb" "$M_CHKSRV" -p username=mongouser -p "password=$M_PW" \
	$H "$M_AUTH"
sweep "chksrv mongodb password, wrong" 1 "$X" "$CS mongodb" "$M_CHKSRV" -p username=mongouser -p password_env=PBS_WRONG \
	$H "$M_AUTH"
sweep "chksrv mongodb password, closed port" 1 "$X" "$CS mongodb" "$M_CHKSRV" -p username=u -p "password=$X" $H "$P_CLOSED"
sweep "chksrv smtp password, right" 0 "$S_PW" "$CS smtp" "$M_CHKSRV" -p username=smtpuser -p "password=$S_PW" \
	-p use_tls=false -p send=false $H "$SMTP_BARE"
t_lacks "chksrv smtp: nor its AUTH PLAIN line" "$S_PW64" $P $CS smtp -v -l DEBUG -p username=smtpuser \
	-p "password=$S_PW" -p use_tls=false -p send=false $H "$SMTP_BARE"
t_lacks "chksrv smtp: nor its AUTH LOGIN line" "$S_PWLOGIN" $P $CS smtp -v -l DEBUG -p username=smtpuser \
	-p "password=$S_PW" -p use_tls=false -p send=false $H "$SMTP_BARE"
sweep "chksrv smtp password, wrong" 1 "$X" "$CS smtp" "$M_CHKSRV" -p username=smtpuser -p password_file="$Y/wrong.pw" \
	-p use_tls=false -p send=false $H "$SMTP_BARE"
sweep "chksrv smtp password, closed port" 1 "$X" "$CS smtp" "$M_CHKSRV" -p username=smtpuser -p "password=$X" \
	-p use_tls=false -p from_address=p@test -p to_address=r@test $H "$P_CLOSED"
# the slow servers: up or not, the secret must not show (the verdict is theirs to test)
[ -n "${PG_WHY:-}" ] || t_wait_port $H "$PG_PORT" || true
for u in "scramuser $PG_SCRAM" "md5user $PG_MD5" "pwuser $PG_CLEAR" "scramuser $X" "pwuser $X"; do
	set -- $u
	sweep "chksrv postgres $1 password" any "$2" "$CS postgres" "$M_CHKSRV" -p "username=$1" -p "password=$2" \
		-p database=postgres -p sslmode=disable $H "$PG_PORT"
done
sweep "chksrv postgres password, closed port" 1 "$X" "$CS postgres" "$M_CHKSRV" -p username=u -p "password=$X" $H "$P_CLOSED"
for pw in "$Q_PW" "$X"; do
	sweep "chksrv amqp password" any "$pw" "$CS amqp" "$M_CHKSRV" -p use_tls=false -p username=probebox \
		-p "password=$pw" $H "$Q_AMQP"
done
sweep "chksrv amqp password, closed port" 1 "$X" "$CS amqp" "$M_CHKSRV" -p username=u -p "password=$X" $H "$P_CLOSED"
t_hides "chksrv PROBEBOX_CHKSRV_PARAMETER" 1 "" "$X" env PROBEBOX_CHKSRV_PARAMETER="password=$X" \
	$P $CS redis $H "$R_AUTH"
t_hides "chksrv -p password, bad usage" 3 "" "$X" $P $CS redis -p "password=$X" -p "pasword=$X" $H "$R_AUTH"

# --- conn-check -------------------------------------------------------------------------------
yml() {	# NAME LINES...: a conn-check file of those lines
	_f=$Y/$1.yaml
	shift
	printf '%s\n' "$@" > "$_f"
}
yml http-right "- {type: http, url: \"$U/basic\", auth: [basicuser, basicpass]}" \
	"- {type: http, url: \"http://basicuser:basicpass@$H:$H_HTTP/basic\"}" \
	"- {type: http, url: \"$U/health\", proxy_url: \"http://proxyuser:proxypass@$H:$X_PROXYAUTH\"}"
sweep "conn-check http auth, userinfo, proxy_url: right" 0 "$BP" conn-check "$M_CC" "$Y/http-right.yaml"
sweep "conn-check http auth, userinfo, proxy_url: right (proxy)" 0 "$PP" conn-check "$M_CC" "$Y/http-right.yaml"
yml http-wrong "- {type: http, url: \"$U/basic\", auth: [basicuser, $X]}" \
	"- {type: http, url: \"$U/basic\", digest_auth: [basicuser, $X]}" \
	"- {type: http, url: \"http://basicuser:$X@$H:$H_HTTP/basic\"}" \
	"- {type: http, url: \"$U/health\", headers: {Authorization: \"Bearer $X\", Cookie: \"sid=$X\"}}" \
	"- {type: http, url: \"$U/health\", cookies: {sid: $X}}" \
	"- {type: http, url: \"$U/health\", proxy_url: \"http://proxyuser:$X@$H:$X_PROXYAUTH\"}" \
	"- {type: http, url: \"http://u:$X@$H:$P_CLOSED/\", auth: [u, $X], headers: {Authorization: \"Basic $X\"}}"
sweep "conn-check http secrets: wrong, closed port" 2 "$X" conn-check "$M_CC" "$Y/http-wrong.yaml"
yml svc-right "- {type: redis, host: $H, port: $R_AUTH, password: \"$R_PW\"}" \
	"- {type: redis, host: $H, port: $R_AUTH, password_env: PBS_REDIS}" \
	"- {type: redis, host: $H, port: $R_AUTH, password_file: \"$Y/redis.pw\"}" \
	"- {type: mongodb, host: $H, port: $M_AUTH, username: mongouser, password_env: PBS_MONGO}" \
	"- {type: smtp, host: $H, port: $SMTP_BARE, username: smtpuser, password_env: PBS_SMTP, use_tls: false, send: false, from_address: p@test, to_address: r@test}"
for s in "$R_PW" "$M_PW" "$S_PW" "$S_PW64"; do
	sweep "conn-check redis, mongodb, smtp: right" 0 "$s" conn-check "$M_CC" "$Y/svc-right.yaml"
done
yml svc-wrong "- {type: redis, host: $H, port: $R_AUTH, username: full, password: $X}" \
	"- {type: redis, host: $H, port: $R_AUTH, password_file: \"$Y/wrong.pw\"}" \
	"- {type: mongodb, host: $H, port: $M_AUTH, username: mongouser, password: $X}" \
	"- {type: smtp, host: $H, port: $SMTP_BARE, username: smtpuser, password_env: PBS_WRONG, use_tls: false, send: false, from_address: p@test, to_address: r@test}" \
	"- {type: postgres, host: $H, port: $PG_PORT, username: scramuser, password: $X, database: postgres}" \
	"- {type: postgres, host: $H, port: $PG_PORT, username: pwuser, password: $X, database: postgres, sslmode: disable}" \
	"- {type: amqp, host: $H, port: $Q_AMQP, username: probebox, password: $X, use_tls: false}" \
	"- {type: redis, host: $H, port: $P_CLOSED, password: $X}" \
	"- {type: postgres, host: $H, port: $P_CLOSED, username: u, password: $X}" \
	"- {type: mongodb, host: $H, port: $P_CLOSED, username: u, password: $X}" \
	"- {type: amqp, host: $H, port: $P_CLOSED, username: u, password: $X}" \
	"- {type: smtp, host: $H, port: $P_CLOSED, username: u, password: $X, from_address: p@test, to_address: r@test}"
sweep "conn-check every service, wrong, closed port" 2 "$X" conn-check "$M_CC" "$Y/svc-wrong.yaml"
yml svc-slow "- {type: postgres, host: $H, port: $PG_PORT, username: scramuser, password: $PG_SCRAM, database: postgres}" \
	"- {type: postgres, host: $H, port: $PG_PORT, username: pwuser, password: $PG_CLEAR, database: postgres, sslmode: disable}" \
	"- {type: amqp, host: $H, port: $Q_AMQP, username: probebox, password: $Q_PW, use_tls: false}"
for s in "$PG_SCRAM" "$PG_CLEAR" "$Q_PW"; do
	sweep "conn-check postgres, amqp: right (up or not)" any "$s" conn-check "$M_CC" "$Y/svc-slow.yaml"
done
yml bad "- {type: redis, host: $H, port: $R_AUTH, password: $X, pasword: $X}"
sweep "conn-check a secret beside an unknown key" any "$X" conn-check "$M_CC" "$Y/bad.yaml"
yml bad2 "- {type: redis, host: $H, port: $R_AUTH, password: [$X]}"
sweep "conn-check a secret that is no string" 3 "$X" conn-check "$M_CC" "$Y/bad2.yaml"

# --- the supervisor listeners -----------------------------------------------------------------
case " $("$PROBEBOX" --list | tr '\n' ' ') " in
*" supervisor_http_check "*)
	FAKE=$Y/fake.sock
	t_bg fake-supervisord-secrets /usr/bin/python3 tests/server/fake_supervisord.py --socket "$FAKE" \
		--log "$Y/calls" --auth "svuser:$SV_PW" --proc "web:web_$H_HTTP:$$" --proc "web:c_$P_CLOSED:$$"
	_i=0
	while [ ! -S "$FAKE" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	printf 'ver:3.0 server:supervisor serial:1 pool:chk poolserial:1 eventname:TICK_5 len:0\n' > "$Y/tick"
	FEED=$Y/feed
	printf '#!/bin/sh\nf=$1; shift; exec "$@" < "$f"\n' > "$FEED"
	chmod +x "$FEED"
	SVE="env SUPERVISOR_SERVER_URL=unix://$FAKE SUPERVISOR_USERNAME=svuser"
	t_hides "supervisor_http_check -P, right, the supervisord password" 0 "" "$SV_PW" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$SV_PW" $P supervisor_http_check -n c -N "web:web_$H_HTTP" -u /basic \
		-p '.+_(\d+)' -U basicuser -P basicpass -r 0
	t_hides "supervisor_http_check -P, right" 0 "" "$BP" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$SV_PW" $P supervisor_http_check -n c -N "web:web_$H_HTTP" -u /basic \
		-p '.+_(\d+)' -U basicuser -P basicpass -r 0
	t_hides "supervisor_http_check -P, wrong, and -H" 0 "" "$X" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$SV_PW" $P supervisor_http_check -n c -g web -u /basic \
		-p '.+_(\d+)' -U basicuser -P "$X" -H "{\"Authorization\": \"Bearer $X\", \"Cookie\": \"s=$X\"}" -r 0 -t 2
	t_hides "supervisor: a wrong SUPERVISOR_PASSWORD" 0 "" "$X" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$X" $P supervisor_tcp_check -n c -g web -p '.+_(\d+)' -r 0
	t_hides "supervisor_xmlrpc_check -P" 0 "" "$X" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$SV_PW" $P supervisor_xmlrpc_check -n c -g web -u /RPC2 -p '.+_(\d+)' \
		-U u -P "$X" -r 0 -t 2
	t_hides "supervisor_complex_check password" 0 "" "$X" "$FEED" "$Y/tick" \
		$SVE SUPERVISOR_PASSWORD="$SV_PW" $P supervisor_complex_check -n c -g web -c \
		"{\"http\": {\"url\": \"/basic\", \"port\": \".+_(\\\\d+)\", \"username\": \"u\", \"password\": \"$X\", \"headers\": {\"Cookie\": \"s=$X\"}, \"num_retries\": 0, \"timeout\": 2}, \"xmlrpc\": {\"url\": \"/RPC2\", \"port\": \".+_(\\\\d+)\", \"username\": \"u\", \"password\": \"$X\", \"num_retries\": 0}}"
	t_hides "supervisor_http_check -P, bad usage" 3 "" "$X" $SVE $P supervisor_http_check -n c -g web -u x \
		-p 1 -P "$X"
	;;
esac
