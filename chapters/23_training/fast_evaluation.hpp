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
///   the same sweep as tanh (the trainer's tanh_rational);
/// - `logits = h @ W2 + b2` is one `cblas_sgemm` per chunk of rows, and the loss of a row comes
///   from its logits as chapter 21 writes it, \f$ \log\sum_k e^{z_k - m} - (z_y - m) \f$, added
///   up in double;
/// - a chunk holds at most max_tensor_numbers numbers in all (the bound the sizes were checked
///   against), and its buffers are allocated once.
///
/// The test of chapter 23 holds it to the plain functions.
#pragma once

#include <functional>
#include <vector>

#include "23_training/fast_math.hpp"
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
    explicit Evaluator(const Params<float>& p)
        : p_(p),
          B_(p.W1.shape(0) / p.C.shape(1)),
          V_(p.C.shape(0)),
          H_(p.W1.shape(1)),
          chunk_(std::min<std::size_t>(evaluation_rows(H_, p.W2.shape(1)), 512)),
          P_(B_ * V_ * H_),
          h_(chunk_ * H_),
          logits_(chunk_ * p.W2.shape(1)),
          W2T_(xt::transpose(p.W2)),
          context_rows_(B_) {
        const std::size_t E = p.C.shape(1);
        for (std::size_t j = 0; j < B_; ++j)  // P[j] = C @ W1[j*E : (j+1)*E]  (V, H)
            matmul(&P_[j * V_ * H_], p.C.data(), false, &p.W1(j * E, 0), false, V_, H_, E);
    }

    /// calibrate_batchnorm(): the mean and the unbiased variance of `hprebn` over the rows of
    /// `train` (sums in double, then rounded to float).
    BatchnormStats calibrate(const Examples& train, const RowProgress& progress = {}) {
        const std::size_t N = train.Y.size(), H = H_;
        std::vector<double> sum(H, 0.0), sum2(H, 0.0);
        for (std::size_t r = 0; r < N; ++r) {
            if (progress && r % chunk_ == 0) progress(r, N);
            float* x = h_.data();  // (1, H): one row at a time, its sums while it is in cache
            over_hprebn(train, r, [x](std::size_t j, auto v) { store_to(x + j, v); });
            for (std::size_t j = 0; j < H; ++j) {
                const double v = x[j];
                sum[j] += v, sum2[j] += v * v;
            }
        }
        BatchnormStats stats{xt::xtensor<float, 2>::from_shape({1, H}),
                             xt::xtensor<float, 2>::from_shape({1, H})};
        for (std::size_t j = 0; j < H; ++j) {
            const double mean = sum[j] / double(N);
            stats.mean(0, j) = float(mean);
            stats.var(0, j) =
                float(std::max(0.0, (sum2[j] - double(N) * mean * mean) / double(N - 1)));
        }
        return stats;
    }

    /// split_loss(): the mean loss over the rows of `data`, batchnorm fixed to `stats`.
    double split_loss(const BatchnormStats& stats, const Examples& data,
                      const RowProgress& progress = {}) {
        const std::size_t N = data.Y.size(), H = H_, V = p_.W2.shape(1);
        std::vector<float> scale(H), shift(H);  // hpreact = hprebn * scale + shift
        for (std::size_t j = 0; j < H; ++j) {
            scale[j] = p_.bngain(0, j) / std::sqrt(stats.var(0, j) + float(bn_eps));
            shift[j] = p_.bnbias(0, j) - stats.mean(0, j) * scale[j];
        }
        double total = 0;
        for (std::size_t first = 0; first < N; first += chunk_) {
            const std::size_t rows = std::min(chunk_, N - first);
            if (progress) progress(first, N);
            for (std::size_t r = 0; r < rows; ++r) {  // h = tanh(hprebn * scale + shift)
                float* x = &h_[r * H];
                over_hprebn(data, first + r, [&](std::size_t j, auto v) {
                    using Vec = decltype(v);
                    store_to(x + j,
                             tanh_rational(v * load_as<Vec>(&scale[j]) + load_as<Vec>(&shift[j])));
                });
            }
            matmul(logits_.data(), h_.data(), false, W2T_.data(), true, rows, V, H);  // h @ W2
            total += chunk_loss(rows, V, &data.Y(first));
        }
        return total / double(N);
    }

private:
    /// Calls `fn(j, v)` with `v` the SIMD vectors of `hprebn = embcat @ W1 + b1` of row `r` of
    /// `data` from column j (then the single floats left over), computed by symbol: b1 plus,
    /// for each position, the row of P of its symbol.
    template <class Fn>
    void over_hprebn(const Examples& data, std::size_t r, Fn&& fn) {
        const float** rows = context_rows_.data();
        for (std::size_t j = 0; j < B_; ++j) rows[j] = &P_[(j * V_ + data.X(r, j)) * H_];
        const float* b1 = p_.b1.data();
        over_columns(H_, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            Vec v = load_as<Vec>(b1 + t);
            for (std::size_t j = 0; j < B_; ++j) v += load_as<Vec>(rows[j] + t);
            fn(t, v);
        });
    }

    /// The summed loss of the rows of logits_ (rows, V) plus b2, targets `Y`, as chapter 21
    /// computes it: log(sum_k exp(z_k - m)) - (z_y - m) for a row, m its maximum.
    double chunk_loss(std::size_t rows, std::size_t V, const Symbol* Y) {
        const float* b2 = p_.b2.data();
        double total = 0;
        for (std::size_t r = 0; r < rows; ++r) {  // z - m, and the -(z_y - m) terms
            float* z = &logits_[r * V];
            for (std::size_t k = 0; k < V; ++k) z[k] += b2[k];
            const float m = max_of(z, V);
            for (std::size_t k = 0; k < V; ++k) z[k] -= m;
            total -= double(z[Y[r]]);
        }
        exp_inplace(logits_.data(), rows * V);  // the whole chunk at once
        for (std::size_t r = 0; r < rows; ++r)
            total += std::log(double(sum_of(&logits_[r * V], V)));
        return total;
    }

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
