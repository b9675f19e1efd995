ward-profile 1
# nginx with Debian's own configuration, serving port 80 of the host as an
# unprivileged user that can reach nothing.
#
#   ward run --profile nginx -- nginx -g 'daemon off;'
#
# Started by root, ward binds 0.0.0.0:80 and [::]:80 (IPv6 only, as
# nginx's own "listen [::]:80" is) in the host's network before it drops
# every privilege, and hands them to nginx as fds 3 and 4 with
# NGINX="3;4;" (listen-env), the variable through which nginx takes over
# listening sockets: the two "listen" lines of Debian's
# sites-enabled/default find them.  nginx itself runs in a network
# namespace of its own (net loopback): it cannot bind another port of the
# host, and Landlock denies it every TCP connect, so the inherited sockets
# cannot be turned into connections out.  A reverse proxy needs to
# connect: give it --net host (or tcp-connect PORTS).  Other ports: give
# --listen on the command line (it replaces these two; --listen none
# drops them) and the same ports in nginx's config; a rootless caller
# can bind only ports >= net.ipv4.ip_unprivileged_port_start.  The
# master process is not root, so the 'user' directive is ignored with a
# notice.  The site (/var/www/html) is bound read-only; nginx's writable
# state goes to private tmpfs, the pid file to /run.
include default.profile
net loopback
listen 0.0.0.0:80
listen [::]:80
listen-env NGINX
bind /var/www/html
tmpfs /var/lib/nginx:size=64M
tmpfs /var/log/nginx:size=16M
tmpfs /var/cache/nginx:size=64M
rlimit nofile=4096
include? nginx.local
