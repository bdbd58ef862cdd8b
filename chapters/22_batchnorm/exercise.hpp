/// @file
/// @brief Chapter 22's exercise: batchnorm_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in batchnorm.hpp beside it: try not to look before you are done.
/// `dhpreact` arrives from the solutions of the steps before; `bnraw` and `bnvar_inv` are the
/// forward pass's. `T` is `float` or `double`.
#pragma once

#include "22_batchnorm/batchnorm.hpp"

namespace ninja::exercise {

/// Your step: fills the gradients marked [out] from the others.
/// @param[out] dhprebn (n, H)
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
/// @param bnvar_inv    (1, H)
template <class T>
void batchnorm_backward(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 2>& dbngain,
                        xt::xtensor<T, 2>& dbnbias, const xt::xtensor<T, 2>& dhpreact,
                        const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain,
                        const xt::xtensor<T, 2>& bnvar_inv) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
