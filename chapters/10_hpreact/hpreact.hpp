/// @file
/// @brief Chapter 10: backprop through tanh to hpreact.
///
/// @section ch10_forward The forward line
/// @code
/// h = torch.tanh(hpreact)
/// @endcode
/// Shapes: hpreact (n, H) -> h (n, H).
///
/// @section ch10_derivation The derivation
/// TODO(derivation)
#pragma once

#include "09_second_linear/second_linear.hpp"

namespace ninja {

/// dhpreact = (1 - h^2) * dh: tanh' = 1 - tanh^2, written with the output h the forward pass kept.
/// @param[out] dhpreact (n, H)
/// @param dh            (n, H)
/// @param h             (n, H)
template <class T>
void hpreact_backward(xt::xtensor<T, 2>& dhpreact, const xt::xtensor<T, 2>& dh,
                      const xt::xtensor<T, 2>& h) {
    dhpreact = (T(1) - h * h) * dh;  // (n, H)
}

/// Chapter 10: backprop through tanh to hpreact.
struct HpreactChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {10, "hpreact", "backprop through tanh to hpreact",
                "h = torch.tanh(hpreact)", "hpreact (n, H) -> h (n, H)",
                {"hpreact"}, {"dh", "h"}};
    }
    /// The steps of chapters 01..09, then this one: fills `dhpreact`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        SecondLinearChapter::backward(g, f, p, b);
        hpreact_backward(g.dhpreact, g.dh, f.h);
    }
};

}  // namespace ninja
