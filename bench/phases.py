#!/usr/bin/env python3
"""Per-phase launch profile from `perf script` output (see profile.sh).

Reads lines "COMM PID TIME: EVENT:" on stdin, splits them into launches
(one per execve of ward) and prints the median, p90 and share of each
phase.  The uprobes themselves add a few microseconds per hit (about 40
hits per launch), so the total is slightly above an unprobed launch.
"""
import re
import statistics
import sys

LINE = re.compile(r"^\s*(\S+)\s+(\d+)\s+([\d.]+):\s+(\S+):")

# (label, start event, end event); events are "name" or "name@role"
# ("a|b": the first of the alternatives the trace has)
# where role picks the process: ward (the launcher), child (the sandbox's
# pid 1) or prog (the process that loads seccomp and executes CMD).
PHASES = [
    ("execve(ward) in the kernel", "exec_enter@ward", "exec_exit@ward"),
    ("ld.so: load libs, relocate, libc init", "exec_exit@ward", "main"),
    ("argv parsing", "main", "ward_plan_finish"),
    ("plan resolution before seccomp", "ward_plan_finish",
     "ward_seccomp_build_ex|ward_seccomp_build"),
    ("seccomp: parse built-in policy text", "ward_seccomp_policy_parse",
     "ward_seccomp_policy_parse_ret"),
    ("seccomp: libseccomp ctx + rules", "new_ctx", "new_ctx_ret"),
    ("seccomp: export BPF (libseccomp)", "export_bpf", "export_bpf_ret"),
    ("seccomp: build in all (parse included)",
     "ward_seccomp_build_ex|ward_seccomp_build",
     "ward_seccomp_build_ex_ret|ward_seccomp_build_ret"),
    ("plan resolution after seccomp", "ward_seccomp_build_ex_ret|ward_seccomp_build_ret",
     "ward_plan_finish_ret"),
    ("plan_finish -> launch", "ward_plan_finish_ret", "ward_launch"),
    ("launch -> clone3 (socketpair, sigmask)", "ward_launch", "clone_enter@ward"),
    ("clone3 with 7 namespaces (parent side)", "clone_enter@ward", "clone_exit@ward"),
    ("child: return from clone3 to child_main", "clone_exit@child", "ward_child_main"),
    ("child waits for id maps + go", "ward_child_main", "ward_rootfs_setup"),
    ("rootfs: staging, bind root, read-only", "ward_rootfs_setup",
     "ward_rootfs_mount_proc"),
    ("/proc + 10 masks + 5 read-only binds", "ward_rootfs_mount_proc",
     "ward_rootfs_mount_proc_ret"),
    ("/dev: tmpfs, 6 binds, pts, shm, links", "ward_rootfs_mount_dev",
     "ward_rootfs_mount_dev_ret"),
    ("/tmp, /run, pivot_root, detach", "ward_rootfs_mount_dev_ret",
     "ward_rootfs_setup_ret"),
    ("hostname, lo up (libmnl), setsid, cwd", "ward_rootfs_setup_ret",
     "ward_caps_drop_bounding"),
    ("caps: bounding set via libcap-ng", "ward_caps_drop_bounding",
     "ward_caps_drop_bounding_ret"),
    ("identity: groups, setresgid/uid", "ward_identity_apply",
     "ward_identity_apply_ret"),
    ("caps: trim + verify", "ward_caps_trim", "ward_caps_verify_ret"),
    ("NNP, pdeathsig, fork pid-1's child", "ward_caps_verify_ret",
     "run_program@prog"),
    ("seccomp(2) load in the kernel", "seccomp_enter@prog", "seccomp_exit@prog"),
    ("run_program other", "run_program@prog", "exec_enter@prog"),
    ("execve(CMD) in the kernel", "exec_enter@prog", "exec_exit@prog"),
    ("CMD runs (busybox true)", "exec_exit@prog", "exit_group@prog"),
    ("CMD exit -> pid 1 exits", "exit_group@prog", "exit_group@child"),
    ("pid 1 exit -> ward's wait returns", "exit_group@child",
     "ward_supervise_ret"),
    ("ward teardown: ward_plan_free", "ward_plan_free", "ward_plan_free_ret"),
    ("ward teardown: launch return -> exit", "ward_launch_ret", "exit_group@ward"),
]


def parse(lines, wardcomm):
    runs, cur = [], None
    last_exec_enter = {}
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        comm, pid, t, ev = m.group(1), int(m.group(2)), float(m.group(3)) * 1e3, m.group(4)
        name = ev.split(":", 1)[1]
        name = name.replace("__return", "")
        if name == "sys_enter_execve":
            last_exec_enter[pid] = t
            if cur and pid == cur.get("prog_pid") and "exec_enter@prog" not in cur:
                cur["exec_enter@prog"] = t
            continue
        if name == "sys_exit_execve":
            if comm.startswith(wardcomm) and pid in last_exec_enter and (
                    not cur or pid != cur.get("prog_pid")):
                cur = {"ward_pid": pid, "exec_enter@ward": last_exec_enter[pid],
                       "exec_exit@ward": t}
                runs.append(cur)
            elif cur and pid == cur.get("prog_pid") and "exec_exit@prog" not in cur:
                cur["exec_exit@prog"] = t
            continue
        if not cur:
            continue
        role = ("ward" if pid == cur["ward_pid"] else
                "prog" if pid == cur.get("prog_pid") else
                "child" if pid == cur.get("child_pid") else None)
        if name == "sys_enter_clone3" and role == "ward":
            cur.setdefault("clone_enter@ward", t)
        elif name == "sys_exit_clone3":
            if role == "ward":
                cur.setdefault("clone_exit@ward", t)
            elif "child_pid" not in cur:
                cur["child_pid"] = pid
                cur["clone_exit@child"] = t
        elif name == "run_program":
            cur["prog_pid"] = pid
            cur.setdefault("run_program@prog", t)
        elif name == "sys_enter_seccomp" and role == "prog":
            cur.setdefault("seccomp_enter@prog", t)
        elif name == "sys_exit_seccomp" and role == "prog":
            cur.setdefault("seccomp_exit@prog", t)
        elif name == "sys_enter_exit_group" and role:
            cur.setdefault("exit_group@" + role, t)
        elif not name.startswith("sys_") and not name.startswith("sched"):
            cur.setdefault(name, t)
    return runs


def main():
    wardcomm = sys.argv[1][:15] if len(sys.argv) > 1 else "ward"
    runs = parse(sys.stdin, wardcomm)
    runs = [r for r in runs if "exit_group@ward" in r]
    if not runs:
        sys.exit("phases.py: no complete launches in the trace")
    # --init no: the sandbox's pid 1 is the program; no separate pid-1 exit.
    for r in runs:
        if r.get("prog_pid") == r.get("child_pid"):
            r.pop("exit_group@child", None)
            r["exit_group@child"] = r.get("exit_group@prog")
    print(f"{len(runs)} probed launches; medians in ms (p90 in brackets)\n")
    total = [r["exit_group@ward"] - r["exec_enter@ward"] for r in runs]
    med_total = statistics.median(total)
    print(f"{'phase':44s} {'median':>7s} {'p90':>7s} {'share':>6s}")
    def pick(r, alts):
        for k in alts.split("|"):
            if k in r:
                return r[k]
        return None

    for label, a, b in PHASES:
        ds = sorted(pick(r, b) - pick(r, a) for r in runs
                    if pick(r, a) is not None and pick(r, b) is not None)
        if not ds:
            continue
        med = statistics.median(ds)
        p90 = ds[min(len(ds) - 1, int(0.9 * len(ds) + 0.999999) - 1)]
        print(f"{label:44s} {med:7.3f} {p90:7.3f} {100 * med / med_total:5.1f}%")
    print(f"{'total: execve(ward) -> ward exit_group':44s} {med_total:7.3f}")


if __name__ == "__main__":
    main()
