#!/usr/bin/env bash
# Set up (Debian packages, names.txt), build, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --workflow --preset release
