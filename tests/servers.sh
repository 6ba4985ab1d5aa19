# servers.sh - start the loopback servers every integration test shares (sourced by run.sh)
#
# Each tests/servers.d/*.sh is sourced in turn: it starts its servers with t_bg / t_tserve
# (so their PIDs are kept and they are stopped by PID), waits until they accept, and appends
# NAME=value lines (ports, paths) to $T_DIR/env, which the test files read.
servers_start() {
	CERTS=$T_DIR/certs
	sh tests/mkcerts.sh "$CERTS" || { echo "mkcerts failed" >&2; exit 1; }
	echo "CERTS=$CERTS" >> "$T_DIR/env"
	for _s in tests/servers.d/*.sh; do
		. "$_s"
	done
}
