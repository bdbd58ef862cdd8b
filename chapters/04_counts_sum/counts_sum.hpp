/// @file
/// @brief Chapter 04: the derivation, and the code of the step.
///
/// @section ch04_forward The forward line
/// @code
/// counts_sum_inv = counts_sum**-1             # counts_sum (n, 1) -> counts_sum_inv (n, 1)
/// @endcode
/// An elementwise function of a column of n numbers, one per row:
/// \f[
///   \mathrm{counts\_sum\_inv}_i = \mathrm{counts\_sum}_i^{-1} = \frac{1}{\mathrm{counts\_sum}_i}.
/// \f]
///
/// @section ch04_derivation The derivation
/// Each \f$ \mathrm{counts\_sum\_inv}_i \f$ depends on the one \f$ \mathrm{counts\_sum}_i \f$
/// of its row and on nothing else, so the chain rule has a single term. The local derivative is
/// the power rule, \f$ \frac{d}{dx} x^{-1} = -x^{-2} \f$:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{counts\_sum}_i}
///   = \underbrace{\frac{\partial L}{\partial\, \mathrm{counts\_sum\_inv}_i}}_{\text{chapter 03}}
///     \cdot \underbrace{\left( -\frac{1}{\mathrm{counts\_sum}_i^{2}} \right)}_{\text{local}}.
/// \f]
/// With chapter 03's value, \f$ -\mathrm{counts\_sum}_i / n \f$, this is
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{counts\_sum}_i}
///   = \left( -\frac{\mathrm{counts\_sum}_i}{n} \right) \cdot
///     \left( -\frac{1}{\mathrm{counts\_sum}_i^{2}} \right)
///   = \frac{1}{n\, \mathrm{counts\_sum}_i} > 0:
/// \f]
/// a larger total would shrink every probability of the row, the target's too, and raise the
/// loss.
///
/// A note on the printed `exact:` column. The code computes
/// \f$ -\mathrm{dcounts\_sum\_inv}_i / (\mathrm{counts\_sum}_i \cdot \mathrm{counts\_sum}_i) \f$
/// (one division). PyTorch's autograd for `**-1` first forms \f$ -\mathrm{counts\_sum}_i^{-2} \f$
/// and then multiplies by the incoming gradient. The two are equal in exact arithmetic but
/// round differently, so a few elements differ in their last bit: `exact: False`,
/// `approximate: True`.
///
/// @section ch04_shapes Shapes
/// `dcounts_sum` is (n, 1), like `counts_sum`. All three tensors of the step are (n, 1) and the
/// operations are elementwise: nothing is broadcast and nothing is summed.
#pragma once

#include "03_counts_sum_inv/counts_sum_inv.hpp"

namespace ninja {

/// dcounts_sum = -counts_sum^-2 * dcounts_sum_inv, elementwise.
/// @param[out] dcounts_sum (n, 1)
/// @param dcounts_sum_inv  (n, 1)
/// @param counts_sum       (n, 1)
// [step]
template <class T>
void counts_sum_backward(xt::xtensor<T, 2>& dcounts_sum, const xt::xtensor<T, 2>& dcounts_sum_inv,
                         const xt::xtensor<T, 2>& counts_sum) {
    dcounts_sum = -dcounts_sum_inv / (counts_sum * counts_sum);  // (n, 1)
}
// [step]

/// Chapter 04: backprop through the reciprocal to counts_sum.
template <>
inline constexpr ChapterFacts chapter<4> = {
    "backprop through the reciprocal to counts_sum", "dcounts_sum, through the reciprocal x**-1.",
    "counts_sum_inv = counts_sum**-1", "counts_sum (n, 1) -> counts_sum_inv (n, 1)",
    "counts_sum_backward(dcounts_sum, dcounts_sum_inv, counts_sum)"};

}  // namespace ninja
