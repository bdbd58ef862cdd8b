/// @file
/// @brief Chapter 02: the derivation, and the code of the step.
///
/// @section ch02_forward The forward line
/// @code
/// logprobs = probs.log()                      # probs (n, V) -> logprobs (n, V)
/// @endcode
/// An elementwise function: \f$ \mathrm{logprobs}_{ij} = \log \mathrm{probs}_{ij} \f$.
///
/// @section ch02_derivation The derivation
/// Each `logprobs` element depends on the one `probs` element at the same position, so the
/// chain rule has a single term per element:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{probs}_{ij}}
///   = \underbrace{\frac{\partial L}{\partial\, \mathrm{logprobs}_{ij}}}_{\text{chapter 01}}
///     \cdot \underbrace{\frac{1}{\mathrm{probs}_{ij}}}_{\text{local: } (\log x)' = 1/x}.
/// \f]
/// Only the targets' entries are nonzero (chapter 01), and there the gradient is
/// \f$ -1/(n\, p_{i y_i}) \f$: the less probability the model gave the right answer, the harder
/// the push to raise it.
///
/// @section ch02_shapes Shapes
/// `dprobs` is (n, V), like `probs`. The product is elementwise; nothing is broadcast.
#pragma once

#include "01_logprobs/logprobs.hpp"

namespace ninja {

/// dprobs = dlogprobs / probs, elementwise.
/// @param[out] dprobs (n, V)
/// @param dlogprobs   (n, V)
/// @param probs       (n, V)
// [step]
template <class T>
void probs_backward(xt::xtensor<T, 2>& dprobs, const xt::xtensor<T, 2>& dlogprobs,
                    const xt::xtensor<T, 2>& probs) {
    dprobs = dlogprobs / probs;  // (n, V)
}
// [step]

/// Chapter 02: through `log`.
template <>
inline constexpr ChapterFacts chapter<2> = {
    "backprop through the logarithm to probs",
    "dprobs, from the gradient that arrives from chapter 01 (dlogprobs) and the local derivative "
    "of the logarithm.",
    "logprobs = probs.log()", "probs (n, V) -> logprobs (n, V)",
    "probs_backward(dprobs, dlogprobs, probs)"};

}  // namespace ninja
