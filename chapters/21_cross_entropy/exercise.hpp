/// @file
/// @brief Chapter 21's exercise: the step of cross_entropy.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_21_cross_entropy` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in cross_entropy.hpp, beside this file: try not to look before you are done.
///
/// The step takes the logits and the targets and writes dlogits, without the intermediates of
/// chapters 01-08. `softmax(logits)` (row by row) is given, in cross_entropy.hpp. `T` is `float`
/// or `double`.
#pragma once

#include "21_cross_entropy/cross_entropy.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient marked [out].
/// @param[out] dlogits (n, V)
/// @param logits       (n, V)
/// @param Yb           (n,) the target of each row
template <class T>
void cross_entropy_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                            const xt::xtensor<std::int64_t, 1>& Yb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 21 with your step: the fused step alone, as in the solution.
template <>
struct Chapter<21> {
    /// Your fused step: fills `g.dlogits`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        step(g, f, p, b);
    }
    /// Your step alone: it reads no gradient, only the logits and the targets.
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch& b) {
        exercise::cross_entropy_backward(g.dlogits, f.logits, b.Yb);
    }
};

}  // namespace ninja::exercise
