/// @file
/// @brief Chapter 09's exercise: second_linear_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in second_linear.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "09_second_linear/second_linear.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dh  (n, H)
/// @param[out] dW2 (H, V)
/// @param[out] db2 (V,)
/// @param dlogits  (n, V)
/// @param h        (n, H)
/// @param W2       (H, V)
template <class T>
void second_linear_backward(xt::xtensor<T, 2>& dh, xt::xtensor<T, 2>& dW2, xt::xtensor<T, 1>& db2,
                            const xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& h,
                            const xt::xtensor<T, 2>& W2) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
