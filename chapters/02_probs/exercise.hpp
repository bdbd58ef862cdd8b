/// @file
/// @brief Chapter 02, the exercise: backprop through the logarithm to probs.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_02_probs`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in probs.hpp, beside this file: try not to look before you are done.
///
/// The forward line:
///     logprobs = probs.log()
///
/// Shapes: probs (n, V) -> logprobs (n, V).
///
/// What to find: dprobs, from the gradient that arrives from chapter 01 (dlogprobs) and the local
/// derivative of the logarithm.
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
    throw NotImplemented(2, "02_probs");
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 02 with your step: the solutions of the chapters before it, then yours.
struct ProbsChapter {
    /// What the program prints about this step (the solution's).
    static ChapterInfo info() { return ninja::ProbsChapter::info(); }
    /// Printed by `chapter_02_probs --hint`.
    static constexpr const char* hints[] = {
        "log acts on each element alone: one element of probs affects only the element of "
        "logprobs at the same position. Nothing is broadcast and nothing is summed.",
        "Chain rule: multiply the gradient that arrives (dlogprobs) by the derivative of log, "
        "evaluated at probs."};
    /// The solutions' steps up to chapter 01, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::LogprobsChapter::backward(g, f, p, b);  // the solutions of chapters 01..01
        exercise::probs_backward(g.dprobs, g.dlogprobs, f.probs);
    }
};

}  // namespace ninja::exercise

namespace ninja {
/// Chapter 02's exercise, for ChapterFor (common/exercise.hpp): a declaration only.
exercise::ProbsChapter exercise_of(const ProbsChapter&);
}  // namespace ninja
