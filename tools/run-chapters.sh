#!/usr/bin/env bash
# Runs every chapter program of a build in the lecture's order and stops at the first failure.
# Each program says how to run it (--info): its `run:` arguments ({out} is BUILD_DIR/output, where
# pictures go), with --quick its `quick:` ones too (chapter 23 trains 2,000 steps), and, in an
# `also:` line, the arguments of one more run, made after every chapter's first (chapter 23 with
# LayerNorm: chapter 24's network trained).
# usage: tools/run-chapters.sh BUILD_DIR [--quick]
set -euo pipefail
build=${1:?usage: tools/run-chapters.sh BUILD_DIR [--quick]}
quick=${2:-}
out=$build/output
# run PROGRAM LINE QUICK_LINE: PROGRAM with the words of LINE ({out} replaced), then QUICK_LINE's
# with --quick.
run() {
  local program=$1 args=() more=()
  [[ -z $2 ]] || read -r -a args <<<"${2//\{out\}/$out}"
  if [[ $quick == --quick && -n $3 ]]; then
    read -r -a more <<<"$3"
    args+=("${more[@]}")
  fi
  echo "=================================================================================="
  echo "\$ $program ${args[*]}"
  "$build/chapters/$program" "${args[@]}"
  echo
}
later=()  # program, also line, quick line: the runs made after the chapters' first
while read -r program; do
  info=$("$build/chapters/$program" --info)
  quick_args=$(sed -n 's/^quick: //p' <<<"$info")
  run "$program" "$(sed -n 's/^run: //p' <<<"$info")" "$quick_args"
  also=$(sed -n 's/^also: //p' <<<"$info")
  [[ -z $also ]] || later+=("$program" "$also" "$quick_args")
done < "$build/chapters.txt"
for ((k = 0; k < ${#later[@]}; k += 3)); do
  run "${later[k]}" "${later[k + 1]}" "${later[k + 2]}"
done
echo "every chapter ran and agreed with its reference"
