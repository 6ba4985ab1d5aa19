# postgres.sh - the postgres probe through chksrv and conn-check: against PostgreSQL 15
# (tests/servers.d/45-postgres.sh) every authentication method with the right and a wrong
# password, a missing database, a user without a pg_hba.conf line, the unix socket, each
# sslmode; against tserve a server that stays silent, one that closes mid-handshake, one that
# sends a length past the cap, one without SSL, another protocol, and a SCRAM server that
# proves nothing; passwords that never show.
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
Y=$T_DIR/pg.$$
mkdir -p "$Y"
CA=$CERTS/ca.crt
H=127.0.0.1
CS="$P chksrv -r 0 --timeout 5 postgres"

# the cluster starts in the background: wait for it (once per run, at most 30 s)
pg_wait() {
	[ -n "$PG_WHY" ] && return 1
	[ -f "$T_DIR/pg.ready" ] && return 0
	[ -f "$T_DIR/pg.never" ] && return 1
	_end=$(($(date +%s) + 30))
	until "$PG_BIN/pg_isready" -q -t 1 -h "$H" -p "$PG_PORT"; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			PG_WHY="PostgreSQL did not accept within 30 s: $(tail -n 3 "$T_DIR/postgres.log" | tr '\n' ' ')"
			echo "$PG_WHY" > "$T_DIR/pg.never"
			return 1
		fi
		sleep 0.1
	done
	: > "$T_DIR/pg.ready"
}

if pg_wait; then
	# --- each method, right and wrong ------------------------------------------------
	t_run "trust" 0 "postgres.auth: trust" $CS -p username=trustuser -p database=appdb $H "$PG_PORT"
	t_hides "cleartext password" 0 "postgres.auth: password" pJr8vT \
		$CS -p username=pwuser -p password=pJr8vT -p database=appdb $H "$PG_PORT"
	t_hides "cleartext password, wrong" 1 \
		'error: password authentication failed for user "pwuser" \(SQLSTATE 28P01\)' wQm7kX \
		$CS -p username=pwuser -p password=wQm7kX -p database=appdb $H "$PG_PORT"
	t_hides "md5" 0 "postgres.auth: md5" m5Kq3zR \
		$CS -p username=md5user -p password=m5Kq3zR -p database=appdb $H "$PG_PORT"
	t_hides "md5, wrong" 1 'error: password authentication failed for user "md5user"' wQm7kX \
		$CS -p username=md5user -p password=wQm7kX -p database=appdb $H "$PG_PORT"
	t_hides "scram-sha-256" 0 "postgres.auth: scram-sha-256" sTy6wQ \
		$CS -p username=scramuser -p password=sTy6wQ -p database=appdb $H "$PG_PORT"
	t_hides "scram-sha-256, wrong" 1 'error: password authentication failed for user "scramuser"' \
		wQm7kX $CS -p username=scramuser -p password=wQm7kX -p database=appdb $H "$PG_PORT"
	t_run "no password for scram" 1 \
		"error: the server asks for a password \(scram-sha-256\) and none is set" \
		$CS -p username=scramuser -p database=appdb $H "$PG_PORT"
	t_run "server_version expectation" 0 "postgres.server_version.startswith\('15'\) -> .*True" \
		$CS -p username=trustuser -p database=appdb -e "postgres.server_version.startswith('15')" \
		$H "$PG_PORT"
	t_run "postgresql alias, ::1" 0 "tcp.ipv6: True" "$P" chksrv -r 0 postgresql \
		-p username=md5user -p password=m5Kq3zR -p database=appdb ::1 "$PG_PORT"
	t_run "wrong database" 1 'error: database "nosuchdb" does not exist \(SQLSTATE 3D000\)' \
		$CS -p username=scramuser -p password=sTy6wQ -p database=nosuchdb $H "$PG_PORT"
	t_run "the database defaults to the user" 1 'database "trustuser" does not exist' \
		$CS -p username=trustuser $H "$PG_PORT"
	t_run "no pg_hba.conf entry" 1 \
		'error: no pg_hba.conf entry for host "127.0.0.1", user "nohba", database "appdb"' \
		$CS -p username=nohba -p password=nBz2cW -p database=appdb $H "$PG_PORT"
	t_run "sqlstate key" 1 "postgres.sqlstate: 28000" \
		$CS -p username=nohba -p password=nBz2cW -p database=appdb $H "$PG_PORT"
	# --- the unix socket: a directory as the host, no TLS -----------------------------
	t_run "unix socket, scram" 0 "postgres.ssl: False" \
		$CS -p username=scramuser -p password=sTy6wQ -p database=appdb "$PG_DIR" "$PG_PORT"
	t_run "unix socket, md5 wrong" 1 'password authentication failed for user "md5user"' \
		$CS -p username=md5user -p password=x -p database=appdb "$PG_DIR" "$PG_PORT"
	t_run "unix socket, sslmode ignored (as libpq)" 0 "postgres.auth: trust" \
		$CS -p username=trustuser -p database=appdb -p sslmode=verify-full "$PG_DIR" "$PG_PORT"
	t_run "unix socket, wrong port" 1 "error: no such socket" \
		$CS -p username=trustuser "$PG_DIR" 1
	# --- sslmode ---------------------------------------------------------------------
	t_run "sslmode prefer (default): TLS" 0 "postgres.ssl: True" \
		$CS -p username=trustuser -p database=appdb $H "$PG_PORT"
	t_run "sslmode disable: no TLS" 0 "postgres.ssl: False" \
		$CS -p username=trustuser -p database=appdb -p sslmode=disable $H "$PG_PORT"
	t_run "hostssl user, sslmode disable" 1 'no pg_hba.conf entry .*user "ssluser".*no encryption' \
		$CS -p username=ssluser -p password=sHn4xV -p database=appdb -p sslmode=disable \
		$H "$PG_PORT"
	t_run "hostssl user, sslmode require" 0 "ssl.success: True" \
		$CS -p username=ssluser -p password=sHn4xV -p database=appdb -p sslmode=require \
		$H "$PG_PORT"
	t_run "sslmode verify-full, the test CA" 0 "ssl.con.cert.matches_hostname: True" \
		$CS -p username=ssluser -p password=sHn4xV -p database=appdb -p sslmode=verify-full \
		-p sslrootcert="$CA" $H "$PG_PORT"
	t_run "sslmode verify-full, the system store" 1 "error: certificate is not trusted" \
		$CS -p username=ssluser -p password=sHn4xV -p database=appdb -p sslmode=verify-full \
		$H "$PG_PORT"
	t_run "sslmode verify-ca, another CA" 1 "error: certificate is not trusted" \
		$CS -p username=trustuser -p database=appdb -p sslmode=verify-ca \
		-p sslrootcert="$CERTS/selfsigned.crt" $H "$PG_PORT"
	t_run "sslmode require with a CA verifies (as libpq)" 1 "error: certificate is not trusted" \
		$CS -p username=trustuser -p database=appdb -p sslmode=require \
		-p sslrootcert="$CERTS/selfsigned.crt" $H "$PG_PORT"
	if [ -z "$T_NS_WHY" ]; then
		t_run "sslmode verify-full, another name" 1 "error: .*(name|host)" \
			"$T_NS" ok "$P" chksrv -r 0 postgres -p username=trustuser -p database=appdb \
			-p sslmode=verify-full -p sslrootcert="$CA" hosts.test "$PG_PORT"
		t_run "sslmode verify-ca, another name" 0 "postgres.ssl: True" \
			"$T_NS" ok "$P" chksrv -r 0 postgres -p username=trustuser -p database=appdb \
			-p sslmode=verify-ca -p sslrootcert="$CA" hosts.test "$PG_PORT"
	else
		t_skip "sslmode verify-full, another name" "$T_NS_WHY"
	fi
	# --- secrets: from the environment and a file, never printed -----------------------
	printf 'sTy6wQ\n' > "$Y/pw"
	t_hides "password_env" 0 "postgres.auth: scram-sha-256" sTy6wQ env PGPW=sTy6wQ \
		"$P" chksrv -r 0 postgres -p username=scramuser -p password_env=PGPW -p database=appdb \
		$H "$PG_PORT"
	t_hides "password_file" 0 "postgres.auth: scram-sha-256" sTy6wQ \
		$CS -p username=scramuser -p password_file="$Y/pw" -p database=appdb $H "$PG_PORT"
	t_hides "json, -v, a wrong password" 1 '"error": "password authentication failed' wQm7kX \
		"$P" chksrv -v -v -r 0 --format json postgres -p username=scramuser -p password=wQm7kX \
		-p database=appdb $H "$PG_PORT"
	t_hides "prometheus" 0 "" m5Kq3zR "$P" chksrv -r 0 --format prometheus postgres \
		-p username=md5user -p password=m5Kq3zR -p database=appdb $H "$PG_PORT"

	# --- conn-check --------------------------------------------------------------------
	cat > "$Y/cc.yaml" <<YAML
- {type: postgres, host: $H, port: $PG_PORT, username: scramuser, password_env: PB_PG_PW, database: appdb}
- {type: postgresql, host: $H, port: $PG_PORT, username: md5user, password: wQm7kX, database: appdb}
- {type: postgres, host: "$PG_DIR", port: $PG_PORT, username: trustuser, database: nosuchdb}
- {type: postgres, host: $H, port: $PG_PORT, username: ssluser, password: sHn4xV, database: appdb, sslmode: verify-full}
YAML
	t_out "conn-check names" 0 "SKIPPED: postgres:$PG_DIR:$PG_PORT
SKIPPED: postgres:$H:$PG_PORT
SKIPPED: postgres:$H:$PG_PORT
SKIPPED: postgres:$H:$PG_PORT
SKIPPED: tcp:$H:$PG_PORT
SKIPPED: tcp:$H:$PG_PORT
SKIPPED: tcp:$H:$PG_PORT" env PB_PG_PW=sTy6wQ "$P" conn-check --dry-run "$Y/cc.yaml"
	CADIR=$Y/cas
	mkdir -p "$CADIR" && cp "$CA" "$CADIR/test-ca.pem"
	t_exec env PB_PG_PW=sTy6wQ "$P" conn-check --tls-certs-path "$CADIR" "$Y/cc.yaml"
	_want="postgres:$PG_DIR:$PG_PORT FAILED - (user trustuser) database \"nosuchdb\" does not exist (SQLSTATE 3D000)
postgres:$H:$PG_PORT FAILED - (user md5user) password authentication failed for user \"md5user\" (SQLSTATE 28P01)
postgres:$H:$PG_PORT OK
postgres:$H:$PG_PORT OK
tcp:$H:$PG_PORT OK
tcp:$H:$PG_PORT OK
tcp:$H:$PG_PORT OK"
	if [ "$T_RC" = 2 ] && [ "$T_OUT" = "$_want" ]; then t_ok "conn-check run"; else
		t_fail "conn-check run" "exit $T_RC (expected 2)
got:  $T_OUT
want: $_want"; fi
	case $T_OUT in *sTy6wQ*|*wQm7kX*|*sHn4xV*) t_fail "conn-check hides passwords" "$T_OUT" ;;
	*) t_ok "conn-check hides passwords" ;; esac
	t_hides "conn-check -v json" 2 '"name": "postgres:' wQm7kX env PB_PG_PW=sTy6wQ \
		"$P" conn-check -v --format json --tls-certs-path "$CADIR" "$Y/cc.yaml"
else
	t_skip "postgres server" "$PG_WHY"
fi

# --- servers that are not PostgreSQL, each failing by its deadline -----------------------
t_by 2 t_run "silent server" 1 "error: timeout after 2" \
	"$P" chksrv -r 0 --timeout 2 postgres -p username=u $H "$PG_T_SILENT"
t_by 2 t_run "silent server, sslmode disable" 1 "error: timeout after 2" \
	"$P" chksrv -r 0 --timeout 2 postgres -p username=u -p sslmode=disable $H "$PG_T_SILENT"
t_by 5 t_run "closes after the startup message" 1 "error: the server closed the connection" \
	$CS -p username=u $H "$PG_T_CLOSE"
t_by 5 t_run "closes in the middle of a message" 1 "error: the server closed the connection" \
	$CS -p username=u $H "$PG_T_HALF"
t_by 5 t_run "a length past the cap" 1 "error: not a PostgreSQL reply \(a message of type 0x52 with length 2147483647\)" \
	$CS -p username=u $H "$PG_T_HUGE"
t_by 5 t_run "another protocol" 1 "error: not a PostgreSQL server \(it answers 0x48 to SSLRequest\)" \
	$CS -p username=u $H "$PG_T_HTTP"
t_by 5 t_run "another protocol, sslmode disable" 1 "error: not a PostgreSQL reply" \
	$CS -p username=u -p sslmode=disable $H "$PG_T_HTTP"
t_by 5 t_run "no SSL, sslmode prefer" 0 "postgres.ssl: False" $CS -p username=u $H "$PG_T_NOSSL"
t_by 5 t_run "no SSL, sslmode require" 1 "error: the server does not support SSL, and sslmode is require" \
	$CS -p username=u -p sslmode=require $H "$PG_T_NOSSL"
t_by 5 t_hides "SCRAM without the server's proof" 1 \
	"error: the server ended SCRAM without proving that it knows the password" pEn7cLz \
	$CS -p username=u -p password=pEn7cLz $H "$PG_T_NOPROOF"
t_run "closed port" 1 "tcp.success: False" $CS -p username=u $H "$P_CLOSED"
t_run "bad sslmode" 3 "sslmode: expected disable, prefer, require, verify-ca or verify-full, got 'allow'" \
	$CS -p username=u -p sslmode=allow $H 5432
t_run "username required" 3 "username missing" $CS $H 5432
rm -rf "$Y"
