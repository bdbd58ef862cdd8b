/// @file
/// @brief Chapter 19: backprop through the concatenation (a view) to emb.
///
/// @section ch19_forward The forward line
/// @code
/// embcat = emb.view(emb.shape[0], -1)
/// @endcode
/// Shapes: emb (n, B, E) -> embcat (n, B*E).
///
/// @section ch19_derivation The derivation
/// TODO(derivation)
#pragma once

#include "18_first_linear/first_linear.hpp"

namespace ninja {

/// demb = dembcat.view(emb.shape): a view moves no numbers, so its gradient is the same numbers
/// seen with the other shape.
/// @param[out] demb (n, B, E)
/// @param dembcat   (n, B*E)
/// @param emb       (n, B, E) only its shape is used
template <class T>
void emb_backward(xt::xtensor<T, 3>& demb, const xt::xtensor<T, 2>& dembcat,
                  const xt::xtensor<T, 3>& emb) {
    demb = xt::reshape_view(dembcat, emb.shape());  // (n, B, E)
}

/// Chapter 19: backprop through the concatenation (a view) to emb.
struct EmbChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {19, "emb", "backprop through the concatenation (a view) to emb",
                "embcat = emb.view(emb.shape[0], -1)", "emb (n, B, E) -> embcat (n, B*E)",
                {"emb"}, {"dembcat", "emb"}};
    }
    /// The steps of chapters 01..18, then this one: fills `demb`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        FirstLinearChapter::backward(g, f, p, b);
        emb_backward(g.demb, g.dembcat, f.emb);
    }
};

}  // namespace ninja
