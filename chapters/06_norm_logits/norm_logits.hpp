/// @file
/// @brief Chapter 06: backprop through the exponential to norm_logits.
///
/// @section ch06_forward The forward line
/// @code
/// counts = norm_logits.exp()
/// @endcode
/// Shapes: norm_logits (n, V) -> counts (n, V).
///
/// @section ch06_derivation The derivation
/// TODO(derivation)
#pragma once

#include "05_counts/counts.hpp"

namespace ninja {

/// dnorm_logits = counts * dcounts: the exponential is its own derivative, and its value was
/// kept by the forward pass.
/// @param[out] dnorm_logits (n, V)
/// @param dcounts           (n, V)
/// @param counts            (n, V)
template <class T>
void norm_logits_backward(xt::xtensor<T, 2>& dnorm_logits, const xt::xtensor<T, 2>& dcounts,
                          const xt::xtensor<T, 2>& counts) {
    dnorm_logits = counts * dcounts;  // (n, V)
}

/// Chapter 06: backprop through the exponential to norm_logits.
struct NormLogitsChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {6, "norm_logits", "backprop through the exponential to norm_logits",
                "counts = norm_logits.exp()", "norm_logits (n, V) -> counts (n, V)",
                {"norm_logits"}, {"dcounts", "counts"}};
    }
    /// The steps of chapters 01..05, then this one: fills `dnorm_logits`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        CountsChapter::backward(g, f, p, b);
        norm_logits_backward(g.dnorm_logits, g.dcounts, f.counts);
    }
};

}  // namespace ninja
