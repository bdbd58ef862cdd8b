/// @file
/// @brief The model's tensors as xtensor tensors: Params, Forward and Grads, generated from the
/// table of common/tensor_table.hpp (the shapes and the dimension letters are there).
#pragma once

#include <ostream>
#include <type_traits>

#include <xtensor/xtensor.hpp>

#include "common/tensor_table.hpp"

namespace ninja {

/// False for every tensor: the static_assert of a branch that no tensor reaches.
template <TensorId>
inline constexpr bool no_such_tensor = false;

/// What Params, Forward and Grads share: `visit` a tensor by its id and `for_each` in the set's
/// order, for a const set and a mutable one, around each set's `dispatch` (its switch over the
/// table, generic in the set's constness) and its `order()`.
template <class Set>
struct TensorSet {
    /// Calls `fn(tensor)` for tensor `id` (nothing when the set has no such tensor).
    template <class F>
    void visit(TensorId id, F&& fn) {
        Set::dispatch(static_cast<Set&>(*this), id, fn);
    }
    /// The const version of visit().
    template <class F>
    void visit(TensorId id, F&& fn) const {
        Set::dispatch(static_cast<const Set&>(*this), id, fn);
    }
    /// Calls `fn(name, tensor)` for each tensor of the set, in its order.
    template <class F>
    void for_each(F&& fn) {
        for (TensorId id : Set::order()) visit(id, [&](auto& t) { fn(info(id).name, t); });
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        for (TensorId id : Set::order()) visit(id, [&](const auto& t) { fn(info(id).name, t); });
    }
};

/// The seven parameter tensors of the model (shapes in the table).
template <class T>
struct Params : TensorSet<Params<T>> {
#define NINJA_MEMBER(kind, name, rank, ...) NINJA_IF_##kind(xt::xtensor<T, rank> name;)
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER

    /// The lecture's order of the parameters.
    static constexpr const auto& order() { return parameter_order; }
    /// `p.<name>` for parameter `id`, chosen at compile time (see member()).
    template <TensorId id, class Self>
    static decltype(auto) get(Self& p) {
#define NINJA_GET(kind, name, ...) \
    NINJA_IF_##kind(if constexpr (id == TensorId::name) return (p.name); else)
        NINJA_TENSORS(NINJA_GET) static_assert(no_such_tensor<id>, "not a parameter");
#undef NINJA_GET
    }
    /// Calls `fn(p.<name>)` for parameter `id` of `p` (a Params, const or not).
    template <class Self, class F>
    static void dispatch(Self& p, TensorId id, F& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_##kind(case TensorId::name : fn(p.name); break;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                break;
        }
    }
    /// The number of scalars in all seven tensors (4,137 for the lecture's sizes).
    std::size_t count() const {
        std::size_t total = 0;
        this->for_each([&](std::string_view, const auto& t) { total += t.size(); });
        return total;
    }
};

/// Every named intermediate of the lecture's forward pass (shapes and expressions in the table).
/// Sums keep their reduced axis (`keepdim=True`), so they stay 2-D as in PyTorch.
template <class T>
struct Forward : TensorSet<Forward<T>> {
#define NINJA_MEMBER(kind, name, rank, ...) NINJA_IF_NOT_##kind(xt::xtensor<T, rank> name;)
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER
    T loss{};  ///< ()  -logprobs[range(n), Yb].mean()

    /// The order the forward pass computes the intermediates in (not the loss).
    static constexpr const auto& order() { return forward_order; }
    /// `f.<name>` for intermediate `id`, chosen at compile time (see member()).
    template <TensorId id, class Self>
    static decltype(auto) get(Self& f) {
#define NINJA_GET(kind, name, ...) \
    NINJA_IF_NOT_##kind(if constexpr (id == TensorId::name) return (f.name); else)
        NINJA_TENSORS(NINJA_GET) static_assert(no_such_tensor<id>, "not an intermediate");
#undef NINJA_GET
    }
    /// Calls `fn(f.<name>)` for intermediate `id` of `f` (a Forward, const or not).
    template <class Self, class F>
    static void dispatch(Self& f, TensorId id, F& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_NOT_##kind(case TensorId::name : fn(f.name); break;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                break;
        }
    }
};

/// A gradient for every tensor: `dX` holds the derivative of the loss with respect to tensor `X`
/// and has exactly its shape.
template <class T>
struct Grads : TensorSet<Grads<T>> {
#define NINJA_MEMBER(kind, name, rank, ...) xt::xtensor<T, rank> d##name;
    NINJA_TENSORS(NINJA_MEMBER)
#undef NINJA_MEMBER

    /// The notebook's order of the gradients: the table's; `for_each` names each by its
    /// tensor (`"probs"` for `dprobs`).
    static constexpr const auto& order() { return table_order; }
    /// `g.d<name>` for the gradient of tensor `id`, chosen at compile time (see member()).
    template <TensorId id, class Self>
    static decltype(auto) get(Self& g) {
#define NINJA_GET(kind, name, ...)      \
    if constexpr (id == TensorId::name) \
        return (g.d##name);             \
    else
        NINJA_TENSORS(NINJA_GET) static_assert(no_such_tensor<id>, "not a tensor");
#undef NINJA_GET
    }
    /// Calls `fn(g.d<name>)` for the gradient of tensor `id` in `g` (a Grads, const or not).
    template <class Self, class F>
    static void dispatch(Self& g, TensorId id, F& fn) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) \
    case TensorId::name:            \
        fn(g.d##name);              \
        break;
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
        }
    }
};

/// The member of tensor `id` in `set`, a Params, a Forward or a Grads (const or not), chosen at
/// compile time: `member<TensorId::counts>(g)` is `g.dcounts`, `member<TensorId::W2>(p)` is
/// `p.W2`.
template <TensorId id, class Set>
decltype(auto) member(Set& set) {
    return std::decay_t<Set>::template get<id>(set);
}

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
