# 45-postgres.sh - a PostgreSQL 15 cluster for the postgres probe: 127.0.0.1 and ::1 on a free
# port, its unix socket in $PG_DIR, ssl=on with the test CA's valid leaf; users for each
# authentication method (pg_hba.conf below), one that only SSL may use, one with no pg_hba
# line, and a database. initdb takes a second or more, so the cluster starts in the
# background and the tests wait for it (pg_wait in tests/integration/postgres.sh).
# As root, postgres runs as the postgres user (or one made for it): initdb refuses root.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=$T_DIR/pg
PG_PORT=$(t_free_port)
PG_WHY=
PG_RUN=
if [ ! -x "$PG_BIN/postgres" ] || [ ! -x "$PG_BIN/initdb" ]; then
	PG_WHY="no PostgreSQL 15 in $PG_BIN"
elif [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin postgres \
		>/dev/null 2>&1 || PG_WHY="no postgres user and useradd failed"
	PG_RUN="setpriv --reuid=postgres --regid=postgres --init-groups"
	chmod 711 "$T_DIR"	# the server's user passes through to its directory
fi
echo "PG_BIN=$PG_BIN" >> "$T_DIR/env"
echo "PG_DIR=$PG_DIR" >> "$T_DIR/env"
echo "PG_PORT=$PG_PORT" >> "$T_DIR/env"
echo "PG_WHY='$PG_WHY'" >> "$T_DIR/env"
if [ -z "$PG_WHY" ]; then
	mkdir -p "$PG_DIR"
	cp "$CERTS/valid.chain.crt" "$PG_DIR/server.crt"
	cp "$CERTS/valid.key" "$PG_DIR/server.key"
	chmod 600 "$PG_DIR/server.key"
	[ -n "$PG_RUN" ] && chown -R postgres: "$PG_DIR"
	cat > "$PG_DIR/pg_hba.conf" <<'HBA'
local   all  postgres,trustuser            trust
local   all  md5user                       md5
local   all  scramuser                     scram-sha-256
local   all  pwuser                        password
host    all  trustuser  127.0.0.1/32       trust
host    all  trustuser  ::1/128            trust
host    all  md5user    127.0.0.1/32       md5
host    all  md5user    ::1/128            md5
host    all  scramuser  127.0.0.1/32       scram-sha-256
host    all  scramuser  ::1/128            scram-sha-256
host    all  pwuser     127.0.0.1/32       password
host    all  pwuser     ::1/128            password
hostssl all  ssluser    127.0.0.1/32       scram-sha-256
HBA
	cat > "$PG_DIR/setup.sql" <<'SQL'
SET password_encryption = 'md5';
CREATE ROLE md5user LOGIN PASSWORD 'm5Kq3zR';
CREATE ROLE pwuser LOGIN PASSWORD 'pJr8vT';
SET password_encryption = 'scram-sha-256';
CREATE ROLE scramuser LOGIN PASSWORD 'sTy6wQ';
CREATE ROLE ssluser LOGIN PASSWORD 'sHn4xV';
CREATE ROLE nohba LOGIN PASSWORD 'nBz2cW';
CREATE ROLE trustuser LOGIN;
CREATE DATABASE appdb OWNER scramuser;
SQL
	# the subshell becomes the postmaster (exec): its PID is the server's, stopped by PID
	(
		set -e
		$PG_RUN "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -N -E UTF8 \
			--locale=C --no-instructions
		cp "$PG_DIR/pg_hba.conf" "$PG_DIR/data/pg_hba.conf"
		$PG_RUN "$PG_BIN/postgres" --single -D "$PG_DIR/data" -c fsync=off postgres \
			< "$PG_DIR/setup.sql"
		exec $PG_RUN "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" \
			-c listen_addresses='127.0.0.1,::1' -c unix_socket_directories="$PG_DIR" \
			-c ssl=on -c ssl_cert_file="$PG_DIR/server.crt" -c ssl_key_file="$PG_DIR/server.key" \
			-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
			-c shared_buffers=16MB -c max_connections=40
	) > "$T_DIR/postgres.log" 2>&1 &
	echo "$! postgres" >> "$T_DIR/pids"
fi
# servers that are not PostgreSQL, or not quite: silent after accepting; closing after the
# startup message, or in the middle of a message; a length past the cap; SSL refused; another
# protocol; a SCRAM exchange that the server ends with AuthenticationOk, proving nothing
t_tserve PG_T_SILENT hold
t_tserve PG_T_CLOSE recv 'send:N' recv close
t_tserve PG_T_HALF recv 'send:N' recv 'send:R\x00\x00\x00\x0c\x00\x00' close
t_tserve PG_T_HUGE recv 'send:N' recv 'send:R\x7f\xff\xff\xff' hold
t_tserve PG_T_NOSSL recv 'send:N' recv 'send:R\x00\x00\x00\x08\x00\x00\x00\x00Z\x00\x00\x00\x05I' hold
t_tserve PG_T_HTTP recv 'send:HTTP/1.1 400 Bad Request\r\n\r\n' close
t_tserve PG_T_NOPROOF recv 'send:N' recv \
	'send:R\x00\x00\x00\x17\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00' recv \
	'send:R\x00\x00\x00\x08\x00\x00\x00\x00Z\x00\x00\x00\x05I' hold
