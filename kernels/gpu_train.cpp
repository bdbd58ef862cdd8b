/// @file
/// @brief gpu_train() (common/device.hpp): xtensor parameters and data set to the raw-pointer
/// loop of kernels/train.cu.
#include "common/device.hpp"

#include <xtensor/xsort.hpp>

#include "common/error.hpp"
#include "kernels/train.hpp"

namespace ninja {

GpuTrainResult gpu_train(Params<float>& params, const Examples& train, std::size_t batch_size,
                         const GpuTrainOptions& options, const IxSource& ix) {
    require_cuda_device();
    if (batch_size < 2) throw InputError("gpu_train: the batch needs at least 2 examples");
    if (options.steps < 0) throw InputError("gpu_train: a negative number of steps");
    const std::size_t V = params.C.shape(0);
    // The kernel indexes C and the logits with these symbols (unsigned: none is negative); none
    // may lie beyond them.
    if (train.Y.size() > 0 &&
        (std::size_t(xt::amax(train.X)()) >= V || std::size_t(xt::amax(train.Y)()) >= V))
        throw InputError(
            "gpu_train: the training set holds symbols outside the model's vocabulary");

    gpu::TrainSpec spec;
    spec.d = {int(batch_size), int(train.X.shape(1)), int(params.C.shape(1)),
              int(params.W1.shape(1)), int(V)};
    spec.steps = options.steps;
    spec.schedule = options.schedule;
    spec.chunk_steps = options.chunk_steps;
    spec.blocks = options.blocks;
    if (options.threads > 0) spec.threads = options.threads;
    spec.profile = options.profile_phases;
    gpu::HostParams host;
#define NINJA_HOST_PARAM(name, type, count) host.name = params.name.data();
    NINJA_PARAM_SLICES(NINJA_HOST_PARAM)
#undef NINJA_HOST_PARAM

    // The data set stores a byte per symbol (common/dataset.hpp); the device takes int64.
    const xt::xtensor<std::int64_t, 2> X = xt::cast<std::int64_t>(train.X);
    const xt::xtensor<std::int64_t, 1> Y = xt::cast<std::int64_t>(train.Y);
    GpuTrainResult result;
    result.losses.resize(std::size_t(options.steps));
    const gpu::TrainTiming timing = gpu::train(
        host, X.data(), Y.data(), std::int64_t(train.Y.size()), spec, ix, result.losses.data());
    result.seconds = timing.seconds;
    result.blocks = timing.blocks, result.threads = timing.threads;
    result.us_per_step = options.steps > 0 ? result.seconds * 1e6 / double(options.steps) : 0.0;
    const std::int64_t every = options.loss_every > 0 ? options.loss_every : options.steps + 1;
    for (std::int64_t s = 0; s < options.steps; s += every)
        result.printed.emplace_back(s, result.losses[std::size_t(s)]);
    double cycles = 0;
    for (const gpu::PhaseCycles& p : timing.phases) cycles += p.cycles;
    for (const gpu::PhaseCycles& p : timing.phases) {
        const char* barrier = p.sync == gpu::Sync::grid    ? "grid"
                              : p.sync == gpu::Sync::block ? "block"
                                                           : "none";
        result.phases.push_back(
            {p.name, barrier, p.cycles, result.us_per_step * p.cycles / cycles});
    }
    return result;
}

}  // namespace ninja
