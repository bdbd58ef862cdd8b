/// @file
/// @brief The per-element math of the CUDA kernels (kernels/elementwise.hpp), run on the CPU and
/// checked against the chapters' xtensor steps, so it is tested without a GPU; and the
/// `--device cuda` contract of every chapter program.
#include <boost/test/unit_test.hpp>

#include "common/device.hpp"
#include "common/error.hpp"
#include "kernel_fixture.hpp"
#include "kernels/elementwise.hpp"

using namespace ninja;
using ninja::test::check_close;
using ninja::test::KernelCase;
namespace m = ninja::math;

namespace {

/// out(i, j) = fn(i, j) for a (rows, cols) tensor.
template <class Fn>
xt::xtensor<float, 2> each(std::size_t rows, std::size_t cols, Fn&& fn) {
    xt::xtensor<float, 2> out = xt::xtensor<float, 2>::from_shape({rows, cols});
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) out(i, j) = fn(i, j);
    return out;
}

/// Checks every step's math at one size.
void check_math(const KernelCase& c) {
    const std::string at = " (" + c.label() + ")";
    const auto& f = c.f;
    const auto& g = c.g;
    const auto& p = c.p;
    const std::size_t n = f.logits.shape(0), V = f.logits.shape(1), H = f.h.shape(1);
    const int ni = c.n();

    check_close(
        "01 dlogprobs" + at,
        each(n, V, [&](auto i, auto j) { return m::dlogprobs(std::int64_t(j) == c.b.Yb(i), ni); }),
        g.dlogprobs);
    check_close(
        "02 dprobs" + at,
        each(n, V, [&](auto i, auto j) { return m::dprobs(g.dlogprobs(i, j), f.probs(i, j)); }),
        g.dprobs);
    check_close("04 dcounts_sum" + at,
                each(n, 1,
                     [&](auto i, auto) {
                         return m::dcounts_sum(g.dcounts_sum_inv(i, 0), f.counts_sum(i, 0));
                     }),
                g.dcounts_sum);
    check_close("05 dcounts" + at,
                each(n, V,
                     [&](auto i, auto j) {
                         return m::dcounts(f.counts_sum_inv(i, 0), g.dprobs(i, j),
                                           g.dcounts_sum(i, 0));
                     }),
                g.dcounts);
    check_close(
        "06 dnorm_logits" + at,
        each(n, V,
             [&](auto i, auto j) { return m::dnorm_logits(f.counts(i, j), g.dcounts(i, j)); }),
        g.dnorm_logits);
    check_close("08 dlogits" + at,
                each(n, V,
                     [&](auto i, auto j) {
                         std::size_t winner = 0;
                         for (std::size_t k = 1; k < V; ++k)
                             if (f.logits(i, k) > f.logits(i, winner)) winner = k;
                         return m::dlogits(g.dnorm_logits(i, j), j == winner, g.dlogit_maxes(i, 0));
                     }),
                g.dlogits);
    check_close("10 dhpreact" + at,
                each(n, H, [&](auto i, auto j) { return m::dhpreact(f.h(i, j), g.dh(i, j)); }),
                g.dhpreact);
    check_close(
        "11 dbnraw" + at,
        each(n, H, [&](auto i, auto j) { return m::dbnraw(p.bngain(0, j), g.dhpreact(i, j)); }),
        g.dbnraw);
    check_close(
        "13 dbnvar" + at,
        each(1, H, [&](auto, auto j) { return m::dbnvar(g.dbnvar_inv(0, j), f.bnvar(0, j)); }),
        g.dbnvar);
    check_close("14 dbndiff2" + at,
                each(n, H, [&](auto, auto j) { return m::dbndiff2(g.dbnvar(0, j), ni); }),
                g.dbndiff2);
    check_close("15 dbndiff" + at,
                each(n, H,
                     [&](auto i, auto j) {
                         return m::dbndiff(f.bnvar_inv(0, j), g.dbnraw(i, j), f.bndiff(i, j),
                                           g.dbndiff2(i, j));
                     }),
                g.dbndiff);
    check_close(
        "17 dhprebn" + at,
        each(n, H,
             [&](auto i, auto j) { return m::dhprebn(g.dbndiff(i, j), g.dbnmeani(0, j), ni); }),
        g.dhprebn);

    // 21: the fused cross-entropy equals the chain of chapters 01-08.
    check_close("21 dlogits (fused)" + at,
                each(n, V,
                     [&](auto i, auto j) {
                         float mx = f.logits(i, 0), s = 0;
                         for (std::size_t k = 1; k < V; ++k) mx = std::max(mx, f.logits(i, k));
                         for (std::size_t k = 0; k < V; ++k) s += std::exp(f.logits(i, k) - mx);
                         return m::dlogits_fused(std::exp(f.logits(i, j) - mx), s,
                                                 std::int64_t(j) == c.b.Yb(i), ni);
                     }),
                g.dlogits, 1e-4, 1e-8);
    // 22: the fused batchnorm equals the chain of chapters 11-17.
    xt::xtensor<float, 1> s1 = xt::zeros<float>({H}), s2 = xt::zeros<float>({H});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < H; ++j)
            s1(j) += g.dhpreact(i, j), s2(j) += g.dhpreact(i, j) * f.bnraw(i, j);
    check_close("22 dhprebn (fused)" + at,
                each(n, H,
                     [&](auto i, auto j) {
                         return m::dhprebn_fused(p.bngain(0, j), f.bnvar_inv(0, j), ni,
                                                 g.dhpreact(i, j), s1(j), f.bnraw(i, j), s2(j));
                     }),
                g.dhprebn, 1e-3, 1e-9);
    // The forward pass's one formula here.
    check_close("forward bnvar_inv" + at,
                each(1, H, [&](auto, auto j) { return m::bnvar_inv(f.bnvar(0, j)); }), f.bnvar_inv);
}

}  // namespace

BOOST_AUTO_TEST_CASE(elementwise_math_matches_the_chapters_steps) {
    for (const auto& size : ninja::test::kernel_sizes) check_math(KernelCase(size.n, size.H));
}

BOOST_AUTO_TEST_CASE(sgd_is_p_minus_lr_times_grad) {
    BOOST_TEST(m::sgd(1.0f, 2.0f, 0.1f) == 1.0f - 0.1f * 2.0f);
}

BOOST_AUTO_TEST_CASE(without_a_gpu_device_cuda_is_a_usage_error) {
    std::string why;
    const bool gpu = cuda_device_available(why);
#ifndef NINJA_WITH_CUDA
    BOOST_TEST(!gpu);
    BOOST_TEST(why == "built without CUDA");
#endif
    if (gpu) return;  // with a GPU, tests/test_cuda_kernels.cpp and the chapter runs cover it
    BOOST_TEST(!why.empty());
    // The programs print one line on stderr and exit with code 2 (the ctest tests
    // device_cuda_error and training_device_cuda_error of a CPU-only build run them).
    BOOST_CHECK_THROW(require_cuda_device(), InputError);
}
