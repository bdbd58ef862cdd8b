/// @file
/// @brief Chapter 20's exercise: embedding_table_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in embedding_table.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "20_embedding_table/embedding_table.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dC (V, E)
/// @param demb    (n, B, E)
/// @param C       (V, E) only its shape is used
/// @param Xb      (n, B) which row of C each embedding came from
template <class T>
void embedding_table_backward(xt::xtensor<T, 2>& dC, const xt::xtensor<T, 3>& demb,
                              const xt::xtensor<T, 2>& C, const xt::xtensor<std::int64_t, 2>& Xb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
