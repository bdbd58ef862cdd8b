/// @file
/// @brief The GPU entry points of a CUDA build: is a GPU usable, and a chapter's backward on
/// the GPU with xtensor tensors going to and from device buffers.
#include "common/device.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include "common/cuda/buffer.hpp"
#include "common/error.hpp"
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

namespace {

/// The device pointer of gpu::Forward that holds intermediate `name` (null for "embcat",
/// which is emb's memory, and for unknown names).
float** forward_slot(gpu::Forward& f, std::string_view name) {
    const std::pair<std::string_view, float**> slots[] = {
        {"emb", &f.emb}, {"hprebn", &f.hprebn}, {"bnmeani", &f.bnmeani}, {"bndiff", &f.bndiff},
        {"bndiff2", &f.bndiff2}, {"bnvar", &f.bnvar}, {"bnvar_inv", &f.bnvar_inv},
        {"bnraw", &f.bnraw}, {"hpreact", &f.hpreact}, {"h", &f.h}, {"logits", &f.logits},
        {"logit_maxes", &f.logit_maxes}, {"norm_logits", &f.norm_logits}, {"counts", &f.counts},
        {"counts_sum", &f.counts_sum}, {"counts_sum_inv", &f.counts_sum_inv},
        {"probs", &f.probs}, {"logprobs", &f.logprobs}};
    for (const auto& [slot_name, slot] : slots)
        if (slot_name == name) return slot;
    return nullptr;
}

/// The device pointer of gpu::Params for parameter `name`.
float** param_slot(gpu::Params& p, std::string_view name) {
    const std::pair<std::string_view, float**> slots[] = {
        {"C", &p.C}, {"W1", &p.W1}, {"b1", &p.b1}, {"W2", &p.W2}, {"b2", &p.b2},
        {"bngain", &p.bngain}, {"bnbias", &p.bnbias}};
    for (const auto& [slot_name, slot] : slots)
        if (slot_name == name) return slot;
    return nullptr;
}

/// The device pointer of gpu::Grads for the gradient of tensor `name` ("probs" -> dprobs).
float** grad_slot(gpu::Grads& g, std::string_view name) {
    const std::pair<std::string_view, float**> slots[] = {
        {"logprobs", &g.dlogprobs}, {"probs", &g.dprobs}, {"counts_sum_inv", &g.dcounts_sum_inv},
        {"counts_sum", &g.dcounts_sum}, {"counts", &g.dcounts}, {"norm_logits", &g.dnorm_logits},
        {"logit_maxes", &g.dlogit_maxes}, {"logits", &g.dlogits}, {"h", &g.dh}, {"W2", &g.dW2},
        {"b2", &g.db2}, {"hpreact", &g.dhpreact}, {"bngain", &g.dbngain}, {"bnbias", &g.dbnbias},
        {"bnraw", &g.dbnraw}, {"bnvar_inv", &g.dbnvar_inv}, {"bnvar", &g.dbnvar},
        {"bndiff2", &g.dbndiff2}, {"bndiff", &g.dbndiff}, {"bnmeani", &g.dbnmeani},
        {"hprebn", &g.dhprebn}, {"embcat", &g.dembcat}, {"W1", &g.dW1}, {"b1", &g.db1},
        {"emb", &g.demb}, {"C", &g.dC}};
    for (const auto& [slot_name, slot] : slots)
        if (slot_name == name) return slot;
    return nullptr;
}

}  // namespace

void gpu_chapter_backward(int chapter, Grads<float>& g, const Forward<float>& f,
                          const Params<float>& p, const Batch& b) {
    std::string why;
    if (!cuda_device_available(why)) throw InputError("--device cuda: no usable CUDA GPU (" + why + ")");
    gpu::Context ctx;
    gpu::Model m;
    m.d = {int(f.emb.shape(0)), int(f.emb.shape(1)), int(f.emb.shape(2)), int(p.W1.shape(1)),
           int(p.C.shape(0))};
    m.blas = ctx.blas(), m.stream = ctx.stream();

    std::vector<gpu::DeviceBuffer<float>> buffers;  // everything uploaded or allocated, freed at return
    const auto upload = [&](const auto& t) {
        buffers.push_back(gpu::to_device(t));
        return buffers.back().data();
    };
    // Forward has no const for_each(); nothing below writes through `fw`.
    Forward<float>& fw = const_cast<Forward<float>&>(f);
    p.for_each([&](const char* name, const auto& t) { *param_slot(m.p, name) = upload(t); });
    fw.for_each([&](const char* name, const auto& t) {
        if (float** slot = forward_slot(m.f, name)) *slot = upload(t);
    });
    buffers.emplace_back(1);
    m.f.loss = buffers.back().data();
    NINJA_CUDA_CHECK(cudaMemcpy(m.f.loss, &f.loss, sizeof(float), cudaMemcpyHostToDevice));
    const gpu::DeviceBuffer<std::int64_t> Xb = gpu::to_device(b.Xb), Yb = gpu::to_device(b.Yb);
    m.b = {Xb.data(), Yb.data()};

    // Every gradient gets a NaN-poisoned buffer shaped like its tensor.
    std::vector<std::pair<std::string, std::size_t>> grad_buffer;  // name -> index in buffers
    g.for_each([&](const char* name, auto& dt) {
        const auto shape_of = [&](const auto& t) {
            if constexpr (std::is_same_v<std::decay_t<decltype(t)>, std::decay_t<decltype(dt)>>)
                dt = std::decay_t<decltype(dt)>::from_shape(t.shape());
        };
        fw.for_each([&](std::string_view tname, const auto& t) { if (tname == name) shape_of(t); });
        p.for_each([&](std::string_view tname, const auto& t) { if (tname == name) shape_of(t); });
        buffers.emplace_back(dt.size());
        buffers.back().poison();
        *grad_slot(m.g, name) = buffers.back().data();
        grad_buffer.emplace_back(name, buffers.size() - 1);
    });

    gpu::backward(chapter, m);
    ctx.sync();
    std::size_t k = 0;
    g.for_each([&](const char*, auto& dt) { gpu::to_host(buffers[grad_buffer[k++].second], dt); });
}

}  // namespace ninja
