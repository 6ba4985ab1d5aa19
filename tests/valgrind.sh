#!/bin/sh
# valgrind.sh - $PROBEBOX of `VALGRIND=1 tests/run.sh`: runs build/valgrind/probebox (glibc,
# no sanitizers) under valgrind memcheck. Called through a link named after an applet, it
# runs that applet (the multicall name would be lost to valgrind's argv). Every process
# writes its report to $VG_LOGS/PID.log, which run.sh reads at the end (errors, definite
# leaks, file descriptors the process opened and left open); an error also turns the exit
# status into 97, so the test that ran it fails there.
n=${0##*/}
case $n in
probebox) ;;
*) set -- "$n" "$@" ;;
esac
exec valgrind --leak-check=full --errors-for-leak-kinds=definite --track-fds=yes \
	--error-exitcode=97 --child-silent-after-fork=yes --log-file="$VG_LOGS/%p.log" \
	--suppressions="$(dirname "$(readlink -f "$0")")/valgrind.supp" \
	"$VG_BIN" "$@"
