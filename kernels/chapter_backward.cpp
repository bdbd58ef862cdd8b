/// @file
/// @brief The GPU entry points of a CUDA build (common/device.hpp): is a GPU usable, and a
/// chapter's backward on the GPU, with xtensor tensors going to and from device buffers.
#include "common/device.hpp"

#include <string>
#include <type_traits>
#include <vector>

#include "common/error.hpp"
#include "kernels/buffer.hpp"
#include "kernels/kernels.hpp"

namespace ninja {

bool cuda_device_available(std::string& why) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        why = std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status);
        cudaGetLastError();  // reset the runtime's last error, so later calls start clean
        return false;
    }
    if (count == 0) {
        why = "no CUDA device found";
        return false;
    }
    why.clear();
    return true;
}

void require_cuda_device() {
    std::string why;
    if (!cuda_device_available(why))
        throw InputError("--device cuda: no usable CUDA GPU (" + why + ")");
}

bool gpu_has_chapter(int chapter) { return gpu::has_chapter(chapter); }

namespace {

/// Uploads `p`, `f`, `b` and `g` (an empty gradient as a buffer poisoned with NaN, shaped like its
/// tensor), runs `run` on the device model, and downloads every gradient into `g`.
template <class Run>
void on_gpu(Grads<float>& g, const Forward<float>& f, const Params<float>& p, const Batch& b,
            Run&& run) {
    require_cuda_device();
    gpu::Context ctx;
    gpu::Model m;
    m.launch = {{int(f.emb.shape(0)), int(f.emb.shape(1)), int(f.emb.shape(2)), int(p.W1.shape(1)),
                 int(p.C.shape(0))},
                ctx.stream(),
                ctx.blas()};
    std::vector<gpu::DeviceBuffer<float>>
        buffers;  // everything uploaded or allocated, freed at return
    const auto upload = [&](const auto& t) {
        buffers.push_back(gpu::to_device(t));
        return buffers.back().data();
    };
    for (const TensorInfo& t : tensor_table) {
        if (t.kind == Kind::parameter)
            p.visit(t.id, [&](const auto& x) { *m.p.slot(t.id) = upload(x); });
        else if (t.id != TensorId::embcat)  // embcat is emb's memory, as emb.view(n, -1)
            f.visit(t.id, [&](const auto& x) { *m.f.slot(t.id) = upload(x); });
    }
    m.f.embcat = m.f.emb;
    const gpu::DeviceBuffer<std::int64_t> Xb = gpu::to_device(b.Xb), Yb = gpu::to_device(b.Yb);
    m.b = {Xb.data(), Yb.data()};

    std::vector<std::size_t> grad_buffer(tensor_count);  // index in `buffers`, by tensor
    for (const TensorInfo& t : tensor_table)
        g.visit(t.id, [&](auto& dt) {
            if (dt.size() == 0) {  // not given: NaN-poisoned, shaped like its tensor
                visit_tensor(t.id, p, f, [&](const auto& x) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(x)>,
                                                 std::decay_t<decltype(dt)>>)
                        dt.resize(x.shape());
                });
                buffers.emplace_back(dt.size());
                buffers.back().poison();
            } else {
                buffers.push_back(gpu::to_device(dt));
            }
            *m.g.slot(t.id) = buffers.back().data();
            grad_buffer[std::size_t(t.id)] = buffers.size() - 1;
        });

    run(m);
    ctx.sync();
    for (const TensorInfo& t : tensor_table)
        g.visit(t.id, [&](auto& dt) { gpu::to_host(buffers[grad_buffer[std::size_t(t.id)]], dt); });
}

}  // namespace

void gpu_chapter_backward(int chapter, Grads<float>& g, const Forward<float>& f,
                          const Params<float>& p, const Batch& b) {
    if (!gpu::has_chapter(chapter))
        throw InputError("--device cuda: chapter " + std::to_string(chapter) +
                         " has no GPU kernel for every step of its backward pass");
    g = Grads<float>();  // every gradient poisoned: one the chain does not write comes back NaN
    on_gpu(g, f, p, b, [&](gpu::Model& m) { gpu::backward(chapter, m); });
}

void gpu_chapter_step(int chapter, Grads<float>& g, const Forward<float>& f, const Params<float>& p,
                      const Batch& b) {
    on_gpu(g, f, p, b, [&](gpu::Model& m) { gpu::step(chapter, m); });
}

}  // namespace ninja
