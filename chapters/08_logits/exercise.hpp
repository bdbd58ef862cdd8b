/// @file
/// @brief Chapter 08's exercise: logits_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in logits.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "08_logits/logits.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dlogits  (n, V)
/// @param dnorm_logits  (n, V)
/// @param dlogit_maxes  (n, 1)
/// @param logits        (n, V)
template <class T>
void logits_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& dnorm_logits,
                     const xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& logits) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
