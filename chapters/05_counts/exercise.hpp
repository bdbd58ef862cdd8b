/// @file
/// @brief Chapter 05's exercise: counts_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in counts.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "05_counts/counts.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dcounts   (n, V)
/// @param dprobs         (n, V)
/// @param counts_sum_inv (n, 1)
/// @param dcounts_sum    (n, 1)
template <class T>
void counts_backward(xt::xtensor<T, 2>& dcounts, const xt::xtensor<T, 2>& dprobs,
                     const xt::xtensor<T, 2>& counts_sum_inv,
                     const xt::xtensor<T, 2>& dcounts_sum) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
