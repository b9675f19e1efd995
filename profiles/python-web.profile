ward-profile 1
# A Python web application (python3 -m http.server, or a WSGI server) on
# the host's network, serving what is bound read-only at /srv/app.
#
#   ward run --profile python-web --bind ./site:/srv/app -- python3 -m http.server 8000
include default.profile
net host
# Landlock: listen on this TCP port only (override in python-web.local,
# or with --tcp-bind on the command line).
tcp-bind 8000
workdir /srv/app
env PYTHONDONTWRITEBYTECODE=1
env PYTHONUNBUFFERED=1
include? python-web.local
