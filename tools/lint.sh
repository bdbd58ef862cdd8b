#!/usr/bin/env bash
# Checks the sources' form: every C++ and CUDA file formatted by clang-format (.clang-format), and
# no source file over 400 lines. Exit 1 with the files at fault, 0 when all is well.
# usage: tools/lint.sh
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
mapfile -t cpp < <(git ls-files '*.hpp' '*.cpp' '*.cu' '*.cuh')
if ! clang-format --dry-run --Werror "${cpp[@]}" 2>/dev/null; then
  echo "lint: not formatted (run: clang-format -i FILE):"
  for f in "${cpp[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "  $f"
  done
  status=1
fi
while IFS= read -r f; do
  lines=$(wc -l <"$f")
  if ((lines > 400)); then
    echo "lint: $f has $lines lines (at most 400)"
    status=1
  fi
done < <(git ls-files '*.hpp' '*.cpp' '*.cu' '*.cuh' '*.py' '*.sh' '*.cmake' '*CMakeLists.txt' '*.dox' '*.md' '*.js' '*.css' '.ci/*')
((status == 0)) && echo "lint: every source formatted, none over 400 lines"
exit "$status"
