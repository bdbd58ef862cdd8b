#include "19_emb/emb.hpp"
#include "chapter_test.hpp"

using namespace ninja;

NINJA_CHAPTER_TESTS()

BOOST_AUTO_TEST_CASE(demb_is_the_numbers_of_dembcat_in_the_same_order) {
    // A view moves no numbers: demb holds the numbers of dembcat, bit for bit, in the same
    // row-major order, and element (i, k, e) of demb is element (i, k*E + e) of dembcat, the
    // same pairing as the forward pass's embcat(i, k*E + e) = emb(i, k, e).
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.f.emb.shape(0), B = r.f.emb.shape(1), E = r.f.emb.shape(2);
    BOOST_TEST_REQUIRE((r.g.demb.shape() == r.f.emb.shape()));
    BOOST_TEST_REQUIRE(r.g.demb.size() == r.g.dembcat.size());
    std::size_t differing = 0;
    for (std::size_t m = 0; m < r.g.demb.size(); ++m)
        differing += r.g.demb.flat(m) != r.g.dembcat.flat(m);
    BOOST_TEST(differing == 0u);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < B; ++k)
            for (std::size_t e = 0; e < E; ++e) {
                BOOST_TEST_REQUIRE(r.f.embcat(i, k * E + e) == r.f.emb(i, k, e));
                BOOST_TEST_CONTEXT("demb(" << i << ", " << k << ", " << e << ")") {
                    BOOST_TEST(r.g.demb(i, k, e) == r.g.dembcat(i, k * E + e));
                }
            }
    // PyTorch's demb is its dembcat re-shaped as well: the same numbers in the same order.
    BOOST_TEST_REQUIRE(r.expected.demb.size() == r.expected.dembcat.size());
    std::size_t pytorch_differing = 0;
    for (std::size_t m = 0; m < r.expected.demb.size(); ++m)
        pytorch_differing += r.expected.demb.flat(m) != r.expected.dembcat.flat(m);
    BOOST_TEST(pytorch_differing == 0u);
}

BOOST_AUTO_TEST_CASE(a_same_size_reading_in_another_order_is_wrong) {
    // Reading dembcat as (n, E, B) and swapping the last two axes gives a tensor of emb's shape
    // and size that pairs the gradients with the wrong numbers: central differences reject it.
    ChapterRun<double> r = test::run_in_double(test::setup_for({42, 5, 64}), {TensorId::emb});
    const std::size_t n = r.f.emb.shape(0), B = r.f.emb.shape(1), E = r.f.emb.shape(2);
    const xt::xtensor<double, 3> other_order =
        xt::transpose(xt::reshape_view(r.g.dembcat, {n, E, B}), {0, 2, 1});
    BOOST_TEST_REQUIRE((other_order.shape() == r.g.demb.shape()));
    const Comparison right = compare("emb", r.g.demb, r.expected.demb);
    const Comparison wrong = compare("emb", other_order, r.expected.demb);
    BOOST_TEST_MESSAGE("view back:          " << format_cmp(right));
    BOOST_TEST_MESSAGE("(n, E, B) reading:  " << format_cmp(wrong));
    BOOST_TEST(right.approximate);
    BOOST_TEST(!wrong.approximate);
}
