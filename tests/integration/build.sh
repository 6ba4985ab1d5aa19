# build.sh - the build system: defconfigs, install, static linking (release variant only)
. tests/lib.sh
. "$T_DIR/env"
case $PROBEBOX in */asan/*) return 0 ;; esac

t_run "every defconfig names real symbols" 0 "" /usr/bin/python3 scripts/check_defconfigs.py Kconfig configs/*defconfig
t_run "release binary is statically linked" 0 "" sh -c "! readelf -l '$PROBEBOX' | grep -q INTERP && ! readelf -d '$PROBEBOX' 2>/dev/null | grep -q NEEDED"
t_run "release binary is stripped" 0 "" sh -c "! readelf -S '$PROBEBOX' | grep -q '\.symtab'"
DEST=$T_DIR/dest
t_run "make install DESTDIR PREFIX" 0 "" make -s install DESTDIR="$DEST" PREFIX=/opt/pb
t_run "installed binary runs" 0 "^check-tcp$" "$DEST/opt/pb/bin/probebox" --list
t_run "installed applet link" 0 "^usage: check-tcp" "$DEST/opt/pb/bin/check-tcp" --help
t_run "applet help comes from Kconfig" 0 "" sh -c "grep -q 'Preset: FTP POP SPOP' build/gen/usage.h"
