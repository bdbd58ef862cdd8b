#!/usr/bin/env bash
# Bad input must give exactly one line on stderr and exit code 2, never a crash.
# usage: bad_input.sh SETUP_PROGRAM CHAPTER_PROGRAM
set -u
setup=$1
chapter=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0

# expect_error NAME EXPECTED_TEXT COMMAND...: exit code 2, one stderr line containing the text.
expect_error() {
  local name=$1 text=$2
  shift 2
  cases=$((cases + 1))
  "$@" >"$tmp/out" 2>"$tmp/err"
  local code=$? lines
  lines=$(wc -l <"$tmp/err")
  if [[ $code -ne 2 || $lines -ne 1 ]] || ! grep -qF -- "$text" "$tmp/err"; then
    echo "FAIL $name: exit $code, $lines stderr line(s), expected 2, 1 line with '$text':"
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
expect_error "not a number" "--seed expects a non-negative integer" "$chapter" --seed abc
expect_error "negative number" "--batch-size expects a non-negative integer" "$chapter" --batch-size -3
expect_error "unknown option" "unknown option --bogus" "$chapter" --bogus
expect_error "missing value" "--dump needs a value" "$chapter" --dump
expect_error "stray argument" "unexpected argument 'extra'" "$chapter" extra
expect_error "unknown reference" "--reference must be 'pytorch' or 'numerical'" "$chapter" --reference autograd
expect_error "no PyTorch data for this setup" "use --reference numerical" "$chapter" --seed 1
expect_error "missing reference data" "meta.txt: missing reference data" \
  env NINJA_REFERENCE="$tmp/reference" "$chapter"
expect_error "numerical reference, bad data" "upper.txt:2: invalid character" \
  "$chapter" --reference numerical --data "$tmp/upper.txt"

echo "$((cases - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
