#include "common/npy.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/cmp.hpp"

namespace ninja {

std::string shape_string_of(const xt::svector<std::size_t>& shape) { return shape_string(shape); }

template <class T>
xt::xarray<T> read_npy_array(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path +
                         ": missing reference file (regenerate with tools/make_reference.py)");
    xt::xarray<T> a;
    try {
        a = xt::load_npy<T>(in);
    } catch (const std::exception& e) {
        throw InputError(path + ": not a valid npy file of the expected type (" + e.what() + ")");
    }
    if (in.fail()) throw InputError(path + ": truncated npy file");
    if (in.peek() != std::char_traits<char>::eof())
        throw InputError(path + ": unexpected bytes after the npy data");
    return a;
}

template xt::xarray<float> read_npy_array<float>(const std::string&);
template xt::xarray<double> read_npy_array<double>(const std::string&);
template xt::xarray<std::int64_t> read_npy_array<std::int64_t>(const std::string&);

namespace {

std::string reference_root() {
    if (const char* env = std::getenv(reference_env_var); env != nullptr && *env != '\0')
        return env;
    return std::string(NINJA_SOURCE_DIR) + "/tests/reference";
}

}  // namespace

Reference::Reference(const std::string& config) : dir_(reference_root() + "/" + config) {
    const std::string path = dir_ + "/meta.txt";
    std::ifstream in(path);
    if (!in)
        throw InputError(path +
                         ": missing reference data (regenerate with tools/make_reference.py)");
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::istringstream fields(line);
        std::string key, value, extra;
        if (!(fields >> key >> value) || (fields >> extra))
            throw InputError(path + ":" + std::to_string(number) + ": expected 'key value'");
        meta_[key] = value;
    }
}

const std::string& Reference::meta(const std::string& key) const {
    const auto it = meta_.find(key);
    if (it == meta_.end()) throw InputError(dir_ + "/meta.txt: no '" + key + "' entry");
    return it->second;
}

double Reference::meta_number(const std::string& key) const {
    const std::string& text = meta(key);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0')
        throw InputError(dir_ + "/meta.txt: '" + key + "' is not a number: " + text);
    return value;
}

Config reference_config(const Reference& ref) {
    const auto size = [&](const char* key) {
        return static_cast<std::size_t>(ref.meta_number(key));
    };
    Config c;
    c.n_embd = size("n_embd");
    c.n_hidden = size("n_hidden");
    c.block_size = size("block_size");
    c.vocab_size = size("vocab_size");
    c.batch_size = size("batch_size");
    c.seed = std::stoull(ref.meta("seed"));
    return c;
}

Params<float> load_params(const Reference& ref) {
    Params<float> p;
    p.for_each([&](std::string_view name, auto& t) { ref.load_into(t, std::string(name)); });
    return p;
}

Batch load_batch(const Reference& ref) {
    Batch b;
    ref.load_into(b.ix, "ix");
    ref.load_into(b.Xb, "Xb");
    ref.load_into(b.Yb, "Yb");
    return b;
}

Forward<float> load_forward(const Reference& ref) {
    Forward<float> f;
    f.for_each([&](std::string_view name, auto& t) { ref.load_into(t, std::string(name)); });
    f.loss = ref.load<float, 1>("loss")(0);
    return f;
}

}  // namespace ninja
