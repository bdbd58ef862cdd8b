#!/usr/bin/env bash
# Set up (Debian packages, names.txt's checksum), build, run every chapter in order, build the
# website. Exits non-zero at the first failure.
# usage: tools/workbook.sh [--quick]     (--quick: chapter 23 trains 2,000 steps)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release
cmake --build --preset release
tools/run-chapters.sh build/release "$@"
# The docs target exists when CMake found Doxygen and the rest (tools/setup.sh installs them).
if [[ ! -f build/release/docs/Doxyfile ]]; then
  echo "workbook: the website cannot be built: Doxygen, Graphviz, MathJax or doxygen-awesome-css is missing (tools/setup.sh installs them)" >&2
  exit 1
fi
cmake --build --preset release --target docs
echo "the workbook's website: $(pwd)/build/release/docs/html/index.html"
