/// @file
/// @brief The GPU's training step (kernels/train_step.hpp) run on the CPU: the kernel's own phase
/// functions, one thread after another, so that its logic is tested on every machine.
///
/// The executor plays the GPU's part as far as the phases can tell, and is stricter where it can:
/// - a launch runs for_each_phase_of_launch(), as the kernel does, on G blocks of T threads;
/// - between two grid barriers it runs one block's phases to the end before the next block's,
///   and within a phase one thread's share to the end before the next thread's; Order::reverse
///   runs the blocks and the threads last to first. A phase that read what another thread or
///   block writes before the barrier would see other values in the two orders, so the two runs
///   must agree bit for bit;
/// - every buffer (the parameters, the exchange, each block's shared memory) is allocated with
///   exactly its layout's `words`, and starts as NaN: shared memory afresh at each launch (it
///   does not outlive one), the exchange too. Reading an element before it is written poisons
///   the result;
/// - with `gap` guard elements before, between and after the slices, a write outside a slice
///   changes a guard: after each launch every guard is checked, and the test names the slice it
///   follows;
/// - after each launch every block's copy of C and b2 must equal block 0's, bit for bit.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
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

/// How the executor runs a training loop.
struct ExecutorOptions {
    int blocks = 0;                      ///< 0: the plan's choice
    int threads = gpu::default_threads;  ///< per block
    std::int64_t chunk_steps = 10000;    ///< steps per launch
    Order order = Order::forward;        ///< see Order
    std::size_t gap = 5;                 ///< guard elements around every slice
    gpu::DeviceLimits limits = h100;     ///< the GPU the plan is made for
};

/// The guard elements' bits: a NaN no arithmetic produces.
inline constexpr std::uint32_t guard_bits = 0x7fa5a5a5u;

/// `count` elements of guards.
inline std::vector<float> guarded(std::size_t count) {
    std::vector<float> v(count);
    for (float& x : v) std::memcpy(&x, &guard_bits, sizeof x);
    return v;
}

/// Checks that every element of `buffer` outside the slices of `layout` is still a guard.
template <class Layout>
void check_guards(const std::vector<float>& buffer, const Layout& layout, const std::string& what) {
    BOOST_TEST_REQUIRE(buffer.size() == layout.words);
    std::size_t from = 0;
    std::string after = "its start";
    const auto check_to = [&](std::size_t to) {
        for (std::size_t k = from; k < to; ++k) {
            std::uint32_t bits = 0;
            std::memcpy(&bits, &buffer[k], sizeof bits);
            BOOST_TEST_REQUIRE(bits == guard_bits,
                               what << ": the guard at " << k << " after " << after << " changed");
        }
    };
    layout.for_each([&](const char* name, const gpu::Slice& s) {
        check_to(s.offset);
        from = s.end(), after = name;
    });
    check_to(layout.words);
}

/// Runs the phases of launch `a` on the blocks' shared memories `shared`, in `order`.
inline void execute(const gpu::TrainLaunch& a, std::vector<std::vector<float>>& shared,
                    Order order) {
    struct Entry {
        gpu::Phase phase;
        int local;
    };
    std::vector<std::vector<Entry>> segments(1);  // the phases between two grid barriers
    gpu::for_each_phase_of_launch(a.count, [&](gpu::Phase phase, int local, gpu::Sync sync) {
        segments.back().push_back({phase, local});
        if (sync != gpu::Sync::block) segments.emplace_back();
    });
    const auto nth = [order](int k, int count) {
        return order == Order::forward ? k : count - 1 - k;
    };
    const int G = a.plan.blocks, T = a.plan.threads;
    for (const std::vector<Entry>& segment : segments)
        for (int k = 0; k < G; ++k) {
            const int g = nth(k, G);
            const gpu::Block b = gpu::block_view(a, g, shared[std::size_t(g)].data());
            for (const Entry& e : segment) {
                const gpu::Step s = gpu::step_of(a, e.local);
                for (int u = 0; u < T; ++u) e.phase(b, nth(u, T), s);
            }
        }
}

/// Checks that every block's copy of C and b2 equals block 0's, bit for bit.
inline void check_copies(const std::vector<std::vector<float>>& shared,
                         const gpu::OnChipLayout& l) {
    for (std::size_t g = 1; g < shared.size(); ++g)
        for (const gpu::Slice& s : {l.C, l.b2})
            BOOST_TEST_REQUIRE(std::memcmp(&shared[g][s.offset], &shared[0][s.offset],
                                           s.count * sizeof(float)) == 0,
                               "block " << g << "'s copy of C or b2 differs from block 0's");
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
                                               guarded(plan.on_chip.words));
        const gpu::TrainLaunch a{plan,     memory.data(), exchange.data(),     X.data(),
                                 Y.data(), rows.data(),   chunk_losses.data(), schedule,
                                 c0,       int(count)};
        execute(a, shared, o.order);
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
