/// @file
/// @brief The GPU's training step without a GPU: the layouts of its buffers for many sizes, and
/// its phases run by the CPU executor (step_executor.hpp) against chapter 23's plain loop and
/// PyTorch, step by step on the same batches, with the bounds the GPU test uses.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "step_executor.hpp"

using namespace ninja;
using namespace ninja::test;

namespace {

/// The fused step on setting `c`, run by the executor with options `o`; logs the plan unless
/// `quiet`.
RunResult executed(const TrainingConfig& c, const ExecutorOptions& o, bool quiet = false) {
    RunStart s = run_start(c);
    gpu::TrainPlan plan;
    RunResult r = run_on_cpu(
        s.params, data().train, c.batch_size, std::int64_t(c.steps), c.schedule,
        torch_ix_source(s.gen, std::int64_t(data().train.Y.size()), c.batch_size), o, plan);
    if (!quiet)
        BOOST_TEST_MESSAGE("plan: " << plan.blocks << " blocks of " << plan.cols << " columns, "
                                    << plan.threads << " threads, " << plan.shared_bytes()
                                    << " bytes of shared memory each");
    return r;
}

/// Whether two runs gave the same bits: every loss and every parameter.
bool same_bits(const RunResult& a, const RunResult& b) {
    bool same = a.losses.size() == b.losses.size() &&
                std::memcmp(a.losses.data(), b.losses.data(), a.losses.size() * sizeof(float)) == 0;
    for (TensorId id : parameters_of(Model::batchnorm))  // the model the fused step trains
        visit_pair(id, a.params, b.params, [&](const auto& x, const auto& y) {
            same = same && x.shape() == y.shape() &&
                   std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
        });
    return same;
}

/// Checks that the slices of `layout` lie inside its allocation, in order, `gap` apart.
template <class Layout>
void check_slices(const Layout& layout, std::size_t gap, const std::string& what) {
    std::size_t from = 0;
    layout.for_each([&](const char* name, const gpu::Slice& s) {
        BOOST_TEST_CONTEXT(what << ": " << name) {
            BOOST_TEST(s.count > 0u);
            BOOST_TEST(s.offset >= from + gap);  // after the previous slice and its guards
        }
        from = s.end();
    });
    BOOST_TEST(from + gap <= layout.words, what << ": the last slice ends past the allocation");
}

/// Checks a plan: every slice inside its buffer, the buffers within the GPU's limits, and the
/// blocks' columns covering the hidden layer once.
void check_plan(const gpu::TrainPlan& p, const gpu::DeviceLimits& limits, std::size_t gap) {
    check_slices(p.params, gap, "parameters");
    check_slices(p.exchange, gap, "exchange");
    check_slices(p.on_chip, gap, "shared memory");
    BOOST_TEST(p.shared_bytes() <= limits.shared_bytes);
    BOOST_TEST(p.blocks <= limits.max_blocks);
    int covered = 0;
    for (int g = 0; g < p.blocks; ++g) {
        BOOST_TEST(p.first_col(g) == covered);
        BOOST_TEST((p.cols_of(g) >= 1 && p.cols_of(g) <= p.cols));
        covered += p.cols_of(g);
    }
    BOOST_TEST(covered == p.d.H);
}

/// The sizes a plan was asked for, for messages.
std::string sizes(int n, int H, int blocks) {
    return "n = " + std::to_string(n) + ", H = " + std::to_string(H) + ", " +
           std::to_string(blocks) + " blocks asked";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_slice_lies_inside_its_allocation) {
    int planned = 0, refused = 0;
    for (const gpu::DeviceLimits& limits : {h100, a100})
        for (int n : {2, 3, 5, 17, 31, 32, 33, 64, 100, 255, 256, 500, 999, 1000})
            for (int H : {1, 2, 7, 13, 16, 17, 64, 100, 199, 200, 256, 1000})
                for (int blocks : {0, 1, 3, 16})
                    for (std::size_t gap : {std::size_t(0), std::size_t(3)}) {
                        BOOST_TEST_CONTEXT(sizes(n, H, blocks) << ", gap " << gap) {
                            try {
                                check_plan(gpu::plan_training({n, 3, 10, H, 27}, limits, blocks,
                                                              gpu::default_threads, gap),
                                           limits, gap);
                                ++planned;
                            } catch (const InputError& e) {
                                // Only a block that cannot hold its share, or too many blocks.
                                const std::string why = e.what();
                                BOOST_TEST(
                                    (why.find("shared memory") != std::string::npos ||
                                     why.find("blocks running at once") != std::string::npos),
                                    why);
                                // Left to choose, the plan fits every batch up to 1000 at H <= 200
                                // on an H100, and up to 900 on an A100 (45 floats a row in 163 kB).
                                const bool h = limits.shared_bytes == h100.shared_bytes;
                                BOOST_TEST(!(blocks == 0 && H <= 200 && (h || n <= 900)), why);
                                ++refused;
                            }
                        }
                    }
    BOOST_TEST_MESSAGE(planned << " plans checked, " << refused << " refused");
}

BOOST_AUTO_TEST_CASE(the_parameter_slices_are_the_lectures_parameters) {
    const gpu::TrainPlan p = gpu::plan_training({32, 3, 10, 200, 27}, h100);
    TorchGenerator gen(1);
    Config config;
    config.n_hidden = 200;
    const Params<float> params = init_params(config, gen);
    std::size_t k = 0;
    const std::vector<TensorId> lectures = parameters_of(Model::batchnorm);  // the kernel's model
    p.params.for_each([&](const char* name, const gpu::Slice& s) {
        BOOST_TEST_REQUIRE(k < lectures.size());
        BOOST_TEST(std::string(name) == std::string(info(lectures[k]).name));
        params.visit(lectures[k++], [&](const auto& t) { BOOST_TEST(s.count == t.size()); });
    });
    BOOST_TEST(k == lectures.size());
    BOOST_TEST(p.params.words == params.count());  // 12,297: nothing else in the allocation
}

BOOST_AUTO_TEST_CASE(the_planner_refuses_what_does_not_fit_with_one_line) {
    // One block for n = 1000 and H = 200 would hold 1000 x 200 x 3 floats: 2.4 MB.
    BOOST_CHECK_EXCEPTION(gpu::plan_training({1000, 3, 10, 200, 27}, h100, 1), InputError,
                          message_has("bytes of shared memory; the GPU gives 232448"));
    // 2,000 hidden units need at least 2000 / 9 blocks of 9 columns for n = 500 on an A100.
    BOOST_CHECK_EXCEPTION(gpu::plan_training({500, 3, 10, 2000, 27}, a100), InputError,
                          message_has("blocks running at once; the GPU runs 108"));
}

BOOST_AUTO_TEST_CASE(the_lecture_run_follows_the_plain_loop_and_pytorch) {
    // The reference run (n = 32, H = 200, 300 steps), in launches of 128 steps.
    const Reference ref("train");
    const TrainingConfig c = reference_training(ref);
    ExecutorOptions o;
    o.chunk_steps = 128;
    const RunResult r = executed(c, o);
    check_against_plain_loop(r, c, "executor");
    check_losses_against_pytorch(r.losses, ref.load<float, 1>("loss"));
    check_params_close(r.params, load_params(ref));
}

BOOST_AUTO_TEST_CASE(every_order_of_blocks_and_threads_gives_the_same_bits) {
    const TrainingConfig c = fused_config(32, 200, 30, 20);
    ExecutorOptions o;
    o.chunk_steps = 7;
    const RunResult forward = executed(c, o);
    o.order = Order::reverse;
    const RunResult reverse = executed(c, o);
    BOOST_TEST(same_bits(forward, reverse));
    check_against_plain_loop(forward, c, "executor");
}

BOOST_AUTO_TEST_CASE(odd_sizes_blocks_threads_and_launches_follow_the_plain_loop) {
    // The GPU test's cases, every other one with the blocks and threads run last to first.
    Order order = Order::forward;
    for (const FusedCase& k : fused_cases) {
        const TrainingConfig c = fused_case_config(k);
        ExecutorOptions o;
        o.blocks = k.blocks, o.threads = k.threads, o.chunk_steps = fused_case_chunk,
        o.order = order;
        check_against_plain_loop(executed(c, o), c,
                                 "executor, " + std::to_string(k.blocks) + " blocks asked, " +
                                     std::to_string(k.threads) + " threads");
        order = order == Order::forward ? Order::reverse : Order::forward;
    }
}

BOOST_AUTO_TEST_CASE(a_learning_rate_one_percent_off_breaks_the_bound) {
    // The comparison has teeth: every gradient 1% too large (as the learning rate is) moves the
    // losses of the reference run away from the plain loop's by more than the bound.
    TrainingConfig c = reference_training(Reference("train"));
    const std::vector<float>& plain = plain_loop(c).losses;
    c.schedule.lr *= 1.01f;
    ExecutorOptions o;
    const double worst = largest_loss_difference(executed(c, o).losses, plain);
    BOOST_TEST_MESSAGE("learning rate 1% off: largest |loss difference| " << worst);
    BOOST_TEST(worst > 10 * fused_loss_tolerance);
}

// ---- the executor catches a table of phases out of order or short of a barrier -------------

namespace {

/// The setting of the tests below: the lecture's sizes, 4 steps in two launches, the learning
/// rate dropping between them.
const TrainingConfig& table_setting() {
    static const TrainingConfig c = fused_config(32, 200, 4, 2);
    return c;
}

/// The executor's options for table_setting(): launches of 2 steps.
ExecutorOptions table_options() {
    ExecutorOptions o;
    o.chunk_steps = 2;
    return o;
}

/// What the tests above would fail on when the executor runs table_setting() with `o`, blocks
/// and threads in both orders: a fault of the executor (a guard, the blocks' copies), the two
/// orders' bits, a loss or a parameter beyond the bounds of check_against_plain_loop; "" when
/// they would pass.
std::string first_fault(ExecutorOptions o) {
    const TrainingConfig& c = table_setting();
    RunResult run[2];
    for (int k = 0; k < 2; ++k) {
        o.order = k == 0 ? Order::forward : Order::reverse;
        try {
            run[k] = executed(c, o, true);
        } catch (const ExecutorFault& e) { return e.what(); }
    }
    if (!same_bits(run[0], run[1])) return "the two orders of blocks and threads differ";
    const RunResult& plain = plain_loop(c);
    for (std::size_t i = 0; i < c.steps; ++i)
        if (!(std::abs(double(run[0].losses[i]) - double(plain.losses[i])) <= fused_loss_tolerance))
            return "the loss of step " + std::to_string(i) + " is " +
                   std::to_string(run[0].losses[i]) + ", the plain loop's " +
                   std::to_string(plain.losses[i]);
    std::string far;
    for (TensorId id : parameters_of(Model::batchnorm))
        visit_pair(id, run[0].params, plain.params, [&](const auto& a, const auto& b) {
            if (far.empty() && !xt::allclose(a, b, 1e-4, 1e-5))  // check_params_close's bounds
                far = std::string(info(id).name) + " differs from the plain loop's";
        });
    return far;
}

/// The barriers weaker than `sync`.
std::vector<gpu::Sync> weaker(gpu::Sync sync) {
    if (sync == gpu::Sync::grid) return {gpu::Sync::block, gpu::Sync::none};
    if (sync == gpu::Sync::block) return {gpu::Sync::none};
    return {};
}

/// A barrier's name, for messages.
const char* sync_name(gpu::Sync s) {
    return s == gpu::Sync::grid ? "grid" : s == gpu::Sync::block ? "block" : "no";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_kernels_table_passes_the_checks_of_the_mutants_below) {
    BOOST_TEST(first_fault(table_options()).empty());
}

BOOST_AUTO_TEST_CASE(every_phase_without_its_barrier_is_caught) {
    // Each barrier of the table, and the launch's first, replaced by a weaker one: the checks
    // must fail. (A barrier whose removal no check noticed would be one the step does not need.)
    for (std::size_t k = 0; k <= std::size(gpu::step_phases); ++k) {
        ExecutorOptions o = table_options();
        gpu::PhaseStep& entry = k == 0 ? o.start : o.phases[k - 1];
        const gpu::Sync kept = entry.sync;
        for (gpu::Sync sync : weaker(kept)) {
            entry.sync = sync;
            const std::string fault = first_fault(o);
            BOOST_TEST_MESSAGE(entry.name << " with " << sync_name(sync) << " barrier: " << fault);
            BOOST_TEST(!fault.empty(), entry.name << " with " << sync_name(sync)
                                                  << " barrier instead of " << sync_name(kept)
                                                  << " passed the checks");
        }
    }
}

BOOST_AUTO_TEST_CASE(every_phase_out_of_order_is_caught) {
    // Two neighbouring phases swapped, the barriers left where they are: caught, unless the
    // table says no barrier separates them, and then the run must give the same bits.
    const RunResult kernel = executed(table_setting(), table_options(), true);
    for (std::size_t k = 0; k + 1 < std::size(gpu::step_phases); ++k) {
        ExecutorOptions o = table_options();
        gpu::PhaseStep &first = o.phases[k], &second = o.phases[k + 1];
        std::swap(first.phase, second.phase), std::swap(first.name, second.name);
        const std::string what = std::string(second.name) + " before " + first.name;
        const std::string fault = first_fault(o);
        BOOST_TEST_MESSAGE(what << ": " << fault);
        if (first.sync == gpu::Sync::none)
            BOOST_TEST((fault.empty() && same_bits(executed(table_setting(), o, true), kernel)),
                       what << " (no barrier between them) changed the run: " << fault);
        else
            BOOST_TEST(!fault.empty(), what << " passed the checks");
    }
}
