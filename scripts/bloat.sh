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
# usage: sh scripts/bloat.sh      (or make bloat); builds go to build/bloat-*/
set -eu
cd "$(dirname "$0")/.."
make -s build/gen/stamp >/dev/null 2>&1 || make -s >/dev/null
D=build/bloat
mkdir -p "$D"
APPLETS=$(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.applets)
NET=$(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.net)
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
		build/gen/Config.applets Kconfig | head -1 | grep . || echo -
}

row() {	# LABEL MARGINAL_BYTES PROMPT_KB [ALONE_BYTES...]
	k=$(( ($2 + 512) / 1024 ))
	flag=
	if [ "$3" != - ]; then
		lo=$(( k * 2 / 3 )) hi=$(( k * 3 / 2 + 2 ))
		[ "$3" -ge "$lo" ] && [ "$3" -le "$hi" ] || flag="  <- Kconfig prompt says +$3 kB"
	fi
	printf '%-24s %10s' "$1" "+$k kB"
	shift 3
	for c; do printf ' %13s' "+$(( ($c + 512) / 1024 )) kB"; done
	printf '%s\n' "$flag"
}

seed none TLS_NONE
base=$(size_of none)
seed all TLS_NONE $APPLETS
all=$(size_of all)
echo "multicall binary without applets: $base bytes; with all of them: $all bytes (no TLS)"
echo "marginal: what the applet adds to all the others; alone: what it adds to no applet"
printf '%-24s %10s %13s' applet marginal alone
for b in $BACKENDS; do printf ' %13s' "alone+$b"; done
echo
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
for b in $BACKENDS; do
	row "TLS_$b" $(( $(size_of "CHECK_TCP_$b") - t0 )) "$(prompt_kb "TLS_$b")"
done
