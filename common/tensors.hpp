/// @file
/// @brief The model's tensors as xtensor tensors: Params, Forward and Grads, generated from the
/// table of common/tensor_table.hpp (the shapes and the dimension letters are there).
#pragma once

#include <ostream>
#include <type_traits>

#include <xtensor/xtensor.hpp>

#include "common/tensor_table.hpp"

namespace ninja {

/// The seven parameter tensors of the model (shapes in the table).
template <class T>
struct Params {
#define NINJA_MEMBER(kind, name, rank, ...) NINJA_IF_##kind(xt::xtensor<T, rank> name;)
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER

    /// Calls `fn(tensor)` for parameter `id` (nothing for an intermediate).
    template <class F>
    void visit(TensorId id, F&& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_##kind(case TensorId::name : fn(name); break;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                break;
        }
    }
    /// The const version of visit().
    template <class F>
    void visit(TensorId id, F&& fn) const {
        const_cast<Params&>(*this).visit(id, [&](const auto& t) { fn(t); });
    }
    /// Calls `fn(name, tensor)` for each parameter, in the lecture's order.
    template <class F>
    void for_each(F&& fn) {
        for (TensorId id : parameter_order) visit(id, [&](auto& t) { fn(info(id).name, t); });
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        for (TensorId id : parameter_order) visit(id, [&](const auto& t) { fn(info(id).name, t); });
    }
    /// The number of scalars in all seven tensors (4,137 for the lecture's sizes).
    std::size_t count() const {
        std::size_t total = 0;
        for_each([&](std::string_view, const auto& t) { total += t.size(); });
        return total;
    }
};

/// Every named intermediate of the lecture's forward pass (shapes and expressions in the table).
/// Sums keep their reduced axis (`keepdim=True`), so they stay 2-D as in PyTorch.
template <class T>
struct Forward {
#define NINJA_MEMBER(kind, name, rank, ...) NINJA_IF_NOT_##kind(xt::xtensor<T, rank> name;)
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER
    T loss{};  ///< ()  -logprobs[range(n), Yb].mean()

    /// Calls `fn(tensor)` for intermediate `id` (nothing for a parameter).
    template <class F>
    void visit(TensorId id, F&& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_NOT_##kind(case TensorId::name : fn(name); break;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                break;
        }
    }
    /// The const version of visit().
    template <class F>
    void visit(TensorId id, F&& fn) const {
        const_cast<Forward&>(*this).visit(id, [&](const auto& t) { fn(t); });
    }
    /// Calls `fn(name, tensor)` for each intermediate, in forward order (not the loss).
    template <class F>
    void for_each(F&& fn) {
        for (TensorId id : forward_order) visit(id, [&](auto& t) { fn(info(id).name, t); });
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        for (TensorId id : forward_order) visit(id, [&](const auto& t) { fn(info(id).name, t); });
    }
};

/// A gradient for every tensor: `dX` holds the derivative of the loss with respect to tensor `X`
/// and has exactly its shape.
template <class T>
struct Grads {
#define NINJA_MEMBER(kind, name, rank, ...) xt::xtensor<T, rank> d##name;
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER

    /// Calls `fn(gradient)` for the gradient of tensor `id` (`dprobs` for `TensorId::probs`).
    template <class F>
    void visit(TensorId id, F&& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) \
    case TensorId::name:            \
        fn(d##name);                \
        break;
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
        }
    }
    /// The const version of visit().
    template <class F>
    void visit(TensorId id, F&& fn) const {
        const_cast<Grads&>(*this).visit(id, [&](const auto& t) { fn(t); });
    }
    /// Calls `fn(name, gradient)` for each gradient in the notebook's order; `name` is the
    /// tensor's (`"probs"` for `dprobs`).
    template <class F>
    void for_each(F&& fn) {
        for (const TensorInfo& t : tensor_table) visit(t.id, [&](auto& d) { fn(t.name, d); });
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        for (const TensorInfo& t : tensor_table) visit(t.id, [&](const auto& d) { fn(t.name, d); });
    }
};

/// Prints the tensor's name.
inline std::ostream& operator<<(std::ostream& out, TensorId id) { return out << info(id).name; }

/// Calls `fn(tensor)` for tensor `id`, a parameter or an intermediate.
template <class P, class F, class Fn>
void visit_tensor(TensorId id, P& params, F& forward, Fn&& fn) {
    if (info(id).kind == Kind::parameter)
        params.visit(id, fn);
    else
        forward.visit(id, fn);
}

/// Calls `fn(a_t, b_t)` with the gradients `a_t` of tensor `id` in `a` and `b_t` in `b`.
template <class GA, class GB, class Fn>
void visit_pair(TensorId id, GA& a, GB& b, Fn&& fn) {
    a.visit(id, [&](auto& x) {
        b.visit(id, [&](auto& y) {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::decay_t<decltype(y)>>)
                fn(x, y);
        });
    });
}

}  // namespace ninja
