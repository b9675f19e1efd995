ward-profile 1
# redis-server on the host's loopback as an unprivileged user, its data in
# a private tmpfs (bind a host directory rw at /var/lib/redis to persist).
#
#   ward run --profile redis -- redis-server --port 6380 --bind 127.0.0.1 --dir /var/lib/redis
include default.profile
net host
tmpfs /var/lib/redis:size=256M
tmpfs /var/log/redis:size=16M
rlimit nofile=10032
include? redis.local
