/// @file
/// @brief The runs a chapter is checked on: PyTorch's forward pass of the lecture's batch with its
/// gradients, a forward pass in double with float64 central differences, and made-up upstream
/// gradients; and their comparison, gradient by gradient.
#pragma once

#include <string>
#include <vector>

#include "common/chapter.hpp"
#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/numerical.hpp"
#include "common/program/chapter_options.hpp"
#include "common/setup.hpp"

namespace ninja {

/// The state a chapter runs on: parameters, batch, forward pass, its gradients and the reference.
template <class T>
struct ChapterRun {
    Params<T> params;   ///< the model's parameters
    Batch batch;        ///< the minibatch
    Forward<T> f;       ///< every intermediate of the forward pass
    Grads<T> g;         ///< the chapter's hand-derived gradients
    Grads<T> expected;  ///< PyTorch's autograd, or central differences, or the solution's step
};

/// The tensors named in `names`; std::logic_error for a name the table lacks.
std::vector<TensorId> tensor_ids(const std::vector<std::string>& names);

/// The gradients a chapter prints: its own; with `all`, every gradient its backward pass fills.
std::vector<TensorId> printed_grads(const ChapterInfo& info, bool all);

/// The gradients a chapter's step reads (its inputs that are gradients), e.g. {dnorm_logits,
/// dlogit_maxes}; empty for the steps that start from the loss (01, 21).
std::vector<TensorId> gradients_read(const ChapterInfo& info);

/// PyTorch's parameters, batch, forward pass and gradients (in `expected`) for the lecture's
/// setup, from tests/reference/lecture; `g` is left empty.
ChapterRun<float> load_pytorch_run(const Reference& ref);

/// The run of a chapter program against PyTorch: its options are the lecture's setup and its
/// names file the reference's (else InputError, naming --reference numerical), then the output
/// folders are made ready; load_pytorch_run.
ChapterRun<float> pytorch_run(const ChapterOptions& o);

/// The run of a chapter program against central differences: the setup of its options, the
/// output folders made ready; double_run. `expected` is filled after the backward pass.
ChapterRun<double> numerical_run(const ChapterOptions& o);

/// The forward pass in double of `setup`'s parameters and batch; `g` and `expected` empty.
ChapterRun<double> double_run(const Setup& setup);

/// Fills `r.expected` with float64 central differences of the loss for the tensors in `wanted`
/// (common/numerical.hpp); `progress` is told of each element done. Returns what the oracle
/// measured about itself.
OracleReport add_numerical_reference(ChapterRun<double>& r, const std::vector<TensorId>& wanted,
                                     const OracleProgress& progress = {});

/// The seed of the made-up gradients: every run, every program and every test sees the same.
inline constexpr std::uint64_t made_up_seed = 1234567;

/// Made-up upstream gradients, so that what arrives has none of the structure of a real backward
/// pass (rows of dnorm_logits that sum to zero, columns of dhprebn that sum to zero): every
/// gradient `g` holds numbers drawn uniformly from [-1, 1) (seed made_up_seed), and `expected`
/// holds the same. The forward pass is recomputed in double from `params` on `batch`. A chapter's
/// step is then run on `g` (the learner's) and on `expected` (the solution's).
///
/// Both steps run in double on numbers of order one, so that correct steps agree to about
/// 1e-13: each output element is a sum of at most a few hundred products of such numbers, each
/// sum within gamma_k * sum |terms| of the exact one (k terms, u = 2^-53), a few 1e-11 at most,
/// a thousand times below torch.allclose's atol 1e-8.
template <class T>
ChapterRun<double> made_up_run(const Params<T>& params, const Batch& batch);

/// Compares the gradient of each tensor in `ids` with its reference, in that order.
template <class T>
std::vector<Comparison> compare_grads(const ChapterRun<T>& r, const std::vector<TensorId>& ids);

}  // namespace ninja
