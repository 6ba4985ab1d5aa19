# hardening.sh - what docs/reliability.md states of the binary, shown: it runs no shell and no
# program (no exec, system, popen, fork or spawn among the symbols a dynamic build imports:
# the static release binary has none to read, the ASan and valgrind builds of the same sources
# do), and it needs no root (as root, the applets run as nobody: connect, TLS with
# verification, a service probe, the conn-check engine).
. tests/lib.sh
. "$T_DIR/env"
imports_of() { nm -D --undefined-only "$1" 2>/dev/null | awk '{ sub(/@.*/, "", $2); print $2 }'; }
# the static release binaries: their ASan twin (build/asan/probebox for build/probebox)
B=${VG_BIN:-$PROBEBOX}
imports=$(imports_of "$B")
[ -n "$imports" ] || imports=$(imports_of "${B%/probebox}/asan/probebox")
if [ -z "$imports" ]; then
	t_skip "no exec, system, popen, fork or spawn" "a static binary, no ASan twin built: no import table to read"
else
	bad=$(printf '%s\n' "$imports" | grep -Ex '(system|popen|exec[lv]p?e?|execvpe|fexecve|posix_spawnp?|fork|vfork|clone3?|wordexp)' |
		tr '\n' ' ')
	if [ -n "$bad" ]; then t_fail "no exec, system, popen, fork or spawn" "imports $bad"
	else t_ok "no exec, system, popen, fork or spawn ($(printf '%s\n' "$imports" | wc -l) imports)"; fi
fi

if [ "$(id -u)" != 0 ]; then
	t_ok "no root: the whole suite ran as uid $(id -u)"
elif ! command -v setpriv >/dev/null; then
	t_skip "no root" "running as root and no setpriv to drop it"
else
	NR=$(mktemp -d /tmp/probebox-nr.XXXXXX)
	chmod 755 "$NR"
	cp "$CERTS/ca.crt" "$NR/ca.crt"
	printf -- '- {type: tcp, host: 127.0.0.1, port: %s}\n- {type: redis, host: 127.0.0.1, port: %s}\n' \
		"$P_OKOK" "$R_PLAIN" > "$NR/c.yaml"
	chmod 644 "$NR/ca.crt" "$NR/c.yaml"
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs"
	t_run "no root: check-tcp as nobody" 0 "^TCP OK" $AS $PROBEBOX check-tcp -H 127.0.0.1 -p "$P_OKOK"
	t_run "no root: check-http with TLS verification as nobody" 0 "^HTTP OK" \
		$AS $PROBEBOX check-http --ca-file "$NR/ca.crt" -u "https://localhost:$H_HTTPS/health"
	t_run "no root: conn-check (engine, redis probe) as nobody" 0 "redis:127.0.0.1:$R_PLAIN:connect OK" \
		$AS $PROBEBOX conn-check "$NR/c.yaml"
	rm -rf "$NR"
fi
