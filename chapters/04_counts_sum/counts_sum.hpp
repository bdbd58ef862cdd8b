/// @file
/// @brief Chapter 04: backprop through the reciprocal to counts_sum.
///
/// @section ch04_forward The forward line
/// @code
/// counts_sum_inv = counts_sum**-1
/// @endcode
/// Shapes: counts_sum (n, 1) -> counts_sum_inv (n, 1).
///
/// @section ch04_derivation The derivation
/// TODO(derivation)
#pragma once

#include "03_counts_sum_inv/counts_sum_inv.hpp"

namespace ninja {

/// dcounts_sum = -counts_sum^-2 * dcounts_sum_inv, elementwise.
/// @param[out] dcounts_sum (n, 1)
/// @param dcounts_sum_inv  (n, 1)
/// @param counts_sum       (n, 1)
template <class T>
void counts_sum_backward(xt::xtensor<T, 2>& dcounts_sum, const xt::xtensor<T, 2>& dcounts_sum_inv,
                         const xt::xtensor<T, 2>& counts_sum) {
    dcounts_sum = -dcounts_sum_inv / (counts_sum * counts_sum);  // (n, 1)
}

/// Chapter 04: backprop through the reciprocal to counts_sum.
struct CountsSumChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {4, "counts_sum", "backprop through the reciprocal to counts_sum",
                "counts_sum_inv = counts_sum**-1", "counts_sum (n, 1) -> counts_sum_inv (n, 1)",
                {"counts_sum"}, {"dcounts_sum_inv", "counts_sum"}};
    }
    /// The steps of chapters 01..03, then this one: fills `dcounts_sum`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        CountsSumInvChapter::backward(g, f, p, b);
        counts_sum_backward(g.dcounts_sum, g.dcounts_sum_inv, f.counts_sum);
    }
};

}  // namespace ninja
