/// @file
/// @brief Chapter 20's exercise: the step of embedding_table.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_20_embedding_table` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
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
    /// The solutions' steps up to chapter 19, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<19>(g, f, p, b);  // the solutions of chapters 01..19
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>&, const Params<T>& p, const Batch& b) {
        exercise::embedding_table_backward(g.dC, g.demb, p.C, b.Xb);
    }
};

}  // namespace ninja::exercise
