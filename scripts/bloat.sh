#!/bin/sh
# bloat.sh - what each applet and each TLS backend costs in the static binary, measured:
# per applet, the build with every applet (no TLS) against the build without that one (the
# marginal cost the Kconfig prompt states) and alone against no applet at all (which also
# counts the shared networking and libc code it is the first to pull in), and alone with each
# TLS backend; per backend, check-tcp with it against check-tcp without TLS. Flags each Kconfig
# prompt "(+N kB)" that is off by more than a third (busybox's size_single_applets.sh, in
# spirit). An applet alone gets only the library symbols it selects (every net/ symbol is off
# in the seeds), so each of its builds, with and without TLS, proves that its selects are
# complete: a missing one fails to link.
#
# With BLOAT_PROBES=1 (make size), per optional probe (the net/ symbols with a prompt, which
# conn-check and chksrv run): the
# conn-check build with every such probe against the one without that probe (marginal), and
# conn-check with that probe alone against conn-check with none (alone), without TLS.
#
# usage: sh scripts/bloat.sh      (or make bloat); builds go to build/bloat-*/
#        BLOAT_FORMAT=md sh scripts/bloat.sh     the same as markdown tables (make size)
set -eu
cd "$(dirname "$0")/.."
make -s build/gen/stamp >/dev/null 2>&1 || make -s >/dev/null
D=build/bloat
mkdir -p "$D"
APPLETS=$(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.applets)
NET=$(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.net)
# the probes a user chooses: a prompt of their own (the others come with what selects them)
PROBES=$(awk '$1 == "config" { cur = $2 } /^\tbool "/ && cur ~ /^PROBE_/ { print cur }' build/gen/Config.net)
MD=
[ "${BLOAT_FORMAT:-}" = md ] && MD=1
BACKENDS="MBEDTLS BEARSSL"

seed() {	# NAME TLS_SYMBOL SYMBOL... : every applet and net/ symbol off but the ones named
	f=$D/$1_defconfig
	shift
	{
		echo "CONFIG_$1=y"
		shift
		for x in $APPLETS $NET; do
			case " $* " in
			*" $x "*) echo "CONFIG_$x=y" ;;
			*) echo "# CONFIG_$x is not set" ;;
			esac
		done
	} > "$f.new"
	# an unchanged seed keeps its time stamp, so make has nothing to rebuild
	if cmp -s "$f.new" "$f"; then rm "$f.new"; else mv "$f.new" "$f"; fi
}

size_of() {	# NAME: build configuration NAME from its seed, print the binary's bytes
	make -s CONFIG="bloat-$1" SEED="$D/$1_defconfig" >/dev/null 2>"$D/$1.log" ||
		{ echo "bloat: build $1 failed, see $D/$1.log" >&2; exit 1; }
	stat -c %s "build/bloat-$1/probebox"
}

prompt_kb() {	# SYMBOL: the "(+N kB" of its Kconfig prompt, or -
	awk -v s="$1" '$1 == "config" { cur = $2 } cur == s && /bool "/ {
		if (match($0, /\(\+[0-9]+ kB/)) { print substr($0, RSTART + 2, RLENGTH - 5); exit } }' \
		build/gen/Config.applets build/gen/Config.net Kconfig | head -1 | grep . || echo -
}

kb() {	# BYTES: rounded to kB (1024 bytes)
	echo $(( ($1 + 512) / 1024 ))
}

header() {	# COLUMN...
	if [ -n "$MD" ]; then
		printf '|'
		for c; do printf ' %s |' "$c"; done
		printf '\n|'
		for c; do printf -- '---|'; done
		echo
	else
		printf '%-24s %10s' "$1" "$2"
		shift 2
		for c; do printf ' %13s' "$c"; done
		echo
	fi
}

row() {	# LABEL MARGINAL_BYTES PROMPT_KB [ALONE_BYTES...]
	k=$(( ($2 + 512) / 1024 ))
	flag=
	if [ "$3" != - ]; then
		lo=$(( k * 2 / 3 )) hi=$(( k * 3 / 2 + 2 ))
		[ "$3" -ge "$lo" ] && [ "$3" -le "$hi" ] || flag="  <- Kconfig prompt says +$3 kB"
	fi
	if [ -n "$MD" ]; then
		printf '| %s | +%s (%s) |' "$1" "$k kB" "$2"
		shift 3
		for c; do printf ' +%s kB (%s) |' "$(kb "$c")" "$c"; done
		printf ' %s |\n' "${flag#  <- }"
		return
	fi
	printf '%-24s %10s' "$1" "+$k kB"
	shift 3
	for c; do printf ' %13s' "+$(kb "$c") kB"; done
	printf '%s\n' "$flag"
}

seed none TLS_NONE
base=$(size_of none)
seed all TLS_NONE $APPLETS
all=$(size_of all)
echo "multicall binary without applets: $base bytes; with all of them: $all bytes (no TLS)"
echo "marginal: what the applet adds to all the others; alone: what it adds to no applet"
[ -n "$MD" ] && echo
# shellcheck disable=SC2046
header applet marginal alone $(for b in $BACKENDS; do echo "alone+$b"; done) ${MD:+"Kconfig prompt"}
for a in $APPLETS; do
	others=
	for x in $APPLETS; do
		[ "$x" = "$a" ] && continue
		# an applet that depends on the one left out goes with it
		[ "$a" = CONN_CHECK ] && [ "$x" = CONN_CHECK_EXPORT_FW ] && continue
		others="$others $x"
	done
	seed "no_$a" TLS_NONE $others
	deps=$a
	[ "$a" = CONN_CHECK_EXPORT_FW ] && deps="CONN_CHECK $a"
	seed "$a" TLS_NONE $deps
	alone=$(( $(size_of "$a") - base ))
	for b in $BACKENDS; do
		seed "${a}_$b" "TLS_$b" $deps
		alone="$alone $(( $(size_of "${a}_$b") - base ))"
	done
	# shellcheck disable=SC2086
	row "$a" $(( all - $(size_of "no_$a") )) "$(prompt_kb "$a")" $alone
done
t0=$(size_of CHECK_TCP)
if [ -n "$MD" ]; then
	echo
	echo "TLS backends: check-tcp with the backend against check-tcp without TLS"
	echo
	header backend cost "Kconfig prompt"
fi
for b in $BACKENDS; do
	row "TLS_$b" $(( $(size_of "CHECK_TCP_$b") - t0 )) "$(prompt_kb "TLS_$b")"
done
[ -n "$MD" ] && echo

# probes: on top of conn-check (without TLS), which runs every probe type
[ "${BLOAT_PROBES:-0}" = 1 ] || exit 0
seed cc_none TLS_NONE CONN_CHECK
cc=$(size_of cc_none)
seed cc_all TLS_NONE CONN_CHECK $PROBES
ccall=$(size_of cc_all)
echo "conn-check without optional probes: $cc bytes; with all of them: $ccall bytes (no TLS)"
echo "alone: what the probe adds to conn-check (what its prompt states); marginal: to all the others"
[ -n "$MD" ] && echo
header probe alone marginal ${MD:+"Kconfig prompt"}
for p in $PROBES; do
	others=
	for x in $PROBES; do [ "$x" = "$p" ] || others="$others $x"; done
	seed "cc_no_$p" TLS_NONE CONN_CHECK $others
	seed "cc_$p" TLS_NONE CONN_CHECK $p
	row "$p" $(( $(size_of "cc_$p") - cc )) "$(prompt_kb "$p")" $(( ccall - $(size_of "cc_no_$p") ))
done
