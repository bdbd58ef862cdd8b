/// @file
/// @brief Chapter 01's exercise: logprobs_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in logprobs.hpp beside it: try not to look before you are done.
#pragma once

#include "01_logprobs/logprobs.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dlogprobs (n, V)
/// @param logprobs       (n, V) only its shape is used
/// @param Yb             (n,) target of each row
template <class T>
void logprobs_backward(xt::xtensor<T, 2>& dlogprobs, const xt::xtensor<T, 2>& logprobs,
                       const xt::xtensor<std::int64_t, 1>& Yb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
