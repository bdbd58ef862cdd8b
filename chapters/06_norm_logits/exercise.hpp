/// @file
/// @brief Chapter 06's exercise: norm_logits_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in norm_logits.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "06_norm_logits/norm_logits.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dnorm_logits (n, V)
/// @param dcounts           (n, V)
/// @param counts            (n, V)
template <class T>
void norm_logits_backward(xt::xtensor<T, 2>& dnorm_logits, const xt::xtensor<T, 2>& dcounts,
                          const xt::xtensor<T, 2>& counts) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
