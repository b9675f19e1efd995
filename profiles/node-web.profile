ward-profile 1
# A Node.js web application on the host's network, its code bound
# read-only at /srv/app.
#
#   ward run --profile node-web --bind ./app:/srv/app -- node /srv/app/server.js
include default.profile
net host
# Landlock: listen on this TCP port only (override in node-web.local,
# or with --tcp-bind on the command line).
tcp-bind 3000
workdir /srv/app
env NODE_ENV=production
include? node-web.local
