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

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
#include <xtensor-blas/xlinalg.hpp>

#include "common/dataset.hpp"
#include "common/rng.hpp"

namespace ninja {

/// The sizes and seed of one run. The defaults are the lecture's Exercise 1 setup.
struct Config {
    std::size_t n_embd = 10;          ///< E: dimensions of a character embedding
    std::size_t n_hidden = 64;        ///< H: neurons in the hidden layer
    std::size_t block_size = 3;       ///< B: characters of context
    std::size_t vocab_size = 27;      ///< V: symbols, `.` included
    std::size_t batch_size = 32;      ///< n: examples in a minibatch
    std::uint64_t seed = 2147483647;  ///< the seed of the generator behind init and minibatch
};

/// Checks that `config` describes a model the forward pass can run; throws InputError if not
/// (for example a batch of fewer than 2 examples, whose unbiased variance divides by zero).
void validate(const Config& config);

/// The seven parameter tensors of the model.
template <class T>
struct Params {
    xt::xtensor<T, 2> C;       ///< (V, E) embedding table
    xt::xtensor<T, 2> W1;      ///< (B*E, H) first linear layer
    xt::xtensor<T, 1> b1;      ///< (H,) its bias
    xt::xtensor<T, 2> W2;      ///< (H, V) second linear layer
    xt::xtensor<T, 1> b2;      ///< (V,) its bias
    xt::xtensor<T, 2> bngain;  ///< (1, H) batchnorm gain
    xt::xtensor<T, 2> bnbias;  ///< (1, H) batchnorm bias

    /// Calls `fn(name, tensor)` for each parameter, in the order of initialisation.
    template <class F>
    void for_each(F&& fn) {
        fn("C", C), fn("W1", W1), fn("b1", b1), fn("W2", W2), fn("b2", b2);
        fn("bngain", bngain), fn("bnbias", bnbias);
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        const_cast<Params&>(*this).for_each(
            [&](const char* name, const auto& t) { fn(name, t); });
    }
    /// The number of scalars in all seven tensors (4,137 for the lecture's sizes).
    std::size_t count() const {
        std::size_t total = 0;
        for_each([&](const char*, const auto& t) { total += t.size(); });
        return total;
    }
};

/// Draws the parameters exactly as the lecture does with `torch.Generator().manual_seed(seed)`:
/// C, W1 (Kaiming gain 5/3), b1, W2, b2 with small random values, then bngain near 1 and bnbias
/// near 0. The lecture drew the last two from PyTorch's unseeded global generator, which makes
/// them irreproducible; here they come from the same generator `g`, right after b2.
Params<float> init_params(const Config& config, TorchGenerator& g);

/// Converts every parameter to another scalar type (float to double for the numerical checks).
template <class U, class T>
Params<U> cast_params(const Params<T>& p) {
    return Params<U>{xt::cast<U>(p.C),  xt::cast<U>(p.W1),     xt::cast<U>(p.b1),
                     xt::cast<U>(p.W2), xt::cast<U>(p.b2),     xt::cast<U>(p.bngain),
                     xt::cast<U>(p.bnbias)};
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

/// Every named intermediate of the lecture's forward pass, in the order it is computed.
/// Sums keep their reduced axis (`keepdim=True`), so they stay 2-D as in PyTorch.
template <class T>
struct Forward {
    xt::xtensor<T, 3> emb;             ///< (n, B, E)  C[Xb]
    xt::xtensor<T, 2> embcat;          ///< (n, B*E)   emb.view(n, -1)
    xt::xtensor<T, 2> hprebn;          ///< (n, H)     embcat @ W1 + b1
    xt::xtensor<T, 2> bnmeani;         ///< (1, H)     1/n * hprebn.sum(0)
    xt::xtensor<T, 2> bndiff;          ///< (n, H)     hprebn - bnmeani
    xt::xtensor<T, 2> bndiff2;         ///< (n, H)     bndiff**2
    xt::xtensor<T, 2> bnvar;           ///< (1, H)     1/(n-1) * bndiff2.sum(0)
    xt::xtensor<T, 2> bnvar_inv;       ///< (1, H)     (bnvar + eps)**-0.5
    xt::xtensor<T, 2> bnraw;           ///< (n, H)     bndiff * bnvar_inv
    xt::xtensor<T, 2> hpreact;         ///< (n, H)     bngain * bnraw + bnbias
    xt::xtensor<T, 2> h;               ///< (n, H)     tanh(hpreact)
    xt::xtensor<T, 2> logits;          ///< (n, V)     h @ W2 + b2
    xt::xtensor<T, 2> logit_maxes;     ///< (n, 1)     logits.max(1)
    xt::xtensor<T, 2> norm_logits;     ///< (n, V)     logits - logit_maxes
    xt::xtensor<T, 2> counts;          ///< (n, V)     norm_logits.exp()
    xt::xtensor<T, 2> counts_sum;      ///< (n, 1)     counts.sum(1)
    xt::xtensor<T, 2> counts_sum_inv;  ///< (n, 1)     counts_sum**-1
    xt::xtensor<T, 2> probs;           ///< (n, V)     counts * counts_sum_inv
    xt::xtensor<T, 2> logprobs;        ///< (n, V)     probs.log()
    T loss{};                          ///< ()         -logprobs[range(n), Yb].mean()

    /// Calls `fn(name, tensor)` for each intermediate tensor, in forward order (not the loss).
    template <class F>
    void for_each(F&& fn) {
        fn("emb", emb), fn("embcat", embcat), fn("hprebn", hprebn), fn("bnmeani", bnmeani);
        fn("bndiff", bndiff), fn("bndiff2", bndiff2), fn("bnvar", bnvar);
        fn("bnvar_inv", bnvar_inv), fn("bnraw", bnraw), fn("hpreact", hpreact), fn("h", h);
        fn("logits", logits), fn("logit_maxes", logit_maxes), fn("norm_logits", norm_logits);
        fn("counts", counts), fn("counts_sum", counts_sum);
        fn("counts_sum_inv", counts_sum_inv), fn("probs", probs), fn("logprobs", logprobs);
    }
};

/// The intermediates in forward order; forward() can restart at any of them.
enum class Stage {
    emb, embcat, hprebn, bnmeani, bndiff, bndiff2, bnvar, bnvar_inv, bnraw, hpreact, h,
    logits, logit_maxes, norm_logits, counts, counts_sum, counts_sum_inv, probs, logprobs, loss
};

/// The batchnorm epsilon of the lecture.
inline constexpr double bn_eps = 1e-5;

/// Runs the forward pass from stage `from` through stage `until`: every intermediate before
/// `from` is taken as it is in `f`. This is how the numerical gradients perturb one intermediate
/// and recompute the rest, and how the tests check one stage at a time against PyTorch.
template <class T>
void forward(Forward<T>& f, const Params<T>& p, const Batch& batch, Stage from = Stage::emb,
             Stage until = Stage::loss) {
    const auto n = batch.size();
    const auto at = [from, until](Stage s) { return from <= s && s <= until; };
    if (at(Stage::emb)) {
        const auto E = p.C.shape(1);
        f.emb = xt::xtensor<T, 3>::from_shape({n, batch.Xb.shape(1), E});
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < batch.Xb.shape(1); ++k)
                std::copy_n(&p.C(static_cast<std::size_t>(batch.Xb(i, k)), 0), E, &f.emb(i, k, 0));
    }
    if (at(Stage::embcat)) f.embcat = xt::reshape_view(f.emb, {n, f.emb.size() / n});
    if (at(Stage::hprebn)) f.hprebn = xt::linalg::dot(f.embcat, p.W1) + p.b1;
    if (at(Stage::bnmeani)) f.bnmeani = T(1.0 / n) * xt::sum(f.hprebn, {0}, xt::keep_dims);
    if (at(Stage::bndiff)) f.bndiff = f.hprebn - f.bnmeani;
    if (at(Stage::bndiff2)) f.bndiff2 = f.bndiff * f.bndiff;
    if (at(Stage::bnvar)) f.bnvar = T(1.0 / (n - 1)) * xt::sum(f.bndiff2, {0}, xt::keep_dims);
    if (at(Stage::bnvar_inv)) f.bnvar_inv = T(1) / xt::sqrt(f.bnvar + T(bn_eps));
    if (at(Stage::bnraw)) f.bnraw = f.bndiff * f.bnvar_inv;
    if (at(Stage::hpreact)) f.hpreact = p.bngain * f.bnraw + p.bnbias;
    if (at(Stage::h)) f.h = xt::tanh(f.hpreact);
    if (at(Stage::logits)) f.logits = xt::linalg::dot(f.h, p.W2) + p.b2;
    if (at(Stage::logit_maxes)) f.logit_maxes = xt::amax(f.logits, {1}, xt::keep_dims);
    if (at(Stage::norm_logits)) f.norm_logits = f.logits - f.logit_maxes;
    if (at(Stage::counts)) f.counts = xt::exp(f.norm_logits);
    if (at(Stage::counts_sum)) f.counts_sum = xt::sum(f.counts, {1}, xt::keep_dims);
    if (at(Stage::counts_sum_inv)) f.counts_sum_inv = T(1) / f.counts_sum;
    if (at(Stage::probs)) f.probs = f.counts * f.counts_sum_inv;
    if (at(Stage::logprobs)) f.logprobs = xt::log(f.probs);
    if (!at(Stage::loss)) return;
    T picked = 0;  // sum of logprobs[i, Yb[i]]
    for (std::size_t i = 0; i < n; ++i) picked += f.logprobs(i, static_cast<std::size_t>(batch.Yb(i)));
    f.loss = -picked / T(n);
}

}  // namespace ninja
