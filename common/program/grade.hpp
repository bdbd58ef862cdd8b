/// @file
/// @brief Exercise mode's verdict on the learner's step: `correct`, `correct up to rounding`, or
/// `wrong`, with where and how the answer differs; and the run of the step alone on made-up
/// upstream gradients, which shows the paths whose true gradient is about zero on a real batch
/// (chapter 07's dlogit_maxes, chapter 08's max path, chapter 18's db1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/program/chapter_run.hpp"

namespace ninja {

/// The seed of the made-up gradients: every run, every program and every test sees the same.
inline constexpr std::uint64_t made_up_seed = 1234567;

/// The gradients a chapter's step reads (the "d..." names among its info's inputs), e.g.
/// {"dnorm_logits", "dlogit_maxes"}; empty for the steps that start from the loss (01, 21).
std::vector<std::string> gradients_read(const ChapterInfo& info);

/// The chapter's step alone (`s.step_double`), and the solution's step alone, each run once on
/// the same made-up gradients: every gradient starts as numbers drawn uniformly from [-1, 1)
/// (seed made_up_seed), so that what arrives has none of the structure of a real backward pass
/// (rows of dnorm_logits that sum to zero, columns of dhprebn that sum to zero). The forward
/// pass is recomputed in double from `params` on `batch`. `g` holds what `s.step_double` wrote,
/// `expected` what the solution's step wrote.
///
/// Both steps run in double on numbers of order one, so that correct steps agree to about
/// 1e-13: each output element is a sum of at most a few hundred products of such numbers, each
/// sum within gamma_k * sum |terms| of the exact one (k terms, u = 2^-53), a few 1e-11 at most,
/// a thousand times below torch.allclose's atol 1e-8.
template <class T>
ChapterRun<double> run_on_made_up_gradients(const ChapterSteps& s, const Params<T>& params,
                                            const Batch& batch);

/// What a verdict is made of.
struct Verdict {
    /// One entry per wrong gradient of the learner: "dX: largest difference at ..." then
    /// indented lines that say how the difference looks.
    std::vector<std::string> wrong;
    bool exact = true;  ///< every own gradient equal, bit for bit, to the reference's
    std::optional<ChapterRun<double>> made_up;  ///< the run on made-up gradients, if there is one
};

/// Prints the cmp line of every gradient in `printed` against the reference in `r`, then (for a
/// step that reads gradients) the cmp lines of the step's own gradients on made-up gradients
/// against the solution's step; gathers what is wrong with the learner's own gradients.
template <class T>
Verdict grade(const ChapterRun<T>& r, const ChapterSteps& s, const std::vector<TensorId>& printed);

/// Prints the verdict (`correct`, `correct up to rounding`, or a `wrong` line per wrong
/// gradient with how it differs); returns exit_ok or exit_mismatch.
int print_verdict(const Verdict& v);

/// For `--dump`: writes `expected_dX.npy` beside the learner's `dX.npy` for each of the step's
/// gradients, and, from the run on made-up gradients, `made_up_dY.npy` for each gradient the step
/// reads, `made_up_dX.npy` (yours) and `made_up_expected_dX.npy` (the solution's).
template <class T>
void dump_expected(const ChapterRun<T>& r, const Verdict& v, const ChapterInfo& info,
                   const std::string& dir);

}  // namespace ninja
