/// @file
/// @brief Chapter 15's exercise: bndiff_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in bndiff.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "15_bndiff/bndiff.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbndiff (n, H)
/// @param dbnraw       (n, H)
/// @param bnvar_inv    (1, H)
/// @param dbndiff2     (n, H)
/// @param bndiff       (n, H)
template <class T>
void bndiff_backward(xt::xtensor<T, 2>& dbndiff, const xt::xtensor<T, 2>& dbnraw,
                     const xt::xtensor<T, 2>& bnvar_inv, const xt::xtensor<T, 2>& dbndiff2,
                     const xt::xtensor<T, 2>& bndiff) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
