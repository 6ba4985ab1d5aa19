# zoo.sh (tiny) - the hostile-server zoo's check-tcp and check-http cases (tests/integration/zoo.sh)
ZOO=tiny . tests/integration/zoo.sh
