/// @file
/// @brief Chapter 17's exercise: hprebn_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in hprebn.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "17_hprebn/hprebn.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dhprebn (n, H)
/// @param dbndiff      (n, H)
/// @param dbnmeani     (1, H)
/// @param hprebn       (n, H) only its shape is used
template <class T>
void hprebn_backward(xt::xtensor<T, 2>& dhprebn, const xt::xtensor<T, 2>& dbndiff,
                     const xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& hprebn) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
