/// @file
/// @brief Chapter 06: the derivation, and the code of the step.
///
/// @section ch06_forward The forward line
/// @code
/// counts = norm_logits.exp()                  # norm_logits (n, V) -> counts (n, V)
/// @endcode
/// An elementwise function: \f$ \mathrm{counts}_{ij} = e^{\mathrm{norm\_logits}_{ij}} \f$.
///
/// @section ch06_derivation The derivation
/// Each element of `counts` depends on the one element of `norm_logits` at the same position,
/// so the chain rule has a single term. The exponential is its own derivative,
/// \f$ \frac{d}{dx} e^{x} = e^{x} \f$, and the forward pass has already stored
/// \f$ e^{\mathrm{norm\_logits}_{ij}} \f$: it is \f$ \mathrm{counts}_{ij} \f$. Hence
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}
///   = \underbrace{\frac{\partial L}{\partial\, \mathrm{counts}_{ij}}}_{\text{chapter 05}}
///     \cdot \underbrace{\mathrm{counts}_{ij}}_{\text{local: } (e^x)' = e^x} .
/// \f]
/// (The local derivative is the *output* of the exponential, not its input `norm_logits`.)
///
/// What it comes to. With chapter 05's value,
/// \f$ \frac{1}{n} \left( 1/\mathrm{counts\_sum}_i - \delta_{j y_i}/\mathrm{counts}_{ij}
/// \right) \f$,
/// where \f$ \delta_{j y_i} \f$ is 1 in the target column and 0 elsewhere, and with
/// \f$ \mathrm{counts}_{ij} / \mathrm{counts\_sum}_i = \mathrm{probs}_{ij} \f$:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{norm\_logits}_{ij}}
///   = \frac{\mathrm{probs}_{ij} - \delta_{j y_i}}{n} .
/// \f]
/// This is already the well-known gradient of cross-entropy with respect to the inputs of a
/// softmax: the predicted distribution minus the one-hot target, divided by the batch size.
/// Every wrong character is pushed down in proportion to the probability it received; the right
/// one is pulled up by \f$ (1 - \mathrm{probs}_{i y_i}) / n \f$. Since each row of `probs` sums to
/// one, each row of `dnorm_logits` sums to zero, which chapter 07 relies on.
///
/// @section ch06_shapes Shapes
/// `dnorm_logits` is (n, V), like `norm_logits`. The product is elementwise; nothing is
/// broadcast.
#pragma once

#include "05_counts/counts.hpp"

namespace ninja {

/// dnorm_logits = counts * dcounts: the exponential is its own derivative, and its value was
/// kept by the forward pass.
/// @param[out] dnorm_logits (n, V)
/// @param dcounts           (n, V)
/// @param counts            (n, V)
// [step]
template <class T>
void norm_logits_backward(xt::xtensor<T, 2>& dnorm_logits, const xt::xtensor<T, 2>& dcounts,
                          const xt::xtensor<T, 2>& counts) {
    dnorm_logits = counts * dcounts;  // (n, V)
}
// [step]

/// Chapter 06: backprop through the exponential to norm_logits.
template <>
inline constexpr ChapterFacts chapter<6> = {
    "backprop through the exponential to norm_logits", "dnorm_logits, through the exponential.",
    "counts = norm_logits.exp()", "norm_logits (n, V) -> counts (n, V)",
    "norm_logits_backward(dnorm_logits, dcounts, counts)"};

}  // namespace ninja
