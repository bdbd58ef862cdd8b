#!/usr/bin/env bash
# Bad input, faults, limits and signals: each case must end with the right exit code and exactly
# one line on stderr (progress lines aside), never a crash, a hang or an internal error, and leave
# nothing behind: no partial file, no temporary file, no folder it created.
# usage: bad_input.sh EXIT_CODES PROGRAMS   (EXIT_CODES: <build>/exit-codes.sh; PROGRAMS: the
#        folder of the chapter programs)
#
# Every case runs in an empty working folder, which must be empty again after it (chapter 23
# writes loss_curve.png into the working folder unless told otherwise). The cases are in
# tests/bad_input/, one file per kind of input; this file holds what they share.
#
# A full disk is simulated with a file-size limit (`ulimit -f`), which needs no mount and no
# privilege: write() then fails partway through a file (EFBIG) exactly as it does on a full disk
# (ENOSPC), and the programs ignore SIGXFSZ so that the limit is an error, not a kill. A memory
# limit is `ulimit -v`; a build with AddressSanitizer, which maps terabytes of shadow memory,
# cannot run under one, and skips those cases.
set -u
# shellcheck source=/dev/null
source "$1"
bin=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
setup=$bin/chapter_00_setup
chapter=$bin/chapter_02_probs
fused=$bin/chapter_21_cross_entropy
training=$bin/chapter_23_training
names=$here/../data/names.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=$tmp/work
mkdir "$work"
failures=0
cases=0
limit=${LIMIT:-20} # seconds any case may take: a program that hangs fails its case instead of the test
sanitized=false
ldd "$setup" | grep -q libasan && sanitized=true

fail() {
  echo "FAIL $1"
  cat "$tmp/err"
  failures=$((failures + 1))
}

# left_nothing NAME: the case just run left the working folder empty (then empties it).
left_nothing() {
  if [[ -n $(ls -A "$work") ]]; then
    echo "FAIL $1: left behind: $(cd "$work" && find . -mindepth 1 | tr '\n' ' ')"
    failures=$((failures + 1))
    rm -rf "$work" && mkdir "$work"
  fi
}

# run_case COMMAND...: runs COMMAND in the working folder, at most $limit seconds; stdout to
# $tmp/out, stderr to $tmp/err; returns its exit code.
run_case() {
  (cd "$work" && timeout "$limit" "$@") >"$tmp/out" 2>"$tmp/err"
}

# The lines a program may print on stderr besides its one line: progress.
progress='^[a-z0-9_]+: (.*% done, |step [0-9]+/|trained [0-9]+ steps)'
verdicts='^[a-z0-9_]+: (error|internal error|not started): '

# expect_exit NAME CODE KIND TEXT COMMAND...: exit code CODE, one line `<program>: KIND: ...` on
# stderr containing TEXT, any other stderr line a progress line, and nothing left behind.
expect_exit() {
  local name=$1 expected=$2 kind=$3 text=$4
  shift 4
  cases=$((cases + 1))
  local start=$SECONDS code lines others
  run_case "$@"
  code=$?
  lines=$(grep -c -E "$verdicts" "$tmp/err")
  others=$(grep -v -E "$verdicts" "$tmp/err" | grep -c -v -E "$progress")
  if [[ $code -ne $expected || $lines -ne 1 || $others -ne 0 ]] ||
    ! grep -qF -- ": $kind: " "$tmp/err" || ! grep -qF -- "$text" "$tmp/err"; then
    fail "$name: exit $code, $lines error line(s), $others other line(s); expected exit $expected, one '$kind' line with '$text':"
  else
    echo "ok   $name ($((SECONDS - start)) s): $(grep -E "$verdicts" "$tmp/err")"
  fi
  left_nothing "$name"
}

# expect_error NAME TEXT COMMAND...: the bad-input exit code and its one line.
expect_error() {
  local name=$1 text=$2
  shift 2
  expect_exit "$name" "$exit_bad_input" error "$text" "$@"
}

# expect_output NAME CODE TEXT COMMAND...: exit code CODE, stdout holding TEXT, stderr nothing
# but progress lines.
expect_output() {
  local name=$1 expected=$2 text=$3
  shift 3
  cases=$((cases + 1))
  local code others
  run_case "$@"
  code=$?
  others=$(grep -c -v -E "$progress" "$tmp/err")
  if [[ $code -ne $expected || $others -ne 0 ]] || ! grep -qF -- "$text" "$tmp/out"; then
    fail "$name: exit $code, $others stderr line(s), stdout without '$text' (expected exit $expected):"
  else
    echo "ok   $name: exit $code, '$text'"
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
  if [[ -n $(find "$dir" -name '.*' -type f 2>/dev/null) ]]; then
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

# Run a program in a changed environment: "${limited[@]}" KIB COMMAND... with files limited to
# KIB KiB (a "full disk"), stdout discarded (it is not a file the program writes on its own);
# "${memory[@]}" KB COMMAND... with its memory limited to KB kB (`ulimit -v`);
# "${stdout_to[@]}" FILE COMMAND... with stdout redirected to FILE; "${stdout_closed[@]}"
# COMMAND... with stdout closed.
limited=(bash -c 'ulimit -f "$0"; exec "$@" >/dev/null')
memory=(bash -c 'ulimit -v "$0"; exec "$@"')
stdout_to=(bash -c 'exec "$@" >"$0"')
stdout_closed=(bash -c 'exec "$@" >&-' --)

for part in files options outputs resources; do
  echo "=== $part"
  # shellcheck source=/dev/null
  source "$here/bad_input/$part.sh"
done

echo "$((cases - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
