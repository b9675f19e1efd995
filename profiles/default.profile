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
