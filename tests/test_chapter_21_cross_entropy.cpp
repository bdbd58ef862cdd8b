#include "08_logits/logits.hpp"
#include "21_cross_entropy/cross_entropy.hpp"
#include "chapter_test.hpp"
#include "common/plot.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// Chapters 01-08 composed, on the same forward pass as `r`.
template <class T>
xt::xtensor<T, 2> composed_dlogits(const ChapterRun<T>& r) {
    Grads<T> g;
    backward<8>(g, r.f, r.params, r.batch);
    return g.dlogits;
}

}  // namespace

BOOST_AUTO_TEST_CASE(within_1e8_of_pytorch) {
    // The lecture: exact False, approximate True, maxdiff about 5e-9.
    ChapterRun<float> r = test::lecture_run();
    const Comparison c = compare("logits", r.g.dlogits, r.expected.dlogits);
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
}

BOOST_AUTO_TEST_CASE(agrees_with_chapters_01_to_08_composed) {
    ChapterRun<float> r = test::lecture_run();
    const Comparison c = compare("logits", r.g.dlogits, composed_dlogits(r));
    BOOST_TEST_MESSAGE(format_cmp(c));
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff <= 1e-8);
}

BOOST_DATA_TEST_CASE(agrees_with_chapters_01_to_08_in_double,
                     boost::unit_test::data::make(test::numerical_cases), c) {
    ChapterRun<double> r = test::run_in_double(c);
    const Comparison cmp = compare("logits", r.g.dlogits, composed_dlogits(r));
    BOOST_TEST(cmp.maxdiff <= 1e-15);
}

BOOST_AUTO_TEST_CASE(rows_sum_to_zero) {
    // The pull on the target equals the pushes on the rest: every row sums to zero, up to the
    // rounding of 27 float terms of size at most 1/n.
    ChapterRun<float> r = test::lecture_run();
    const std::size_t n = r.batch.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto row = xt::view(r.g.dlogits, i, xt::all());
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(std::abs(xt::sum(row)()) <= 5e-8f);
            const auto y = std::size_t(r.batch.Yb(i));
            BOOST_TEST(row(y) < 0.f);  // the target is pulled down ...
            for (std::size_t j = 0; j < row.size(); ++j)
                if (j != y) BOOST_TEST(row(j) > 0.f);  // ... every other entry pushed up
        }
    }
}

BOOST_AUTO_TEST_CASE(the_loss_comes_out_of_the_same_pass) {
    ChapterRun<float> r = test::lecture_run();
    xt::xtensor<float, 2> dlogits;
    const float loss = tested::cross_entropy_backward(dlogits, r.f.logits, r.batch.Yb);
    const float expected = Reference("lecture").load<float, 1>("loss")(0);
    BOOST_TEST(loss == expected, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(dlogits == r.g.dlogits);
}

BOOST_AUTO_TEST_CASE(huge_logits_do_not_overflow) {
    // exp(1000) overflows float; the shift by the row maximum makes it harmless, and a constant
    // added to a row changes neither the gradient nor the loss.
    ChapterRun<float> r = test::lecture_run();
    const xt::xtensor<float, 2> shifted = r.f.logits + 1000.f;
    xt::xtensor<float, 2> d0, d1;
    const float loss0 = tested::cross_entropy_backward(d0, r.f.logits, r.batch.Yb);
    const float loss1 = tested::cross_entropy_backward(d1, shifted, r.batch.Yb);
    BOOST_TEST(std::isfinite(loss1));
    BOOST_TEST(loss1 == loss0, boost::test_tools::tolerance(1e-3f));  // 1000 + z rounds z
    BOOST_TEST(xt::all(xt::isfinite(d1)));
    BOOST_TEST(xt::allclose(d1, d0, 1e-2, 1e-4));
}

BOOST_AUTO_TEST_CASE(the_picture_is_written) {
    ChapterRun<float> r = test::lecture_run();
    const png::Image image = plot::gradient_image(xt::cast<double>(r.g.dlogits), 12);
    BOOST_TEST(image.width == 27u * 12);
    BOOST_TEST(image.height == 32u * 12);
    BOOST_TEST(image.channels == 1u);
    for (std::size_t i = 0; i < r.batch.size(); ++i) {
        const std::size_t y = std::size_t(r.batch.Yb(i));
        BOOST_TEST(*image.at(y * 12 + 5, i * 12 + 5) < 100);  // the target: dark
        for (std::size_t j = 0; j < image.width / 12; ++j)    // the rest: positive, so light
            if (j != y) BOOST_TEST(*image.at(j * 12 + 5, i * 12 + 5) >= 128);
    }
    test::TempFile file("dlogits.png", "");
    png::write(file.path(), image);
    std::ifstream in(file.path(), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    BOOST_TEST_REQUIRE(bytes.size() > image.pixels.size());
    BOOST_TEST(std::string(bytes.begin() + 1, bytes.begin() + 4) == "PNG");
}
