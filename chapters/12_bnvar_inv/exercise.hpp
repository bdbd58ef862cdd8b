/// @file
/// @brief Chapter 12's exercise: bnvar_inv_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in bnvar_inv.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "12_bnvar_inv/bnvar_inv.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbnvar_inv (1, H)
/// @param dbnraw          (n, H)
/// @param bndiff          (n, H)
template <class T>
void bnvar_inv_backward(xt::xtensor<T, 2>& dbnvar_inv, const xt::xtensor<T, 2>& dbnraw,
                        const xt::xtensor<T, 2>& bndiff) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
