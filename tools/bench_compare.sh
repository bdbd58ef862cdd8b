#!/usr/bin/env bash
# Times chapter 23's training step of two builds side by side: bench_training of BASE and of NEW,
# alternating, RUNS times each, with OpenBLAS's kernels as the environment has them and with its
# own choice (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset); prints, for each, the median over
# the runs of bench_training's median step (runs of 5,000 steps; its median single step in
# brackets) and NEW / BASE. Alternating spreads a busy machine's load over both builds alike.
# usage: tools/bench_compare.sh BASE_BUILD NEW_BUILD [RUNS]   (RUNS: default 8)
#   BASE_BUILD, NEW_BUILD  built trees holding bench/bench_training (e.g. a worktree of main's
#                          build/release, and this one's)
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: tools/bench_compare.sh BASE_BUILD NEW_BUILD [RUNS]" >&2; exit 2; }
base=$1/bench/bench_training new=$2/bench/bench_training runs=${3:-8}
for b in "$base" "$new"; do
  [[ -x $b ]] || { echo "bench_compare.sh: $b not found: build the target bench_training" >&2; exit 2; }
done
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
value() { sed -n "s/^$1 //p" <<<"$2"; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "environment: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
for kernels in environment own; do
  run=(env)
  [[ $kernels == own ]] && run=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  declare -A step=() single=()
  for _ in $(seq "$runs"); do
    for which in base new; do
      out=$("${run[@]}" "${!which}" --plain-steps 0)
      step[$which]+="$(value median_us_per_step "$out") "
      single[$which]+="$(value median_single_step_us "$out") "
      name=$(value openblas_kernels "$out")
    done
  done
  b=$(tr ' ' '\n' <<<"${step[base]}" | median) n=$(tr ' ' '\n' <<<"${step[new]}" | median)
  bs=$(tr ' ' '\n' <<<"${single[base]}" | median) ns=$(tr ' ' '\n' <<<"${single[new]}" | median)
  awk -v k="$name" -v r="$runs" -v b="$b" -v n="$n" -v bs="$bs" -v ns="$ns" 'BEGIN {
    printf "%s kernels, %d runs each: base %.2f us (%.2f), new %.2f us (%.2f): new / base %.3f (%.3f)\n",
           k, r, b, bs, n, ns, n / b, ns / bs }'
  unset step single
done
