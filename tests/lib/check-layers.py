#!/usr/bin/env python3
"""The house rules of src/, read from the code (make check runs this):

- each folder is a layer and includes only its own headers and those of
  the layers it may use (LAYERS below), so every arrow points down and no
  two folders depend on each other;
- a folder's private headers (PRIVATE below) are included only from
  inside it;
- no source file is longer than MAX_LINES, and src/main.c no longer than
  MAIN_LINES.

Prints one line per violation, "file:line: what", and exits 1 if any."""
import os
import re
import sys

# folder -> the folders it may include from (each list is closed under
# "may use": a layer may use what its lower layers use).
LAYERS = {
    "base": [],
    "kernel": ["base"],
    "seccomp": ["kernel", "base"],
    "engine": ["kernel", "base"],
    "image": ["kernel", "base"],
    "plan": ["engine", "image", "seccomp", "kernel", "base"],
    "launch": ["plan", "engine", "image", "seccomp", "kernel", "base"],
    "report": ["plan", "engine", "image", "seccomp", "kernel", "base"],
    "cmd": ["report", "launch", "plan", "engine", "image", "seccomp",
            "kernel", "base"],
}
# Files outside the folders, and the layer they sit in.
LOOSE = {"main.c": "main", "tools": "main", "static": "launch"}
LAYERS["main"] = list(LAYERS)

# Headers only their own folder may include.
PRIVATE = {
    "seccomp/build.h", "seccomp/policy.h", "seccomp/groups.h",
    "seccomp/docker_json.h",
    "plan/builder.h", "plan/directives.h", "image/archive_dl.h",
    "image/hash_pipe.h",
}
MAX_LINES = 800
MAIN_LINES = 60

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel):
    first = rel.split("/")[0]
    return LOOSE.get(first, first)


def check_acyclic(problems):
    state = {}

    def visit(n, path):
        if state.get(n) == 1:
            problems.append("LAYERS: cycle %s" % " -> ".join(path + [n]))
            return
        if state.get(n) == 2:
            return
        state[n] = 1
        for m in LAYERS.get(n, []):
            visit(m, path + [n])
        state[n] = 2

    for n in LAYERS:
        visit(n, [])


def check_file(src, rel, problems):
    here = layer_of(rel)
    if here not in LAYERS:
        problems.append("src/%s:1: folder '%s' is not a layer of "
                        "tests/lib/check-layers.py" % (rel, here))
        return
    with open(os.path.join(src, rel), errors="replace") as f:
        lines = f.readlines()
    limit = MAIN_LINES if rel == "main.c" else MAX_LINES
    if len(lines) > limit and not rel.startswith("tools/"):
        problems.append("src/%s:%d: %d lines, more than %d: split it by concern"
                        % (rel, limit + 1, len(lines), limit))
    for no, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        if "/" not in inc:
            problems.append("src/%s:%d: #include \"%s\": name the folder"
                            % (rel, no, inc))
            continue
        there = inc.split("/")[0]
        if not os.path.exists(os.path.join(src, inc)):
            continue  # a generated or system header
        if there != here and there not in LAYERS[here]:
            problems.append("src/%s:%d: %s includes %s: '%s' may use only %s"
                            % (rel, no, here, inc, here,
                               ", ".join(LAYERS[here]) or "itself"))
        elif there != here and inc in PRIVATE and here != "main":
            problems.append("src/%s:%d: %s is private to %s/"
                            % (rel, no, inc, there))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    problems = []
    check_acyclic(problems)
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(root, name), src)
                check_file(src, rel, problems)
    for p in sorted(problems):
        print(p)
    if problems:
        print("check-layers: %d problem(s); the rules are at the top of "
              "tests/lib/check-layers.py" % len(problems))
        return 1
    print("check-layers: every include points down; no file over %d lines"
          % MAX_LINES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
