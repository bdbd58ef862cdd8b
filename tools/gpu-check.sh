#!/usr/bin/env bash
# The GPU check: everything the workbook does on a GPU, in one run of a few minutes, on a machine
# with an NVIDIA GPU, the CUDA toolkit and what tools/setup.sh installs (no network needed).
#   1. the GPU, its driver, nvcc;
#   2. builds only what it runs (CUDA on, warnings are errors), for this GPU's architecture;
#   3. the GPU tests and the CPU executor's (ctest), and the GPU test program under
#      compute-sanitizer: memcheck on all of it; racecheck, synccheck, initcheck on a short run;
#   4. every chapter program with --device cuda against PyTorch's gradients;
#   5. chapter 23 on the GPU (200,000 steps) and on one CPU thread (20,000 steps): us/step;
#      the GPU loop for several block counts (bench_gpu_training);
#   6. the lecture's loop in PyTorch on the GPU, when a CUDA-enabled torch is installed;
#   7. a table of the results.
# Exits 0 only when everything ran and passed; 1 on any failure, on a GPU test that was skipped
# (there is a GPU), and at once, with one line, when there is no usable GPU. Every GPU run has
# a time limit: a hung kernel is a failure, not a hung check.
# Usage: tools/gpu-check.sh [BUILD_DIR]      (default: build/gpu)
# Environment: NINJA_NAMES (names.txt; default data/names.txt), OUT (a folder: every log goes
# there, else into BUILD_DIR/gpu-check), NINJA_GPU_STEPS (200000), NINJA_TORCH_STEPS (2000),
# JOBS (build jobs, default: all cores).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/gpu}
steps=${NINJA_GPU_STEPS:-200000}
torch_steps=${NINJA_TORCH_STEPS:-2000}
jobs=${JOBS:-$(nproc)}
logs=${OUT:-$build/gpu-check}

# ---- 1. is there a GPU? ----------------------------------------------------------------------------
why=""
if ! command -v nvidia-smi >/dev/null; then
  why="nvidia-smi not found"
elif ! gpus=$(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>&1) ||
     [[ -z $gpus ]]; then
  why="nvidia-smi: ${gpus:-no GPU listed}"
fi
if [[ -n $why ]]; then
  echo "gpu-check: no usable NVIDIA GPU here (${why%%$'\n'*}); nothing was run" >&2
  exit 1
fi
mkdir -p "$logs" || { echo "gpu-check: cannot create $logs" >&2; exit 1; }
nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
sanitizer=$(command -v compute-sanitizer || echo "$(dirname "$nvcc")/compute-sanitizer")
failures=()
fail() { failures+=("$1"); echo "gpu-check: FAILED: $1"; }
{
  echo "GPU (name, driver, compute capability): $gpus"
  "$nvcc" --version | tail -n 2
  echo "compute-sanitizer: $sanitizer"
} | tee "$logs/versions.txt"
names=${NINJA_NAMES:-$root/data/names.txt}
[[ -r $names ]] || { echo "gpu-check: names.txt not found at $names (set NINJA_NAMES)" >&2; exit 1; }
export NINJA_NAMES=$names

# ---- 2. build what the check runs --------------------------------------------------------------
arch=$(head -n 1 <<<"$gpus" | awk -F', ' '{ gsub(/\./, "", $3); print $3 }')
echo "gpu-check: building for sm_$arch in $build (log: $logs/build.log)"
if ! { cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNINJA_WERROR=ON \
         -DNINJA_CUDA=ON -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="$arch" &&
       cmake --build "$build" -j "$jobs" --target test_cuda_kernels test_kernel_math \
         test_fused_step chapter_programs bench_gpu_training; } >"$logs/build.log" 2>&1; then
  tail -n 30 "$logs/build.log"
  echo "gpu-check: the build failed (see $logs/build.log)" >&2
  exit 1
fi

# ---- 3. the GPU tests, and the sanitizers --------------------------------------------------------
ctest --test-dir "$build" -R "cuda|kernel|fused" --timeout 300 --output-on-failure \
  >"$logs/ctest.log" 2>&1 ||
  fail "ctest (GPU tests; $logs/ctest.log)"
program=$build/tests/test_cuda_kernels
if grep -qE '\*\*\*Skipped|\(Skipped\)|Not Run' "$logs/ctest.log"; then
  # test_cuda_kernels says why in its first line ("SKIPPED: no usable CUDA GPU (...)").
  fail "a GPU test was skipped on a machine with a GPU: $(timeout 60 "$program" 2>&1 | head -n 1)"
fi
tests=$(grep -E "tests passed|tests failed" "$logs/ctest.log" | tail -n 1)
if [[ -x $sanitizer ]]; then
  timeout 600 "$sanitizer" --tool memcheck --error-exitcode 1 "$program" \
    >"$logs/memcheck.log" 2>&1 || fail "compute-sanitizer memcheck ($logs/memcheck.log)"
  for tool in racecheck synccheck initcheck; do
    timeout 300 "$sanitizer" --tool "$tool" --error-exitcode 1 "$program" \
      --run_test=gpu_train_a_few_steps_at_the_lectures_size >"$logs/$tool.log" 2>&1 ||
      fail "compute-sanitizer $tool ($logs/$tool.log)"
  done
else
  fail "compute-sanitizer not found (looked for $sanitizer)"
fi

# ---- 4. every chapter on the GPU against PyTorch's gradients -------------------------------------
chapters_ok=0 chapters_run=0
while read -r chapter; do
  case $chapter in "" | chapter_00_* | chapter_23_*) continue ;; esac
  chapters_run=$((chapters_run + 1))
  if timeout 120 "$build/chapters/$chapter" --device cuda >"$logs/$chapter.log" 2>&1; then
    chapters_ok=$((chapters_ok + 1))
  else
    fail "$chapter --device cuda ($logs/$chapter.log)"
  fi
done <"$build/chapters.txt"

# ---- 5. chapter 23 on the GPU, and on one CPU thread -----------------------------------------------
# The program ends its training with "trained N steps in T s: X us/step (...)".
us_per_step() { sed -n 's/.*: \([0-9.]*\) us\/step (.*/\1/p' "$1" | tail -n 1; }
chapter23=$build/chapters/chapter_23_training
timeout 300 "$chapter23" --device cuda --steps "$steps" --out "$logs" >"$logs/chapter23-gpu.log" 2>&1 ||
  fail "chapter 23 --device cuda ($logs/chapter23-gpu.log)"
gpu_us=$(us_per_step "$logs/chapter23-gpu.log")
timeout 300 "$chapter23" --steps 20000 --out "$logs/cpu" >"$logs/chapter23-cpu.log" 2>&1 ||
  fail "chapter 23 on the CPU ($logs/chapter23-cpu.log)"
cpu_us=$(us_per_step "$logs/chapter23-cpu.log")
# The same loop for several block counts: which one is fastest on this GPU.
timeout 300 "$build/bench/bench_gpu_training" >"$logs/blocks.log" 2>&1 ||
  fail "bench_gpu_training ($logs/blocks.log)"

# ---- 6. PyTorch on the GPU --------------------------------------------------------------------------
torch_us=""
if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  timeout 300 python3 "$root/tools/bench_pytorch_gpu.py" --steps "$torch_steps" --names "$names" \
    >"$logs/pytorch-gpu.log" 2>&1 || fail "PyTorch on the GPU ($logs/pytorch-gpu.log)"
  torch_us=$(grep -oE "[0-9.]+ us/step" "$logs/pytorch-gpu.log" | grep -oE "^[0-9.]+")
  torch_note="the lecture's loop, eager, $torch_steps steps"
else
  torch_note="skipped: no CUDA-enabled torch"
fi

# ---- 7. the table ------------------------------------------------------------------------------------
ratio() {
  if [[ -n $1 && -n $2 ]]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; else echo n/a; fi
}
{
  echo
  echo "==================== GPU check ===================="
  printf "%-30s %s\n" "GPU" "$gpus"
  printf "%-30s %s\n" "GPU tests" "${tests:-none ran}"
  printf "%-30s %s\n" "chapters --device cuda" "$chapters_ok of $chapters_run match PyTorch"
  printf "%-30s %s\n" "chapter 23 GPU, us/step" "${gpu_us:-n/a} ($steps steps)"
  printf "%-30s %s\n" "chapter 23 CPU, us/step" "${cpu_us:-n/a} (20000 steps, one thread)"
  printf "%-30s %s\n" "PyTorch GPU, us/step" "${torch_us:-n/a} ($torch_note)"
  printf "%-30s %s\n" "CPU thread / GPU" "$(ratio "$cpu_us" "$gpu_us")"
  printf "%-30s %s\n" "PyTorch GPU / GPU" "$(ratio "$torch_us" "$gpu_us")"
  echo "chapter 23 GPU by block count ($logs/blocks.log):"
  sed 's/^/  /' "$logs/blocks.log"
  printf "%-30s %s\n" "logs" "$logs"
  printf "%-30s %s\n" "time" "$SECONDS s"
  if ((${#failures[@]})); then
    echo "FAILED (${#failures[@]}):"
    printf "  %s\n" "${failures[@]}"
  else
    echo "everything passed"
  fi
} | tee "$logs/summary.txt"
((${#failures[@]} == 0))
