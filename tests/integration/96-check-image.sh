#!/bin/bash
# ward check --image FILE: real images from a real Docker engine, in both
# formats, and hostile archives.  Nothing is run from the images.
#
# A private dockerd (tests/lib/docker.sh: own data root and socket, no
# bridge, stopped at exit) imports a busybox base and builds, with the
# classic builder and --network none:
#   leaky  COPY .env (layer 1) and id_rsa (layer 2), ARG API_TOKEN used in
#          RUN, ENV DB_PASSWORD, ENV DB_PASS and a DATABASE_URL with a
#          password, both files deleted by a later RUN (layer 3), setuid
#          busybox (the shell) and a world-writable directory (layer 4),
#          EXPOSE 80, no USER;
#   clean  its own /etc/passwd with app (10001), a static server, the
#          shell deleted, USER app, EXPOSE 8080, VOLUME /data;
#   wardep, wardprof, wardroot  no USER, a file named /usr/local/bin/ward
#          (the probe: the audit cannot tell) as the ENTRYPOINT with
#          `run --mode entrypoint --user 10001 --`, as examples/Dockerfile
#          writes it (`run --profile /etc/ward/app.profile --`), with
#          `--user root`, and with `--user root` after the program (its
#          own argument: ward's options end at the program).
# Both are saved (docker save) and converted with skopeo to an OCI layout
# directory (gzip layers) and an OCI tar (zstd layers).  ward must find
# every planted problem with its layer index in every format, print no
# secret value, score the leaky image EXPOSED or UNSAFE and the clean
# one SAFE or OK, give the JSON fields (schema 2: finding ids, severities,
# the image's user, layers and sizes), fail --fail-on/--max-exposure with
# exit 3 exactly when it should, rate the ward-entrypoint images by the
# user ward's arguments name, and suggest profiles that ward itself accepts.  Then
# hostile archives written here by python (a ../ member, an absolute
# member, a symlink chain, a symlink out of the archive, a gzip bomb, a
# truncated tar, malformed and oversized JSON, a ../ entry inside a
# layer, a pax header libarchive drops where Docker reads it) each get
# one clear error (exit 229), fast; Docker is shown to read that header.
# Decompression bombs are bounded by what they cost, not by their ratio:
# an image with a 70 MB file of zeros (docker save, then skopeo to an OCI
# layout: a 700:1 gzip layer) is read, while a gzip stream of 40 GiB is
# stopped at the bound of a layer's expanded bytes (8 GiB), or sooner at
# one given with --image-limit (layer-size, image-size, time), each error
# naming the option that raises it; raised, layer-size lets the header of
# an 8 GiB entry pass; a profile's image-limit line applies, and the
# command line's over it.  Archives of several images: docker
# save of two tags and an OCI layout of two refs are read with --tag and
# refused without it (the tags listed); a multi-platform index gives its
# linux/amd64 image with a notice, and one without it is refused.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"
# shellcheck source=tests/lib/fixtures.sh
. "$here/../lib/fixtures.sh"
# shellcheck source=tests/lib/docker.sh
. "$here/../lib/docker.sh"

command -v python3 >/dev/null || skip_all "python3 is missing (package python3)"
[ -x /bin/busybox ] || skip_all "/bin/busybox is missing (package busybox-static)"

SECRET_TOKEN=tok-WARDTESTbuildarg9f3k2
SECRET_ENVFILE=envfile-WARDTEST-7d2a
SECRET_KEY=KEYMATERIALwardtestb3BlbnNzaC1rZXk
SECRET_DBPW=dbpw-WARDTEST-41c8
SECRET_DBPASS=dbpass-WARDTEST-e5b0
SECRET_URLPW=urlpw-WARDTEST-0a9d
SECRETS="$SECRET_TOKEN|$SECRET_ENVFILE|$SECRET_KEY|$SECRET_DBPW|$SECRET_DBPASS|$SECRET_URLPW"

fixture_dir T || skip_all "cannot create a directory under ${TMPDIR:-/tmp}"
WARD_TIMEOUT=20

# ---- the engine and the images --------------------------------------------------
docker_start || bail "a private Docker daemon starts" "$DOCKER_WHY"
ok "a private Docker daemon starts"
need_pkg skopeo skopeo

B=$T/base
mkdir -p "$B"/{bin,etc,tmp,root}
chmod 1777 "$B/tmp"
cp /bin/busybox "$B/bin/busybox"
for a in sh ls rm cat chmod cp mkdir echo wc; do
	ln -s busybox "$B/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$B/etc/passwd"
docker_import wardtest/base "$B" || bail "docker import of the busybox base" "docker import failed"

L=$T/leaky
mkdir -p "$L"
echo "API_KEY=$SECRET_ENVFILE" >"$L/.env"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
	"$SECRET_KEY" >"$L/id_rsa"
cat >"$L/Dockerfile" <<EOF
FROM wardtest/base
COPY .env /app/.env
COPY id_rsa /root/.ssh/id_rsa
ARG API_TOKEN
RUN echo "\$API_TOKEN" | wc -c >/dev/null
ENV DB_PASSWORD=$SECRET_DBPW
ENV DB_PASS=$SECRET_DBPASS DATABASE_URL=postgres://app:$SECRET_URLPW@db/app
RUN rm /app/.env /root/.ssh/id_rsa
RUN chmod 4755 /bin/busybox && mkdir -p /srv/drop && chmod 0777 /srv/drop
EXPOSE 80
VOLUME /data
CMD ["/bin/sh"]
EOF
C=$T/clean
mkdir -p "$C"
cp "$PROBE" "$C/server"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001:app:/app:/sbin/nologin\n' >"$C/passwd"
cat >"$C/Dockerfile" <<'EOF'
FROM wardtest/base
COPY passwd /etc/passwd
COPY server /app/server
RUN ["/bin/busybox", "rm", "-rf", "/bin", "/root"]
USER app
WORKDIR /app
EXPOSE 8080
VOLUME /data
ENTRYPOINT ["/app/server"]
EOF
build() {
	local out
	out=$(DOCKER_BUILDKIT=0 dk build --network none "$@" 2>&1) ||
		bail "docker build $*" "$(tail -n 20 <<<"$out")"
}
build --build-arg "API_TOKEN=$SECRET_TOKEN" -t wardtest/leaky "$L"
build -t wardtest/clean "$C"
# ward_image NAME ENTRYPOINT-ARGS: an image whose ENTRYPOINT is "ward run".
ward_image() {
	local d=$T/$1
	mkdir -p "$d"
	cp "$PROBE" "$d/ward"
	cat >"$d/Dockerfile" <<EOF
FROM wardtest/base
COPY ward /usr/local/bin/ward
ENTRYPOINT ["/usr/local/bin/ward", "run", $2, "--"]
CMD ["/bin/sh"]
EOF
	build -t "wardtest/$1" "$d"
	dk save "wardtest/$1" -o "$T/$1.tar" || bail "docker save $1" "docker save failed"
}
ward_image wardep '"--mode", "entrypoint", "--user", "10001"'
ward_image wardprof '"--profile", "/etc/ward/app.profile"'
ward_image wardroot '"--mode=entrypoint", "--user=root"'
ward_image wardargs '"-v", "--net", "none", "--bind=/srv:/srv", "/app/server", "--user", "root"'
dk save wardtest/leaky -o "$T/leaky.tar" && dk save wardtest/clean -o "$T/clean.tar" ||
	bail "docker save" "docker save failed"
skopeo copy -q docker-archive:"$T/leaky.tar" oci:"$T/leaky-oci:latest" &&
	skopeo copy -q --dest-compress-format zstd docker-archive:"$T/leaky.tar" \
		oci-archive:"$T/leaky-oci.tar:latest" &&
	skopeo copy -q docker-archive:"$T/clean.tar" oci:"$T/clean-oci:latest" ||
	bail "skopeo copy to OCI layouts" "skopeo copy failed"
ok "images built, saved and converted (docker save, OCI directory, OCI tar)"

# ---- a large file of zeros is no bomb ------------------------------------------------
Z=$T/zeros
mkdir -p "$Z/data"
head -c 70000000 /dev/zero >"$Z/data/zeros"
{ docker_import wardtest/zeros "$Z" && dk save wardtest/zeros -o "$T/zeros.tar" &&
	skopeo copy -q docker-archive:"$T/zeros.tar" oci:"$T/zeros-oci:latest"; } ||
	bail "an image with 70 MB of zeros, as an OCI layout" "docker import, save or skopeo copy failed"
ratio=$(python3 - "$T/zeros-oci" <<'EOF'
import json, os, sys
d = sys.argv[1]
def blob(dg): return os.path.join(d, "blobs", "sha256", dg.split(":")[1])
idx = json.load(open(os.path.join(d, "index.json")))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
l = man["layers"][0]
print(70000000 // os.path.getsize(blob(l["digest"])) if l["mediaType"].endswith("gzip") else 0)
EOF
)
t0=$(date +%s%N)
run_ward check --image "$T/zeros-oci"
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$RC" = 0 ] && [ "${ratio:-0}" -ge 500 ]; then
	ok "a gzip layer with a 70 MB file of zeros ($ratio:1, OCI layout by skopeo): read ($ms ms)"
else
	not_ok "a gzip layer with a 70 MB file of zeros (OCI layout by skopeo): read" "ratio ${ratio:-?}:1" "$(last_run)"
fi
# Lowered below the file, the bound refuses it at its header, and says so.
run_ward check --image "$T/zeros-oci" --image-limit layer-size=64M
if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $T/zeros-oci: layer 0 \(blobs/sha256/[0-9a-f]{64}\): entry '(\./)?data/zeros' declares 70000000 bytes, more than the layer may still expand to \(--image-limit layer-size=64M raises it\)" <<<"$ERR"; then
	ok "the same, --image-limit layer-size=64M: refused, the bound named"
else
	not_ok "the same, --image-limit layer-size=64M: refused, the bound named" "$(last_run)"
fi

# ---- the leaky image, in every format -------------------------------------------------
# check_json FILE KIND: the report of FILE in JSON, checked by python;
# prints "ok" or what is wrong.
check_json() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
kind = sys.argv[2]
errs = []
def want(c, what):
    if not c:
        errs.append(what)
rows = doc.get("rows", [])
want(doc.get("schema") == 2, "schema 2")
want("plan" not in doc, "no plan object for --image alone")
for r in rows:
    want(set(r) == {"id", "ok", "weight", "finding", "fix", "finding_id", "severity",
                    "subject", "layer"}, "row keys %r" % sorted(r))
fids = [r["finding_id"] for r in rows]
want(len(fids) == len(set(fids)), "finding ids are unique: %r" % fids)
sev = {r["finding_id"]: r["severity"] for r in rows}
img = doc.get("image", {})
want(set(img) == {"name", "format", "user", "bytes", "entries", "layers"}, "image keys %r" % sorted(img))
want(set(img.get("user", {})) == {"config_user", "user", "uid", "gid", "root", "source", "ward",
                                   "profile"}, "image.user keys %r" % img.get("user"))
layers = img.get("layers", [])
want([l.get("index") for l in layers] == list(range(len(layers))), "layers in order")
for l in layers:
    want(set(l) == {"index", "digest", "bytes", "files", "history"}, "layer keys %r" % sorted(l))
    want(isinstance(l["bytes"], int) and l["bytes"] >= 0, "layer bytes %r" % l)
want(img.get("bytes") == sum(l["bytes"] for l in layers), "image bytes is the layers' sum")
by = {}
for r in rows:
    by.setdefault(r["id"], []).append(r)
for i in ("image.read", "image.user", "image.secret-file", "image.secret-env",
          "image.secret-history", "image.setuid", "image.world-writable",
          "image.tools", "image.packages", "image.size", "image.ports",
          "image.entrypoint"):
    want(i in by, "a row %s" % i)
def find(i, *parts):
    return [r for r in by.get(i, []) if all(p in r["finding"] for p in parts)]
if kind == "leaky":
    want(find("image.user", "no USER", "root") and not by["image.user"][0]["ok"], "user: root")
    env = find("image.secret-file", "/app/.env", "added in layer 1", "deleted in layer 3",
               "still readable in layer 1")
    want(env and not env[0]["ok"] and env[0]["weight"] > 0, "secret-file /app/.env layer 1, deleted in 3: %r" % by.get("image.secret-file"))
    key = find("image.secret-file", "/root/.ssh/id_rsa", "holds a private key",
               "added in layer 2", "deleted in layer 3")
    want(key, "secret-file id_rsa layer 2, private key, deleted in 3")
    want(all("COPY file:" in r["finding"] for r in by["image.secret-file"]),
         "secret-file rows name the COPY that added them")
    want(len(by["image.secret-file"]) == 2, "two secret files")
    want(find("image.secret-history", "build arg API_TOKEN=***", "layers 3"),
         "secret-history: API_TOKEN, in the RUN that made layer 3: %r" % by.get("image.secret-history"))
    want(find("image.secret-env", "ENV DB_PASSWORD=***"), "secret-env DB_PASSWORD")
    want(find("image.secret-env", "ENV DB_PASS=***"), "secret-env DB_PASS")
    want(find("image.secret-env", "ENV DATABASE_URL=***", "holds a URL with credentials"),
         "secret-env DATABASE_URL, a URL with credentials: %r" % by.get("image.secret-env"))
    want(find("image.secret-history", "DB_PASS=*** set by ENV"), "secret-history: ENV DB_PASS")
    want(find("image.secret-history", "a URL with credentials in the build command"),
         "secret-history: the URL's password: %r" % by.get("image.secret-history"))
    want(find("image.setuid", "/bin/busybox", "a shell"), "setuid shell /bin/busybox")
    want(find("image.world-writable", "/srv/drop"), "world-writable /srv/drop")
    want(find("image.tools", "shell"), "tools: a shell")
    want(find("image.ports", "80/tcp") and not by["image.ports"][0]["ok"], "port 80")
    want(find("image.size", "5 layers", "largest: layer"), "size: per layer")
    want(doc.get("verdict") in ("EXPOSED", "UNSAFE"), "verdict %r" % doc.get("verdict"))
    want(sev.get("image.user") == "high", "user: high")
    want(sev.get("image.secret-file:/app/.env") == "medium", "deleted .env: medium %r" % sev)
    want(sev.get("image.secret-file:/root/.ssh/id_rsa") == "medium", "deleted id_rsa: medium")
    want([r["layer"] for r in rows if r["finding_id"] == "image.secret-file:/app/.env"] == [1],
         ".env: layer 1")
    want(sev.get("image.secret-history:arg:API_TOKEN") == "high", "build arg: high %r" % sev)
    want(sev.get("image.secret-env:DB_PASSWORD") == "medium", "ENV DB_PASSWORD: medium")
    want(sev.get("image.setuid") == "high", "setuid shell: high")
    u = img.get("user", {})
    want(u.get("config_user") is None and u.get("uid") == 0 and u.get("root") is True and
         u.get("source") == "config", "image.user: root from the config %r" % u)
    want(len(layers) == 5 and layers[0]["bytes"] > 1000000, "5 layers, busybox in layer 0")
    want(layers[1]["history"] and layers[1]["history"].startswith("COPY file:"),
         "layer 1's history line: %r" % layers[1])
    want(all("WARDTEST" not in (l["history"] or "") for l in layers), "history masked")
else:
    bad = [r for r in rows if not r["ok"] and r["weight"] > 0 and r["id"] != "image.entrypoint"]
    want(not bad, "clean: no risk rows but the entrypoint: %r" % bad)
    want(find("image.user", "USER app", "uid 10001") and by["image.user"][0]["ok"], "user app 10001")
    want(find("image.ports", "8080/tcp") and by["image.ports"][0]["ok"], "port 8080 ok")
    want(doc.get("verdict") in ("SAFE", "OK"), "verdict %r" % doc.get("verdict"))
    u = img.get("user", {})
    want(u.get("config_user") == "app" and u.get("user") == "app" and u.get("uid") == 10001 and
         u.get("gid") == 10001 and u.get("root") is False and u.get("source") == "config",
         "image.user: app 10001 %r" % u)
total = min(10.0, sum(r["weight"] for r in rows))
want(abs(doc.get("exposure", -1) - total) < 1e-6, "exposure is the sum")
print("\n".join(errs) if errs else "ok")
EOF
}

for f in leaky.tar leaky-oci leaky-oci.tar; do
	run_ward check --image "$T/$f" --json
	expect_rc "leaky $f: exit 0" 0
	printf '%s\n' "$OUT" >"$T/$f.json"
	expect_eq "leaky $f: every planted problem, with its layer index; EXPOSED or UNSAFE" ok \
		"$(check_json "$T/$f.json" leaky 2>&1)"
	expect_no_match "leaky $f: no secret value in the report" "$SECRETS" "$OUT$ERR"
done
same=$(python3 - "$T"/leaky.tar.json "$T"/leaky-oci.json "$T"/leaky-oci.tar.json <<'EOF'
import json, sys
docs = [json.load(open(p)) for p in sys.argv[1:]]
def rows(d):
    return [(r["id"], r["ok"], r["weight"], r["finding"]) for r in d["rows"]
            if r["id"] != "image.read"]
print("ok" if all(rows(d) == rows(docs[0]) for d in docs) else
      "differ:\n" + "\n".join(map(str, rows(docs[0]))) + "\n--\n" + "\n".join(map(str, rows(docs[1]))))
EOF
)
expect_eq "leaky: the same rows from docker save, OCI directory (gzip) and OCI tar (zstd)" ok "$same"

run_ward check --image "$T/leaky.tar"
expect_match "text: the setuid row" '^image\.setuid +RISK +2\.5 +1 setuid/setgid file, a shell among them: /bin/busybox$' "$OUT"
expect_match "text: the .env row" '^image\.secret-file +RISK +2\.0 +/app/\.env \(secret by its name\) added in layer 1 by "COPY file:[0-9a-f]{12}\.\.\. in /app/\.env"; deleted in layer 3' "$OUT"
expect_match "text: the exposure line" '^exposure: 10\.0 of 10 \(UNSAFE\)$' "$OUT"
expect_no_match "text: no secret value" "$SECRETS" "$OUT$ERR"

# ---- the clean image ------------------------------------------------------------------
for f in clean.tar clean-oci; do
	run_ward check --image "$T/$f" --json
	printf '%s\n' "$OUT" >"$T/$f.json"
	expect_eq "clean $f: a clean report, SAFE or OK" ok "$(check_json "$T/$f.json" clean 2>&1)"
done

# ---- archives of several images: --tag ------------------------------------------------------
# docker save of two tags, an OCI layout of two refs (skopeo, as it
# writes org.opencontainers.image.ref.name), and a multi-platform index
# made from them (clean as linux/amd64, between leaky as linux/arm64/v8
# and as linux/s390x: neither the first entry nor the last).
dk save wardtest/leaky wardtest/clean -o "$T/two.tar" &&
	skopeo copy -q docker-archive:"$T/leaky.tar" oci:"$T/two-oci:leaky" &&
	skopeo copy -q docker-archive:"$T/clean.tar" oci:"$T/two-oci:clean" ||
	bail "archives of two images" "docker save or skopeo copy failed"
run_ward check --image "$T/two.tar"
if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $T/two\.tar: manifest\.json: 2 images \((wardtest/leaky:latest, wardtest/clean:latest|wardtest/clean:latest, wardtest/leaky:latest)\): choose one with --tag REPO:TAG" <<<"$ERR"; then
	ok "docker save of two tags, no --tag: refused, the tags listed"
else
	not_ok "docker save of two tags, no --tag: refused, the tags listed" "$(last_run)"
fi
run_ward check --image "$T/two.tar" --tag wardtest/clean:latest
expect_out_match "docker save of two tags, --tag wardtest/clean:latest: that image read" \
	'^image: docker save archive wardtest/clean:latest: 4 layers, .* entries; one of the 2 images of the archive$'
expect_match "docker save of two tags, --tag wardtest/clean:latest: its user (app)" '^image\.user +ok .*app' "$OUT"
run_ward check --image "$T/two.tar" --tag wardtest/leaky
expect_out_match "docker save of two tags, --tag wardtest/leaky (Docker's :latest): that image read" \
	'^image: docker save archive wardtest/leaky:latest: '
run_ward check --image "$T/two.tar" --tag wardtest/nope:1
if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $T/two\.tar: manifest\.json: no image tagged 'wardtest/nope:1' \(the archive has .*wardtest/clean:latest" <<<"$ERR"; then
	ok "docker save of two tags, --tag of neither: refused, the tags listed"
else
	not_ok "docker save of two tags, --tag of neither: refused, the tags listed" "$(last_run)"
fi
run_ward check --image "$T/two-oci"
if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $T/two-oci: OCI index: several images \(leaky, clean\): choose one with --tag NAME" <<<"$ERR"; then
	ok "an OCI layout of two refs, no --tag: refused, the refs listed"
else
	not_ok "an OCI layout of two refs, no --tag: refused, the refs listed" "$(last_run)"
fi
run_ward check --image "$T/two-oci" --tag clean
expect_out_match "an OCI layout of two refs, --tag clean: that image read" \
	'^image: OCI layout directory clean: 4 layers, .* entries; one of the 2 images of the archive$'
python3 - "$T" <<'EOF' || not_ok "the multi-platform layouts are written"
import hashlib, json, os, shutil, sys
t = sys.argv[1]
def blob(d, dg): return os.path.join(d, "blobs", "sha256", dg.split(":")[1])
def write_blob(d, data):
    dg = "sha256:" + hashlib.sha256(data).hexdigest()
    open(blob(d, dg), "wb").write(data)
    return dg
def layout(name, plats):
    d = os.path.join(t, name)
    shutil.copytree(os.path.join(t, "two-oci"), d)
    refs = {m["annotations"]["org.opencontainers.image.ref.name"]: m
            for m in json.load(open(os.path.join(d, "index.json")))["manifests"]}
    mans = []
    for ref, (os_, arch, variant) in plats:
        m = dict(refs[ref]); m.pop("annotations")
        m["platform"] = {"os": os_, "architecture": arch}
        if variant:
            m["platform"]["variant"] = variant
        mans.append(m)
    nested = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                         "manifests": mans}).encode()
    dg = write_blob(d, nested)
    json.dump({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": dg, "size": len(nested),
        "annotations": {"org.opencontainers.image.ref.name": "multi"}}]},
        open(os.path.join(d, "index.json"), "w"))
layout("multi-oci", [("leaky", ("linux", "arm64", "v8")), ("clean", ("linux", "amd64", None)),
                     ("leaky", ("linux", "s390x", None))])
layout("noamd64-oci", [("leaky", ("linux", "arm64", "v8")), ("clean", ("linux", "s390x", None))])
EOF
run_ward check --image "$T/multi-oci"
expect_out_match "a multi-platform index: linux/amd64 read (the clean image)" \
	'^image: OCI layout directory multi: 4 layers, '
expect_match "a multi-platform index: a notice names the platform read" \
	'^ward: notice: the index lists 3 platforms \(linux/arm64/v8, linux/amd64, linux/s390x\): linux/amd64 was read$' "$ERR"
expect_match "a multi-platform index: the clean image's user" '^image\.user +ok .*app' "$OUT"
run_ward check --image "$T/noamd64-oci"
if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $T/noamd64-oci: OCI index: no linux/amd64 image among its platforms \(linux/arm64/v8, linux/s390x\)" <<<"$ERR"; then
	ok "an index without linux/amd64: refused, its platforms listed"
else
	not_ok "an index without linux/amd64: refused, its platforms listed" "$(last_run)"
fi

# ---- CI: --fail-on and --max-exposure --------------------------------------------------------
run_ward check --image "$T/leaky.tar" --fail-on high
expect_rc "leaky --fail-on high: exit 3" 3
expect_match "leaky --fail-on high: stderr names the findings by id" \
	'^ward: check: failed: [0-9]+ findings at or above high \(image\.user, .*image\.secret-history:arg:API_TOKEN' "$ERR"
run_ward check --image "$T/leaky-oci" --json --fail-on critical
expect_rc "leaky (OCI) --fail-on critical: no critical row, exit 0" 0
run_ward check --image "$T/clean.tar" --fail-on medium
expect_rc "clean --fail-on medium: exit 0" 0
run_ward check --image "$T/clean.tar" --fail-on low
expect_rc "clean --fail-on low: the entrypoint row (low) fails it, exit 3" 3
run_ward check --image "$T/clean.tar" --max-exposure 1
expect_rc "clean --max-exposure 1: exit 0" 0
run_ward check --image "$T/leaky.tar" --max-exposure 9.5 --json
if [ "$RC" = 3 ] && python3 -c 'import json, sys; assert json.load(sys.stdin)["exposure"] == 10' <<<"$OUT"; then
	ok "leaky --max-exposure 9.5 --json: exit 3, the report on stdout"
else
	not_ok "leaky --max-exposure 9.5 --json: exit 3, the report on stdout" "$(last_run)"
fi
run_ward check --image "$T/clean.tar" --suggest --fail-on high
expect_rc "--suggest with --fail-on: a usage error" 125

# ---- an image whose ENTRYPOINT is ward run --------------------------------------------------
# user_of FILE: "ok|RISK <the image.user finding>", then the JSON's
# image.user as a list.
user_of() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = [r for r in d["rows"] if r["id"] == "image.user"][0]
u = d["image"]["user"]
print("ok" if r["ok"] else "RISK", r["finding"])
print(json.dumps([u[k] for k in ("source", "ward", "user", "uid", "root", "profile", "config_user")]))
EOF
}
word="on the entrypoint's word: the audit cannot prove that /usr/local/bin/ward is ward"
run_ward check --image "$T/wardep.tar" --json
printf '%s\n' "$OUT" >"$T/wardep.json"
expect_eq "ward --mode entrypoint --user 10001, no USER: rated by ward's --user" \
	"ok the command runs /usr/local/bin/ward run --mode entrypoint --user 10001: ward switches to uid 10001 before the program starts; $word
[\"ward-entrypoint\", \"/usr/local/bin/ward\", \"10001\", 10001, false, null, null]" \
	"$(user_of "$T/wardep.json")"
run_ward check --image "$T/wardep.tar" --fail-on high
expect_rc "ward-entrypoint image --fail-on high: not root, exit 0" 0
expect_match "text: the user row rests on the entrypoint's word" \
	"^image\.user +ok +0\.0 +the command runs /usr/local/bin/ward run --mode entrypoint --user 10001: .*cannot prove" "$OUT"
run_ward check --image "$T/wardprof.tar" --json
printf '%s\n' "$OUT" >"$T/wardprof.json"
expect_eq "examples/Dockerfile's form (ward run --profile FILE): the profile's user, never root" \
	"ok the command runs /usr/local/bin/ward run --profile /etc/ward/app.profile: ward switches to the user the profile names (not read here; ward never runs a program as root); $word
[\"ward-entrypoint\", \"/usr/local/bin/ward\", null, null, false, \"/etc/ward/app.profile\", null]" \
	"$(user_of "$T/wardprof.json")"
run_ward check --image "$T/wardroot.tar" --json
printf '%s\n' "$OUT" >"$T/wardroot.json"
expect_eq "ward run --user=root: ward refuses uid 0, a risk" \
	"RISK the command runs /usr/local/bin/ward run --mode entrypoint --user root: uid 0, which ward refuses: the program does not start; $word
[\"ward-entrypoint\", \"/usr/local/bin/ward\", \"root\", 0, true, null, null]" \
	"$(user_of "$T/wardroot.json")"
run_ward check --image "$T/wardargs.tar" --json
printf '%s\n' "$OUT" >"$T/wardargs.json"
expect_eq "ward run -v --net none --bind=... PROGRAM --user root: the program's --user, not ward's" \
	"ok the command runs /usr/local/bin/ward run without --user: ward switches to its default uid 10001; $word
[\"ward-entrypoint\", \"/usr/local/bin/ward\", null, 10001, false, null, null]" \
	"$(user_of "$T/wardargs.json")"

# ---- --suggest ----------------------------------------------------------------------------
run_ward check --image "$T/clean.tar" --suggest
printf '%s\n' "$OUT" >"$T/clean.profile"
if [ "$RC" = 0 ] && grep -qx 'user 10001:10001' <<<"$OUT" && grep -qx 'tmpfs /data' <<<"$OUT" &&
	grep -qx 'tmpfs /tmp' <<<"$OUT" && grep -qx 'seccomp default' <<<"$OUT" &&
	grep -qx 'workdir /app' <<<"$OUT" && ! grep -q '^cap-keep' <<<"$OUT"; then
	ok "suggest (clean): the image's user app, tmpfs for /tmp and the VOLUME, no capability"
else
	not_ok "suggest (clean): the image's user app, tmpfs for /tmp and the VOLUME, no capability" "$(last_run)"
fi
run_ward check --profile "$T/clean.profile"
expect_rc "suggest (clean): ward accepts the profile" 0
run_ward check --image "$T/leaky.tar" --suggest
printf '%s\n' "$OUT" >"$T/leaky.profile"
if [ "$RC" = 0 ] && grep -qx 'user 10001:10001' <<<"$OUT" &&
	grep -qx '#   RUN chown -R 10001:10001 /data' <<<"$OUT" &&
	grep -q 'left out.*DB_PASSWORD' <<<"$OUT" && ! grep -q '^env DB_PASSWORD' <<<"$OUT" &&
	grep -q 'left out.*DB_PASS, DATABASE_URL' <<<"$OUT" && ! grep -q '^env DATABASE_URL' <<<"$OUT" &&
	grep -qx '#   cap-keep net_bind_service' <<<"$OUT"; then
	ok "suggest (leaky): a uid of its own with the chown lines, the secret left out, port 80 explained"
else
	not_ok "suggest (leaky): a uid of its own with the chown lines, the secret left out, port 80 explained" "$(last_run)"
fi
expect_no_match "suggest (leaky): no secret value" "$SECRETS" "$OUT$ERR"
run_ward check --profile "$T/leaky.profile"
expect_rc "suggest (leaky): ward accepts the profile" 0

# ---- usage ------------------------------------------------------------------------------------
WARD_CACHE_DIR=$T/run-cache run_ward run --image "$T/leaky.tar" -- /bin/true
expect_rc "ward run --image of the leaky image: its findings are history only, it starts (127: no /bin/true in it)" 127
expect_match "...saying the audit's findings are in its history only" \
	"credentials in the image's history only .*ward check --image $T/leaky.tar lists them" "$ERR"
run_ward check --suggest
expect_rc "--suggest without --image: a usage error" 125
run_ward check --image "$T/leaky.tar" --suggest --json
expect_rc "--suggest with --json: a usage error" 125
run_ward check --image "$T/missing.tar"
expect_rc "a missing image: exit 229" 229
run_ward check --tag wardtest/leaky
expect_rc "--tag without --image: a usage error" 125

# ---- hostile archives ----------------------------------------------------------------------
H=$T/hostile
mkdir -p "$H"
python3 - "$H" <<'EOF' || not_ok "the hostile archives are written"
import gzip, io, json, os, sys, tarfile
out = sys.argv[1]
def add(t, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
    t.addfile(ti, io.BytesIO(data))
def link(t, name, target):
    ti = tarfile.TarInfo(name); ti.type = tarfile.SYMTYPE; ti.linkname = target
    t.addfile(ti)
def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for n, d in entries:
            add(t, n, d)
    return b.getvalue()
CONFIG = json.dumps({"config": {"User": "app"}, "history": [{"created_by": "COPY x"}]}).encode()
def save(name, members, manifest=None, config=CONFIG):
    man = manifest if manifest is not None else json.dumps(
        [{"Config": "config.json", "RepoTags": ["hostile:1"], "Layers": ["l0/layer.tar"]}]).encode()
    with tarfile.open(os.path.join(out, name), "w", format=tarfile.PAX_FORMAT) as t:
        for m in members:
            m(t)
        add(t, "config.json", config)
        add(t, "manifest.json", man)
ok = layer([("etc/passwd", b"root:x:0:0::/root:/bin/sh\n")])
save("dotdot.tar", [lambda t: add(t, "l0/layer.tar", ok), lambda t: add(t, "../evil", b"x")])
save("absolute.tar", [lambda t: add(t, "l0/layer.tar", ok), lambda t: add(t, "/etc/evil", b"x")])
save("chain.tar", [lambda t: link(t, "l0/layer.tar", "../l1/layer.tar"),
                   lambda t: link(t, "l1/layer.tar", "../l2/layer.tar"),
                   lambda t: add(t, "l2/layer.tar", ok)])
save("escape.tar", [lambda t: link(t, "l0/layer.tar", "../../etc/passwd")])
# 8 GiB of zeros declared, as gzip members of 64 MiB each: an 8 MB file
hdr = tarfile.TarInfo("zeros"); hdr.size = 8 << 30
chunk = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
bomb = gzip.compress(hdr.tobuf(format=tarfile.GNU_FORMAT), 9) + chunk * 128
save("bomb.tar", [lambda t: add(t, "l0/layer.tar", bomb)])
# 40 GiB of zeros in 160 entries of 256 MiB, none declaring more than a
# layer may hold: only expanding the stream finds the size (a 40 MB file)
def zeros_layer(entries, size):
    out = []
    for i in range(entries):
        h = tarfile.TarInfo("zeros%d" % i); h.size = size
        out.append(gzip.compress(h.tobuf(format=tarfile.GNU_FORMAT), 9) + chunk * (size >> 26))
    return b"".join(out)
save("streambomb.tar", [lambda t: add(t, "l0/layer.tar", zeros_layer(160, 256 << 20))])
# two layers of 768 MiB each
two = zeros_layer(3, 256 << 20)
save("twolayers.tar", [lambda t: add(t, "l0/layer.tar", two), lambda t: add(t, "l1/layer.tar", two)],
     manifest=json.dumps([{"Config": "config.json", "RepoTags": ["hostile:1"],
                           "Layers": ["l0/layer.tar", "l1/layer.tar"]}]).encode())
save("full.tar", [lambda t: add(t, "l0/layer.tar", ok + b"\0" * 20000)])
data = open(os.path.join(out, "full.tar"), "rb").read()
open(os.path.join(out, "truncated.tar"), "wb").write(data[:6000])
save("badjson.tar", [lambda t: add(t, "l0/layer.tar", ok)],
     manifest=b'[{"Config": "config.json", "Layers": ["l0/layer.tar"]')
save("bigjson.tar", [lambda t: add(t, "l0/layer.tar", ok)],
     config=b'{"history": "' + b"a" * (9 << 20) + b'"}')
save("layerdotdot.tar", [lambda t: add(t, "l0/layer.tar", layer([("../../etc/cron.d/x", b"x")]))])
save("configdotdot.tar", [lambda t: add(t, "l0/layer.tar", ok)],
     manifest=json.dumps([{"Config": "../config.json", "Layers": ["l0/layer.tar"]}]).encode())
EOF
# hostile FILE DESC ERE: exit 229 within the timeout, one line matching ERE.
hostile() {
	local t0 t1
	t0=$(date +%s%N)
	run_ward check --image "$H/$1"
	t1=$(date +%s%N)
	if [ "$RC" = 229 ] && grep -Eq -- "^ward: image: $H/$1: $3" <<<"$ERR"; then
		ok "hostile: $2 ($(((t1 - t0) / 1000000)) ms)"
	else
		not_ok "hostile: $2" "expected exit 229 and: ward: image: $H/$1: $3" "$(last_run)"
	fi
}
hostile dotdot.tar "a ../ member" "member '\.\./evil' has a '\.\.' component: refused"
hostile absolute.tar "an absolute member" "member '/etc/evil' is an absolute path: refused"
hostile chain.tar "a symlink chain" "member 'l0/layer\.tar' is a symlink chain \(a link to a link\): refused"
hostile escape.tar "a symlink out of the archive" "member 'l0/layer\.tar' links outside the archive"
hostile bomb.tar "a gzip bomb (an entry of 8 GiB: refused at its header)" \
	"layer 0 \(l0/layer\.tar\): entry 'zeros' declares 8589934592 bytes, more than the layer may still expand to \(--image-limit layer-size=8G raises it\)"
hostile truncated.tar "a truncated tar" "Truncated"
hostile badjson.tar "malformed JSON" "manifest\.json: malformed JSON"
hostile bigjson.tar "a 9 MiB config" "config\.json: [0-9]+ bytes, more than the 8388608 allowed \(WARD_IMAGE_MAX_JSON\)"
hostile layerdotdot.tar "a ../ entry inside a layer" "layer 0 \(l0/layer\.tar\): entry '\.\./\.\./etc/cron\.d/x' has a '\.\.' component"
hostile configdotdot.tar "a Config outside the archive" "manifest\.json: Config '\.\./config\.json' is not a plain name"

# bomb SECONDS FILE DESC ERE [OPTIONS...]: as hostile, within SECONDS.
bomb() {
	local secs=$1 file=$2 desc=$3 ere=$4 t0 ms
	shift 4
	t0=$(date +%s%N)
	run_ward check --image "$H/$file" "$@"
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$RC" = 229 ] && [ "$ms" -lt $((secs * 1000)) ] &&
		grep -Eq -- "^ward: image: $H/$file: $ere" <<<"$ERR"; then
		ok "bomb: $desc ($ms ms)"
	else
		not_ok "bomb: $desc" "expected exit 229 within ${secs}s ($ms ms) and: ward: image: $H/$file: $ere" "$(last_run)"
	fi
}
bomb 10 streambomb.tar "40 GiB of gzip, --image-limit layer-size=1G: stopped at 1 GiB" \
	"layer 0 \(l0/layer\.tar\): (more than 1073741824 bytes expanded from this layer|entry 'zeros[0-9]+' declares 268435456 bytes, more than the layer may still expand to) \(--image-limit layer-size=1G raises it\)" \
	--image-limit layer-size=1G
bomb 10 streambomb.tar "40 GiB of gzip, --image-limit time=2s: stopped after 2 s" \
	"layer 0 \(l0/layer\.tar\): still reading when the time allowed ran out \(--image-limit time=2s raises it\)" \
	--image-limit time=2s
bomb 10 twolayers.tar "two layers of 768 MiB, --image-limit image-size=1G: stopped in layer 1" \
	"layer 1 \(l1/layer\.tar\): .*the image.* \(--image-limit image-size=1G raises it\)" \
	--image-limit image-size=1G
# Raised above the entry of 8 GiB, layer-size lets its header pass (the
# read goes on, until the time bound lowered with it stops it).
bomb 10 bomb.tar "an entry of 8 GiB, --image-limit layer-size=9G,time=1s: read past its header, stopped after 1 s" \
	"layer 0 \(l0/layer\.tar\): still reading when the time allowed ran out \(--image-limit time=1s raises it\)" \
	--image-limit layer-size=9G,time=1s
# A profile's image-limit line, and the command line's over it.
printf 'ward-profile 1\nimage-limit time=1s,layer-size=1G\n' >"$H/limits.profile"
bomb 10 streambomb.tar "40 GiB of gzip, a profile's image-limit time=1s: stopped after 1 s" \
	"layer 0 \(l0/layer\.tar\): still reading when the time allowed ran out \(--image-limit time=1s raises it\)" \
	--profile "$H/limits.profile"
bomb 10 streambomb.tar "40 GiB of gzip, the profile's time=1s raised by --image-limit time=1m: stopped at its layer-size=1G" \
	"layer 0 \(l0/layer\.tar\): (more than 1073741824 bytes expanded from this layer|entry 'zeros[0-9]+' declares 268435456 bytes, more than the layer may still expand to) \(--image-limit layer-size=1G raises it\)" \
	--profile "$H/limits.profile" --image-limit time=1m
# The defaults: 8 GiB of one layer, what inflating and hashing it costs
# (about 20 s at 0.42 GB/s on one core here, more when the machine is
# busy; the bounds above, lowered, stop the same bomb in 1 to 3 s).
WARD_TIMEOUT=90
bomb 60 streambomb.tar "40 GiB of gzip, the defaults: stopped at 8 GiB" \
	"layer 0 \(l0/layer\.tar\): (more than 8589934592 bytes expanded from this layer|entry 'zeros[0-9]+' declares 268435456 bytes, more than the layer may still expand to) \(--image-limit layer-size=8G raises it\)"
WARD_TIMEOUT=20
run_ward check --image "$H/streambomb.tar" --image-limit layer-size=1X
expect_match "--image-limit with a wrong size: a usage error" \
	"^ward: usage: --image-limit layer-size=1X: a size above 0" "$ERR"

# ---- pax headers: what libarchive reads must be what Docker extracts ----------------
# Layer 0 has an /etc/passwd where app is uid 1000.  In layer 1, the
# member harmless.txt carries a pax header of 1,000,100 bytes: a comment
# record over libarchive's 999,999-byte limit, then path=etc/passwd.
# libarchive drops the header (a warning) and names the member
# harmless.txt; Docker's Go reader takes it and writes an /etc/passwd
# where app is uid 0.  utf8.tar names a file in a pax header with UTF-8
# (as Debian's ca-certificates does): read in the C locale, libarchive
# warns that it cannot convert the name and keeps its bytes, as Docker does.
python3 - "$H" <<'EOF' || not_ok "the pax archives are written"
import hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, pax in entries:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644
            ti.pax_headers = pax
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
def save(name, layers):
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"User": "app", "Cmd": ["/app/server"]},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": [{"created_by": "COPY rootfs /"} for l in layers]}).encode()
    names = ["l%d/layer.tar" % i for i in range(len(layers))]
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["wardtest/" + name[:-4] + ":1"],
                            "Layers": names}]).encode()
    with tarfile.open(os.path.join(out, name), "w", format=tarfile.PAX_FORMAT) as t:
        for n, d in list(zip(names, layers)) + [("config.json", config), ("manifest.json", manifest)]:
            ti = tarfile.TarInfo(n); ti.size = len(d); ti.mode = 0o644
            t.addfile(ti, io.BytesIO(d))
def record(key, value):  # "LEN key=value\n", LEN counting itself, as tarfile writes it
    rest = " %s=%s\n" % (key, value)
    n = len(rest) + 1
    while len(str(n)) + len(rest) != n:
        n += 1
    return "%d%s" % (n, rest)
root = b"root:x:0:0:root:/root:/bin/sh\n"
big = {"comment": "x" * 1000064, "path": "etc/passwd"}
assert sum(len(record(k, v)) for k, v in big.items()) == 1000100
save("bigpax.tar", [layer([("etc/passwd", root + b"app:x:1000:1000:app:/app:/bin/sh\n", {})]),
                    layer([("harmless.txt", root + b"app:x:0:0:app:/app:/bin/sh\n", big)])])
save("utf8.tar", [layer([("etc/passwd", root + b"app:x:1000:1000:app:/app:/bin/sh\n", {}),
                         ("usr/share/ca-certificates/cert.crt", b"x",
                          {"path": "usr/share/ca-certificates/NetLock_Arany_=Class_Gold=_F\u0151tan\u00fas\u00edtv\u00e1ny.crt"}),
                         ("app/cle/.env", b"API_KEY=x\n", {"path": "app/cl\u00e9/.env"})])])
EOF
hostile bigpax.tar "a pax header of 1,000,100 bytes (path=etc/passwd over harmless.txt)" \
	"layer 1 \(l1/layer\.tar\): entry 'harmless\.txt': its tar headers fill [0-9]+ bytes, more than 16384 \(WARD_IMAGE_MAX_HEADER\)"
# What Docker makes of it: the /etc/passwd ward would have missed.
if dk load -i "$H/bigpax.tar" >/dev/null 2>&1 && cid=$(dk create wardtest/bigpax:1 2>/dev/null); then
	passwd=$(dk cp "$cid:/etc/passwd" - 2>/dev/null | tar -xOf - 2>/dev/null)
	dk rm "$cid" >/dev/null 2>&1
	expect_match "Docker extracts etc/passwd from that pax header: app is uid 0" '^app:x:0:0:' "$passwd"
else
	not_ok "Docker extracts etc/passwd from that pax header: app is uid 0" "docker load or create failed"
fi
LC_ALL=C run_ward check --image "$H/utf8.tar"
expect_rc "a UTF-8 name in a pax header, LC_ALL=C: read (exit 0)" 0
expect_match "a UTF-8 name in a pax header: reported with its own bytes" \
	'^image\.secret-file +RISK .*/app/cl\\xc3\\xa9/\.env \(secret by its name\) added in layer 0' "$OUT"

tap_done
