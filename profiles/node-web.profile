ward-profile 1
# A Node.js web application on the host's network, its code bound
# read-only at /srv/app.
#
#   ward run --profile node-web --bind ./app:/srv/app -- node /srv/app/server.js
include default.profile
net host
workdir /srv/app
env NODE_ENV=production
include? node-web.local
