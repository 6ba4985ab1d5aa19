# deps.sh - scripts/deps.sh on the unpacked TLS sources, offline: the version checks, the
# mbedTLS RSA-PSS defect found (or not) in the source text, and --version naming the library
# (release variant only; copies of the real trees are edited into each state)
. tests/lib.sh
. "$T_DIR/env"
[ "$PROBEBOX" = "$PWD/build/probebox" ] || return 0
M=build/mbedtls-src B=build/bearssl-src
if [ ! -f "$M/library/ssl_misc.h" ] || [ ! -f "$B/inc/probebox_bearssl_version.h" ]; then
	t_skip "deps.sh on the unpacked trees" "no $M or $B (built with MBEDTLS_SRC/BEARSSL_SRC?)"
	return 0
fi
W=$T_DIR/deps
PREP="sh scripts/deps.sh prepare"

mcopy() {	# DIR: the files of build/mbedtls-src that prepare reads
	rm -rf "$1" && mkdir -p "$1/library" "$1/include/mbedtls"
	cp "$M/library/ssl_misc.h" "$M/library/ssl_tls12_client.c" "$1/library/"
	cp "$M/include/mbedtls/build_info.h" "$1/include/mbedtls/"
}

# the tree as Debian ships 3.6.6: our fix taken out again
mcopy "$W/defect"
sed -i '/probebox: tls12 pss/,/^#endif/d' "$W/defect/library/ssl_misc.h"
cp "$W/defect/library/ssl_misc.h" "$W/pristine.h"
t_run "a tree with the RSA-PSS defect: found and fixed" 0 "rejects rsa_pss_rsae_\* in TLS 1.2 .*fixed" \
	$PREP mbedtls "$W/defect"
t_run "the fixed text is the one we build" 0 "" cmp "$W/defect/library/ssl_misc.h" "$M/library/ssl_misc.h"
t_run "prepare again: nothing to do" 0 "already carries our fix" $PREP mbedtls "$W/defect"
t_run "the unpacked version is logged" 0 "the unpacked tree is version 3\.6\.[0-9]+$" $PREP mbedtls "$W/defect"

# upstream's fix, in either function of that path, without our marker: left alone
mcopy "$W/fixed1"
sed -i '/probebox: tls12 pss/d' "$W/fixed1/library/ssl_misc.h"
cp "$W/fixed1/library/ssl_misc.h" "$W/fixed1.h"
t_run "a tree that accepts rsa_pss_rsae_* (ssl_misc.h): left alone" 0 "accepts rsa_pss_rsae_\* already.*left alone" \
	$PREP mbedtls "$W/fixed1"
t_run "... and unchanged" 0 "" cmp "$W/fixed1/library/ssl_misc.h" "$W/fixed1.h"
mcopy "$W/fixed2"
cp "$W/pristine.h" "$W/fixed2/library/ssl_misc.h"
sed -i 's/^\(    if (!mbedtls_ssl_sig_alg_is_supported(ssl, sig_alg)\)) {$/\1 \&\&\n        sig_alg != MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256) {/' \
	"$W/fixed2/library/ssl_tls12_client.c"
if grep -q 'sig_alg != MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256' "$W/fixed2/library/ssl_tls12_client.c"; then
	t_run "a tree that accepts rsa_pss_rsae_* (ssl_tls12_client.c): left alone" 0 "accepts rsa_pss_rsae_\* already.*left alone" \
		$PREP mbedtls "$W/fixed2"
	t_run "... and unchanged" 0 "" cmp "$W/fixed2/library/ssl_misc.h" "$W/pristine.h"
else
	t_fail "synthesize a fix in ssl_parse_signature_algorithm" "the line to edit was not found"
fi

# a check of a shape we do not know: left alone, and the log says so
mcopy "$W/unknown"
cp "$W/pristine.h" "$W/unknown/library/ssl_misc.h"
sed -i 's/mbedtls_ssl_sig_alg_is_supported(ssl, sig_alg)/ssl_check_sig_alg(ssl, sig_alg)/' \
	"$W/unknown/library/ssl_tls12_client.c"
t_run "a tree of another shape: left alone, and said so" 0 "neither the known defect nor a known fix found" \
	$PREP mbedtls "$W/unknown"
t_run "... and unchanged" 0 "" cmp "$W/unknown/library/ssl_misc.h" "$W/pristine.h"

# another series is refused, with what to do
for v in 3.5.2 4.0.0; do
	mcopy "$W/v$v"
	sed -i "s/^#define MBEDTLS_VERSION_STRING .*/#define MBEDTLS_VERSION_STRING         \"$v\"/" \
		"$W/v$v/include/mbedtls/build_info.h"
	t_run "mbedTLS $v is refused" 1 "is version $v, but probebox is written for mbedtls 3\.6\.x.*MBEDTLS_SRC=DIR" \
		$PREP mbedtls "$W/v$v"
done
mkdir -p "$W/bearssl/inc" "$W/bearssl07/inc"
cp "$B/inc/probebox_bearssl_version.h" "$W/bearssl/inc/"
t_run "BearSSL 0.6: accepted" 0 "bearssl: the unpacked tree is version 0\.6" $PREP bearssl "$W/bearssl"
sed 's/"0\.6[^"]*"/"0.7"/' "$B/inc/probebox_bearssl_version.h" > "$W/bearssl07/inc/probebox_bearssl_version.h"
t_run "BearSSL 0.7: refused" 1 "is version 0\.7, but probebox is written for bearssl 0\.6\.x" $PREP bearssl "$W/bearssl07"

# --version names the library as its unpacked tree states it
mv=$(sed -n 's/^#define MBEDTLS_VERSION_STRING[ \t]*"\(.*\)".*/\1/p' "$M/include/mbedtls/build_info.h")
bv=$(sed -n 's/^#define PROBEBOX_BEARSSL_VERSION[ \t]*"\(.*\)".*/\1/p' "$B/inc/probebox_bearssl_version.h")
t_run "--version names mbedTLS $mv" 0 "^probebox [0-9.]+ \(TLS: mbedTLS $mv\)$" "$PROBEBOX" --version
t_run "the BearSSL build's --version names BearSSL $bv" 0 "^probebox [0-9.]+ \(TLS: BearSSL $bv\)$" \
	build/bearssl/probebox --version
