#!/usr/bin/env bash
# Lists every chapter of an exercises build as done, wrong or not started, from the exit codes
# of its program (0 correct, 1 wrong, 2 bad input, 3 not started).
# usage: tools/progress.sh [BUILD_DIR]      (default: build/exercises, the `exercises` preset)
#        tools/progress.sh BUILD_DIR --expect-not-started   (CI: fail unless none is started)
#        tools/progress.sh BUILD_DIR --expect-done          (CI: fail unless all are done)
# Exit code: 0, or 1 when an --expect-... check fails or a program cannot run.
set -uo pipefail
build=${1:-build/exercises}
expect=${2:-}
if [[ ! -f $build/chapters.txt ]]; then
  echo "progress: $build/chapters.txt not found: build the exercises first" \
       "(cmake --workflow --preset exercises)" >&2
  exit 1
fi
if ! grep -q '^NINJA_EXERCISES:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "progress: $build is not an exercises build (configure it with --preset exercises)" >&2
  exit 1
fi

source=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")

out=$(mktemp -d)  # for what a chapter program writes (chapter 21's picture)
trap 'rm -rf "$out"' EXIT

done_count=0 wrong=0 not_started=0 other=0 total=0
while read -r program; do
  [[ -n $program ]] || continue
  source_dir=${program#chapter_}
  # Only the chapters that have an exercise (01-22; not 00, the setup, nor 23, training).
  [[ -f $source/chapters/$source_dir/exercise.hpp ]] || continue
  total=$((total + 1))
  args=()
  case $program in chapter_21_*) args=(--out "$out") ;; esac
  output=$("$build/chapters/$program" "${args[@]}" 2>&1)
  code=$?
  verdict=$(grep -m1 "^verdict: " <<<"$output" | sed -e "s/^verdict: //" -e "s/^wrong: //")
  case $code in
    0) status="done";        done_count=$((done_count + 1)) ;;
    1) status="wrong";       wrong=$((wrong + 1)) ;;
    3) status="not started"; not_started=$((not_started + 1)); verdict="" ;;
    *) status="error (exit $code)"; other=$((other + 1))
       verdict=$(tail -n1 <<<"$output") ;;
  esac
  printf '%-28s %-12s %s\n' "$program" "$status" "${verdict:0:100}"
done < "$build/chapters.txt"

echo "----"
echo "$done_count of $total done, $wrong wrong, $not_started not started$( ((other)) && echo ", $other error(s)")"

case $expect in
  --expect-not-started) [[ $not_started -eq $total && $total -gt 0 ]] ;;
  --expect-done) [[ $done_count -eq $total && $total -gt 0 ]] ;;
  "") [[ $other -eq 0 ]] ;;
  *) echo "progress: unknown option $expect" >&2; exit 1 ;;
esac
