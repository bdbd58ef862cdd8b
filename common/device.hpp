/// @file
/// @brief `--device cuda`: what the programs ask of the GPU. Declared here, in common/, and
/// defined in kernels/: by the CUDA code in a CUDA build, by kernels/no_cuda.cpp (no GPU is ever
/// usable) in a CPU-only build. So common/ uses the GPU without depending on kernels/.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/dataset.hpp"
#include "common/hyperparameters.hpp"
#include "common/model.hpp"

namespace ninja {

/// True in a build with the CUDA kernels (NINJA_WITH_CUDA, set by kernels/CMakeLists.txt).
#ifdef NINJA_WITH_CUDA
inline constexpr bool cuda_build = true;
#else
inline constexpr bool cuda_build = false;
#endif

/// True when a CUDA GPU can run the kernels; otherwise false, with the reason in `why`
/// ("built without CUDA", or the CUDA runtime's error, e.g. "no CUDA-capable device is detected").
bool cuda_device_available(std::string& why);

/// Throws InputError, `--device cuda: no usable CUDA GPU (<why>)`, unless a GPU is usable.
void require_cuda_device();

/// Whether every step of chapter `chapter`'s backward pass has a GPU kernel.
bool gpu_has_chapter(int chapter);

/// Chapter `chapter`'s backward (the chain of GPU steps it composes, as on the CPU) on
/// PyTorch-style inputs: uploads `p`, `f` and `b`, runs the chain on the GPU, and downloads every
/// gradient into `g`. Gradients the chain does not write come back as NaN (the device buffers
/// are poisoned first). Throws InputError without a usable GPU, ninja::gpu::CudaError when a CUDA
/// call fails.
void gpu_chapter_backward(int chapter, Grads<float>& g, const Forward<float>& f,
                          const Params<float>& p, const Batch& b);

/// Chapter `chapter`'s own GPU step alone, on the gradients in `g` (each uploaded as it is; an
/// empty one as a buffer of NaN): what it writes comes back into `g`.
void gpu_chapter_step(int chapter, Grads<float>& g, const Forward<float>& f, const Params<float>& p,
                      const Batch& b);

/// The settings of the training loop on the GPU; the defaults are the lecture's
/// (common/hyperparameters.hpp).
struct GpuTrainOptions {
    std::int64_t steps = training_steps;         ///< max_steps
    LrSchedule schedule;                         ///< the learning rate of each step
    std::int64_t loss_every = loss_print_every;  ///< GpuTrainResult::printed: steps 0, K, 2K, ...
    std::int64_t chunk_steps = 0;  ///< steps per kernel launch (0: the kernel's default)
    int blocks = 0;                ///< thread blocks of the kernel (0: chosen from the sizes)
    int threads = 0;               ///< threads per block (0: the kernel's default)
    bool profile_phases = false;   ///< time each phase of the step (GpuTrainResult::phases)
};

/// Writes the minibatch indices of steps [first_step, first_step + count): count * batch_size
/// rows of the training set, step after step, into `ix`. Called in step order, once per chunk.
using IxSource = std::function<void(std::int64_t first_step, std::int64_t count, std::int64_t* ix)>;

/// One phase of the GPU's training step (kernels/train_step.hpp), per step, as block 0 sees it:
/// from the end of the previous phase's barrier to the end of its own.
struct GpuPhaseTime {
    std::string name;     ///< the phase
    std::string barrier;  ///< "block", "grid" or "none": the barrier that ends it
    double cycles = 0;    ///< the GPU's clock cycles
    double us = 0;        ///< microseconds: the step's time in proportion to the cycles
};

/// What the loop leaves behind besides the trained parameters.
struct GpuTrainResult {
    std::vector<float> losses;                            ///< the loss of every step
    std::vector<std::pair<std::int64_t, float>> printed;  ///< (step, loss) every loss_every steps
    double seconds = 0;                                   ///< GPU time of all steps
    double us_per_step = 0;                               ///< seconds / steps, in microseconds
    int blocks = 0;                                       ///< thread blocks the kernel ran
    int threads = 0;                                      ///< threads per block
    std::vector<GpuPhaseTime> phases;  ///< with GpuTrainOptions::profile_phases, phase by phase
};

/// The lecture's training loop on the GPU (chapter 23's `--device cuda`): trains `params` (in:
/// the initial parameters; out: the trained ones) with minibatches of `batch_size` rows of
/// `train`, drawn by `ix`. Throws InputError without a usable GPU, ninja::gpu::CudaError when a
/// CUDA call fails.
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
