#!/usr/bin/env bash
# Set up (Debian packages, names.txt), build, run every chapter in order, build the website.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release
cmake --build --preset release
tools/run-chapters.sh build/release "$@"
if cmake --build --preset release --target help | grep -q '^docs:'; then
  cmake --build --preset release --target docs
  echo "the workbook's website: $(pwd)/build/release/docs/html/index.html"
fi
