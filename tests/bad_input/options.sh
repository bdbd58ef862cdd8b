# Sourced by tests/bad_input.sh: the command line. Numbers are decimal or refused, a text option
# is never empty, a flag takes no value, an option is given once, and what a run cannot do is
# refused before it starts.

echo "--- options"
expect_error "batch size 1" "--batch-size must be at least 2" "$setup" --batch-size 1
expect_error "batch size 1 (chapter)" "--batch-size must be at least 2" "$chapter" --batch-size 1
expect_error "n_hidden 0" "--n-hidden must be at least 1" "$chapter" --n-hidden 0
expect_error "too large to fit" "must be at most 16777216" "$chapter" --reference numerical --batch-size 1048576 --n-hidden 65536
expect_error "embcat too large to fit" "--batch-size times the 30 numbers of a context" \
  "$chapter" --reference numerical --batch-size 599000 --n-hidden 1
expect_error "unknown option" "argument was not expected: --bogus" "$chapter" --bogus
expect_error "missing value" "--dump: 1 required DIR missing" "$chapter" --dump
expect_error "stray argument" "argument was not expected: extra" "$chapter" extra
expect_error "unknown reference" "--reference: autograd not in {pytorch,numerical}" "$chapter" --reference autograd
expect_error "unknown device" "--device: tpu not in {cpu,cuda}" "$chapter" --device tpu
expect_error "no PyTorch data for this setup" "use --reference numerical" "$chapter" --seed 1
expect_error "numerical reference, bad data" "upper.txt:2: invalid character" \
  "$chapter" --reference numerical --data "$tmp/upper.txt"
expect_error "an option twice" "--seed: At Most 1 required but received 2" "$chapter" --seed 1 --seed 2
expect_error "a flag with a value" "all was given a disallowed flag override" "$chapter" --all=0x1
expect_error "--info with a value" "info was given a disallowed flag override" "$training" --info=no
expect_error "--trainer on the GPU" "--trainer plain: --device cuda trains with its own kernel" \
  "$training" --device cuda --trainer plain

echo "--- numbers: decimal, or refused"
# A leading zero is not octal: --batch-size 010 is a batch of ten, --seed 017 the seed 17.
expect_output "--batch-size 010 is ten" 0 "minibatch of 10," "$setup" --batch-size 010
expect_output "--batch-size 08 is eight" 0 "minibatch of 8," "$setup" --batch-size 08
"$setup" --seed 17 >"$tmp/seed17" 2>&1
expect_output "--seed 017 is seventeen" 0 "nothing compared" "$setup" --seed 017
cmp -s "$tmp/out" "$tmp/seed17" || fail "--seed 017 is not --seed 17"
expect_output "--steps 010 is ten" 0 "10 steps of SGD" "$training" --steps 010 --out "$tmp/steps10"
grep -q "trained 10 steps" "$tmp/err" || fail "--steps 010 did not train 10 steps"
expect_output "--hint 01 is hint 1" 0 "hint 1 of" "$chapter" --hint 01
for text in +5 -3 0x10 0X10 0b11 1e3 1.0 ' 5' '5 ' '5,0' 1_000 abc 18446744073709551616 '٣'; do
  expect_error "--batch-size '$text'" "--batch-size: expects a non-negative decimal integer, got '$text'" \
    "$chapter" --batch-size "$text"
  expect_nothing_printed "--batch-size '$text'"
done
for option in seed n-hidden; do
  expect_error "--$option 0x10" "--$option: expects a non-negative decimal integer, got '0x10'" \
    "$setup" "--$option" 0x10
done
expect_error "--steps 1e3" "--steps: expects a non-negative decimal integer, got '1e3'" "$training" --steps 1e3
expect_error "--hint 0x1" "--hint: expects a non-negative decimal integer, got '0x1'" "$chapter" --hint 0x1
for text in 0x1p-3 nan inf -inf 1e999 ' 0.1' '0.1 ' '0,1' +0.1 '' 1e; do
  expect_error "--lr '$text'" "--lr: expects a finite decimal number, got '$text'" "$training" --lr "$text"
done
expect_output "--lr 1e-1 is 0.1" 0 "lr 0.1 (0.01 from step" "$training" --lr 1e-1 --steps 1 --out "$tmp/lr"

echo "--- --hint 0, and hints that do not exist"
expect_error "--hint 0" "--hint 0: chapter 02_probs has hints 1 to" "$chapter" --hint 0
expect_nothing_printed "--hint 0"
expect_error "--hint 0 (chapter 23)" "--hint 0: chapter 23_training has hints 1 to" "$training" --hint 0
expect_nothing_printed "--hint 0 (chapter 23)"
expect_error "--hint 99" "--hint 99: chapter 02_probs has hints 1 to" "$chapter" --hint 99

echo "--- empty texts are not options left out"
for option in dump out data; do
  expect_error "--$option ''" "--$option: expects" "$chapter" "--$option" ''
done
expect_error "--out '' (chapter 21)" "--out: expects DIR, got an empty text" "$fused" --out ''
expect_error "--out '' (chapter 23)" "--out: expects DIR, got an empty text" "$training" --out ''
expect_error "--data '' (chapter 23)" "--data: expects PATH, got an empty text" "$training" --data ''
expect_error "--data '' (chapter 00)" "--data: expects PATH, got an empty text" "$setup" --data ''
for option in reference device; do
  expect_error "--$option ''" "--$option: expects KIND, got an empty text" "$chapter" "--$option" ''
done
expect_error "--trainer ''" "--trainer: expects KIND, got an empty text" "$training" --trainer ''
