/// @file
/// @brief Reading and writing `.npy` files, and the PyTorch reference data in tests/reference.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <xtensor/xnpy.hpp>
#include <xtensor/xtensor.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/model.hpp"

namespace ninja {

/// Reads the whole file at `path` as an npy container of element type `T` and returns it with
/// its shape; throws InputError naming the file when it is missing, truncated, has trailing
/// bytes, or holds another element type.
template <class T>
xt::xarray<T> read_npy_array(const std::string& path);

/// The shape of a loaded npy array as text, e.g. "(32, 27)".
std::string shape_string_of(const xt::svector<std::size_t>& shape);

/// Reads an npy file into a tensor of rank `N`; a file of another rank is an InputError.
template <class T, std::size_t N>
xt::xtensor<T, N> read_npy(const std::string& path) {
    xt::xarray<T> a = read_npy_array<T>(path);
    if (a.dimension() != N)
        throw InputError(path + ": expected a " + std::to_string(N) + "-d array, found shape " +
                         shape_string_of(a.shape()));
    return a;
}

/// Writes `tensor` to `dir/name.npy` (numpy's format), completely or not at all (see
/// common/atomic_file.hpp); throws InputError naming the file if it cannot.
template <class E>
void write_npy(const std::string& dir, const std::string& name, const E& tensor) {
    write_file_atomically(dir + "/" + name + ".npy", xt::dump_npy(tensor));
}

/// Environment variable that overrides where the PyTorch reference data is read from.
inline constexpr const char* reference_env_var = "NINJA_REFERENCE";

/// The folder of PyTorch's reference data for one minibatch of `model`: "lecture" (the lecture's
/// Exercise 1 setup), or "layernorm" (the same with LayerNorm, chapter 24).
inline std::string reference_name(Model model) {
    return model == Model::layernorm ? "layernorm" : "lecture";
}

/// One configuration's PyTorch reference data: a folder of `.npy` files and a `meta.txt` of
/// `key value` lines, written by tools/make_reference.py.
class Reference {
public:
    /// Opens `tests/reference/<config>` (or `$NINJA_REFERENCE/<config>`) and reads its meta.txt;
    /// throws InputError naming the file if it is missing or malformed: a line that is not
    /// `key value`, a key given twice, sizes and a seed that are not decimal integers or do not
    /// describe a model (validate()), a `names_sha256` that is not 64 hexadecimal digits.
    explicit Reference(const std::string& config);
    /// The folder the files are read from.
    const std::string& dir() const { return dir_; }
    /// A value of meta.txt; throws InputError naming the file if the key is absent.
    const std::string& meta(const std::string& key) const;
    /// A non-negative integer of meta.txt, in decimal digits (common/decimal.hpp).
    std::uint64_t meta_integer(const std::string& key) const;
    /// A finite number of meta.txt, in decimal.
    double meta_number(const std::string& key) const;
    /// The model configuration meta.txt records (sizes and seed).
    const Config& config() const { return config_; }
    /// The SHA-256 of the names file the data was made from (meta.txt's `names_sha256`).
    const std::string& names_sha256() const { return meta("names_sha256"); }
    /// The file `<name>.npy` as a tensor of rank N.
    template <class T, std::size_t N>
    xt::xtensor<T, N> load(const std::string& name) const {
        return read_npy<T, N>(dir_ + "/" + name + ".npy");
    }
    /// Loads a tensor into `t` (whose type gives the element type and rank).
    template <class T, std::size_t N>
    void load_into(xt::xtensor<T, N>& t, const std::string& name) const {
        t = load<T, N>(name);
    }

private:
    std::string dir_;
    std::map<std::string, std::string> meta_;
    Config config_;
};

/// The model configuration recorded in a reference's meta.txt.
inline const Config& reference_config(const Reference& ref) { return ref.config(); }

/// The shape of tensor `id` in configuration `c`, from the table's letters ("(n, B*E)").
std::vector<std::size_t> table_shape(TensorId id, const Config& c);

/// The seven parameters stored in a reference folder. Every file loaded from a reference folder
/// must have its tensor's shape for the sizes in meta.txt and finite entries (no NaN, no
/// infinity), or it is an InputError naming the file (and the entry).
Params<float> load_params(const Reference& ref);

/// The minibatch (`ix`, `Xb`, `Yb`) stored in a reference folder; an entry of `Xb` or `Yb`
/// outside the vocabulary (meta.txt's vocab_size), or of `ix` outside the training set
/// (meta.txt's n_train), is an InputError naming the file and the entry.
Batch load_batch(const Reference& ref);

/// PyTorch's forward pass: every intermediate and the loss stored in a reference folder.
Forward<float> load_forward(const Reference& ref);

/// PyTorch's gradients of every tensor (`d<name>.npy`) stored in a reference folder.
Grads<float> load_grads(const Reference& ref);

}  // namespace ninja
