#!/bin/sh
# mkchain.sh DIR - a chain of 20 certificates for the zoo: a root (DIR/root.pem), 19
# intermediates, each signing the next, and a leaf for 127.0.0.1 and localhost;
# DIR/chain.pem holds the leaf and the 19 intermediates (what the server sends), DIR/leaf.key.
set -e
d=$1
mkdir -p "$d"
cd "$d"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key root.key
openssl req -x509 -new -key root.key -subj /CN=zoo-root -days 30 -out root.pem \
	-addext basicConstraints=critical,CA:TRUE 2>/dev/null
prev=root
: > inter.pem
i=1
while [ $i -le 19 ]; do
	key ca$i.key
	openssl req -new -key ca$i.key -subj /CN=zoo-ca$i -out ca$i.csr 2>/dev/null
	printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n' > ext
	openssl x509 -req -in ca$i.csr -CA $prev.pem -CAkey $prev.key -CAcreateserial -days 30 \
		-extfile ext -out ca$i.pem 2>/dev/null
	cat ca$i.pem inter.pem > inter.new && mv inter.new inter.pem
	prev=ca$i
	i=$((i + 1))
done
key leaf.key
openssl req -new -key leaf.key -subj /CN=localhost -out leaf.csr 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > ext
openssl x509 -req -in leaf.csr -CA $prev.pem -CAkey $prev.key -CAcreateserial -days 30 \
	-extfile ext -out leaf.pem 2>/dev/null
cat leaf.pem inter.pem > chain.pem
