#include "common/npy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/cmp.hpp"
#include "common/decimal.hpp"

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

namespace {

/// The most bytes a meta.txt may hold (it holds about 300): a larger file, or one that never
/// ends, is refused before it fills the memory.
constexpr std::size_t max_meta_bytes = 64 << 10;

/// Whether `text` is a SHA-256 as sha256sum prints it: 64 lowercase hexadecimal digits.
bool is_sha256(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

Reference::Reference(const std::string& config) : dir_(reference_root() + "/" + config) {
    const std::string path = dir_ + "/meta.txt";
    std::ifstream in(path);
    if (!in)
        throw InputError(path +
                         ": missing reference data (regenerate with tools/make_reference.py)");
    std::string text(max_meta_bytes + 1, '\0');
    in.read(text.data(), std::streamsize(text.size()));
    if (in.bad()) throw InputError(path + ": cannot read the file");
    text.resize(std::size_t(in.gcount()));
    if (text.size() > max_meta_bytes)
        throw InputError(path + ": longer than " + std::to_string(max_meta_bytes >> 10) +
                         " KiB; expected a few 'key value' lines");
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        std::istringstream fields(line);
        std::string key, value, extra;
        const std::string where = path + ":" + std::to_string(number);
        if (!(fields >> key >> value) || (fields >> extra))
            throw InputError(where + ": expected 'key value'");
        if (!meta_.emplace(key, value).second)
            throw InputError(where + ": '" + key + "' given a second time");
    }
    const auto size = [&](const char* key) { return std::size_t(meta_integer(key)); };
    config_.n_embd = size("n_embd");
    config_.n_hidden = size("n_hidden");
    config_.block_size = size("block_size");
    config_.vocab_size = size("vocab_size");
    config_.batch_size = size("batch_size");
    config_.seed = meta_integer("seed");
    if (const auto model = meta_.find("model"); model != meta_.end()) {
        if (model->second != "layernorm" && model->second != "batchnorm")
            throw InputError(path + ": 'model' must be batchnorm or layernorm, got '" +
                             model->second + "'");
        config_.model = model->second == "layernorm" ? Model::layernorm : Model::batchnorm;
    }
    validate(config_, path);
    if (!is_sha256(names_sha256()))
        throw InputError(path + ": 'names_sha256' must be 64 hexadecimal digits, got '" +
                         names_sha256() + "'");
}

const std::string& Reference::meta(const std::string& key) const {
    const auto it = meta_.find(key);
    if (it == meta_.end()) throw InputError(dir_ + "/meta.txt: no '" + key + "' entry");
    return it->second;
}

std::uint64_t Reference::meta_integer(const std::string& key) const {
    const std::string& text = meta(key);
    const std::optional<std::uint64_t> value = parse_decimal_integer(text);
    if (!value)
        throw InputError(dir_ + "/meta.txt: '" + key +
                         "' must be a non-negative decimal integer, got '" + text + "'");
    return *value;
}

double Reference::meta_number(const std::string& key) const {
    const std::string& text = meta(key);
    const std::optional<double> value = parse_decimal_number(text);
    if (!value)
        throw InputError(dir_ + "/meta.txt: '" + key + "' must be a finite decimal number, got '" +
                         text + "'");
    return *value;
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

/// Loads `<file>.npy` into `t`, which must then have `shape` and entries that `fits` accepts;
/// else InputError naming the file, and the first entry refused, "is <value>, <why>".
template <class Tensor, class Fits>
void load_checked(Tensor& t, const Reference& ref, const std::string& file,
                  const std::vector<std::size_t>& shape, Fits&& fits, const std::string& why) {
    ref.load_into(t, file);
    if (!std::equal(t.shape().begin(), t.shape().end(), shape.begin(), shape.end()))
        throw InputError(npy_path(ref, file) + ": shape " + shape_string(t.shape()) +
                         ", expected " + shape_string(shape) + " for the sizes in meta.txt");
    for (std::size_t k = 0; k < t.size(); ++k) {
        if (fits(t.flat(k))) continue;
        std::string index;  // "[13, 1]": k unravelled, last dimension fastest
        for (std::size_t d = shape.size(), rest = k; d-- > 0; rest /= shape[d])
            index = std::to_string(rest % shape[d]) + (index.empty() ? "" : ", ") + index;
        std::ostringstream value;
        value << t.flat(k);
        throw InputError(npy_path(ref, file) + ": entry [" + index + "] is " + value.str() + ", " +
                         why);
    }
}

/// Loads `<file>.npy` into `t`, a float tensor of shape `shape` whose every entry is finite
/// (PyTorch's data has no NaN and no infinity).
template <class Tensor>
void load_finite(Tensor& t, const Reference& ref, const std::string& file,
                 const std::vector<std::size_t>& shape) {
    load_checked(
        t, ref, file, shape, [](auto x) { return std::isfinite(x); },
        "not a finite number (regenerate with tools/make_reference.py)");
}

/// Loads every tensor of `tensors` (Params, Forward or Grads) from `<prefix><name>.npy`, each of
/// its shape for the sizes of meta.txt.
template <class Tensors>
void load_table(Tensors& tensors, const Reference& ref, const std::string& prefix) {
    tensors.for_each([&](std::string_view name, auto& t) {
        TensorId id{};
        find_tensor(name, id);
        if (in_model(id, ref.config().model))
            load_finite(t, ref, prefix + std::string(name), table_shape(id, ref.config()));
    });
}

/// Loads `<file>.npy`, whose entries index `count` things (`what`: "the vocabulary of 27
/// symbols (meta.txt's vocab_size)"), into `t` of shape `shape`.
template <std::size_t N>
void load_indices(xt::xtensor<std::int64_t, N>& t, const Reference& ref, const std::string& file,
                  const std::vector<std::size_t>& shape, std::uint64_t count,
                  const std::string& what) {
    load_checked(
        t, ref, file, shape, [count](std::int64_t i) { return i >= 0 && std::uint64_t(i) < count; },
        "outside " + what);
}

}  // namespace

Params<float> load_params(const Reference& ref) {
    Params<float> p;
    load_table(p, ref, "");
    return p;
}

Batch load_batch(const Reference& ref) {
    const Config& c = ref.config();
    const std::string V = std::to_string(c.vocab_size);
    const std::string vocabulary = "the vocabulary of " + V + " symbols (meta.txt's vocab_size)";
    const std::uint64_t N = ref.meta_integer("n_train");
    Batch b;
    load_indices(b.ix, ref, "ix", {c.batch_size}, N,
                 "the training set of " + std::to_string(N) + " examples (meta.txt's n_train)");
    load_indices(b.Xb, ref, "Xb", {c.batch_size, c.block_size}, c.vocab_size, vocabulary);
    load_indices(b.Yb, ref, "Yb", {c.batch_size}, c.vocab_size, vocabulary);
    return b;
}

Forward<float> load_forward(const Reference& ref) {
    Forward<float> f;
    load_table(f, ref, "");
    xt::xtensor<float, 1> loss;
    load_finite(loss, ref, "loss", {1});
    f.loss = loss(0);
    return f;
}

Grads<float> load_grads(const Reference& ref) {
    Grads<float> g;
    load_table(g, ref, "d");
    return g;
}

}  // namespace ninja
