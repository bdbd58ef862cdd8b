#!/usr/bin/env bash
# Bad input, faults and divergence: each case must end with the bad-input exit code and exactly
# one error line on stderr (progress lines aside), never a crash, a hang or an internal error,
# and leave no partial file behind.
# usage: bad_input.sh EXIT_CODES PROGRAMS   (EXIT_CODES: <build>/exit-codes.sh; PROGRAMS: the
#        folder of the chapter programs)
#
# A full disk is simulated with a file-size limit (`ulimit -f`), which needs no mount and no
# privilege: write() then fails partway through a file (EFBIG) exactly as it does on a full disk
# (ENOSPC), and the programs ignore SIGXFSZ so that the limit is an error, not a kill. /dev/full
# would not do: the programs write a temporary file beside the target and rename it, and /dev
# is no folder to write files into. A small tmpfs does the same but needs root to mount.
set -u
# shellcheck source=/dev/null
source "$1"
bin=$2
setup=$bin/chapter_00_setup
chapter=$bin/chapter_02_probs
training=$bin/chapter_23_training
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0
limit=20 # seconds any case may take: a program that hangs fails its case instead of the test

fail() {
  echo "FAIL $1"
  cat "$tmp/err"
  failures=$((failures + 1))
}

# expect_error NAME EXPECTED_TEXT COMMAND...: the bad-input exit code, one error line on stderr
# containing the text, and any other stderr line a progress line of the program.
expect_error() {
  local name=$1 text=$2
  shift 2
  cases=$((cases + 1))
  local start=$SECONDS
  timeout "$limit" "$@" >"$tmp/out" 2>"$tmp/err"
  local code=$? errors others
  errors=$(grep -c -e ': error: ' -e ': internal error: ' "$tmp/err")
  others=$(grep -v -e ': error: ' -e ': internal error: ' "$tmp/err" |
    grep -c -v -E '^[a-z0-9_]+: (.*% done, |step [0-9]+/|trained [0-9]+ steps)')
  if [[ $code -ne $exit_bad_input || $errors -ne 1 || $others -ne 0 ]] ||
    ! grep -qF -- "$text" "$tmp/err"; then
    fail "$name: exit $code, $errors error line(s), $others other line(s); expected exit $exit_bad_input, one line with '$text':"
  else
    echo "ok   $name ($((SECONDS - start)) s): $(grep -e ': error: ' "$tmp/err")"
  fi
}

# expect_quick NAME SECONDS: the case just run took at most SECONDS of wall time.
last_start=0
expect_quick() {
  local took=$(($(date +%s%N) / 1000000 - last_start))
  if ((took > $2 * 1000)); then
    echo "FAIL $1: took $took ms, more than $2 s"
    failures=$((failures + 1))
  fi
}
start_clock() { last_start=$(($(date +%s%N) / 1000000)); }

# expect_nothing_printed NAME: the case just run printed nothing on stdout (it stopped before
# any work).
expect_nothing_printed() {
  if [[ -s $tmp/out ]]; then
    echo "FAIL $1: checked only after the work; stdout:"
    head -3 "$tmp/out"
    failures=$((failures + 1))
  fi
}

# expect_complete_or_absent DIR [REFERENCE_DIR]: no temporary file is left in DIR, and every file
# in it is the complete file of REFERENCE_DIR (no file at all without one).
expect_complete_or_absent() {
  local dir=$1 reference=${2:-} f
  if [[ -n $(find "$dir" -name '.*' -type f) ]]; then
    echo "FAIL $dir: temporary files left: $(find "$dir" -name '.*' -type f)"
    failures=$((failures + 1))
  fi
  for f in "$dir"/*; do
    [[ -e $f ]] || continue
    if [[ -z $reference ]] || ! cmp -s "$f" "$reference/$(basename "$f")"; then
      echo "FAIL $f: a partial file was left ($(wc -c <"$f") bytes)"
      failures=$((failures + 1))
    fi
  done
}

# "${limited[@]}" KIB COMMAND...: runs COMMAND with files limited to KIB KiB (a "full disk"),
# its stdout discarded (stdout is not a file the program writes on its own).
limited=(bash -c 'ulimit -f "$0"; exec "$@" >/dev/null')

printf '' >"$tmp/empty.txt"
printf 'anna\n\nbob\n' >"$tmp/blank.txt"
printf 'anna\nBob\n' >"$tmp/upper.txt"
printf 'anna\nb0b\n' >"$tmp/digit.txt"
printf 'anna\nzo\xc3\xab\n' >"$tmp/utf8.txt"
printf 'anna\n' >"$tmp/one.txt"
printf 'anna\nbob\n' >"$tmp/two.txt"
printf 'anna\nbob\ncarl\n' >"$tmp/three.txt"
head -c 100000 /dev/zero | tr '\0' 'a' >"$tmp/long.txt"
mkdir "$tmp/reference" "$tmp/folder"
touch "$tmp/file"

echo "--- names files"
expect_error "missing data file" "cannot open names file" "$setup" --data "$tmp/none.txt"
expect_error "empty data file" "empty.txt: the file is empty" "$setup" --data "$tmp/empty.txt"
expect_error "blank line" "blank.txt:2: blank line" "$setup" --data "$tmp/blank.txt"
expect_error "uppercase letter" "upper.txt:2: invalid character 'B'" "$setup" --data "$tmp/upper.txt"
expect_error "digit" "digit.txt:2: invalid character '0'" "$setup" --data "$tmp/digit.txt"
expect_error "non-ASCII byte" "utf8.txt:2: invalid character byte 0xc3" "$setup" --data "$tmp/utf8.txt"
expect_error "a folder" "folder: a folder, not a names file" "$setup" --data "$tmp/folder"
expect_error "a single name" "one.txt: the file holds 1 name" "$chapter" --reference numerical --data "$tmp/one.txt"
expect_error "one long name" "long.txt:1: a name longer than 64 characters" "$setup" --data "$tmp/long.txt"
start_clock
expect_error "/dev/zero" "/dev/zero:1: invalid character byte 0x00" "$setup" --data /dev/zero
expect_quick "/dev/zero" 1
start_clock
expect_error "/dev/urandom" "/dev/urandom:1: invalid character" "$setup" --data /dev/urandom
expect_quick "/dev/urandom" 1
expect_error "names that never end" "longer than 64 MiB" "$setup" --data <(yes anna)

echo "--- options"
expect_error "batch size 1" "--batch-size must be at least 2" "$setup" --batch-size 1
expect_error "batch size 1 (chapter)" "--batch-size must be at least 2" "$chapter" --batch-size 1
expect_error "n_hidden 0" "--n-hidden must be at least 1" "$chapter" --n-hidden 0
expect_error "too large to fit" "must be at most 16777216" "$chapter" --reference numerical --batch-size 1048576 --n-hidden 65536
expect_error "not a number" "--seed: expects a non-negative integer, got 'abc'" "$chapter" --seed abc
expect_error "negative number" "--batch-size: expects a non-negative integer, got '-3'" "$chapter" --batch-size -3
expect_error "unknown option" "argument was not expected: --bogus" "$chapter" --bogus
expect_error "missing value" "--dump: 1 required DIR missing" "$chapter" --dump
expect_error "stray argument" "argument was not expected: extra" "$chapter" extra
expect_error "unknown reference" "--reference: autograd not in {pytorch,numerical}" "$chapter" --reference autograd
expect_error "unknown device" "--device: tpu not in {cpu,cuda}" "$chapter" --device tpu
expect_error "no PyTorch data for this setup" "use --reference numerical" "$chapter" --seed 1
expect_error "numerical reference, bad data" "upper.txt:2: invalid character" \
  "$chapter" --reference numerical --data "$tmp/upper.txt"

echo "--- output folders, checked before the work"
expect_error "--dump a file" "--dump $tmp/file: not a folder" "$chapter" --dump "$tmp/file"
expect_nothing_printed "--dump a file"
expect_error "--dump under a file" "cannot create the folder" "$chapter" --dump "$tmp/file/dump"
expect_error "--dump /dev/null" "--dump /dev/null: not a folder" "$chapter" --dump /dev/null
expect_error "--dump under /proc" "--dump /proc/ninja: cannot create the folder" "$chapter" --dump /proc/ninja
expect_error "--out under /proc (pictures)" "--out /proc/ninja: cannot create the folder" "$bin/chapter_21_cross_entropy" --out /proc/ninja
expect_nothing_printed "--out under /proc (pictures)"

echo "--- a full disk: one line, no partial file"
"$bin/chapter_05_counts" --dump "$tmp/dump_whole" >/dev/null
expect_error "--dump, disk full" "cannot write the file (File too large)" \
  "${limited[@]}" 1 "$bin/chapter_05_counts" --dump "$tmp/dump_full"
expect_complete_or_absent "$tmp/dump_full" "$tmp/dump_whole"
expect_error "dlogits.png, disk full" "dlogits.png: cannot write the file (File too large)" \
  "${limited[@]}" 16 "$bin/chapter_21_cross_entropy" --out "$tmp/pictures_full"
expect_complete_or_absent "$tmp/pictures_full"

echo "--- reference data"
for broken in Yb Xb; do
  rm -rf "$tmp/reference/lecture"
  cp -r "$(dirname "$0")/reference/lecture" "$tmp/reference/"
  # The 8 bytes of the first entry (after the 128-byte npy header): 99, outside the 27 symbols.
  printf '\x63\0\0\0\0\0\0\0' | dd of="$tmp/reference/lecture/$broken.npy" bs=1 seek=128 conv=notrunc 2>/dev/null
  for program in chapter_01_logprobs chapter_08_logits chapter_20_embedding_table chapter_21_cross_entropy; do
    expect_error "$broken out of range, $program" "lecture/$broken.npy: entry [0" \
      env NINJA_REFERENCE="$tmp/reference" "$bin/$program" --out "$tmp/pictures"
  done
done
rm -rf "$tmp/reference/lecture"
expect_error "missing reference data" "meta.txt: missing reference data" \
  env NINJA_REFERENCE="$tmp/reference" "$chapter"

echo "--- chapter 23: checked before training, divergence stopped"
expect_error "training: batch size 1" "--batch-size must be at least 2" "$training" --batch-size 1
expect_error "training: missing data" "missing.txt" "$training" --data "$tmp/missing.txt"
expect_error "training: no steps" "--steps must be at least 1" "$training" --steps 0
expect_error "training: too many steps" "--steps must be at most" "$training" --steps 99999999999
expect_error "training: negative rate" "--lr must be positive" "$training" --lr -1
expect_error "training: rate beyond float32" "--lr must be a float32 number" "$training" --lr 1e39
expect_error "training: unknown option" "argument was not expected: --bogus" "$training" --bogus
expect_error "training: --out under /proc" "--out /proc/ninja: cannot create the folder" "$training" --out /proc/ninja
expect_nothing_printed "training: --out under /proc"
expect_error "training: --out a file" "--out $tmp/file: not a folder" "$training" --out "$tmp/file"
expect_nothing_printed "training: --out a file"
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
expect_error "loss_curve.png, disk full" "loss_curve.png: cannot write the file (File too large)" \
  "${limited[@]}" 16 "$training" --steps 200 --out "$tmp/pictures_23_full"
expect_complete_or_absent "$tmp/pictures_23_full"

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

echo "$((cases - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
