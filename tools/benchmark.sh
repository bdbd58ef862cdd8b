#!/usr/bin/env bash
# Times chapter 23's training step in C++ and the same step in PyTorch (the lecture's loop, and a
# variant with dC accumulated by one index_add_), one thread each, in the same run; prints the
# medians and the ratios. Wall-clock and CPU-time medians both: on a busy machine the CPU time is
# the one to compare. The C++ step runs twice, side by side: with the kernels OpenBLAS chooses
# for the CPU (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) and with its AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, as some environments set it on a CPU with AVX-512); PyTorch runs
# with the first.
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

flags=$(grep -o -w -E 'avx2|avx512f' /proc/cpuinfo | sort -u | tr '\n' ' ')
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $flags; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "environment: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
own=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1)
echo
echo "== C++, OpenBLAS's own choice of kernels: $bench"
cpp=$("${own[@]}" "$bench" --data "$data" --steps "${STEPS:-5000}")
echo "$cpp"
echo
echo "== C++, OpenBLAS's AVX2 kernels (OPENBLAS_CORETYPE=Haswell): $bench"
avx2=$("${own[@]}" OPENBLAS_CORETYPE=Haswell "$bench" --data "$data" --steps "${STEPS:-5000}")
echo "$avx2"
echo
value() { sed -n "s/^$1 //p" <<<"$2"; }
table() { # the C++ rows, then the PyTorch rows when PyTorch ran
  awk -v cw="$(value median_us_per_step "$cpp")" -v cc="$(value median_cpu_us_per_step "$cpp")" \
      -v ck="$(value openblas_kernels "$cpp")" \
      -v aw="$(value median_us_per_step "$avx2")" -v ac="$(value median_cpu_us_per_step "$avx2")" \
      -v ak="$(value openblas_kernels "$avx2")" \
      -v lw="$(value median_us_per_step "$loop")" -v lc="$(value median_cpu_us_per_step "$loop")" \
      -v fw="$(value median_us_per_step "$fused")" -v fc="$(value median_cpu_us_per_step "$fused")" 'BEGIN {
    printf "%-36s %10s %10s\n", "us per step (median)", "wall", "cpu"
    printf "%-36s %10.2f %10.2f\n", "C++, OpenBLAS " ck " (its choice)", cw, cc
    printf "%-36s %10.2f %10.2f\n", "C++, OpenBLAS " ak, aw, ac
    printf "ratio %s / %s kernels: %.2fx (cpu %.2fx)\n", ak, ck, aw / cw, ac / cc
    if (lw == "") exit
    printf "%-36s %10.2f %10.2f\n", "PyTorch, lecture loop", lw, lc
    printf "%-36s %10.2f %10.2f\n", "PyTorch, index_add_", fw, fc
    printf "ratio PyTorch / C++ (%s): lecture loop %.1fx (cpu %.1fx), index_add_ %.1fx (cpu %.1fx)\n",
           ck, lw / cw, lc / cc, fw / cw, fc / cc }'
}
loop="" fused=""
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "== PyTorch: not installed for $python (apt-get install python3-torch): C++ alone"
  echo
  table
  exit 0
fi
echo "== PyTorch, the lecture's loop: tools/bench_pytorch.py"
loop=$("${own[@]}" OMP_NUM_THREADS=1 "$python" "$root/tools/bench_pytorch.py" --data "$data" --steps "${PY_STEPS:-2000}")
echo "$loop"
echo
echo "== PyTorch, dC by index_add_: tools/bench_pytorch.py --dC index_add"
fused=$("${own[@]}" OMP_NUM_THREADS=1 "$python" "$root/tools/bench_pytorch.py" --data "$data" --steps "${PY_STEPS:-2000}" --dC index_add)
echo "$fused"
echo
table
