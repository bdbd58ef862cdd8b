/// @file
/// @brief The lecture's model: sizes, parameters and their PyTorch-identical initialisation,
/// the minibatch, and the forward pass "chunked" into every named intermediate.
///
/// Dimension legend used in every shape comment of the workbook:
/// - `n`  batch size (32)
/// - `B`  block size: characters of context (3)
/// - `E`  embedding size, `n_embd` (10)
/// - `H`  hidden units, `n_hidden` (64; 200 in chapter 23)
/// - `V`  vocabulary size (27)
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include "common/dataset.hpp"
#include "common/hyperparameters.hpp"  // bn_eps
#include "common/rng.hpp"
#include "common/tensors.hpp"

namespace ninja {

/// The sizes and seed of one run. The defaults are the lecture's Exercise 1 setup.
struct Config {
    std::size_t n_embd = 10;          ///< E: dimensions of a character embedding
    std::size_t n_hidden = 64;        ///< H: neurons in the hidden layer
    std::size_t block_size = 3;       ///< B: characters of context
    std::size_t vocab_size = 27;      ///< V: symbols, `.` included
    std::size_t batch_size = 32;      ///< n: examples in a minibatch
    std::uint64_t seed = 2147483647;  ///< the seed of the generator behind init and minibatch
    Model model = Model::batchnorm;   ///< the lecture's batchnorm, or LayerNorm (chapter 24)
};

/// The model whose parameters `p` holds: LayerNorm's when it has `lngain`, else the lecture's.
template <class T>
Model model_of(const Params<T>& p) {
    return p.lngain.size() > 0 ? Model::layernorm : Model::batchnorm;
}

/// The most numbers a tensor of a run may hold: 2^24 (64 MiB in float32). A run holds a few
/// dozen tensors of n rows by H or V columns (forward pass, gradients, reference), which keeps it
/// within a few GB; the whole training set of names.txt as one batch (182,625 rows) with the
/// lecture's 64 hidden units fits. Chapter 23's evaluation goes through its splits in chunks of
/// rows that keep to the same bound.
inline constexpr std::size_t max_tensor_numbers = std::size_t(1) << 24;

/// Checks that `config` describes a model the forward pass can run within max_tensor_numbers a
/// tensor; throws InputError if not (for example a batch of fewer than 2 examples, whose unbiased
/// variance divides by zero). The message names the sizes as the options that set them
/// (`--batch-size`), or, when `file` is given, as that file's keys (`<file>: batch_size`).
void validate(const Config& config, const std::string& file = {});

/// Draws the parameters exactly as the lecture does with `torch.Generator().manual_seed(seed)`:
/// C, W1 (Kaiming gain 5/3), b1, W2, b2 with small random values, then bngain near 1 and bnbias
/// near 0. The lecture drew the last two from PyTorch's unseeded global generator, which makes
/// them irreproducible; here they come from the same generator `g`, right after b2. The
/// LayerNorm model (config.model) draws lngain and lnbias (H,) there instead, from as many
/// numbers: its other parameters, and the minibatches drawn after them, are the lecture's.
Params<float> init_params(const Config& config, TorchGenerator& g);

/// Converts every parameter to another scalar type (float to double for the numerical checks).
template <class U, class T>
Params<U> cast_params(const Params<T>& p) {
    Params<U> out;
    for (TensorId id : parameter_order)
        out.visit(
            id, [&](auto& to) { p.visit(id, [&](const auto& from) { to = xt::cast<U>(from); }); });
    return out;
}

/// A minibatch: row indices into the training set and the rows themselves.
struct Batch {
    xt::xtensor<std::int64_t, 1> ix;  ///< (n,) rows of the training set
    xt::xtensor<std::int64_t, 2> Xb;  ///< (n, B) contexts
    xt::xtensor<std::int64_t, 1> Yb;  ///< (n,) targets
    /// n, the number of examples.
    std::size_t size() const { return Yb.size(); }
};

/// `ix = torch.randint(0, N, (n,), generator=g)`; `Xb, Yb = X[ix], Y[ix]`.
Batch sample_batch(const Examples& data, std::size_t batch_size, TorchGenerator& g);

/// The rows `ix` of a data set as a batch (no random draw).
Batch gather_batch(const Examples& data, const xt::xtensor<std::int64_t, 1>& ix);

/// A place in the forward pass: the line that computes an intermediate, or the loss after the
/// last one. forward() runs the lines from one stage to another.
class Stage {
public:
    /// The line that computes intermediate `id`.
    constexpr Stage(TensorId id) : position_(forward_position(id)) {}  // NOLINT: implicit
    /// The first line, `emb = C[Xb]`.
    static constexpr Stage first() { return Stage(0); }
    /// The loss, after every intermediate.
    static constexpr Stage loss() { return Stage(intermediate_count); }
    /// The line after the one that computes intermediate `id`.
    static constexpr Stage after(TensorId id) { return Stage(forward_position(id) + 1); }
    /// Whether this stage comes no later than `other`.
    constexpr bool operator<=(Stage other) const { return position_ <= other.position_; }

private:
    explicit constexpr Stage(int position) : position_(position) {}
    int position_;
};

// [forward]
/// Runs the forward pass from stage `from` through stage `until`: every intermediate before
/// `from` is taken as it is in `f`. This is how the numerical gradients perturb one intermediate
/// and recompute the rest, and how the tests check one stage at a time against PyTorch.
template <class T>
void forward(Forward<T>& f, const Params<T>& p, const Batch& batch, Stage from = Stage::first(),
             Stage until = Stage::loss()) {
    const auto n = batch.size();
    const auto at = [from, until](Stage s) { return from <= s && s <= until; };
    using id = TensorId;
    if (at(id::emb)) {
        const auto E = p.C.shape(1);
        f.emb = xt::xtensor<T, 3>::from_shape({n, batch.Xb.shape(1), E});
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < batch.Xb.shape(1); ++k)
                std::copy_n(&p.C(static_cast<std::size_t>(batch.Xb(i, k)), 0), E, &f.emb(i, k, 0));
    }
    if (at(id::embcat)) f.embcat = xt::reshape_view(f.emb, {n, f.emb.size() / n});
    if (at(id::hprebn)) f.hprebn = xt::linalg::dot(f.embcat, p.W1) + p.b1;
    if (model_of(p) == Model::layernorm) {  // chapter 24: statistics over the H features of a row
        const T H = T(f.hprebn.shape(1));
        if (at(id::lnvar_inv)) {
            const xt::xtensor<T, 2> mean = xt::sum(f.hprebn, {1}, xt::keep_dims) / H;    // (n, 1)
            const xt::xtensor<T, 2> diff = f.hprebn - mean;                              // (n, H)
            const xt::xtensor<T, 2> var = xt::sum(diff * diff, {1}, xt::keep_dims) / H;  // biased
            f.lnvar_inv = T(1) / xt::sqrt(var + T(bn_eps));
        }
        if (at(id::lnraw)) {
            const xt::xtensor<T, 2> mean = xt::sum(f.hprebn, {1}, xt::keep_dims) / H;  // (n, 1)
            f.lnraw = (f.hprebn - mean) * f.lnvar_inv;
        }
        if (at(id::hpreact)) f.hpreact = p.lngain * f.lnraw + p.lnbias;
    } else {
        if (at(id::bnmeani)) f.bnmeani = T(1.0 / n) * xt::sum(f.hprebn, {0}, xt::keep_dims);
        if (at(id::bndiff)) f.bndiff = f.hprebn - f.bnmeani;
        if (at(id::bndiff2)) f.bndiff2 = f.bndiff * f.bndiff;
        if (at(id::bnvar)) f.bnvar = T(1.0 / (n - 1)) * xt::sum(f.bndiff2, {0}, xt::keep_dims);
        if (at(id::bnvar_inv)) f.bnvar_inv = T(1) / xt::sqrt(f.bnvar + T(bn_eps));
        if (at(id::bnraw)) f.bnraw = f.bndiff * f.bnvar_inv;
        if (at(id::hpreact)) f.hpreact = p.bngain * f.bnraw + p.bnbias;
    }
    if (at(id::h)) f.h = xt::tanh(f.hpreact);
    if (at(id::logits)) f.logits = xt::linalg::dot(f.h, p.W2) + p.b2;
    if (at(id::logit_maxes)) f.logit_maxes = xt::amax(f.logits, {1}, xt::keep_dims);
    if (at(id::norm_logits)) f.norm_logits = f.logits - f.logit_maxes;
    if (at(id::counts)) f.counts = xt::exp(f.norm_logits);
    if (at(id::counts_sum)) f.counts_sum = xt::sum(f.counts, {1}, xt::keep_dims);
    if (at(id::counts_sum_inv)) f.counts_sum_inv = T(1) / f.counts_sum;
    if (at(id::probs)) f.probs = f.counts * f.counts_sum_inv;
    if (at(id::logprobs)) f.logprobs = xt::log(f.probs);
    if (!at(Stage::loss())) return;
    T picked = 0;  // sum of logprobs[i, Yb[i]]
    for (std::size_t i = 0; i < n; ++i)
        picked += f.logprobs(i, static_cast<std::size_t>(batch.Yb(i)));
    f.loss = -picked / T(n);
}
// [forward]

/// The forward pass is compiled once, in model.cpp, for float and for double: a file that runs
/// it (a chapter 23 exercise that is being edited, a test) does not compile it again.
extern template void forward<float>(Forward<float>&, const Params<float>&, const Batch&, Stage,
                                    Stage);
extern template void forward<double>(Forward<double>&, const Params<double>&, const Batch&, Stage,
                                     Stage);

}  // namespace ninja
