#!/usr/bin/env bash
# Runs every chapter program of a build in the lecture's order and stops at the first failure.
# usage: tools/run-chapters.sh BUILD_DIR [--quick]    (--quick: chapter 23 trains 2,000 steps)
set -euo pipefail
build=${1:?usage: tools/run-chapters.sh BUILD_DIR [--quick]}
quick=${2:-}
while read -r program; do
  args=()
  case $program in
    chapter_21_*) args=(--out "$build/output") ;;
    chapter_23_*) args=(--out "$build/output")
                  if [[ $quick == --quick ]]; then args+=(--steps 2000); fi ;;
  esac
  echo "=================================================================================="
  echo "\$ $program ${args[*]}"
  "$build/chapters/$program" "${args[@]}"
  echo
done < "$build/chapters.txt"
echo "every chapter ran and agreed with its reference"
