#!/usr/bin/env bash
# Lists every chapter of an exercises build as solved, correct, wrong, not started, does not
# compile, not built or out of date: `tools/exercises.py list`, which runs each chapter's program
# when it is built and up to date (a program older than its sources is never run: it would grade
# an old answer).
# usage: tools/progress.sh [BUILD_DIR]      (default: build/exercises, the `exercises` preset)
#        tools/progress.sh BUILD_DIR --expect-not-started   (CI: fail unless none is started)
#        tools/progress.sh BUILD_DIR --expect-done          (CI: fail unless every one is correct)
# Exit code: 0, or 1 when an --expect-... check fails or a program fails to run.
set -uo pipefail
build=$(realpath -m "${1:-build/exercises}")
cd "$(dirname "$0")/.."
case ${2:-} in
  --expect-not-started) expect=(--expect "not started") ;;
  --expect-done) expect=(--expect "solved,correct") ;;
  "") expect=() ;;
  *) echo "progress: unknown option $2" >&2; exit 1 ;;
esac
if [[ ! -f $build/CMakeCache.txt ]] || ! grep -q '^NINJA_EXERCISES:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "progress: $build is not an exercises build (cmake --preset exercises, or tools/exercises.py)" >&2
  exit 1
fi
exec python3 tools/exercises.py --build "$build" list "${expect[@]}"
