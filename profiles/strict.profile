ward-profile 1
# Static binaries that need nothing but to compute: no network at all,
# the minimal syscall set, small limits.
include default.profile
net none
seccomp strict
rlimit nproc=64
rlimit nofile=64
rlimit core=0
