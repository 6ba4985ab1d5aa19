"""check_defconfigs.py - every configs/*_defconfig must name only symbols that exist and
assign values Kconfig accepts (kconfiglib ignores such lines silently otherwise).

usage: python3 check_defconfigs.py Kconfig configs/*defconfig
"""
import sys
import kconfiglib

bad = 0
for path in sys.argv[2:]:
    kc = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
    kc.load_config(path)
    for w in kc.warnings:
        print("%s: %s" % (path, w.splitlines()[0]))
        bad += 1
    # what was asked for must be what was set (a dependency can veto a 'y')
    for line in open(path):
        line = line.strip()
        if line.startswith("CONFIG_") and "=" in line:
            name, val = line[7:].split("=", 1)
            sym = kc.syms.get(name)
            if sym and sym.str_value != val.strip('"'):
                print("%s: %s=%s did not stick (is %s)" % (path, name, val, sym.str_value))
                bad += 1
sys.exit(1 if bad else 0)
