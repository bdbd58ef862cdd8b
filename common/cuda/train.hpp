/// @file
/// @brief gpu_train(): the lecture's whole training loop on the GPU (chapter 23's `--device cuda`).
///
/// Plain C++ (no CUDA header), declared in every build: a CPU-only build's gpu_train() throws
/// InputError, so callers check cuda_device_available() (common/device.hpp) first.
///
/// On the GPU one training step is: gather the minibatch from the step's indices, forward pass,
/// fused cross-entropy backward (chapter 21), second linear layer (09), tanh (10), batchnorm
/// gain/bias (11), fused batchnorm backward (22), first linear layer (18), embedding table (20),
/// then SGD on all seven parameters. That step is captured once in a CUDA Graph and replayed:
/// no host round trip per step. The step's minibatch indices are generated on the host (by
/// `ix`, e.g. the PyTorch-identical TorchGenerator) in chunks of `chunk_steps` steps, uploaded
/// once per chunk; the graph finds the step's slice through a step counter kept on the device.
/// Every step's loss is recorded on the device and read back once per chunk.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "common/dataset.hpp"
#include "common/model.hpp"

namespace ninja {

/// The loop's settings; the defaults are the lecture's.
struct GpuTrainOptions {
    std::int64_t steps = 200000;      ///< max_steps
    float lr = 0.1f;                  ///< learning rate of steps [0, decay_at)
    float lr_decayed = 0.01f;         ///< learning rate from step decay_at on
    std::int64_t decay_at = 100000;   ///< `lr = 0.1 if i < 100000 else 0.01`
    std::int64_t loss_every = 10000;  ///< GpuTrainResult::printed holds steps 0, K, 2K, ...
    std::int64_t chunk_steps = 10000; ///< steps of indices generated and uploaded at once
};

/// Writes the minibatch indices of steps [first_step, first_step + count): count * batch_size
/// rows of the training set, step after step, into `ix`. Called in step order, once per chunk.
using IxSource = std::function<void(std::int64_t first_step, std::int64_t count, std::int64_t* ix)>;

/// What the loop leaves behind besides the trained parameters.
struct GpuTrainResult {
    std::vector<float> losses;                              ///< the loss of every step
    std::vector<std::pair<std::int64_t, float>> printed;    ///< (step, loss) every loss_every steps
    double seconds = 0;                                     ///< GPU time of all steps
    double us_per_step = 0;                                 ///< seconds / steps, in microseconds
};

/// Trains `params` (in: the initial parameters; out: the trained ones) with minibatches of
/// `batch_size` rows of `train`, drawn by `ix`. Throws InputError when no GPU is usable and
/// ninja::gpu::CudaError when a CUDA call fails.
GpuTrainResult gpu_train(Params<float>& params, const Examples& train, std::size_t batch_size,
                         const GpuTrainOptions& options, const IxSource& ix);

/// The lecture's draw, `ix = torch.randint(0, N, (batch_size,), generator=g)` once per step,
/// as an IxSource. `g` must outlive the returned function.
inline IxSource torch_ix_source(TorchGenerator& g, std::int64_t N, std::size_t batch_size) {
    return [&g, N, batch_size](std::int64_t, std::int64_t count, std::int64_t* ix) {
        for (std::int64_t s = 0; s < count; ++s) {
            const std::vector<std::int64_t> draw = g.randint(0, N, batch_size);
            std::copy(draw.begin(), draw.end(), ix + s * std::int64_t(batch_size));
        }
    };
}

}  // namespace ninja
