#!/bin/sh
# mkcerts.sh DIR - test PKI: a CA, leaves (valid, expired, not yet valid, wrong host),
# a self-signed leaf, client certificates (EC and RSA), and RSA variants of the valid leaf.
# openssl x509 -req cannot back-date, so leaves are issued with `openssl ca`.
set -eu
D=$1
mkdir -p "$D"
cd "$D"
[ -f .done ] && exit 0
newkey() {	# FILE [rsa]
	if [ "${2:-ec}" = ec ]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
	fi
}
mkdir -p ca.db
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = ./ca.db
database = ./ca.db/index.txt
serial = ./ca.db/serial
new_certs_dir = ./ca.db
certificate = ./ca.crt
private_key = ./ca.key
default_md = sha256
policy = pol
unique_subject = no
copy_extensions = copy
email_in_dn = no
[ pol ]
commonName = supplied
organizationName = optional
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
newkey ca.key
openssl req -x509 -new -key ca.key -sha256 -days 7300 -subj "/O=probebox tests/CN=Test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out ca.crt 2>/dev/null
leaf() {	# NAME CN SAN START END [rsa]
	newkey "$1.key" "${6:-ec}"
	openssl req -new -key "$1.key" -subj "/O=probebox tests/CN=$2" -addext "subjectAltName=$3" \
		-out "$1.csr" 2>/dev/null
	openssl ca -batch -config ca.cnf -extensions leaf -notext -startdate "$4" -enddate "$5" \
		-in "$1.csr" -out "$1.crt" 2>/dev/null
	cat "$1.crt" ca.crt > "$1.chain.crt"
}
SAN="DNS:localhost,IP:127.0.0.1,IP:::1"
leaf valid localhost "$SAN" 20200101000000Z 20491231235959Z
leaf rsa localhost "$SAN" 20200101000000Z 20491231235959Z rsa
leaf expired localhost "$SAN" 20200101000000Z 20200201000000Z
leaf future localhost "$SAN" 20450101000000Z 20491231235959Z
leaf wronghost wrong.example "DNS:wrong.example" 20200101000000Z 20491231235959Z
leaf client probebox-client "DNS:probebox-client" 20200101000000Z 20491231235959Z
leaf clientrsa probebox-client "DNS:probebox-client" 20200101000000Z 20491231235959Z rsa
newkey selfsigned.key
openssl req -x509 -new -key selfsigned.key -sha256 -days 7300 -subj "/CN=localhost" \
	-addext "subjectAltName=$SAN" -addext "basicConstraints=critical,CA:FALSE" \
	-out selfsigned.crt 2>/dev/null
rm -f ./*.csr
chmod 644 ./*.key ./*.crt
touch .done
