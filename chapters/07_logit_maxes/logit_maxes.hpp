/// @file
/// @brief Chapter 07: the derivation, and the code of the step.
///
/// @section ch07_forward The forward line
/// @code
/// norm_logits = logits - logit_maxes  # logits (n, V) - logit_maxes (n, 1) -> norm_logits (n, V)
/// @endcode
/// `logit_maxes` has one number per row, broadcast over the V columns:
/// \f[ \mathrm{norm\_logits}_{ij} = \mathrm{logits}_{ij} - \mathrm{logit\_maxes}_i . \f]
/// This chapter treats `logit_maxes` as an input of this line. That it was computed from
/// `logits` matters only for `dlogits`, in chapter 08.
///
/// @section ch07_derivation The derivation
/// One number \f$ \mathrm{logit\_maxes}_i \f$ is subtracted from every element of row
/// \f$ i \f$, and from no other row:
/// \f[
///   \frac{\partial\, \mathrm{norm\_logits}_{kj}}{\partial\, \mathrm{logit\_maxes}_i} =
///   \begin{cases} -1 & \text{if } k = i, \\ 0 & \text{if } k \neq i. \end{cases}
/// \f]
/// As in chapter 03, the broadcast over the columns becomes a sum over the columns, here with
/// the minus sign of the subtraction:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{logit\_maxes}_i}
///   = \sum_{j=1}^{V}
///     \underbrace{\frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}}_{\text{chapter 06}}
///     \cdot (-1)
///   = -\sum_{j=1}^{V} \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}} .
/// \f]
/// In code, `-dnorm_logits.sum(1, keepdim=True)`.
///
/// What it comes to: zero. With chapter 06's value,
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{logit\_maxes}_i}
///   = -\frac{1}{n} \sum_{j=1}^{V} \left( \mathrm{probs}_{ij} - \delta_{j y_i} \right)
///   = -\frac{1}{n} (1 - 1) = 0 .
/// \f]
/// The reason lies deeper than this cancellation. Subtract any number \f$ c \f$ from every
/// logit of row \f$ i \f$: every count of the row is multiplied by \f$ e^{-c} \f$, and so is
/// their sum, so the factor cancels in the normalisation:
/// \f[
///   \frac{e^{\mathrm{logits}_{ij} - c}}{\sum_{l} e^{\mathrm{logits}_{il} - c}}
///   = \frac{e^{-c}\, e^{\mathrm{logits}_{ij}}}{e^{-c} \sum_{l} e^{\mathrm{logits}_{il}}}
///   = \frac{e^{\mathrm{logits}_{ij}}}{\sum_{l} e^{\mathrm{logits}_{il}}} .
/// \f]
/// The probabilities, and with them the loss, do not depend on \f$ \mathrm{logit\_maxes}_i \f$
/// at all; a function that does not change when its argument changes has derivative zero.
/// The maximum is subtracted only for numerical safety: the largest exponent becomes
/// \f$ e^0 = 1 \f$, so `exp` cannot overflow in floating point. Any other per-row constant would
/// give the same loss in exact arithmetic.
///
/// In floating point the sum of V terms that cancel exactly is left with rounding error: in
/// `float`, with unit roundoff about \f$ 6 \cdot 10^{-8} \f$ and terms of size up to
/// \f$ 1/n \approx 0.03 \f$, the result is of order \f$ 10^{-9} \f$ (on the lecture's batch, up
/// to about 7e-9, here and in PyTorch alike). These numbers are noise, not signal. PyTorch's
/// autograd computes the same sum, but adds in another order (and from inputs that differ from
/// ours in a last bit here and there), so it gets other noise: the printed line shows
/// `exact: False` and `approximate: True`. The absolute tolerance \f$ 10^{-8} \f$ of `allclose`
/// absorbs the noise, while the relative differences between two noises are of order one and
/// mean nothing. In `double` the noise is about \f$ 10^{-17} \f$ to \f$ 10^{-16} \f$. Central
/// differences, which perturb `logit_maxes` and rerun the rest of the forward pass, find a loss
/// that does not move at all: their estimate is zero, up to their own rounding noise of about
/// \f$ 10^{-11} \f$ at most.
///
/// @section ch07_shapes Shapes
/// `dlogit_maxes` is (n, 1), like `logit_maxes`: the sum over axis 1 of the (n, V) tensor
/// `dnorm_logits`, with `keepdim=True` to keep the column.
#pragma once

#include "06_norm_logits/norm_logits.hpp"

namespace ninja {

/// dlogit_maxes = -dnorm_logits.sum(1, keepdim=True): logit_maxes was broadcast over the
/// columns, so its gradient sums over them.
/// @param[out] dlogit_maxes (n, 1)
/// @param dnorm_logits      (n, V)
// [step]
template <class T>
void logit_maxes_backward(xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& dnorm_logits) {
    dlogit_maxes = -xt::sum(dnorm_logits, {1}, xt::keep_dims);  // (n, 1)
}
// [step]

/// Chapter 07: backprop through the max subtraction to logit_maxes.
template <>
inline constexpr ChapterFacts chapter<7> = {
    "backprop through the max subtraction to logit_maxes",
    "dlogit_maxes, the gradient of the (n, 1) row maxima that were subtracted from logits.",
    "norm_logits = logits - logit_maxes",
    "logits (n, V) - logit_maxes (n, 1) -> norm_logits (n, V)",
    "logit_maxes_backward(dlogit_maxes, dnorm_logits)"};

}  // namespace ninja
