#!/usr/bin/env bash
# Bad input must give exactly one line on stderr and the bad-input exit code, never a crash.
# usage: bad_input.sh EXIT_CODES SETUP_PROGRAM CHAPTER_PROGRAM TRAINING_PROGRAM
#        (EXIT_CODES: <build>/exit-codes.sh)
set -u
# shellcheck source=/dev/null
source "$1"
setup=$2
chapter=$3
training=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0

# expect_error NAME EXPECTED_TEXT COMMAND...: exit_bad_input, one stderr line containing the text.
expect_error() {
  local name=$1 text=$2
  shift 2
  cases=$((cases + 1))
  "$@" >"$tmp/out" 2>"$tmp/err"
  local code=$? lines
  lines=$(wc -l <"$tmp/err")
  if [[ $code -ne $exit_bad_input || $lines -ne 1 ]] || ! grep -qF -- "$text" "$tmp/err"; then
    echo "FAIL $name: exit $code, $lines stderr line(s), expected $exit_bad_input, 1 line with '$text':"
    cat "$tmp/err"
    failures=$((failures + 1))
  else
    echo "ok   $name: $(cat "$tmp/err")"
  fi
}

printf ''                  >"$tmp/empty.txt"
printf 'anna\n\nbob\n'     >"$tmp/blank.txt"
printf 'anna\nBob\n'       >"$tmp/upper.txt"
printf 'anna\nb0b\n'       >"$tmp/digit.txt"
printf 'anna\nzo\xc3\xab\n' >"$tmp/utf8.txt"
mkdir "$tmp/reference"

expect_error "missing data file" "cannot open names file" "$setup" --data "$tmp/none.txt"
expect_error "empty data file" "empty.txt: the file is empty" "$setup" --data "$tmp/empty.txt"
expect_error "blank line" "blank.txt:2: blank line" "$setup" --data "$tmp/blank.txt"
expect_error "uppercase letter" "upper.txt:2: invalid character 'B'" "$setup" --data "$tmp/upper.txt"
expect_error "digit" "digit.txt:2: invalid character '0'" "$setup" --data "$tmp/digit.txt"
expect_error "non-ASCII byte" "utf8.txt:2: invalid character byte 0xc3" "$setup" --data "$tmp/utf8.txt"
expect_error "batch size 1" "--batch-size must be at least 2" "$setup" --batch-size 1
expect_error "batch size 1 (chapter)" "--batch-size must be at least 2" "$chapter" --batch-size 1
expect_error "n_hidden 0" "--n-hidden must be at least 1" "$chapter" --n-hidden 0
expect_error "not a number" "--seed: expects a non-negative integer, got 'abc'" "$chapter" --seed abc
expect_error "negative number" "--batch-size: expects a non-negative integer, got '-3'" "$chapter" --batch-size -3
expect_error "unknown option" "argument was not expected: --bogus" "$chapter" --bogus
expect_error "missing value" "--dump: 1 required DIR missing" "$chapter" --dump
expect_error "stray argument" "argument was not expected: extra" "$chapter" extra
expect_error "unknown reference" "--reference: autograd not in {pytorch,numerical}" "$chapter" --reference autograd
expect_error "unknown device" "--device: tpu not in {cpu,cuda}" "$chapter" --device tpu
expect_error "no PyTorch data for this setup" "use --reference numerical" "$chapter" --seed 1
expect_error "missing reference data" "meta.txt: missing reference data" \
  env NINJA_REFERENCE="$tmp/reference" "$chapter"
expect_error "numerical reference, bad data" "upper.txt:2: invalid character" \
  "$chapter" --reference numerical --data "$tmp/upper.txt"

expect_error "training: batch size 1" "--batch-size must be at least 2" "$training" --batch-size 1
expect_error "training: missing data" "missing.txt" "$training" --data "$tmp/missing.txt"
expect_error "training: no steps" "--steps must be at least 1" "$training" --steps 0
expect_error "training: negative rate" "--lr must be positive" "$training" --lr -1
expect_error "training: unknown option" "argument was not expected: --bogus" "$training" --bogus

echo "$((cases - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
