#include "common/model.hpp"

#include <algorithm>

#include <xtensor/xadapt.hpp>

#include "common/error.hpp"

namespace ninja {

void validate(const Config& config, const std::string& file) {
    // A size is named by its option (or what it is), or by its key in `file`, after the file.
    const auto name = [&](const std::string& option, const std::string& key) {
        return file.empty() ? option : key;
    };
    const auto require = [&](bool ok, const std::string& what) {
        if (!ok) throw InputError(file.empty() ? what : file + ": " + what);
    };
    const std::string n = name("--batch-size", "batch_size"), H = name("--n-hidden", "n_hidden");
    const std::string E = name("the embedding size", "n_embd");
    const std::string B = name("the block size", "block_size");
    const std::string V = name("the vocabulary", "vocab_size");
    if (config.model == Model::batchnorm)
        require(config.batch_size >= 2,
                n + " must be at least 2: batchnorm's unbiased variance divides by n-1");
    require(config.batch_size >= 1, n + " must be at least 1");
    require(config.batch_size <= (std::size_t(1) << 20), n + " must be at most 1048576");
    require(config.n_hidden >= 1, H + " must be at least 1");
    require(config.n_hidden <= (std::size_t(1) << 16), H + " must be at most 65536");
    require(config.n_embd >= 1 && config.n_embd <= 1024, E + " must be from 1 to 1024");
    require(config.block_size >= 1 && config.block_size <= 1024, B + " must be from 1 to 1024");
    require(config.vocab_size >= 2 && config.vocab_size <= 256,
            V + " must have from 2 to 256 symbols");
    const std::size_t max = max_tensor_numbers;  // the products below cannot overflow: 2^60 at most
    require(config.batch_size * (config.n_hidden + config.vocab_size) <= max,
            n + " times (" + H + " + " + std::to_string(config.vocab_size) + ") must be at most " +
                std::to_string(max) + ": the (n, H) tensors would not fit in memory");
    const std::size_t context = config.block_size * config.n_embd;  // B*E, a row of embcat
    const std::string numbers = " times the " + std::to_string(context) +
                                " numbers of a context (" + B + " * " + E + ") must be at most " +
                                std::to_string(max);
    require(config.batch_size * context <= max,
            n + numbers + ": embcat (n, B*E) would not fit in memory");
    require(context * config.n_hidden <= max,
            H + numbers + ": W1 (B*E, H) would not fit in memory");
}

namespace {

/// `torch.randn(shape, generator=g)` as a float tensor, then `x * scale` rounded to float once
/// per element, as PyTorch does with a Python float (converted to float32 first).
template <std::size_t N>
xt::xtensor<float, N> randn(TorchGenerator& g, const std::array<std::size_t, N>& shape,
                            float scale) {
    std::size_t numel = 1;
    for (std::size_t d : shape) numel *= d;
    const std::vector<float> values = g.randn(numel);
    auto t = xt::xtensor<float, N>::from_shape(shape);
    std::transform(values.begin(), values.end(), t.begin(), [scale](float x) { return x * scale; });
    return t;
}

}  // namespace

Params<float> init_params(const Config& config, TorchGenerator& g) {
    validate(config);
    const std::size_t V = config.vocab_size, E = config.n_embd, H = config.n_hidden;
    const std::size_t fan_in = E * config.block_size;
    Params<float> p;
    p.C = randn<2>(g, {V, E}, 1.0f);
    // torch.randn(...) * (5/3) / (fan_in**0.5): two float roundings, multiply then divide.
    p.W1 = randn<2>(g, {fan_in, H}, float(5.0 / 3.0)) / float(std::sqrt(double(fan_in)));
    p.b1 = randn<1>(g, {H}, 0.1f);
    p.W2 = randn<2>(g, {H, V}, 0.1f);
    p.b2 = randn<1>(g, {V}, 0.1f);
    if (config.model == Model::layernorm) {  // as many draws as bngain's and bnbias's
        p.lngain = randn<1>(g, {H}, 0.1f) + 1.0f;
        p.lnbias = randn<1>(g, {H}, 0.1f);
    } else {
        p.bngain = randn<2>(g, {1, H}, 0.1f) + 1.0f;
        p.bnbias = randn<2>(g, {1, H}, 0.1f);
    }
    return p;
}

Batch gather_batch(const Examples& data, const xt::xtensor<std::int64_t, 1>& ix) {
    const std::size_t n = ix.size(), B = data.X.shape(1);
    Batch batch{ix, xt::xtensor<std::int64_t, 2>::from_shape({n, B}),
                xt::xtensor<std::int64_t, 1>::from_shape({n})};
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = static_cast<std::size_t>(ix(i));
        if (row >= data.Y.size())
            throw InputError("batch index " + std::to_string(ix(i)) + " is outside the data set");
        std::copy_n(&data.X(row, 0), B, &batch.Xb(i, 0));
        batch.Yb(i) = data.Y(row);
    }
    return batch;
}

Batch sample_batch(const Examples& data, std::size_t batch_size, TorchGenerator& g) {
    const std::vector<std::int64_t> ix =
        g.randint(0, static_cast<std::int64_t>(data.Y.size()), batch_size);
    return gather_batch(data, xt::adapt(ix, {batch_size}));
}

template void forward<float>(Forward<float>&, const Params<float>&, const Batch&, Stage, Stage);
template void forward<double>(Forward<double>&, const Params<double>&, const Batch&, Stage, Stage);

}  // namespace ninja
