#!/usr/bin/env python3
"""Lines of math against lines of scaffolding in the chapters with a backward step (01 to LAST).

Math: in each chapter's step header (a header of chapters/NN_name/ that holds `// [step]`
markers), the derivation (the header's leading `///` block, which the website renders) and the
step (the lines between the markers). Scaffolding: everything else a chapter needs for its
program and its exercise: the rest of those headers (includes, namespace, the chapter's facts or
its `Chapter<N>` struct), `exercise.hpp`, a hand-written `main.cpp`, and the files that stand
for them all once (the chain table `common/chain.hpp`, the generated programs' source
`common/program/chapter_main.cpp`), where the tree has them. Non-blank lines; tests, pages,
hints, mutants and GPU kernels are counted in neither.

usage: tools/count_scaffolding.py ROOT [--last N]     (ROOT: a checkout; N: 22 by default)
"""
import argparse
import pathlib
import re

SHARED = ["common/chain.hpp", "common/program/chapter_main.cpp"]


def nonblank(lines):
    return sum(1 for line in lines if line.strip())


def split_step_header(text):
    """(derivation, step, rest): the header's lines in the three parts."""
    lines = text.splitlines()
    lead = 0
    while lead < len(lines) and lines[lead].startswith("///"):
        lead += 1
    derivation, step, rest = lines[:lead], [], []
    inside = False
    for line in lines[lead:]:
        if line.strip() == "// [step]":
            inside = not inside
            rest.append(line)
        else:
            (step if inside else rest).append(line)
    return derivation, step, rest


def count(root, last):
    totals = {"derivation": 0, "step": 0, "rest": 0, "exercise.hpp": 0, "main.cpp": 0,
              "shared": 0}
    for folder in sorted((root / "chapters").glob("[0-9][0-9]_*")):
        number = int(folder.name[:2])
        if not 1 <= number <= last:
            continue
        for header in sorted(folder.glob("*.hpp")):
            text = header.read_text()
            if header.name == "exercise.hpp" or not re.search(r"^// \[step\]$", text, re.M):
                continue
            derivation, step, rest = split_step_header(text)
            totals["derivation"] += nonblank(derivation)
            totals["step"] += nonblank(step)
            totals["rest"] += nonblank(rest)
        for name in ("exercise.hpp", "main.cpp"):
            if (folder / name).exists():
                totals[name] += nonblank((folder / name).read_text().splitlines())
    for path in SHARED:
        if (root / path).exists():
            totals["shared"] += nonblank((root / path).read_text().splitlines())
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=pathlib.Path)
    parser.add_argument("--last", type=int, default=22)
    args = parser.parse_args()
    t = count(args.root, args.last)
    math = t["derivation"] + t["step"]
    scaffolding = t["rest"] + t["exercise.hpp"] + t["main.cpp"] + t["shared"]
    print(f"chapters 01-{args.last:02d}, non-blank lines")
    print(f"  math:        {math:5d}  (derivations {t['derivation']}, steps {t['step']})")
    print(f"  scaffolding: {scaffolding:5d}  (the rest of the step headers {t['rest']}, "
          f"exercise.hpp {t['exercise.hpp']}, main.cpp {t['main.cpp']}, the chain table and "
          f"the generated programs' source {t['shared']})")
    print(f"  scaffolding / math: {scaffolding / math:.2f}")


if __name__ == "__main__":
    main()
