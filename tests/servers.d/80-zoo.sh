# 80-zoo.sh - the hostile-server zoo (tests/zoo/zoo.py): one port per misbehaviour, Z_NAME
# variables in $T_DIR/zoo.ports; started in the background (the 20-certificate chain takes
# a few seconds to make), tests/integration/zoo*.sh wait for it
echo "ZOO_PORTS=$T_DIR/zoo.ports ZOO_CHAIN=$T_DIR/zoo-chain" >> "$T_DIR/env"
t_bg zoo sh -c 'sh tests/zoo/mkchain.sh "$1/zoo-chain" &&
	exec /usr/bin/python3 tests/zoo/zoo.py --ports "$1/zoo.ports" --tls "$2/valid.crt" "$2/valid.key" \
		--chain "$1/zoo-chain/chain.pem" "$1/zoo-chain/leaf.key"' sh "$T_DIR" "$CERTS"
