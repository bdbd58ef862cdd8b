# Sourced by tests/bad_input.sh: memory, time and the exercise. Under a memory limit a program
# runs or stops at once with one line; chapter 23 checks its input before training and stops a
# run that diverges; `--trainer yours` without the exercise written is "not started"; a long
# computation says how it goes.

echo "--- a memory limit (ulimit -v): the program runs, or stops at once with one line"
if $sanitized; then
  echo "skipped: AddressSanitizer cannot run under ulimit -v"
else
  for program in "$setup" "$chapter" "$fused"; do
    start_clock
    expect_output "ulimit -v 200000, $(basename "$program")" 0 "approximate: True" "${memory[@]}" 200000 "$program"
    expect_quick "ulimit -v 200000, $(basename "$program")" 5
  done
  for kb in 150000 100000; do
    start_clock
    expect_error "ulimit -v $kb, chapter 00" "out of memory: the limit of $kb kB" "${memory[@]}" "$kb" "$setup"
    expect_quick "ulimit -v $kb, chapter 00" 2
    expect_nothing_printed "ulimit -v $kb, chapter 00"
  done
  expect_error "ulimit -v 150000, chapter 23" "out of memory: the limit of 150000 kB" \
    "${memory[@]}" 150000 "$training" --out d
  expect_output "ulimit -v 300000, chapter 23" 0 "100 steps of SGD" "${memory[@]}" 300000 "$training" --steps 100 --out "$tmp/limited_23"
  grep -q "trained 100 steps" "$tmp/err" || fail "ulimit -v 300000, chapter 23: did not train"
  # The largest hidden layer: the evaluation after training goes in chunks of rows that keep to
  # the bound the sizes were checked against (it once took 4,096 rows, a GB per intermediate).
  head -300 "$names" >"$tmp/first300.txt"
  expect_output "--n-hidden 65536 under ulimit -v 600000" 0 "batchnorm calibrated" \
    "${memory[@]}" 600000 "$training" --n-hidden 65536 --batch-size 2 --steps 1 --lr 0.001 \
    --data "$tmp/first300.txt" --out "$tmp/wide_23"
  # More memory than the limit leaves: one line, not an internal error.
  expect_error "numerical oracle out of memory" "out of memory: this run needs more than the process" \
    "${memory[@]}" 400000 "$chapter" --reference numerical --batch-size 262144 --n-hidden 37
fi

echo "--- chapter 23: checked before training, divergence stopped"
expect_error "training: batch size 1" "--batch-size must be at least 2" "$training" --batch-size 1
expect_error "training: missing data" "missing.txt" "$training" --data "$tmp/missing.txt"
expect_error "training: no steps" "--steps must be at least 1" "$training" --steps 0
expect_error "training: too many steps" "--steps must be at most" "$training" --steps 99999999999
expect_error "training: negative rate" "--lr must be positive" "$training" --lr -1
expect_error "training: rate beyond float32" "--lr must be a float32 number" "$training" --lr 1e39
expect_error "training: unknown option" "argument was not expected: --bogus" "$training" --bogus
expect_error "training: two names" "two.txt: 2 names give" "$training" --data "$tmp/two.txt"
expect_nothing_printed "training: two names"
expect_error "training: three names, no dev set" "three.txt: 3 names leave the dev set" \
  "$training" --data "$tmp/three.txt" --batch-size 2
expect_nothing_printed "training: three names, no dev set"
for lr in 10 100 1e9 1e20; do
  start_clock
  expect_error "training: --lr $lr" "training diverged at step" "$training" --lr "$lr" --out "$tmp/pictures_lr"
  expect_quick "training: --lr $lr" 10
done
expect_complete_or_absent "$tmp/pictures_lr"

echo "--- --trainer yours, the exercise not written: not started, before anything is printed"
expect_exit "--trainer yours, not written" "$exit_not_started" "not started" \
  "--trainer yours: your train_step (chapters/23_training/exercise.hpp)" "$training" --trainer yours
expect_nothing_printed "--trainer yours, not written"
expect_exit "--trainer yours, not written, --out d" "$exit_not_started" "not started" \
  "is not written yet" "$training" --trainer yours --out d

echo "--- a long computation tells how it goes"
# Hours of central differences (540,000 elements of dcounts): a progress line after 2 s; the
# program is stopped as soon as it comes.
cases=$((cases + 1))
"$bin/chapter_05_counts" --reference numerical --batch-size 20000 >/dev/null 2>"$tmp/err" &
long=$!
for _ in $(seq 100); do
  grep -q '% done' "$tmp/err" && break
  sleep 0.1
done
kill "$long" 2>/dev/null
wait "$long" 2>/dev/null
if grep -qE '^chapter_05_counts: float64 central differences: [0-9]+% done, [0-9]+ s so far, about [0-9]+ s left$' "$tmp/err"; then
  echo "ok   progress: $(head -1 "$tmp/err")"
else
  fail "progress: no progress line within 10 s"
fi
