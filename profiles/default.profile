ward-profile 1
# What `ward run` does with no options, written out.  Include it and
# change what your program needs.
rootfs host
# user: the default, 10001:10001, not written: as root it maps onto the
# host id reserved for ward in /etc/subuid and /etc/subgid, while
# 'user 10001:10001' would map it onto host 10001 (ward(1), USER).
groups clear
net loopback
hostname ward
seccomp default
workdir /
init yes
# Not written as lines, because they only ever lower the caller's limits:
# no core dumps, and nproc and nofile at most 4096 and 65536 (set them
# with 'rlimit' to change that).
