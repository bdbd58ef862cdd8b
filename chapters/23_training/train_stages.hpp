/// @file
/// @brief The stages of the fast trainer's step (fast_trainer.hpp), and the probe it tells as
/// each ends: what bench_training's per-stage clock needs.
#pragma once

#include <functional>

namespace ninja {

/// The parts of a training step, for a per-stage breakdown of its time (bench_training).
enum class TrainStage {
    batch,
    forward_gemm,
    forward_elementwise,
    backward_gemm,
    backward_elementwise,
    update,
    count
};

/// The names of the TrainStage values, in order.
inline const char* stage_name(TrainStage s) {
    static const char* const names[] = {"minibatch (randint, gather)", "forward matmuls (2)",
                                        "forward elementwise",         "backward matmuls (4)",
                                        "backward elementwise",        "SGD update"};
    return names[int(s)];
}

/// Told the stage that has just ended, as a step goes (bench_training's clock); an empty one, the
/// default, is told nothing and costs nothing.
using StageProbe = std::function<void(TrainStage)>;

/// Tells `probe` that stage `s` has ended, if there is a probe.
inline void stage_done(const StageProbe& probe, TrainStage s) {
    if (probe) probe(s);
}

}  // namespace ninja
