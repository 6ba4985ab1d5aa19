# packaging.sh - packaging/: a FROM-scratch root run with chroot (the binary, its links and a
# CA file, nothing else: plain and TLS checks, the Dockerfile's HEALTHCHECK), make install
# DESTDIR=, the Kubernetes examples' command lines against real servers, the OpenWrt
# package's option map and install recipe (through stand-ins for OpenWrt's make includes).
. tests/lib.sh
. "$T_DIR/env"
P=$PROBEBOX
Y=$(mktemp -d "$T_DIR/pack.XXXXXX")
has() { $P --list | grep -qx "$1"; }
case $($P --version) in *"TLS: none"*) TLS= ;; *) TLS=1 ;; esac
# the release build of each configuration (not the ASan builds: the same code, dynamic)
case $P in */asan/*) REL= ;; *) REL=1 ;; esac
# an HTTP service that answers 200 to any request (the examples' /healthz and /ready)
[ -n "${K_APP:-}" ] || t_tserve K_APP recvhdr 'send:HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n' close

# what the examples name, mapped to the suite's servers: the application's port, its TLS
# name and port, the sidecar's port, the CA file
subst() {
	sed -e "s|127\.0\.0\.1:8080|127.0.0.1:$K_APP|g" -e "s|api\.internal:8443/healthz|localhost:$H_HTTPS/health|g" \
		-e "s|api\.internal:8443|localhost:$H_HTTPS|g" \
		-e "s|127\.0\.0\.1:8443|127.0.0.1:$H_HTTPS|g" -e "s| 6379 | $P_FTP |" \
		-e "s|/etc/probebox/ca\.crt|$CERTS/ca.crt|g"
}

# --- a scratch root: only the binary, its links and the CA bundle ------------------------------
R=$Y/root
CHROOT=$(command -v chroot)
why=
if [ -z "$REL" ]; then why="the ASan build is linked dynamically: a scratch root holds a static binary"
elif [ "$(id -u)" != 0 ]; then why="chroot needs root"
elif [ -z "$CHROOT" ]; then why="no chroot command"
elif readelf -l "$P" | grep -q INTERP; then why="$P is not static"
fi
if [ -z "$why" ]; then
	mkdir -p "$R/etc/ssl/certs"
	cp "$P" "$R/probebox"
	for a in $($P --list); do ln -s probebox "$R/$a"; done
	cp "$CERTS/ca.crt" "$R/etc/ssl/certs/ca-certificates.crt"
	# no /dev, /proc, /etc/hosts, resolv.conf, passwd, libc, shell; an empty environment
	CH="env -i $CHROOT $R"
	$CH /probebox --version >/dev/null 2>&1 || why="chroot into $R is not permitted here"
fi
if [ -n "$why" ]; then
	t_skip "scratch root" "$why"
else
	want=$( (echo probebox; $P --list; echo etc; echo etc/ssl; echo etc/ssl/certs
		echo etc/ssl/certs/ca-certificates.crt) | LC_ALL=C sort)
	t_out "the root holds the binary, its links and the CA file only" 0 "$want" \
		sh -c "cd '$R' && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort"
	if has check-tcp; then
		t_run "scratch: check-tcp through its link" 0 "^TCP OK" $CH /check-tcp -H 127.0.0.1 -p "$P_FTP"
		t_run "scratch: localhost without /etc/hosts" 0 "^TCP OK" $CH /check-tcp -H localhost -p "$P_FTP"
		t_run "scratch: a refused port is CRITICAL" 2 "^TCP CRITICAL" $CH /check-tcp -H 127.0.0.1 -p "$P_CLOSED"
	fi
	if has check-http; then
		t_run "scratch: plain HTTP" 0 "^HTTP OK: HTTP/1.1 200 OK" $CH /check-http -u "http://127.0.0.1:$H_HTTP/health"
		t_out "scratch: configured by the environment only" 0 "" env -i PROBEBOX_CHECK_HTTP_URL="http://localhost:$H_HTTP/health" \
			PROBEBOX_CHECK_HTTP_QUIET=1 "$CHROOT" "$R" /probebox check-http
	fi
	if [ -n "$TLS" ]; then
		# randomness: both backends ask the kernel's getrandom(), so a root without /dev works
		if has check-http; then set -- /check-http -u "https://localhost:$H_HTTPS/health"
		else set -- /check-tcp -S -H localhost -p "$T_VALID"; fi
		t_exec $CH "$@"
		if [ "$T_RC" = 0 ]; then t_ok "scratch: TLS without /dev"; else t_fail "scratch: TLS without /dev" "exit $T_RC: $T_OUT"; fi
	fi
	if [ -n "$TLS" ] && has check-http; then
		# the test CA is the only CA there is: verification uses the bundle's default path
		t_run "scratch: HTTPS verified against the image's CA file" 0 "^HTTP OK: HTTP/1.1 200 OK" \
			$CH /check-http -u "https://localhost:$H_HTTPS/health"
		t_run "scratch: a certificate of another CA fails" 2 "^HTTP CRITICAL.*(certificate|verif)" \
			$CH /check-http -u "https://localhost:$H_SELFSIGNED/"
	fi
	if [ -n "$TLS" ] && has check-tcp; then
		t_run "scratch: check-tcp -S" 0 "^TCP OK" $CH /check-tcp -S -H localhost -p "$T_VALID"
	fi
	if [ -n "$TLS" ]; then
		# what the root needs for TLS: without the CA file the check says so (UNKNOWN)
		mv "$R/etc" "$Y/etc.moved"
		t_run "scratch: no CA file: UNKNOWN, and why" 3 "CA (file|directory|store)" $CH "$@"
		mv "$Y/etc.moved" "$R/etc"
	fi
	# the Dockerfile's HEALTHCHECK, its exec-form argv as Docker runs it, on the suite's server
	hc=$(/usr/bin/python3 - packaging/docker/Dockerfile <<'PY'
import json, shlex, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
hc = [l for l in text.splitlines() if l.startswith("HEALTHCHECK")][-1]
argv = json.loads(hc[hc.index(" CMD ") + 5:].strip())
print(" ".join(shlex.quote(a) for a in argv))
PY
)
	eval "set -- $(printf '%s\n' "$hc" | subst)"
	if has "$2"; then
		t_out "scratch: the Dockerfile's HEALTHCHECK passes, quiet" 0 "" $CH "$@"
	else
		t_skip "scratch: the Dockerfile's HEALTHCHECK" "$2 is not in this build"
	fi
fi

# --- make install DESTDIR= PREFIX=/usr, then an applet through its link ------------------------
case $P in
"$PWD/build/probebox") MC= ;;
"$PWD"/build/*/asan/probebox | "$PWD"/build/asan/probebox) MC=- ;;
"$PWD"/build/*/probebox) MC=${P#"$PWD"/build/}; MC=${MC%/probebox} ;;
*) MC=- ;;
esac
if [ "$MC" = - ]; then
	t_skip "make install" "the release builds install; $P is not one"
else
	D=$Y/dest
	t_run "make install DESTDIR= PREFIX=/usr${MC:+ CONFIG=$MC}" 0 "" make -s install CONFIG="$MC" DESTDIR="$D" PREFIX=/usr
	t_out "every applet has its link" 0 "$($P --list | LC_ALL=C sort)" sh -c "cd '$D/usr/bin' && for a in *; do [ \"\$a\" = probebox ] || [ \"\$(readlink \$a)\" != probebox ] || echo \$a; done | LC_ALL=C sort"
	a=$($P --list | grep -m1 -x 'check-http\|check-tcp' || $P --list | head -1)
	case $a in
	check-http) t_run "installed check-http through its link" 0 "^HTTP OK" "$D/usr/bin/check-http" -u "http://127.0.0.1:$H_HTTP/health" ;;
	check-tcp) t_run "installed check-tcp through its link" 0 "^TCP OK" "$D/usr/bin/check-tcp" -H 127.0.0.1 -p "$P_FTP" ;;
	*) t_run "installed $a through its link" 0 "^usage: $a" "$D/usr/bin/$a" --help ;;
	esac
fi

# --- the Kubernetes examples: every probe's command, with its container's environment ----------
# each line: NAME, the applet, the check's own deadline, the probe's timeoutSeconds, the
# command (quoted)
/usr/bin/python3 - packaging/k8s/*.yaml > "$Y/k8s" <<'PY'
import shlex, sys, yaml
for path in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(path)):
        spec = doc["spec"]
        spec = spec.get("template", {}).get("spec", spec)
        for c in spec["containers"]:
            env = {e["name"]: e["value"] for e in c.get("env", []) if "value" in e}
            for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                if kind not in c:
                    continue
                pr, cmd = c[kind], c[kind]["exec"]["command"]
                applet = cmd[1]
                var = "PROBEBOX_%s_TIMEOUT" % applet.upper().replace("-", "_")
                t = env.get(var)
                for i, a in enumerate(cmd):
                    if a in ("-t", "--timeout"):
                        t = cmd[i + 1]
                argv = ["env"] + ["%s=%s" % kv for kv in env.items()] + cmd
                print("%s %s:%s\t%s\t%s\t%s\t%s" % (path.split("/")[-1], c["name"], kind, applet,
                      t or "", pr.get("timeoutSeconds", 1), " ".join(shlex.quote(a) for a in argv)))
PY
[ -s "$Y/k8s" ] || t_fail "k8s examples read" "no probes found in packaging/k8s/*.yaml"
T=$(printf '\t')
while IFS=$T read -r name ap dl to cmd; do
	if [ -n "$dl" ] && [ "$dl" -gt 0 ] && [ $((dl + 1)) -le "$to" ]; then
		t_ok "$name: deadline ${dl}s a second below timeoutSeconds ${to}"
	else
		t_fail "$name: deadline below timeoutSeconds" "deadline '$dl', timeoutSeconds $to"
	fi
	if ! has "$ap"; then t_skip "$name" "$ap is not in this build"; continue; fi
	# each variable must be one the applet reads (its --help lists them)
	help=$($P "$ap" --help 2>&1)
	pre=PROBEBOX_$(echo "$ap" | tr a-z- A-Z_)_
	bad=
	for v in $(printf '%s\n' "$cmd" | grep -o "${pre}[A-Z_]*" | sort -u); do
		printf '%s\n' "$help" | grep -q "^  $v$T" || bad="$bad $v"
	done
	if [ -z "$bad" ]; then t_ok "$name: every variable is one $ap reads"; else t_fail "$name: variables" "$ap does not read:$bad"; fi
	# TLS: an https URL of this applet's, in its variable or on its command line
	case "$cmd ${cmd#* /probebox }" in *"${pre}URL=https:"* | *" /probebox "*" https:"* | *" /probebox "*" 'https:"*)
		[ -n "$TLS" ] || { t_skip "$name runs" "no TLS in this build"; continue; } ;;
	esac
	eval "set -- $(printf '%s\n' "$cmd" | subst | sed 's| /probebox | "$P" |')"
	t_run "$name runs" 0 "" "$@"
done < "$Y/k8s"

# --- static checks of packaging/: once, with the default release build -------------------------
[ "$P" = "$PWD/build/probebox" ] || return 0
# docker: the final stage is FROM scratch with the binary and the CA bundle only
t_out "Dockerfile ends FROM scratch with /probebox and a CA bundle" 0 "FROM scratch
COPY --from=build /probebox /probebox
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt" \
	sh -c "sed -n '/^FROM scratch/,\$p' packaging/docker/Dockerfile | grep -E '^(FROM|COPY|ADD|RUN)'"
for f in packaging/docker/Dockerfile packaging/docker/Dockerfile.distroless; do
	t_run "${f##*/}: HEALTHCHECK in exec form, our deadline below Docker's" 0 "" /usr/bin/python3 - "$f" <<'PY'
import json, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
hc = [l for l in text.splitlines() if l.startswith("HEALTHCHECK")][-1]
argv = json.loads(hc[hc.index(" CMD ") + 5:].strip())
assert argv[0].endswith("/probebox"), argv
docker = int(hc.split("--timeout=")[1].split("s")[0])
env = dict(w.split("=", 1) for l in text.splitlines() if l.startswith("ENV ") for w in l[4:].split())
ours = argv[argv.index("-t") + 1] if "-t" in argv else env.get("PROBEBOX_CHECK_HTTP_TIMEOUT")
assert ours and int(ours) + 1 < docker, (ours, docker)
PY
done

# openwrt: every package option is one of our symbols, and every applet has an option
OW=packaging/openwrt
syms=$(sed -n 's/^config PROBEBOX_//p' $OW/Config.in)
bad=
for s in $syms; do grep -q "^config $s\$" Kconfig build/gen/Config.* || bad="$bad $s"; done
[ -z "$bad" ] && t_ok "openwrt: every option maps to a Kconfig symbol" || t_fail "openwrt: every option maps to a Kconfig symbol" "not ours:$bad"
miss=
for s in $(sed -n 's/^config \([A-Z0-9_]*\)$/\1/p' build/gen/Config.applets); do
	printf '%s\n' $syms | grep -qx "$s" || miss="$miss $s"
done
[ -z "$miss" ] && t_ok "openwrt: every applet is an option" || t_fail "openwrt: every applet is an option" "missing:$miss"
# the recipes, run through stand-ins for rules.mk and package.mk: the variables and the
# BuildPackage of OpenWrt's that the Makefile uses; the target is this machine's musl
t_out "openwrt: applets.sh lists what --list does" 0 "$($P --list)" sh $OW/applets.sh . .config
if [ -f build/openwrt/.config ]; then
	t_out "openwrt: applets.sh on the openwrt defconfig" 0 "$(build/openwrt/probebox --list)" sh $OW/applets.sh . build/openwrt/.config
else
	t_skip "openwrt: applets.sh on the openwrt defconfig" "build/openwrt is not built"
fi
S=$Y/owrt
mkdir -p "$S/include"
cat > "$S/rules.mk" <<'MK'
INCLUDE_DIR:=$(TOPDIR)/include
BUILD_DIR:=$(TOPDIR)/build_dir
comma:=,
INSTALL_DIR:=install -d -m0755
INSTALL_BIN:=install -m0755
LN:=ln -sf
TARGET_CC:=musl-gcc
TARGET_AR:=gcc-ar
TARGET_CFLAGS:=-Os -pipe
TARGET_CPPFLAGS:=-I$(TOPDIR)/staging_dir/usr/include
TARGET_LDFLAGS:=
MK
cat > "$S/include/package.mk" <<'MK'
PKG_BUILD_DIR:=$(BUILD_DIR)/$(PKG_NAME)-$(PKG_VERSION)
define BuildPackage
prepare:
	$$(call Build/Prepare)
configure:
	$$(call Build/Configure)
compile:
	$$(call Build/Compile)
install:
	$$(call Package/$(1)/install,$$(DEST))
endef
MK
BD=$S/build_dir/probebox-$(sed -n 's/^VERSION := //p' Makefile)
# (Build/Configure asks python3 for kconfiglib: the one the build uses)
OWM="env PATH=/usr/bin:$PATH make -s -C $OW TOPDIR=$S"
if [ -f build/mbedtls-src/library/ssl_tls.c ]; then
	t_run "openwrt: Build/Prepare takes mbedtls's sources in" 0 "mbedtls: the unpacked tree is version 3\\.6\\." \
		$OWM prepare CONFIG_PROBEBOX_TLS_MBEDTLS=y PROBEBOX_MBEDTLS_DIR="$PWD/build/mbedtls-src"
	t_run "openwrt: as probebox's build/mbedtls-src" 0 "" test -f "$BD/build/mbedtls-src/library/ssl_tls.c"
	rm -rf "$BD"
else
	t_skip "openwrt: Build/Prepare takes mbedtls's sources in" "no build/mbedtls-src (MBEDTLS_SRC elsewhere)"
fi
# then a whole package, without TLS (a small, quick build): prepare, configure, compile, install
OWM="$OWM CONFIG_PROBEBOX_CHECK_TCP=y CONFIG_PROBEBOX_CHECK_HTTP=y CONFIG_PROBEBOX_FEATURE_IPV6=y CONFIG_PROBEBOX_TLS_NONE=y"
t_run "openwrt: Build/Prepare copies the tree" 0 "" $OWM prepare
t_run "openwrt: Build/Configure" 0 "" $OWM configure
t_run "openwrt: its .config names real symbols and every applet" 0 "" /usr/bin/python3 scripts/check_defconfigs.py Kconfig "$BD/.config"
t_run "openwrt: the TLS choice is written" 0 "^CONFIG_TLS_NONE=y$" cat "$BD/.config"
T_LIMIT=600 t_run "openwrt: Build/Compile with the target's compiler" 0 "" $OWM compile
t_out "openwrt: the applets it selects" 0 "check-http
check-tcp" cat "$BD/applets.list"
t_run "openwrt: the install recipe, into a fake \$(1)" 0 "" $OWM install DEST="$S/pkg"
t_out "openwrt: the package is the binary and its links" 0 "usr/bin/check-http -> probebox
usr/bin/check-tcp -> probebox
usr/bin/probebox" sh -c "cd '$S/pkg' && find . -mindepth 1 ! -type d | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do if [ -L \"\$f\" ]; then echo \"\$f -> \$(readlink \"\$f\")\"; else echo \"\$f\"; fi; done"
t_run "openwrt: libc is linked shared" 0 "" sh -c "readelf -l '$S/pkg/usr/bin/probebox' | grep -q INTERP"
t_run "openwrt: an applet through the package's link" 0 "^TCP OK" "$S/pkg/usr/bin/check-tcp" -H 127.0.0.1 -p "$P_FTP"
t_run "openwrt: the package's check-http" 0 "^HTTP OK" "$S/pkg/usr/bin/check-http" -u "http://127.0.0.1:$H_HTTP/health"
