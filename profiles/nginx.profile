ward-profile 1
# nginx serving on the host's network as an unprivileged user.
#
#   ward run --profile nginx -- nginx -g 'daemon off;'
#
# Unprivileged, nginx can listen only on ports >= 1024 (or below
# net.ipv4.ip_unprivileged_port_start): point its config at e.g. 8080 and
# put the port-80 redirect in front.  The master process is not root, so
# the 'user' directive is ignored with a notice.  Its writable state goes
# to private tmpfs; the pid file to /run.
include default.profile
net host
tmpfs /var/lib/nginx:size=64M
tmpfs /var/log/nginx:size=16M
tmpfs /var/cache/nginx:size=64M
rlimit nofile=4096
include? nginx.local
