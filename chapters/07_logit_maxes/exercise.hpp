/// @file
/// @brief Chapter 07's exercise: the step of logit_maxes.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_07_logit_maxes`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in logit_maxes.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "07_logit_maxes/logit_maxes.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dlogit_maxes (n, 1)
/// @param dnorm_logits      (n, V)
template <class T>
void logit_maxes_backward(xt::xtensor<T, 2>& dlogit_maxes, const xt::xtensor<T, 2>& dnorm_logits) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 07 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<7> {
    /// Printed by `chapter_07_logit_maxes --hint`.
    static constexpr const char* hints[] = {
        "logit_maxes is (n, 1) and was broadcast over the V columns of its row: its gradient sums "
        "over that axis, keeping the (n, 1) shape.",
        "Mind the sign: logit_maxes is subtracted."};
    /// The solutions' steps up to chapter 06, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<6>(g, f, p, b);  // the solutions of chapters 01..06
        exercise::logit_maxes_backward(g.dlogit_maxes, g.dnorm_logits);
    }
};

}  // namespace ninja::exercise
