/* mbedtls_config.h - probebox's reviewed mbedTLS 3.6 configuration: a TLS 1.2 + 1.3 client
 *
 * Passed in with -DMBEDTLS_CONFIG_FILE; the library and our tls_mbedtls.c are compiled with
 * it (struct layouts depend on it). Every option has a reason; anything not here is off.
 * In 3.x this header must not include check_config.h: build_info.h does.
 */
#ifndef PROBEBOX_MBEDTLS_CONFIG_H
#define PROBEBOX_MBEDTLS_CONFIG_H

/* System: musl provides time(), gmtime_r() and getrandom() (the entropy source below). */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE          /* without it certificate validity is never checked */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_DEPRECATED_REMOVED

/* Symmetric: the AEAD suites that every current server offers. */
#define MBEDTLS_AES_C
#define MBEDTLS_AESNI_C                 /* runtime-detected, falls back to software */
#define MBEDTLS_AES_ROM_TABLES          /* tables in .rodata, not built in .bss at run time */
#define MBEDTLS_AES_FEWER_TABLES        /* -6 KB; a probe does a few KB of bulk crypto */
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C

/* Hashes: SHA-256 and SHA-384/512 cover every suite and certificate signature we accept.
 * MD5 and SHA-1 are here for lib/hash.h only (HTTP Digest, PostgreSQL md5, SCRAM-SHA-1):
 * no suite uses them, the TLS 1.2 signature_algorithms we offer and the X.509 default
 * profile still exclude them, so a SHA-1-signed certificate is rejected as before.
 * Measured: +7 kB in every binary (the md and PSA dispatch link each hash enabled, and
 * mbedTLS unrolls SHA-1 (4.7 kB) and MD5 (1.9 kB)); our own would be ~1 kB, but then a TLS
 * build would carry two implementations of the hash layer. */
#define MBEDTLS_MD_C
#define MBEDTLS_MD5_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_PKCS5_C                 /* PBKDF2 for SCRAM (RFC 8018) */
#define MBEDTLS_SHA224_C                /* mbedTLS ties SHA-224 to SHA-256's code */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
/* the rolled loops: -3.0 kB, and no more instructions a check (docs/tls-tuning.md) */
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_HKDF_C                  /* TLS 1.3 key schedule */

/* Public key. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_MPI_MAX_SIZE 1024       /* RSA up to 8192 bits: some CAs and private PKIs use 4096+ */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21               /* RSA-PSS: TLS 1.3 with RSA certificates requires it */
#define MBEDTLS_ECP_C
/* Speed against bytes, measured (docs/tls-tuning.md): the NIST fast reduction costs 3 kB
 * and halves the instructions of a check; the fixed-point tables of the generators
 * (MBEDTLS_ECP_FIXED_POINT_OPTIM, on by default) cost 7.7 kB for 20 % of them. */
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
/* P-521 is off (-8.8 kB): no public CA issues P-521 keys or signatures; a server that
 * offers only P-521 fails the handshake with a clear error */
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECDH_C
/* ECDSA signs (client certificates with EC keys) with a random nonce from the CTR-DRBG:
 * deterministic ECDSA (RFC 6979) and its HMAC-DRBG are off (-1.2 kB) */
#define MBEDTLS_ECDSA_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C              /* PSA import of RSA keys goes through the writer */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C

/* X.509: parse and verify server chains; PEM for CA bundles. FS_IO stays off: we read the
 * files ourselves with a size bound, and walk CA directories ourselves. */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT /* without it TLS 1.3 + RSA certificate fails (-0x7780) */
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_REMOVE_INFO        /* -1.5 kB: no x509_crt_info() texts; tls_peer_info() is ours */
#define MBEDTLS_BASE64_C
/* CA bundles are looked up per chain, not parsed whole per client: a 146-root system bundle
 * cost 88 M instructions a check to parse (tls_mbedtls.c, ca_lookup) */
#define MBEDTLS_X509_TRUSTED_CERTIFICATE_CALLBACK

/* Randomness: the kernel's getrandom() behind a CTR-DRBG. mbedTLS calls getrandom() itself only
 * under glibc and opens /dev/random elsewhere, which a scratch image or a chroot may lack: our
 * own source (mbedtls_hardware_poll in tls_mbedtls.c) is the only one, and needs no file. */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* Threads: conn-check runs handshakes concurrently, and PSA's key store is process-wide;
 * without these, concurrent TLS 1.3 handshakes corrupt it (seen as a double free). */
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD

/* PSA: TLS 1.3 in 3.6 runs its key schedule through PSA; the app calls psa_crypto_init(). */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_KEY_STORE_DYNAMIC

/* TLS: client only, 1.2 and 1.3. */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE   /* middleboxes drop "pure" TLS 1.3 */
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE       /* the probe reports the peer's certificate */
/* Never below 16 KB in: we talk to servers we do not control, which send full records. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
/* Requests are small; 4 KB out saves 12 KB per connection. */
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

#define MBEDTLS_SSL_CIPHERSUITES \
	MBEDTLS_TLS1_3_AES_128_GCM_SHA256, \
	MBEDTLS_TLS1_3_AES_256_GCM_SHA384, \
	MBEDTLS_TLS1_3_CHACHA20_POLY1305_SHA256, \
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, \
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, \
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, \
	MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256

/* Deliberately off: NET_C (we own the sockets), FS_IO, ERROR_C (tls_mbedtls.c names the
 * errors a probe meets), DEBUG_C, TLS < 1.2, CBC (so ENCRYPT_THEN_MAC too), renegotiation,
 * session tickets, MAX_FRAGMENT_LENGTH (we take full 16 kB records anyway), P-521,
 * deterministic ECDSA, servers. */

#endif
