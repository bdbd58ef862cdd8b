#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU and the CUDA toolkit (under 5 minutes):
#   1. configure with -DNINJA_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=native and build;
#   2. run the GPU tests (ctest -L cuda) and every chapter program with --device cuda;
#   3. time chapter 23's training on the GPU (200,000 steps);
#   4. time the lecture's loop in PyTorch on the GPU (eager, manual backward; skipped without torch);
#   5. print a table: test results, microseconds per step of each, their ratio.
# Usage: tools/gpu-check.sh [BUILD_DIR]     (default build/gpu)
# Environment: NINJA_GPU_STEPS (default 200000), NINJA_TORCH_STEPS (default 20000), JOBS.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/gpu}
steps=${NINJA_GPU_STEPS:-200000}
torch_steps=${NINJA_TORCH_STEPS:-20000}
jobs=${JOBS:-$(nproc)}
log=$build/gpu-check.log

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
cmake -S "$root" -B "$build" -G Ninja -DNINJA_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=native \
      -DCMAKE_BUILD_TYPE=Release || { echo "gpu-check: configure failed"; exit 1; }
cmake --build "$build" -j"$jobs" || { echo "gpu-check: build failed"; exit 1; }
: > "$log"

# ---- 1. GPU tests ------------------------------------------------------------------------------
ctest --test-dir "$build" -L cuda --output-on-failure 2>&1 | tee -a "$log"
tests_line=$(grep -E "tests passed|tests failed" "$log" | tail -1)
grep -q "Skipped" "$log" && tests_line="$tests_line (SKIPPED: no usable GPU?)"

# ---- 2. every chapter program on the GPU against PyTorch's gradients -----------------------------
chapters_ok=0 chapters_run=0 chapters_failed=""
while read -r program; do
  [ -n "$program" ] || continue
  exe=$build/chapters/$program
  case $program in chapter_00_*|chapter_23_*) continue ;; esac
  chapters_run=$((chapters_run + 1))
  if "$exe" --device cuda >>"$log" 2>&1; then chapters_ok=$((chapters_ok + 1)); else chapters_failed="$chapters_failed ${program#chapter_}"; fi
done < "$build/chapters.txt"

# ---- 3. chapter 23 on the GPU ----------------------------------------------------------------------
# The program ends its training with "trained N steps in T s: X us/step (GPU)".
ours_us="n/a" ours_note="chapter 23 --device cuda failed (see $build/chapter23-gpu.txt)"
if timeout 180 "$build/chapters/chapter_23_training" --device cuda --steps "$steps" \
     > "$build/chapter23-gpu.txt" 2>&1; then
  ours_us=$(sed -n 's/.*: \([0-9.]*\) us\/step (GPU)$/\1/p' "$build/chapter23-gpu.txt")
  ours_note="$steps steps, as printed by chapter 23"
fi

# ---- 4. PyTorch on the GPU --------------------------------------------------------------------------
torch_line=$(cd "$root" && timeout 150 python3 tools/bench_pytorch_gpu.py --steps "$torch_steps" 2>&1 | tail -1)
torch_us=$(echo "$torch_line" | grep -oE "[0-9.]+ us/step" | grep -oE "^[0-9.]+")

# ---- 5. the table -----------------------------------------------------------------------------------
ratio="n/a"
if [ -n "$torch_us" ] && [ "$ours_us" != "n/a" ] && [ -n "$ours_us" ]; then
  ratio=$(awk -v torch="$torch_us" -v ours="$ours_us" 'BEGIN { printf "%.2fx", torch / ours }')
fi
echo
echo "==================== GPU check ===================="
printf "%-34s %s\n" "GPU tests (ctest -L cuda)" "${tests_line:-none ran}"
printf "%-34s %s\n" "chapters --device cuda" "$chapters_ok/$chapters_run matched PyTorch${chapters_failed:+ (failed:$chapters_failed)}"
printf "%-34s %s\n" "ours: chapter 23, us/step" "$ours_us ($ours_note)"
printf "%-34s %s\n" "PyTorch eager GPU, us/step" "${torch_us:-n/a} (${torch_line:-not run})"
printf "%-34s %s\n" "ratio PyTorch / ours" "$ratio"
echo "log: $log"
