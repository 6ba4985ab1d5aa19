# lib.sh - the zoo's case helpers (sourced by tests/integration/zoo*.sh after tests/lib.sh):
#   z NAME RC REASON CMD...     t_run, and CMD ended by 1 s + 1.5 s, its peak RSS under MB
#                               megabytes (32; 160 for an ASan build, whose shadow memory counts)
#   zesc NAME RC REASON CMD...  z, and no terminal escape (ESC, BEL) is in what CMD printed
#   cc TYPE PORT 'YAML'         a conn-check file of one check on host H, timeout 1, its path
# The cases spend their time waiting for timeouts, so ZOO_JOBS (4) of them run at once, in
# the background; a file ends with `wait`. has APPLET, svc MODULE: in this build (chksrv's).
P=$PROBEBOX
Y=$(mktemp -d "$T_DIR/zoo.XXXXXX")
L=" $("$P" --list | tr '\n' ' ') "
has() { case $L in *" $1 "*) ;; *) return 1 ;; esac; }
SVC=" $("$P" chksrv zoo-none 2>&1 | sed -n 's/.*this build has: \(.*\))$/\1/p' | tr -d ,) "
svc() { case $SVC in *" $1 "*) ;; *) return 1 ;; esac; }
case $P in */asan/*) MB=160 ;; *) MB=32 ;; esac
export LC_ALL=C
ESC=$(printf '\033')
BEL=$(printf '\007')

_z() {
	t_by 1 t_rss "$MB" t_run "$@"
}
_zesc() {
	_z "$@"
	case $T_OUT in
	*"$ESC"* | *"$BEL"*) t_fail "$1: no terminal escape printed" "$(printf '%s' "$T_OUT" | od -c | head)" ;;
	*) t_ok "$1: no terminal escape printed" ;;
	esac
}
_zj=0
zbg() {
	"$@" &
	_zj=$((_zj + 1))
	[ "$_zj" -lt "${ZOO_JOBS:-4}" ] || { wait; _zj=0; }
}
z() { zbg _z "$@"; }
zesc() { zbg _zesc "$@"; }
cc() {
	printf -- '- {type: %s, host: %s, port: %s, timeout: 1%s}\n' "$1" "$H" "$2" "${3:-}" > "$Y/$1.$2.yaml"
	echo "$Y/$1.$2.yaml"
}
