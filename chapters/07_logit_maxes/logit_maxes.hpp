/// @file
/// @brief Chapter 07: backprop through the max subtraction to logit_maxes.
///
/// @section ch07_forward The forward line
/// @code
/// norm_logits = logits - logit_maxes
/// @endcode
/// Shapes: logits (n, V) - logit_maxes (n, 1) -> norm_logits (n, V).
///
/// @section ch07_derivation The derivation
/// TODO(derivation)
#pragma once

#include "06_norm_logits/norm_logits.hpp"

namespace ninja {

/// dlogit_maxes = -dnorm_logits.sum(1, keepdim=True): logit_maxes was broadcast over the
/// columns, so its gradient sums over them.
/// @param[out] dlogit_maxes (n, 1)
/// @param dnorm_logits      (n, V)
template <class T>
void logit_maxes_backward(xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& dnorm_logits) {
    dlogit_maxes = -xt::sum(dnorm_logits, {1}, xt::keep_dims);  // (n, 1)
}

/// Chapter 07: backprop through the max subtraction to logit_maxes.
struct LogitMaxesChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {7, "logit_maxes", "backprop through the max subtraction to logit_maxes",
                "norm_logits = logits - logit_maxes", "logits (n, V) - logit_maxes (n, 1) -> norm_logits (n, V)",
                {"logit_maxes"}, {"dnorm_logits"}};
    }
    /// The steps of chapters 01..06, then this one: fills `dlogit_maxes`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        NormLogitsChapter::backward(g, f, p, b);
        logit_maxes_backward(g.dlogit_maxes, g.dnorm_logits);
    }
};

}  // namespace ninja
