/// @file
/// @brief Chapter 09: backprop through the second linear layer to h, W2 and b2.
///
/// @section ch09_forward The forward line
/// @code
/// logits = h @ W2 + b2
/// @endcode
/// Shapes: h (n, H) @ W2 (H, V) + b2 (V,) -> logits (n, V).
///
/// @section ch09_derivation The derivation
/// TODO(derivation)
#pragma once

#include "08_logits/logits.hpp"

namespace ninja {

/// dh = dlogits @ W2^T, dW2 = h^T @ dlogits, db2 = dlogits.sum(0).
/// @param[out] dh  (n, H)
/// @param[out] dW2 (H, V)
/// @param[out] db2 (V,)
/// @param dlogits  (n, V)
/// @param h        (n, H)
/// @param W2       (H, V)
template <class T>
void second_linear_backward(xt::xtensor<T, 2>& dh, xt::xtensor<T, 2>& dW2, xt::xtensor<T, 1>& db2,
                            const xt::xtensor<T, 2>& dlogits, const xt::xtensor<T, 2>& h,
                            const xt::xtensor<T, 2>& W2) {
    dh = xt::linalg::dot(dlogits, xt::transpose(W2));  // (n, V) @ (V, H) -> (n, H)
    dW2 = xt::linalg::dot(xt::transpose(h), dlogits);  // (H, n) @ (n, V) -> (H, V)
    db2 = xt::sum(dlogits, {0});                       // (V,): b2 was broadcast over n rows
}

/// Chapter 09: backprop through the second linear layer to h, W2 and b2.
struct SecondLinearChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {9, "second_linear", "backprop through the second linear layer to h, W2 and b2",
                "logits = h @ W2 + b2", "h (n, H) @ W2 (H, V) + b2 (V,) -> logits (n, V)",
                {"h", "W2", "b2"}, {"dlogits", "h", "W2"}};
    }
    /// The steps of chapters 01..08, then this one: fills `dh`, `dW2`, `db2`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        LogitsChapter::backward(g, f, p, b);
        second_linear_backward(g.dh, g.dW2, g.db2, g.dlogits, f.h, p.W2);
    }
};

}  // namespace ninja
