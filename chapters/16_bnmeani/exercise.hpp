/// @file
/// @brief Chapter 16, the exercise: backprop through the mean subtraction to bnmeani.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_16_bnmeani`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in bnmeani.hpp, beside this file: try not to look before you are done.
///
/// The forward line:
///     bndiff = hprebn - bnmeani
///
/// Shapes: hprebn (n, H) - bnmeani (1, H) -> bndiff (n, H).
///
/// What to find: dbnmeani, the gradient of the (1, H) batch mean that was subtracted.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "16_bnmeani/bnmeani.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dbnmeani (1, H)
/// @param dbndiff       (n, H)
template <class T>
void bnmeani_backward(xt::xtensor<T, 2>& dbnmeani, const xt::xtensor<T, 2>& dbndiff) {
    // ---- your answer below ----
    throw NotImplemented(16, "16_bnmeani");
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 16 with your step: the solutions of the chapters before it, then yours.
struct BnmeaniChapter {
    /// What the program prints about this step (the solution's).
    static ChapterInfo info() { return ninja::BnmeaniChapter::info(); }
    /// Printed by `chapter_16_bnmeani --hint`.
    static constexpr const char* hints[] = {
        "bnmeani is (1, H) and was broadcast over the n rows of hprebn.",
        "Sum over the batch axis keeping the (1, H) shape, and mind the sign: bnmeani is "
        "subtracted."};
    /// The solutions' steps up to chapter 15, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::BndiffChapter::backward(g, f, p, b);  // the solutions of chapters 01..15
        exercise::bnmeani_backward(g.dbnmeani, g.dbndiff);
    }
};

}  // namespace ninja::exercise

namespace ninja {
/// Chapter 16's exercise, for ChapterFor (common/exercise.hpp): a declaration only.
exercise::BnmeaniChapter exercise_of(const BnmeaniChapter&);
}  // namespace ninja
