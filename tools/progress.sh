#!/usr/bin/env bash
# Lists every chapter of an exercises build as done, wrong or not started, from the exit codes
# of its program (the table in <build>/exit-codes.sh, written from common/error.hpp).
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

# shellcheck source=/dev/null
source "$build/exit-codes.sh"

out=$(mktemp -d)  # for what a chapter program writes (chapter 21's picture)
trap 'rm -rf "$out"' EXIT

done_count=0 wrong=0 not_started=0 other=0 total=0
while read -r program; do
  [[ -n $program ]] || continue
  # Only the chapters that have an exercise (their --info names it).
  "$build/chapters/$program" --info | grep -q '^exercise: ' || continue
  total=$((total + 1))
  output=$("$build/chapters/$program" --out "$out" 2>&1)
  code=$?
  verdict=$(grep -m1 "^verdict: " <<<"$output" | sed -e "s/^verdict: //" -e "s/^wrong: //")
  case $code in
    "$exit_ok") status="done";                 done_count=$((done_count + 1)) ;;
    "$exit_mismatch") status="wrong";          wrong=$((wrong + 1)) ;;
    "$exit_not_started") status="not started"; not_started=$((not_started + 1)); verdict="" ;;
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
