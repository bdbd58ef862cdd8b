#include "common/dataset.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "common/sha256.hpp"

namespace ninja {

std::string resolve_data_path(const std::string& cli_value) {
    if (!cli_value.empty()) return cli_value;
    if (const char* env = std::getenv(data_env_var); env != nullptr && *env != '\0') return env;
    return std::string(NINJA_SOURCE_DIR) + "/data/names.txt";
}

namespace {

/// How a byte is shown in an error message: the character itself when printable, else its code.
std::string describe_byte(unsigned char byte) {
    char text[32];
    if (byte >= 0x21 && byte < 0x7f)
        std::snprintf(text, sizeof text, "'%c' (0x%02x)", byte, byte);
    else
        std::snprintf(text, sizeof text, "byte 0x%02x", byte);
    return text;
}

/// Throws InputError (`where` first) unless there are enough names for the lecture's split.
void require_enough_names(std::size_t count, const std::string& where) {
    if (count < min_names)
        throw InputError(where + std::to_string(count) + (count == 1 ? " name" : " names") +
                         "; the lecture's split needs at least " + std::to_string(min_names) +
                         " (its training set, the first 80%, would be empty)");
}

/// Checks the bytes of a names file as they come, and collects the names: their characters back
/// to back and where each ends (about 1.4 bytes per byte of the file, where a std::string per
/// name would take 32 bytes while they are read).
class NamesParser {
public:
    explicit NamesParser(const std::string& path) : path_(path) {}

    /// Takes the next `size` bytes of the file.
    void feed(const char* bytes, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) take(static_cast<unsigned char>(bytes[i]));
    }

    /// The names, once the whole file has been fed.
    std::vector<std::string> finish() {
        if (bytes_ == 0)
            throw InputError(path_ + ": the file is empty; expected one name per line");
        if (column_ > 0 || carriage_return_) end_line();  // the last line break is optional
        require_enough_names(ends_.size(), path_ + ": the file holds ");
        std::vector<std::string> words;
        words.reserve(ends_.size());
        for (std::size_t k = 0, begin = 0; k < ends_.size(); begin = ends_[k++])
            words.emplace_back(chars_, begin, ends_[k] - begin);
        return words;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw InputError(path_ + ":" + std::to_string(line_) + ": " + what);
    }

    void take(unsigned char byte) {
        if (++bytes_ > max_names_file_bytes)
            throw InputError(path_ + ": longer than " + std::to_string(max_names_file_bytes >> 20) +
                             " MiB, the most a names file may hold (names.txt has 228 kB)");
        if (carriage_return_ && byte != '\n')  // a \r that does not end the line
            fail(invalid(0x0d, column_ + 1));
        if (byte == '\r') {
            carriage_return_ = true;
        } else if (byte == '\n') {
            end_line();
        } else if (byte < 'a' || byte > 'z') {
            fail(invalid(byte, column_ + 1));
        } else if (++column_ > max_name_length) {
            fail("a name longer than " + std::to_string(max_name_length) + " characters");
        } else {
            chars_ += char(byte);
        }
    }

    void end_line() {
        if (column_ == 0) fail("blank line; expected one name per line");
        ends_.push_back(chars_.size());
        ++line_, column_ = 0, carriage_return_ = false;
    }

    static std::string invalid(unsigned char byte, std::size_t column) {
        return "invalid character " + describe_byte(byte) + " in column " + std::to_string(column) +
               "; names must be lowercase a-z";
    }

    std::string path_;
    std::string chars_;                // the names' characters, back to back
    std::vector<std::uint32_t> ends_;  // where each name ends in chars_ (< 2^26: the size bound)
    std::size_t bytes_ = 0, line_ = 1, column_ = 0;
    bool carriage_return_ = false;  // the last byte was a \r
};

static_assert(max_names_file_bytes < (std::size_t(1) << 32), "ends_ holds 32-bit offsets");

/// An open file, closed with the object.
struct File {
    std::FILE* f;
    ~File() {
        if (f != nullptr) std::fclose(f);
    }
};

}  // namespace

std::vector<std::string> read_names(const std::string& path) { return read_names_file(path).words; }

NamesFile read_names_file(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw InputError(path + ": a folder, not a names file; pass --data PATH of a names file");
    const File file{std::fopen(path.c_str(), "rb")};
    if (file.f == nullptr)
        throw InputError(path + ": cannot open names file (" + std::strerror(errno) +
                         "); pass --data PATH, or restore the repository's copy: git checkout -- "
                         "data/names.txt");
    NamesParser parser(path);
    Sha256 digest;
    std::vector<char> chunk(std::size_t(64) << 10);
    while (const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), file.f)) {
        parser.feed(chunk.data(), got);
        digest.feed(chunk.data(), got);
    }
    if (std::ferror(file.f))
        throw InputError(path + ": cannot read names file (" + std::strerror(errno) + ")");
    return NamesFile{parser.finish(), digest.hex()};
}

Vocabulary::Vocabulary(const std::vector<std::string>& words) {
    std::array<bool, 256> seen{};
    for (const std::string& word : words)
        for (char ch : word) seen[static_cast<unsigned char>(ch)] = true;
    stoi_.fill(-1);
    itos_.push_back('.');
    stoi_[static_cast<unsigned char>('.')] = 0;
    for (std::size_t byte = 0; byte < seen.size(); ++byte) {
        if (!seen[byte] || byte == '.') continue;
        stoi_[byte] = static_cast<std::int64_t>(itos_.size());
        itos_.push_back(static_cast<char>(byte));
    }
}

std::int64_t Vocabulary::stoi(char ch) const {
    const std::int64_t index = stoi_[static_cast<unsigned char>(ch)];
    if (index < 0) throw InputError(std::string("character '") + ch + "' is not in the vocabulary");
    return index;
}

Examples build_examples(const std::vector<std::string>& words, const Vocabulary& vocab,
                        std::size_t block_size) {
    return build_examples(words.begin(), words.end(), vocab, block_size);
}

Examples build_examples(std::vector<std::string>::const_iterator first,
                        std::vector<std::string>::const_iterator last, const Vocabulary& vocab,
                        std::size_t block_size) {
    std::size_t rows = 0;
    for (auto word = first; word != last; ++word) rows += word->size() + 1;
    Examples ex{xt::xtensor<Symbol, 2>::from_shape({rows, block_size}),
                xt::xtensor<Symbol, 1>::from_shape({rows})};
    std::vector<Symbol> context(block_size);
    std::size_t row = 0;
    for (auto word = first; word != last; ++word) {
        std::fill(context.begin(), context.end(), 0);  // start with "..."
        for (std::size_t i = 0; i <= word->size(); ++i, ++row) {
            const auto ix = Symbol(i < word->size() ? vocab.stoi((*word)[i]) : 0);  // final '.'
            std::copy(context.begin(), context.end(), &ex.X(row, 0));
            ex.Y(row) = ix;
            std::rotate(context.begin(), context.begin() + 1, context.end());  // crop and append
            if (block_size > 0) context.back() = ix;
        }
    }
    return ex;
}

Dataset load_dataset(const std::string& path, std::size_t block_size, std::uint32_t shuffle_seed) {
    return make_dataset(read_names(path), block_size, shuffle_seed);
}

Dataset make_dataset(std::vector<std::string> words, std::size_t block_size,
                     std::uint32_t shuffle_seed) {
    require_enough_names(words.size(), "the data set holds ");
    Vocabulary vocab(words);
    PythonRandom random(shuffle_seed);
    random.shuffle(words);
    // Python's int(0.8 * len(words)): the product is a double, truncated toward zero.
    const auto n1 = static_cast<std::ptrdiff_t>(0.8 * static_cast<double>(words.size()));
    const auto n2 = static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(words.size()));
    const auto at = [&](std::ptrdiff_t k) { return words.cbegin() + k; };
    Examples train = build_examples(at(0), at(n1), vocab, block_size);
    Examples dev = build_examples(at(n1), at(n2), vocab, block_size);
    Examples test = build_examples(at(n2), words.cend(), vocab, block_size);
    return Dataset{std::move(words), std::move(vocab), std::move(train), std::move(dev),
                   std::move(test)};
}

}  // namespace ninja
