#!/usr/bin/env bash
# The packages the GPU check builds against, for a GPU machine that reaches no package registry.
# Run on Debian 12 with the registry reachable (apt-get download; root is not needed); writes,
# into one folder (default: gpu-bundle/ in the checkout, which git ignores):
#   prefix.tar.xz  the Debian packages the CUDA build needs and the GPU machine lacks, unpacked
#                  and packed again without what no build reads (about 28 MB);
#   packages.txt   one line per package in it: name, version, SHA-256 of its .deb;
#   base.txt       the packages the GPU machine is taken to have (see below);
#   glibc.txt      the newest glibc symbol version its programs and libraries need.
# tools/gpu-check.sh unpacks prefix.tar.xz into a private prefix of its build folder (never into
# /) and builds against it; tools/gpu-hide.sh (CI) hides every other package of this machine, so
# that the build is tried here with only the base packages and the bundle.
#
# Which packages: apt resolves the build's packages (`roots`) for a Debian 12 that has only
# `base` installed: g++, cmake, ninja-build and python3 with what they depend on, which is what
# the GPU machine has (besides the CUDA toolkit, outside the package system). The result,
# about 90 packages, goes into the bundle whole; documentation, manual pages, translations and
# static libraries are left out, and links that point out of the bundle dropped.
# usage: tools/gpu-bundle.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/gpu-bundle}
roots=(libxtensor-dev libxtensor-blas-dev libxsimd-dev libcli11-dev libboost-test-dev
       libopenblas-dev libcairo2-dev)
base=(g++ cmake ninja-build python3)
max_bytes=$((40 * 1024 * 1024))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "gpu-bundle: $*"; }

# The packages apt would install for `$@` on a machine whose dpkg status is the file $status.
status=$work/status
: >"$status"
resolve() {
  apt-get -s -q -o Dir::State::status="$status" -o APT::Install-Recommends=false install "$@" \
    >"$work/resolve.log" 2>&1 || { cat "$work/resolve.log" >&2; return 1; }
  awk '/^Inst /{ print $2 }' "$work/resolve.log"
}
# A dpkg status file in which `$@` are installed (at the versions apt would install).
installed() {
  apt-cache show --no-all-versions "$@" |
    awk '/^Package: /{ print; print "Status: install ok installed"; next } { print }'
}

known() { apt-cache show --no-all-versions "${roots[@]}" >/dev/null 2>&1; }
if ! known && [[ $(id -u) -eq 0 ]]; then apt-get update -q >/dev/null; fi
if ! known; then
  echo "gpu-bundle: apt does not know ${roots[*]}: run 'apt-get update' (Debian 12 needed)" >&2
  exit 2
fi
mapfile -t base_packages < <(resolve "${base[@]}")
installed "${base_packages[@]}" >"$status"
mapfile -t packages < <(resolve "${roots[@]}")
((${#packages[@]})) || { echo "gpu-bundle: apt resolved no packages" >&2; exit 1; }
say "${#packages[@]} packages for ${roots[*]} on top of ${base[*]} (${#base_packages[@]} packages)"

mkdir -p "$work/debs" "$work/tree"
(cd "$work/debs" && apt-get download -q "${packages[@]}" >"$work/download.log" 2>&1) ||
  { cat "$work/download.log" >&2; echo "gpu-bundle: apt-get download failed" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/tree"; done
tree=$work/tree
rm -rf "$tree"/usr/share/{doc,man,info,locale,lintian,bug,gtk-doc}
find "$tree" -name '*.a' -delete
# Links to absolute paths: made relative when the target is in the bundle, dropped otherwise.
while IFS= read -r link; do
  target=$(readlink "$link")
  if [[ -e $tree$target ]]; then
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$tree$target")" "$link"
  else
    rm "$link"
  fi
done < <(find "$tree" -type l -lname '/*')

mkdir -p "$out"
rm -f "$out"/{prefix.tar.xz,packages.txt,base.txt,glibc.txt}
tar -C "$tree" -cf - . | xz -2 -T0 >"$out/prefix.tar.xz"
for deb in "$work"/debs/*.deb; do
  printf '%s %s %s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" \
    "$(sha256sum "$deb" | cut -d' ' -f1)"
done >"$out/packages.txt"
printf '%s\n' "${base_packages[@]}" >"$out/base.txt"
{ find "$tree" -type f \( -name '*.so*' -o -path '*/bin/*' \) -exec objdump -T {} + 2>/dev/null || true; } |
  grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -n 1 | sed 's/GLIBC_//' >"$out/glibc.txt"
bytes=$(stat -c %s "$out/prefix.tar.xz")
say "wrote $out: prefix.tar.xz ($((bytes / 1024)) kB), packages.txt, base.txt, glibc.txt" \
  "(glibc $(cat "$out/glibc.txt") or newer)"
if ((bytes > max_bytes)); then
  echo "gpu-bundle: the bundle is larger than $((max_bytes / 1024 / 1024)) MiB" >&2
  exit 1
fi
