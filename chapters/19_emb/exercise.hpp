/// @file
/// @brief Chapter 19's exercise: the step of emb.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_19_emb` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in emb.hpp, beside this file: try not to look before you are done.
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
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 19 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<19> {
    /// The solutions' steps up to chapter 18, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<18>(g, f, p, b);  // the solutions of chapters 01..18
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch&) {
        exercise::emb_backward(g.demb, g.dembcat, f.emb);
    }
};

}  // namespace ninja::exercise
