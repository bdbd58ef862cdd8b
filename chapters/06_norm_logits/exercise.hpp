/// @file
/// @brief Chapter 06, the exercise: backprop through the exponential to norm_logits.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_06_norm_logits`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in norm_logits.hpp, beside this file: try not to look before you are done.
///
/// The forward line:
///     counts = norm_logits.exp()
///
/// Shapes: norm_logits (n, V) -> counts (n, V).
///
/// What to find: dnorm_logits, through the exponential.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "06_norm_logits/norm_logits.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dnorm_logits (n, V)
/// @param dcounts           (n, V)
/// @param counts            (n, V)
template <class T>
void norm_logits_backward(xt::xtensor<T, 2>& dnorm_logits, const xt::xtensor<T, 2>& dcounts,
                          const xt::xtensor<T, 2>& counts) {
    // ---- your answer below ----
    throw NotImplemented(6, "06_norm_logits");
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 06 with your step: the solutions of the chapters before it, then yours.
struct NormLogitsChapter {
    /// What the program prints about this step (the solution's).
    static ChapterInfo info() { return ninja::NormLogitsChapter::info(); }
    /// Printed by `chapter_06_norm_logits --hint`.
    static constexpr const char* hints[] = {
        "exp acts elementwise: everything is (n, V), nothing is broadcast.",
        "The derivative of exp is exp itself, and the forward pass already kept exp(norm_logits) "
        "for you."};
    /// The solutions' steps up to chapter 05, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::CountsChapter::backward(g, f, p, b);  // the solutions of chapters 01..05
        exercise::norm_logits_backward(g.dnorm_logits, g.dcounts, f.counts);
    }
};

}  // namespace ninja::exercise

namespace ninja {
/// Chapter 06's exercise, for ChapterFor (common/exercise.hpp): a declaration only.
exercise::NormLogitsChapter exercise_of(const NormLogitsChapter&);
}  // namespace ninja
