/// @file
/// @brief Every CUDA kernel against its chapter's CPU step, on fresh random inputs at several
/// sizes and on made-up upstream gradients; the chained GPU backward; and gpu_train() against
/// chapter 23's plain loop and PyTorch, as tests/test_fused_step.cpp checks the CPU executor.
/// Outputs are poisoned with NaN before each launch, so an element a kernel forgets fails.
/// Without a usable GPU the program prints why and exits with 77, which ctest reports as
/// skipped (SKIP_RETURN_CODE, tests/CMakeLists.txt).
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <iterator>
#include <vector>

#include "common/device.hpp"
#include "common/program/runs.hpp"
#include "fused_step_check.hpp"
#include "gpu_case.hpp"
#include "kernels/train_step.hpp"

using namespace ninja;
using namespace ninja::test;

namespace {

/// gpu_train() on setting `c`: `blocks` blocks (0: its choice) of `threads` threads (0: its
/// default), `chunk` steps per launch, on the batches the plain loop draws; with `phases`, the
/// profiled kernel, whose phase times go into `*phases`.
RunResult on_gpu(const TrainingConfig& c, int blocks, int threads, std::int64_t chunk,
                 std::vector<GpuPhaseTime>* phases = nullptr) {
    RunStart s = run_start(c);
    GpuTrainOptions o;
    o.steps = std::int64_t(c.steps), o.schedule = c.schedule, o.chunk_steps = chunk;
    o.blocks = blocks, o.threads = threads, o.profile_phases = phases != nullptr;
    RunResult r{{}, s.params};
    const GpuTrainResult g =
        gpu_train(r.params, test::data().train, c.batch_size, o,
                  torch_ix_source(s.gen, std::int64_t(test::data().train.Y.size()), c.batch_size));
    BOOST_TEST_MESSAGE("GPU: " << g.blocks << " blocks of " << g.threads << " threads, "
                               << g.us_per_step << " us/step");
    r.losses = g.losses;
    if (phases) *phases = g.phases;
    return r;
}

}  // namespace

namespace {

/// The gradients `g` (double) in float.
Grads<float> in_float(const Grads<double>& g) {
    Grads<float> out;
    for (const TensorInfo& t : tensor_table)
        g.visit(t.id, [&](const auto& d) {
            out.visit(t.id, [&](auto& f) {
                if constexpr (std::decay_t<decltype(f)>::rank == std::decay_t<decltype(d)>::rank)
                    f = xt::cast<float>(d);
            });
        });
    return out;
}

/// Chapter N on the GPU against the CPU, on the case of kernel size `size` of its model: its own GPU step alone on made-up upstream
/// gradients (numbers in [-1, 1) with none of a real backward pass's structure: the paths whose
/// gradient is about zero on a real batch, chapter 07's, 08's max path, 18's db1, are far from
/// zero there), every element of its outputs poisoned with NaN first; then its chained GPU
/// backward, every gradient of its chain. Reductions and cuBLAS sum in other orders than the
/// CPU: within 1e-4 of the tensor's largest |value| (a wrong kernel misses by its size).
template <int N>
void check_on_gpu(std::size_t size) {
    const ChapterInfo& chapter = chapter_info<N>();
    const KernelCase& k = cases(chapter.model)[size]->c;  // of the chapter's model
    BOOST_TEST(gpu_has_chapter(N) == !chapter.grads.empty(),
               chapter.label() << ": a chapter with a step has a GPU kernel");
    if (!gpu_has_chapter(N)) return;
    const std::string where = chapter.label() + ", " + k.label();
    const Grads<float> made_up = in_float(made_up_run(k.p, k.b).g);
    Grads<float> cpu = made_up, gpu = made_up;
    step<N, float>(cpu, k.f, k.p, k.b);
    for (TensorId id : chapter.grads) gpu.visit(id, [](auto& d) { d = {}; });  // poisoned
    gpu_chapter_step(N, gpu, k.f, k.p, k.b);
    for (TensorId id : chapter.grads)
        visit_pair(id, gpu, cpu, [&](const auto& got, const auto& want) {
            check_close(where + ": d" + std::string(info(id).name) + " on made-up gradients", got,
                        want, 1e-4, 0);
        });
    Grads<float> chain_gpu, chain_cpu;
    gpu_chapter_backward(N, chain_gpu, k.f, k.p, k.b);
    backward<N, float>(chain_cpu, k.f, k.p, k.b);
    for (TensorId id : chapter.all_grads)
        visit_pair(id, chain_gpu, chain_cpu, [&](const auto& got, const auto& want) {
            check_close(where + ": chained d" + std::string(info(id).name), got, want, 1e-3, 1e-7);
        });
}

/// check_on_gpu for every chapter of the chain table, at kernel size `size`.
template <std::size_t... K>
void check_every_chapter(std::size_t size, std::index_sequence<K...>) {
    (check_on_gpu<chain_table[K].chapter>(size), ...);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_chapters_gpu_step_and_chain_match_the_cpu) {
    for (std::size_t size = 0; size < std::size(kernel_sizes); ++size)
        check_every_chapter(size, std::make_index_sequence<chain_size>());
}

BOOST_AUTO_TEST_CASE(gpu_train_follows_the_plain_loop_and_pytorch) {
    // The reference run (n = 32, H = 200, 300 steps) in launches of 128 steps, checked as the
    // CPU executor's run is (test_fused_step.cpp), with the same bounds.
    const Reference ref("train");
    const TrainingConfig c = reference_training(ref);
    const RunResult r = on_gpu(c, 0, 0, 128);
    check_against_plain_loop(r, c, "GPU");
    check_losses_against_pytorch(r.losses, ref.load<float, 1>("loss"));
    check_params_close(r.params, load_params(ref));
    // The kernel has no atomics and a fixed order of every sum: a second run gives the same bits.
    const RunResult again = on_gpu(c, 0, 0, 128);
    BOOST_TEST(again.losses == r.losses, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gpu_train_a_few_steps_at_the_lectures_size) {
    // Short enough for compute-sanitizer's racecheck, synccheck and initcheck
    // (tools/gpu-check.sh): 3 steps in launches of 2, the learning rate dropping at step 2.
    const TrainingConfig c = fused_config(32, 200, 3, 2);
    check_against_plain_loop(on_gpu(c, 0, 0, 2), c, "GPU, 3 steps");
}

BOOST_AUTO_TEST_CASE(the_profiled_kernel_trains_the_same_and_times_every_phase) {
    // bench_gpu_training --phases runs the kernel that reads the clock after every phase: it must
    // train bit for bit as the plain kernel, and give every phase of the table some cycles.
    const TrainingConfig c = fused_config(32, 200, 20, 10);
    std::vector<GpuPhaseTime> phases;
    const RunResult profiled = on_gpu(c, 0, 0, 7, &phases);
    BOOST_TEST(profiled.losses == on_gpu(c, 0, 0, 7).losses, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(phases.size() == std::size(gpu::step_phases));
    for (std::size_t k = 0; k < phases.size(); ++k) {
        BOOST_TEST(phases[k].name == gpu::step_phases[k].name);
        BOOST_TEST(phases[k].cycles > 0.0, phases[k].name);
        BOOST_TEST_MESSAGE(phases[k].name << ": " << phases[k].cycles << " cycles a step");
    }
}

BOOST_AUTO_TEST_CASE(gpu_train_at_odd_sizes_blocks_threads_and_launches) {
    for (const FusedCase& k : fused_cases) {
        const TrainingConfig c = fused_case_config(k);
        check_against_plain_loop(on_gpu(c, k.blocks, k.threads, fused_case_chunk), c,
                                 "GPU, " + std::to_string(k.blocks) + " blocks asked, " +
                                     std::to_string(k.threads) + " threads");
    }
}

namespace {

bool init_cuda_tests() {
    boost::unit_test::framework::master_test_suite().p_name.value = "cuda_kernels";
    return true;
}

}  // namespace

// Its own main (not tests/test_main.cpp's): without a usable GPU it reports the test as skipped.
int main(int argc, char* argv[]) {
    std::string why;
    if (!cuda_device_available(why)) {
        std::cout << "SKIPPED: no usable CUDA GPU (" << why << ")\n";
        return 77;
    }
    return boost::unit_test::unit_test_main(&init_cuda_tests, argc, argv);
}
