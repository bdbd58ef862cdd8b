#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <sstream>

#include "common/cmp.hpp"
#include "test_helpers.hpp"

using namespace ninja;

BOOST_AUTO_TEST_CASE(python_float_matches_repr) {
    // Expected strings are what Python 3 prints for repr(x).
    BOOST_TEST(python_float(0.0) == "0.0");
    BOOST_TEST(python_float(4.656612873077393e-10) == "4.656612873077393e-10");
    BOOST_TEST(python_float(1e-05) == "1e-05");
    BOOST_TEST(python_float(0.0001) == "0.0001");
    BOOST_TEST(python_float(0.00012) == "0.00012");
    BOOST_TEST(python_float(0.1) == "0.1");
    BOOST_TEST(python_float(1.0) == "1.0");
    BOOST_TEST(python_float(123.0) == "123.0");
    BOOST_TEST(python_float(3.5571470260620117) == "3.5571470260620117");
    BOOST_TEST(python_float(1e16) == "1e+16");
    BOOST_TEST(python_float(1234567890123456.0) == "1234567890123456.0");
    BOOST_TEST(python_float(-2.5e-08) == "-2.5e-08");
    BOOST_TEST(python_float(double(float(5.1e-9))) == "5.099999977886682e-09");
    BOOST_TEST(python_float(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

BOOST_AUTO_TEST_CASE(line_has_the_notebooks_widths) {
    Comparison c{"logprobs", true, true, 0.0, 0.0};
    BOOST_TEST(format_cmp(c) ==
               "logprobs        | exact: True  | approximate: True  | maxdiff: 0.0");
    c = Comparison{"dlogits_fused", false, true, 4.656612873077393e-10, 0.0};
    BOOST_TEST(
        format_cmp(c) ==
        "dlogits_fused   | exact: False | approximate: True  | maxdiff: 4.656612873077393e-10");
}

BOOST_AUTO_TEST_CASE(exact_means_equal_elements) {
    const xt::xtensor<float, 2> a{{1.f, 2.f}}, b{{1.f, 2.f}};
    const Comparison c = compare("a", a, b);
    BOOST_TEST(c.exact);
    BOOST_TEST(c.approximate);
    BOOST_TEST(c.maxdiff == 0.0);
}

BOOST_AUTO_TEST_CASE(approximate_uses_allclose_tolerances_relative_to_the_reference) {
    const xt::xtensor<double, 1> ref{1000.0, 0.0};
    // 1e-8 + 1e-5 * 1000 = 0.01000001 allowed at element 0; 1e-8 at element 1.
    BOOST_TEST(compare("x", xt::xtensor<double, 1>{1000.0 + 0.0099, 0.0}, ref).approximate);
    BOOST_TEST(!compare("x", xt::xtensor<double, 1>{1000.0 + 0.0101, 0.0}, ref).approximate);
    BOOST_TEST(compare("x", xt::xtensor<double, 1>{1000.0, 0.9e-8}, ref).approximate);
    BOOST_TEST(!compare("x", xt::xtensor<double, 1>{1000.0, 1.1e-8}, ref).approximate);
    const Comparison c = compare("x", xt::xtensor<double, 1>{1000.0 + 0.0101, 0.0}, ref);
    BOOST_TEST(!c.exact);
    BOOST_TEST(c.maxdiff == 0.0101, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(c.max_reldiff == 0.0101 / 1000, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(nan_is_neither_exact_nor_close) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Comparison c = compare("x", xt::xtensor<double, 1>{nan}, xt::xtensor<double, 1>{1.0});
    BOOST_TEST(!c.exact);
    BOOST_TEST(!c.approximate);
    BOOST_TEST(format_cmp(c).find("maxdiff: nan") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_nan_in_the_middle_of_a_tensor_makes_maxdiff_nan) {
    // The NaN sits between finite differences, smaller ones before it and a larger one after
    // it, so that neither "the first" nor "the last" element decides; PyTorch's
    // (dt - t).abs().max() is nan.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const xt::xtensor<float, 2> ref{{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}};
    const xt::xtensor<float, 2> mine{{0.5f, 0.25f, nan}, {0.5f, 9.f, 0.5f}};
    const Comparison c = compare("probs", mine, ref);
    BOOST_TEST(std::isnan(c.maxdiff));
    BOOST_TEST(std::isnan(c.max_reldiff));
    BOOST_TEST(!c.approximate);
    BOOST_TEST(format_cmp(c) ==
               "probs           | exact: False | approximate: False | maxdiff: nan");
    // The same with the NaN in the reference, where the notebook's cmp meets it first.
    BOOST_TEST(std::isnan(compare("probs", ref, mine).maxdiff));
}

BOOST_AUTO_TEST_CASE(nan_max_keeps_a_nan_whatever_comes_after_it) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    BOOST_TEST(nan_max(1.0, 2.0) == 2.0);
    BOOST_TEST(nan_max(2.0, 1.0) == 2.0);
    BOOST_TEST(std::isnan(nan_max(1.0, nan)));
    BOOST_TEST(std::isnan(nan_max(nan, 5.0)));
    BOOST_TEST(std::isnan(nan_max(nan_max(0.0, nan), 1e300)));
}

BOOST_AUTO_TEST_CASE(different_shapes_are_an_error) {
    const xt::xtensor<float, 2> row{{1.f, 2.f}}, column{{1.f}, {2.f}};
    BOOST_CHECK_EXCEPTION(compare("x", row, column), InputError,
                          test::message_has("cmp(x): shapes (1, 2) and (2, 1) differ"));
    const xt::xtensor<float, 1> flat{1.f, 2.f};
    BOOST_CHECK_THROW(compare("x", row, flat), InputError);
}

BOOST_AUTO_TEST_CASE(cmp_prints_the_line_and_returns_the_result) {
    std::ostringstream out;
    const xt::xtensor<float, 1> a{1.f}, b{2.f};
    const Comparison c = cmp("probs", a, b, out);
    BOOST_TEST(!c.approximate);
    BOOST_TEST(out.str() == "probs           | exact: False | approximate: False | maxdiff: 1.0\n");
}
