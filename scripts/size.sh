#!/bin/sh
# size.sh - every configs/*_defconfig built (static, stripped) and measured against its budget,
# what each applet and probe costs (scripts/bloat.sh) and the top of the link maps of the
# tiny and default builds, written to docs/size.md; exits 1 when a build is over its budget.
# The text of docs/size.md after its "hand-written" marker line is kept as it is.
#
# usage: sh scripts/size.sh        (or make size); SIZE_BLOAT=0 skips the per-applet tables
set -eu
cd "$(dirname "$0")/.."
OUT=docs/size.md
MARK='<!-- hand-written below this line: make size keeps it -->'
KB=1024

budget() {	# NAME: the budget in bytes (issue: defconfig, bearssl, tiny), or -
	case $1 in
	defconfig) echo $(( 400 * KB )) ;;
	bearssl) echo $(( 300 * KB )) ;;
	tiny) echo $(( 64 * KB )) ;;
	*) echo - ;;
	esac
}

build() {	# NAME: build it with a link map, print the binary's path
	d=build/$1
	[ "$1" = defconfig ] && d=build/size-defconfig
	# a binary linked without its map (or after it) is linked again
	if [ ! -f "$d/probebox.map" ] || [ "$d/probebox" -nt "$d/probebox.map" ]; then
		rm -f "$d/probebox"
	fi
	if [ "$1" = defconfig ]; then
		# configs/defconfig itself, not whatever ./.config holds
		make -s CONFIG=size-defconfig SEED=configs/defconfig MAP=1 >"$T/$1.log" 2>&1 ||
			{ cat "$T/$1.log" >&2; echo "size: build $1 failed" >&2; exit 1; }
		echo build/size-defconfig/probebox
	else
		make -s CONFIG="$1" MAP=1 >"$T/$1.log" 2>&1 ||
			{ cat "$T/$1.log" >&2; echo "size: build $1 failed" >&2; exit 1; }
		echo "build/$1/probebox"
	fi
}

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
over=0
{
	echo "# Binary sizes"
	echo
	echo "Written by \`make size\` ($(date -u +%Y-%m-%d), $(uname -m), $(musl-gcc --version | head -1 | sed 's/ *(.*)//'))."
	echo "Static, stripped, -Os, LTO, --gc-sections; 1 kB = $KB bytes."
	echo
	echo "| build | bytes | kB | budget | verdict |"
	echo "|---|---:|---:|---:|---|"
} > "$T/head"
for f in configs/defconfig configs/*_defconfig; do
	name=${f#configs/}
	name=${name%_defconfig}
	bin=$(build "$name")
	n=$(stat -c %s "$bin")
	b=$(budget "$name")
	if [ "$b" = - ]; then
		v="reported only"
		bk=-
	elif [ "$n" -le "$b" ]; then
		v="within (-$(( b - n )) bytes)"
		bk="$(( b / KB )) kB"
	else
		v="**over by $(( n - b )) bytes**"
		bk="$(( b / KB )) kB"
		over=1
	fi
	printf '| %s | %s | %s | %s | %s |\n' "$name" "$n" "$(( (n + 512) / KB ))" "$bk" "$v" >> "$T/head"
	echo "size: $name $n bytes (budget $bk)" >&2
	cp "${bin%probebox}probebox.map" "$T/$name.map"
done
{
	cat "$T/head"
	echo
	for m in tiny defconfig; do
		echo "## What the $m build is made of (link map, top 25)"
		echo
		awk -v top=25 -f scripts/linkmap.awk "$T/$m.map"
		echo
	done
	if [ "${SIZE_BLOAT:-1}" != 0 ]; then
		echo "## What each applet and probe costs (scripts/bloat.sh)"
		echo
		# linked again: make does not know when the link flags change
		rm -f build/bloat-*/probebox
		BLOAT_FORMAT=md BLOAT_PROBES=1 sh scripts/bloat.sh
		echo
	fi
	echo "$MARK"
	[ -f "$OUT" ] && sed -n "/^$MARK\$/,\$p" "$OUT" | sed 1d
} > "$T/size.md"
mv "$T/size.md" "$OUT"
echo "size: wrote $OUT" >&2
exit $over
