/// @file
/// @brief Chapter 07's exercise: the step of logit_maxes.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_07_logit_maxes` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
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
    /// The solutions' steps up to chapter 06, then yours.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        ninja::backward<6>(g, f, p, b);  // the solutions of chapters 01..06
        step(g, f, p, b);
    }
    /// Your step alone, on the gradients already in `g`: those of the steps before, or
    /// made-up ones (the verdict tries both).
    template <class T>
    static void step(Grads<T>& g, const Forward<T>&, const Params<T>&, const Batch&) {
        exercise::logit_maxes_backward(g.dlogit_maxes, g.dnorm_logits);
    }
};

}  // namespace ninja::exercise
