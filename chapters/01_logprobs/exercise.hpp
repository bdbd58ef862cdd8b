/// @file
/// @brief Chapter 01's exercise: the step of logprobs.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below. `tools/exercises.py`
/// grades it each time you save this file (by hand: build `chapter_01_logprobs` with the
/// `exercises` preset and run it): `correct`, `wrong` (where, and what the difference looks
/// like), or `not started`. Its `hint` command gives one hint at a time, from hints.txt.
/// The solution is in logprobs.hpp, beside this file: try not to look before you are done.
///
/// The forward line:
///     loss = -logprobs[range(n), Yb].mean()
///
/// Shapes: logprobs (n, V) -> loss ().
///
/// What to find: the gradient of the loss with respect to every element of logprobs, also of those
/// the loss never reads.
///
/// This is the first step back from the loss; `T` is `float` or `double`.
#pragma once

#include "01_logprobs/logprobs.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your step: fills the gradient(s) marked [out] from the others.
/// @param[out] dlogprobs (n, V)
/// @param logprobs       (n, V) only its shape is used
/// @param Yb             (n,) target of each row
template <class T>
void logprobs_backward(xt::xtensor<T, 2>& dlogprobs, const xt::xtensor<T, 2>& logprobs,
                       const xt::xtensor<std::int64_t, 1>& Yb) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

/// Chapter 01 with your step: the solutions of the chapters before it, then yours.
template <>
struct Chapter<1> {
    /// Your step: the first one back from the loss.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        step(g, f, p, b);
    }
    /// Your step alone: it reads no gradient, only the forward pass and the targets.
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch& batch) {
        exercise::logprobs_backward(g.dlogprobs, f.logprobs, batch.Yb);
    }
};

}  // namespace ninja::exercise
