#!/usr/bin/env bash
# Installs what the workbook needs on Debian 12 (only what is missing) and verifies names.txt.
# Run as root, or as a user who may use sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config          # build
  libxtensor-dev libxtensor-blas-dev libxsimd-dev libopenblas-dev liblapack-dev  # tensors, BLAS
  libcli11-dev                              # the programs' options
  libcairo2-dev fonts-dejavu-core           # the pictures
  libboost-test-dev                         # the gradient tests
  doxygen graphviz libjs-mathjax doxygen-awesome-css  # the website
  chromium python3                          # the website's pages and its browser test
  inotify-tools                             # tools/exercises.py: a verdict on every save
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

tools/check-data.sh
