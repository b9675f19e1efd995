#!/usr/bin/env python3
"""Write a docker save archive around layers a test describes, hostile or
not, with the digests right (unless told to spoil one).

    tests/lib/hostile-image.py SPEC.json OUT.tar      (SPEC - : stdin)
    tests/lib/hostile-image.py --list OUT.tar

--list prints what an archive's layers hold, a line per member:
"LAYER NAME TYPE MODE [XATTR...]" (TYPE as in SPEC, MODE octal), so a
test can check that the hostile entries are really there.

SPEC (JSON):
  {"layout": "legacy" | "blobs",     legacy: <id>/layer.tar members, as
                                     docker save <= 24 writes them; blobs:
                                     blobs/sha256/<hex> plus index.json and
                                     oci-layout, as docker save >= 25
   "tag": "repo:tag",                (default wardtest/hostile:1)
   "config": {...},                  the config's "config" object (User,
                                     Cmd, Entrypoint, WorkingDir, ...)
   "spoil": "diff-id" | "blob-name", the last layer's diff_id in the
                                     config, or its blob's name, made wrong
   "member-link": "TARGET",          (legacy) the last layer's layer.tar
                                     member a symlink to TARGET, as docker
                                     save links a repeated layer to its
                                     first copy
   "poison": [ENTRY, ...],           the last layer stored with these
                                     entries instead, its diff_id (and so
                                     the config, and the image's digest)
                                     still the described layer's: one
                                     archive passing for another image
   "layers": [{"gzip": bool, "bomb": bool, "entries": [ENTRY, ...]}, ...]}

ENTRY: {"name": NAME, "type": T, "mode": "0644" (octal text), "uid": 0,
        "gid": 0, ...} where T is
  file      "data" (text) or "from" (a host file copied in); "mtime"
            (any type; default 1700000000)
  dir
  symlink   "target"
  hardlink  "target" (the member it links to)
  chr, blk  "major", "minor"
  fifo
  zeros     "size" bytes of zeros, streamed: never held in memory
  and any entry may carry "xattrs": {"security.capability": "hex:0100...",
  "user.x": "text"} written as PAX SCHILY.xattr records (as Docker does).
NAME is written as given: "/abs" and "a/../../x" stay what they are.

A gzip layer whose zeros entries are all multiples of 16 MiB and whose
"bomb" is true is written without expanding anything: the deflate stream
of 16 MiB of zeros is produced twice and compared (after a full flush it
does not depend on what came before), then repeated as bytes.  Its diff_id, and the gzip
trailer's CRC, are then not computed (hashing tens of GB would take
minutes): a reader must stop such a layer on its bounds before its end,
and the test asserts the message that says which bound.

Only the Python standard library: tarfile, json, hashlib, gzip/zlib."""
import hashlib
import io
import json
import os
import struct
import sys
import tarfile
import tempfile
import zlib

CHUNK = 16 << 20
ZEROS = bytes(CHUNK)
TYPES = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
         "hardlink": tarfile.LNKTYPE, "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE,
         "fifo": tarfile.FIFOTYPE, "zeros": tarfile.REGTYPE}


def die(msg):
    sys.stderr.write("hostile-image.py: %s\n" % msg)
    sys.exit(1)


class Stored:
    """The layer as stored in the archive (a temporary file), with the
    digests of its plain (diff_id) and stored (blob) bytes."""

    def __init__(self, gzip, bomb, tmpdir):
        self.f = tempfile.TemporaryFile(dir=tmpdir)
        self.plain = None if bomb else hashlib.sha256()
        self.stored = hashlib.sha256()
        self.gz = zlib.compressobj(6, zlib.DEFLATED, -15) if gzip else None
        self.crc = 0
        self.isize = 0
        self.block = None
        self.verified = False
        if self.gz:
            # gzip header: no name, mtime 0, OS unknown
            self._out(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff")

    def _out(self, b):
        if b:
            self.f.write(b)
            self.stored.update(b)

    def write(self, b):
        if self.plain:
            self.plain.update(b)
        self.isize += len(b)
        if self.gz:
            if self.plain:
                self.crc = zlib.crc32(b, self.crc)
            self._out(self.gz.compress(b))
        else:
            self._out(b)

    def zeros(self, n):
        while n > 0:
            k = min(n, CHUNK)
            self.write(ZEROS if k == CHUNK else bytes(k))
            n -= k

    def bomb_zeros(self, n):
        """n bytes of zeros, multiples of CHUNK, never expanded."""
        if n % CHUNK:
            die("a bomb's zeros entries must be multiples of %d bytes" % CHUNK)
        self._out(self.gz.flush(zlib.Z_FULL_FLUSH))
        # the first two blocks deflated, and checked to be the same bytes;
        # the rest copied
        while n > 0 and not self.verified:
            block = self.gz.compress(ZEROS) + self.gz.flush(zlib.Z_FULL_FLUSH)
            if self.block and block != self.block:
                die("deflate of zeros is not repeatable after a full flush")
            self.verified = self.block is not None
            self.block = block
            self._out(block)
            self.isize += CHUNK
            n -= CHUNK
        for _ in range(n // CHUNK):
            self._out(self.block)
        self.isize += n

    def finish(self):
        if self.gz:
            self._out(self.gz.flush(zlib.Z_FINISH))
            self._out(struct.pack("<II", self.crc & 0xFFFFFFFF, self.isize & 0xFFFFFFFF))
        self.f.flush()
        self.size = self.f.tell()
        self.f.seek(0)
        self.diff_id = "sha256:" + (self.plain.hexdigest() if self.plain else "0" * 64)
        self.digest = "sha256:" + self.stored.hexdigest()


def xattr_value(v):
    if v.startswith("hex:"):
        return bytes.fromhex(v[4:]).decode("utf-8", "surrogateescape")
    return v


def tarinfo(e):
    t = e.get("type", "file")
    if t not in TYPES:
        die("unknown entry type %r" % t)
    ti = tarfile.TarInfo(e["name"])
    ti.type = TYPES[t]
    mode = e.get("mode", 0o755 if t == "dir" else 0o777 if t == "symlink" else 0o644)
    ti.mode = int(mode, 8) if isinstance(mode, str) else mode
    ti.uid = e.get("uid", 0)
    ti.gid = e.get("gid", 0)
    ti.uname = ti.gname = ""
    ti.mtime = e.get("mtime", 1700000000)
    if t in ("symlink", "hardlink"):
        ti.linkname = e["target"]
    if t in ("chr", "blk"):
        ti.devmajor = e.get("major", 1)
        ti.devminor = e.get("minor", 3)
    data = b""
    if t == "file":
        if "from" in e:
            with open(e["from"], "rb") as f:
                data = f.read()
        else:
            data = e.get("data", "").encode()
        ti.size = len(data)
    elif t == "zeros":
        ti.size = e["size"]
    if "xattrs" in e:
        ti.pax_headers = {"SCHILY.xattr." + k: xattr_value(v) for k, v in e["xattrs"].items()}
    return ti, data


def write_layer(layer, tmpdir):
    gzip = layer.get("gzip", False)
    bomb = gzip and layer.get("bomb", False)
    s = Stored(gzip, bomb, tmpdir)
    for e in layer["entries"]:
        ti, data = tarinfo(e)
        s.write(ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        if e.get("type") == "zeros":
            if bomb:
                s.bomb_zeros(ti.size)
            else:
                s.zeros(ti.size)
        else:
            s.write(data)
        if ti.size % 512:
            s.write(bytes(512 - ti.size % 512))
    s.write(bytes(1024))  # the end of the archive, as Go's archive/tar writes it
    s.finish()
    return s


def add_bytes(out, name, data):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mode = 0o644
    ti.mtime = 0
    out.addfile(ti, io.BytesIO(data))


def add_dir(out, name):
    ti = tarfile.TarInfo(name)
    ti.type = tarfile.DIRTYPE
    ti.mode = 0o755
    ti.mtime = 0
    out.addfile(ti)


def spoilt(digest):
    return digest[:20] + ("1" if digest[20] == "0" else "0") + digest[21:]


def list_layers(path):
    names = {v: k for k, v in TYPES.items() if k != "zeros"}
    with tarfile.open(path) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        for i, name in enumerate(manifest[0]["Layers"]):
            with tarfile.open(fileobj=outer.extractfile(name), mode="r:*") as layer:
                for m in layer:
                    t = "hardlink" if m.islnk() else names.get(m.type, "?")
                    x = sorted(k[len("SCHILY.xattr."):] for k in m.pax_headers
                               if k.startswith("SCHILY.xattr."))
                    print(" ".join([str(i), m.name, t, "%04o" % m.mode] + x))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--list":
        list_layers(sys.argv[2])
        return
    if len(sys.argv) != 3:
        die("usage: hostile-image.py SPEC.json|- OUT.tar")
    spec = json.load(sys.stdin if sys.argv[1] == "-" else open(sys.argv[1]))
    layout = spec.get("layout", "legacy")
    if layout not in ("legacy", "blobs"):
        die("layout must be legacy or blobs")
    out_path = sys.argv[2]
    tmpdir = os.path.dirname(os.path.abspath(out_path))
    layers = [write_layer(l, tmpdir) for l in spec["layers"]]
    spoil = spec.get("spoil")
    diff_ids = [l.diff_id for l in layers]
    if "poison" in spec:
        layers[-1].f.close()
        layers[-1] = write_layer(dict(spec["layers"][-1], entries=spec["poison"]), tmpdir)
    if spoil == "diff-id":
        diff_ids[-1] = spoilt(diff_ids[-1])
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": spec.get("config", {}),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "hostile-image.py layer %d" % i} for i in range(len(layers))],
    }, separators=(",", ":")).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    tag = spec.get("tag", "wardtest/hostile:1")
    with tarfile.open(out_path, "w", format=tarfile.PAX_FORMAT) as out:
        names = []
        if layout == "legacy":
            for i, l in enumerate(layers):
                lid = hashlib.sha256(("%d:%s" % (i, l.diff_id)).encode()).hexdigest()
                add_dir(out, lid)
                add_bytes(out, lid + "/VERSION", b"1.0")
                ti = tarfile.TarInfo(lid + "/layer.tar")
                ti.size, ti.mode, ti.mtime = l.size, 0o644, 0
                if "member-link" in spec and i == len(layers) - 1:
                    ti.type, ti.size, ti.linkname = tarfile.SYMTYPE, 0, spec["member-link"]
                    out.addfile(ti)
                else:
                    out.addfile(ti, l.f)
                names.append(lid + "/layer.tar")
            config_name = config_hex + ".json"
            add_bytes(out, config_name, config)
        else:
            add_dir(out, "blobs")
            add_dir(out, "blobs/sha256")
            descs = []
            for i, l in enumerate(layers):
                digest = l.digest
                if spoil == "blob-name" and i == len(layers) - 1:
                    digest = spoilt(digest)
                name = "blobs/sha256/" + digest[7:]
                ti = tarfile.TarInfo(name)
                ti.size, ti.mode, ti.mtime = l.size, 0o644, 0
                out.addfile(ti, l.f)
                names.append(name)
                descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar" +
                              ("+gzip" if spec["layers"][i].get("gzip") else ""),
                              "digest": digest, "size": l.size})
            config_name = "blobs/sha256/" + config_hex
            add_bytes(out, config_name, config)
            manifest = json.dumps({
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                           "digest": "sha256:" + config_hex, "size": len(config)},
                "layers": descs}, separators=(",", ":")).encode()
            mhex = hashlib.sha256(manifest).hexdigest()
            add_bytes(out, "blobs/sha256/" + mhex, manifest)
            add_bytes(out, "index.json", json.dumps({
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": "sha256:" + mhex, "size": len(manifest),
                               "annotations": {"io.containerd.image.name": "docker.io/" + tag,
                                               "org.opencontainers.image.ref.name": tag.split(":")[-1]}}]
            }).encode())
            add_bytes(out, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add_bytes(out, "manifest.json", json.dumps(
            [{"Config": config_name, "RepoTags": [tag], "Layers": names}]).encode())
        repo, _, t = tag.rpartition(":")
        add_bytes(out, "repositories", json.dumps(
            {repo: {t: os.path.basename(os.path.dirname(names[-1])) if layout == "legacy"
                    else names[-1][13:]}}).encode())
    for l in layers:
        l.f.close()


if __name__ == "__main__":
    main()
