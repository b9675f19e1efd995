ward-profile 1
# ward inside a container: no namespaces (the engine's seccomp profile
# refuses them), everything else applied.  See ward-profile(5).
mode entrypoint
user app
# Landlock: the whole file system read-only except these.
writable /data
writable /tmp
# bind(2) only to the port the service listens on; no other listener.
tcp-bind 8080
# Resource limits for a small service.
rlimit nofile=1024
rlimit nproc=256
