#!/usr/bin/env bash
# Runs every chapter program of a build in the lecture's order and stops at the first failure.
# Each program says how to run it (--info): its `run:` arguments ({out} is BUILD_DIR/output, where
# pictures go) and, with --quick, its `quick:` ones (chapter 23 trains 2,000 steps).
# usage: tools/run-chapters.sh BUILD_DIR [--quick]
set -euo pipefail
build=${1:?usage: tools/run-chapters.sh BUILD_DIR [--quick]}
quick=${2:-}
out=$build/output
while read -r program; do
  info=$("$build/chapters/$program" --info)
  args=()
  run=$(sed -n 's/^run: //p' <<<"$info")
  [[ -z $run ]] || read -r -a args <<<"${run//\{out\}/$out}"
  if [[ $quick == --quick ]]; then
    read -r -a more <<<"$(sed -n 's/^quick: //p' <<<"$info")"
    args+=("${more[@]}")
  fi
  echo "=================================================================================="
  echo "\$ $program ${args[*]}"
  "$build/chapters/$program" "${args[@]}"
  echo
done < "$build/chapters.txt"
echo "every chapter ran and agreed with its reference"
