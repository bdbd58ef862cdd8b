/// @file
/// @brief Chapter 03: backprop through the normalisation to counts_sum_inv.
///
/// @section ch03_forward The forward line
/// @code
/// probs = counts * counts_sum_inv
/// @endcode
/// Shapes: counts (n, V) * counts_sum_inv (n, 1) -> probs (n, V).
///
/// @section ch03_derivation The derivation
/// TODO(derivation)
#pragma once

#include "02_probs/probs.hpp"

namespace ninja {

/// dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True): the broadcast over the V columns
/// of each row becomes a sum over them.
/// @param[out] dcounts_sum_inv (n, 1)
/// @param dprobs               (n, V)
/// @param counts               (n, V)
template <class T>
void counts_sum_inv_backward(xt::xtensor<T, 2>& dcounts_sum_inv, const xt::xtensor<T, 2>& dprobs,
                             const xt::xtensor<T, 2>& counts) {
    dcounts_sum_inv = xt::sum(counts * dprobs, {1}, xt::keep_dims);  // (n, 1)
}

/// Chapter 03: backprop through the normalisation to counts_sum_inv.
struct CountsSumInvChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {3, "counts_sum_inv", "backprop through the normalisation to counts_sum_inv",
                "probs = counts * counts_sum_inv", "counts (n, V) * counts_sum_inv (n, 1) -> probs (n, V)",
                {"counts_sum_inv"}, {"dprobs", "counts"}};
    }
    /// The steps of chapters 01..02, then this one: fills `dcounts_sum_inv`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ProbsChapter::backward(g, f, p, b);
        counts_sum_inv_backward(g.dcounts_sum_inv, g.dprobs, f.counts);
    }
};

}  // namespace ninja
