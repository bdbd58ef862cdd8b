/// @file
/// @brief What every chapter's test shares: the chapter under test, the setups of the
/// finite-difference checks, and the three checks every chapter's step must pass (against
/// PyTorch's gradients, against float64 central differences, and the shape rule).
///
/// The checks are compiled once (chapter_checks.cpp); a chapter's test file compiles only its
/// own chapter and its own property tests. CMake compiles it with NINJA_CHAPTER_NUMBER and
/// NINJA_CHAPTER_FOLDER of its chapter, and in exercise mode with NINJA_EXERCISE_HEADER, the
/// chapter's exercise.hpp, whose step is then the one tested.
#pragma once

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <vector>

#include "common/program/chapter_run.hpp"
#include "test_helpers.hpp"

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
std::ostream& operator<<(std::ostream& out, const NumericalCase& c);

/// The setups of the finite-difference checks: the smallest batch batchnorm allows, odd batch
/// sizes, a single hidden neuron, the lecture's sizes, and three seeds.
extern const std::vector<NumericalCase> numerical_cases;

/// The lecture's setup with other sizes and seed (the data set is read once per process).
Setup setup_for(const NumericalCase& c);

/// Every comparison must be approximately equal, and there must be `expected_count` of them;
/// the measured differences are logged.
void require_close(const std::vector<Comparison>& comparisons, std::size_t expected_count);

/// The chapter's gradients against PyTorch autograd on the lecture's batch.
void check_against_pytorch(const ChapterSteps& chapter);

/// The chapter's gradients in double against central differences of the loss.
void check_against_numerical(const ChapterSteps& chapter, const NumericalCase& c);

/// Every gradient the chapter produces has exactly the shape of its tensor.
void check_shapes(const ChapterSteps& chapter, const NumericalCase& c);

/// Chapter N's backward (the solution's) run in double on a setup, with no reference computed.
template <int N>
ChapterRun<double> run_in_double(const NumericalCase& c) {
    return run_on_numerical_reference(&backward<N, double>, setup_for(c), {});
}

#ifdef NINJA_CHAPTER_NUMBER
/// The chapter under test: the one of this test program (the learner's in exercise mode).
inline ChapterSteps chapter_under_test() {
    return chapter_steps<NINJA_CHAPTER_NUMBER>(NINJA_CHAPTER_FOLDER);
}
#endif

}  // namespace ninja::test

/// The three checks every chapter test file starts with.
#define NINJA_CHAPTER_TESTS()                                                             \
    BOOST_AUTO_TEST_CASE(matches_pytorch_autograd) {                                      \
        ninja::test::check_against_pytorch(ninja::test::chapter_under_test());            \
    }                                                                                     \
    BOOST_DATA_TEST_CASE(matches_central_differences,                                     \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) { \
        ninja::test::check_against_numerical(ninja::test::chapter_under_test(), c);       \
    }                                                                                     \
    BOOST_DATA_TEST_CASE(gradients_have_their_tensors_shapes,                             \
                         boost::unit_test::data::make(ninja::test::numerical_cases), c) { \
        ninja::test::check_shapes(ninja::test::chapter_under_test(), c);                  \
    }
