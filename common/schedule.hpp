/// @file
/// @brief The lecture's learning-rate schedule, the one definition every trainer uses (the
/// plain and the fast loop of chapter 23 and the GPU's). Plain C++: the CUDA code reads it too.
#pragma once

#include <cstdint>

/// `__host__ __device__` under nvcc (the GPU's SGD reads the schedule), nothing elsewhere.
#ifdef __CUDACC__
#define NINJA_SCHEDULE_HD __host__ __device__
#else
#define NINJA_SCHEDULE_HD
#endif

namespace ninja {

/// `lr = 0.1 if i < 100000 else 0.01`: a step down by ten at a fixed step, which does not move
/// with the length of the run.
struct LrSchedule {
    float lr = 0.1f;                   ///< the learning rate before decay_step
    float lr_decayed = 0.01f;          ///< the learning rate from decay_step on
    std::int64_t decay_step = 100000;  ///< the first step of the smaller rate

    /// The learning rate of step `i`.
    NINJA_SCHEDULE_HD constexpr float at(std::int64_t i) const {
        return i < decay_step ? lr : lr_decayed;
    }
};

}  // namespace ninja
