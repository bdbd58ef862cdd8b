# Sourced by tests/bad_input.sh: the files the programs read. Names files (contents, pipes,
# whether PyTorch's data was made from them) and the PyTorch reference data (.npy files, their
# values, meta.txt).

printf '' >"$tmp/empty.txt"
printf 'anna\n\nbob\n' >"$tmp/blank.txt"
printf 'anna\nBob\n' >"$tmp/upper.txt"
printf 'anna\nb0b\n' >"$tmp/digit.txt"
printf 'anna\nzo\xc3\xab\n' >"$tmp/utf8.txt"
printf 'anna\n' >"$tmp/one.txt"
printf 'anna\nbob\n' >"$tmp/two.txt"
printf 'anna\nbob\ncarl\n' >"$tmp/three.txt"
head -c 100000 /dev/zero | tr '\0' 'a' >"$tmp/long.txt"
head -5000 "$names" >"$tmp/first5000.txt"
grep -v z "$names" >"$tmp/no_z.txt"
mkdir "$tmp/folder"
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
# Random bytes: the error is at the first byte that is not a-z, which may be a newline (then
# "blank line") as well as any other byte (1 time in 256 the first byte is a newline).
expect_error "/dev/urandom" "error: /dev/urandom:" "$setup" --data /dev/urandom
expect_quick "/dev/urandom" 1
expect_error "names that never end" "longer than 64 MiB" "$setup" --data <(yes anna)

echo "--- a names file is read once: a pipe serves as well as a file"
expect_output "chapter 00 from a pipe" 0 "Yb              | exact: True" "$setup" --data <(cat "$names")
expect_output "chapter 00 from /dev/stdin" 0 "Yb              | exact: True" \
  bash -c 'exec "$0" --data /dev/stdin <"$1"' "$setup" "$names"
expect_output "chapter 02 from /dev/stdin" 0 "probs           | exact: True" \
  bash -c 'exec "$0" --data /dev/stdin <"$1"' "$chapter" "$names"
expect_output "chapter 23 from a pipe" 0 "1 steps of SGD" \
  "$training" --steps 1 --data <(cat "$names") --out "$tmp/pipe_23"

echo "--- PyTorch's data was made from names.txt: other names have no PyTorch reference"
expect_error "other names (chapter 02)" "first5000.txt: there is no PyTorch reference data for these names" \
  "$chapter" --data "$tmp/first5000.txt"
expect_nothing_printed "other names (chapter 02)"
expect_error "other names (chapter 21, fused)" "use --reference numerical" "$fused" --data "$tmp/no_z.txt"
expect_error "other names from NINJA_NAMES" "first5000.txt: there is no PyTorch reference data" \
  env NINJA_NAMES="$tmp/first5000.txt" "$chapter"
expect_error "a missing names file in PyTorch mode" "none.txt: cannot open names file" \
  "$chapter" --data "$tmp/none.txt"
expect_error "a bad names file in PyTorch mode" "upper.txt:2: invalid character 'B'" \
  "$chapter" --data "$tmp/upper.txt"
expect_output "chapter 00, other names: nothing compared" 0 "no PyTorch reference data for these names" \
  "$setup" --data "$tmp/first5000.txt"
grep -q "exact: False" "$tmp/out" && fail "chapter 00 compared other names with PyTorch's"
expect_output "chapter 00, names without z: nothing compared" 0 "nothing compared" \
  "$setup" --data "$tmp/no_z.txt"

# fresh_reference: a copy of the lecture's reference data in $tmp/reference/lecture.
fresh_reference() {
  rm -rf "$tmp/reference" && mkdir "$tmp/reference"
  cp -r "$here/reference/lecture" "$tmp/reference/"
}
# poke FILE BYTES: writes BYTES (printf format) over the first entry of the .npy FILE of the copy
# (its header is 128 bytes).
poke() {
  printf "$2" | dd of="$tmp/reference/lecture/$1.npy" bs=1 seek=128 conv=notrunc 2>/dev/null
}
with_reference=(env NINJA_REFERENCE="$tmp/reference")

echo "--- reference data: entries"
for broken in Yb Xb; do
  fresh_reference
  poke "$broken" '\x63\0\0\0\0\0\0\0' # 99, outside the 27 symbols
  for program in chapter_01_logprobs chapter_08_logits chapter_20_embedding_table chapter_21_cross_entropy; do
    expect_error "$broken out of range, $program" "lecture/$broken.npy: entry [0" \
      "${with_reference[@]}" "$bin/$program" --out "$tmp/pictures"
  done
done
fresh_reference
poke ix '\xff\xff\xff\x7f\0\0\0\0'
expect_error "ix out of range" "lecture/ix.npy: entry [0] is 2147483647, outside the training set of 182625" \
  "${with_reference[@]}" "$chapter"
for case in "dprobs nan \x00\x00\xc0\x7f" "probs inf \x00\x00\x80\x7f" "C -inf \x00\x00\x80\xff" \
  "loss nan \x00\x00\xc0\x7f"; do
  read -r file value bytes <<<"$case"
  fresh_reference
  poke "$file" "$bytes"
  expect_error "$value in $file.npy" "lecture/$file.npy: entry [0" "${with_reference[@]}" "$chapter"
  grep -qF "is $value, not a finite number" "$tmp/err" || fail "$value in $file.npy: not named"
done
fresh_reference
poke C '\x00\x00\xc0\x7f'
expect_error "nan in C.npy (chapter 00)" "lecture/C.npy: entry [0, 0] is nan" "${with_reference[@]}" "$setup"
rm -rf "$tmp/reference/lecture"
expect_error "missing reference data" "meta.txt: missing reference data" "${with_reference[@]}" "$chapter"

echo "--- reference data: meta.txt"
# meta_case NAME TEXT SED PROGRAM: meta.txt of a fresh copy edited by `sed -e SED`, then PROGRAM.
meta_case() {
  fresh_reference
  sed -i -e "$3" "$tmp/reference/lecture/meta.txt"
  expect_error "meta.txt: $1" "$2" "${with_reference[@]}" "$4"
  expect_nothing_printed "meta.txt: $1"
}
integer="must be a non-negative decimal integer"
meta_case "seed abc" "'seed' $integer, got 'abc'" 's/^seed .*/seed abc/' "$chapter"
meta_case "seed of 23 digits" "'seed' $integer, got '12345678901234567890123'" \
  's/^seed .*/seed 12345678901234567890123/' "$setup"
for value in 1e30 nan -32 32.7 0x20 +32; do
  meta_case "batch_size $value" "'batch_size' $integer, got '$value'" "s/^batch_size .*/batch_size $value/" "$setup"
done
meta_case "batch_size 1" "meta.txt: batch_size must be at least 2" 's/^batch_size .*/batch_size 1/' "$setup"
meta_case "batch_size 010" "exists only for the lecture setup (seed 2147483647, batch size 10," \
  's/^batch_size .*/batch_size 010/' "$chapter"
meta_case "n_hidden 0" "meta.txt: n_hidden must be at least 1" 's/^n_hidden .*/n_hidden 0/' "$chapter"
meta_case "vocab_size 300" "meta.txt: vocab_size must have from 2 to 256" 's/^vocab_size .*/vocab_size 300/' "$chapter"
meta_case "a model too large" "meta.txt: n_hidden times the 3072 numbers of a context" \
  's/^n_embd .*/n_embd 1024/;s/^n_hidden .*/n_hidden 65536/' "$chapter"
meta_case "no seed" "meta.txt: no 'seed' entry" '/^seed /d' "$setup"
meta_case "no n_train" "meta.txt: no 'n_train' entry" '/^n_train /d' "$chapter"
meta_case "a key twice" "meta.txt:13: 'seed' given a second time" '$a seed 1' "$chapter"
meta_case "three fields" "meta.txt:2: expected 'key value'" 's/^seed .*/seed 1 2/' "$chapter"
meta_case "a bad names_sha256" "'names_sha256' must be 64 hexadecimal digits, got 'XYZ'" \
  's/^names_sha256 .*/names_sha256 XYZ/' "$chapter"
meta_case "empty" "meta.txt: no 'n_embd' entry" 'd' "$chapter"
fresh_reference
head -c 70000 /dev/zero | tr '\0' 'a' >"$tmp/reference/lecture/meta.txt"
expect_error "meta.txt: 70 kB" "meta.txt: longer than 64 KiB" "${with_reference[@]}" "$chapter"
ln -sf /dev/zero "$tmp/reference/lecture/meta.txt"
start_clock
expect_error "meta.txt: /dev/zero" "meta.txt: longer than 64 KiB" "${with_reference[@]}" "$setup"
expect_quick "meta.txt: /dev/zero" 2
