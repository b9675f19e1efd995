#!/bin/bash
# Every command the documentation shows runs as written.
# tests/lib/doc-commands.py extracts the commands of README.md, the manual
# pages, the profiles' headers and examples/; tests/data/documented-
# commands.txt says how each is proven.  A command shown but not in the
# list, or an entry no longer shown, fails.  The "run" entries run here,
# with `ward` on PATH (the binary under test), from a directory holding
# the project's profiles/ (from which `--profile NAME` is found) and the
# ./site, ./app and profile.json the commands name; servers are reached
# from the host (or, for the loopback one, from inside its network
# namespace) and stopped with SIGTERM, which they must obey within 10 s.
# A placeholder that the text names as one (/srv/img, /usr/bin/myapp,
# /srv/pg, db.pass) is replaced by a tree or file of the test's own.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"

tap_require_userns

MANIFEST=$top/tests/data/documented-commands.txt
STOP_SECS=10

# ---- the list and the documents agree ---------------------------------------

if ! python3 "$top/tests/lib/doc-commands.py" "$top" >"$TAP_TMP/shown" 2>"$TAP_TMP/shown.err"; then
	not_ok "tests/lib/doc-commands.py extracts the documented commands" "$(cat "$TAP_TMP/shown.err")"
else
	ok "tests/lib/doc-commands.py extracts $(wc -l <"$TAP_TMP/shown") documented commands"
fi
# The extractor on a tree of its own: a new example is found wherever it
# is added, and a code block nobody classified stops it.
x=$TAP_TMP/x
mkdir -p "$x/man" "$x/profiles" "$x/examples"
printf '# x\n\n```sh\nward run -- new-example\n```\n' >"$x/README.md"
printf '.SH EXAMPLES\n.nf\nward run \\-\\-net none \\-\\- new\n.fi\n' >"$x/man/ward.1"
printf 'ward-profile 1\n# header\n#   ward run --profile x \\\n#       -- new\ninclude default.profile\n' >"$x/profiles/x.profile"
printf '# header\n#   docker run --rm new\nFROM scratch\n' >"$x/examples/Dockerfile"
run_cmd python3 "$top/tests/lib/doc-commands.py" "$x"
expect_eq "the extractor finds a new example in README, a manual, a profile's and a Dockerfile's header" \
	"README.md	ward run -- new-example
man/ward.1	ward run --net none -- new
profiles/x.profile	ward run --profile x -- new
examples/Dockerfile	docker run --rm new" "$OUT"
printf '# x\n\n```\nward run -- unlabelled\n```\n' >"$x/README.md"
run_cmd python3 "$top/tests/lib/doc-commands.py" "$x"
expect_match "the extractor refuses a README code block without a label" \
	"README.md:3: code block labelled '': label it one of" "$RC $ERR"
expect_rc "... and exits 1" 1

grep -v '^#' "$MANIFEST" | grep -v '^$' >"$TAP_TMP/entries"
bad=$(awk -F'\t' 'NF != 3 || $2 !~ /^(run|covered-by [^ :]+:.+|needs .+)$/ { print NR ": " $0 }' "$TAP_TMP/entries")
expect_eq "every entry of the list is FILE<tab>PROOF<tab>COMMAND, PROOF run, covered-by or needs" "" "$bad"
cut -f1,3 "$TAP_TMP/entries" | sort >"$TAP_TMP/listed"
sort "$TAP_TMP/shown" >"$TAP_TMP/shown.sorted"
missing=$(comm -23 "$TAP_TMP/shown.sorted" "$TAP_TMP/listed")
stale=$(comm -13 "$TAP_TMP/shown.sorted" "$TAP_TMP/listed")
expect_eq "every documented command is in tests/data/documented-commands.txt" "" "$missing"
expect_eq "every entry of tests/data/documented-commands.txt is still documented" "" "$stale"

# covered-by: the test named exists and holds that check.
bad=""
while IFS=$'\t' read -r _ proof _; do
	case $proof in
	"covered-by "*)
		spec=${proof#covered-by }
		file=${spec%%:*}
		desc=${spec#*:}
		grep -qF -- "$desc" "$top/$file" 2>/dev/null || bad="$bad
$file has no check '$desc'"
		;;
	esac
done <"$TAP_TMP/entries"
expect_eq "every covered-by entry names a check its test file holds" "" "${bad#$'\n'}"
n_run=$(cut -f2 "$TAP_TMP/entries" | grep -c '^run$')
n_cov=$(cut -f2 "$TAP_TMP/entries" | grep -c '^covered-by ')
n_needs=$(cut -f2 "$TAP_TMP/entries" | grep -c '^needs ')
diag "documented commands: $n_run run here, $n_cov covered by another test, $n_needs need what this machine lacks:"
diag "$(awk -F'\t' '$2 ~ /^needs / { print $1 ": " $3 "\n    " $2 }' "$TAP_TMP/entries")"

# ---- where the commands run ---------------------------------------------------

# ward and, for a root caller without it, a sudo that runs its command.
BIN=$TAP_TMP/bin
mkdir -p "$BIN"
ln -s "$WARD" "$BIN/ward"
if [ "$(id -u)" = 0 ] && ! command -v sudo >/dev/null; then
	printf '#!/bin/sh\nexec "$@"\n' >"$BIN/sudo"
	chmod 755 "$BIN/sudo"
fi
export PATH="$BIN:$PATH"

# The working directory: as root, ./profiles is searched only when root
# alone can write it and every parent (ward-profile(5)), so under /run.
if [ "$(id -u)" = 0 ]; then
	W=$(mktemp -d /run/ward-doc.XXXXXX) || skip_all "cannot create a directory under /run"
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/ward-doc.XXXXXX") || skip_all "cannot create a directory"
fi
tap_cleanup rm -rf "$W"
chmod 755 "$W"
cp -R "$top/profiles" "$W/profiles"
mkdir "$W/site" "$W/app"
echo "ward documented site" >"$W/site/index.html"
cat >"$W/app/server.js" <<'EOF'
const http = require("http");
http.createServer((req, res) => res.end("ward documented node\n")).listen(3000, "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
EOF
cp "$top/tests/data/docker-default-seccomp.json" "$W/profile.json"
chmod -R go-w "$W"

# The programs the profiles' commands start, installed as 60-profiles.sh does.
need_progs="curl nginx redis-server redis-cli python3 node psql pg_isready pgrep nsenter setpriv busybox"
have_progs() {
	local c
	for c in $need_progs; do command -v "$c" >/dev/null || return 1; done
}
if ! have_progs && [ "$(id -u)" = 0 ]; then
	echo "# installing what is missing: nginx-light redis-server redis-tools python3 nodejs postgresql curl procps busybox-static"
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			nginx-light redis-server redis-tools python3 nodejs postgresql curl procps busybox-static; } \
		>"$TAP_TMP/apt.log" 2>&1 || diag "$(tail -n 20 "$TAP_TMP/apt.log")"
fi

# doc_run CMD: run CMD with bash in $W; sets OUT, ERR, RC.
doc_run() {
	pushd "$W" >/dev/null || return 1
	run_cmd bash -c "$1"
	popd >/dev/null || return 1
}

# doc_start WHO CMD: CMD (a simple command) in the background in $W, bash
# replaced by it, so that DOC_PID is ward's pid.
doc_start() {
	DOC_WHO=$1
	(cd "$W" && exec bash -c "exec $2") >"$TAP_TMP/$1.out" 2>"$TAP_TMP/$1.err" </dev/null &
	DOC_PID=$!
	tap_cleanup kill -KILL "$DOC_PID"
}

# doc_until SECS CMD...: poll CMD until it succeeds while the server runs.
doc_until() {
	local secs=$1 t=0
	shift
	while [ $t -lt $((secs * 10)) ]; do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 "$DOC_PID" 2>/dev/null || return 1
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

# doc_stop WANT: SIGTERM to ward; it exits WANT within STOP_SECS.
doc_stop() {
	local t0 t1
	t0=$(date +%s%N)
	kill -TERM "$DOC_PID" 2>/dev/null
	wait_bg "$DOC_PID" "$STOP_SECS"
	t1=$(date +%s%N)
	if [ "$RC" = "$1" ]; then
		ok "$DOC_WHO: stops on SIGTERM within ${STOP_SECS} s (exit $RC, $(((t1 - t0) / 1000000)) ms)"
	else
		not_ok "$DOC_WHO: stops on SIGTERM within ${STOP_SECS} s, exit $1" "exit status: $RC" \
			"stderr: $(tail -n 5 "$TAP_TMP/$DOC_WHO.err")"
	fi
}

# port_free PORT: nothing of the host listens on TCP PORT.
port_free() {
	! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# sandboxed PID: the deepest process below PID (the program under ward's init).
sandboxed() {
	local p=$1 c
	while c=$(pgrep -P "$p" | head -n 1) && [ -n "$c" ]; do p=$c; done
	printf '%s\n' "$p"
}

# readme_block START-RE: the README lines after the line matching
# START-RE, up to the next "$ " line or the end of the block.
readme_block() {
	awk -v re="$1" 'f && (/^\$ / || /^```/) { exit } f { print } $0 ~ re { f = 1 }' "$top/README.md"
}

# The postgres profile's command: /srv/pg is the data directory the header
# asks for, owned by the sandbox uid; initdb runs as the header says (the
# same profile, a passwd with the uid bound over /etc/passwd).
postgres_doc() {
	local cmd=$1 pg=$TAP_TMP/pg
	if [ "$(id -u)" != 0 ]; then
		skip "postgres: the header's command" "a data directory owned by uid 10001 needs root"
		return
	fi
	mkdir -m 700 "$pg" && chown 10001:10001 "$pg"
	{ cat /etc/passwd; echo "pg:x:10001:10001::/var/lib/postgresql:/usr/sbin/nologin"; } >"$TAP_TMP/passwd"
	chmod 644 "$TAP_TMP/passwd"
	local initdb=${cmd%%/postgres -D *}/initdb
	initdb=/usr/lib/postgresql/${initdb#*/usr/lib/postgresql/}
	WARD_TIMEOUT=60 run_cmd ward run --profile "$W/profiles/postgres.profile" --user 10001 \
		--bind "$pg:/var/lib/postgresql/data:rw" --bind "$TAP_TMP/passwd:/etc/passwd" -- \
		"$initdb" -D /var/lib/postgresql/data -U postgres --auth=trust -N
	if [ "$RC" != 0 ]; then
		not_ok "postgres: initdb as the header says" "$(last_run)"
		return
	fi
	host_server postgres 5433 "psql -X -h 127.0.0.1 -p 5433 -U postgres -Atc 'select 1' | grep -qx 1" 0 \
		"${cmd//\/srv\/pg/$pg}"
}

# A worker and its state directory (/srv/worker, /srv/app): the directory
# holds ./worker, which writes its state there as uid 10001.
worker_doc() {
	local cmd=$1 wd
	wd=$(mktemp -d "$TAP_TMP/worker.XXXXXX")
	printf '#!/bin/sh\nid -u >state\necho worker done\n' >"$wd/worker"
	chmod 755 "$wd" "$wd/worker"
	[ "$(id -u)" = 0 ] && chown -R 10001:10001 "$wd"
	local c=${cmd//\/srv\/worker/$wd}
	doc_run "${c//\/srv\/app/$wd}"
	expect_eq "worker: ./worker runs in its state directory /data as 10001, and writes there" \
		"worker done|10001" "$OUT|$(cat "$wd/state" 2>&1)"
}

# ---- the commands ---------------------------------------------------------------

# has_program: ward's init has started the program.
has_program() {
	local init
	init=$(pgrep -P "$DOC_PID" | head -n 1)
	[ -n "$init" ] && pgrep -P "$init" >/dev/null
}

loopback_server() { # ward run -- python3 -m http.server 8000
	local pid
	doc_start python-loopback "$1"
	if doc_until 10 has_program; then
		pid=$(sandboxed "$DOC_PID")
		local enter=(nsenter -t "$pid" -n)
		[ "$(id -u)" = 0 ] || enter=(nsenter -t "$pid" -U -n --preserve-credentials)
		if doc_until 10 "${enter[@]}" curl -sf -o /dev/null http://127.0.0.1:8000/; then
			ok "python-loopback: serves on 127.0.0.1:8000 inside the sandbox's network namespace"
		else
			not_ok "python-loopback: serves inside its network namespace" "$(cat "$TAP_TMP/python-loopback.err")"
		fi
		if port_free 8000 && ! curl -s -o /dev/null --max-time 2 http://127.0.0.1:8000/; then
			ok "python-loopback: the host cannot reach it (its own network namespace, as README says)"
		else
			not_ok "python-loopback: the host cannot reach it" "$(ss -tlnp 'sport = :8000' 2>&1)"
		fi
	else
		not_ok "python-loopback: starts" "$(cat "$TAP_TMP/python-loopback.err")"
	fi
	doc_stop 143
}

host_server() { # WHO PORT URL-OR-CHECK WANT-RC CMD: a server on the host's network
	local who=$1 port=$2 check=$3 want=$4 cmd=$5
	if ! port_free "$port"; then
		not_ok "$who: port $port of this host is free for it" "$(ss -tlnp "sport = :$port" 2>&1)"
		return
	fi
	doc_start "$who" "$cmd"
	if doc_until 20 bash -c "$check"; then
		ok "$who: serves from the host ($check)"
	else
		not_ok "$who: serves from the host ($check)" "$(tail -n 10 "$TAP_TMP/$who.err")"
	fi
	doc_stop "$want"
}

while IFS= read -r cmd <&3; do
	case $cmd in
	"ward run -- python3 -m http.server 8000")
		loopback_server "$cmd"
		;;
	"ward run --net host --tcp-bind 8000 -- python3 -m http.server 8000 --bind 127.0.0.1")
		host_server python-host 8000 "curl -sf http://127.0.0.1:8000/ | grep -q 'Directory listing'" 143 "$cmd"
		;;
	"ward run --rootfs /srv/img --user app -- /app/server")
		# /srv/img: a minimal image (busybox, passwd, the program; no
		# /proc, /dev, /tmp or /run) extracted at a path of the test's.
		img=$TAP_TMP/img
		mkdir -p "$img/bin" "$img/etc" "$img/app"
		cp "$(command -v busybox)" "$img/bin/busybox"
		ln -s busybox "$img/bin/sh"
		printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/app:/bin/sh\n' >"$img/etc/passwd"
		printf 'root:x:0:\napp:x:10001:\n' >"$img/etc/group"
		printf '#!/bin/sh\necho "server as $(/bin/busybox id -un) $(/bin/busybox id -u):$(/bin/busybox id -g)"\n' >"$img/app/server"
		chmod -R a+rX,go-w "$img"
		chmod 755 "$img/app/server"
		doc_run "${cmd//\/srv\/img/$img}"
		expect_eq "rootfs: a minimal image runs /app/server as app (10001:10001)" \
			"server as app 10001:10001" "$OUT$ERR"
		;;
	"cat profiles/nginx.profile")
		doc_run "$cmd"
		expect_eq "README shows profiles/nginx.profile as it is" \
			"$(readme_block '^\$ cat profiles/nginx.profile$' | sed '$d')" "$OUT"
		;;
	"cat profiles/t.profile")
		# README shows a file of the reader's: make it from what README shows.
		readme_block '^\$ cat profiles/t.profile$' >"$W/profiles/t.profile"
		doc_run "$cmd"
		expect_eq "cat profiles/t.profile (the file README shows)" \
			"$(readme_block '^\$ cat profiles/t.profile$')" "$OUT"
		;;
	"ward run --profile profiles/t.profile --cap-keep NET_BIND_SERVIC -- /bin/true")
		doc_run "$cmd 2>&1"
		expect_eq "the five mistakes of profiles/t.profile: output as README shows it" \
			"$(readme_block '^\$ ward run --profile profiles/t.profile ')" "$OUT"
		expect_rc "the five mistakes: exit 125, nothing started" 125
		;;
	"ward run --secret db=/etc/myapp/db.pass -- /usr/bin/myapp"*)
		printf 's3cret-file' >"$TAP_TMP/db.pass"
		chmod 600 "$TAP_TMP/db.pass"
		c=${cmd//\/etc\/myapp\/db.pass/$TAP_TMP/db.pass}
		doc_run "${c//\/usr\/bin\/myapp/cat /run/secrets/db}"
		expect_eq "secret from a host file: the program reads /run/secrets/db" "s3cret-file" "$OUT"
		;;
	"ward run --secret db=fd:0 -- /usr/bin/myapp < <(pass show db)")
		c=${cmd//pass show db/echo s3cret-stdin}
		doc_run "${c//\/usr\/bin\/myapp/cat /run/secrets/db}"
		expect_eq "secret from stdin (< <(...)): the program reads /run/secrets/db" "s3cret-stdin" "$OUT"
		;;
	"ward run --user 10001 --bind /srv/worker:/data:rw --workdir /data -- ./worker" | \
		"ward run --user 10001 --bind /srv/app:/data:rw --workdir /data -- ./worker")
		worker_doc "$cmd"
		;;
	"ward run --seccomp docker:/etc/docker/seccomp.json -- /usr/bin/myapp")
		c=${cmd//\/etc\/docker\/seccomp.json/$top/tests/data/docker-default-seccomp.json}
		doc_run "${c//\/usr\/bin\/myapp/id -u}"
		expect_eq "Docker's seccomp profile: the program runs under it, as 10001" "10001" "$OUT"
		;;
	"ward run --quiet --env-file /etc/myapp/env -- /usr/bin/myapp")
		printf '# settings\nGREETING=hello from the env file\n' >"$TAP_TMP/env"
		c=${cmd//\/etc\/myapp\/env/$TAP_TMP/env}
		doc_run "${c//\/usr\/bin\/myapp/printenv GREETING}"
		expect_eq "--quiet --env-file: the variable reaches the program, nothing on stderr" \
			"hello from the env file|" "$OUT|$ERR"
		;;
	"ward seccomp learn --output app.seccomp -- /usr/bin/myapp --selftest")
		doc_run "${cmd//\/usr\/bin\/myapp/\/bin\/echo}"
		if [ "$RC" = 0 ] && grep -q '^seccomp-allow ' "$W/app.seccomp" 2>/dev/null; then
			ok "seccomp learn --output app.seccomp: writes seccomp-allow lines"
		else
			not_ok "seccomp learn --output app.seccomp: writes seccomp-allow lines" "$(last_run)"
		fi
		rm -f "$W/app.seccomp"
		;;
	"ward run --secret db=fd:3 -- /usr/bin/myapp 3< <(vault read ...) # an inherited fd")
		c=${cmd//vault read .../echo s3cret-fd}
		doc_run "${c//\/usr\/bin\/myapp/cat /run/secrets/db}"
		expect_eq "secret from fd 3: the program reads /run/secrets/db" "s3cret-fd" "$OUT"
		;;
	"pass show db | ward run --secret db=fd:0 -- /usr/bin/myapp       # stdin")
		c=${cmd//pass show db/echo s3cret-stdin}
		doc_run "${c//\/usr\/bin\/myapp/cat /run/secrets/db}"
		expect_eq "secret from stdin: the program reads /run/secrets/db" "s3cret-stdin" "$OUT"
		;;
	"DB_PASS=... ward run --secret db=env:DB_PASS -- /usr/bin/myapp  # ward's own environment")
		c=${cmd//DB_PASS=.../DB_PASS=s3cret-env}
		reader='sh -c '\''cat /run/secrets/db; echo " env:${DB_PASS-unset}"'\'
		doc_run "${c//\/usr\/bin\/myapp/$reader}"
		expect_eq "secret from ward's environment: read from the file, not in the program's environment" \
			"s3cret-env env:unset" "$OUT"
		;;
	"sudo ward run --net veth:10.213.7.1/30,10.213.7.2 --bind ./site:/srv -- python3 -m http.server 8080 --directory /srv &")
		VETH_CMD=$cmd
		;;
	"curl http://10.213.7.2:8080/")
		if [ "$(id -u)" != 0 ]; then
			skip "veth: sudo ward run --net veth ... & then curl" "--net veth needs root"
			continue
		fi
		doc_start python-veth "${VETH_CMD% &}"
		if doc_until 20 bash -c "$cmd | grep -q 'ward documented site'"; then
			ok "veth: $cmd reaches the sandbox's server from the host"
		else
			not_ok "veth: $cmd reaches the sandbox's server" "$(tail -n 10 "$TAP_TMP/python-veth.err")"
		fi
		doc_stop 143
		;;
	"ward check --profile redis")
		doc_run "$cmd"
		shown=$(readme_block '^\$ ward check --profile redis$' | grep -vx '\.\.\.')
		absent=$(grep -vxF -f <(printf '%s\n' "$OUT") <<<"$shown")
		expect_eq "ward check --profile redis prints every line README shows of it" "" "$absent"
		;;
	"ward check --profile redis --fail-on high --max-exposure 3    # exit 0")
		doc_run "$cmd"
		expect_rc "$cmd" 0
		;;
	'ward check --profile redis --max-exposure 2 || echo "exit $?"  # exit 3: 2.8 > 2')
		doc_run "$cmd"
		expect_eq "$cmd" "exit 3" "$(tail -n 1 <<<"$OUT")"
		;;
	"ward check --profile redis --json --fail-on high >ward-report.json")
		doc_run "$cmd"
		expect_rc "$cmd (writes ward-report.json)" 0
		;;
	"python3 -c 'import json; d = json.load(open(\"ward-report.json\")); print("*)
		doc_run "$cmd"
		expect_out_match "python3 reads ward-report.json: the verdict and the failing findings" \
			"^OK \[\('net', 'medium'\)"
		;;
	"setpriv --no-new-privs --bounding-set -all ward run -- id")
		doc_run "$cmd"
		expect_eq "setpriv ... ward run -- id: ward's error and hint as README shows them" \
			"$(readme_block '^\$ setpriv --no-new-privs')" "$ERR"
		;;
	"ward seccomp show --seccomp docker:profile.json --cap-keep NET_ADMIN")
		doc_run "$cmd"
		expect_out_match "$cmd: lists the rules" "^allow "
		;;
	"ward run --profile python-web --bind ./site:/srv/app -- python3 -m http.server 8000")
		host_server python-web 8000 "curl -sf http://127.0.0.1:8000/ | grep -q 'ward documented site'" 143 "$cmd"
		;;
	"ward run --profile node-web --bind ./app:/srv/app -- node /srv/app/server.js")
		host_server node-web 3000 "curl -sf http://127.0.0.1:3000/ | grep -q 'ward documented node'" 0 "$cmd"
		;;
	"ward run --profile redis -- redis-server")
		host_server redis 6379 "redis-cli -p 6379 PING | grep -qx PONG" 0 "$cmd"
		;;
	"ward run --profile redis -- redis-server --port 6380 --bind 127.0.0.1")
		host_server redis 6380 "redis-cli -p 6380 PING | grep -qx PONG" 0 "$cmd"
		;;
	"ward run --profile postgres --user 10001 "*)
		postgres_doc "$cmd"
		;;
	*)
		not_ok "a runner for: $cmd" "tests/data/documented-commands.txt says run; this file does not know how"
		;;
	esac
done 3< <(awk -F'\t' '$2 == "run" && !seen[$3]++ { print $3 }' "$TAP_TMP/entries")
rm -f "$W/ward-report.json"

tap_done
