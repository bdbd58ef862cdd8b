/// @file
/// @brief Chapter 05: the derivation, and the code of the step.
///
/// @section ch05_forward The forward line
/// `counts` appears in two lines of the forward pass (with chapter 04's reciprocal between them):
/// @code
/// counts_sum = counts.sum(1, keepdim=True)  # counts (n, V) -> counts_sum (n, 1)
/// probs = counts * counts_sum_inv  # counts (n, V) * counts_sum_inv (n, 1) -> probs (n, V)
/// @endcode
/// In symbols, for \f$ i = 1, \dots, n \f$ and \f$ j = 1, \dots, V \f$:
/// \f[
///   \mathrm{counts\_sum}_i = \sum_{l=1}^{V} \mathrm{counts}_{il}, \qquad
///   \mathrm{probs}_{ij} = \mathrm{counts}_{ij} \cdot \mathrm{counts\_sum\_inv}_i .
/// \f]
///
/// @section ch05_derivation The derivation
/// An element \f$ \mathrm{counts}_{ij} \f$ reaches the loss along two routes: directly into
/// \f$ \mathrm{probs}_{ij} \f$, and into the row total \f$ \mathrm{counts\_sum}_i \f$ (and from
/// there, through \f$ \mathrm{counts\_sum\_inv}_i \f$, into the whole row of `probs`). The
/// multivariable chain rule takes the derivative along each route, with the other held fixed,
/// and *adds* them.
///
/// **Route 1, through `probs`** (with `counts_sum_inv` held fixed). The only element of `probs`
/// that contains \f$ \mathrm{counts}_{ij} \f$ as a factor is \f$ \mathrm{probs}_{ij} \f$:
/// \f[
///   \frac{\partial\, \mathrm{probs}_{kl}}{\partial\, \mathrm{counts}_{ij}} =
///   \begin{cases} \mathrm{counts\_sum\_inv}_i & \text{if } (k, l) = (i, j),
///                  \\ 0 & \text{otherwise,} \end{cases}
/// \f]
/// so the contribution is
/// \f[
///   \mathrm{counts\_sum\_inv}_i \cdot \frac{\partial L}{\partial\, \mathrm{probs}_{ij}} .
/// \f]
/// `counts` is the full-size factor of the product, so nothing is summed here; the column
/// `counts_sum_inv` multiplies every entry of its row, broadcast over the columns just as in
/// the forward pass.
///
/// **Route 2, through `counts_sum`**. Each element of a row enters its row's sum with
/// coefficient one:
/// \f[
///   \frac{\partial\, \mathrm{counts\_sum}_k}{\partial\, \mathrm{counts}_{ij}} =
///   \begin{cases} 1 & \text{if } k = i, \\ 0 & \text{otherwise,} \end{cases}
///   \qquad\text{so the contribution is}\qquad
///   \frac{\partial L}{\partial\, \mathrm{counts\_sum}_i} .
/// \f]
/// The same number for every column \f$ j \f$ of row \f$ i \f$: a sum in the forward pass
/// becomes a broadcast in the backward pass. Each of the V terms of the sum receives a copy of
/// the sum's gradient. (This route already carries everything that happens after
/// `counts_sum`: the reciprocal of chapter 04 and the broadcast product of chapter 03.)
///
/// **Both together**:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{counts}_{ij}} =
///   \underbrace{\mathrm{counts\_sum\_inv}_i \cdot
///                \frac{\partial L}{\partial\, \mathrm{probs}_{ij}}}_{
///     \text{through } \mathrm{probs} \text{ (chapter 02)}}
///   + \underbrace{\frac{\partial L}{\partial\, \mathrm{counts\_sum}_i}}_{
///     \text{through } \mathrm{counts\_sum} \text{ (chapter 04)}} .
/// \f]
/// In code, `counts_sum_inv * dprobs + dcounts_sum`, where the (n, 1) term is broadcast over the
/// columns.
///
/// What it comes to. Write \f$ \delta_{j y_i} \f$ for 1 when \f$ j = y_i \f$ (the target of
/// row \f$ i \f$) and 0 otherwise. Chapter 02 gave
/// \f$ \partial L / \partial\, \mathrm{probs}_{ij} = -\delta_{j y_i} / (n\,\mathrm{probs}_{ij}) \f$
/// and chapter 04 gave \f$ 1 / (n\, \mathrm{counts\_sum}_i) \f$. With
/// \f$ \mathrm{probs}_{ij} = \mathrm{counts}_{ij} \cdot \mathrm{counts\_sum\_inv}_i \f$:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{counts}_{ij}}
///   = \frac{1}{n} \left( \frac{1}{\mathrm{counts\_sum}_i}
///                        - \frac{\delta_{j y_i}}{\mathrm{counts}_{ij}} \right).
/// \f]
/// Every wrong column gets only route 2, the positive \f$ 1/(n\, \mathrm{counts\_sum}_i) \f$:
/// a larger count for a wrong character takes probability from the right one. The target column
/// gets \f$ -(1 - \mathrm{probs}_{i y_i}) / (n\, \mathrm{counts}_{i y_i}) \le 0 \f$.
///
/// A check that both routes are needed: multiplying a whole row of `counts` by the same factor
/// leaves `probs`, hence the loss, unchanged. The derivative along that direction must vanish:
/// \f[
///   \sum_{j=1}^{V} \mathrm{counts}_{ij} \frac{\partial L}{\partial\, \mathrm{counts}_{ij}}
///   = \frac{1}{n} \left( \frac{\sum_j \mathrm{counts}_{ij}}{\mathrm{counts\_sum}_i} - 1 \right)
///   = 0 .
/// \f]
/// Route 1 alone would give \f$ -1/n \f$ here, and route 2 alone \f$ +1/n \f$.
///
/// A note on the printed `exact:` column. With the default build flags (a `-march` with fused
/// multiply-add, and GCC's default of contracting `a * b + c`), the compiler evaluates
/// `counts_sum_inv * dprobs + dcounts_sum` as one fused multiply-add, rounded once, where PyTorch
/// rounds the product and then the sum. A few target entries differ in their last bit:
/// `exact: False`, `approximate: True`. (Chapter 04's last-bit differences add to this.)
///
/// @section ch05_shapes Shapes
/// `dcounts` is (n, V), like `counts`. Route 1 is an (n, V) tensor times the (n, 1) column
/// `counts_sum_inv`; route 2 is the (n, 1) column `dcounts_sum`, copied across the V columns by
/// the addition's broadcast.
#pragma once

#include "04_counts_sum/counts_sum.hpp"

namespace ninja {

/// dcounts = counts_sum_inv * dprobs + dcounts_sum: the contribution through probs (a broadcast
/// of counts_sum_inv over the columns) plus the one through counts_sum (a sum over the columns
/// becomes a broadcast of dcounts_sum over them).
/// @param[out] dcounts   (n, V)
/// @param dprobs         (n, V)
/// @param counts_sum_inv (n, 1)
/// @param dcounts_sum    (n, 1)
// [step]
template <class T>
void counts_backward(xt::xtensor<T, 2>& dcounts, const xt::xtensor<T, 2>& dprobs,
                     const xt::xtensor<T, 2>& counts_sum_inv,
                     const xt::xtensor<T, 2>& dcounts_sum) {
    dcounts = counts_sum_inv * dprobs  // (n, V) through probs
              + dcounts_sum;           // (n, 1) broadcast: through counts_sum
}
// [step]

/// Chapter 05: counts is used twice: both gradients add up.
template <>
inline constexpr ChapterFacts chapter<5> = {
    "counts is used twice: both gradients add up",
    "dcounts: counts reaches the loss along two paths, directly through probs and through "
    "counts_sum.",
    "counts_sum = counts.sum(1, keepdims=True); probs = counts * counts_sum_inv",
    "counts (n, V) -> counts_sum (n, 1) and probs (n, V)",
    "counts_backward(dcounts, dprobs, counts_sum_inv, dcounts_sum)"};

}  // namespace ninja
