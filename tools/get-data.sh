#!/usr/bin/env bash
# Puts names.txt (32,033 names from the karpathy/makemore repository, MIT licence) where the
# programs look for it, and verifies its SHA-256. If $NINJA_NAMES names an existing file, that
# file is verified and used instead of a download.
set -euo pipefail
cd "$(dirname "$0")/.."

url=https://raw.githubusercontent.com/karpathy/makemore/master/names.txt
sha256=0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d

verify() {
  if ! echo "$sha256  $1" | sha256sum --check --status; then
    echo "get-data: $1 does not have the expected SHA-256 $sha256" >&2
    exit 1
  fi
  echo "get-data: $1 verified (sha256 $sha256)"
}

if [[ -n "${NINJA_NAMES:-}" && -f "$NINJA_NAMES" ]]; then
  verify "$NINJA_NAMES"
  exit 0
fi
if [[ ! -f data/names.txt ]]; then
  mkdir -p data
  echo "get-data: downloading $url"
  if ! why=$(curl --fail --silent --show-error --location --output data/names.txt.part "$url" 2>&1); then
    rm -f data/names.txt.part
    echo "get-data: could not download $url (${why//$'\n'/ }): put names.txt in data/ or set NINJA_NAMES to a copy" >&2
    exit 1
  fi
  mv data/names.txt.part data/names.txt
fi
verify data/names.txt
