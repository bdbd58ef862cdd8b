/// @file
/// @brief Chapter 11's exercise: batchnorm_scale_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in batchnorm_scale.hpp beside it: try not to look before you are done.
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "11_batchnorm_scale/batchnorm_scale.hpp"

namespace ninja::exercise {

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param[out] dbnraw  (n, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
template <class T>
void batchnorm_scale_backward(xt::xtensor<T, 2>& dbngain, xt::xtensor<T, 2>& dbnbias,
                              xt::xtensor<T, 2>& dbnraw, const xt::xtensor<T, 2>& dhpreact,
                              const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
