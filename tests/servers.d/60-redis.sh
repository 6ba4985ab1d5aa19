# 60-redis.sh - redis-server and memcached for the redis and memcache probes: a redis with a
# password (requirepass) and ACL users (one without INFO, one without a password), a redis
# without auth, memcached, and scripted servers for what real ones do not do on command.

R=$T_DIR/redis
mkdir -p "$R"
R_AUTH=$(t_free_port); R_PLAIN=$(t_free_port); M_MEMCACHED=$(t_free_port)
# the ACL rules are separate words (one quoted string is refused); "-::1": IPv6 if there is one
t_bg redis-auth redis-server --port "$R_AUTH" --bind 127.0.0.1 -::1 --dir "$R" --save '' \
	--appendonly no --databases 16 --requirepass 'Kx9 vQ2!m' \
	--user probe on '>Jr5wTn' '~*' '+ping' '+select' \
	--user full on '>Hq2mXc' '~*' '&*' '+@all' \
	--user nopw on nopass '~*' '+@all'
t_bg redis-plain redis-server --port "$R_PLAIN" --bind 127.0.0.1 -::1 --dir "$R" --save '' \
	--appendonly no
# memcached refuses to run as root without -u
if [ "$(id -u)" = 0 ]; then
	t_bg memcached memcached -u nobody -l 127.0.0.1 -p "$M_MEMCACHED" -U 0 -m 16
else
	t_bg memcached memcached -l 127.0.0.1 -p "$M_MEMCACHED" -U 0 -m 16
fi
for _v in R_AUTH R_PLAIN M_MEMCACHED; do
	eval "echo $_v=\$$_v" >> "$T_DIR/env"
	eval "t_wait_port 127.0.0.1 \$$_v" || echo "server $_v did not start" >&2
done

# RESP that no real server sends on command: a bulk length that lies, one cut short, the
# replies of a loading or cut-off replica, an array, a reply that comes to an end too late
t_tserve R_LYING expect:PING 'send:+PONG\r\n' expect:INFO 'send:$999999999\r\n' hold
t_tserve R_SHORT expect:PING 'send:+PONG\r\n' expect:INFO 'send:$100\r\nredis_version:9\r\n' close
t_tserve R_LOADING expect:PING 'send:-LOADING Redis is loading the dataset in memory\r\n' hold
t_tserve R_MASTERDOWN expect:PING "send:-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\\r\\n" hold
t_tserve R_ARRAY expect:PING 'send:*1\r\n$4\r\nPONG\r\n' hold
t_tserve R_CLOSEMID expect:PING 'send:+PO' close
t_tserve R_LONGLINE expect:PING 'send:+' 'repeat:2000:x' hold
t_tserve R_ECHOAUTH expect:pw "send:-ERR unknown command 'AUTH', with args beginning with: 'sekrit-pw' \\r\\n" hold
t_tserve R_OLDINFO expect:PING 'send:+PONG\r\n' expect:INFO 'send:$58\r\n# Server\r\nredis_version:2.8.4\r\n# Replication\r\nrole:slave\r\n\r\n' hold
t_tserve M_ODD expect:version 'send:VERSION\r\n' close
t_tserve M_ERROR expect:version 'send:SERVER_ERROR out of memory\r\n' close
t_tserve M_CLOSEMID expect:version 'send:VERSION 1.6' close
