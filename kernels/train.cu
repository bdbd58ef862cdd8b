// The lecture's training loop on the GPU (chapter 23 --device cuda), see kernels/train.hpp: the
// phases of kernels/train_step.hpp as one persistent cooperative kernel, launched once per chunk
// of steps. The parameters go to the GPU once, stay in the blocks' shared memory during a
// launch, and come back once; between launches they wait in device memory. While the GPU runs
// a chunk, the host draws the next chunk's minibatch indices.
#include "kernels/train.hpp"

#include <cooperative_groups.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "kernels/buffer.hpp"
#include "kernels/train_step.hpp"

namespace ninja::gpu {
namespace {

/// The barrier `sync` (kernels/train_block.hpp).
template <Sync sync>
__device__ void barrier() {
    if constexpr (sync == Sync::block) __syncthreads();
    if constexpr (sync == Sync::grid) cooperative_groups::this_grid().sync();
}

/// Where a profiled launch (TrainSpec::profile) counts the clock cycles of each phase: block
/// 0's thread 0 adds, after each phase and its barrier, the cycles since the previous one.
struct PhaseClock {
    long long* cycles;  ///< (step_phase_count,) summed over the launch's steps
    long long last;     ///< the previous reading

    __device__ void tick(int phase, const Block& b, int t) {
        if (b.g != 0 || t != 0) return;
        const long long now = clock64();
        if (phase >= 0) cycles[phase] += now - last;
        last = now;
    }
};

/// Entry I of step_phases: the phase, then its barrier.
template <bool profile, std::size_t I>
__device__ void run_phase(const Block& b, int t, const Step& s, PhaseClock& clock) {
    constexpr PhaseStep entry = step_phases[I];
    entry.phase(b, t, s);
    barrier<entry.sync>();
    if constexpr (profile) clock.tick(int(I), b, t);
}

/// One step: every entry of step_phases in order.
template <bool profile, std::size_t... I>
__device__ void run_step(const Block& b, int t, const Step& s, PhaseClock& clock,
                         std::index_sequence<I...>) {
    (run_phase<profile, I>(b, t, s, clock), ...);
}

/// Every thread of every block runs the launch's phases in order, with the barrier each asks
/// for: launch_start, the table step_phases once per step, launch_end (kernels/train_step.hpp).
/// One block per multiprocessor (its shared memory, the cooperative launch): without the 1,
/// ptxas would keep to 64 registers a thread, room for two blocks, and spill.
template <bool profile>
__global__ void __launch_bounds__(max_threads, 1)
    train_kernel(const TrainLaunch a, long long* cycles) {
    extern __shared__ float shared[];
    const Block b = block_view(a, int(blockIdx.x), shared);
    const int t = int(threadIdx.x);
    launch_start.phase(b, t, step_of(a, 0));
    barrier<launch_start.sync>();
    PhaseClock clock{cycles, 0};
    if constexpr (profile) clock.tick(-1, b, t);
    for (int local = 0; local < a.count; ++local)
        run_step<profile>(b, t, step_of(a, local), clock,
                          std::make_index_sequence<std::size_t(step_phase_count)>{});
    launch_end.phase(b, t, step_of(a, 0));
}

/// The kernel of a plain or a profiled run.
using Kernel = void (*)(TrainLaunch, long long*);
Kernel kernel_for(bool profile) { return profile ? train_kernel<true> : train_kernel<false>; }

/// What the current device offers train_kernel; throws CudaError when it cannot run it.
DeviceLimits device_limits() {
    int device = 0, shared = 0, sms = 0, cooperative = 0;
    NINJA_CUDA_CHECK(cudaGetDevice(&device));
    NINJA_CUDA_CHECK(
        cudaDeviceGetAttribute(&shared, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
    NINJA_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    NINJA_CUDA_CHECK(cudaDeviceGetAttribute(&cooperative, cudaDevAttrCooperativeLaunch, device));
    if (!cooperative) throw CudaError("GPU training: the device cannot launch cooperative kernels");
    return {std::size_t(shared), sms};
}

/// Makes `kernel` ready for `plan`: its shared memory allowed, its blocks resident at once.
void prepare_kernel(Kernel kernel, const TrainPlan& plan) {
    NINJA_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          int(plan.shared_bytes())));
    int per_sm = 0, device = 0, sms = 0;
    NINJA_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, plan.threads,
                                                                   plan.shared_bytes()));
    NINJA_CUDA_CHECK(cudaGetDevice(&device));
    NINJA_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    if (per_sm * sms < plan.blocks)
        throw CudaError("GPU training: " + std::to_string(plan.blocks) + " blocks of " +
                        std::to_string(plan.threads) + " threads cannot all be resident (" +
                        std::to_string(per_sm) + " per multiprocessor)");
}

/// One launch of `kernel`: `a.count` steps from `a.first_step`.
void launch(Kernel kernel, const TrainLaunch& a, long long* cycles, cudaStream_t stream) {
    void* args[] = {const_cast<TrainLaunch*>(&a), &cycles};
    NINJA_CUDA_CHECK(cudaLaunchCooperativeKernel(
        reinterpret_cast<const void*>(kernel), dim3(unsigned(a.plan.blocks)),
        dim3(unsigned(a.plan.threads)), args, a.plan.shared_bytes(), stream));
}

/// Page-locked host memory (asynchronous copies from the device do not block the host).
class PinnedLosses {
public:
    explicit PinnedLosses(std::size_t count) {
        NINJA_CUDA_CHECK(cudaMallocHost(reinterpret_cast<void**>(&data_), count * sizeof(float)));
    }
    ~PinnedLosses() { cudaFreeHost(data_); }
    PinnedLosses(const PinnedLosses&) = delete;
    PinnedLosses& operator=(const PinnedLosses&) = delete;
    float* data() { return data_; }

private:
    float* data_ = nullptr;
};

/// A CUDA event, destroyed with the object.
class Event {
public:
    Event() { NINJA_CUDA_CHECK(cudaEventCreate(&event_)); }
    ~Event() { cudaEventDestroy(event_); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    cudaEvent_t get() const { return event_; }

private:
    cudaEvent_t event_ = nullptr;
};

/// Copies every parameter between the host and its slice of `device` (`to_device` or back).
void copy_params(const HostParams& host, float* device, const ParamLayout& l, bool to_device) {
#define NINJA_COPY(name, type, size)                                                             \
    NINJA_CUDA_CHECK(to_device ? cudaMemcpy(device + l.name.offset, host.name,                   \
                                            l.name.count * sizeof(type), cudaMemcpyHostToDevice) \
                               : cudaMemcpy(host.name, device + l.name.offset,                   \
                                            l.name.count * sizeof(type), cudaMemcpyDeviceToHost));
    NINJA_PARAM_SLICES(NINJA_COPY)
#undef NINJA_COPY
}

}  // namespace

TrainTiming train(const HostParams& hp, const std::int64_t* X, const std::int64_t* Y,
                  std::int64_t N, const TrainSpec& spec, const IxFill& fill_ix, float* losses) {
    const TrainPlan plan = plan_training(spec.d, device_limits(), spec.blocks, spec.threads);
    const Kernel kernel = kernel_for(spec.profile);
    prepare_kernel(kernel, plan);
    const std::size_t n = std::size_t(spec.d.n), B = std::size_t(spec.d.B);
    // Steps per launch: at most the whole run, and few enough for an int.
    const std::int64_t chunk =
        std::min<std::int64_t>({spec.chunk_steps > 0 ? spec.chunk_steps : default_chunk_steps,
                                std::max<std::int64_t>(spec.steps, 1), std::int64_t(1) << 24});

    DeviceBuffer<float> params{plan.params.words}, exchange{plan.exchange.words};
    copy_params(hp, params.data(), plan.params, true);
    DeviceBuffer<std::int64_t> Xd{std::size_t(N) * B}, Yd{std::size_t(N)};
    Xd.upload(X), Yd.upload(Y);
    DeviceBuffer<std::int64_t> ix{std::size_t(chunk) * n};
    DeviceBuffer<float> chunk_losses{std::size_t(chunk)};
    PinnedLosses staging{std::size_t(chunk)};
    std::vector<std::int64_t> ix_host[2] = {std::vector<std::int64_t>(std::size_t(chunk) * n),
                                            std::vector<std::int64_t>(std::size_t(chunk) * n)};
    const cudaStream_t stream = nullptr;  // the default stream: everything runs in order
    Event start, stop;
    std::vector<long long> cycles(std::size_t(step_phase_count), 0);
    DeviceBuffer<long long> cycles_d{cycles.size()};
    cycles_d.upload(cycles.data());

    TrainLaunch a{plan,      params.data(),       exchange.data(), Xd.data(), Yd.data(),
                  ix.data(), chunk_losses.data(), spec.schedule,   0,         0};
    if (spec.steps > 0) fill_ix(0, std::min(chunk, spec.steps), ix_host[0].data());
    NINJA_CUDA_CHECK(cudaEventRecord(start.get(), stream));
    for (std::int64_t c0 = 0, c = 0; c0 < spec.steps; c0 += chunk, ++c) {
        const std::int64_t count = std::min(chunk, spec.steps - c0);
        NINJA_CUDA_CHECK(cudaMemcpyAsync(ix.data(), ix_host[c % 2].data(),
                                         std::size_t(count) * n * sizeof(std::int64_t),
                                         cudaMemcpyHostToDevice, stream));
        a.first_step = c0, a.count = int(count);
        launch(kernel, a, cycles_d.data(), stream);
        NINJA_CUDA_CHECK(cudaMemcpyAsync(staging.data(), chunk_losses.data(),
                                         std::size_t(count) * sizeof(float), cudaMemcpyDeviceToHost,
                                         stream));
        if (c0 + count < spec.steps)  // the next chunk's indices, while the GPU runs this one
            fill_ix(c0 + count, std::min(chunk, spec.steps - c0 - count),
                    ix_host[(c + 1) % 2].data());
        NINJA_CUDA_CHECK(cudaStreamSynchronize(stream));
        std::copy(staging.data(), staging.data() + count, losses + c0);
    }
    NINJA_CUDA_CHECK(cudaEventRecord(stop.get(), stream));
    NINJA_CUDA_CHECK(cudaEventSynchronize(stop.get()));
    float milliseconds = 0;
    NINJA_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, start.get(), stop.get()));
    copy_params(hp, params.data(), plan.params, false);
    TrainTiming timing{milliseconds / 1000.0, plan.blocks, plan.threads, plan.shared_bytes(), {}};
    if (spec.profile && spec.steps > 0) {
        cycles_d.download(cycles.data());
        for (std::size_t k = 0; k < cycles.size(); ++k)
            timing.phases.push_back(
                {step_phases[k].name, step_phases[k].sync, double(cycles[k]) / double(spec.steps)});
    }
    return timing;
}

}  // namespace ninja::gpu
