#!/usr/bin/env python3
"""Print every command ward's documentation shows, one per line, as
"FILE<TAB>COMMAND" (FILE relative to the tree's top), in file order.

    tests/lib/doc-commands.py TOP

Where commands are:
- README.md: fenced code blocks, each labelled with what it holds:
  ```sh (every line is a command, "#" lines are comments), ```console
  ("$ " lines are commands, the rest is their output), ```ini (a systemd
  unit: each ExecStart= value is a command), ```text and ```dockerfile
  (none).  A block without a label is an error, so that a new example
  is classified when it is written.
- man/*.1, man/*.5: lines of .nf/.fi and .EX/.EE blocks, and lines of
  .RS/.RE blocks, that begin with "ward " or "$ " (roff escapes undone).
- profiles/*.profile, examples/*.profile, examples/Dockerfile*,
  examples/*.service: the file's leading comment block, lines indented by
  three spaces or more after "#".
A line ending in a backslash continues on the next; the command is
written with the backslash, the newline and the next line's indentation
replaced by one space.  A quote left open at the end of a command is an
error (write it on one line or continue it with a backslash).  Exit
status 1 with "FILE:LINE: what" on stderr for such errors."""
import glob
import os
import re
import shlex
import sys

LABELS = {"sh": "sh", "console": "console", "ini": "ini", "text": None,
          "dockerfile": None}
errors = []


def join_lines(lines):
    """[(lineno, text)] -> [(lineno, command)], continuations joined."""
    out = []
    cur, start = None, 0
    for n, text in lines:
        if cur is None:
            cur, start = text.strip(), n
        else:
            cur += " " + text.strip()
        if cur.endswith("\\"):
            cur = cur[:-1].rstrip()
            continue
        out.append((start, cur))
        cur = None
    if cur is not None:
        out.append((start, cur))
    return out


def check_quotes(path, n, cmd):
    try:
        shlex.split(cmd, comments=True)
    except ValueError as e:
        errors.append(f"{path}:{n}: {e} in: {cmd}")


def readme(path):
    cmds = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(.*)$", lines[i])
        if not m:
            i += 1
            continue
        label, start = m.group(1).strip(), i + 1
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        if label not in LABELS:
            errors.append(f"{path}:{start}: code block labelled '{label}': "
                          f"label it one of {', '.join(sorted(LABELS))}")
            continue
        kind = LABELS[label]
        if kind == "sh":
            cmds += [c for c in join_lines(body)
                     if c[1] and not c[1].startswith("#")]
        elif kind == "console":
            picked, cont = [], False
            for n, text in body:
                if text.startswith("$ ") or cont:
                    picked.append((n, text[2:] if text.startswith("$ ") else text))
                    cont = text.rstrip().endswith("\\")
            cmds += join_lines(picked)
        elif kind == "ini":
            for n, c in join_lines(body):
                if c.startswith("ExecStart="):
                    cmds.append((n, c[len("ExecStart="):]))
    return cmds


def unroff(text):
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\(aq", "'").replace("\\e", "\\")
    text = text.replace("\\&", "")
    return text


def manpage(path):
    cmds = []
    block = None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line in (".nf", ".EX", ".RS") or line.startswith(".RS "):
            block = line
            continue
        if line in (".fi", ".EE", ".RE"):
            block = None
            continue
        if block is None or line.startswith("."):
            continue
        text = unroff(line)
        if text.startswith("$ "):
            text = text[2:]
        if re.match(r"^ward [a-z-]", text):
            cmds.append((n, text.strip()))
    return cmds


def header(path):
    body = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if n == 1 and line.startswith("ward-profile"):
            continue
        if not line.startswith("#"):
            break
        body.append((n, line))
    picked, cont = [], False
    for n, line in body:
        if re.match(r"^#   +\S", line) or (cont and line.startswith("#")):
            picked.append((n, line[1:]))
            cont = line.endswith("\\")
        else:
            cont = False
    return join_lines(picked)


def main():
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} TOP", file=sys.stderr)
        return 2
    top = sys.argv[1]
    os.chdir(top)
    files = [("README.md", readme)]
    files += [(p, manpage) for p in sorted(glob.glob("man/*.[15]"))]
    for pat in ("profiles/*.profile", "examples/*.profile",
                "examples/Dockerfile*", "examples/*.service"):
        files += [(p, header) for p in sorted(glob.glob(pat))]
    for path, fn in files:
        for n, cmd in fn(path):
            check_quotes(path, n, cmd)
            print(f"{path}\t{cmd}")
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
