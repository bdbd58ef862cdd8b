#include "18_first_linear/first_linear.hpp"
#include "chapter_test.hpp"
#include "common/numerical.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(db1_is_zero_because_the_batch_mean_removes_b1) {
    // Every column of dhprebn sums to zero (chapter 17), so db1 is zero up to rounding: both
    // the code's value and PyTorch's are noise, far below the size of the n terms summed.
    ChapterRun<float> r = test::lecture_run();
    const xt::xtensor<float, 1> size = xt::sum(xt::abs(r.g.dhprebn), {0});
    const double mine = xt::amax(xt::abs(r.g.db1) / size)();
    const double pytorch = xt::amax(xt::abs(r.expected.db1) / size)();
    BOOST_TEST_MESSAGE("largest |db1| relative to sum_i |dhprebn|: here " << mine << ", PyTorch "
                                                                          << pytorch);
    BOOST_TEST(mine <= 1e-5);
    BOOST_TEST(pytorch <= 1e-5);
    // And b1 cannot move the loss: the forward pass in double with b1 shifted gives the same loss.
    const Setup s = test::setup_for({7, 5, 7});
    Params<double> p = cast_params<double>(s.params);
    Forward<double> f;
    forward(f, p, s.batch);
    const double loss = f.loss;
    p.b1 += xt::xtensor<double, 1>(xt::linspace<double>(-1.0, 1.0, p.b1.size()));
    forward(f, p, s.batch);
    BOOST_TEST(std::abs(f.loss - loss) <= 1e-12, loss << " vs " << f.loss);
}

BOOST_AUTO_TEST_CASE(the_step_alone_on_an_upstream_gradient_with_nonzero_column_sums) {
    // In the model db1 is zero and a wrong formula for it that also gives zero would pass the
    // comparisons. Here the step runs alone on the linear function L = sum_ij G_ij * hprebn_ij,
    // whose dL/dhprebn is G, with columns that do not sum to zero, and n = 5 differs from
    // H = 7 (and from B*E = 30): db1 must be the sum of G over the 5 rows, (7,), and every
    // gradient is checked against float64 central differences of L.
    const Setup s = test::setup_for({7, 5, 7});
    const Params<double> p0 = cast_params<double>(s.params);
    Forward<double> f;
    forward(f, p0, s.batch);
    xt::xtensor<double, 2> embcat = f.embcat, W1 = p0.W1;
    xt::xtensor<double, 1> b1 = p0.b1;
    const std::size_t n = embcat.shape(0), H = W1.shape(1);
    BOOST_TEST_REQUIRE(n != H);
    xt::xtensor<double, 2> G = xt::zeros<double>({n, H});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < H; ++j)
            G(i, j) = 0.1 * double(i + 1) - 0.03 * double(j * j) + 0.2;
    const auto L = [&] {
        const xt::xtensor<double, 2> hprebn = xt::linalg::dot(embcat, W1) + b1;
        return xt::sum(G * hprebn)();
    };
    xt::xtensor<double, 2> dembcat, dW1, numerical_embcat, numerical_W1;
    xt::xtensor<double, 1> db1, numerical_b1;
    tested::first_linear_backward(dembcat, dW1, db1, G, embcat, W1);
    central_differences(numerical_embcat, embcat, L, default_fd_step);
    central_differences(numerical_W1, W1, L, default_fd_step);
    central_differences(numerical_b1, b1, L, default_fd_step);
    BOOST_TEST_REQUIRE(db1.size() == H);
    for (const Comparison& c :
         {compare("embcat", dembcat, numerical_embcat), compare("W1", dW1, numerical_W1),
          compare("b1", db1, numerical_b1)}) {
        BOOST_TEST_MESSAGE(format_cmp(c) << " | max relative diff: " << c.max_reldiff);
        BOOST_TEST_CONTEXT(c.name) { BOOST_TEST(c.approximate); }
    }
    BOOST_TEST(xt::amin(xt::abs(db1))() > 0.1);  // far from zero: the check has teeth
}
