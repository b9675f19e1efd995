ward-profile 1
# What `ward run` does with no options, written out.  Include it and
# change what your program needs.
rootfs host
user 65534:65534
groups clear
net loopback
hostname ward
seccomp default
workdir /
init yes
# Not written as lines, because they only ever lower the caller's limits:
# no core dumps, and nproc and nofile at most 4096 and 65536 (set them
# with 'rlimit' to change that).
