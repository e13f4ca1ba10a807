#!/usr/bin/env python3
"""Rewrites the output of every `$ twinmatch …` block in README.md from its golden snapshot
(Tests/TwinMatchCLITests/Snapshots, listed in GoldenOutputTests.swift). A block that ends in `…` keeps showing
only the beginning, as many lines as it showed before. Run after re-recording the snapshots
(RECORD_SNAPSHOTS=1 swift test --filter GoldenOutputTests), then review `git diff README.md`."""
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
tests = open(os.path.join(ROOT, "Tests/TwinMatchCLITests/GoldenOutputTests.swift"), encoding="utf-8").read()
examples = {}
for args, snapshot in re.findall(r'Example\(arguments: \[(.*?)\],\s*snapshot: "([^"]+)"\)', tests, re.S):
    examples[" ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', args))] = snapshot

lines = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read().split("\n")
out, i = [], 0
while i < len(lines):
    line = lines[i]
    out.append(line)
    i += 1
    if line.startswith("```") and i < len(lines) and lines[i].startswith("$ twinmatch "):
        command = lines[i][len("$ twinmatch "):]
        j = i + 1
        while not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        snapshot = examples.get(command)
        if snapshot is None:
            raise SystemExit(f"README example `twinmatch {command}` has no snapshot")
        text = open(os.path.join(ROOT, "Tests/TwinMatchCLITests/Snapshots", snapshot), encoding="utf-8").read().rstrip("\n").split("\n")
        if body and body[-1].strip() == "…":
            text = text[:len(body) - 1] + [body[-1]]
        out.append(lines[i])
        out.extend(text)
        i = j
open(os.path.join(ROOT, "README.md"), "w", encoding="utf-8").write("\n".join(out))
