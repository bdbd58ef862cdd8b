#!/usr/bin/env bash
# The GPU check: everything the workbook does on a GPU, in one command of at most 8 minutes on a
# bare, offline machine with an NVIDIA GPU, the CUDA toolkit, CMake, ninja, g++ and python3 (a
# CUDA PyTorch for the comparison). The other packages travel in gpu-bundle/ (tools/gpu-bundle.sh).
# Stages, each under its own time limit (stage_limits below; they add up to less than 540 s):
#   versions    the GPU, its driver, nvcc, compute-sanitizer, the machine
#   unpack      the bundle into a private prefix, BUILD_DIR/prefix (never into /)
#   configure   CMake against the prefix: CUDA on, warnings are errors, this GPU's architecture
#   build       what the check runs, with every core
#   tests       ctest: the GPU tests (none may be skipped), the CPU executor's, the kernel math
#   sanitizers  compute-sanitizer memcheck, racecheck, synccheck on the GPU tests and on a short
#               training run (chapter 23, 30 steps)
#   chapters    chapters 01-22 with --device cuda (against PyTorch) and on the CPU: every gradient
#               of the GPU within the chained GPU test's bounds of the CPU's
#   training    chapter 23, the lecture's 200,000 steps on the GPU and on one CPU thread: the
#               final train and val losses must agree within 0.01
#   timing      the GPU step (median of 5 runs, and phase by phase), one CPU thread, PyTorch's
#               CUDA eager loop of the lecture, in the same run, and their ratios
# Writes $OUT/summary.txt (the results) and $OUT/logs.tar.gz (every log), and nothing else there.
# Exits 0 only when every stage ran and passed, no GPU test was skipped and every figure was read.
# usage: tools/gpu-check.sh [--build-only] [BUILD_DIR]        (default BUILD_DIR: build/gpu)
#   --build-only  unpack, configure and build, then stop (no GPU needed; CI runs it under
#                 tools/gpu-hide.sh, so that a package missing from the bundle fails there)
# Environment: OUT (default BUILD_DIR/gpu-check), NINJA_GPU_BUNDLE (default gpu-bundle/),
# NINJA_NAMES (names.txt), NINJA_CUDA_ARCHITECTURES (default: the GPU's, else 90), JOBS (cores).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_only=0
if [[ ${1:-} == --build-only ]]; then build_only=1; shift; fi
build=$(mkdir -p "${1:-$root/build/gpu}" && cd "${1:-$root/build/gpu}" && pwd) || exit 2
out=${OUT:-$build/gpu-check}
bundle=${NINJA_GPU_BUNDLE:-$root/gpu-bundle}
logs=$build/gpu-check-logs
prefix=$build/prefix
libdir=$prefix/usr/lib/x86_64-linux-gnu
names=${NINJA_NAMES:-$root/data/names.txt}
jobs=${JOBS:-$(nproc)}
nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
sanitizer=$(command -v compute-sanitizer || echo "$(dirname "$nvcc")/compute-sanitizer")
declare -A stage_limits=([versions]=15 [unpack]=45 [configure]=30 [build]=150 [tests]=60
  [sanitizers]=90 [chapters]=40 [training]=45 [timing]=60)
order=(versions unpack configure build tests sanitizers chapters training timing)
# --build-only stops after the build, and gives it the time of a small machine (CI has 2 cores).
((build_only)) && order=(versions unpack configure build) && stage_limits[build]=1500
rm -rf "$logs" && mkdir -p "$logs" "$out" || exit 2
rm -f "$out/summary.txt" "$out/logs.tar.gz"
export root build prefix libdir names jobs nvcc sanitizer logs build_only
stages=() results=() failures=()
fail() { failures+=("$*"); echo "gpu-check: FAILED: $*" >&2; }
result() { results+=("$(printf '%-30s %s' "$1" "${*:2}")"); }

# ---- the stages: each a function, run under `timeout` in its own shell -------------------------
stage_versions() {
  if ((!build_only)); then
    nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader &&
      nvidia-smi | sed -n 3p || return 1
  fi
  "$nvcc" --version | tail -n 2 || return 1
  ((build_only)) || "$sanitizer" --version | head -n 2 || return 1
  echo "machine: $(uname -m), $(nproc) cores, $(getconf GNU_LIBC_VERSION)"
  echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
  cmake --version | head -n 1 && ninja --version && g++ --version | head -n 1
}
stage_unpack() {
  local need have
  need=$(cat "$bundle/glibc.txt") && have=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2) || return 1
  [[ $(uname -m) == x86_64 ]] || { echo "the bundle is for x86_64, not $(uname -m)"; return 1; }
  if [[ $(printf '%s\n' "$need" "$have" | sort -V | head -n 1) != "$need" ]]; then
    echo "the bundle's libraries need glibc $need or newer; this machine has $have"
    return 1
  fi
  local sum
  sum=$(sha256sum <"$bundle/prefix.tar.xz") || return 1
  if [[ $(cat "$prefix/.bundle" 2>/dev/null) == "$sum" ]]; then
    echo "$prefix holds this bundle already"
    return 0
  fi
  rm -rf "$prefix" && mkdir -p "$prefix" || return 1
  if command -v xz >/dev/null; then
    tar -C "$prefix" -xJf "$bundle/prefix.tar.xz" || return 1
  else
    env -u LD_LIBRARY_PATH python3 -c 'import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    t.extractall(sys.argv[2], **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))' \
      "$bundle/prefix.tar.xz" "$prefix" || return 1
  fi
  # pkg-config from the bundle, which sees only the bundle's .pc files, paths under the prefix.
  cat >"$prefix/pkg-config" <<EOF
#!/bin/sh
export LD_LIBRARY_PATH=$libdir PKG_CONFIG_SYSROOT_DIR=$prefix
export PKG_CONFIG_LIBDIR=$libdir/pkgconfig:$prefix/usr/share/pkgconfig
exec $prefix/usr/bin/pkgconf "\$@"
EOF
  chmod +x "$prefix/pkg-config"
  printf '<?xml version="1.0"?>\n<fontconfig><dir>%s</dir><cachedir>%s</cachedir></fontconfig>\n' \
    "$prefix/usr/share/fonts" "$prefix/fontconfig-cache" >"$prefix/fonts.conf"
  du -sh "$prefix" && "$prefix/pkg-config" --modversion cairo && echo "$sum" >"$prefix/.bundle"
}
stage_configure() {
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNINJA_WERROR=ON \
    -DNINJA_CUDA=ON -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="$arch" \
    -DCMAKE_PREFIX_PATH="$prefix/usr" -DCMAKE_LIBRARY_PATH="$libdir/openblas-pthread" \
    -DPKG_CONFIG_EXECUTABLE="$prefix/pkg-config" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$libdir:$libdir/openblas-pthread" \
    -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath-link,$libdir:$libdir/openblas-pthread"
}
stage_build() {
  cmake --build "$build" -j "$jobs" --target test_cuda_kernels test_kernel_math test_fused_step \
    test_chain chapter_programs bench_gpu_training bench_training
}
stage_tests() {
  ctest --test-dir "$build" -R '^(cuda_kernels|kernel_math|fused_step|chain)$' -j 3 --timeout 55 \
    --output-on-failure
}
stage_sanitizers() {  # 3 tools x (the GPU tests, a short training run), side by side
  local tool tests=$build/tests/test_cuda_kernels
  local long_runs='!gpu_train_follows_the_plain_loop_and_pytorch'
  long_runs+=':!gpu_train_at_odd_sizes_blocks_threads_and_launches'
  long_runs+=':!the_profiled_kernel_trains_the_same_and_times_every_phase'
  for tool in memcheck racecheck synccheck; do
    # racecheck and synccheck are the slow ones: the GPU tests without the long training runs
    local only=() && [[ $tool != memcheck ]] && only=(--run_test="$long_runs")
    (timeout 80 "$sanitizer" --tool "$tool" --error-exitcode 1 "$tests" "${only[@]}" \
      >"$logs/$tool-tests.log" 2>&1; echo $? >"$logs/$tool-tests.rc") &
    (timeout 80 "$sanitizer" --tool "$tool" --error-exitcode 1 \
      "$build/chapters/chapter_23_training" --device cuda --steps 30 --out "$logs/$tool-training" \
      >"$logs/$tool-training.log" 2>&1; echo $? >"$logs/$tool-training.rc") &
  done
  wait
  ! grep -L '^0$' "$logs"/{memcheck,racecheck,synccheck}-*.rc | grep .  # every run exited 0
}
stage_chapters() {  # each chapter on the GPU and on the CPU, side by side, its gradients dumped
  grep -E '^chapter_(0[1-9]|1[0-9]|2[0-2])_' "$build/chapters.txt" >"$logs/chapters.txt"
  run_one() {
    mkdir -p "$logs/chapters/$1/$2" &&
      timeout 35 "$build/chapters/$1" --device "$2" --dump "$logs/chapters/$1/$2" \
        >"$logs/chapters/$1/$2.log" 2>&1
    echo $? >"$logs/chapters/$1/$2.rc"
  }
  export -f run_one
  sed 's/$/ cuda/; p; s/ cuda$/ cpu/' "$logs/chapters.txt" | xargs -P "$jobs" -n 2 bash -c 'run_one "$0" "$1"'
  env -u LD_LIBRARY_PATH python3 "$root/tools/gpu_compare.py" "$logs/chapters"
}
stage_training() {  # 200,000 steps on the GPU and on one CPU thread, side by side
  (timeout 40 "$build/chapters/chapter_23_training" --device cuda --out "$logs/training-gpu" \
    >"$logs/training-gpu.log" 2>&1; echo $? >"$logs/training-gpu.rc") &
  (OPENBLAS_NUM_THREADS=1 timeout 40 "$build/chapters/chapter_23_training" \
    --out "$logs/training-cpu" >"$logs/training-cpu.log" 2>&1; echo $? >"$logs/training-cpu.rc") &
  wait
  [[ $(cat "$logs/training-gpu.rc" "$logs/training-cpu.rc") == $'0\n0' ]]
}
stage_timing() {  # one after another, on a quiet machine; each timed even when another failed
  local rc=0
  "$build/bench/bench_gpu_training" --steps 20000 --repeats 5 --blocks 0,7,13,25 --phases \
    >"$logs/timing-gpu.log" 2>&1 || rc=1
  OPENBLAS_NUM_THREADS=1 "$build/bench/bench_training" --steps 5000 >"$logs/timing-cpu.log" 2>&1 ||
    rc=1
  env -u LD_LIBRARY_PATH -u FONTCONFIG_FILE python3 "$root/tools/bench_pytorch_gpu.py" \
    --steps 2000 --repeats 5 --names "$names" >"$logs/timing-pytorch.log" 2>&1 || rc=1
  return $rc
}
mapfile -t stage_functions < <(compgen -A function stage_)
export -f "${stage_functions[@]}"

# Runs stage $1 under its time limit; its output goes to $logs/$1.log.
run_stage() {
  local name=$1 limit=${stage_limits[$1]} start=$SECONDS rc status
  timeout -k 5 "$limit" bash -c "stage_$name" >"$logs/$name.log" 2>&1
  rc=$?
  case $rc in
    0) status=ok ;;
    124 | 137) status="TIMED OUT" ;;
    *) status="FAILED (exit $rc)" ;;
  esac
  stages+=("$(printf '%-12s %4d s  (limit %3d s)  %s' "$name" $((SECONDS - start)) "$limit" "$status")")
  if [[ $status != ok ]]; then
    fail "stage $name: $status (its log: $name.log)"
    tail -n 20 "$logs/$name.log" >&2
  fi
  [[ $status == ok ]]
}

# Sets variable $1 to the last match of sed script $3 in file $2 (a number); a failure naming
# figure $4 when there is none.
read_figure() {
  local value
  value=$(sed -n "$3" "$2" 2>/dev/null | tail -n 1)
  if [[ ! $value =~ ^-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$ ]]; then
    fail "cannot read $4 in $(basename "$2")"
    value=""
  fi
  printf -v "$1" '%s' "$value"
}
# a / b with one decimal, or n/a.
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }' || echo n/a; }

# What the stages' logs say: one function per stage, run after it.
read_tests() {
  local line
  line=$(grep -E 'tests passed|tests failed' "$logs/tests.log" | tail -n 1)
  [[ -n $line ]] || fail "cannot read the ctest summary in tests.log"
  if grep -qE '\*\*\*Skipped|\(Skipped\)|Not Run|SKIPPED' "$logs/tests.log"; then
    fail "a GPU test was skipped on a machine with a GPU:" \
      "$(grep -m1 -E 'SKIPPED|Skipped|Not Run' "$logs/tests.log")"
  fi
  result "GPU tests (ctest)" "${line:-?}"
}
read_sanitizers() {
  local tool target errors rc line=""
  for tool in memcheck racecheck synccheck; do
    for target in tests training; do
      read_figure errors "$logs/$tool-$target.log" 's/.*ERROR SUMMARY: \([0-9]*\) error.*/\1/p' \
        "$tool's error count ($target)"
      rc=$(cat "$logs/$tool-$target.rc" 2>/dev/null)
      [[ $errors == 0 ]] || fail "compute-sanitizer $tool, $target: ${errors:-?} errors ($tool-$target.log)"
      [[ $rc == 0 ]] || fail "compute-sanitizer $tool, $target: exit ${rc:-?} ($tool-$target.log)"
      line+="$tool $target ${errors:-?}, "
    done
  done
  result "compute-sanitizer errors" "${line%, }"
}
read_chapters() {
  local gpu_ok cpu_ok total
  total=$(grep -c . "$logs/chapters.txt" 2>/dev/null)
  gpu_ok=$(grep -l '^0$' "$logs"/chapters/*/cuda.rc 2>/dev/null | wc -l)
  cpu_ok=$(grep -l '^0$' "$logs"/chapters/*/cpu.rc 2>/dev/null | wc -l)
  ((total == 22 && gpu_ok == total && cpu_ok == total)) ||
    fail "chapters: $gpu_ok of ${total:-?} match PyTorch on the GPU, $cpu_ok on the CPU (chapters/*/*.log)"
  result "chapters 01-22 --device cuda" "$gpu_ok of ${total:-?} match PyTorch (the CPU: $cpu_ok)"
  result "  GPU against the CPU" "$(tail -n 1 "$logs/chapters.log")"
}
read_training() {
  local where split
  for where in gpu cpu; do
    for split in train val; do
      read_figure "${split}_$where" "$logs/training-$where.log" "s/^$split *\([0-9.]*\)$/\1/p" \
        "the final $split loss ($where)"
    done
  done
  read_figure run_gpu_us "$logs/training-gpu.log" 's/.*: \([0-9.]*\) us\/step (GPU.*/\1/p' \
    "the GPU run's us/step"
  result "chapter 23, 200,000 steps" "GPU: train ${train_gpu:-?} val ${val_gpu:-?}" \
    "(${run_gpu_us:-?} us/step); one CPU thread: train ${train_cpu:-?} val ${val_cpu:-?}"
  for split in train val; do
    local g=${split}_gpu c=${split}_cpu
    [[ -n ${!g} && -n ${!c} ]] || continue
    awk -v g="${!g}" -v c="${!c}" 'BEGIN { d = g - c; exit !(d <= 0.01 && d >= -0.01) }' ||
      fail "chapter 23: the GPU's final $split loss ${!g} is not within 0.01 of the CPU's ${!c}"
  done
}
read_timing() {
  read_figure gpu_us "$logs/timing-gpu.log" 's/^median_us_per_step \([0-9.]*\)$/\1/p' "the GPU step's median"
  read_figure cpu_us "$logs/timing-cpu.log" 's/^median_us_per_step \([0-9.]*\)$/\1/p' "the CPU step's median"
  read_figure torch_us "$logs/timing-pytorch.log" 's/^median_us_per_step \([0-9.]*\)$/\1/p' "PyTorch's median"
  result "us per step (median)" \
    "GPU ${gpu_us:-?}, one CPU thread ${cpu_us:-?}, PyTorch CUDA eager ${torch_us:-?}"
  result "ratios" \
    "CPU thread / GPU $(ratio "$cpu_us" "$gpu_us"), PyTorch / GPU $(ratio "$torch_us" "$gpu_us")"
  [[ -z $gpu_us || -z $cpu_us ]] || awk -v g="$gpu_us" -v c="$cpu_us" 'BEGIN { exit !(g < c) }' ||
    fail "the GPU step ($gpu_us us) is not faster than one CPU thread ($cpu_us us)"
  if [[ -n $gpu_us && $gpus =~ H100|H200 ]]; then
    awk -v g="$gpu_us" 'BEGIN { exit !(g <= 10) }' ||
      fail "the GPU step takes $gpu_us us: the target on an H100 / H200 is 10 us"
  fi
}

# ---- the run -------------------------------------------------------------------------------------
limit_sum=0
for name in "${order[@]}"; do limit_sum=$((limit_sum + stage_limits[$name])); done
if ((!build_only && limit_sum >= 540)); then
  echo "gpu-check: the stages' limits add up to $limit_sum s, more than 540" >&2
  exit 2
fi
gpus=""
if ((!build_only)); then
  gpus=$(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>&1) || gpus=""
  if [[ -z $gpus || $gpus == *"failed"* || $gpus == *"not found"* ]]; then
    echo "gpu-check: no usable NVIDIA GPU here (${gpus:-nvidia-smi lists none}); nothing was run" |
      tee "$out/summary.txt" >&2
    exit 1
  fi
fi
[[ -r $bundle/prefix.tar.xz && -r $bundle/glibc.txt ]] || {
  echo "gpu-check: no bundle at $bundle: run tools/gpu-bundle.sh where the package registry is reachable" >&2
  exit 2
}
[[ -r $names ]] || { echo "gpu-check: names.txt not found at $names (set NINJA_NAMES)" >&2; exit 2; }
arch=${NINJA_CUDA_ARCHITECTURES:-$(head -n 1 <<<"$gpus" | awk -F', ' '{ gsub(/\./, "", $3); print $3 }')}
arch=${arch:-90}
export arch bundle
blocked=""
for name in "${order[@]}"; do
  if [[ -n $blocked ]]; then
    stages+=("$(printf '%-12s %4s    (limit %3d s)  not run: %s failed' "$name" - \
      "${stage_limits[$name]}" "$blocked")")
    fail "stage $name not run ($blocked failed)"
    continue
  fi
  run_stage "$name" || case $name in unpack | configure | build) blocked=$name ;; esac
  if [[ $name == build && -z $blocked ]]; then
    export LD_LIBRARY_PATH=$libdir:$libdir/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export FONTCONFIG_FILE=$prefix/fonts.conf
  fi
  case $name in tests | sanitizers | chapters | training | timing) [[ -n $blocked ]] || "read_$name" ;; esac
done

tar -C "$build" -czf "$out/logs.tar.gz" "$(basename "$logs")" || fail "cannot pack the logs"
{
  echo "==================== GPU check$( ((build_only)) && echo ' (--build-only)') ===================="
  ((build_only)) || printf '%-30s %s\n' "GPU (name, driver, capability)" "$gpus"
  printf '%-30s %s\n' "nvcc" "$(sed -n 's/^Cuda compilation tools, //p' "$logs/versions.log")"
  printf '%-30s %s\n' "machine" "$(sed -n 's/^machine: //p' "$logs/versions.log"), sm_$arch"
  echo "stages (seconds, limit):"
  printf '  %s\n' "${stages[@]}"
  ((${#results[@]})) && echo "results:" && printf '  %s\n' "${results[@]}"
  if [[ -s $logs/timing-gpu.log ]]; then
    echo "the GPU step by block count, and phase by phase (bench_gpu_training):"
    sed -n '/^blocks (asked)/,/^median_us_per_step/p; /^per phase/,$p' "$logs/timing-gpu.log" | sed 's/^/  /'
  fi
  printf '%-30s %s s\n' "time" "$SECONDS"
  if ((${#failures[@]})); then
    echo "FAILED (${#failures[@]}):"
    printf '  %s\n' "${failures[@]}"
  else
    echo "everything passed"
  fi
} >"$out/summary.txt"
cat "$out/summary.txt"
echo "gpu-check: wrote $out/summary.txt and $out/logs.tar.gz"
((${#failures[@]} == 0))
