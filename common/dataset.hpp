/// @file
/// @brief The names data set: reading and validating names.txt, the vocabulary, the contexts of
/// `block_size` characters, and the lecture's 80/10/10 split.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ninja {

/// Environment variable that names the data file when `--data` is not given.
inline constexpr const char* data_env_var = "NINJA_NAMES";

/// The path of names.txt: `cli_value` if not empty, else `$NINJA_NAMES` if set, else
/// `data/names.txt` in the source tree.
std::string resolve_data_path(const std::string& cli_value);

/// The largest names file read: 64 MiB, about 290 times names.txt (228 kB, 32,033 names), or
/// some 9 million names. A longer input (a stream that never ends, a file of the wrong kind that
/// happens to hold letters only) is refused when its 64 MiB + 1st byte arrives.
inline constexpr std::size_t max_names_file_bytes = std::size_t(64) << 20;

/// The longest name read, and the longest name chapter 23 samples: 64 characters (the longest in
/// names.txt has 15).
inline constexpr std::size_t max_name_length = 64;

/// The fewest names the lecture's split can use: with one name, the first 80% (the training
/// set, `int(0.8 * 1)` = 0 names) would be empty.
inline constexpr std::size_t min_names = 2;

/// Reads names.txt: one name per line, lowercase `a`-`z` only, at least min_names names.
///
/// Line ends may be `\n` or `\r\n` (a file saved on Windows); the last line may or may not end
/// with one. The bytes are checked as they are read, 64 kB at a time, so that a file of the wrong
/// kind (`/dev/zero`, `/dev/urandom`, a binary) is refused at its first bad byte. Anything else
/// (a folder, an empty file, a blank line, any other byte, a name longer than max_name_length,
/// a file longer than max_names_file_bytes, fewer than min_names names) throws InputError naming
/// the file, and where it applies the line number and the offending character.
///
/// Memory: the names, and while reading them their characters once more (about 1.4 bytes per
/// byte of the file, plus the names' 32 bytes each).
std::vector<std::string> read_names(const std::string& path);

/// A names file as it was read: its names, and the SHA-256 of its bytes.
struct NamesFile {
    std::vector<std::string> words;  ///< the names, in file order
    std::string sha256;              ///< 64 lowercase hexadecimal digits, as sha256sum prints them
};

/// read_names() with the SHA-256 of the file, computed as it is read: the file is read once, so
/// a pipe (`--data <(...)`, `/dev/stdin`) serves as well as a file.
NamesFile read_names_file(const std::string& path);

/// The lecture's character vocabulary: `.` (start and end of a name) is 0, then the characters
/// that occur in the data, sorted, from 1 (for names.txt: `a`..`z` = 1..26); at most 256 symbols.
class Vocabulary {
public:
    /// Builds the vocabulary from the characters of `words`, as the lecture does.
    explicit Vocabulary(const std::vector<std::string>& words);
    /// Number of symbols, `.` included (27 for names.txt).
    std::size_t size() const { return itos_.size(); }
    /// The index of character `ch`; throws InputError for a character outside the vocabulary.
    std::int64_t stoi(char ch) const;
    /// The character with index `i`.
    char itos(std::int64_t i) const { return itos_.at(static_cast<std::size_t>(i)); }

private:
    std::vector<char> itos_;
    std::array<std::int64_t, 256> stoi_{};
};

/// A symbol of the vocabulary as the data set stores it: one byte (the vocabulary has at most
/// 256 symbols; 27 here). The lecture's `torch.tensor(X)` holds int64, 8 bytes a symbol; a batch
/// (common/model.hpp) gathers its rows into int64 tensors as `Xtr[ix]` does.
using Symbol = std::uint8_t;

/// Training examples: each row of `X` holds the `block_size` previous characters (padded with
/// `.`), and `Y` the character that follows them.
struct Examples {
    xt::xtensor<Symbol, 2> X;  ///< (N, block_size) context indices
    xt::xtensor<Symbol, 1> Y;  ///< (N,) target indices
};

/// Turns names into examples: a name of length L gives L + 1 rows (its final `.` is a target).
Examples build_examples(const std::vector<std::string>& words, const Vocabulary& vocab,
                        std::size_t block_size);

/// The same for the names [first, last).
Examples build_examples(std::vector<std::string>::const_iterator first,
                        std::vector<std::string>::const_iterator last, const Vocabulary& vocab,
                        std::size_t block_size);

/// The data set as the lecture prepares it.
struct Dataset {
    std::vector<std::string> words;  ///< the names after `random.seed(42); random.shuffle(words)`
    Vocabulary vocab;                ///< `.` = 0, `a`..`z` = 1..26
    Examples train;                  ///< the first 80% of the shuffled names
    Examples dev;                    ///< the next 10%
    Examples test;                   ///< the last 10%
};

/// Builds the data set from names in file order: shuffles them (bit for bit like CPython's
/// `random.shuffle` after `random.seed(shuffle_seed)`) and splits them at 80% and 90%.
/// Fewer than min_names names are an InputError.
Dataset make_dataset(std::vector<std::string> words, std::size_t block_size,
                     std::uint32_t shuffle_seed = 42);

/// Reads, validates, shuffles (bit for bit like CPython's `random.shuffle` after
/// `random.seed(shuffle_seed)`) and splits the names at 80% and 90%.
Dataset load_dataset(const std::string& path, std::size_t block_size,
                     std::uint32_t shuffle_seed = 42);

}  // namespace ninja
