/// @file
/// @brief Chapter 02's exercise: the step of probs.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_02_probs`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in probs.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "02_probs/probs.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dprobs (n, V)
/// @param dlogprobs   (n, V)
/// @param probs       (n, V)
template <class T>
void probs_backward(xt::xtensor<T, 2>& dprobs, const xt::xtensor<T, 2>& dlogprobs,
                    const xt::xtensor<T, 2>& probs) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 02 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<2> {
    /// Printed by `chapter_02_probs --hint`.
    static constexpr const char* hints[] = {
        "log acts on each element alone: one element of probs affects only the element of "
        "logprobs at the same position. Nothing is broadcast and nothing is summed.",
        "Chain rule: multiply the gradient that arrives (dlogprobs) by the derivative of log, "
        "evaluated at probs."};
    /// The solutions' steps up to chapter 01, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<1>(g, f, p, b);  // the solutions of chapters 01..01
        exercise::probs_backward(g.dprobs, g.dlogprobs, f.probs);
    }
};

}  // namespace ninja::exercise
