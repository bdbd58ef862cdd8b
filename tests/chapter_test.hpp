/// @file
/// @brief The checks every chapter's test runs on its step: PyTorch's gradients, float64
/// central differences on several setups, and the shape rule.
#pragma once

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>

#include "common/chapter.hpp"
#include "test_helpers.hpp"

// The chapter's exercise (tests/CMakeLists.txt names it), after the solution the test included.
#ifdef NINJA_EXERCISE_HEADER
#include NINJA_EXERCISE_HEADER
#endif

namespace ninja::test {

/// A setup for the finite-difference checks.
struct NumericalCase {
    std::uint64_t seed;
    std::size_t batch_size;
    std::size_t n_hidden;
};

/// Printed by Boost.Test in the name of each data-driven case.
inline std::ostream& operator<<(std::ostream& out, const NumericalCase& c) {
    return out << "seed " << c.seed << ", batch " << c.batch_size << ", n_hidden " << c.n_hidden;
}

/// The setups of the finite-difference checks: the smallest batch batchnorm allows, odd batch
/// sizes, a single hidden neuron, the lecture's sizes, and three seeds.
inline const std::vector<NumericalCase> numerical_cases{
    {2147483647, 2, 1}, {42, 5, 64}, {7, 3, 7}, {2147483647, 32, 64}};

/// The lecture's setup with other sizes and seed (the data set is read once per process).
inline Setup setup_for(const NumericalCase& c) {
    static const Dataset data = load_dataset(names_path(), Config{}.block_size);
    Config config;
    config.seed = c.seed, config.batch_size = c.batch_size, config.n_hidden = c.n_hidden;
    TorchGenerator g(config.seed);
    Params<float> params = init_params(config, g);
    Batch batch = sample_batch(data.train, config.batch_size, g);
    return Setup{config, data, std::move(params), std::move(batch)};
}

/// Every comparison of `names` must be approximately equal; the measured differences are logged.
inline void require_close(const std::vector<Comparison>& comparisons, std::size_t expected_count) {
    BOOST_TEST(comparisons.size() == expected_count);
    for (const Comparison& c : comparisons) {
        BOOST_TEST_MESSAGE(format_cmp(c) << " | max relative diff: " << c.max_reldiff);
        BOOST_TEST_CONTEXT(c.name) { BOOST_TEST(c.approximate); }
    }
}

/// The chapter's gradients against PyTorch autograd on the lecture's batch.
template <class Chapter>
void check_against_pytorch() {
    const Reference ref("lecture");
    ChapterRun<float> r = run_on_pytorch_reference<Chapter>(ref);
    const auto names = Chapter::info().grads;
    require_close(compare_grads(r, names), names.size());
}

/// The chapter's gradients in double against central differences of the loss.
template <class Chapter>
void check_against_numerical(const NumericalCase& c) {
    const auto names = Chapter::info().grads;
    ChapterRun<double> r = run_on_numerical_reference<Chapter>(setup_for(c), [&](std::string_view n) {
        return std::find(names.begin(), names.end(), n) != names.end();
    });
    require_close(compare_grads(r, names), names.size());
}

/// Every gradient the chapter produces has exactly the shape of its tensor.
template <class Chapter>
void check_shapes(const NumericalCase& c) {
    const Setup s = setup_for(c);
    ChapterRun<float> r{s.params, s.batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    Chapter::backward(r.g, r.f, r.params, r.batch);
    for (const std::string& name : Chapter::info().grads) {
        std::vector<std::size_t> tensor_shape, grad_shape;
        const auto shape_of = [](std::vector<std::size_t>& out) {
            return [&out](const auto& t) { out.assign(t.shape().begin(), t.shape().end()); };
        };
        BOOST_TEST_REQUIRE(with_tensor(name, r.g, r.f, r.params, shape_of(tensor_shape)));
        BOOST_TEST_REQUIRE(with_tensor("d" + name, r.g, r.f, r.params, shape_of(grad_shape)));
        BOOST_TEST_CONTEXT("d" << name) { BOOST_TEST(grad_shape == tensor_shape); }
    }
}

}  // namespace ninja::test

/// The three checks every chapter test file starts with. In exercise mode (NINJA_EXERCISES)
/// they check the learner's step (after the previous chapters' solutions) instead.
#define NINJA_CHAPTER_TESTS(Chapter)                                                          \
    BOOST_AUTO_TEST_CASE(matches_pytorch_autograd) {                                          \
        ninja::test::check_against_pytorch<ninja::ChapterFor<Chapter>>();                     \
    }                                                                                         \
    BOOST_DATA_TEST_CASE(matches_central_differences,                                         \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) {     \
        ninja::test::check_against_numerical<ninja::ChapterFor<Chapter>>(c);                  \
    }                                                                                         \
    BOOST_DATA_TEST_CASE(gradients_have_their_tensors_shapes,                                 \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) {     \
        ninja::test::check_shapes<ninja::ChapterFor<Chapter>>(c);                             \
    }
