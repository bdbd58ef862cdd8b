/// @file
/// @brief Chapter 13: backprop through the inverse square root to bnvar.
///
/// @section ch13_forward The forward line
/// @code
/// bnvar_inv = (bnvar + 1e-5)**-0.5
/// @endcode
/// Shapes: bnvar (1, H) -> bnvar_inv (1, H).
///
/// @section ch13_derivation The derivation
/// TODO(derivation)
#pragma once

#include "12_bnvar_inv/bnvar_inv.hpp"

namespace ninja {

/// dbnvar = -0.5 * (bnvar + eps)^-1.5 * dbnvar_inv, elementwise.
/// @param[out] dbnvar (1, H)
/// @param dbnvar_inv  (1, H)
/// @param bnvar       (1, H)
template <class T>
void bnvar_backward(xt::xtensor<T, 2>& dbnvar, const xt::xtensor<T, 2>& dbnvar_inv,
                    const xt::xtensor<T, 2>& bnvar) {
    dbnvar = T(-0.5) * xt::pow(bnvar + T(bn_eps), T(-1.5)) * dbnvar_inv;  // (1, H)
}

/// Chapter 13: backprop through the inverse square root to bnvar.
struct BnvarChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {13, "bnvar", "backprop through the inverse square root to bnvar",
                "bnvar_inv = (bnvar + 1e-5)**-0.5", "bnvar (1, H) -> bnvar_inv (1, H)",
                {"bnvar"}, {"dbnvar_inv", "bnvar"}};
    }
    /// The steps of chapters 01..12, then this one: fills `dbnvar`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        BnvarInvChapter::backward(g, f, p, b);
        bnvar_backward(g.dbnvar, g.dbnvar_inv, f.bnvar);
    }
};

}  // namespace ninja
