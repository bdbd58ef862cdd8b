/// @file
/// @brief Exercise mode's verdict on the learner's gradients: `correct`, `correct up to
/// rounding`, or `wrong`, with where the answer differs.
#pragma once

#include <string>
#include <vector>

#include "common/program/chapter_run.hpp"

namespace ninja {

/// Prints the cmp line of every gradient in `printed`, then the verdict on the learner's own
/// gradients `own` (a shape or a value that is off makes it `wrong`). Returns exit_ok or
/// exit_mismatch.
template <class T>
int grade(const ChapterRun<T>& r, const std::vector<TensorId>& printed,
          const std::vector<TensorId>& own);

}  // namespace ninja
