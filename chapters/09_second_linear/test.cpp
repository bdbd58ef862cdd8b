#include "09_second_linear/second_linear.hpp"
#include "chapter_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(db2_is_mean_probability_minus_target_frequency) {
    // b2 is broadcast over the n rows of the batch, so db2[j] gathers n contributions, one per
    // example. Since dlogits = (probs - one_hot(Yb)) / n, their sum is the batch's average
    // probability of symbol j minus the fraction of targets equal to j. Computed here from probs
    // and Yb alone, without dlogits; the V entries cancel out.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.batch.size(), V = r.params.b2.size();
    BOOST_TEST_REQUIRE(r.g.db2.size() == V);
    double total = 0;
    for (std::size_t j = 0; j < V; ++j) {
        double expected = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double target = std::size_t(r.batch.Yb(i)) == j ? 1.0 : 0.0;
            expected += (double(r.f.probs(i, j)) - target) / double(n);
        }
        BOOST_TEST_CONTEXT("db2[" << j << "] = " << r.g.db2(j) << ", expected " << expected) {
            BOOST_TEST(std::abs(double(r.g.db2(j)) - expected) <= 1e-6);
        }
        total += double(r.g.db2(j));
    }
    BOOST_TEST(std::abs(total) <= 1e-6);
}

BOOST_AUTO_TEST_CASE(elementwise_index_formulas_of_the_two_products) {
    // dh[i][k] = sum_j dlogits[i][j] * W2[k][j] (the partial of logits[i][j] by h[i][k] is
    // W2[k][j]), and dW2[k][j] = sum_i h[i][k] * dlogits[i][j]: one outer product per example.
    // Summed here with explicit loops in double, on a setup where n, H and V all differ.
    ChapterRun<float> r = test::run_in_float({7, 5, 7});
    const std::size_t n = r.batch.size(), H = r.params.W2.shape(0), V = r.params.W2.shape(1);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < H; ++k) {
            double sum = 0;
            for (std::size_t j = 0; j < V; ++j)
                sum += double(r.g.dlogits(i, j)) * r.params.W2(k, j);
            BOOST_TEST_CONTEXT("dh[" << i << "][" << k << "]") {
                BOOST_TEST(std::abs(r.g.dh(i, k) - sum) <= 1e-7);
            }
        }
    for (std::size_t k = 0; k < H; ++k)
        for (std::size_t j = 0; j < V; ++j) {
            double sum = 0;
            for (std::size_t i = 0; i < n; ++i) sum += double(r.f.h(i, k)) * r.g.dlogits(i, j);
            BOOST_TEST_CONTEXT("dW2[" << k << "][" << j << "]") {
                BOOST_TEST(std::abs(r.g.dW2(k, j) - sum) <= 1e-7);
            }
        }
}

BOOST_AUTO_TEST_CASE(when_n_equals_V_only_the_values_pick_the_transpose) {
    // With a batch of V = 27 examples, dlogits is square and the wrong product
    // dlogits^T @ W2^T is (n, H) too: the shape rule cannot reject it. Central differences can.
    const Setup s = test::setup_for({2147483647, 27, 64});
    ChapterRun<double> r = test::run_in_double(s, {TensorId::h});
    BOOST_TEST_REQUIRE(r.batch.size() == r.params.W2.shape(1));
    const xt::xtensor<double, 2> wrong =
        xt::linalg::dot(xt::transpose(r.g.dlogits), xt::transpose(r.params.W2));
    BOOST_TEST_REQUIRE((wrong.shape() == r.g.dh.shape()));
    const Comparison right_one = compare("h", r.g.dh, r.expected.dh);
    const Comparison wrong_one = compare("h", wrong, r.expected.dh);
    BOOST_TEST_MESSAGE("dlogits @ W2.T:   " << format_cmp(right_one));
    BOOST_TEST_MESSAGE("dlogits.T @ W2.T: " << format_cmp(wrong_one));
    BOOST_TEST(right_one.approximate);
    BOOST_TEST(!wrong_one.approximate);
}
