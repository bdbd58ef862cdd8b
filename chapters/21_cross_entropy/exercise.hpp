/// @file
/// @brief Chapter 21's exercise: the step of cross_entropy.hpp, for you to write.
///
/// Write this chapter's backward step yourself, in the marked place below, then build with the
/// `exercises` preset and run `chapter_21_cross_entropy`: it compares your gradient with
/// PyTorch's and says `correct`, `wrong` (and where), or `not started`. `--hint` gives hints.
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
    /// Printed by `chapter_21_cross_entropy --hint`.
    static constexpr const char* hints[] = {
        "The loss of row i reads every logit of the row through the softmax's denominator, and "
        "the target's logit once more, directly: two contributions to add for the target's "
        "column, one for the others.",
        "Start from softmax(logits); the target's column of each row gets one more term, and the "
        "mean over the n rows scales every entry by 1/n."};
    /// Your fused step: fills `g.dlogits`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>&, const Batch& b) {
        exercise::cross_entropy_backward(g.dlogits, f.logits, b.Yb);
    }
};

}  // namespace ninja::exercise
