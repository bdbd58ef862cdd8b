/// @file
/// @brief Chapter 19's exercise: emb_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in emb.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "19_emb/emb.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] demb (n, B, E)
/// @param dembcat   (n, B*E)
/// @param emb       (n, B, E) only its shape is used
template <class T>
void emb_backward(xt::xtensor<T, 3>& demb, const xt::xtensor<T, 2>& dembcat,
                  const xt::xtensor<T, 3>& emb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
