/// @file
/// @brief Chapter 23: the derivation, and the code of the training loop.
///
/// @section ch23_loop The loop
/// Exercise 4 puts the derived gradients to work. The network grows to
/// \f$ H = 200 \f$ hidden units (12,297 parameters) and is trained for 200,000 steps of
/// minibatch stochastic gradient descent, with no autograd anywhere. One step:
/// 1. **Minibatch.** `ix = torch.randint(0, N, (32,), generator=g)`: 32 rows of the training set,
///    drawn from the same PyTorch-identical generator (seeded 2147483647) that drew the
///    parameters, so the C++ run sees exactly the batches the PyTorch run sees.
/// 2. **Forward pass**: the lecture's forward pass of common/model.hpp, every intermediate from
///    `emb = C[Xb]` to the loss.
/// 3. **Backward pass**, each step one of the chapters, the fused ones where there are:
///    - `dlogits` = \f$ (\mathrm{softmax} - \mathrm{onehot})/n \f$, chapter 21;
///    - `dh`, `dW2`, `db2`: \f$ \mathrm{dlogits}\, W_2^\top \f$, \f$ h^\top \mathrm{dlogits} \f$
///      and the column sums of `dlogits`, chapter 09;
///    - `dhpreact` = \f$ (1 - h^2) \odot \mathrm{dh} \f$, chapter 10;
///    - `dbngain`, `dbnbias` (the two column sums of chapter 11) and `dhprebn` in one expression,
///      chapter 22;
///    - `dembcat`, `dW1`, `db1`: \f$ \mathrm{dhprebn}\, W_1^\top \f$,
///      \f$ \mathrm{embcat}^\top \mathrm{dhprebn} \f$ and the column sums of `dhprebn`,
///      chapter 18;
///    - `demb`: the same numbers seen as (n, B, E), chapter 19;
///    - `dC`: the rows of `demb` added into the rows of C they came from, chapter 20.
/// 4. **Update.** Every parameter takes a step against its gradient,
///    \f$ \theta \leftarrow \theta - \eta\, \partial L / \partial \theta \f$, with learning rate
///    \f$ \eta = 0.1 \f$ for the first 100,000 steps and \f$ \eta = 0.01 \f$ from then on
///    (the lecture's rule: the step of the drop does not move with `--steps`).
///
/// @section ch23_calibration Calibrating batchnorm
/// During training, `hpreact` of an example depends on the 31 other examples of its batch,
/// through the batch mean and variance. To use the network on a single example, the lecture
/// replaces both by their values over the whole training set, after training:
/// \f[
///   \mu_j = \frac{1}{N}\sum_{r=1}^{N} x_{rj}, \qquad
///   \sigma_j^2 = \frac{1}{N-1}\sum_{r=1}^{N} (x_{rj} - \mu_j)^2, \qquad
///   x = \mathrm{embcat} \cdot W_1 + b_1 \text{ on all } N = 182{,}625 \text{ rows}.
/// \f]
/// Here the sums are accumulated in double precision over chunks of rows (a float sum of 182,625
/// numbers would lose about four digits); the statistics are then rounded to float32 and used as
/// `bnmean` and `bnvar` in `hpreact = bngain * (hprebn - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias`.
/// The train and dev losses are the mean cross-entropy over all rows of each split with these
/// fixed statistics.
///
/// @section ch23_b1 Why b1 does not learn
/// `b1` is added to every row of `hprebn` alike, and batchnorm's first act is to subtract the
/// batch mean of each column: \f$ \mathrm{bndiff} = (x + b_1) - \overline{(x + b_1)} = x -
/// \bar{x} \f$. So `b1` never reaches the loss, and its gradient, chapter 18's column sum of
/// `dhprebn`, is zero: chapter 22's `dhprebn` sums to zero down every column. Computed in
/// float32 it is rounding noise, about \f$ 10^{-9} \f$, and the update \f$ 0.1 \times
/// 10^{-9} \f$ is far below the last digit of a `b1` near 0.1: the parameter does not change
/// at all. This is the lecture's point that a bias before batchnorm is spurious (which is why
/// PyTorch's linear layers before a batchnorm are usually built with `bias=False`). It also means
/// that no check can see whether a training step updates `b1`: the exercise's verdict says so in
/// a note instead of grading it.
///
/// @section ch23_divergence When training diverges
/// Too large a learning rate makes the steps overshoot: the loss grows instead of falling, then
/// overflows to infinity or NaN (`--lr 10` ends near 150, `--lr 1e20` in NaN at once). The loop
/// stops at the first step whose loss is NaN, infinite, or above ten times \f$\ln V\f$ (33 for
/// the 27 symbols), the loss of a model that gives the right character a probability of
/// \f$e^{-33} \approx 5 \cdot 10^{-15}\f$ on average, where a uniform guess scores \f$\ln V\f$
/// and the lecture's run starts near 3.3 and ends near 2.0; the program names the step, its loss
/// and its learning rate.
///
/// @section ch23_sampling Sampling
/// With the calibrated network, a name grows one character at a time from the context `...`:
/// the forward pass gives `probs`, the softmax of the 27 logits, and `torch.multinomial`
/// (reproduced bit for bit, generator seeded 2147483647 + 10) draws the next character, until it
/// draws `.`, or until the name has max_name_length (64) characters, a cap no name of the data
/// comes near, which only a network that never learnt to end a name reaches.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "20_embedding_table/embedding_table.hpp"  // chapters 18, 19, 20 (and 01-17)
#include "22_batchnorm/batchnorm.hpp"              // chapters 21, 09, 10, 22
#include "common/error.hpp"
#include "common/hyperparameters.hpp"

namespace ninja {

/// Chapter 23: the training loop with the chapters' backward steps (its backward pass: the chain
/// table's row 23).
template <>
inline constexpr ChapterFacts chapter<23> = {
    "training the MLP with the hand-written backward pass",
    "train_step, one step of the lecture's training loop with no autograd: a minibatch, the "
    "forward pass, the backward pass with the chapters' steps, and p -= lr * grad for every "
    "parameter (the program around it does the rest: the learning-rate schedule, calibration, "
    "evaluation, sampling)",
    "for i in range(200000): forward, backward, p -= lr * grad",
    "12,297 parameters (H = 200), batches of n = 32", ""};

/// The settings of a training run; the defaults are the lecture's Exercise 4: its model (Config)
/// with 200 hidden units, and its loop (common/hyperparameters.hpp).
struct TrainingConfig {
    std::size_t n_hidden = 200;                               ///< H
    std::size_t batch_size = Config().batch_size;             ///< n
    std::uint64_t seed = Config().seed;                       ///< behind init and minibatches
    std::size_t steps = std::size_t(training_steps);          ///< SGD steps
    LrSchedule schedule;                                      ///< 0.1, then 0.01 from 100,000
    std::size_t print_every = std::size_t(loss_print_every);  ///< steps between printed losses
    Model norm = Model::batchnorm;  ///< the lecture's batchnorm, or LayerNorm (chapter 24)

    /// The model of the run: the lecture's (n_embd 10, block size 3) with these sizes and seed.
    Config model() const {
        Config c;
        c.n_hidden = n_hidden, c.batch_size = batch_size, c.seed = seed, c.model = norm;
        return c;
    }
};

// [step]
/// One step of the lecture's training loop: a minibatch from `g`, the forward pass, the
/// backward pass by the chapters' steps, and `p -= lr * grad`. Returns the loss before the update.
/// @param[in,out] p the parameters
/// @param train     the training set
/// @param n         the batch size
/// @param lr        the learning rate of this step
/// @param g         the generator that draws the minibatch
inline float train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                        TorchGenerator& g) {
    const Batch batch = sample_batch(train, n, g);  // Xb (n, B), Yb (n,)
    Forward<float> f;
    forward(f, p, batch);  // emb, embcat, hprebn, ..., logits, ..., loss

    Grads<float> d;
    cross_entropy_backward(d.dlogits, f.logits, batch.Yb);             // 21
    second_linear_backward(d.dh, d.dW2, d.db2, d.dlogits, f.h, p.W2);  // 09
    hpreact_backward(d.dhpreact, d.dh, f.h);                           // 10
    batchnorm_backward(d.dhprebn, d.dbngain, d.dbnbias, d.dhpreact, f.bnraw, p.bngain,
                       f.bnvar_inv);                                            // 22
    first_linear_backward(d.dembcat, d.dW1, d.db1, d.dhprebn, f.embcat, p.W1);  // 18
    emb_backward(d.demb, d.dembcat, f.emb);                                     // 19
    embedding_table_backward(d.dC, d.demb, p.C, batch.Xb);                      // 20

    // C, W1, b1, W2, b2, bngain, bnbias (and LayerNorm's lngain, lnbias: empty in this model)
    for (TensorId id : parameter_order)
        visit_pair(id, p, d, [lr](auto& param, const auto& grad) { param -= lr * grad; });
    return f.loss;
}
// [step]

/// Batchnorm's statistics over a whole split: the lecture's `bnmean` and `bnvar`.
struct BatchnormStats {
    xt::xtensor<float, 2> mean;  ///< (1, H)
    xt::xtensor<float, 2> var;   ///< (1, H) unbiased
};

/// The rows of a split evaluated at once with H hidden units and V symbols: at most 4,096 (a
/// whole split at once would hold 182,625 x 200 floats per intermediate), and at most as many as
/// keep (rows, H + V) within max_tensor_numbers, the bound the sizes of a run were checked
/// against (--n-hidden 65536: 255 rows).
inline std::size_t evaluation_rows(std::size_t H, std::size_t V) {
    return std::clamp<std::size_t>(max_tensor_numbers / (H + V), 1, 4096);
}

/// Calls `fn(rows)` with the rows of `data` as batches of at most `chunk` rows.
template <class Fn>
void for_each_chunk(const Examples& data, std::size_t chunk, Fn&& fn) {
    const std::size_t N = data.Y.size();
    for (std::size_t at = 0; at < N; at += chunk) {
        const auto ix =
            xt::arange<std::int64_t>(std::int64_t(at), std::int64_t(std::min(N, at + chunk)));
        fn(gather_batch(data, ix));
    }
}

// [inference]
/// The lecture's calibration: `hprebn = embcat @ W1 + b1` on every row of the training set,
/// its mean and unbiased variance per column (sums in double, then rounded to float).
inline BatchnormStats calibrate_batchnorm(const Params<float>& p, const Examples& train) {
    const std::size_t N = train.Y.size(), H = p.W1.shape(1);
    xt::xtensor<double, 2> sum = xt::zeros<double>({std::size_t(1), H}), sum2 = sum;
    for_each_chunk(train, evaluation_rows(H, p.W2.shape(1)), [&](const Batch& rows) {
        Forward<float> f;
        forward(f, p, rows, Stage::first(), TensorId::hprebn);  // emb, embcat, hprebn
        const xt::xtensor<double, 2> x = xt::cast<double>(f.hprebn);
        sum += xt::sum(x, {0}, xt::keep_dims);
        sum2 += xt::sum(x * x, {0}, xt::keep_dims);
    });
    const xt::xtensor<double, 2> mean = sum / double(N);
    const xt::xtensor<double, 2> var =
        xt::maximum(0.0, (sum2 - double(N) * mean * mean) / double(N - 1));
    return {xt::cast<float>(mean), xt::cast<float>(var)};
}

/// The forward pass of inference on `rows`: batchnorm uses the fixed statistics `stats`
/// instead of the batch's; the rest is common/model.hpp's forward pass, to `probs` and the loss.
/// With LayerNorm (chapter 24) it is the forward pass of training: an example's output depends
/// on that example alone, and `stats` is not used.
inline Forward<float> inference_forward(const Params<float>& p, const BatchnormStats& stats,
                                        const Batch& rows) {
    Forward<float> f;
    if (model_of(p) == Model::layernorm) {
        forward(f, p, rows);
        return f;
    }
    forward(f, p, rows, Stage::first(), TensorId::hprebn);
    f.hpreact = p.bngain * (f.hprebn - stats.mean) / xt::sqrt(stats.var + float(bn_eps)) + p.bnbias;
    forward(f, p, rows, TensorId::h, Stage::loss());  // h = tanh(hpreact), ..., loss
    return f;
}

/// The lecture's `split_loss`: the mean loss over every row of `data`, batchnorm fixed to `stats`.
inline double split_loss(const Params<float>& p, const BatchnormStats& stats,
                         const Examples& data) {
    double total = 0;
    for_each_chunk(data, evaluation_rows(p.W1.shape(1), p.W2.shape(1)), [&](const Batch& rows) {
        total += double(inference_forward(p, stats, rows).loss) * double(rows.size());
    });
    return total / double(data.Y.size());
}

/// One name from the trained network, as the lecture samples it: context `...`, then
/// `probs = softmax(logits)` and `torch.multinomial` until `.`; the text ends with the `.`, or,
/// cut at max_name_length characters, without it.
inline std::string sample_name(const Params<float>& p, const BatchnormStats& stats,
                               const Vocabulary& vocab, std::size_t block_size, TorchGenerator& g) {
    Batch context{xt::zeros<std::int64_t>({std::size_t(1)}),
                  xt::zeros<std::int64_t>({std::size_t(1), block_size}),
                  xt::zeros<std::int64_t>({std::size_t(1)})};  // "...", target unused
    std::string name;
    while (name.size() < max_name_length) {
        const Forward<float> f = inference_forward(p, stats, context);
        const auto ix = std::int64_t(g.multinomial(f.probs.data(), f.probs.size()));
        std::rotate(context.Xb.begin(), context.Xb.begin() + 1, context.Xb.end());
        context.Xb(0, block_size - 1) = ix;
        name += vocab.itos(ix);
        if (ix == 0) return name;
    }
    return name;
}
// [inference]

/// Ten times the loss of a uniform guess over `V` symbols: a loss above it means the run
/// diverged (see @ref ch23_divergence).
inline double max_training_loss(std::size_t V) { return 10 * std::log(double(V)); }

/// Throws InputError naming the step, its loss and its learning rate when `loss` is NaN,
/// infinite or above max_training_loss(V): training has diverged.
inline void check_training_loss(std::size_t step, float loss, float lr, std::size_t V) {
    if (std::isfinite(loss) && double(loss) <= max_training_loss(V)) return;
    char line[256];
    std::snprintf(line, sizeof line,
                  "training diverged at step %zu: loss %g with learning rate %g (the bound is "
                  "10 ln %zu = %.1f); try a smaller --lr",
                  step, std::isnan(loss) ? std::nan("") : double(loss), double(lr), V,
                  max_training_loss(V));  // NaN printed as "nan", whatever its sign bit
    throw InputError(line);
}

}  // namespace ninja
