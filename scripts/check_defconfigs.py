"""check_defconfigs.py - every configs/*_defconfig must name only symbols that exist, assign
values Kconfig accepts (kconfiglib ignores such lines silently otherwise), and name every
applet, on or off: applets default to y, so a defconfig that leaves one out gets every applet
added after it was written.

usage: python3 check_defconfigs.py Kconfig configs/*defconfig
"""
import re
import sys
import kconfiglib

NAMED = re.compile(r"^(?:CONFIG_(\w+)=|# CONFIG_(\w+) is not set$)")

bad = 0
for path in sys.argv[2:]:
    kc = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
    kc.load_config(path)
    for w in kc.warnings:
        print("%s: %s" % (path, w.splitlines()[0]))
        bad += 1
    named = set()
    for line in open(path):
        line = line.strip()
        m = NAMED.match(line)
        if m:
            named.add(m.group(1) or m.group(2))
        # what was asked for must be what was set (a dependency can veto a 'y')
        if line.startswith("CONFIG_") and "=" in line:
            name, val = line[7:].split("=", 1)
            sym = kc.syms.get(name)
            if sym and sym.str_value != val.strip('"'):
                print("%s: %s=%s did not stick (is %s)" % (path, name, val, sym.str_value))
                bad += 1
    # the applets are the symbols of the generated Config.applets (applets/*.c //config:)
    applets = [s.name for s in kc.unique_defined_syms
               if any(n.filename.endswith("Config.applets") for n in s.nodes)]
    if not applets:
        print("%s: no applet symbols found (is the generated Config.applets empty?)" % path)
        bad += 1
    for name in applets:
        if name not in named:
            print("%s: does not name applet %s (CONFIG_%s=y or # CONFIG_%s is not set)"
                  % (path, name, name, name))
            bad += 1
sys.exit(1 if bad else 0)
