# probebox.sh - the multicall front end: dispatch, --list, --install, usage errors
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX

t_run "--list names check-tcp" 0 "^check-tcp$" $P --list
t_run "--help lists the applets" 0 "Applets:" $P --help
t_run "no arguments: usage on stderr, exit 3" 3 "usage: probebox" $P
t_run "--version" 0 "^probebox [0-9.]+ \(TLS: " $P --version
t_run "unknown applet" 3 "^probebox: unknown applet 'nope'" $P nope
t_run "applet through argv[1]" 0 "^TCP OK" $P check-tcp -H 127.0.0.1 -p "$P_FTP"
D=$T_DIR/inst.$$
mkdir -p "$D"
t_run "--install makes links" 0 "" $P --install "$D"
t_run "link dispatches on argv[0]" 0 "^TCP OK" "$D/check-tcp" -H 127.0.0.1 -p "$P_FTP"
t_run "link --help" 0 "^usage: check-tcp" "$D/check-tcp" --help
t_run "--install -h makes hard links" 0 "" $P --install -h "$D"
if [ -f "$D/check-tcp" ] && [ ! -L "$D/check-tcp" ]; then t_ok "hard link is not a symlink"; else t_fail "hard link is not a symlink" "$(ls -l "$D")"; fi
if [ "${PROBEBOX##*/asan/*}" = "$PROBEBOX" ]; then
	# no program interpreter and no shared libraries (readelf comes with binutils)
	t_run "release binary is static" 0 "" sh -c "! readelf -l '$P' | grep -q INTERP && ! readelf -d '$P' 2>/dev/null | grep -q NEEDED"
fi
