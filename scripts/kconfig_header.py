"""kconfig_header.py - write the C header for a .config: ENABLE_X, IF_X() and IF_NOT_X()
for every symbol, disabled ones included, so code says `if (ENABLE_X)` (busybox style).

usage: python3 kconfig_header.py KCONFIG DOTCONFIG OUT.h
"""
import sys
import kconfiglib

kc = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
kc.load_config(sys.argv[2])
out = ["/* generated from %s by scripts/kconfig_header.py: DO NOT EDIT */" % sys.argv[2],
       "#ifndef PB_AUTOCONF_H", "#define PB_AUTOCONF_H"]
for s in kc.unique_defined_syms:
    n, v = s.name, s.str_value
    if s.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        on = v in ("y", "m")
        if on:
            out.append("#define CONFIG_%s 1" % n)
        out.append("#define ENABLE_%s %d" % (n, on))
        out.append("#define IF_%s(...) %s" % (n, "__VA_ARGS__" if on else ""))
        out.append("#define IF_NOT_%s(...) %s" % (n, "" if on else "__VA_ARGS__"))
    elif s.orig_type == kconfiglib.STRING:
        out.append('#define CONFIG_%s "%s"' % (n, kconfiglib.escape(v)))
    elif s.orig_type in (kconfiglib.INT, kconfiglib.HEX):
        out.append("#define CONFIG_%s %s" % (n, v or "0"))
out.append("#endif")
text = "\n".join(out) + "\n"
try:
    old = open(sys.argv[3]).read()
except OSError:
    old = None
if old != text:
    with open(sys.argv[3], "w") as f:
        f.write(text)
