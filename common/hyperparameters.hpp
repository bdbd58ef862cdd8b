/// @file
/// @brief The lecture's numbers that more than one part of the workbook reads, each written
/// once: batchnorm's epsilon, the learning-rate schedule and the length of a training run. Plain
/// C++: the CUDA code reads them too (the GPU's batchnorm and SGD; the GPU's loop).
#pragma once

#include <cstdint>

/// `__host__ __device__` under nvcc (the GPU's SGD reads the schedule), nothing elsewhere.
#ifdef __CUDACC__
#define NINJA_SCHEDULE_HD __host__ __device__
#else
#define NINJA_SCHEDULE_HD
#endif

namespace ninja {

/// The batchnorm epsilon of the lecture, `(bnvar + 1e-5)**-0.5` (used as float as `float(bn_eps)`,
/// which is 1e-5f).
inline constexpr double bn_eps = 1e-5;

/// The steps of the lecture's training run, `max_steps`: the default of every trainer (chapter
/// 23's loops on the CPU, the GPU's).
inline constexpr std::int64_t training_steps = 200000;

/// The lecture prints the loss of every this many steps (`if i % 10000 == 0`); so do the trainers.
inline constexpr std::int64_t loss_print_every = 10000;

/// `lr = 0.1 if i < 100000 else 0.01`: a step down by ten at a fixed step, which does not move
/// with the length of the run. The one definition every trainer uses (the plain and the fast
/// loop of chapter 23 and the GPU's).
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
