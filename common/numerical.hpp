/// @file
/// @brief Oracle 2: gradients by central differences of the loss, for any seed and size.
#pragma once

#include <type_traits>
#include <vector>

#include "common/model.hpp"

namespace ninja {

/// The step of the central differences. In double precision the truncation error,
/// about h^2/6 * |L'''|, and the rounding error, about 1e-16 * |L| / h, are both near 1e-10
/// for this model's loss of about 3: far below the allclose tolerance the gradients are held to.
inline constexpr double default_fd_step = 1e-5;

/// Fills `grad` (shaped like `x`) with (L(x + h e_i) - L(x - h e_i)) / 2h for every element i,
/// where `loss()` recomputes the loss from the current value of `x`. `x` is restored.
template <class Tensor, class Loss>
void central_differences(Tensor& grad, Tensor& x, Loss&& loss, double h) {
    using T = typename Tensor::value_type;
    grad = xt::zeros_like(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const T saved = x.flat(i);
        x.flat(i) = saved + T(h);
        const T plus = loss();
        x.flat(i) = saved - T(h);
        const T minus = loss();
        x.flat(i) = saved;
        grad.flat(i) = (plus - minus) / T(2 * h);
    }
}

/// Fills the gradient of every tensor in `wanted` by central differences: a parameter is
/// perturbed and the whole forward pass rerun; an intermediate is perturbed and only the forward
/// pass after it rerun (the tensors before it are held fixed, which is exactly what the partial
/// derivative with respect to that intermediate means).
template <class T>
void numerical_grads(Grads<T>& g, const Params<T>& params, const Batch& batch,
                     const std::vector<TensorId>& wanted, double h = default_fd_step) {
    Params<T> p = params;
    Forward<T> f;
    forward(f, p, batch);
    for (TensorId id : wanted) {
        const bool is_parameter = info(id).kind == Kind::parameter;
        const Stage rerun_from = is_parameter ? Stage::first() : Stage::after(id);
        g.visit(id, [&](auto& grad) {
            visit_tensor(id, p, f, [&](auto& x) {
                if constexpr (std::is_same_v<std::decay_t<decltype(x)>,
                                             std::decay_t<decltype(grad)>>)
                    central_differences(
                        grad, x,
                        [&] {
                            forward(f, p, batch, rerun_from);
                            return f.loss;
                        },
                        h);
            });
        });
        forward(f, p, batch);  // undo the partial reruns
    }
}

}  // namespace ninja
