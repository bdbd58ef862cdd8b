/// @file
/// @brief The GPU's training step (kernels/train_step.hpp) run on the CPU: the kernel's own phase
/// functions, one thread after another, so that its logic is tested on every machine.
///
/// The executor plays the GPU's part as far as the phases can tell, and is stricter where it can:
/// - a launch runs the kernel's table of phases (gpu::step_phases, or a copy a test changed)
///   on G blocks of T threads: launch_start, the table once per step, launch_end;
/// - between two grid barriers it runs one block's phases to the end before the next block's,
///   and between two block barriers one thread's phases to the end before the next thread's
///   (a Sync::none joins two phases); Order::reverse runs the blocks and the threads last to
///   first. A phase that read what another thread or block writes before the barrier would see
///   other values in the two orders, so the two runs must agree bit for bit;
/// - every buffer (the parameters, the exchange, each block's shared memory) is allocated with
///   exactly its layout's `words`, and starts as NaN: shared memory afresh at each launch (it
///   does not outlive one), the exchange too. Reading an element before it is written poisons
///   the result. Shared memory's integer slices (the minibatch, the symbols' bits) start as 0
///   instead: an index read before it is written stays inside its tensor (the executor's run
///   goes wrong, not out of bounds);
/// - with `gap` guard elements before, between and after the slices, a write outside a slice
///   changes a guard: after each launch every guard is checked, and the test names the slice it
///   follows;
/// - after each launch every block's copy of C and b2 must equal block 0's, bit for bit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "fused_step_check.hpp"
#include "kernels/train_step.hpp"

namespace ninja::test {

/// The order of the blocks between grid barriers and of the threads within a phase.
enum class Order { forward, reverse };

/// An H100's (and an H200's) limits: 227 kB of shared memory per block, 132 multiprocessors.
inline constexpr gpu::DeviceLimits h100{232448, 132};
/// An A100's: 163 kB, 108 multiprocessors.
inline constexpr gpu::DeviceLimits a100{166912, 108};

/// The phases of a step with their barriers, in order.
using PhaseTable = std::vector<gpu::PhaseStep>;

/// The kernel's table (kernels/train_step.hpp).
inline PhaseTable kernel_phases() {
    return {std::begin(gpu::step_phases), std::end(gpu::step_phases)};
}

/// How the executor runs a training loop.
struct ExecutorOptions {
    int blocks = 0;                                       ///< 0: the plan's choice
    int threads = gpu::default_threads;                   ///< per block
    std::int64_t chunk_steps = gpu::default_chunk_steps;  ///< steps per launch
    Order order = Order::forward;                         ///< see Order
    std::size_t gap = 5;                                  ///< guard elements around every slice
    gpu::DeviceLimits limits = h100;                      ///< the GPU the plan is made for
    PhaseTable phases = kernel_phases();                  ///< a step's phases
    gpu::PhaseStep start = gpu::launch_start;             ///< before a launch's first step
};

/// A run broke one of the executor's own checks (a guard, the blocks' copies).
struct ExecutorFault : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The guard elements' bits: a NaN no arithmetic produces.
inline constexpr std::uint32_t guard_bits = 0x7fa5a5a5u;

/// `count` elements of guards.
inline std::vector<float> guarded(std::size_t count) {
    std::vector<float> v(count);
    for (float& x : v) std::memcpy(&x, &guard_bits, sizeof x);
    return v;
}

/// One block's shared memory at the start of a launch: guards, NaN in the float slices, 0 in the
/// integer ones.
inline std::vector<float> fresh_shared_memory(const gpu::OnChipLayout& l) {
    std::vector<float> buffer = guarded(l.words);
#define NINJA_ZERO_INTEGERS(name, type, size) \
    if (std::is_integral_v<type>)             \
        std::fill_n(buffer.begin() + long(l.name.offset), l.name.count, 0.0f);
    NINJA_ON_CHIP_SLICES(NINJA_ZERO_INTEGERS)
#undef NINJA_ZERO_INTEGERS
    return buffer;
}

/// Checks that every element of `buffer` outside the slices of `layout` is still a guard.
/// Throws ExecutorFault otherwise.
template <class Layout>
void check_guards(const std::vector<float>& buffer, const Layout& layout, const std::string& what) {
    if (buffer.size() != layout.words) throw ExecutorFault(what + ": a buffer of the wrong size");
    std::size_t from = 0;
    std::string after = "its start";
    const auto check_to = [&](std::size_t to) {
        for (std::size_t k = from; k < to; ++k) {
            std::uint32_t bits = 0;
            std::memcpy(&bits, &buffer[k], sizeof bits);
            if (bits != guard_bits)
                throw ExecutorFault(what + ": the guard at " + std::to_string(k) + " after " +
                                    after + " changed");
        }
    };
    layout.for_each([&](const char* name, const gpu::Slice& s) {
        check_to(s.offset);
        from = s.end(), after = name;
    });
    check_to(layout.words);
}

/// Runs launch `a` on the blocks' shared memories `shared`: `start`, then the phases of `step`
/// once per step, then gpu::launch_end, with their barriers, in `order`.
inline void execute(const gpu::TrainLaunch& a, std::vector<std::vector<float>>& shared, Order order,
                    const gpu::PhaseStep& start, const PhaseTable& step) {
    struct Entry {
        gpu::Phase phase;
        int local;
        gpu::Sync sync;
    };
    std::vector<Entry> launch{{start.phase, 0, start.sync}};
    for (int local = 0; local < a.count; ++local)
        for (const gpu::PhaseStep& p : step) launch.push_back({p.phase, local, p.sync});
    launch.push_back({gpu::launch_end.phase, 0, gpu::launch_end.sync});
    const auto nth = [order](int k, int count) {
        return order == Order::forward ? k : count - 1 - k;
    };
    // The last entry before the next grid barrier (or the launch's end), or block barrier too.
    const auto next_end = [&](std::size_t from, bool or_block) {
        for (;; ++from) {
            const gpu::Sync s = launch[from].sync;
            if (s == gpu::Sync::grid || s == gpu::Sync::end || (or_block && s == gpu::Sync::block))
                return from;
        }
    };
    const int G = a.plan.blocks, T = a.plan.threads;
    for (std::size_t from = 0; from < launch.size();) {
        const std::size_t grid_end = next_end(from, false);
        for (int k = 0; k < G; ++k) {
            const int g = nth(k, G);
            const gpu::Block b = gpu::block_view(a, g, shared[std::size_t(g)].data());
            for (std::size_t p = from; p <= grid_end;) {
                const std::size_t block_end = next_end(p, true);
                for (int u = 0; u < T; ++u)
                    for (std::size_t e = p; e <= block_end; ++e)
                        launch[e].phase(b, nth(u, T), gpu::step_of(a, launch[e].local));
                p = block_end + 1;
            }
        }
        from = grid_end + 1;
    }
}

/// Checks that every block's copy of C and b2 equals block 0's, bit for bit; throws
/// ExecutorFault otherwise.
inline void check_copies(const std::vector<std::vector<float>>& shared,
                         const gpu::OnChipLayout& l) {
    for (std::size_t g = 1; g < shared.size(); ++g)
        for (const gpu::Slice& s : {l.C, l.b2})
            if (std::memcmp(&shared[g][s.offset], &shared[0][s.offset], s.count * sizeof(float)) !=
                0)
                throw ExecutorFault("block " + std::to_string(g) +
                                    "'s copy of C or b2 differs from block 0's");
}

/// gpu_train() with the CPU as the GPU: `steps` steps of the fused step on `params` with
/// minibatches of n rows of `train` drawn by `ix`; the plan it ran is put in `plan`.
inline RunResult run_on_cpu(Params<float> params, const Examples& train, std::size_t n,
                            std::int64_t steps, const LrSchedule& schedule, const IxSource& ix,
                            const ExecutorOptions& o, gpu::TrainPlan& plan) {
    const gpu::Dims d{int(n), int(train.X.shape(1)), int(params.C.shape(1)),
                      int(params.W1.shape(1)), int(params.C.shape(0))};
    plan = gpu::plan_training(d, o.limits, o.blocks, o.threads, o.gap);
    std::vector<float> memory = guarded(plan.params.words);
    const auto for_each_param = [&](auto&& fn) {
        plan.params.for_each([&](const char* name, const gpu::Slice& s) {
            TensorId id{};
            BOOST_TEST_REQUIRE(find_tensor(name, id));
            params.visit(id, [&](auto& t) {
                BOOST_TEST_REQUIRE(t.size() == s.count, name << ": slice of the wrong size");
                fn(t.data(), memory.data() + s.offset, s.count);
            });
        });
    };
    for_each_param([](float* t, float* slice, std::size_t count) { std::copy_n(t, count, slice); });
    const std::int64_t chunk = std::min(o.chunk_steps, std::max<std::int64_t>(steps, 1));
    std::vector<std::int64_t> rows(std::size_t(chunk) * n);
    // A byte per symbol in the data set; int64 on the device, as gpu_train converts them.
    const xt::xtensor<std::int64_t, 2> X = xt::cast<std::int64_t>(train.X);
    const xt::xtensor<std::int64_t, 1> Y = xt::cast<std::int64_t>(train.Y);
    std::vector<float> chunk_losses(static_cast<std::size_t>(chunk));
    RunResult run{std::vector<float>(std::size_t(steps)), Params<float>()};
    for (std::int64_t c0 = 0; c0 < steps; c0 += chunk) {
        const std::int64_t count = std::min(chunk, steps - c0);
        ix(c0, count, rows.data());
        std::vector<float> exchange = guarded(plan.exchange.words);
        std::vector<std::vector<float>> shared(std::size_t(plan.blocks),
                                               fresh_shared_memory(plan.on_chip));
        const gpu::TrainLaunch a{plan,     memory.data(), exchange.data(),     X.data(),
                                 Y.data(), rows.data(),   chunk_losses.data(), schedule,
                                 c0,       int(count)};
        execute(a, shared, o.order, o.start, o.phases);
        check_guards(memory, plan.params, "the parameters");
        check_guards(exchange, plan.exchange, "the exchange");
        for (std::size_t g = 0; g < shared.size(); ++g)
            check_guards(shared[g], plan.on_chip, "block " + std::to_string(g));
        check_copies(shared, plan.on_chip);
        std::copy_n(chunk_losses.begin(), count, run.losses.begin() + c0);
    }
    for_each_param([](float* t, float* slice, std::size_t count) { std::copy_n(slice, count, t); });
    run.params = std::move(params);
    return run;
}

}  // namespace ninja::test
