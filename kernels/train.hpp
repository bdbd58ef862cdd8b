/// @file
/// @brief The host side of gpu_train() (common/device.hpp): the lecture's training loop with
/// every step on the GPU, as launches of the persistent kernel of kernels/train_step.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "common/hyperparameters.hpp"
#include "kernels/dims.hpp"
#include "kernels/train_block.hpp"
#include "kernels/train_layout.hpp"

namespace ninja::gpu {

#define NINJA_HOST_POINTER(name, type, count) type* name;
/// Host pointers to the seven parameters (read at the start, overwritten at the end), one per
/// slice of the parameters' layout.
struct HostParams {
    NINJA_PARAM_SLICES(NINJA_HOST_POINTER)
};
#undef NINJA_HOST_POINTER

/// The loop's settings.
struct TrainSpec {
    Dims d;                         ///< n is the batch size
    std::int64_t steps = 0;         ///< steps to run
    LrSchedule schedule;            ///< the learning rate of each step
    std::int64_t chunk_steps = 0;   ///< steps per kernel launch (0: default_chunk_steps)
    int blocks = 0;                 ///< thread blocks (0: the plan's choice)
    int threads = default_threads;  ///< threads per block
    bool profile = false;           ///< count each phase's clock cycles (TrainTiming::phases)
};

/// Fills `ix` with the count * n minibatch indices of steps [first, first + count).
using IxFill = std::function<void(std::int64_t first, std::int64_t count, std::int64_t* ix)>;

/// The clock cycles of one phase of the step, per step, as block 0's thread 0 sees them: from
/// the end of the previous phase's barrier to the end of this one's.
struct PhaseCycles {
    const char* name;  ///< the phase (kernels/train_step.hpp)
    Sync sync;         ///< its barrier
    double cycles;     ///< clock cycles per step
};

/// What a run took.
struct TrainTiming {
    double seconds = 0;               ///< GPU time of all steps
    int blocks = 0;                   ///< thread blocks of the kernel
    int threads = 0;                  ///< threads per block
    std::size_t shared_bytes = 0;     ///< shared memory per block
    std::vector<PhaseCycles> phases;  ///< a profiled run's cycles, phase by phase
};

/// Runs spec.steps training steps on the training set (X (N, B), Y (N,), host int64 arrays,
/// every symbol below V). Writes every step's loss into `losses` (spec.steps floats, host).
/// Throws InputError when the sizes do not fit the GPU, CudaError when a CUDA call fails.
TrainTiming train(const HostParams& params, const std::int64_t* X, const std::int64_t* Y,
                  std::int64_t N, const TrainSpec& spec, const IxFill& fill_ix, float* losses);

}  // namespace ninja::gpu
