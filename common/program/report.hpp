/// @file
/// @brief What a chapter program prints and writes once its backward pass has run: the cmp
/// lines (in exercise mode the verdict), a fused step against the chapters it replaces, the sums
/// that vanish, the pictures and the dump; and the exit code.
#pragma once

#include <optional>
#include <string>

#include "common/program/chapter_options.hpp"
#include "common/program/runs.hpp"

namespace ninja {

/// What a chapter's run adds to the comparison of its gradients with the reference.
template <class T>
struct RunExtras {
    /// Exercise mode, for a step that reads gradients: the learner's step (`g`) and the
    /// solution's (`expected`) on the same made-up gradients (made_up_run).
    std::optional<ChapterRun<double>> made_up;
    /// A fused step: the gradients of the chapters it replaces, composed, on the same forward pass.
    std::optional<Grads<T>> composed;
};

/// Prints the comparisons of `r` (in exercise mode, graded: the verdict), the extras, the sums
/// that vanish; then writes the pictures (`--out`) and the dump (`--dump`). `against` names the
/// reference. Returns exit_ok or exit_mismatch.
template <class T>
int report(const ChapterRun<T>& r, const ChapterInfo& chapter, const ChapterOptions& o,
           const RunExtras<T>& extras, const std::string& against);

/// What the reference of a numerical run is: "float64 central differences (seed 42, ...)".
std::string numerical_reference_name(const ChapterOptions& o);

/// Exercise mode: the verdict `not started`, naming the file to write the step in.
int report_not_started(const ChapterInfo& chapter);

/// Exercise mode: the verdict `wrong` for a step that stopped with an error.
int report_step_error(const StepError& e);

}  // namespace ninja
