#!/usr/bin/env python3
"""Timing helpers of bench/image.sh (see README.md): cold starts and a soak.

  image_bench.py cold ROUNDS ROWS.json TABLE.md
      ROWS.json: a list of {"label", "cmd", "setup", "teardown", "bytes",
      "ref"} where cmd, setup and teardown are sh command lines in which
      {d} stands for a fresh empty directory made for that one run (setup
      and teardown are not timed; teardown runs before the directory is
      removed, with what it wrote, when every round is done).  A first
      untimed round checks that every row works: a row
      that fails becomes "not run" with its first error line.  Then each
      round runs every row once, in a fresh random order, so load and
      drift hit the rows alike.  A nonzero exit in a timed run aborts.
      bytes: the uncompressed layer bytes the row writes (MB/s = 10^6
      bytes/s); ref: the label the "x ref" column divides by.

  image_bench.py soak N TABLE.md SCRATCH LAUNCH_TIME UID:GID|"" SPEC
      N launches of SPEC (launch_time's "ARG0 ARG1 ..." with leading
      NAME=VALUE words; -U UID:GID when given), in two halves, and
      before, between and after them reads what could grow: host file
      handles, this process's fds, the kernel's unreclaimable slab and
      its shared memory (the namespaces, mounts and tmpfs pages a run
      could leave), MemAvailable (shown, not judged: the page cache of
      the cold runs before and of others' work moves it by a hundred
      MB), mounts, processes a run left behind (this process is a child
      subreaper), the bytes and
      files under SCRATCH (the cache); and from launch_time's raw output
      the launch time and the peak RSS (wait4's ru_maxrss: the largest
      process of the run's tree, launch_time being static and small) of
      the first and last 20 runs.  Exit status 1 if any of them grew.
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time


def pct(xs, q):
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


def sh(cmd, env=None):
    return subprocess.run(["sh", "-c", cmd], stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=env)


RUN = [0]
# What the runs wrote, removed only when every round is done: on an ext4
# without a journal (this VM's), each inode freed in the last seconds is
# skipped, block by block, when a new one is allocated (ext4's
# recently_deleted()), so a run after the removal of a 200 MB tree pays
# for that removal, several times its own cost.
PENDING = []


def one(row, work):
    # Short names: podman refuses a runroot longer than 50 characters.
    RUN[0] += 1
    d = os.path.join(work, str(RUN[0]))
    os.mkdir(d, 0o700)
    PENDING.append((row, d))
    try:
        if row.get("setup"):
            r = sh(row["setup"].format(d=d))
            if r.returncode:
                return None, "setup: " + first_line(r.stderr)
        t0 = time.monotonic()
        r = sh(row["cmd"].format(d=d))
        t = time.monotonic() - t0
        if r.returncode:
            return None, first_line(r.stderr) or "exit status %d" % r.returncode
        return t, ""
    finally:
        # The next run starts with no dirty pages of this one to write
        # (syncfs of the scratch file system only).
        subprocess.run(["sync", "-f", work])


def remove_all():
    while PENDING:
        row, d = PENDING.pop()
        if row.get("teardown"):
            sh(row["teardown"].format(d=d))
        shutil.rmtree(d, ignore_errors=True)


def first_line(b):
    for line in b.decode(errors="replace").splitlines():
        if line.strip() and not line.startswith("ward: notice:"):
            return line.strip().replace("|", "/")[:110]
    return ""


def cold(rounds, rows_file, table):
    rows = json.load(open(rows_file))
    work = os.path.join(os.path.dirname(os.path.abspath(table)), "c")
    os.mkdir(work, 0o711)  # rows that run as another user enter their {d}
    times = {r["label"]: [] for r in rows}
    skip = {}
    for r in rows:  # the untimed round: does every row work here?
        if r.get("skip"):
            skip[r["label"]] = r["skip"]
            continue
        t, why = one(r, work)
        if t is None:
            skip[r["label"]] = why
            print("cold: %s: not run: %s" % (r["label"], why), file=sys.stderr)
    live = [r for r in rows if r["label"] not in skip]
    try:
        for n in range(rounds):
            order = live[:]
            random.shuffle(order)
            for r in order:
                t, why = one(r, work)
                if t is None:
                    sys.exit("cold: %s failed in round %d: %s" % (r["label"], n + 1, why))
                times[r["label"]].append(t)
            print("cold: round %d/%d done" % (n + 1, rounds), file=sys.stderr)
    finally:
        remove_all()
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    out = ["| command | median (s) | p90 | min–max | spread (p90/median) | x ref | MB/s |",
           "|---|--:|--:|--:|--:|--:|--:|"]
    tsv = []
    for r in rows:
        k = r["label"]
        if k in skip:
            out.append("| %s | not run: %s | | | | | |" % (k, skip[k]))
            continue
        v = times[k]
        m = med[k]
        ref = r.get("ref")
        x = "%.2f" % (m / med[ref]) if ref in med else "-"
        mbs = "%.0f" % (r["bytes"] / m / 1e6) if r.get("bytes") else "-"
        out.append("| %s | %.3f | %.3f | %.3f–%.3f | %.2f | %s (%s) | %s |" % (
            k, m, pct(v, 0.9), min(v), max(v), pct(v, 0.9) / m, x, ref or "-", mbs))
        tsv.append("%s\t%.4f\t%s" % (k, m, mbs))
    open(table, "a").write("\n".join(out) + "\n")
    open(table + ".tsv", "w").write("\n".join(tsv) + "\n")
    print("\n".join(out))


def snapshot(scratch):
    s = {}
    s["host file handles"] = int(open("/proc/sys/fs/file-nr").read().split()[0])
    s["this process's fds"] = len(os.listdir("/proc/self/fd"))
    meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo"))
    s["kernel unreclaimable slab, SUnreclaim (kB)"] = int(meminfo["SUnreclaim"].split()[0])
    s["shared memory (tmpfs), Shmem (kB)"] = int(meminfo["Shmem"].split()[0])
    s["MemAvailable (kB)"] = int(meminfo["MemAvailable"].split()[0])
    s["mounts"] = sum(1 for _ in open("/proc/self/mountinfo"))
    # This process is a child subreaper (soak()): what a run leaves
    # behind becomes its child.  Other work's processes are not counted.
    # The sandbox's init may end after ward has returned (it reports the
    # program's code first): its zombie is reaped here, not counted.
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    left = 0
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                st = open("/proc/%s/stat" % p).read()
                if int(st[st.rindex(")") + 2:].split()[1]) == os.getpid():
                    left += 1
            except (OSError, ValueError):
                pass
    s["processes a run left behind"] = left
    nbytes = nfiles = 0
    for root, dirs, files in os.walk(scratch):
        for f in files + dirs:
            try:
                nbytes += os.lstat(os.path.join(root, f)).st_blocks * 512
                nfiles += 1
            except OSError:
                pass
    s["cache bytes (du)"] = nbytes
    s["cache entries"] = nfiles
    return s


def launches(lt, n, spec, as_uid, raw):
    """n launches of spec by launch_time; [(ms, peak RSS kB)] in order."""
    cmd = [lt, "-n", str(n), "-w", "0", "-o", raw]
    if as_uid:
        cmd += ["-U", as_uid]
    open(raw, "w").close()
    if as_uid:
        os.chown(raw, int(as_uid.split(":")[0]), -1)
    r = subprocess.run(cmd + ["soak|" + spec], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit("soak: a launch failed: " + first_line(r.stderr))
    rows = [line.split("\t") for line in open(raw).read().splitlines()]
    return [(float(x[3]), float(x[4])) for x in sorted(rows, key=lambda x: int(x[0]))]


def soak(n, table, scratch, lt, as_uid, spec):
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    raw = os.path.join(os.path.dirname(os.path.abspath(table)), "soak-raw.tsv")
    before = snapshot(scratch)
    runs = launches(lt, n // 2, spec, as_uid, raw)
    mid = snapshot(scratch)
    runs += launches(lt, n - n // 2, spec, as_uid, raw)
    time.sleep(1)  # let the last sandboxes' teardown (a kernel worker's) finish
    after = snapshot(scratch)
    ts, rss = [t for t, _ in runs], [m for _, m in runs]
    k = min(20, n // 2)
    bad = []
    out = ["| item | before | after run %d | after run %d | verdict |" % (n // 2, n),
           "|---|--:|--:|--:|---|"]
    # What may move by itself on a shared machine (others' work) gets a
    # tolerance; what ward owns must not move at all.
    tol = {"host file handles": 64, "kernel unreclaimable slab, SUnreclaim (kB)": 16384,
           "shared memory (tmpfs), Shmem (kB)": 16384}
    for key in before:
        b, m, a = before[key], mid[key], after[key]
        if key == "MemAvailable (kB)":
            out.append("| %s | %d | %d | %d | not judged (%+d kB): page cache moves it |" % (
                key, b, m, a, a - b))
            continue
        grew = a - b > tol.get(key, 0)
        verdict = "GREW" if grew else "flat"
        if key in tol:
            verdict += " (tolerance %d: others share the machine)" % tol[key]
        if grew:
            bad.append(key)
        out.append("| %s | %d | %d | %d | %s |" % (key, b, m, a, verdict))
    f20, l20 = statistics.median(ts[:k]), statistics.median(ts[-k:])
    fr, lr = statistics.median(rss[:k]), statistics.median(rss[-k:])
    slow = l20 > 1.25 * f20
    big = lr > fr + 256
    out.append("| launch time, median of first / last %d (ms) | %.2f | | %.2f | %s |" % (
        k, f20, l20, "SLOWER" if slow else "flat (within 25 %)"))
    out.append("| peak RSS (wait4, largest process of a run), median of first / last %d (kB) | %d | | %d | %s |" % (
        k, fr, lr, "GREW" if big else "flat (within 256 kB)"))
    out.append("| peak RSS, max over all %d runs (kB) | | | %d | |" % (n, max(rss)))
    bad += ["launch time"] if slow else []
    bad += ["peak RSS"] if big else []
    open(table, "a").write("\n".join(out) + "\n")
    print("\n".join(out))
    if bad:
        print("soak: grew: " + ", ".join(bad), file=sys.stderr)
        sys.exit(1)


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "cold":
        cold(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 8 and sys.argv[1] == "soak":
        soak(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
