/// @file
/// @brief Chapter 18's exercise: first_linear_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in first_linear.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "18_first_linear/first_linear.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dembcat (n, B*E)
/// @param[out] dW1     (B*E, H)
/// @param[out] db1     (H,)
/// @param dhprebn      (n, H)
/// @param embcat       (n, B*E)
/// @param W1           (B*E, H)
template <class T>
void first_linear_backward(xt::xtensor<T, 2>& dembcat, xt::xtensor<T, 2>& dW1,
                           xt::xtensor<T, 1>& db1, const xt::xtensor<T, 2>& dhprebn,
                           const xt::xtensor<T, 2>& embcat, const xt::xtensor<T, 2>& W1) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
