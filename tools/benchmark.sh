#!/usr/bin/env bash
# Times chapter 23's training step in C++ and the same step in PyTorch (the lecture's loop, and a
# variant with dC accumulated by one index_add_), one thread each, in the same run; prints the
# medians and the ratios. Wall-clock and CPU-time medians both: on a busy machine the CPU time is
# the one to compare.
# usage: tools/benchmark.sh [BUILD_DIR] [names.txt]
#   BUILD_DIR  a configured and built tree holding bench/bench_training (default: build)
#   names.txt  the data (default: $NINJA_NAMES, else data/names.txt)
# Environment: STEPS (C++ steps per repeat, default 5000), PY_STEPS (default 2000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
data=${2:-${NINJA_NAMES:-$root/data/names.txt}}
bench=$build/bench/bench_training
python=${PYTHON:-/usr/bin/python3}
[[ -x $bench ]] || { echo "benchmark.sh: $bench not found: build the target bench_training first" >&2; exit 2; }
[[ -f $data ]] || { echo "benchmark.sh: $data not found" >&2; exit 2; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== C++: $bench"
cpp=$(OPENBLAS_NUM_THREADS=1 "$bench" --data "$data" --steps "${STEPS:-5000}")
echo "$cpp"
echo
echo "== PyTorch, the lecture's loop: tools/bench_pytorch.py"
loop=$(OMP_NUM_THREADS=1 "$python" "$root/tools/bench_pytorch.py" --data "$data" --steps "${PY_STEPS:-2000}")
echo "$loop"
echo
echo "== PyTorch, dC by index_add_: tools/bench_pytorch.py --dC index_add"
fused=$(OMP_NUM_THREADS=1 "$python" "$root/tools/bench_pytorch.py" --data "$data" --steps "${PY_STEPS:-2000}" --dC index_add)
echo "$fused"
echo
value() { sed -n "s/^$1 //p" <<<"$2"; }
awk -v cw="$(value median_us_per_step "$cpp")" -v cc="$(value median_cpu_us_per_step "$cpp")" \
    -v lw="$(value median_us_per_step "$loop")" -v lc="$(value median_cpu_us_per_step "$loop")" \
    -v fw="$(value median_us_per_step "$fused")" -v fc="$(value median_cpu_us_per_step "$fused")" 'BEGIN {
  printf "%-30s %10s %10s\n", "us per step (median)", "wall", "cpu"
  printf "%-30s %10.2f %10.2f\n", "C++", cw, cc
  printf "%-30s %10.2f %10.2f\n", "PyTorch, lecture loop", lw, lc
  printf "%-30s %10.2f %10.2f\n", "PyTorch, index_add_", fw, fc
  printf "ratio PyTorch / C++: lecture loop %.1fx (cpu %.1fx), index_add_ %.1fx (cpu %.1fx)\n",
         lw / cw, lc / cc, fw / cw, fc / cc }'
