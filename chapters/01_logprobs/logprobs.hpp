/// @file
/// @brief Chapter 01: the derivation, and the code of the step.
///
/// @section ch01_forward The forward line
/// The last line of the forward pass picks, in every row of `logprobs`, the log-probability
/// that the model gave to the correct next character, and averages them:
/// @code
/// loss = -logprobs[range(n), Yb].mean()      # logprobs (n, V) -> loss ()
/// @endcode
/// In symbols, with \f$ y_i \f$ the target of example \f$ i \f$:
/// \f[ L = -\frac{1}{n} \sum_{i=1}^{n} \mathrm{logprobs}_{i, y_i}. \f]
///
/// @section ch01_derivation The derivation
/// The loss is a sum, so its derivative with respect to one element
/// \f$ \mathrm{logprobs}_{ij} \f$ is the derivative of the one term that contains it, if any.
/// Row \f$ i \f$ contributes exactly one term, the one in column \f$ y_i \f$:
/// \f[
///   \frac{\partial L}{\partial\, \mathrm{logprobs}_{ij}} =
///   \begin{cases} -\dfrac{1}{n} & \text{if } j = y_i, \\[4pt] 0 & \text{otherwise.} \end{cases}
/// \f]
/// The other \f$ V - 1 \f$ entries of each row never reach the loss: their gradient is zero.
/// Note that the loss averages the *picked log-probabilities*, not the targets themselves.
///
/// @section ch01_shapes Shapes
/// `dlogprobs` has the shape of `logprobs`, (n, V): n nonzero entries, one per row.
#pragma once

#include "common/chapter.hpp"

namespace ninja {

/// dloss/dlogprobs: \f$ -1/n \f$ at each row's target, zero elsewhere.
/// @param[out] dlogprobs (n, V)
/// @param logprobs       (n, V) only its shape is used
/// @param Yb             (n,) target of each row
// [step]
template <class T>
void logprobs_backward(xt::xtensor<T, 2>& dlogprobs, const xt::xtensor<T, 2>& logprobs,
                       const xt::xtensor<std::int64_t, 1>& Yb) {
    const std::size_t n = logprobs.shape(0);
    dlogprobs = xt::zeros_like(logprobs);  // (n, V)
    for (std::size_t i = 0; i < n; ++i)
        dlogprobs(i, static_cast<std::size_t>(Yb(i))) = -T(1) / T(n);
}
// [step]

/// Chapter 01: the first step back from the loss.
template <>
inline constexpr ChapterFacts chapter<1> = {
    "backprop through the loss to logprobs",
    "the gradient of the loss with respect to every element of logprobs, also of those the loss "
    "never reads.",
    "loss = -logprobs[range(n), Yb].mean()", "logprobs (n, V) -> loss ()",
    "logprobs_backward(dlogprobs, logprobs, Yb)"};

}  // namespace ninja
