/// @file
/// @brief The steps a chapter's test grades: `tested::name_backward` is the learner's step
/// (ninja::exercise, from the chapter's exercise.hpp) in exercise mode and the solution's
/// (ninja) otherwise. CMake compiles a chapter's test with NINJA_STEPS_HEADER, the header that
/// names the learner's step.
#pragma once

#if defined(NINJA_EXERCISES) && defined(NINJA_STEPS_HEADER)
#include NINJA_STEPS_HEADER
#endif

#include <boost/test/unit_test.hpp>

#include "common/chapter.hpp"

/// The namespace of the steps under test.
#ifdef NINJA_EXERCISES
namespace tested = ::ninja::exercise;
#else
namespace tested = ::ninja;
#endif

namespace ninja::test {

/// Decorates a check that calls no step (a fact about the model or the loss, such as an
/// invariance or central differences alone, or about what surrounds the training step), or that
/// holds the solution's fast version beside its plain step to the bit: exercise mode, which
/// grades the learner's step, skips it.
inline boost::unit_test::decorator::enable_if<!exercise_mode> about_the_model() { return {}; }

}  // namespace ninja::test
