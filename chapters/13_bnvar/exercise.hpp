/// @file
/// @brief Chapter 13's exercise: bnvar_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in bnvar.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "13_bnvar/bnvar.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbnvar (1, H)
/// @param dbnvar_inv  (1, H)
/// @param bnvar       (1, H)
template <class T>
void bnvar_backward(xt::xtensor<T, 2>& dbnvar, const xt::xtensor<T, 2>& dbnvar_inv,
                    const xt::xtensor<T, 2>& bnvar) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
