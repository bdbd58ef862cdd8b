/// @file
/// @brief A chapter as its program and its test run it: the backward pass in both precisions
/// (as function pointers, so that everything around it is compiled once, in ninja_program), and
/// the runs against PyTorch's gradients and against float64 central differences.
#pragma once

#include <string>
#include <vector>

#include "common/chapter.hpp"
#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/numerical.hpp"
#include "common/setup.hpp"

namespace ninja {

/// A backward pass: fills the gradients from the forward pass, the parameters and the batch.
template <class T>
using BackwardFn = void (*)(Grads<T>&, const Forward<T>&, const Params<T>&, const Batch&);

/// One chapter, ready to run.
struct ChapterSteps {
    int number = 0;                      ///< N
    std::string folder;                  ///< "08_logits"
    ChapterInfo info;                    ///< its facts
    BackwardFn<float> backward_float;    ///< its backward pass (the learner's in exercise mode)
    BackwardFn<double> backward_double;  ///< the same in double
    /// Its own step alone, on whatever gradients are in `g` (the learner's in exercise mode).
    BackwardFn<double> step_double;
    /// The solution's step alone: what the learner's must match on made-up gradients.
    BackwardFn<double> solution_step_double;

    /// Its backward pass in precision T.
    template <class T>
    BackwardFn<T> backward() const {
        if constexpr (std::is_same_v<T, float>)
            return backward_float;
        else
            return backward_double;
    }
    /// The folder without its number: "logits".
    std::string name() const;
    /// The program's name: "chapter_08_logits".
    std::string program() const;
    /// How a message names it: "chapter 08 (logits)".
    std::string label() const;
};

/// Chapter N as its program and its test run it: in exercise mode the learner's step
/// (exercise::Chapter<N>, whose header must be included), else the solution, whose backward pass
/// is compiled once in the chapters' library (and so is the solution's step alone, in both modes).
/// `folder` is the chapter's folder, e.g. "08_logits".
template <int N>
ChapterSteps chapter_steps(std::string folder) {
    const BackwardFn<double> solution_step = &step<N, double>;
    if constexpr (exercise_mode) {
        using E = exercise::Chapter<N>;
        return {N,
                std::move(folder),
                Chapter<N>::info(),
                &E::template backward<float>,
                &E::template backward<double>,
                &E::template step<double>,
                solution_step};
    } else {
        return {N,
                std::move(folder),
                Chapter<N>::info(),
                &backward<N, float>,
                &backward<N, double>,
                solution_step,
                solution_step};
    }
}

/// The tensors named in `names` (a chapter's info); std::logic_error for a name the table lacks.
std::vector<TensorId> tensor_ids(const std::vector<std::string>& names);

/// The gradients a chapter prints: its own; with `all`, its info's all_grads if it has them,
/// else the notebook's table down to its last own gradient.
std::vector<TensorId> printed_grads(const ChapterInfo& info, bool all);

/// The state a chapter runs on: parameters, batch, forward pass, and the reference gradients.
template <class T>
struct ChapterRun {
    Params<T> params;   ///< the model's parameters
    Batch batch;        ///< the minibatch
    Forward<T> f;       ///< every intermediate of the forward pass
    Grads<T> g;         ///< the chapter's hand-derived gradients
    Grads<T> expected;  ///< PyTorch's autograd, or central differences
};

/// PyTorch's parameters, batch, forward pass and gradients (in `expected`) for the lecture's
/// setup, from tests/reference/lecture; `g` is left empty.
ChapterRun<float> load_pytorch_run(const Reference& ref);

/// Runs `backward` on PyTorch's own forward pass (tests/reference/lecture), so that the
/// comparison judges the backward step alone, as the lecture's notebook does; `expected` holds
/// PyTorch's gradients.
ChapterRun<float> run_on_pytorch_reference(BackwardFn<float> backward, const Reference& ref);

/// Runs `backward` in double precision on `setup`; `expected` holds central differences of the
/// loss for the tensors in `wanted` (common/numerical.hpp), `progress` is told of each element
/// done, and `report` (if given) receives what the oracle measured about itself.
ChapterRun<double> run_on_numerical_reference(BackwardFn<double> backward, const Setup& setup,
                                              const std::vector<TensorId>& wanted,
                                              const OracleProgress& progress = {},
                                              OracleReport* report = nullptr);

/// Compares the gradient of each tensor in `ids` with its reference, in that order.
template <class T>
std::vector<Comparison> compare_grads(const ChapterRun<T>& r, const std::vector<TensorId>& ids);

}  // namespace ninja
