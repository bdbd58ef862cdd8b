/// @file
/// @brief Chapter 18: backprop through the first linear layer to embcat, W1 and b1.
///
/// @section ch18_forward The forward line
/// @code
/// hprebn = embcat @ W1 + b1
/// @endcode
/// Shapes: embcat (n, B*E) @ W1 (B*E, H) + b1 (H,) -> hprebn (n, H).
///
/// @section ch18_derivation The derivation
/// TODO(derivation)
#pragma once

#include "17_hprebn/hprebn.hpp"

namespace ninja {

/// dembcat = dhprebn @ W1^T, dW1 = embcat^T @ dhprebn, db1 = dhprebn.sum(0).
/// @param[out] dembcat (n, B*E)
/// @param[out] dW1     (B*E, H)
/// @param[out] db1     (H,)
/// @param dhprebn      (n, H)
/// @param embcat       (n, B*E)
/// @param W1           (B*E, H)
template <class T>
void first_linear_backward(xt::xtensor<T, 2>& dembcat, xt::xtensor<T, 2>& dW1,
                           xt::xtensor<T, 1>& db1, const xt::xtensor<T, 2>& dhprebn,
                           const xt::xtensor<T, 2>& embcat, const xt::xtensor<T, 2>& W1) {
    dembcat = xt::linalg::dot(dhprebn, xt::transpose(W1));  // (n, H) @ (H, B*E) -> (n, B*E)
    dW1 = xt::linalg::dot(xt::transpose(embcat), dhprebn);  // (B*E, n) @ (n, H) -> (B*E, H)
    db1 = xt::sum(dhprebn, {0});                            // (H,): b1 was broadcast over n rows
}

/// Chapter 18: backprop through the first linear layer to embcat, W1 and b1.
struct FirstLinearChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {18, "first_linear", "backprop through the first linear layer to embcat, W1 and b1",
                "hprebn = embcat @ W1 + b1", "embcat (n, B*E) @ W1 (B*E, H) + b1 (H,) -> hprebn (n, H)",
                {"embcat", "W1", "b1"}, {"dhprebn", "embcat", "W1"}};
    }
    /// The steps of chapters 01..17, then this one: fills `dembcat`, `dW1`, `db1`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        HprebnChapter::backward(g, f, p, b);
        first_linear_backward(g.dembcat, g.dW1, g.db1, g.dhprebn, f.embcat, p.W1);
    }
};

}  // namespace ninja
