#!/bin/bash
# Real servers from Debian under the shipped profiles (--rootfs host):
# nginx, redis, python3 -m http.server, node and postgres, each started in
# the background, exercised from the host over 127.0.0.1 (the profiles use
# --net host; nginx's listens through a socket ward binds, --listen),
# observed from the host through /proc/PID (the kernel's view
# of the running server: uid, capabilities, no_new_privs, seccomp, a
# read-only root), probed from inside the same profile (EROFS, EPERM),
# then stopped with SIGTERM to ward.  Also: `ward check` accepts every
# shipped profile and `ward profiles` lists them.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"

tap_require_userns

PROFILES=$top/profiles
SHIPPED=(default demo nginx node-web postgres python-web redis strict)
ZERO=0000000000000000
# The sandbox user (10001) as the host sees it: the id reserved for ward
# in /etc/subuid when ward runs as root; the caller's own uid in a
# rootless launch (the only mapping).
if [ "$(id -u)" = 0 ]; then
	HOST_UID=$(sed -n 's/^ward:\([0-9]*\):[0-9]*$/\1/p' /etc/subuid | head -n 1)
else
	HOST_UID=$(id -u)
fi
START_SECS=20 # how long a server may take to answer

# ---- prerequisites ---------------------------------------------------------

pg_bindir() {
	local d
	d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	[ -n "$d" ] && [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && printf '%s\n' "$d"
}

# have_all: every program the file needs is there.
have_all() {
	local c
	for c in curl nginx redis-server redis-cli python3 node psql pg_isready pgrep; do
		command -v "$c" >/dev/null || return 1
	done
	pg_bindir >/dev/null
}

if ! have_all && [ "$(id -u)" = 0 ]; then
	# procps for pgrep; redis-tools for redis-cli; postgresql-client
	# comes with postgresql.
	echo "# installing what is missing: nginx-light redis-server redis-tools python3 nodejs postgresql curl procps"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends \
		nginx-light redis-server redis-tools python3 nodejs postgresql curl procps; } \
		>"$TAP_TMP/apt.log" 2>&1 || diag "$(tail -n 20 "$TAP_TMP/apt.log")"
fi
missing=""
for c in curl nginx redis-server redis-cli python3 node psql pg_isready pgrep; do
	command -v "$c" >/dev/null || missing="$missing $c"
done
PGBIN=$(pg_bindir) || missing="$missing postgres/initdb"
[ -z "$missing" ] || skip_all "programs missing:$missing"

# A free TCP port on 127.0.0.1 (the kernel's pick; the tiny race with other
# programs is acceptable for a test).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- the sandboxed processes, seen from the host ---------------------------

# descendants PID: every process below PID, depth first.
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# server_pids: the processes the program runs as (children of ward's
# init and below), in SERVER_PIDS; ward's own init in INIT_PID.
server_pids() {
	INIT_PID=$(pgrep -P "$WARD_PID" | head -n 1)
	SERVER_PIDS=()
	[ -n "$INIT_PID" ] || return 1
	mapfile -t SERVER_PIDS < <(descendants "$INIT_PID")
	[ ${#SERVER_PIDS[@]} -gt 0 ]
}

# field PID NAME: a /proc/PID/status field, whitespace squeezed.
field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr -s '[:space:]' ' ' | sed 's/ $//'
}

# host_view WHO UID: every server process runs as UID (real, effective,
# saved, fs), with no capability in any set, no_new_privs, a seccomp
# filter, and a read-only root mount.
host_view() {
	local who=$1 uid=$2 p bad="" root
	if ! server_pids; then
		not_ok "$who: the server runs under ward (process tree)" \
			"no process below ward pid $WARD_PID" "$(ps -ef 2>&1 | tail -n 20)"
		return
	fi
	for p in "${SERVER_PIDS[@]}"; do
		[ -r "/proc/$p/status" ] || continue
		[ "$(field "$p" Uid)" = "$uid $uid $uid $uid" ] || bad="$bad pid $p Uid=$(field "$p" Uid);"
		[ "$(field "$p" Gid)" = "$uid $uid $uid $uid" ] || bad="$bad pid $p Gid=$(field "$p" Gid);"
		for set in CapInh CapPrm CapEff CapBnd CapAmb; do
			[ "$(field "$p" $set)" = "$ZERO" ] || bad="$bad pid $p $set=$(field "$p" $set);"
		done
		[ "$(field "$p" NoNewPrivs)" = 1 ] || bad="$bad pid $p NoNewPrivs=$(field "$p" NoNewPrivs);"
		[ "$(field "$p" Seccomp)" = 2 ] || bad="$bad pid $p Seccomp=$(field "$p" Seccomp);"
		# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ...
		root=$(awk '$5 == "/" { print $6 }' "/proc/$p/mountinfo" | tail -n 1)
		[[ ,$root, == *,ro,* ]] || bad="$bad pid $p root mount options '$root';"
	done
	if [ -z "$bad" ]; then
		ok "$who: from the host, ${#SERVER_PIDS[@]} server process(es): uid/gid $uid, every capability set empty, NoNewPrivs 1, Seccomp 2, root mounted ro"
	else
		not_ok "$who: from the host, the server processes are unprivileged and filtered" \
			"wrong:$bad" "$(ps -o pid,ppid,uid,args -p "${SERVER_PIDS[*]}" 2>&1)"
	fi
	# ward's init (pid 1 inside) is unprivileged too.
	if [ "$(field "$INIT_PID" Uid)" = "$uid $uid $uid $uid" ] &&
		[ "$(field "$INIT_PID" CapEff)" = "$ZERO" ] &&
		[ "$(field "$INIT_PID" CapBnd)" = "$ZERO" ] &&
		[ "$(field "$INIT_PID" NoNewPrivs)" = 1 ]; then
		ok "$who: ward's init (pid $INIT_PID) runs as uid $uid with no capabilities and NoNewPrivs 1"
	else
		not_ok "$who: ward's init runs unprivileged" "$(cat "/proc/$INIT_PID/status" 2>&1)"
	fi
}

# inside_view WHO UID WARD-ARGS...: the probe, in the same profile with
# the same binds, sees its identity, a read-only root and mount refused.
inside_view() {
	local who=$1 uid=$2
	shift 2
	probe_in "$@" -- id
	expect_out "$who: probe in the profile: uid/gid $uid, no groups" \
		"uid=$uid/$uid/$uid/$uid gid=$uid/$uid/$uid/$uid groups="
	probe_in "$@" -- write /etc/ward-test-x
	expect_out "$who: probe in the profile: writing /etc gives EROFS" "errno=EROFS"
	probe_in "$@" -- write /ward-test-x
	expect_out "$who: probe in the profile: writing / gives EROFS" "errno=EROFS"
	probe_in "$@" -- syscall mount
	expect_out "$who: probe in the profile: mount(2) gives EPERM" "errno=EPERM"
}

# stop_server WHO EXPECTED-RC: SIGTERM to ward; ward exits with the
# server's status; nothing of the sandbox is left.
stop_server() {
	local who=$1 want=$2 p left="" t
	[ ${#SERVER_PIDS[@]} -gt 0 ] || server_pids
	kill -TERM "$WARD_PID"
	wait_bg "$WARD_PID" 10
	if [ "$RC" = "$want" ]; then
		ok "$who: SIGTERM to ward: ward exits $want"
	else
		not_ok "$who: SIGTERM to ward: ward exits $want" "exit status: $RC" \
			"stderr: $(tail -n 5 "$SERVER_OUT.err" 2>/dev/null)"
	fi
	for t in $(seq 30); do
		left=""
		for p in "$INIT_PID" "${SERVER_PIDS[@]}"; do
			[ -n "$p" ] && [ -e "/proc/$p" ] && left="$left $p($(awk '{print $3}' "/proc/$p/stat" 2>/dev/null))"
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -z "$left" ]; then
		ok "$who: nothing of the sandbox is left running"
	else
		not_ok "$who: nothing of the sandbox is left running" "still there (pid(state)):$left"
		for p in "${SERVER_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	fi
}

# start_server WHO WARD-ARGS...: ward run WARD-ARGS in the background.
start_server() {
	local who=$1
	shift
	SERVER_OUT=$TAP_TMP/$who.out
	INIT_PID=""
	SERVER_PIDS=()
	ward_bg "$SERVER_OUT" run "$@"
}

# wait_ready WHO CMD...: poll CMD until it succeeds while ward runs.
wait_ready() {
	local who=$1 t=0
	shift
	while [ $t -lt $((START_SECS * 10)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$WARD_PID" 2>/dev/null || break
		sleep 0.1
		t=$((t + 1))
	done
	not_ok "$who: the server answers within ${START_SECS}s" \
		"ready check: $*" "ward: $LAST_CMD" \
		"stdout: $(tail -n 5 "$SERVER_OUT" 2>/dev/null)" \
		"stderr: $(tail -n 10 "$SERVER_OUT.err" 2>/dev/null)"
	return 1
}

# ---- ward check and ward profiles ------------------------------------------

for p in "${SHIPPED[@]}"; do
	run_ward check --profile "$PROFILES/$p.profile"
	expect_out_match "ward check --profile $p.profile: the plan is valid" \
		'^ward: check: the plan is valid; nothing was started$'
done

# By name, through the search path (./profiles first).  As root, only a
# directory root alone controls from / down is searched, which the
# checkout may not be: a copy of the profiles in one.
BYNAME=$top
if [ "$(id -u)" = 0 ]; then
	if fixture_trusted_dir BYNAME; then
		cp -R "$PROFILES" "$BYNAME/profiles" && chmod -R go-w "$BYNAME/profiles"
	else
		not_ok "a directory only root controls, for profiles by name" "$FIXTURE_WHY"
	fi
fi
cd "$BYNAME" || exit 1
run_ward check --profile nginx
expect_out_match "ward check --profile nginx (by name): ports 80 of the host, bound by ward" \
	'^listen: +0\.0\.0\.0:80/tcp, \[::\]:80/tcp, bound by ward'
run_ward check --profile redis
expect_out_match "ward check --profile redis (by name): the host's network" '^network: +the host'"'"'s network'
run_ward profiles
cd / || exit 1
listed=""
for p in "${SHIPPED[@]}"; do
	grep -Eq "^  $p +$BYNAME/profiles/$p\.profile\$" <<<"$OUT" || listed="$listed $p"
done
if [ "$RC" = 0 ] && grep -Eq "^  used +$BYNAME/profiles\$" <<<"$OUT" &&
	grep -Eq '^profiles:$' <<<"$OUT" && [ -z "$listed" ]; then
	ok "ward profiles lists ./profiles as used and every shipped profile with its file"
else
	not_ok "ward profiles lists ./profiles as used and every shipped profile with its file" \
		"not listed:${listed:- (none)}" "$(last_run)"
fi

# ---- nginx -----------------------------------------------------------------

fixture_dir NGX || skip_all "cannot create a directory"
mkdir -p "$NGX/site"
echo "hello from nginx under ward $$" >"$NGX/site/index.html"
PORT=$(free_port)
cat >"$NGX/nginx.conf" <<EOF
worker_processes 1;
pid /run/nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
	access_log off;
	default_type text/plain;
	client_body_temp_path /var/lib/nginx/body;
	proxy_temp_path /var/lib/nginx/proxy;
	fastcgi_temp_path /var/lib/nginx/fastcgi;
	uwsgi_temp_path /var/lib/nginx/uwsgi;
	scgi_temp_path /var/lib/nginx/scgi;
	server {
		listen 127.0.0.1:$PORT;
		root /srv/site;
	}
}
EOF
chmod -R a+rX "$NGX"
# Its own port instead of the profile's 80 (a rootless caller can bind
# it): the command line's --listen replaces the profile's.
NGX_ARGS=(--profile "$PROFILES/nginx.profile" --listen "127.0.0.1:$PORT"
	--bind "$NGX/nginx.conf:/etc/nginx/nginx.conf" --bind "$NGX/site:/srv/site")
start_server nginx "${NGX_ARGS[@]}" -- nginx -g 'daemon off;'
if wait_ready nginx curl -fsS -m 2 "http://127.0.0.1:$PORT/"; then
	run_cmd curl -fsS -m 5 "http://127.0.0.1:$PORT/index.html"
	expect_out "nginx: GET / from the host returns the page" "hello from nginx under ward $$"
	host_view nginx "$HOST_UID"
fi
stop_server nginx 0
inside_view nginx 10001 "${NGX_ARGS[@]}"
probe_in "${NGX_ARGS[@]}" -- write /var/lib/nginx/x data
expect_out "nginx: the profile's tmpfs /var/lib/nginx is writable" "ok"

# ---- redis -----------------------------------------------------------------

PORT=$(free_port)
REDIS_ARGS=(--profile "$PROFILES/redis.profile")
start_server redis "${REDIS_ARGS[@]}" -- redis-server --port "$PORT" \
	--bind 127.0.0.1 --dir /var/lib/redis
if wait_ready redis redis-cli -p "$PORT" ping; then
	run_cmd redis-cli -p "$PORT" ping
	expect_out "redis: PING from the host" "PONG"
	run_cmd redis-cli -p "$PORT" set ward-key "value-$$"
	expect_out "redis: SET" "OK"
	run_cmd redis-cli -p "$PORT" get ward-key
	expect_out "redis: GET returns the value" "value-$$"
	host_view redis "$HOST_UID"
fi
stop_server redis 0
inside_view redis 10001 "${REDIS_ARGS[@]}"

# ---- python3 -m http.server ------------------------------------------------

fixture_dir PYSITE || skip_all "cannot create a directory"
echo "hello from python under ward $$" >"$PYSITE/index.html"
chmod 644 "$PYSITE/index.html"
PORT=$(free_port)
PY_ARGS=(--profile "$PROFILES/python-web.profile" --bind "$PYSITE:/srv/app")
start_server python "${PY_ARGS[@]}" --tcp-bind "$PORT" -- python3 -m http.server "$PORT" --bind 127.0.0.1
if wait_ready python curl -fsS -m 2 "http://127.0.0.1:$PORT/index.html"; then
	run_cmd curl -fsS -m 5 "http://127.0.0.1:$PORT/index.html"
	expect_out "python-web: GET from the host returns the page from /srv/app" \
		"hello from python under ward $$"
	host_view python-web "$HOST_UID"
fi
# python dies of the SIGTERM ward's init forwards: 128 + 15.
stop_server python-web 143
inside_view python-web 10001 "${PY_ARGS[@]}"
probe_in "${PY_ARGS[@]}" -- write /srv/app/x
expect_out "python-web: the site bound at /srv/app is read-only" "errno=EROFS"

# ---- node ------------------------------------------------------------------

fixture_dir NODEAPP || skip_all "cannot create a directory"
cat >"$NODEAPP/server.js" <<'EOF'
const http = require('http');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
	res.end(`hello from node under ward, NODE_ENV=${process.env.NODE_ENV}\n`);
}).listen(port, '127.0.0.1');
EOF
chmod 644 "$NODEAPP/server.js"
PORT=$(free_port)
NODE_ARGS=(--profile "$PROFILES/node-web.profile" --bind "$NODEAPP:/srv/app")
start_server node "${NODE_ARGS[@]}" --tcp-bind "$PORT" -- node /srv/app/server.js "$PORT"
if wait_ready node curl -fsS -m 2 "http://127.0.0.1:$PORT/"; then
	run_cmd curl -fsS -m 5 "http://127.0.0.1:$PORT/"
	expect_out "node-web: GET from the host, NODE_ENV from the profile" \
		"hello from node under ward, NODE_ENV=production"
	host_view node-web "$HOST_UID"
fi
stop_server node-web 143
inside_view node-web 10001 "${NODE_ARGS[@]}"

# ---- postgres --------------------------------------------------------------

if [ "$(id -u)" != 0 ]; then
	# --user 10001 and a data directory owned by 10001 need root.
	skip "postgres under postgres.profile as uid 10001" "needs root (chown to uid 10001)"
	tap_done
fi
PGUID=10001
fixture_dir PGDATA 700 || skip_all "cannot create a directory"
chown "$PGUID:$PGUID" "$PGDATA"
# initdb looks its user up in /etc/passwd: give the sandbox a passwd that
# has uid 10001 (bound read-only over /etc/passwd; the host's is untouched).
PGPASSWD=$TAP_TMP/passwd
{ cat /etc/passwd; echo "wardpg:x:$PGUID:$PGUID:ward test:/var/lib/postgresql:/usr/sbin/nologin"; } >"$PGPASSWD"
chmod 644 "$PGPASSWD"
PG_ARGS=(--profile "$PROFILES/postgres.profile" --user "$PGUID"
	--bind "$PGDATA:/var/lib/postgresql/data:rw")
WARD_TIMEOUT=60 run_ward run "${PG_ARGS[@]}" --bind "$PGPASSWD:/etc/passwd" -- \
	"$PGBIN/initdb" -D /var/lib/postgresql/data -U postgres --auth=trust -N
if [ "$RC" = 0 ] && [ -f "$PGDATA/PG_VERSION" ] &&
	[ "$(stat -c %u "$PGDATA/PG_VERSION")" = "$PGUID" ]; then
	ok "postgres: initdb under ward as uid $PGUID creates the cluster, owned by $PGUID"
else
	not_ok "postgres: initdb under ward as uid $PGUID creates the cluster" "$(last_run)"
fi
PORT=$(free_port)
start_server postgres "${PG_ARGS[@]}" -- "$PGBIN/postgres" -D /var/lib/postgresql/data \
	-k /run/postgresql -c listen_addresses=127.0.0.1 -p "$PORT"
if wait_ready postgres pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -t 1; then
	run_cmd env PGCONNECT_TIMEOUT=5 psql -X -h 127.0.0.1 -p "$PORT" -U postgres -Atc 'select 1'
	expect_out "postgres: psql -c 'select 1' from the host" "1"
	host_view postgres "$PGUID"
fi
# postgres takes SIGTERM as a smart shutdown and exits 0.
stop_server postgres 0
inside_view postgres "$PGUID" "${PG_ARGS[@]}"
probe_in "${PG_ARGS[@]}" -- write /var/lib/postgresql/data/ward-x
expect_out "postgres: the data directory is writable by uid $PGUID" "ok"

tap_done
