/// @file
/// @brief Chapter 16's exercise: bnmeani_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in bnmeani.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "16_bnmeani/bnmeani.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbnmeani (1, H)
/// @param dbndiff       (n, H)
template <class T>
void bnmeani_backward(xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& dbndiff) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
