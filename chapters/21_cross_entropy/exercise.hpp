/// @file
/// @brief Chapter 21's exercise: the step of cross_entropy.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_21_cross_entropy` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in cross_entropy.hpp, beside this file: try not to look before you are done.
///
/// The forward line, which replaces the eight lines of chapters 01 to 08:
///     loss = F.cross_entropy(logits, Yb)
///
/// Shapes: logits (n, V) -> loss ().
///
/// What to find: dlogits directly from logits and the targets, without the intermediates of
/// chapters 01 to 08. Derive it on paper first: the loss of one row, as a function of the V
/// logits of that row, and its derivative with respect to each of them.
///
/// The step works on raw row-major buffers: element (i, j) of an (n, V) tensor is at
/// `[i * V + j]`. The xtensor face below calls your step; `T` is `float` or `double`.
#pragma once

#include "21_cross_entropy/cross_entropy.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: writes dlogits and returns the loss (the loss is not graded, dlogits is).
/// @param[out] dlogits (n, V) may not alias `logits`
/// @param logits       (n, V)
/// @param Yb           (n,) the target of each row, in [0, V)
/// @param n            rows
/// @param V            columns (the vocabulary)
/// @return the mean loss over the n rows
template <class T>
T cross_entropy_backward(T* dlogits, const T* logits, const std::int64_t* Yb, std::size_t n,
                         std::size_t V) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// The xtensor face of your step (given): sizes dlogits and calls it.
/// @param[out] dlogits (n, V) resized to the shape of `logits`
/// @param logits       (n, V)
/// @param Yb           (n,)
/// @return the loss your step returns
template <class T>
T cross_entropy_backward(xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& logits,
                         const xt::xtensor<std::int64_t, 1>& Yb) {
    dlogits.resize(logits.shape());  // (n, V)
    return exercise::cross_entropy_backward(dlogits.data(), logits.data(), Yb.data(),
                                            logits.shape(0), logits.shape(1));
}

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
