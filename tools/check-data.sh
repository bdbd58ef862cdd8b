#!/usr/bin/env bash
# Verifies data/names.txt, the names the programs read by default (32,033 names from the
# karpathy/makemore repository, MIT licence: data/LICENSE), against the SHA-256 in
# data/names.txt.sha256. Exit 1, with one line, when it is missing or differs.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r sha256 _ < data/names.txt.sha256
file=data/names.txt
if [[ ! -f $file ]]; then
  echo "check-data: $file is missing (it is part of the repository: git checkout -- data/names.txt)" >&2
  exit 1
fi
if ! echo "$sha256  $file" | sha256sum --check --status; then
  echo "check-data: $file does not have the SHA-256 of makemore's names.txt ($sha256)" >&2
  exit 1
fi
echo "check-data: $file verified (sha256 $sha256)"
