/// @file
/// @brief Chapter 05: counts is used twice: both gradients add up.
///
/// @section ch05_forward The forward line
/// @code
/// counts_sum = counts.sum(1, keepdims=True); probs = counts * counts_sum_inv
/// @endcode
/// Shapes: counts (n, V) -> counts_sum (n, 1) and probs (n, V).
///
/// @section ch05_derivation The derivation
/// TODO(derivation)
#pragma once

#include "04_counts_sum/counts_sum.hpp"

namespace ninja {

/// dcounts = counts_sum_inv * dprobs + dcounts_sum: the contribution through probs (a broadcast
/// of counts_sum_inv over the columns) plus the one through counts_sum (a sum over the columns
/// becomes a broadcast of dcounts_sum over them).
/// @param[out] dcounts  (n, V)
/// @param dprobs        (n, V)
/// @param counts_sum_inv (n, 1)
/// @param dcounts_sum   (n, 1)
template <class T>
void counts_backward(xt::xtensor<T, 2>& dcounts, const xt::xtensor<T, 2>& dprobs,
                     const xt::xtensor<T, 2>& counts_sum_inv, const xt::xtensor<T, 2>& dcounts_sum) {
    dcounts = counts_sum_inv * dprobs   // (n, V) through probs
              + dcounts_sum;            // (n, 1) broadcast: through counts_sum
}

/// Chapter 05: counts is used twice: both gradients add up.
struct CountsChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {5, "counts", "counts is used twice: both gradients add up",
                "counts_sum = counts.sum(1, keepdims=True); probs = counts * counts_sum_inv", "counts (n, V) -> counts_sum (n, 1) and probs (n, V)",
                {"counts"}, {"dprobs", "counts_sum_inv", "dcounts_sum"}};
    }
    /// The steps of chapters 01..04, then this one: fills `dcounts`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        CountsSumChapter::backward(g, f, p, b);
        counts_backward(g.dcounts, g.dprobs, f.counts_sum_inv, g.dcounts_sum);
    }
};

}  // namespace ninja
