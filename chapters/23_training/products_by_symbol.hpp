/// @file
/// @brief The fast trainer's three products with `embcat`, by symbol (fast_trainer.hpp): each
/// distinct (position, symbol) pair of a batch multiplied once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "23_training/train_stages.hpp"

namespace ninja {

/// The products with `embcat` of a training step, by symbol.
///
/// A row of `embcat` is B rows of C side by side, and a batch of 32 contexts holds only about
/// 14 distinct symbols at each of the 3 positions. Write \f$ W_1^{(j)} \f$ for the E rows of W1
/// that multiply position j, and \f$ S_{jv} = \sum_{i:\, X_{ij} = v} \mathrm{dhprebn}_i \f$ for
/// the sum of the rows of `dhprebn` whose context has symbol v at position j. Then, by
/// linearity,
/// \f{align*}{
///   \mathrm{hprebn}_i &= b_1 + \sum_j C_{X_{ij}} W_1^{(j)},
///   \\ \mathrm{dW1}^{(j)} &= \sum_v C_v^\top S_{jv},
///   \\ \mathrm{dC}_v &= \sum_j S_{jv}\, W_1^{(j)\top}.
/// \f}
/// The first computes each product \f$ C_v W_1^{(j)} \f$ once per distinct (j, v) instead of once
/// per example. The other two are chapter 18's `embcat.T @ dhprebn` with the equal rows of
/// `embcat` merged, and chapters 18-20's `dhprebn @ W1.T`, viewed as `demb` and scattered into
/// `dC`, with the scatter-add moved in front of the product (both are linear, so they commute).
/// The same terms are summed, in another order, so the results agree with the chapters' to
/// float rounding (the test of chapter 23 checks both against the chapters and against
/// PyTorch); the three products shrink from 96 rows to about 40.
class ProductsBySymbol {
public:
    /// Buffers for batches of `n` contexts of `B` symbols out of `symbols`, embeddings of `E`
    /// numbers and `H` hidden units.
    ProductsBySymbol(std::size_t n, std::size_t B, std::size_t E, std::size_t H,
                     std::size_t symbols);

    /// Finds the distinct symbols of each context position of the batch `Xb` (n, B):
    /// `distinct_[j * S + u]` is the u-th of position j, `count_[j]` their number,
    /// `slot_[i * B + j]` the u of example i, and `members_[j * n + start_[j * (S + 1) + u] ...]`
    /// the examples that have it, in increasing order.
    void index(const std::int64_t* Xb);

    /// The forward products `P[j, u] = C[distinct(j, u)] @ W1^(j)`, from C (S, E) and W1
    /// (B * E, H); then rows_of() gives the rows that make up each row of hprebn.
    void forward(const xt::xtensor<float, 2>& C, const xt::xtensor<float, 2>& W1);

    /// The B rows (H,) of P whose sum is `hprebn[i] - b1`.
    const float* const* rows_of(std::size_t i) const { return &rows_of_[i * B_]; }

    /// The backward pass of the products from `dhprebn` (n, H): `db1` (H,), `dC` (S, E), and
    /// `dW1` (B * E, H); or, with `fold_lr`, `W1 -= *fold_lr * dW1` in place of dW1 (W1 is read
    /// by the products for dC first). `probe` is told the stages as they end.
    void backward(float* dC, float* db1, float* dW1, xt::xtensor<float, 2>& W1,
                  const float* dhprebn, const float* fold_lr, const StageProbe& probe);

private:
    std::size_t n_, B_, E_, H_, S_;
    std::vector<std::size_t> slot_, distinct_, count_, members_, start_, cursor_;
    std::vector<int> slot_of_;
    std::vector<const float*> rows_of_;        // (n, B) the rows of P that make up hprebn
    xt::xtensor<float, 2> Cu_, P_, Su_, dCu_;  // (B * S, E), (B * S, H), (B * S, H), (B * S, E)
};

}  // namespace ninja
