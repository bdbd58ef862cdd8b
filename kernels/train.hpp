/// @file
/// @brief The raw-pointer side of gpu_train() (common/device.hpp): the lecture's training
/// loop with every step on the GPU, replayed from a CUDA Graph.
#pragma once

#include <cstdint>
#include <functional>

#include "common/schedule.hpp"
#include "kernels/kernels.hpp"

namespace ninja::gpu {

/// Host pointers to the seven parameters (read at the start, overwritten at the end).
struct HostParams {
    float* C;       ///< (V, E)
    float* W1;      ///< (B*E, H)
    float* b1;      ///< (H,)
    float* W2;      ///< (H, V)
    float* b2;      ///< (V,)
    float* bngain;  ///< (1, H)
    float* bnbias;  ///< (1, H)
};

/// The loop's settings.
struct TrainSpec {
    Dims d;                        ///< n is the batch size
    std::int64_t steps = 0;        ///< steps to run
    LrSchedule schedule;           ///< the learning rate of each step
    std::int64_t chunk_steps = 0;  ///< steps of indices uploaded at once
};

/// Fills `ix` with the count * n minibatch indices of steps [first, first + count).
using IxFill = std::function<void(std::int64_t first, std::int64_t count, std::int64_t* ix)>;

/// Runs spec.steps training steps on the training set (X (N, B), Y (N,), host int64 arrays).
/// Writes every step's loss into `losses` (spec.steps floats, host) and returns the GPU time
/// of the steps in seconds.
double train(const HostParams& params, const std::int64_t* X, const std::int64_t* Y, std::int64_t N,
             const TrainSpec& spec, const IxFill& fill_ix, float* losses);

}  // namespace ninja::gpu
