# mongodb.sh - the mongodb probe through chksrv and conn-check: hello (and isMaster over
# OP_QUERY for an old server), SCRAM-SHA-256 and SCRAM-SHA-1, listCollections, the server's
# refusals, and servers that stay silent, close, lie about lengths or speak another protocol.
#
# Against a STAND-IN, not MongoDB: no MongoDB server can be had here (Debian ships none), so
# tests/server/mongod.py speaks the wire protocol (OP_MSG, OP_QUERY / OP_REPLY, BSON) and
# verifies SCRAM proofs against stored credentials for real. A pass shows that the probe
# agrees with that reading of the specifications, not that a real mongod accepts it.
. tests/lib.sh
. "$T_DIR/env"
C="$PROBEBOX chksrv"
CC="$PROBEBOX conn-check"
H=127.0.0.1
Y=$T_DIR/mongodb.$$
mkdir -p "$Y"

if [ -z "${M_AUTH:-}" ]; then
	t_fail "stand-in" "the MongoDB stand-in did not start (tests/servers.d/55-mongodb.sh)"
	return 0
fi
U="-p username=mongouser -p password=Qx7-mgpw-93"

# --- chksrv: the record ----------------------------------------------------------------------
t_run "no auth" 0 "^success: True$" $C mongodb $H "$M_NOAUTH"
t_run "no auth: the record" 0 "^mongodb\.version: 7\.0\.14-standin$" $C mongodb \
	-e 'mongodb.max_wire_version == 21' -e 'mongodb.primary' -e 'mongodb.version == "7.0.14-standin"' \
	$H "$M_NOAUTH"
t_lacks "no auth: no mechanism recorded" "mongodb.mechanism" $C mongodb $H "$M_NOAUTH"
t_run "alias mongo" 0 "^success: True$" $C mongo $H "$M_NOAUTH"
t_hides "SCRAM-SHA-256" 0 "^mongodb\.mechanism: SCRAM-SHA-256$" Qx7-mgpw-93 $C mongodb $U $H "$M_AUTH"
t_hides "SCRAM-SHA-256, wrong password" 1 \
	"^error: SCRAM-SHA-256 authentication of 'mongouser' on admin failed: Authentication failed\.$" \
	Wr0-ngpw-08 $C mongodb -r 0 -p username=mongouser -p password=Wr0-ngpw-08 $H "$M_AUTH"
t_hides "SCRAM-SHA-1" 0 "^mongodb\.mechanism: SCRAM-SHA-1$" Qx7-mgpw-93 \
	$C mongodb $U -p auth_mechanism=SCRAM-SHA-1 $H "$M_AUTH"
t_hides "SCRAM-SHA-1, wrong password" 1 \
	"^error: SCRAM-SHA-1 authentication of 'mongouser' on admin failed: Authentication failed\.$" \
	Wr0-ngpw-08 $C mongodb -r 0 -p username=mongouser -p password=Wr0-ngpw-08 \
	-p auth_mechanism=SCRAM-SHA-1 $H "$M_AUTH"
t_hides "SCRAM-SHA-1 for a user the server lists with it alone" 0 "^mongodb\.mechanism: SCRAM-SHA-1$" \
	Sh1-sapw-55 $C mongodb -p username=sha1user -p password=Sh1-sapw-55 $H "$M_AUTH"
t_run "SCRAM-SHA-256 asked for that user" 1 "^error: SCRAM-SHA-256 authentication of 'sha1user' on admin failed: Authentication failed\.$" \
	$C mongodb -r 0 -p username=sha1user -p password=Sh1-sapw-55 -p auth_mechanism=SCRAM-SHA-256 $H "$M_AUTH"
t_run "unknown user" 1 "^error: SCRAM-SHA-256 authentication of 'nobody' on admin failed: Authentication failed\.$" \
	$C mongodb -r 0 -p username=nobody -p password=x $H "$M_AUTH"
t_run "auth_source" 1 "^error: SCRAM-SHA-256 authentication of 'mongouser' on other failed: Authentication failed\.$" \
	$C mongodb -r 0 $U -p auth_source=other $H "$M_AUTH"
t_run "no credentials where they are needed" 1 \
	"^error: listCollections on test failed: command listCollections requires authentication$" \
	$C mongodb -r 0 $H "$M_AUTH"
t_hides "a database the user may not list" 1 \
	"^error: listCollections on secretdb failed: not authorized on secretdb to execute command" \
	Lz4-lmpw-71 $C mongodb -r 0 -p username=limited -p password=Lz4-lmpw-71 -p database=secretdb $H "$M_AUTH"
t_run "a database the user may list" 0 "^success: True$" \
	$C mongodb -p username=limited -p password=Lz4-lmpw-71 -p database=test $H "$M_AUTH"
t_hides "a server that cannot prove it knows the password" 1 \
	"^error: SCRAM-SHA-256 authentication of 'mongouser' on admin: the server's SCRAM signature is wrong$" \
	Qx7-mgpw-93 $C mongodb -r 0 $U $H "$M_BADSIG"
t_run "an old server: isMaster over OP_QUERY, SCRAM with the empty exchange" 0 \
	"^mongodb\.max_wire_version: 5$" $C mongodb $U -e 'mongodb.version == "3.4.24-standin"' \
	-e 'mongodb.mechanism == "SCRAM-SHA-256"' $H "$M_OLD"
t_run "an old server: SCRAM-SHA-1" 0 "^success: True$" \
	$C mongodb $U -p auth_mechanism=SCRAM-SHA-1 $H "$M_OLD"
t_run "an old server: wrong password" 1 "failed: Authentication failed\.$" \
	$C mongodb -r 0 -p username=mongouser -p password=x $H "$M_OLD"
t_run "password from the environment" 0 "^success: True$" \
	env MPW=Qx7-mgpw-93 $C mongodb -p username=mongouser -p password_env=MPW $H "$M_AUTH"
cat > "$Y/record_check.py" <<'PY'
import json, sys
s = sys.stdin.read()
r = json.loads(s)["checks"][0]["record"]
print("ok" if "Qx7-mgpw-93" not in s and r["mongodb.mechanism"] == "SCRAM-SHA-256" and
      r["mongodb.max_wire_version"] == 21 and r["mongodb.primary"] is True and r["success"] else s)
PY
t_out "--format json" 0 ok sh -c "$C mongodb --format json $U $H $M_AUTH | /usr/bin/python3 $Y/record_check.py"
t_hides "-v with a wrong password" 1 "Authentication failed" Wr0-ngpw-08 \
	$C mongodb -v -v -r 0 -p username=mongouser -p password=Wr0-ngpw-08 $H "$M_AUTH"

# --- servers that do not answer as MongoDB does: the reason, by the deadline ---------------
T="--timeout 2 -r 0"
t_by 2 t_run "a silent server" 1 "^error: timeout after 2s while reading$" $C mongodb $T $H "$M_SILENT"
t_by 2 t_run "a silent server, with credentials" 1 "^error: timeout after 2s while reading$" \
	$C mongodb $T $U $H "$M_SILENT"
t_by 2 t_run "a server that closes after hello" 1 "^error: the server closed the connection$" \
	$C mongodb $T $H "$M_CLOSE"
t_by 2 t_run "an HTTP server" 1 "^error: not a MongoDB reply: a message of 1347703880 bytes \(at most 65536 taken\)$" \
	$C mongodb $T $H "$M_HTTP"
t_by 2 t_run "an SSH server" 1 "^error: not a MongoDB reply: a message of 759714643 bytes" \
	$C mongodb $T $H "$M_SSH"
t_by 2 t_run "a length of 2 GiB is not waited for" 1 "^error: not a MongoDB reply: a message of 2147483647 bytes" \
	$C mongodb $T $H "$M_HUGE"
t_by 2 t_run "a length below the header's" 1 "^error: not a MongoDB reply: a message of 8 bytes" \
	$C mongodb $T $H "$M_TINY"
t_by 2 t_run "a message cut short" 1 "^error: the server closed the connection$" $C mongodb $T $H "$M_CUT"
t_by 2 t_run "a malformed document" 1 "^error: not a MongoDB reply: a malformed BSON document in the reply$" \
	$C mongodb $T $H "$M_BADBSON"
t_by 2 t_run "a reply to another request" 1 "^error: not a MongoDB reply: not a reply to our request$" \
	$C mongodb $T $H "$M_OTHERID"
t_by 2 t_run "nothing listens" 1 "^error: .*refused" $C mongodb $T $H "$P_CLOSED"

# --- usage ----------------------------------------------------------------------------------
t_run "username without password" 3 "username and password go together" $C mongodb -p username=u $H 1
t_run "an unknown mechanism" 3 "auth_mechanism: expected SCRAM-SHA-256 or SCRAM-SHA-1, got 'PLAIN'" \
	$C mongodb -p username=u -p password=p -p auth_mechanism=PLAIN $H 1

# --- conn-check: names, defaults, verdicts ---------------------------------------------------
cat > "$Y/names.yaml" <<YAML
- {type: mongodb, host: db}
- {type: mongo, host: db2, port: 27018, username: u, password: p}
YAML
t_out "names and the default port" 0 "SKIPPED: mongodb:db2:27018:connect with auth
SKIPPED: mongodb:db2:27018:tcp:db2:27018
SKIPPED: mongodb:db:27017:connect
SKIPPED: mongodb:db:27017:tcp:db:27017" $CC --dry-run "$Y/names.yaml"
cat > "$Y/ok.yaml" <<YAML
- type: mongodb
  host: $H
  port: $M_AUTH
  username: mongouser
  password_file: $Y/pw
  database: appdb
YAML
printf 'Qx7-mgpw-93\n' > "$Y/pw"
t_out "conn-check: auth and listCollections" 0 "mongodb:$H:$M_AUTH:connect with auth OK
mongodb:$H:$M_AUTH:tcp:$H:$M_AUTH OK" $CC "$Y/ok.yaml"
cat > "$Y/wrong.yaml" <<YAML
- {type: mongodb, host: $H, port: $M_AUTH, username: mongouser, password: Wr0-ngpw-08}
YAML
t_hides "conn-check: wrong password" 2 \
	"^mongodb:$H:$M_AUTH:connect with auth FAILED - SCRAM-SHA-256 authentication of 'mongouser' on admin failed: Authentication failed\.$" \
	Wr0-ngpw-08 $CC -v "$Y/wrong.yaml"
cat > "$Y/limited.yaml" <<YAML
- {type: mongodb, host: $H, port: $M_AUTH, username: limited, password: Lz4-lmpw-71, database: secretdb, auth_mechanism: SCRAM-SHA-1}
YAML
t_hides "conn-check: a database the user may not list" 2 \
	"connect with auth FAILED - listCollections on secretdb failed: not authorized on secretdb" \
	Lz4-lmpw-71 $CC "$Y/limited.yaml"
cat > "$Y/silent.yaml" <<YAML
- {type: mongodb, host: $H, port: $M_SILENT, timeout: 1}
YAML
t_by 1 t_run "conn-check: a silent server" 2 "^mongodb:$H:$M_SILENT:connect FAILED - timeout after 1s while reading$" \
	$CC "$Y/silent.yaml"
cat > "$Y/http.yaml" <<YAML
- {type: mongodb, host: $H, port: $M_HTTP}
YAML
t_run "conn-check: another protocol" 2 "connect FAILED - not a MongoDB reply: a message of 1347703880 bytes" \
	$CC "$Y/http.yaml"
cat > "$Y/bad.yaml" <<YAML
- {type: mongodb, host: $H, username: u}
YAML
t_run "conn-check: username without password" 3 "bad.yaml:1:3: username and password go together" \
	$CC "$Y/bad.yaml"
