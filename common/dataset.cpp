#include "common/dataset.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "common/error.hpp"
#include "common/rng.hpp"

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

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open names file (" + std::strerror(errno) +
                         "); pass --data PATH, or restore the repository's copy: git checkout -- "
                         "data/names.txt");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::vector<std::string> read_names(const std::string& path) {
    const std::string text = read_file(path);
    if (text.empty()) throw InputError(path + ": the file is empty; expected one name per line");

    std::vector<std::string> words;
    std::size_t line_start = 0;
    for (std::size_t line = 1; line_start < text.size(); ++line) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string::npos) line_end = text.size();
        std::size_t content_end = line_end;
        if (content_end > line_start && text[content_end - 1] == '\r') --content_end;  // CRLF
        if (content_end == line_start)
            throw InputError(path + ":" + std::to_string(line) +
                             ": blank line; expected one name per line");
        for (std::size_t i = line_start; i < content_end; ++i) {
            const auto byte = static_cast<unsigned char>(text[i]);
            if (byte < 'a' || byte > 'z')
                throw InputError(path + ":" + std::to_string(line) + ": invalid character " +
                                 describe_byte(byte) + " in column " +
                                 std::to_string(i - line_start + 1) +
                                 "; names must be lowercase a-z");
        }
        words.emplace_back(text, line_start, content_end - line_start);
        line_start = line_end + 1;
    }
    return words;
}

Vocabulary::Vocabulary(const std::vector<std::string>& words) {
    std::array<bool, 256> seen{};
    for (const std::string& word : words)
        for (char ch : word) seen[static_cast<unsigned char>(ch)] = true;
    stoi_.fill(-1);
    itos_.push_back('.');
    stoi_[static_cast<unsigned char>('.')] = 0;
    for (std::size_t byte = 0; byte < seen.size(); ++byte) {
        if (!seen[byte]) continue;
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
    std::size_t rows = 0;
    for (const std::string& word : words) rows += word.size() + 1;
    Examples ex{xt::xtensor<std::int64_t, 2>::from_shape({rows, block_size}),
                xt::xtensor<std::int64_t, 1>::from_shape({rows})};
    std::vector<std::int64_t> context(block_size);
    std::size_t row = 0;
    for (const std::string& word : words) {
        std::fill(context.begin(), context.end(), 0);  // start with "..."
        for (std::size_t i = 0; i <= word.size(); ++i, ++row) {
            const std::int64_t ix = i < word.size() ? vocab.stoi(word[i]) : 0;  // final '.'
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
    Vocabulary vocab(words);
    PythonRandom random(shuffle_seed);
    random.shuffle(words);
    // Python's int(0.8 * len(words)): the product is a double, truncated toward zero.
    const auto n1 = static_cast<std::size_t>(0.8 * static_cast<double>(words.size()));
    const auto n2 = static_cast<std::size_t>(0.9 * static_cast<double>(words.size()));
    const auto slice = [&](std::size_t begin, std::size_t end) {
        return std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(begin),
                                        words.begin() + static_cast<std::ptrdiff_t>(end));
    };
    Examples train = build_examples(slice(0, n1), vocab, block_size);
    Examples dev = build_examples(slice(n1, n2), vocab, block_size);
    Examples test = build_examples(slice(n2, words.size()), vocab, block_size);
    return Dataset{std::move(words), std::move(vocab), std::move(train), std::move(dev),
                   std::move(test)};
}

}  // namespace ninja
