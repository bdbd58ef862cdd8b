#!/usr/bin/env bash
# Continuous integration of the exercise mode (chapters/NN_name/exercise.hpp):
#  (a) the exercise programs build as they are, and every one says "not started" (exit 3);
#  (b) in a temporary copy of the tree, each solution's step body is pasted into its exercise's
#      answer slot: then every chapter program must say "correct" (exit 0) and every chapter test
#      must pass. So the exercises and the solutions cannot drift apart: same signatures, same
#      wiring of gradients, same chapter programs;
#  (c) the mutation test of the grader, in the same copy and build: typical mistakes
#      (chapters/NN_name/mutants.txt) pasted into the slots must each be graded wrong by the chapter's program
#      and fail the chapter's test (tools/check_mutants.py);
#  (d) a scripted session drives the exercise loop (tools/exercises.py) without a terminal, in the
#      same copy: a wrong answer then a right one in two chapters, a hint, reset, list; the
#      transcript must be tests/exercise_session.txt (tests/exercise_session.py).
# usage: tools/check-exercises.sh [BUILD_DIR]     (default: build/exercises, the preset's folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/exercises}

echo "=== exercises (a): the untouched exercises build, and no chapter is started"
cmake --preset exercises -B "$build" >/dev/null
cmake --build "$build" --target chapter_programs
tools/progress.sh "$build" --expect-not-started

echo "=== exercises (b): the solutions pasted into the exercises pass every chapter"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The working tree as it is (tracked and untracked files, not what .gitignore ignores).
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done |
  tar --null -T - -cf - | tar -xf - -C "$tmp"
python3 tools/exercise_files.py paste-solutions "$tmp"
(cd "$tmp" && cmake --preset exercises -B "$tmp/build" -DNINJA_WERROR=ON >/dev/null)
cmake --build "$tmp/build" --target chapter_programs chapter_tests
tools/progress.sh "$tmp/build" --expect-done
ctest --test-dir "$tmp/build" -L chapter --output-on-failure

echo "=== exercises (c): typical mistakes in the slots are all caught, by program and test"
start=$SECONDS
python3 "$tmp/tools/check_mutants.py" "$tmp" "$tmp/build"
echo "mutation test: $((SECONDS - start)) s"

echo "=== exercises (d): a scripted session of the exercise loop"
start=$SECONDS
python3 "$tmp/tests/exercise_session.py" "$tmp" "$tmp/build"
echo "scripted session: $((SECONDS - start)) s"
echo "exercises: untouched, no chapter is started; with the solutions, every chapter passes;" \
     "every typical mistake is caught; the loop's session is as expected"
