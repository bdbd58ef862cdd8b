# Sourced by tests/bad_input.sh: what the programs write. Output folders (checked before the
# work, created after the input is checked, removed again if nothing was written into them),
# full disks, standard output, paths with control characters, and signals.

echo "--- output folders, checked before the work"
expect_error "--dump a file" "--dump $tmp/file: not a folder" "$chapter" --dump "$tmp/file"
expect_nothing_printed "--dump a file"
expect_error "--dump under a file" "cannot create the folder" "$chapter" --dump "$tmp/file/dump"
expect_error "--dump /dev/null" "--dump /dev/null: not a folder" "$chapter" --dump /dev/null
expect_error "--dump under /proc" "--dump /proc/ninja: cannot create the folder" "$chapter" --dump /proc/ninja
expect_error "--out under /proc (pictures)" "--out /proc/ninja: cannot create the folder" "$fused" --out /proc/ninja
expect_nothing_printed "--out under /proc (pictures)"
expect_error "training: --out under /proc" "--out /proc/ninja: cannot create the folder" "$training" --out /proc/ninja
expect_nothing_printed "training: --out under /proc"
expect_error "training: --out a file" "--out $tmp/file: not a folder" "$training" --out "$tmp/file"
expect_nothing_printed "training: --out a file"

echo "--- bad input leaves no folder behind (the working folder must stay empty)"
expect_error "--out d/a/b, missing data" "none.txt: cannot open names file" \
  "$fused" --out d/a/b --data "$tmp/none.txt"
expect_error "--dump d/a/b, other names" "no PyTorch reference data for these names" \
  "$chapter" --dump d/a/b --data "$tmp/first5000.txt"
expect_error "--dump d, numerical, bad data" "upper.txt:2" \
  "$chapter" --reference numerical --dump d --data "$tmp/upper.txt"
expect_error "--out d, bad options" "--batch-size must be at least 2" "$fused" --out d --batch-size 1
expect_error "training: --out d/a/b, missing data" "none.txt: cannot open names file" \
  "$training" --out d/a/b --data "$tmp/none.txt"
expect_error "training: --out d, no dev set" "three.txt: 3 names leave the dev set" \
  "$training" --out d --data "$tmp/three.txt" --batch-size 2
expect_error "training: --out d/e, diverged" "training diverged at step" "$training" --lr 100 --out d/e

echo "--- a full disk: one line, no partial file"
"$bin/chapter_05_counts" --dump "$tmp/dump_whole" >/dev/null
expect_error "--dump, disk full" "cannot write the file (File too large)" \
  "${limited[@]}" 1 "$bin/chapter_05_counts" --dump "$tmp/dump_full"
expect_complete_or_absent "$tmp/dump_full" "$tmp/dump_whole"
expect_error "dlogits.png, disk full" "dlogits.png: cannot write the file (File too large)" \
  "${limited[@]}" 16 "$fused" --out "$tmp/pictures_full"
expect_complete_or_absent "$tmp/pictures_full"
expect_error "loss_curve.png, disk full" "loss_curve.png: cannot write the file (File too large)" \
  "${limited[@]}" 16 "$training" --steps 200 --out "$tmp/pictures_23_full"
expect_complete_or_absent "$tmp/pictures_23_full"
expect_error "--out d, disk full: d removed" "dlogits.png: cannot write the file" \
  "${limited[@]}" 16 "$fused" --out d

echo "--- standard output: every write checked"
expect_error "stdout /dev/full" "cannot write to standard output" "${stdout_to[@]}" /dev/full "$chapter"
expect_error "stdout /dev/full, --info" "cannot write to standard output" "${stdout_to[@]}" /dev/full "$chapter" --info
expect_error "stdout /dev/full, --help" "cannot write to standard output" "${stdout_to[@]}" /dev/full "$training" --help
expect_error "stdout /dev/full, chapter 00" "cannot write to standard output" "${stdout_to[@]}" /dev/full "$setup"
expect_error "stdout /dev/full, chapter 23 --out d: no picture" "cannot write to standard output" \
  "${stdout_to[@]}" /dev/full "$training" --steps 1 --out d
expect_error "stdout /dev/full, --out d: no pictures" "cannot write to standard output (No space" \
  "${stdout_to[@]}" /dev/full "$fused" --out d
expect_error "stdout /dev/full, --dump d: no files" "cannot write to standard output" \
  "${stdout_to[@]}" /dev/full "$chapter" --dump d
# (1 KiB: chapter 00 prints more, and its one line on stderr, a file too, takes less)
expect_error "stdout beyond ulimit -f" "cannot write to standard output" \
  bash -c 'ulimit -f 1; exec "$0" >"$1"' "$setup" "$tmp/stdout.txt"
expect_error "stdout read-only" "cannot write to standard output" bash -c 'exec "$0" 1</dev/null' "$chapter"
expect_error "stdout closed" "standard output is closed" "${stdout_closed[@]}" "$chapter"
expect_error "stdout closed, --dump d" "standard output is closed" "${stdout_closed[@]}" "$chapter" --dump d
expect_error "stdout closed, chapter 23" "standard output is closed" "${stdout_closed[@]}" "$training"

echo "--- paths with control characters: still one line"
nl=$'\n'
expect_error "--data with a newline" 'a\nb: cannot open names file' "$chapter" --data "a${nl}b"
expect_error "--out with a newline, under a file" "--out $tmp/file/x\\ny: cannot create the folder" \
  "$fused" --out "$tmp/file/x${nl}y"
expect_error "--dump with CR and ESC" 'x\r\x1b[2Jy: cannot open names file' \
  "$chapter" --reference numerical --dump d --data $'x\r\e[2Jy'
expect_error "NINJA_NAMES with a newline" 'n\nm: cannot open names file' env NINJA_NAMES="n${nl}m" "$setup"
expect_error "NINJA_REFERENCE with a newline" 'r\ns/lecture/meta.txt: missing reference data' \
  env NINJA_REFERENCE="r${nl}s" "$chapter"
expect_error "a names file named with a newline" 'x\ny.txt:2: invalid character' \
  bash -c 'cp "$0" "$1" && exec "$2" --data "$1"' "$tmp/upper.txt" "$tmp/x${nl}y.txt" "$setup"

echo "--- signals: a run stopped leaves nothing behind"
# chapter 23 creates --out new/folder, then trains 200,000 steps; a signal once it has printed
# the loss of step 0 must leave no folder (and no temporary file). bash starts a background job
# with SIGINT ignored: env --default-signal gives it back its default.
for signal in TERM INT HUP; do
  cases=$((cases + 1))
  : >"$tmp/out" # before the job starts: the loop below must not see the last job's lines
  (trap - EXIT && cd "$work" && exec env --default-signal="$signal" "$training" --out new/folder) \
    >"$tmp/out" 2>"$tmp/err" &
  job=$!
  for _ in $(seq 200); do
    grep -q '/ 200000' "$tmp/out" && break
    sleep 0.05
  done
  kill -s "$signal" "$job"
  wait "$job"
  code=$?
  expected=$((128 + $(kill -l "$signal")))
  if [[ $code -ne $expected ]]; then
    fail "SIG$signal during training: exit $code, expected $expected"
  else
    echo "ok   SIG$signal during training: exit $code"
  fi
  left_nothing "SIG$signal during training"
done
