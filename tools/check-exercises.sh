#!/usr/bin/env bash
# Continuous integration of the exercise mode (chapters/NN_name/exercise.hpp):
#  (a) the exercises build as they are, and every chapter program says "not started" (exit 3);
#  (b) in a temporary copy of the tree, each solution's step body is pasted into its exercise's
#      answer slot: then every chapter program must say "correct" (exit 0) and every chapter test
#      must pass. So the exercises and the solutions cannot drift apart: same signatures, same
#      wiring of gradients, same chapter programs.
# usage: tools/check-exercises.sh [BUILD_DIR]     (default: build/exercises, the preset's folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/exercises}

echo "=== exercises (a): the untouched exercises build, and no chapter is started"
cmake --preset exercises -B "$build" >/dev/null
cmake --build "$build" --target chapter_programs chapter_tests
tools/progress.sh "$build" --expect-not-started

echo "=== exercises (b): the solutions pasted into the exercises pass every chapter"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The working tree as it is (tracked and untracked files, not what .gitignore ignores).
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done |
  tar --null -T - -cf - | tar -xf - -C "$tmp"

python3 - "$tmp" <<'PY'
"""Copies the body of each solution's step function into its exercise's answer slot."""
import pathlib, re, sys

BELOW, ABOVE = "// ---- your answer below ----", "// ---- your answer above ----"

def matching_brace(text, start):
    """Index of the '}' closing the '{' at `start`, skipping comments and literals."""
    depth, i = 0, start
    while i < len(text):
        if text.startswith("//", i):
            i = text.index("\n", i)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        elif text[i] in "\"'":
            quote, i = text[i], i + 1
            while text[i] != quote:
                i += 2 if text[i] == "\\" else 1
        elif text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise SystemExit("unbalanced braces")

SIGNATURE = r"^template <class T>\n(\w[\w:]*) (\w+)\(([^;{}]*?)\) \{$"

def signature(match):
    """(return type, name, parameters with whitespace normalised) of a SIGNATURE match."""
    return match.group(1), match.group(2), " ".join(match.group(3).split())

def exercise_step(text):
    """The signature of the function whose body holds the answer slot."""
    slot = text.index(BELOW)
    matches = [m for m in re.finditer(SIGNATURE, text[:slot], re.S | re.M)]
    return signature(matches[-1])

def solution_step(text, wanted, path):
    """The body of the function of signature `wanted` in a solution header."""
    for m in re.finditer(SIGNATURE, text, re.S | re.M):
        if signature(m) == wanted:
            close = matching_brace(text, m.end() - 1)
            return text[m.end() + 1:text.rindex("\n", 0, close) + 1]
    raise LookupError(f"{path} has no step {wanted[0]} {wanted[1]}({wanted[2]})")

root = pathlib.Path(sys.argv[1])
failures = 0
for exercise in sorted(root.glob("chapters/[0-9][0-9]_*/exercise.hpp")):
    text = exercise.read_text()
    include = re.search(r'^#include "(\d\d_\w+/\w+\.hpp)"', text, re.M).group(1)
    solution = (root / "chapters" / include).read_text()
    if text.count(BELOW) != 1 or text.count(ABOVE) != 1:
        print(f"FAIL {exercise.parent.name}: exercise.hpp must hold one answer slot")
        failures += 1
        continue
    wanted = exercise_step(text)
    try:
        body = solution_step(solution, wanted, include)
    except LookupError as e:
        print(f"FAIL {exercise.parent.name}: the exercise's step is not the solution's: {e}")
        failures += 1
        continue
    head, rest = text.split(BELOW + "\n")
    _, tail = rest.split(ABOVE)
    tail = tail[tail.index("\n") + 1:]
    indent = head[head.rindex("\n") + 1:]  # the markers' indentation, kept on the lines
    exercise.write_text(head + BELOW + "\n" + body + indent + ABOVE + "\n" + tail)
    print(f"pasted {include}'s {wanted[1]} into {exercise.parent.name}/exercise.hpp")
sys.exit(1 if failures else 0)
PY

(cd "$tmp" && cmake --preset exercises -B "$tmp/build" -DNINJA_WERROR=ON >/dev/null)
cmake --build "$tmp/build" --target chapter_programs chapter_tests
tools/progress.sh "$tmp/build" --expect-done
ctest --test-dir "$tmp/build" -L chapter --output-on-failure
echo "exercises: untouched, every chapter is not started; with the solutions, every chapter passes"
