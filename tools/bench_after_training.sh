#!/usr/bin/env bash
# Times what chapter 23's program spends besides training: its wall time (/usr/bin/time) minus
# the training time it prints ("trained N steps in S s"), that is starting, reading the data,
# calibrating batchnorm, the two losses, sampling and the picture. Runs the program RUNS times
# for each number of steps, alternating OpenBLAS's own choice of kernels (OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset) and its AVX2 kernels (OPENBLAS_CORETYPE=Haswell); prints the medians.
# usage: tools/bench_after_training.sh [BUILD_DIR] [STEPS...]   (default: build/release 1000 200000)
# Environment: RUNS (default 5).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
shift || true
steps=("$@")
((${#steps[@]} > 0)) || steps=(1000 200000)
program=$build/chapters/chapter_23_training
[[ -x $program ]] || { echo "bench_after_training.sh: $program not found: build chapter_23_training" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s %-12s %10s %10s %10s\n" steps kernels "wall s" "training s" "beyond s"
for n in "${steps[@]}"; do
  declare -A wall=() train=() beyond=()
  for _ in $(seq "${RUNS:-5}"); do
    for kernels in own Haswell; do
      coretype=()
      [[ $kernels == Haswell ]] && coretype=(OPENBLAS_CORETYPE=Haswell)
      env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${coretype[@]}" /usr/bin/time -f "wall %e" \
        "$program" --steps "$n" --out "$out" >/dev/null 2>"$out/err"
      w=$(sed -n 's/^wall //p' "$out/err")
      t=$(sed -n 's/.*trained [0-9]* steps in \([0-9.]*\) s.*/\1/p' "$out/err")
      k=$(sed -n "s/.*OpenBLAS's \([A-Za-z0-9]*\) kernels.*/\1/p" "$out/err")
      k=${k:-$kernels} # a build that does not print them
      wall[$k]+="$w "
      train[$k]+="$t "
      beyond[$k]+="$(awk -v w="$w" -v t="$t" 'BEGIN { printf "%.3f", w - t }') "
    done
  done
  for k in "${!wall[@]}"; do
    printf "%-8s %-12s %10s %10s %10s\n" "$n" "$k" "$(tr ' ' '\n' <<<"${wall[$k]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${train[$k]}" | grep . | median)" "$(tr ' ' '\n' <<<"${beyond[$k]}" | grep . | median)"
  done
  unset wall train beyond
done
