#!/bin/sh
# deps.sh - install build tools and fetch the TLS libraries from Debian's source packages
#
#   deps.sh tools            install the build tools that are missing (apt-get, root only)
#   deps.sh testtools        install the packages the integration tests need
#   deps.sh fuzztools        install clang and its libFuzzer runtime (make fuzz)
#   deps.sh src NAME DIR     fetch, verify and unpack NAME (mbedtls | bearssl) into DIR
#
# Sources come through a private apt configuration (deb-src entries derived from this
# machine's own sources, lists under build/apt), so the machine's apt setup is untouched.
# The upstream tarballs are pinned by SHA-256: if the archive moves on, this fails loudly.
set -eu

MBEDTLS_ORIG=mbedtls_3.6.6.orig.tar.bz2
MBEDTLS_SHA=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
BEARSSL_ORIG=bearssl_0.6+dfsg.1.orig.tar.xz
BEARSSL_SHA=102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004
# mbedTLS 3.6 LTS comes from trixie (Debian 13); bookworm has only 2.28 (no TLS 1.3).
# BearSSL 0.6 comes from bookworm (the same orig tarball as trixie's).
MBEDTLS_SUITE=trixie
BEARSSL_SUITE=bookworm

die() { echo "deps: $*" >&2; exit 1; }

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

# mbedTLS 3.6.6 defect: a TLS 1.2+1.3 client that meets a TLS-1.2-only server with an RSA
# certificate signing ServerKeyExchange with rsa_pss_rsae_* (OpenSSL's choice) aborts with
# -0x6600 (ILLEGAL_PARAMETER), because mbedtls_ssl_tls12_sig_alg_is_supported() rejects the
# PSS code points it itself offered. Fixed upstream after 3.6.6 (Mbed TLS PR 10672, backport
# 10674). Our fix: accept those code points when RSASSA-PSS support is compiled in.
patch_mbedtls() {
	f=$1/library/ssl_misc.h
	grep -q 'probebox: tls12 pss' "$f" && return 0
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
	END { if (!done) exit 1 }' "$f" > "$f.new" || die "mbedtls: cannot apply the TLS 1.2 RSA-PSS fix to $f"
	mv "$f.new" "$f"
}

fetch_src() {	# NAME DIR
	name=$1 dest=$2
	case $name in
	mbedtls) orig=$MBEDTLS_ORIG sha=$MBEDTLS_SHA suite=$MBEDTLS_SUITE ;;
	bearssl) orig=$BEARSSL_ORIG sha=$BEARSSL_SHA suite=$BEARSSL_SUITE ;;
	*) die "unknown source $name" ;;
	esac
	top=$(cd "$(dirname "$0")/.." && pwd)
	A=$top/build/apt/$suite
	mkdir -p "$A/dl"
	if [ ! -f "$A/dl/$orig" ]; then
		mk_srclist "$A" "$suite"
		APTO="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$A/src.d \
-o Dir::State::Lists=$A/lists -o Dir::Cache=$A/cache -o APT::Sandbox::User=root"
		if [ ! -f "$A/lists/.updated" ]; then
			# shellcheck disable=SC2086
			apt-get $APTO update -q >"$A/update.log" 2>&1 || { cat "$A/update.log" >&2; die "apt-get update (deb-src $suite) failed"; }
			touch "$A/lists/.updated"
		fi
		# shellcheck disable=SC2086
		(cd "$A/dl" && apt-get $APTO source --download-only "$name" >"$A/$name.log" 2>&1) ||
			{ cat "$A/$name.log" >&2; die "apt-get source $name failed"; }
	fi
	got=$(sha256sum "$A/dl/$orig" | cut -d' ' -f1)
	[ "$got" = "$sha" ] || die "$orig: sha256 $got, expected $sha (update the pin in scripts/deps.sh)"
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
	tar -xf "$A/dl/$orig" -C "$dest.tmp" --strip-components=1
	[ "$name" = mbedtls ] && patch_mbedtls "$dest.tmp"
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	echo "deps: $name unpacked in $dest" >&2
}

case ${1:-} in
tools)
	apt_install make musl-tools python3-kconfiglib xz-utils bzip2 ca-certificates openssl
	;;
testtools)
	apt_install make musl-tools python3-kconfiglib xz-utils bzip2 ca-certificates \
		gcc libc6-dev openssl nginx-light libnginx-mod-http-echo tinyproxy lighttpd iproute2 \
		prometheus
	;;
benchtools)
	apt_install valgrind openssl
	;;
fuzztools)
	apt_install clang libclang-rt-14-dev
	;;
src)
	[ $# = 3 ] || die "usage: deps.sh src NAME DIR"
	fetch_src "$2" "$3"
	;;
*)
	die "usage: deps.sh tools | testtools | fuzztools | src NAME DIR"
	;;
esac
