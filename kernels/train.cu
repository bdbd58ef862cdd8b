// The lecture's training loop on the GPU (chapter 23 --device cuda), see kernels/train.hpp.
//
// One step = gather the minibatch, forward(), then the fused backward of the lecture's final
// loop (chapters 21, 09, 10, 11, 22, 18, 20) and SGD. The step is captured once in a CUDA
// Graph and replayed: launching a graph costs one call instead of ~30 kernel launches, and the
// host never waits for the GPU inside a chunk. What changes from step to step lives on the
// device: the step counter (which slice of the indices to read, which learning rate to use)
// and the loss history. All parameters share one allocation, and all their gradients another
// with the same layout, so SGD is a single elementwise kernel over the whole model.
#include "kernels/train.hpp"

#include <algorithm>
#include <vector>

#include "kernels/buffer.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/launch.cuh"

namespace ninja::gpu {
namespace {

/// The device-side state a graph replay reads and advances.
struct StepState {
    std::int64_t step;         ///< the global step about to run
    std::int64_t chunk_first;  ///< the global step of ix_chunk's first row of indices
};

/// Xb[i, k] = X[ix[i], k], Yb[i] = Y[ix[i]], with ix the current step's n indices.
/// One thread per element of Xb (n, B); the threads of column 0 also write Yb.
__global__ void gather_batch_kernel(std::int64_t* Xb, std::int64_t* Yb, const std::int64_t* X,
                                    const std::int64_t* Y, const std::int64_t* ix_chunk,
                                    const StepState* state, int n, int B) {
    const int k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= n * B) return;
    const int i = k / B, c = k % B;
    const std::int64_t row = ix_chunk[(state->step - state->chunk_first) * n + i];
    Xb[k] = X[row * B + c];
    if (c == 0) Yb[i] = Y[row];
}

/// SGD on every parameter at once: p -= lr * grad, with the lecture's step learning rate.
__global__ void sgd_kernel(float* params, const float* grads, std::int64_t count,
                           const StepState* state, LrSchedule schedule) {
    const std::int64_t k = std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (k >= count) return;
    const float rate = schedule.at(state->step);
    params[k] = math::sgd(params[k], grads[k], rate);
}

/// The last node of a step: records the loss and moves the counter to the next step.
__global__ void finish_step_kernel(float* losses, const float* loss, StepState* state) {
    losses[state->step - state->chunk_first] = *loss;
    ++state->step;
}

/// Carves consecutive tensors out of one float allocation.
struct Carver {
    float* base;
    std::size_t used = 0;
    float* take(std::size_t count) {
        float* p = base + used;
        used += count;
        return p;
    }
};

}  // namespace

double train(const HostParams& hp, const std::int64_t* X, const std::int64_t* Y, std::int64_t N,
             const TrainSpec& spec, const IxFill& fill_ix, float* losses) {
    const int n = spec.d.n, B = spec.d.B, E = spec.d.E, H = spec.d.H, V = spec.d.V;
    const std::size_t sizes[7] = {std::size_t(V) * E, std::size_t(B) * E * H, std::size_t(H),
                                  std::size_t(H) * V, std::size_t(V),         std::size_t(H),
                                  std::size_t(H)};
    float* const host[7] = {hp.C, hp.W1, hp.b1, hp.W2, hp.b2, hp.bngain, hp.bnbias};
    std::size_t total = 0;
    for (std::size_t s : sizes) total += s;

    // ---- device memory: parameters, gradients (same layout), intermediates, data -------------
    DeviceBuffer<float> param_block{total}, grad_block{total};
    float* pp[7];
    float* gp[7];
    {
        Carver pc{param_block.data()}, gc{grad_block.data()};
        for (int t = 0; t < 7; ++t) pp[t] = pc.take(sizes[t]), gp[t] = gc.take(sizes[t]);
    }
    for (int t = 0; t < 7; ++t)
        NINJA_CUDA_CHECK(
            cudaMemcpy(pp[t], host[t], sizes[t] * sizeof(float), cudaMemcpyHostToDevice));

    const std::size_t nH = std::size_t(n) * H, nV = std::size_t(n) * V;
    const std::size_t inter =
        std::size_t(n) * B * E + 6 * nH + 4 * H + 5 * nV + 3 * std::size_t(n) + 1;
    const std::size_t scratch = nV + 3 * nH + 2 * std::size_t(H) + std::size_t(n) * B * E;
    DeviceBuffer<float> inter_block{inter}, scratch_block{scratch};
    DeviceBuffer<std::int64_t> Xd{std::size_t(N) * B}, Yd{std::size_t(N)};
    DeviceBuffer<std::int64_t> Xb{std::size_t(n) * B}, Yb{std::size_t(n)};
    const std::int64_t chunk = spec.chunk_steps > 0 ? spec.chunk_steps : 10000;
    DeviceBuffer<std::int64_t> ix_chunk{std::size_t(chunk) * n};
    DeviceBuffer<float> loss_chunk{std::size_t(chunk)};
    DeviceBuffer<StepState> state{1};
    NINJA_CUDA_CHECK(cudaMemcpy(Xd.data(), X, std::size_t(N) * B * sizeof(std::int64_t),
                                cudaMemcpyHostToDevice));
    NINJA_CUDA_CHECK(
        cudaMemcpy(Yd.data(), Y, std::size_t(N) * sizeof(std::int64_t), cudaMemcpyHostToDevice));

    Model m;
    m.d = spec.d;
    m.p = {pp[0], pp[1], pp[2], pp[3], pp[4], pp[5], pp[6]};
    {
        Carver c{inter_block.data()};
        Forward& f = m.f;
        f.emb = c.take(std::size_t(n) * B * E);
        f.hprebn = c.take(nH), f.bnmeani = c.take(H), f.bndiff = c.take(nH), f.bndiff2 = c.take(nH);
        f.bnvar = c.take(H), f.bnvar_inv = c.take(H), f.bnraw = c.take(nH), f.hpreact = c.take(nH);
        f.h = c.take(nH), f.logits = c.take(nV), f.logit_maxes = c.take(n),
        f.norm_logits = c.take(nV);
        f.counts = c.take(nV), f.counts_sum = c.take(n), f.counts_sum_inv = c.take(n);
        f.probs = c.take(nV), f.logprobs = c.take(nV), f.loss = c.take(1);
    }
    {
        Carver c{scratch_block.data()};
        Grads& g = m.g;
        g.dC = gp[0], g.dW1 = gp[1], g.db1 = gp[2], g.dW2 = gp[3], g.db2 = gp[4];
        g.dbngain = gp[5], g.dbnbias = gp[6];
        g.dlogits = c.take(nV), g.dh = c.take(nH), g.dhpreact = c.take(nH), g.dbnraw = c.take(nH);
        g.dhprebn = c.take(nH), g.dembcat = c.take(std::size_t(n) * B * E);
        g.demb = g.dembcat;  // emb.view(n, -1): the same memory
    }
    m.b = {Xb.data(), Yb.data()};

    Context ctx;  // a stream and a cuBLAS handle bound to it
    m.blas = ctx.blas(), m.stream = ctx.stream();
    // cuBLAS must not allocate while a graph is being captured: give it its workspace now.
    DeviceBuffer<char> workspace{32u << 20};
    NINJA_CUBLAS_CHECK(cublasSetWorkspace(m.blas, workspace.data(), 32u << 20));

    const auto one_step = [&] {
        gather_batch_kernel<<<blocks_for(std::int64_t(n) * B), threads_per_block, 0, m.stream>>>(
            Xb.data(), Yb.data(), Xd.data(), Yd.data(), ix_chunk.data(), state.data(), n, B);
        NINJA_CUDA_CHECK_LAUNCH();
        forward(m);
        backward(22, m);  // chapter 22's chain: 21, 09, 10, 11's sums, 22, down to dhprebn
        first_linear_backward(m.blas, m.g.dembcat, m.g.dW1, m.g.db1, m.g.dhprebn, m.f.emb, m.p.W1,
                              n, B * E, H, m.stream);                              // 18
        embedding_table_backward(m.g.dC, m.g.demb, m.b.Xb, n, B, E, V, m.stream);  // 20
        sgd_kernel<<<blocks_for(std::int64_t(total)), threads_per_block, 0, m.stream>>>(
            param_block.data(), grad_block.data(), std::int64_t(total), state.data(),
            spec.schedule);
        NINJA_CUDA_CHECK_LAUNCH();
        finish_step_kernel<<<1, 1, 0, m.stream>>>(loss_chunk.data(), m.f.loss, state.data());
        NINJA_CUDA_CHECK_LAUNCH();
    };

    // ---- the loop: chunks of steps, each replaying the captured step -------------------------
    std::vector<std::int64_t> ix_host[2] = {std::vector<std::int64_t>(std::size_t(chunk) * n),
                                            std::vector<std::int64_t>(std::size_t(chunk) * n)};
    cudaGraphExec_t graph = nullptr;
    cudaEvent_t start = nullptr, stop = nullptr;
    NINJA_CUDA_CHECK(cudaEventCreate(&start));
    NINJA_CUDA_CHECK(cudaEventCreate(&stop));
    float milliseconds = 0;
    float* loss_staging = nullptr;  // pinned: the copy back does not block the host
    NINJA_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&loss_staging),
                                    std::size_t(chunk) * sizeof(float)));
    try {
        const StepState first{0, 0};
        NINJA_CUDA_CHECK(cudaMemcpy(state.data(), &first, sizeof first, cudaMemcpyHostToDevice));
        if (spec.steps > 0) fill_ix(0, std::min(chunk, spec.steps), ix_host[0].data());
        NINJA_CUDA_CHECK(cudaEventRecord(start, m.stream));
        for (std::int64_t c0 = 0, c = 0; c0 < spec.steps; c0 += chunk, ++c) {
            const std::int64_t count = std::min(chunk, spec.steps - c0);
            NINJA_CUDA_CHECK(cudaMemcpyAsync(ix_chunk.data(), ix_host[c % 2].data(),
                                             std::size_t(count) * n * sizeof(std::int64_t),
                                             cudaMemcpyHostToDevice, m.stream));
            NINJA_CUDA_CHECK(cudaMemcpyAsync(&state.data()->chunk_first, &c0, sizeof c0,
                                             cudaMemcpyHostToDevice, m.stream));
            std::int64_t s = 0;
            if (!graph) {
                // The first step runs eagerly: cuBLAS and the kernels are warmed up, and nothing
                // is allocated during the capture that follows.
                one_step();
                ++s;
                cudaGraph_t captured = nullptr;
                NINJA_CUDA_CHECK(
                    cudaStreamBeginCapture(m.stream, cudaStreamCaptureModeThreadLocal));
                try {
                    one_step();
                } catch (...) {
                    cudaStreamEndCapture(m.stream, &captured);
                    if (captured) cudaGraphDestroy(captured);
                    throw;
                }
                NINJA_CUDA_CHECK(cudaStreamEndCapture(m.stream, &captured));
                const cudaError_t made = cudaGraphInstantiate(&graph, captured, 0);
                cudaGraphDestroy(captured);
                NINJA_CUDA_CHECK(made);
            }
            for (; s < count; ++s) NINJA_CUDA_CHECK(cudaGraphLaunch(graph, m.stream));
            NINJA_CUDA_CHECK(cudaMemcpyAsync(loss_staging, loss_chunk.data(),
                                             std::size_t(count) * sizeof(float),
                                             cudaMemcpyDeviceToHost, m.stream));
            // While the GPU runs this chunk, the host draws the next chunk's indices.
            if (c0 + count < spec.steps)
                fill_ix(c0 + count, std::min(chunk, spec.steps - c0 - count),
                        ix_host[(c + 1) % 2].data());
            NINJA_CUDA_CHECK(cudaStreamSynchronize(m.stream));
            std::copy(loss_staging, loss_staging + count, losses + c0);
        }
        NINJA_CUDA_CHECK(cudaEventRecord(stop, m.stream));
        NINJA_CUDA_CHECK(cudaEventSynchronize(stop));
        NINJA_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start, stop));
    } catch (...) {
        if (graph) cudaGraphExecDestroy(graph);
        cudaEventDestroy(start), cudaEventDestroy(stop);
        cudaFreeHost(loss_staging);
        throw;
    }
    if (graph) cudaGraphExecDestroy(graph);
    cudaEventDestroy(start), cudaEventDestroy(stop);
    cudaFreeHost(loss_staging);

    for (int t = 0; t < 7; ++t)
        NINJA_CUDA_CHECK(
            cudaMemcpy(host[t], pp[t], sizes[t] * sizeof(float), cudaMemcpyDeviceToHost));
    return milliseconds / 1000.0;
}

}  // namespace ninja::gpu
