/// @file
/// @brief Chapter 14's exercise: bndiff2_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in bndiff2.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "14_bndiff2/bndiff2.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbndiff2 (n, H)
/// @param dbnvar        (1, H)
/// @param bndiff2       (n, H) only its shape is used
template <class T>
void bndiff2_backward(xt::xtensor<T, 2>& dbndiff2, const xt::xtensor<T, 2>& dbnvar,
                      const xt::xtensor<T, 2>& bndiff2) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
