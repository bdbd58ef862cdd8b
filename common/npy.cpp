#include "common/npy.hpp"

#include <algorithm>
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

namespace {

/// The size a letter of the table's shapes stands for in configuration `c` ('1' for itself);
/// 0 for any other character.
std::size_t letter_size(char letter, const Config& c) {
    switch (letter) {
        case 'n':
            return c.batch_size;
        case 'B':
            return c.block_size;
        case 'E':
            return c.n_embd;
        case 'H':
            return c.n_hidden;
        case 'V':
            return c.vocab_size;
        case '1':
            return 1;
        default:
            return 0;
    }
}

}  // namespace

std::vector<std::size_t> table_shape(TensorId id, const Config& c) {
    std::vector<std::size_t> shape;
    std::size_t extent = 1;
    bool in_dimension = false;
    for (const char letter : info(id).shape) {  // "(n, B*E)", "(V,)"
        if (const std::size_t size = letter_size(letter, c); size > 0) {
            extent *= size, in_dimension = true;
        } else if (letter == ',' || letter == ')') {  // the end of a dimension, if one began
            if (in_dimension) shape.push_back(extent);
            extent = 1, in_dimension = false;
        }
    }
    return shape;
}

namespace {

/// `<dir>/<file>.npy`.
std::string npy_path(const Reference& ref, const std::string& file) {
    return ref.dir() + "/" + file + ".npy";
}

/// Loads the table's tensor `id` from `<file>.npy` into `t`, which must then have its shape for
/// the sizes of the reference's meta.txt.
template <class Tensor>
void load_table_tensor(Tensor& t, const Reference& ref, TensorId id, const std::string& file) {
    ref.load_into(t, file);
    const std::vector<std::size_t> expected = table_shape(id, reference_config(ref));
    if (!std::equal(t.shape().begin(), t.shape().end(), expected.begin(), expected.end()))
        throw InputError(npy_path(ref, file) + ": shape " + shape_string(t.shape()) +
                         ", expected " + shape_string(expected) + " for the sizes in meta.txt");
}

/// Loads every tensor of `tensors` (Params, Forward or Grads) from `<prefix><name>.npy`.
template <class Tensors>
void load_table(Tensors& tensors, const Reference& ref, const std::string& prefix) {
    tensors.for_each([&](std::string_view name, auto& t) {
        TensorId id{};
        find_tensor(name, id);
        load_table_tensor(t, ref, id, prefix + std::string(name));
    });
}

/// Loads `<file>.npy`, whose entries index the vocabulary, into `t` of shape `shape`.
template <std::size_t N>
void load_symbols(xt::xtensor<std::int64_t, N>& t, const Reference& ref, const std::string& file,
                  const std::vector<std::size_t>& shape) {
    ref.load_into(t, file);
    if (!std::equal(t.shape().begin(), t.shape().end(), shape.begin(), shape.end()))
        throw InputError(npy_path(ref, file) + ": shape " + shape_string(t.shape()) +
                         ", expected " + shape_string(shape) + " for the sizes in meta.txt");
    const std::size_t V = reference_config(ref).vocab_size;
    for (std::size_t k = 0; k < t.size(); ++k) {
        if (t.flat(k) >= 0 && std::size_t(t.flat(k)) < V) continue;
        std::string index;  // "[13, 1]": k unravelled, last dimension fastest
        for (std::size_t d = N, rest = k; d-- > 0; rest /= shape[d])
            index = std::to_string(rest % shape[d]) + (index.empty() ? "" : ", ") + index;
        throw InputError(npy_path(ref, file) + ": entry [" + index + "] is " +
                         std::to_string(t.flat(k)) + ", outside the vocabulary of " +
                         std::to_string(V) + " symbols (meta.txt's vocab_size)");
    }
}

}  // namespace

Params<float> load_params(const Reference& ref) {
    Params<float> p;
    load_table(p, ref, "");
    return p;
}

Batch load_batch(const Reference& ref) {
    const Config c = reference_config(ref);
    Batch b;
    ref.load_into(b.ix, "ix");
    load_symbols(b.Xb, ref, "Xb", {c.batch_size, c.block_size});
    load_symbols(b.Yb, ref, "Yb", {c.batch_size});
    return b;
}

Forward<float> load_forward(const Reference& ref) {
    Forward<float> f;
    load_table(f, ref, "");
    const auto loss = ref.load<float, 1>("loss");
    if (loss.size() != 1)
        throw InputError(npy_path(ref, "loss") + ": shape " + shape_string(loss.shape()) +
                         ", expected (1,)");
    f.loss = loss(0);
    return f;
}

Grads<float> load_grads(const Reference& ref) {
    Grads<float> g;
    load_table(g, ref, "d");
    return g;
}

}  // namespace ninja
