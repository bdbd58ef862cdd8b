/// @file
/// @brief Chapter 21's exercise: cross_entropy_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in cross_entropy.hpp beside it: try not to look before you are done.
#pragma once

#include "21_cross_entropy/cross_entropy.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient marked [out].
/// @param[out] dlogits (n, V)
/// @param logits       (n, V)
/// @param Yb           (n,) the target of each row
template <class T>
void cross_entropy_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                            const xt::xtensor<std::int64_t, 1>& Yb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
