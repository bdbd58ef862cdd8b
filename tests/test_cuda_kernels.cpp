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
#include "fused_step_check.hpp"
#include "gpu_case.hpp"
#include "kernels/train_step.hpp"

using namespace ninja;
using namespace ninja::test;

namespace {

constexpr double sum_rtol = 1e-4;   // reductions: another summation order than the CPU's
constexpr double gemm_rtol = 1e-4;  // cuBLAS against OpenBLAS

/// An upstream gradient shaped like `like` whose every element lies in [0.18, 0.9]: no row or
/// column sums to zero.
xt::xtensor<float, 2> made_up_upstream(const xt::xtensor<float, 2>& like) {
    xt::xtensor<float, 2> g = xt::xtensor<float, 2>::from_shape(like.shape());
    for (std::size_t i = 0; i < g.shape(0); ++i)
        for (std::size_t j = 0; j < g.shape(1); ++j)
            g(i, j) = 0.1f * float(i % 7 + 1) - 0.03f * float(j % 5) + 0.2f;
    return g;
}

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

BOOST_AUTO_TEST_CASE(ch01_logprobs) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dlogprobs);
        gpu::logprobs_backward(out.data(), k->Yb.data(), k->n(), k->V(), k->s());
        k->expect("dlogprobs", out, k->c.g.dlogprobs);
    }
}

BOOST_AUTO_TEST_CASE(ch02_probs) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dprobs);
        gpu::probs_backward(out.data(), (*k)["dlogprobs"], (*k)["probs"], k->n(), k->V(), k->s());
        k->expect("dprobs", out, k->c.g.dprobs);
    }
}

BOOST_AUTO_TEST_CASE(ch03_counts_sum_inv) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dcounts_sum_inv);
        gpu::counts_sum_inv_backward(out.data(), (*k)["dprobs"], (*k)["counts"], k->n(), k->V(),
                                     k->s());
        k->expect("dcounts_sum_inv", out, k->c.g.dcounts_sum_inv, sum_rtol);
    }
}

BOOST_AUTO_TEST_CASE(ch04_counts_sum) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dcounts_sum);
        gpu::counts_sum_backward(out.data(), (*k)["dcounts_sum_inv"], (*k)["counts_sum"], k->n(),
                                 k->s());
        k->expect("dcounts_sum", out, k->c.g.dcounts_sum);
    }
}

BOOST_AUTO_TEST_CASE(ch05_counts) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dcounts);
        gpu::counts_backward(out.data(), (*k)["dprobs"], (*k)["counts_sum_inv"],
                             (*k)["dcounts_sum"], k->n(), k->V(), k->s());
        k->expect("dcounts", out, k->c.g.dcounts);
    }
}

BOOST_AUTO_TEST_CASE(ch06_norm_logits) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dnorm_logits);
        gpu::norm_logits_backward(out.data(), (*k)["dcounts"], (*k)["counts"], k->n(), k->V(),
                                  k->s());
        k->expect("dnorm_logits", out, k->c.g.dnorm_logits);
    }
}

BOOST_AUTO_TEST_CASE(ch07_logit_maxes) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dlogit_maxes);
        gpu::logit_maxes_backward(out.data(), (*k)["dnorm_logits"], k->n(), k->V(), k->s());
        k->expect("dlogit_maxes", out, k->c.g.dlogit_maxes, sum_rtol, 1e-7);
    }
}

BOOST_AUTO_TEST_CASE(ch08_logits) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dlogits);
        gpu::logits_backward(out.data(), (*k)["dnorm_logits"], (*k)["dlogit_maxes"], (*k)["logits"],
                             k->n(), k->V(), k->s());
        k->expect("dlogits", out, k->c.g.dlogits);
    }
}

BOOST_AUTO_TEST_CASE(ch09_second_linear) {
    for (auto& k : cases()) {
        auto dh = k->output(k->c.g.dh), dW2 = k->output(k->c.g.dW2), db2 = k->output(k->c.g.db2);
        gpu::second_linear_backward(k->ctx.blas(), dh.data(), dW2.data(), db2.data(),
                                    (*k)["dlogits"], (*k)["h"], (*k)["W2"], k->n(), k->H(), k->V(),
                                    k->s());
        k->expect("dh", dh, k->c.g.dh, gemm_rtol);
        k->expect("dW2", dW2, k->c.g.dW2, gemm_rtol);
        k->expect("db2", db2, k->c.g.db2, sum_rtol);
    }
}

BOOST_AUTO_TEST_CASE(ch10_hpreact) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dhpreact);
        gpu::hpreact_backward(out.data(), (*k)["dh"], (*k)["h"], k->n(), k->H(), k->s());
        k->expect("dhpreact", out, k->c.g.dhpreact);
    }
}

BOOST_AUTO_TEST_CASE(ch11_batchnorm_scale) {
    for (auto& k : cases()) {
        auto dbngain = k->output(k->c.g.dbngain), dbnbias = k->output(k->c.g.dbnbias),
             dbnraw = k->output(k->c.g.dbnraw);
        gpu::batchnorm_scale_backward(dbngain.data(), dbnbias.data(), dbnraw.data(),
                                      (*k)["dhpreact"], (*k)["bnraw"], (*k)["bngain"], k->n(),
                                      k->H(), k->s());
        k->expect("dbngain", dbngain, k->c.g.dbngain, sum_rtol);
        k->expect("dbnbias", dbnbias, k->c.g.dbnbias, sum_rtol);
        k->expect("dbnraw", dbnraw, k->c.g.dbnraw);
    }
}

BOOST_AUTO_TEST_CASE(ch12_bnvar_inv) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dbnvar_inv);
        gpu::bnvar_inv_backward(out.data(), (*k)["dbnraw"], (*k)["bndiff"], k->n(), k->H(), k->s());
        k->expect("dbnvar_inv", out, k->c.g.dbnvar_inv, sum_rtol);
    }
}

BOOST_AUTO_TEST_CASE(ch13_bnvar) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dbnvar);
        gpu::bnvar_backward(out.data(), (*k)["dbnvar_inv"], (*k)["bnvar"], k->H(), k->s());
        k->expect("dbnvar", out, k->c.g.dbnvar);
    }
}

BOOST_AUTO_TEST_CASE(ch14_bndiff2) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dbndiff2);
        gpu::bndiff2_backward(out.data(), (*k)["dbnvar"], k->n(), k->H(), k->s());
        k->expect("dbndiff2", out, k->c.g.dbndiff2);
    }
}

BOOST_AUTO_TEST_CASE(ch15_bndiff) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dbndiff);
        gpu::bndiff_backward(out.data(), (*k)["dbnraw"], (*k)["bnvar_inv"], (*k)["dbndiff2"],
                             (*k)["bndiff"], k->n(), k->H(), k->s());
        k->expect("dbndiff", out, k->c.g.dbndiff);
    }
}

BOOST_AUTO_TEST_CASE(ch16_bnmeani) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dbnmeani);
        gpu::bnmeani_backward(out.data(), (*k)["dbndiff"], k->n(), k->H(), k->s());
        k->expect("dbnmeani", out, k->c.g.dbnmeani, sum_rtol, 1e-7);
    }
}

BOOST_AUTO_TEST_CASE(ch17_hprebn) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dhprebn);
        gpu::hprebn_backward(out.data(), (*k)["dbndiff"], (*k)["dbnmeani"], k->n(), k->H(), k->s());
        k->expect("dhprebn", out, k->c.g.dhprebn);
    }
}

BOOST_AUTO_TEST_CASE(ch18_first_linear) {
    for (auto& k : cases()) {
        auto dembcat = k->output(k->c.g.dembcat), dW1 = k->output(k->c.g.dW1),
             db1 = k->output(k->c.g.db1);
        const int BE = k->c.B() * k->c.E();
        gpu::first_linear_backward(k->ctx.blas(), dembcat.data(), dW1.data(), db1.data(),
                                   (*k)["dhprebn"], (*k)["embcat"], (*k)["W1"], k->n(), BE, k->H(),
                                   k->s());
        k->expect("dembcat", dembcat, k->c.g.dembcat, gemm_rtol);
        k->expect("dW1", dW1, k->c.g.dW1, gemm_rtol);
        k->expect("db1", db1, k->c.g.db1, sum_rtol);
    }
}

BOOST_AUTO_TEST_CASE(ch19_emb) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.demb);
        gpu::emb_backward(out.data(), (*k)["dembcat"], int(k->c.g.demb.size()), k->s());
        k->expect("demb", out, k->c.g.demb);
    }
}

BOOST_AUTO_TEST_CASE(ch20_embedding_table) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dC);
        gpu::embedding_table_backward(out.data(), (*k)["demb"], k->Xb.data(), k->n(), k->c.B(),
                                      k->c.E(), k->V(), k->s());
        k->expect("dC", out, k->c.g.dC, sum_rtol);
    }
}

BOOST_AUTO_TEST_CASE(ch21_fused_cross_entropy) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dlogits);
        gpu::cross_entropy_backward(out.data(), (*k)["logits"], k->Yb.data(), k->n(), k->V(),
                                    k->s());
        k->expect("dlogits (fused)", out, k->c.g.dlogits, 1e-4, 1e-8);
    }
}

BOOST_AUTO_TEST_CASE(ch22_fused_batchnorm) {
    for (auto& k : cases()) {
        auto out = k->output(k->c.g.dhprebn);
        gpu::batchnorm_backward(out.data(), (*k)["dhpreact"], (*k)["bnraw"], (*k)["bngain"],
                                (*k)["bnvar_inv"], k->n(), k->H(), k->s());
        k->expect("dhprebn (fused)", out, k->c.g.dhprebn, 1e-3, 1e-9);
    }
}

BOOST_AUTO_TEST_CASE(the_chained_backward_matches_the_cpu) {
    for (auto& k : cases()) {
        Grads<float> chain;
        // The chained backward of chapter 20 through the host wrapper, every gradient at once.
        gpu_chapter_backward(20, chain, k->c.f, k->c.p, k->c.b);
        for (const TensorInfo& t : tensor_table)
            visit_pair(t.id, chain, k->c.g, [&](const auto& got, const auto& want) {
                check_close("chain 1..20: d" + std::string(t.name) + " (" + k->c.label() + ")", got,
                            want, 1e-3, 1e-7);
            });
    }
}

BOOST_AUTO_TEST_CASE(near_zero_gradients_on_made_up_upstream_gradients) {
    // dlogit_maxes, dbnmeani and db1 are near zero in the model, where an absolute tolerance lets
    // a kernel that writes zeros pass. On an upstream gradient whose rows and columns do not sum
    // to zero they are far from it, and each kernel must match its chapter's CPU step.
    for (auto& k : cases()) {
        const xt::xtensor<float, 2> dnorm_logits = made_up_upstream(k->c.g.dnorm_logits),
                                    dbndiff = made_up_upstream(k->c.g.dbndiff),
                                    dhprebn = made_up_upstream(k->c.g.dhprebn);
        xt::xtensor<float, 2> dlogit_maxes, dbnmeani, dembcat, dW1;
        xt::xtensor<float, 1> db1;
        logit_maxes_backward(dlogit_maxes, dnorm_logits);                             // 07
        bnmeani_backward(dbnmeani, dbndiff);                                          // 16
        first_linear_backward(dembcat, dW1, db1, dhprebn, k->c.f.embcat, k->c.p.W1);  // 18
        for (const auto* near_zero : {&dlogit_maxes, &dbnmeani})
            BOOST_TEST(xt::amin(xt::abs(*near_zero))() > 0.1f);
        BOOST_TEST(xt::amin(xt::abs(db1))() > 0.1f);

        const auto up07 = gpu::to_device(dnorm_logits), up16 = gpu::to_device(dbndiff),
                   up18 = gpu::to_device(dhprebn);
        auto out07 = k->output(dlogit_maxes), out16 = k->output(dbnmeani),
             out_dembcat = k->output(dembcat), out_dW1 = k->output(dW1), out_db1 = k->output(db1);
        gpu::logit_maxes_backward(out07.data(), up07.data(), k->n(), k->V(), k->s());
        gpu::bnmeani_backward(out16.data(), up16.data(), k->n(), k->H(), k->s());
        gpu::first_linear_backward(k->ctx.blas(), out_dembcat.data(), out_dW1.data(),
                                   out_db1.data(), up18.data(), (*k)["embcat"], (*k)["W1"], k->n(),
                                   k->c.B() * k->c.E(), k->H(), k->s());
        k->expect("07 dlogit_maxes, made-up upstream", out07, dlogit_maxes, sum_rtol, 0);
        k->expect("16 dbnmeani, made-up upstream", out16, dbnmeani, sum_rtol, 0);
        k->expect("18 db1, made-up upstream", out_db1, db1, sum_rtol, 0);
        k->expect("18 dembcat, made-up upstream", out_dembcat, dembcat, gemm_rtol, 0);
        k->expect("18 dW1, made-up upstream", out_dW1, dW1, gemm_rtol, 0);
    }
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
