/// @file
/// @brief Chapter 20's exercise: the step of embedding_table.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_20_embedding_table`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
/// The solution is in embedding_table.hpp, beside this file: try not to look before you are done.
///
/// The gradients that arrive from the chapters before are given; `T` is `float` or `double`.
#pragma once

#include "20_embedding_table/embedding_table.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dC (V, E)
/// @param demb    (n, B, E)
/// @param C       (V, E) only its shape is used
/// @param Xb      (n, B) which row of C each embedding came from
template <class T>
void embedding_table_backward(xt::xtensor<T, 2>& dC, const xt::xtensor<T, 3>& demb,
                              const xt::xtensor<T, 2>& C, const xt::xtensor<std::int64_t, 2>& Xb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 20 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<20> {
    /// Printed by `chapter_20_embedding_table --hint`.
    static constexpr const char* hints[] = {
        "emb[k, j] is a copy of row Xb(k, j) of C: each of the n*B embeddings sends its gradient, "
        "an E-vector, back to one row of C.",
        "A character used several times in the batch collects the sum of all its gradients; a "
        "character never used gets zero. Start from zeros of C's shape (V, E) and add, looping "
        "over Xb."};
    /// The solutions' steps up to chapter 19, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<19>(g, f, p, b);  // the solutions of chapters 01..19
        exercise::embedding_table_backward(g.dC, g.demb, p.C, b.Xb);
    }
};

}  // namespace ninja::exercise
