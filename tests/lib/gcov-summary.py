#!/usr/bin/env python3
"""Summarise gcov's JSON (gcov -i -t) for the source files named.

    gcov -i -b -t -o OBJDIR FILE... | gcov-summary.py [-u] FILE...

Prints one line: how many of the files' functions ran at least once, the
lines and branches covered inside those functions, and the lines covered
over the whole files.  Inline helpers from headers are not counted.
With -u, also lists the functions never reached, one line per file."""
import json
import os
import sys

args = sys.argv[1:]
list_unreached = bool(args) and args[0] == '-u'
wanted = {os.path.realpath(f) for f in args[list_unreached:]}
unreached = []
fn_hit = fn_all = 0
line_hit = line_all = br_hit = br_all = 0
file_hit = file_all = 0
seen = set()
for doc in sys.stdin.read().split('\n{'):
    doc = doc if doc.startswith('{') else '{' + doc
    if not doc.strip('{ \n'):
        continue
    data = json.loads(doc)
    cwd = data.get('current_working_directory', '')
    for f in data['files']:
        path = os.path.realpath(os.path.join(cwd, f['file']))
        if path not in wanted or path in seen:
            continue
        seen.add(path)
        reached = {fn['name'] for fn in f['functions'] if fn['execution_count'] > 0}
        fn_all += len(f['functions'])
        fn_hit += len(reached)
        missed = sorted(fn['name'] for fn in f['functions'] if fn['name'] not in reached)
        if missed:
            unreached.append(f'  unreached in {f["file"]}: ' + ' '.join(missed))
        for line in f['lines']:
            file_all += 1
            file_hit += line['count'] > 0
            if line.get('function_name') not in reached:
                continue
            line_all += 1
            line_hit += line['count'] > 0
            br_all += len(line['branches'])
            br_hit += sum(b['count'] > 0 for b in line['branches'])

missing = wanted - seen
if missing:
    sys.exit('gcov-summary: no coverage data for ' + ', '.join(sorted(missing)))


def pct(a, b):
    return 100.0 * a / b if b else 0.0


print(f'functions {fn_hit:3d}/{fn_all:<3d} '
      f'lines {pct(line_hit, line_all):5.1f}% ({line_hit}/{line_all}) '
      f'branches {pct(br_hit, br_all):5.1f}% ({br_hit}/{br_all}) '
      f'whole files {pct(file_hit, file_all):5.1f}%')
if list_unreached:
    print('\n'.join(unreached))
