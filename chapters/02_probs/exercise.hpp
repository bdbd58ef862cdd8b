/// @file
/// @brief Chapter 02's exercise: probs_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in probs.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "02_probs/probs.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dprobs (n, V)
/// @param dlogprobs   (n, V)
/// @param probs       (n, V)
template <class T>
void probs_backward(xt::xtensor<T, 2>& dprobs, const xt::xtensor<T, 2>& dlogprobs,
                    const xt::xtensor<T, 2>& probs) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
