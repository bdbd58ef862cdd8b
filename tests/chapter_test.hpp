/// @file
/// @brief What every chapter's test shares: the chapter under test, the setups of the
/// finite-difference checks, and the checks every chapter's step must pass (against PyTorch's
/// gradients, against float64 central differences, the shape rule, and in exercise mode the step
/// alone on made-up gradients against the solution's).
///
/// A chapter's test file (chapters/NN_name/test.cpp) compiles only its own chapter and its own
/// property tests. CMake compiles it with NINJA_CHAPTER_NUMBER and NINJA_CHAPTER_FOLDER of its
/// chapter, and with NINJA_STEPS_HEADER, which names the learner's step, tested in exercise
/// mode.
///
/// In exercise mode every check grades the learner's step: a chapter's test reaches its own step
/// only through `tested::name_backward` and the runs below (lecture_run, run_in_double, ...),
/// never as `ninja::name_backward` or `backward<N>` (tools/check_mutants.py checks the test
/// files for that). What a check compares with may come from the solutions.
#pragma once

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <vector>

#include "common/program/runs.hpp"
#include "common/program/steps.hpp"
#include "test_helpers.hpp"
#include "tested.hpp"

namespace ninja::test {

/// A setup for the finite-difference checks.
struct NumericalCase {
    std::uint64_t seed;
    std::size_t batch_size;
    std::size_t n_hidden;
};

/// Printed by Boost.Test in the name of each data-driven case.
std::ostream& operator<<(std::ostream& out, const NumericalCase& c);

/// The setups of the finite-difference checks: the smallest batch batchnorm allows, odd batch
/// sizes, a single hidden neuron, the lecture's sizes, and three seeds.
extern const std::vector<NumericalCase> numerical_cases;

/// The lecture's setup with other sizes and seed (the data set is read once per process), of
/// `model`.
Setup setup_for(const NumericalCase& c, Model model = Model::batchnorm);

/// Every comparison must be approximately equal, and there must be `expected_count` of them;
/// the measured differences are logged.
void require_close(const std::vector<Comparison>& comparisons, std::size_t expected_count);

/// Every gradient `chapter` writes has exactly the shape of its tensor in `r`.
void check_shapes(const ChapterRun<float>& r, const ChapterInfo& chapter);

#ifdef NINJA_CHAPTER_NUMBER
/// The chapter under test: the one of this test program (the learner's step in exercise mode).
using Tested = Steps<NINJA_CHAPTER_NUMBER>;

/// The facts of the chapter under test.
inline const ChapterInfo& tested_chapter() { return chapter_info<NINJA_CHAPTER_NUMBER>(); }

/// The chapter under test on PyTorch's forward pass of the lecture's batch; `expected` holds
/// PyTorch's gradients.
inline ChapterRun<float> lecture_run() {
    ChapterRun<float> r = load_pytorch_run(Reference(reference_name(tested_chapter().model)));
    Tested::backward(r.g, r.f, r.params, r.batch);
    return r;
}

/// The chapter under test in double on `setup`; `expected` holds central differences of the
/// loss for the tensors in `wanted` (none by default).
inline ChapterRun<double> run_in_double(const Setup& setup,
                                        const std::vector<TensorId>& wanted = {}) {
    ChapterRun<double> r = double_run(setup);
    Tested::backward(r.g, r.f, r.params, r.batch);
    add_numerical_reference(r, wanted);
    return r;
}

/// The same on the setup of case `c`.
inline ChapterRun<double> run_in_double(const NumericalCase& c,
                                        const std::vector<TensorId>& wanted = {}) {
    return run_in_double(setup_for(c, tested_chapter().model), wanted);
}

/// The chapter under test in float on the setup of case `c`, with no reference.
inline ChapterRun<float> run_in_float(const NumericalCase& c) {
    const Setup s = setup_for(c, tested_chapter().model);
    ChapterRun<float> r{s.params, s.batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    Tested::backward(r.g, r.f, r.params, r.batch);
    return r;
}

/// The chapter's step alone on made-up gradients (`g`: the tested step's, `expected`: the
/// solution's), on the lecture's sizes.
inline ChapterRun<double> made_up_step_run() {
    const Setup s = setup_for({2147483647, 32, 64}, tested_chapter().model);
    ChapterRun<double> r = made_up_run(s.params, s.batch);
    Tested::step(r.g, r.f, r.params, r.batch);
    step<NINJA_CHAPTER_NUMBER, double>(r.expected, r.f, r.params, r.batch);
    return r;
}
#endif

}  // namespace ninja::test

/// The checks every chapter test file starts with (the last one in exercise mode only: for the
/// solution it would compare the step with itself).
#define NINJA_CHAPTER_TESTS()                                                                   \
    BOOST_AUTO_TEST_CASE(matches_pytorch_autograd) {                                            \
        const std::vector<ninja::TensorId>& own = ninja::test::tested_chapter().grads;          \
        ninja::test::require_close(compare_grads(ninja::test::lecture_run(), own), own.size()); \
    }                                                                                           \
    BOOST_DATA_TEST_CASE(matches_central_differences,                                           \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) {       \
        const std::vector<ninja::TensorId>& own = ninja::test::tested_chapter().grads;          \
        ninja::test::require_close(compare_grads(ninja::test::run_in_double(c, own), own),      \
                                   own.size());                                                 \
    }                                                                                           \
    BOOST_DATA_TEST_CASE(gradients_have_their_tensors_shapes,                                   \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) {       \
        ninja::test::check_shapes(ninja::test::run_in_float(c), ninja::test::tested_chapter()); \
    }                                                                                           \
    BOOST_AUTO_TEST_CASE(the_step_alone_matches_the_solution_on_made_up_gradients,              \
                         *boost::unit_test::enable_if<ninja::exercise_mode>()) {                \
        const std::vector<ninja::TensorId>& own = ninja::test::tested_chapter().grads;          \
        ninja::test::require_close(compare_grads(ninja::test::made_up_step_run(), own),         \
                                   own.size());                                                 \
    }

/// A property of the chapter's gradients, `check(run, tolerance)`, as two test cases: on the
/// lecture's batch in float (`name_on_the_lecture_batch`, `float_tolerance`) and in double on
/// every numerical case (`name_in_double`, `double_tolerance`).
#define NINJA_PROPERTY(name, check, float_tolerance, double_tolerance)                    \
    BOOST_AUTO_TEST_CASE(name##_on_the_lecture_batch) {                                   \
        check(ninja::test::lecture_run(), float_tolerance);                               \
    }                                                                                     \
    BOOST_DATA_TEST_CASE(name##_in_double,                                                \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) { \
        check(ninja::test::run_in_double(c), double_tolerance);                           \
    }
