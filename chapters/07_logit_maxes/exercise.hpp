/// @file
/// @brief Chapter 07's exercise: logit_maxes_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in logit_maxes.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "07_logit_maxes/logit_maxes.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dlogit_maxes (n, 1)
/// @param dnorm_logits      (n, V)
template <class T>
void logit_maxes_backward(xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& dnorm_logits) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
