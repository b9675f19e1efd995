#!/usr/bin/env python3
"""Write an OCI config.json for crun that mirrors ward's default launch.

    oci-config.py ROOT UID GID [--seccomp WARD_SECCOMP_SHOW.txt] -- CMD [ARG...]

ward's default, in OCI terms: new user, mount, pid, net, ipc, uts and
cgroup namespaces; one-line id maps UID -> UID and GID -> GID (the
caller's own ids when rootless; 65534 as root, as ward maps it); the
program runs as 65534 inside (or as the mapped id); read-only root; /proc
with Docker's masked and read-only paths (the same 10 + 5 as ward and the
floor); /dev a tmpfs (crun adds the default devices), /dev/pts,
/dev/shm; tmpfs /tmp and /run; hostname; no capabilities; no_new_privs.

--seccomp: a filter made from the output of `ward seccomp show` (ward's
default policy): its plain allow lines become SCMP_ACT_ALLOW, its deny
lines SCMP_ACT_ERRNO with their errno, the default ERRNO(ENOSYS).  ward's
four argument guards (socket families, clone flags, ioctl TIOCSTI and
personality) are allowed without the argument check, and clone3 gets
ENOSYS, so crun's filter is a little shorter than ward's.
"""
import errno
import json
import sys


def seccomp_from_show(path):
    allow, deny = [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) < 2:
                continue
            if words[0] == "allow":
                if words[1] == "clone3":
                    deny.setdefault(errno.ENOSYS, []).append("clone3")
                else:
                    allow.append(words[1])
            elif words[0] == "deny":
                num = errno.EPERM
                for w in words[2:]:
                    if w.startswith("errno="):
                        num = getattr(errno, w[6:], errno.EPERM)
                deny.setdefault(num, []).append(words[1])
    rules = [{"names": sorted(set(allow)), "action": "SCMP_ACT_ALLOW"}]
    for num, names in sorted(deny.items()):
        rules.append({"names": sorted(set(names)), "action": "SCMP_ACT_ERRNO",
                      "errnoRet": num})
    return {
        "defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": errno.ENOSYS,
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": rules,
    }


def main(argv):
    if "--" not in argv or len(argv) < 5:
        sys.exit(__doc__)
    sep = argv.index("--")
    opts, cmd = argv[1:sep], argv[sep + 1:]
    root, uid, gid = opts[0], int(opts[1]), int(opts[2])
    show = opts[opts.index("--seccomp") + 1] if "--seccomp" in opts else None
    ids = {"containerID": uid, "hostID": uid, "size": 1}
    gids = {"containerID": gid, "hostID": gid, "size": 1}
    config = {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": uid, "gid": gid},
            "args": cmd,
            "env": ["PATH=/usr/bin:/bin"],
            "cwd": "/",
            "capabilities": {k: [] for k in ("bounding", "effective",
                                              "permitted", "inheritable",
                                              "ambient")},
            "noNewPrivileges": True,
        },
        "root": {"path": root, "readonly": True},
        "hostname": "ward",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                         "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777",
                         "size=65536k"]},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "nodev", "mode=1777"]},
            {"destination": "/run", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "nodev", "mode=755"]},
        ],
        "linux": {
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc",
                                                 "uts", "mount", "cgroup",
                                                 "user")],
            "uidMappings": [ids],
            "gidMappings": [gids],
            "maskedPaths": ["/proc/" + p for p in (
                "asound", "acpi", "interrupts", "kcore", "keys",
                "latency_stats", "timer_list", "timer_stats", "sched_debug",
                "scsi")],
            "readonlyPaths": ["/proc/" + p for p in (
                "bus", "fs", "irq", "sys", "sysrq-trigger")],
        },
    }
    if show:
        config["linux"]["seccomp"] = seccomp_from_show(show)
    json.dump(config, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
