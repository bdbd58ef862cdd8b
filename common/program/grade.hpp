/// @file
/// @brief Exercise mode's verdict on the learner's step: `correct`, `correct up to rounding`, or
/// `wrong`, with where and how the answer differs, also on made-up upstream gradients (which show
/// the paths whose true gradient is about zero on a real batch: chapter 07's dlogit_maxes,
/// chapter 08's max path, chapter 18's db1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/program/runs.hpp"

namespace ninja {

/// What a verdict is made of.
struct Verdict {
    /// One entry per wrong gradient of the learner: "dX: largest difference at ..." then
    /// indented lines that say how the difference looks.
    std::vector<std::string> wrong;
    bool exact = true;  ///< every own gradient equal, bit for bit, to the reference's
};

/// Prints the cmp line of every gradient in `printed` against the reference in `r`, then, when
/// there is a run on made-up gradients (a step that reads gradients: yours in its `g`, the
/// solution's in its `expected`), the cmp lines of the step's own gradients there; gathers what
/// is wrong with the learner's own gradients (those of `chapter`).
template <class T>
Verdict grade(const ChapterRun<T>& r, const ChapterInfo& chapter,
              const std::vector<TensorId>& printed,
              const std::optional<ChapterRun<double>>& made_up);

/// Prints the verdict (`correct`, `correct up to rounding`, or a `wrong` line per wrong
/// gradient with how it differs); returns exit_ok or exit_mismatch.
int print_verdict(const Verdict& v);

/// For `--dump`: writes `expected_dX.npy` beside the learner's `dX.npy` for each of the step's
/// gradients, and, from the run on made-up gradients, `made_up_dY.npy` for each gradient the step
/// reads, `made_up_dX.npy` (yours) and `made_up_expected_dX.npy` (the solution's).
template <class T>
void dump_expected(const ChapterRun<T>& r, const std::optional<ChapterRun<double>>& made_up,
                   const ChapterInfo& info, const std::string& dir);

}  // namespace ninja
