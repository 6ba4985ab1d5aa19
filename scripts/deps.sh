#!/bin/sh
# deps.sh - install build tools and fetch the TLS libraries from Debian's source packages
#
#   deps.sh tools            install the build tools that are missing (apt-get, root only)
#   deps.sh testtools        install the packages the integration tests need
#   deps.sh fuzztools        install clang and its libFuzzer runtime (make fuzz)
#   deps.sh src NAME DIR     fetch, verify and unpack NAME (mbedtls | bearssl) into DIR,
#                            then prepare it
#   deps.sh prepare NAME DIR check an unpacked tree's version and fix its known defects
#                            (what src does after unpacking; never touches the network)
#
# Sources come through a private apt configuration (deb-src entries derived from this
# machine's own sources, lists under build/apt), so the machine's apt setup is untouched.
# apt verifies what it fetches (the signed Release, the Sources index, the .dsc checksums),
# so the archive's current release of the series we support is taken: when Debian moves on
# to a new patch release, the build follows. Another series is refused. The tarball we
# reviewed is named below; another one is reported in the log, not refused. The download
# is kept in build/apt and used again; remove build/apt to take the archive's newest.
set -eu

# mbedTLS 3.6 LTS comes from trixie (Debian 13); bookworm has only 2.28 (no TLS 1.3).
# BearSSL 0.6 comes from bookworm (the same orig tarball as trixie's).
MBEDTLS_SUITE=trixie
MBEDTLS_SERIES=3.6
MBEDTLS_REVIEWED="mbedtls_3.6.6.orig.tar.bz2 8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a"
BEARSSL_SUITE=bookworm
BEARSSL_SERIES=0.6
BEARSSL_REVIEWED="bearssl_0.6+dfsg.1.orig.tar.xz 102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004"
# BearSSL's sources carry no version; src writes the tarball's (its top directory,
# bearssl-0.6/) into this header of the tree, which tls/tls_bearssl.c prints
BEARSSL_VERSION_H=inc/probebox_bearssl_version.h

die() { echo "deps: $*" >&2; exit 1; }
say() { echo "deps: $*" >&2; }

missing() {	# print the packages of "$@" that dpkg does not have installed
	for p; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"
	done
}

apt_install() {
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages: $need (run as root, or install them)"
	echo "deps: installing" $need >&2
	export DEBIAN_FRONTEND=noninteractive
	# a fresh machine has empty lists; refresh once per run of this script
	apt-get update -q >/dev/null || die "apt-get update failed"
	# keep package scripts from starting nginx, lighttpd, tinyproxy on their default ports
	rcd=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && rcd=1
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $need >/dev/null || { [ -n "$rcd" ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install $need failed"; }
	[ -n "$rcd" ] && rm -f /usr/sbin/policy-rc.d
	return 0
}

# deb-src entries for $SUITE, made from the machine's own deb entries (no mirror named here)
mk_srclist() {	# DIR SUITE
	d=$1 SUITE=$2
	mkdir -p "$d/src.d" "$d/lists/partial" "$d/cache/archives/partial"
	rm -f "$d/src.d/"*
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -e 's/^Types:.*/Types: deb-src/' -e "s/\(bookworm\|trixie\)/$SUITE/g" \
			/etc/apt/sources.list.d/debian.sources > "$d/src.d/src.sources"
	fi
	if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
		sed -n -e "s/\(bookworm\|trixie\)/$SUITE/g" -e 's/^deb /deb-src /p' \
			/etc/apt/sources.list > "$d/src.d/src.list"
	fi
	ls "$d/src.d/"* >/dev/null 2>&1 || die "no Debian apt sources found to derive deb-src entries from"
}

in_series() {	# NAME VERSION WHERE: refuse a version outside the series we support
	case $1 in
	mbedtls) series=$MBEDTLS_SERIES var=MBEDTLS_SRC ;;
	bearssl) series=$BEARSSL_SERIES var=BEARSSL_SRC ;;
	esac
	case $2 in
	"$series" | "$series".*) ;;
	*) die "$1: $3 is version $2, but probebox is written for $1 $series.x (tls/ and its config);" \
		"refusing it. Build against a $series.x tree with $var=DIR, or port probebox to $2" ;;
	esac
}

tree_version() {	# NAME DIR: the version the unpacked tree states
	case $1 in
	mbedtls) f=$2/include/mbedtls/build_info.h
		[ -f "$f" ] || die "mbedtls: $f missing: not an mbedTLS 3.x tree"
		sed -n 's/^#define MBEDTLS_VERSION_STRING[ \t]*"\(.*\)".*/\1/p' "$f" ;;
	bearssl) f=$2/$BEARSSL_VERSION_H
		[ -f "$f" ] || die "bearssl: $f missing (deps.sh src writes it from the tarball)"
		sed -n 's/^#define PROBEBOX_BEARSSL_VERSION[ \t]*"\(.*\)".*/\1/p' "$f" ;;
	esac
}

# the text of C function NAME in FILE, from the line that defines it ("static ... NAME(",
# not a prototype) to its closing "}" in column 0; empty if there is none
fn_text() {	# FILE NAME
	awk -v fn="$2" '
	!infn && index($0, fn "(") && $0 ~ /^static / { infn = 1; body = 0; t = "" }
	infn { t = t $0 "\n"; if (/\{/) body = 1 }
	infn && !body && /;[ \t]*$/ { infn = 0 }	# a prototype
	infn && body && /^\}/ { printf "%s", t; exit }' "$1"
}

# mbedTLS 3.6.6 defect: a TLS 1.2+1.3 client that meets a TLS-1.2-only server with an RSA
# certificate signing ServerKeyExchange with rsa_pss_rsae_* (OpenSSL's choice) aborts with
# -0x6600 (ILLEGAL_PARAMETER): ssl_parse_signature_algorithm() checks the server's choice with
# mbedtls_ssl_sig_alg_is_supported(), whose TLS 1.2 half, mbedtls_ssl_tls12_sig_alg_is_supported(),
# rejects the PSS code points the client itself offered. Fixed upstream after 3.6.6 (Mbed TLS
# PR 10672, backport 10674). Our fix: accept those code points when RSASSA-PSS support is
# compiled in. The source text decides, not the version: a tree whose check names the PSS
# code points (upstream's fix, wherever in that path it lands) is left alone.
fix_mbedtls() {	# DIR
	h=$1/library/ssl_misc.h c=$1/library/ssl_tls12_client.c
	[ -f "$h" ] && [ -f "$c" ] || die "mbedtls: $1/library lacks ssl_misc.h or ssl_tls12_client.c"
	if grep -q 'probebox: tls12 pss' "$h"; then
		say "mbedtls: TLS 1.2 RSA-PSS: the tree already carries our fix"
		return 0
	fi
	# the path: parse -> dispatch (sig_alg_is_supported) -> its TLS 1.2 half
	parse=$(fn_text "$c" ssl_parse_signature_algorithm)
	dispatch=$(fn_text "$h" mbedtls_ssl_sig_alg_is_supported)
	tls12=$(fn_text "$h" mbedtls_ssl_tls12_sig_alg_is_supported)
	if printf '%s\n' "$parse$dispatch$tls12" | grep -qi 'rsa_pss_rsae'; then
		say "mbedtls: TLS 1.2 RSA-PSS: the tree accepts rsa_pss_rsae_* already (upstream's fix); left alone"
		return 0
	fi
	if [ -z "$tls12" ] || ! printf '%s\n' "$parse" | grep -q 'mbedtls_ssl_sig_alg_is_supported(' ||
		! printf '%s\n' "$dispatch" | grep -q 'return mbedtls_ssl_tls12_sig_alg_is_supported('; then
		say "mbedtls: TLS 1.2 RSA-PSS: neither the known defect nor a known fix found in $1/library;" \
			"left alone (tests/integration/tls.sh's RSA TLS 1.2 server tells whether it works)"
		return 0
	fi
	awk '
	/^static inline int mbedtls_ssl_tls12_sig_alg_is_supported\(/ { infn = 1 }
	{ print }
	infn && /unsigned char sig = MBEDTLS_BYTE_0\(sig_alg\);/ {
		print "    /* probebox: tls12 pss (see scripts/deps.sh) */"
		print "#if defined(MBEDTLS_X509_RSASSA_PSS_SUPPORT)"
		print "    if (sig_alg == MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256 ||"
		print "        sig_alg == MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA384 ||"
		print "        sig_alg == MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA512) {"
		print "        return 1;"
		print "    }"
		print "#endif"
		infn = 0; done = 1
	}
	END { if (!done) exit 1 }' "$h" > "$h.new" || { rm -f "$h.new"; die "mbedtls: cannot apply the TLS 1.2 RSA-PSS fix to $h"; }
	mv "$h.new" "$h"
	say "mbedtls: TLS 1.2 RSA-PSS: the tree rejects rsa_pss_rsae_* in TLS 1.2 (the 3.6.6 defect); fixed in library/ssl_misc.h"
}

prepare() {	# NAME DIR
	v=$(tree_version "$1" "$2")
	[ -n "$v" ] || die "$1: no version found in $2"
	in_series "$1" "$v" "the tree in $2"
	say "$1: the unpacked tree is version $v"
	if [ "$1" = mbedtls ]; then fix_mbedtls "$2"; fi
}

find_dsc() {	# DIR NAME: the first NAME_*.dsc in DIR, or nothing
	for f in "$1/$2_"*.dsc; do
		[ -f "$f" ] && echo "$f" && return 0
	done
	return 0
}

# the orig tarball named in a .dsc, and its SHA-256 there
dsc_orig() {	# DSC: prints "SHA256 FILE"
	awk '/^Checksums-Sha256:/ { s = 1; next } /^[^ ]/ { s = 0 }
	s && $3 ~ /\.orig\.tar\.[a-z0-9]+$/ { print $1, $3; exit }' "$1"
}

fetch_src() {	# NAME DIR
	name=$1 dest=$2
	case $name in
	mbedtls) suite=$MBEDTLS_SUITE reviewed=$MBEDTLS_REVIEWED ;;
	bearssl) suite=$BEARSSL_SUITE reviewed=$BEARSSL_REVIEWED ;;
	*) die "unknown source $name" ;;
	esac
	top=$(cd "$(dirname "$0")/.." && pwd)
	A=$top/build/apt/$suite
	mkdir -p "$A/dl"
	dsc=$(find_dsc "$A/dl" "$name")
	if [ -z "$dsc" ]; then
		rm -f "$A/dl/"*
		mk_srclist "$A" "$suite"
		APTO="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$A/src.d \
-o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache -o APT::Sandbox::User=root"
		# fresh lists every time we download: old ones name files the archive has dropped
		# shellcheck disable=SC2086
		apt-get $APTO update -q >"$A/update.log" 2>&1 || { cat "$A/update.log" >&2; die "apt-get update (deb-src $suite) failed"; }
		# shellcheck disable=SC2086
		(cd "$A/dl" && apt-get $APTO source --download-only "$name" >"$A/$name.log" 2>&1) ||
			{ cat "$A/$name.log" >&2; die "apt-get source $name failed"; }
		dsc=$(find_dsc "$A/dl" "$name")
		[ -n "$dsc" ] || die "apt-get source $name left no .dsc in $A/dl"
	fi
	deb=$(sed -n 's/^Version: *//p' "$dsc")
	up=${deb#*:}
	up=${up%-*}
	up=${up%%+*}
	in_series "$name" "$up" "$suite's source package ($deb)"
	line=$(dsc_orig "$dsc")
	sha=${line%% *} orig=${line#* }
	[ -n "$line" ] && [ -f "$A/dl/$orig" ] || die "$dsc names no orig tarball that was downloaded"
	# apt checked the download against the .dsc; this catches a cache damaged since
	got=$(sha256sum "$A/dl/$orig" | cut -d' ' -f1)
	[ "$got" = "$sha" ] || die "$A/dl/$orig: sha256 $got, but its .dsc says $sha (remove build/apt and retry)"
	if [ "$orig $got" = "$reviewed" ]; then
		note="matches the reviewed tarball"
	else
		note="differs from the reviewed ${reviewed%% *} (sha256 ${reviewed#* }): not reviewed, built anyway"
	fi
	say "$name $up from $suite (Debian $deb): $orig, sha256 $got, $note"
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
	# -m: the files are new to make, so the library is rebuilt from a new tree
	tar -xmf "$A/dl/$orig" -C "$dest.tmp" --strip-components=1
	if [ "$name" = bearssl ]; then
		d=$(tar -tf "$A/dl/$orig" | head -1)
		d=${d%%/*}
		case $d in bearssl-?*) ;; *) die "$orig: top directory $d is not bearssl-VERSION" ;; esac
		printf '/* written by scripts/deps.sh from the tarball: %s/ */\n#define PROBEBOX_BEARSSL_VERSION "%s"\n' \
			"$d" "${d#bearssl-}" > "$dest.tmp/$BEARSSL_VERSION_H"
	fi
	prepare "$name" "$dest.tmp"
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	say "$name unpacked in $dest"
}

case ${1:-} in
tools)
	apt_install make musl-tools python3-kconfiglib xz-utils bzip2 ca-certificates openssl
	;;
testtools)
	apt_install make musl-tools python3-kconfiglib xz-utils bzip2 ca-certificates \
		gcc libc6-dev openssl nginx-light libnginx-mod-http-echo tinyproxy lighttpd iproute2 \
		prometheus redis-server memcached python3-aiosmtpd rabbitmq-server postgresql-15 supervisor \
		python3-grpcio dnsmasq-base python3-yaml time valgrind
	;;
benchtools)
	apt_install valgrind openssl musl-tools ca-certificates busybox-static netcat-openbsd monitoring-plugins-basic \
		curl python3 redis-tools postgresql-client nginx-light redis-server postgresql-15
	;;
fuzztools)
	apt_install clang libclang-rt-14-dev
	;;
src)
	[ $# = 3 ] || die "usage: deps.sh src NAME DIR"
	fetch_src "$2" "$3"
	;;
prepare)
	[ $# = 3 ] && { [ "$2" = mbedtls ] || [ "$2" = bearssl ]; } || die "usage: deps.sh prepare mbedtls|bearssl DIR"
	prepare "$2" "$3"
	;;
*)
	die "usage: deps.sh tools | testtools | fuzztools | src NAME DIR | prepare NAME DIR"
	;;
esac
