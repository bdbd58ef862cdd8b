/// @file
/// @brief Chapter 14: backprop through the unbiased variance's sum to bndiff2.
///
/// @section ch14_forward The forward line
/// @code
/// bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)
/// @endcode
/// Shapes: bndiff2 (n, H) -> bnvar (1, H).
///
/// @section ch14_derivation The derivation
/// TODO(derivation)
#pragma once

#include "13_bnvar/bnvar.hpp"

namespace ninja {

/// dbndiff2 = 1/(n-1) * dbnvar, broadcast back over the n rows the sum ran over.
/// @param[out] dbndiff2 (n, H)
/// @param dbnvar        (1, H)
/// @param bndiff2       (n, H) only its shape is used
template <class T>
void bndiff2_backward(xt::xtensor<T, 2>& dbndiff2, const xt::xtensor<T, 2>& dbnvar,
                      const xt::xtensor<T, 2>& bndiff2) {
    const std::size_t n = bndiff2.shape(0);
    dbndiff2 = xt::ones_like(bndiff2) * (T(1.0 / double(n - 1)) * dbnvar);  // (n, H)
}

/// Chapter 14: backprop through the unbiased variance's sum to bndiff2.
struct Bndiff2Chapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {14, "bndiff2", "backprop through the unbiased variance's sum to bndiff2",
                "bnvar = 1/(n-1) * bndiff2.sum(0, keepdim=True)", "bndiff2 (n, H) -> bnvar (1, H)",
                {"bndiff2"}, {"dbnvar", "bndiff2"}};
    }
    /// The steps of chapters 01..13, then this one: fills `dbndiff2`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        BnvarChapter::backward(g, f, p, b);
        bndiff2_backward(g.dbndiff2, g.dbnvar, f.bndiff2);
    }
};

}  // namespace ninja
