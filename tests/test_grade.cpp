// The feedback under a wrong verdict (common/program/difference.hpp): each typical shape of a
// mistake, made by hand from an expected gradient, is named; and a gradient that only rounds
// differently gets no description at all.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <string>

#include "common/program/difference.hpp"
#include "common/program/learner_code.hpp"

using namespace ninja;

namespace {

/// An expected gradient of shape (rows, cols) with no pattern of its own: every element differs
/// from its neighbours and none is zero.
FlatTensor expected_grid(std::size_t rows, std::size_t cols) {
    FlatTensor t{{rows, cols}, {}};
    for (std::size_t k = 0; k < rows * cols; ++k)
        t.values.push_back(std::sin(1.0 + 0.7 * double(k)) + 0.01 * double(k % 5) + 2.0);
    return t;
}

/// `expected` with every element (i, j) replaced by change(i, j, value).
FlatTensor changed(const FlatTensor& expected,
                   const std::function<double(std::size_t, std::size_t, double)>& change) {
    FlatTensor t = expected;
    const std::size_t cols = t.shape[1];
    for (std::size_t k = 0; k < t.values.size(); ++k)
        t.values[k] = change(k / cols, k % cols, t.values[k]);
    return t;
}

/// The description of how `mine` differs from `expected`.
std::string describe(const FlatTensor& mine, const FlatTensor& expected, std::size_t n = 5,
                     const std::vector<std::size_t>& targets = {}) {
    return describe_difference(mine, expected, n, targets);
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_constant_factor_is_named_with_the_batch_size) {
    const FlatTensor x = expected_grid(32, 27);
    const std::string bessel =
        describe(changed(x, [](auto, auto, double v) { return v * 31 / 32; }), x, 32);
    BOOST_TEST(has(bessel, "times 31/32 everywhere: a factor (n-1)/n, with n = 32"), bessel);
    const std::string sign = describe(changed(x, [](auto, auto, double v) { return -v; }), x, 32);
    BOOST_TEST(has(sign, "times -1 everywhere: the sign"), sign);
    const std::string mean =
        describe(changed(x, [](auto, auto, double v) { return v / 32; }), x, 32);
    BOOST_TEST(has(mean, "times 1/32 everywhere: a factor 1/n"), mean);
    const std::string other =
        describe(changed(x, [](auto, auto, double v) { return 2.5 * v; }), x, 32);
    BOOST_TEST(has(other, "times 5/2 everywhere"), other);
    BOOST_TEST(!has(other, "a factor"), other);
}

BOOST_AUTO_TEST_CASE(zero_and_a_constant_offset) {
    const FlatTensor x = expected_grid(4, 6);
    const std::string zero = describe(changed(x, [](auto, auto, double) { return 0.0; }), x);
    BOOST_TEST(has(zero, "yours is zero everywhere"), zero);
    const std::string offset =
        describe(changed(x, [](auto, auto, double v) { return v + 0.5; }), x);
    BOOST_TEST(has(offset, "plus one constant, 0.5, everywhere"), offset);
}

BOOST_AUTO_TEST_CASE(errors_confined_to_rows_columns_or_one_element_per_row) {
    const FlatTensor x = expected_grid(5, 7);
    const std::string rows = describe(
        changed(x, [](std::size_t i, auto, double v) { return i == 1 || i == 3 ? v + i : v; }), x);
    BOOST_TEST(has(rows, "only rows 1, 3 differ (2 of 5)"), rows);
    const std::string cols =
        describe(changed(x, [](auto, std::size_t j, double v) { return j == 6 ? 3 * v : v; }), x);
    BOOST_TEST(has(cols, "only column 6 differs (1 of 7)"), cols);
    const std::string one = describe(
        changed(
            x, [](std::size_t i, std::size_t j, double v) { return j == (2 * i) % 7 ? v - 1 : v; }),
        x);
    BOOST_TEST(
        has(one, "exactly one element in each row differs (row 0: column 0, row 1: column 2"), one);
    const std::string target = describe(
        changed(
            x, [](std::size_t i, std::size_t j, double v) { return j == (2 * i) % 7 ? v - 1 : v; }),
        x, 5, {0, 2, 4, 6, 1});
    BOOST_TEST(has(target, "exactly one element in each row differs: the target's (Yb)"), target);
    // A 3-D gradient, wrong in positions 1 and 2 of its second axis only.
    const FlatTensor demb{{4, 3, 2}, std::vector<double>(24, 1.0)};
    FlatTensor first_only = demb;
    for (std::size_t k = 0; k < 24; ++k) first_only.values[k] = (k / 2) % 3 == 0 ? 1.0 : 0.0;
    const std::string axis = describe(first_only, demb);
    BOOST_TEST(has(axis, "only indices 1, 2 along axis 1 differ (2 of 3)"), axis);
}

BOOST_AUTO_TEST_CASE(a_difference_or_a_factor_that_depends_on_the_row_or_the_column_only) {
    const FlatTensor x = expected_grid(5, 7);
    const std::string by_row = describe(
        changed(x, [](std::size_t i, auto, double v) { return v + 0.1 * double(i + 1); }), x);
    BOOST_TEST(has(by_row, "constant along each row, like a (5, 1) term"), by_row);
    const std::string by_col = describe(
        changed(x, [](auto, std::size_t j, double v) { return v - 0.2 * double(j + 1); }), x);
    BOOST_TEST(has(by_col, "constant down each column, like a (1, 7) term"), by_col);
    const std::string row_factor =
        describe(changed(x, [](std::size_t i, auto, double v) { return v * double(i + 2); }), x);
    BOOST_TEST(has(row_factor, "yours / expected is constant along each row"), row_factor);
}

BOOST_AUTO_TEST_CASE(nan_is_reported_where_it_first_appears) {
    const FlatTensor x = expected_grid(3, 4);
    const std::string nan =
        describe(changed(x, [](std::size_t i, std::size_t j,
                               double v) { return i == 2 && j >= 1 ? std::nan("") : v; }),
                 x);
    BOOST_TEST(has(nan, "yours has 3 NaN or infinite elements, the first at [2, 1]"), nan);
}

BOOST_AUTO_TEST_CASE(rounding_alone_gets_no_description) {
    // Within torch.allclose's tolerance, nothing is wrong: nothing is described, not even the
    // constant factor 1 + 1e-7 that rounding happens to look like here.
    const FlatTensor x = expected_grid(5, 7);
    BOOST_TEST(
        describe(changed(x, [](auto, auto, double v) { return v * (1 + 1e-7); }), x).empty());
    // And an error without structure gets none either.
    const std::string noise =
        describe(changed(x, [](std::size_t i, std::size_t j,
                               double v) { return v + std::cos(double(i * 7 + j * j)); }),
                 x);
    BOOST_TEST(noise.empty(), noise);
}

BOOST_AUTO_TEST_CASE(shape_mismatches_say_what_is_missing) {
    using S = std::vector<std::size_t>;
    BOOST_TEST(has(describe_shape_mismatch(S{1, 64}, S{32, 64}),
                   "broadcast back over that axis is missing"));
    BOOST_TEST(has(describe_shape_mismatch(S{32, 64}, S{1, 64}), "sum over that axis (keeping it"));
    BOOST_TEST(has(describe_shape_mismatch(S{64}, S{1, 64}), "keep the summed axis"));
    BOOST_TEST(has(describe_shape_mismatch(S{1, 64}, S{64}), "sum without xt::keep_dims"));
    BOOST_TEST(has(describe_shape_mismatch(S{64, 30}, S{30, 64}), "transposed"));
    BOOST_TEST(has(describe_shape_mismatch(S{32}, S{64}), "over the wrong axis"));
    BOOST_TEST(has(describe_shape_mismatch(S{0, 0}, S{27, 10}), "did the step write it?"));
    BOOST_TEST(has(describe_shape_mismatch(S{3, 10}, S{30}), "another shape"));
}

BOOST_AUTO_TEST_CASE(a_small_constant_left_out_is_named_as_such) {
    // The variance without its + 1e-5 (chapter 13): every element within a relative 3e-5 of the
    // expected one, beyond allclose's 1e-5 in a few columns only. Not "only columns ... differ",
    // which points away from the mistake: a small constant such as eps.
    const FlatTensor x = expected_grid(1, 64);
    const std::string eps = describe(
        changed(x, [](auto, std::size_t j, double v) { return v * (1 + 3e-5 * (j % 9 == 4)); }), x);
    BOOST_TEST(has(eps, "each by a relative error of at most 3e-05"), eps);
    BOOST_TEST(has(eps, "a small constant such as eps"), eps);
    // A difference of a percent is another formula, not a constant: not named so.
    const std::string percent = describe(
        changed(x, [](auto, std::size_t j, double v) { return v * (1 + 0.01 * (j % 9 == 4)); }), x);
    BOOST_TEST(!has(percent, "eps"), percent);
}

BOOST_AUTO_TEST_CASE(the_learners_errors_are_explained_in_a_learners_words) {
    // xtensor's own texts, as an exercise build (XTENSOR_ENABLE_ASSERT) throws them.
    const std::string rank = explain_learner_error(
        "Assertion error!\nCannot change dimension of xtensor.\n  "
        "/usr/include/xtensor/xtensor.hpp(548)\n");
    BOOST_TEST(has(rank, "without xt::keep_dims"), rank);
    const std::string index = explain_learner_error(
        "/usr/include/xtensor/xcontainer.hpp:438: check failed\n\tindex 1 is out of bounds for "
        "axis 0 with size 0");
    BOOST_TEST(has(index, "index 1 along axis 0 of a tensor whose length there is 0"), index);
    BOOST_TEST(has(index, "no shape yet"), index);
    const std::string shapes = explain_learner_error(
        "Incompatible dimension of arrays:\n LHS shape = (4, 5, )\n RHS shape = (3, 1, )");
    BOOST_TEST(shapes == "shapes that do not broadcast together: (4, 5) and (3, 1)");
    // Anything else stays as it is, on one line and without the library's file names.
    BOOST_TEST(
        explain_learner_error("Assertion error!\nsomething else\n  /usr/include/x/y.hpp(1)\n") ==
        "something else");
    BOOST_TEST(has(explain_learner_error("std::bad_alloc"), "more memory"));
    BOOST_TEST(explain_learner_error("my own message") == "my own message");
}
