#!/bin/sh
# applets.sh - the applets a configured probebox tree builds, one a line, as `probebox --list`
# prints them, without running the binary (a cross build cannot): the applet table of
# build/gen/applets.h, each line kept when its symbol is on in the tree's .config.
#
#   applets.sh DIR [DOTCONFIG]     DIR: the tree (after make); DOTCONFIG: default DIR/.config
set -eu
d=$1
c=${2:-$d/.config}
[ -f "$d/build/gen/applets.h" ] && [ -f "$c" ] || { echo "applets.sh: no $d/build/gen/applets.h or $c" >&2; exit 1; }
sed -n 's/^IF_\([A-Z0-9_]*\)(APPLET[A-Z_]*("\([^"]*\)".*/\1 \2/p' "$d/build/gen/applets.h" |
while read -r sym name; do
	if grep -qx "CONFIG_$sym=y" "$c"; then echo "$name"; fi
done | LC_ALL=C sort
