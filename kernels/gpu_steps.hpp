/// @file
/// @brief A chapter's GPU step called through its wiring (common/chapter.hpp): the model's device
/// pointer for each argument of its step; and the type of its launcher, made from the CPU step's
/// parameters, so that the launchers' declarations are not written again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "common/chapter.hpp"
#include "kernels/kernels.hpp"

namespace ninja::gpu {

/// The device pointer type of one parameter of a CPU step: `T*` for a tensor it writes,
/// `const T*` for one it reads (T: float, or std::int64_t for Xb and Yb).
template <class P>
struct DevicePointer;
template <class C, std::size_t R, xt::layout_type L, class Tag>
struct DevicePointer<xt::xtensor_container<C, R, L, Tag>&> {
    using type = typename C::value_type*;
};
template <class C, std::size_t R, xt::layout_type L, class Tag>
struct DevicePointer<const xt::xtensor_container<C, R, L, Tag>&> {
    using type = const typename C::value_type*;
};

/// The launcher's function type for a CPU step of type `F` (its float version):
/// void(const Launch&, device pointers in the order of the step's parameters).
template <class F>
struct Launcher;
template <class R, class... P>
struct Launcher<R (*)(P...)> {
    using type = void(const Launch&, typename DevicePointer<P>::type...);
};

/// The device pointer that an argument of a step stands for in `m`.
template <Source source, TensorId id>
auto device_argument(Model& m) {
    if constexpr (source == Source::grad)
        return *m.g.slot(id);
    else if constexpr (source == Source::Xb)
        return m.b.Xb;
    else if constexpr (source == Source::Yb)
        return m.b.Yb;
    else if constexpr (info(id).kind == Kind::parameter)
        return *m.p.slot(id);
    else
        return *m.f.slot(id);
}

/// call_on_gpu, for the arguments K of chapter N.
template <int N, class Fn, std::size_t... K>
void call_on_gpu_with(Fn&& launcher, Model& m, std::index_sequence<K...>) {
    launcher(m.launch, device_argument<Wiring<N>::args[K].source, Wiring<N>::args[K].id>(m)...);
}

/// Calls chapter N's GPU launcher with the model's device pointers, as the chapter's wiring says.
template <int N, class Fn>
void call_on_gpu(Fn&& launcher, Model& m) {
    call_on_gpu_with<N>(launcher, m, std::make_index_sequence<Wiring<N>::size>{});
}

/// One chapter's GPU step, as the chain runs it.
struct GpuStep {
    int chapter;            ///< N
    void (*run)(Model& m);  ///< its launcher, through its wiring
};

/// Every chapter's GPU step (kernels/CMakeLists.txt writes the file that defines them).
extern const GpuStep gpu_steps[];
/// How many there are.
extern const std::size_t gpu_step_count;

}  // namespace ninja::gpu
