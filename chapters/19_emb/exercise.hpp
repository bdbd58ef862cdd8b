/// @file
/// @brief Chapter 19, the exercise: backprop through the concatenation (a view) to emb.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_19_emb`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in emb.hpp, beside this file: try not to look before you are done.
///
/// The forward line:
///     embcat = emb.view(emb.shape[0], -1)
///
/// Shapes: emb (n, B, E) -> embcat (n, B*E).
///
/// What to find: demb, through the view that flattened the B embeddings of each example into one
/// row.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "19_emb/emb.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] demb (n, B, E)
/// @param dembcat   (n, B*E)
/// @param emb       (n, B, E) only its shape is used
template <class T>
void emb_backward(xt::xtensor<T, 3>& demb, const xt::xtensor<T, 2>& dembcat,
                  const xt::xtensor<T, 3>& emb) {
    // ---- your answer below ----
    throw NotImplemented(19, "19_emb");
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 19 with your step: the solutions of the chapters before it, then yours.
struct EmbChapter {
    /// What the program prints about this step (the solution's).
    static ChapterInfo info() { return ninja::EmbChapter::info(); }
    /// Printed by `chapter_19_emb --hint`.
    static constexpr const char* hints[] = {
        "A view only reinterprets the same n*B*E numbers with another shape: nothing is computed, "
        "so nothing is multiplied.",
        "Give dembcat's numbers the shape of emb (xt::reshape_view, or copy them into a tensor of "
        "that shape)."};
    /// The solutions' steps up to chapter 18, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::FirstLinearChapter::backward(g, f, p, b);  // the solutions of chapters 01..18
        exercise::emb_backward(g.demb, g.dembcat, f.emb);
    }
};

}  // namespace ninja::exercise

namespace ninja {
/// Chapter 19's exercise, for ChapterFor (common/exercise.hpp): a declaration only.
exercise::EmbChapter exercise_of(const EmbChapter&);
}  // namespace ninja
