ward-profile 1
# PostgreSQL on the host's loopback as an unprivileged user.  Bind a data
# directory owned by the sandbox uid read-write at /var/lib/postgresql/data:
#
#   ward run --profile postgres --user 10001 \
#       --bind /srv/pg:/var/lib/postgresql/data:rw -- \
#       /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/data \
#       -k /run/postgresql -c listen_addresses=127.0.0.1 -p 5433
# The sandbox uid must have a passwd entry in the root for initdb (and
# for psql's peer checks): run initdb under the same profile with a
# passwd file bound over /etc/passwd, or create the user on the host.
include default.profile
net host
tmpfs /run/postgresql:size=1M
rlimit nofile=4096
include? postgres.local
