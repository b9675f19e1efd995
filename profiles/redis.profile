ward-profile 1
# redis-server on the host's network as an unprivileged user, its data in
# a private tmpfs that is also its working directory (bind a host
# directory rw at /var/lib/redis to persist).
#
#   ward run --profile redis -- redis-server
#   ward run --profile redis -- redis-server --port 6380 --bind 127.0.0.1
#
# Without a configuration file redis keeps its dump in its working
# directory and saves it there when it stops: /var/lib/redis here (the
# root is read-only, and a failed final save makes redis refuse to stop
# on SIGTERM).  As Debian's unit runs it (Type=notify, redis-server
# --supervised systemd), ward relays its NOTIFY_SOCKET messages as the
# unit's main process; see ward(1).
include default.profile
net host
tmpfs /var/lib/redis:size=256M
tmpfs /var/log/redis:size=16M
workdir /var/lib/redis
rlimit nofile=10032
include? redis.local
