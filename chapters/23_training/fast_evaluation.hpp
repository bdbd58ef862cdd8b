/// @file
/// @brief Chapter 23's evaluation, made fast: the calibration of batchnorm and the losses of the
/// splits, as calibrate_batchnorm() and split_loss() (training.hpp) compute them, on buffers
/// allocated once.
///
/// After training, the lecture runs the network over the whole training set twice (batchnorm's
/// statistics, then the train loss) and over the dev set once: 388,000 rows. The plain functions
/// run common/model.hpp's forward pass on chunks of rows, each pass a few dozen new tensors of
/// (rows, H): most of their seconds go to the page faults of fresh memory and to zeroing it,
/// not to arithmetic. Evaluator computes the same in some tens of milliseconds:
/// - `hprebn = embcat @ W1 + b1` goes by symbol, as in the Trainer: with
///   \f$ P_{jv} = C_v W_1^{(j)} \f$, the (V, H) products of each context position j computed
///   once, a row is \f$ b_1 + \sum_j P_{j X_{rj}} \f$, B additions of a row of P;
/// - batchnorm with fixed statistics is an affine map of each column, `hprebn * scale + shift`
///   with `scale = bngain / sqrt(bnvar + eps)` and `shift = bnbias - bnmean * scale`, done in
///   the same sweep as tanh (the trainer's tanh_rational, simd_maps.hpp);
/// - `logits = h @ W2 + b2` is one `cblas_sgemm` per chunk of rows, and the loss of a row comes
///   from its logits as chapter 21 writes it, \f$ \log\sum_k e^{z_k - m} - (z_y - m) \f$, added
///   up in double;
/// - a chunk holds at most max_tensor_numbers numbers in all (the bound the sizes were checked
///   against), and its buffers are allocated once.
///
/// The test of chapter 23 holds it to the plain functions.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "23_training/training.hpp"

namespace ninja {

/// Told (rows done, rows in all) as an evaluation advances: with --n-hidden 65536 a pass over
/// the training set takes a minute, and says so (common/program/progress.hpp).
using RowProgress = std::function<void(std::size_t done, std::size_t total)>;

/// The calibration and the losses of a trained network, on buffers allocated once.
class Evaluator {
public:
    /// @param p the trained parameters (b1, b2, bngain and bnbias read from `p`, which must
    ///          outlive the evaluator)
    explicit Evaluator(const Params<float>& p);

    /// calibrate_batchnorm(): the mean and the unbiased variance of `hprebn` over the rows of
    /// `train` (sums in double, then rounded to float).
    BatchnormStats calibrate(const Examples& train, const RowProgress& progress = {});

    /// split_loss(): the mean loss over the rows of `data`, batchnorm fixed to `stats`.
    double split_loss(const BatchnormStats& stats, const Examples& data,
                      const RowProgress& progress = {});

private:
    /// Calls `fn(j, v)` with `v` the SIMD vectors of `hprebn = embcat @ W1 + b1` of row `r` of
    /// `data` from column j (then the single floats left over), computed by symbol: b1 plus,
    /// for each position, the row of P of its symbol.
    template <class Fn>
    void over_hprebn(const Examples& data, std::size_t r, Fn&& fn);

    /// The summed loss of the rows of logits_ (rows, V) plus b2, targets `Y`, as chapter 21
    /// computes it: log(sum_k exp(z_k - m)) - (z_y - m) for a row, m its maximum.
    double chunk_loss(std::size_t rows, std::size_t V, const Symbol* Y);

    const Params<float>& p_;
    std::size_t B_;              // context positions
    std::size_t V_;              // symbols (rows of C)
    std::size_t H_;              // hidden units
    std::size_t chunk_;          // rows evaluated at once: their h, 400 kB, stays in the cache
    std::vector<float> P_;       // (B, V, H): C @ W1's rows of position j
    std::vector<float> h_;       // (chunk, H): hprebn, then h
    std::vector<float> logits_;  // (chunk, V)
    xt::xtensor<float, 2> W2T_;  // (V, H): W2 transposed, its product runs along H
    std::vector<const float*> context_rows_;  // (B,) the rows of P that make a row of hprebn
};

}  // namespace ninja
