/// @file
/// @brief The state of the GPU kernel tests: a KernelCase (kernel_fixture.hpp) with every
/// tensor uploaded to the GPU, and the checks of a kernel's output against the CPU's.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernel_fixture.hpp"
#include "kernels/buffer.hpp"
#include "kernels/kernels.hpp"

namespace ninja::test {

/// One KernelCase with every tensor (forward, parameters, gradients, batch) also on the GPU.
struct GpuCase {
    KernelCase c;
    gpu::Context ctx;
    std::map<std::string, gpu::DeviceBuffer<float>> on_gpu;  // "probs", "W2", "dprobs", ...
    gpu::DeviceBuffer<std::int64_t> Xb, Yb;

    GpuCase(std::size_t n, std::size_t H, Model model) : c(n, H, 42, model) {
        c.f.for_each([&](std::string_view name, const auto& t) {
            on_gpu[std::string(name)] = gpu::to_device(t);
        });
        c.p.for_each([&](std::string_view name, const auto& t) {
            on_gpu[std::string(name)] = gpu::to_device(t);
        });
        c.g.for_each([&](std::string_view name, const auto& t) {
            on_gpu["d" + std::string(name)] = gpu::to_device(t);
        });
        Xb = gpu::to_device(c.b.Xb);
        Yb = gpu::to_device(c.b.Yb);
    }
    /// The device copy of tensor `name`.
    const float* operator[](const std::string& name) const { return on_gpu.at(name).data(); }
    /// A fresh output buffer shaped like `like`, every element NaN.
    template <class T>
    gpu::DeviceBuffer<float> output(const T& like) {
        gpu::DeviceBuffer<float> out(like.size());
        out.poison();
        return out;
    }
    /// Waits for the kernels, downloads `out` and compares it with the CPU's `want`.
    template <class T>
    void expect(const std::string& what, const gpu::DeviceBuffer<float>& out, const T& want,
                double rtol = 1e-5, double atol = 1e-7) {
        ctx.sync();
        T got = want;
        gpu::to_host(out, got);
        check_close(what + " (" + c.label() + ")", got, want, rtol, atol);
    }
    int n() const { return c.n(); }
    int H() const { return c.H(); }
    int V() const { return c.V(); }
    cudaStream_t s() const { return ctx.stream(); }
};

/// The cases of every size of `model`, built once.
inline std::vector<std::unique_ptr<GpuCase>>& cases(Model model = Model::batchnorm) {
    static std::map<Model, std::vector<std::unique_ptr<GpuCase>>> all;
    std::vector<std::unique_ptr<GpuCase>>& of_model = all[model];
    if (of_model.empty())
        for (const auto& size : ninja::test::kernel_sizes)
            of_model.push_back(std::make_unique<GpuCase>(size.n, size.H, model));
    return of_model;
}

}  // namespace ninja::test
