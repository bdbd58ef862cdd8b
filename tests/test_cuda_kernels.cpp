/// @file
/// @brief Every CUDA kernel against its chapter's CPU step, on fresh random inputs at several
/// sizes; the chained GPU backward, the GPU forward pass, and a few steps of gpu_train().
/// Outputs are poisoned with NaN before each launch, so an element a kernel forgets fails.
/// Without a usable GPU the program prints why and exits with 77, which ctest reports as
/// skipped (SKIP_RETURN_CODE, tests/CMakeLists.txt).
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>

#include <iostream>

#include "common/device.hpp"
#include "gpu_case.hpp"

using namespace ninja;
using gpu::DeviceBuffer;
using ninja::test::cases;
using ninja::test::check_close;
using ninja::test::GpuCase;
using ninja::test::KernelCase;

namespace {

constexpr double sum_rtol = 1e-4;   // reductions: another summation order than the CPU's
constexpr double gemm_rtol = 1e-4;  // cuBLAS against OpenBLAS

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

BOOST_AUTO_TEST_CASE(gpu_forward_matches_the_cpu) {
    for (auto& k : cases()) {
        Grads<float> chain;
        // The chained backward of chapter 20 through the host wrapper, every gradient at once.
        gpu_chapter_backward(20, chain, k->c.f, k->c.p, k->c.b);
        for (const TensorInfo& t : tensor_table)
            visit_pair(t.id, chain, k->c.g, [&](const auto& got, const auto& want) {
                check_close("chain 1..20: d" + std::string(t.name) + " (" + k->c.label() + ")", got,
                            want, 1e-3, 1e-7);
            });
        // The forward pass: upload params and batch, run, compare every intermediate.
        gpu::Model m;
        m.d = {k->n(), k->c.B(), k->c.E(), k->H(), k->V()};
        m.blas = k->ctx.blas(), m.stream = k->s();
        std::map<std::string, DeviceBuffer<float>> fwd;
        k->c.f.for_each(
            [&](std::string_view name, const auto& t) { fwd[std::string(name)] = k->output(t); });
        DeviceBuffer<float> loss(1);
        m.f = {fwd["emb"].data(),
               fwd["hprebn"].data(),
               fwd["bnmeani"].data(),
               fwd["bndiff"].data(),
               fwd["bndiff2"].data(),
               fwd["bnvar"].data(),
               fwd["bnvar_inv"].data(),
               fwd["bnraw"].data(),
               fwd["hpreact"].data(),
               fwd["h"].data(),
               fwd["logits"].data(),
               fwd["logit_maxes"].data(),
               fwd["norm_logits"].data(),
               fwd["counts"].data(),
               fwd["counts_sum"].data(),
               fwd["counts_sum_inv"].data(),
               fwd["probs"].data(),
               fwd["logprobs"].data(),
               loss.data()};
        const auto param = [&](const char* name) { return const_cast<float*>((*k)[name]); };
        m.p = {param("C"),  param("W1"),     param("b1"),    param("W2"),
               param("b2"), param("bngain"), param("bnbias")};
        m.b = {k->Xb.data(), k->Yb.data()};
        gpu::forward(m);
        k->c.f.for_each([&](std::string_view name, const auto& want) {
            if (name != "embcat")
                k->expect("forward " + std::string(name), fwd[std::string(name)], want, 1e-3, 1e-6);
        });
        float gpu_loss = 0;
        loss.download(&gpu_loss);
        BOOST_TEST(std::abs(gpu_loss - k->c.f.loss) <= 1e-4f * std::abs(k->c.f.loss),
                   "loss " << gpu_loss << " vs " << k->c.f.loss);
    }
}

BOOST_AUTO_TEST_CASE(gpu_train_matches_cpu_sgd) {
    // A few steps of the lecture's loop, on the GPU and on the CPU (forward, the chapters' chain,
    // SGD), over chunk boundaries (chunk of 2 steps) and the learning-rate drop (at step 3).
    for (const std::size_t n : {2u, 32u}) {
        KernelCase k(n, 64, 7);
        const std::size_t N = 500;
        Examples data{xt::xtensor<Symbol, 2>::from_shape({N, 3}),
                      xt::xtensor<Symbol, 1>::from_shape({N})};
        TorchGenerator gen(1234);
        const auto xs = gen.randint(0, 27, data.X.size()), ys = gen.randint(0, 27, N);
        std::copy(xs.begin(), xs.end(), data.X.begin());
        std::copy(ys.begin(), ys.end(), data.Y.begin());
        GpuTrainOptions options;
        options.steps = 5, options.schedule.decay_step = 3, options.loss_every = 2,
        options.chunk_steps = 2;

        Params<float> on_gpu = k.p;
        TorchGenerator g_gpu(99);
        const GpuTrainResult result =
            gpu_train(on_gpu, data, n, options, torch_ix_source(g_gpu, std::int64_t(N), n));

        Params<float> on_cpu = k.p;
        TorchGenerator g_cpu(99);
        std::vector<float> cpu_losses;
        for (std::int64_t step = 0; step < options.steps; ++step) {
            const auto ix = g_cpu.randint(0, std::int64_t(N), n);
            xt::xtensor<std::int64_t, 1> ixt = xt::xtensor<std::int64_t, 1>::from_shape({n});
            std::copy(ix.begin(), ix.end(), ixt.begin());
            const Batch b = gather_batch(data, ixt);
            Forward<float> f;
            forward(f, on_cpu, b);
            cpu_losses.push_back(f.loss);
            Grads<float> g;
            backward<20>(g, f, on_cpu, b);
            const float lr = options.schedule.at(step);
            on_cpu.C -= lr * g.dC, on_cpu.W1 -= lr * g.dW1, on_cpu.b1 -= lr * g.db1;
            on_cpu.W2 -= lr * g.dW2, on_cpu.b2 -= lr * g.db2;
            on_cpu.bngain -= lr * g.dbngain, on_cpu.bnbias -= lr * g.dbnbias;
        }
        BOOST_TEST_REQUIRE(result.losses.size() == cpu_losses.size());
        for (std::size_t s = 0; s < cpu_losses.size(); ++s)
            BOOST_TEST(std::abs(result.losses[s] - cpu_losses[s]) <= 1e-3f * cpu_losses[s],
                       "step " << s << ": loss " << result.losses[s] << " vs " << cpu_losses[s]);
        BOOST_TEST(result.printed.size() == 3u);  // steps 0, 2, 4
        for (TensorId id : parameter_order)
            visit_pair(id, on_gpu, on_cpu, [&](const auto& got, const auto& want) {
                check_close("trained " + std::string(info(id).name) + " n=" + std::to_string(n),
                            got, want, 1e-3, 1e-6);
            });
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
