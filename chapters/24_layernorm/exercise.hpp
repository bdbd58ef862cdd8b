/// @file
/// @brief Chapter 24's exercise: layernorm_backward, for you to write between the two marker lines.
/// `tools/exercises.py` grades it every time you save this file (the website's Exercises page
/// says how); the solution is in layernorm.hpp beside it: try not to look before you are done.
/// `dhpreact` arrives from the solutions of the steps before; `lnraw` and `lnvar_inv` are the
/// forward pass's. `T` is `float` or `double`.
#pragma once

#include "24_layernorm/layernorm.hpp"

namespace ninja::exercise {

/// Your step: fills the gradients marked [out] from the others.
/// @param[out] dhprebn (n, H)
/// @param[out] dlngain (H,)
/// @param[out] dlnbias (H,)
/// @param dhpreact     (n, H)
/// @param lnraw        (n, H)
/// @param lngain       (H,)
/// @param lnvar_inv    (n, 1)
template <class T>
void layernorm_backward(xt::xtensor<T, 2>& dhprebn, xt::xtensor<T, 1>& dlngain,
                        xt::xtensor<T, 1>& dlnbias, const xt::xtensor<T, 2>& dhpreact,
                        const xt::xtensor<T, 2>& lnraw, const xt::xtensor<T, 1>& lngain,
                        const xt::xtensor<T, 2>& lnvar_inv) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

}  // namespace ninja::exercise
