/// @file
/// @brief Chapter 15: bndiff is used twice: through bnraw and through bndiff2.
///
/// @section ch15_forward The forward line
/// @code
/// bndiff2 = bndiff**2; bnraw = bndiff * bnvar_inv
/// @endcode
/// Shapes: bndiff (n, H) -> bndiff2 (n, H) and bnraw (n, H).
///
/// @section ch15_derivation The derivation
/// TODO(derivation)
#pragma once

#include "14_bndiff2/bndiff2.hpp"

namespace ninja {

/// dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2: the two uses' contributions add up.
/// @param[out] dbndiff (n, H)
/// @param dbnraw       (n, H)
/// @param bnvar_inv    (1, H)
/// @param dbndiff2     (n, H)
/// @param bndiff       (n, H)
template <class T>
void bndiff_backward(xt::xtensor<T, 2>& dbndiff, const xt::xtensor<T, 2>& dbnraw,
                     const xt::xtensor<T, 2>& bnvar_inv, const xt::xtensor<T, 2>& dbndiff2,
                     const xt::xtensor<T, 2>& bndiff) {
    dbndiff = bnvar_inv * dbnraw          // (n, H) through bnraw
              + T(2) * bndiff * dbndiff2; // (n, H) through bndiff2
}

/// Chapter 15: bndiff is used twice: through bnraw and through bndiff2.
struct BndiffChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {15, "bndiff", "bndiff is used twice: through bnraw and through bndiff2",
                "bndiff2 = bndiff**2; bnraw = bndiff * bnvar_inv", "bndiff (n, H) -> bndiff2 (n, H) and bnraw (n, H)",
                {"bndiff"}, {"dbnraw", "bnvar_inv", "dbndiff2", "bndiff"}};
    }
    /// The steps of chapters 01..14, then this one: fills `dbndiff`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        Bndiff2Chapter::backward(g, f, p, b);
        bndiff_backward(g.dbndiff, g.dbnraw, f.bnvar_inv, g.dbndiff2, f.bndiff);
    }
};

}  // namespace ninja
