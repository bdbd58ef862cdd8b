/// @file
/// @brief Chapter 12: backprop through the normalisation to bnvar_inv.
///
/// @section ch12_forward The forward line
/// @code
/// bnraw = bndiff * bnvar_inv
/// @endcode
/// Shapes: bndiff (n, H) * bnvar_inv (1, H) -> bnraw (n, H).
///
/// @section ch12_derivation The derivation
/// TODO(derivation)
#pragma once

#include "11_batchnorm_scale/batchnorm_scale.hpp"

namespace ninja {

/// dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True): bnvar_inv was broadcast over the batch.
/// @param[out] dbnvar_inv (1, H)
/// @param dbnraw          (n, H)
/// @param bndiff          (n, H)
template <class T>
void bnvar_inv_backward(xt::xtensor<T, 2>& dbnvar_inv, const xt::xtensor<T, 2>& dbnraw,
                        const xt::xtensor<T, 2>& bndiff) {
    dbnvar_inv = xt::sum(bndiff * dbnraw, {0}, xt::keep_dims);  // (1, H)
}

/// Chapter 12: backprop through the normalisation to bnvar_inv.
struct BnvarInvChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {12, "bnvar_inv", "backprop through the normalisation to bnvar_inv",
                "bnraw = bndiff * bnvar_inv", "bndiff (n, H) * bnvar_inv (1, H) -> bnraw (n, H)",
                {"bnvar_inv"}, {"dbnraw", "bndiff"}};
    }
    /// The steps of chapters 01..11, then this one: fills `dbnvar_inv`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        BatchnormScaleChapter::backward(g, f, p, b);
        bnvar_inv_backward(g.dbnvar_inv, g.dbnraw, f.bndiff);
    }
};

}  // namespace ninja
