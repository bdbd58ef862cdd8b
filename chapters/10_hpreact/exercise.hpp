/// @file
/// @brief Chapter 10's exercise: hpreact_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in hpreact.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "10_hpreact/hpreact.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dhpreact (n, H)
/// @param dh            (n, H)
/// @param h             (n, H)
template <class T>
void hpreact_backward(xt::xtensor<T, 2>& dhpreact, const xt::xtensor<T, 2>& dh,
                      const xt::xtensor<T, 2>& h) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
