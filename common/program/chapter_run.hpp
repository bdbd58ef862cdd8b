/// @file
/// @brief A chapter as its program and its test run it: the backward pass in both precisions
/// (as function pointers, so that everything around it is compiled once, in ninja_program), and
/// the runs against PyTorch's gradients and against float64 central differences.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/chapter.hpp"
#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/numerical.hpp"
#include "common/program/learner_code.hpp"
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

/// What is wrong with the shapes of the gradients named in `grads` (a chapter's own) after a
/// step stopped with an error: "dcounts_sum_inv has shape (0, 0); it must have the shape of
/// counts_sum_inv, (32, 1)", one line each; "" when every one has its tensor's shape.
template <class T>
std::string output_shape_errors(const std::vector<std::string>& grads, const Grads<T>& g,
                                const Forward<T>& f, const Params<T>& p);

/// The learner's `learners` (chapter N's backward pass, or its step alone) as exercise mode
/// runs it: as learner code (run_learner_code: a crash or an endless loop is a verdict, an
/// error a StepError), with ten times the time that `solution` takes on the same gradients, and
/// at least 10 s. A StepError also says which of the step's gradients have a wrong shape.
template <int N, class T, BackwardFn<T> learners, BackwardFn<T> solution>
void as_learner_code(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
    Grads<T> scratch = g;
    const auto start = std::chrono::steady_clock::now();
    solution(scratch, f, p, b);
    const double limit = learner_time_limit(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    try {
        run_learner_code("your step", limit, "ten times the solution's time, and at least 10 s",
                         [&] { learners(g, f, p, b); });
    } catch (const StepError& e) {
        const std::string shapes = output_shape_errors(Chapter<N>::info().grads, g, f, p);
        throw StepError(e.what() + (shapes.empty() ? "" : "\n" + shapes));
    }
}

/// Chapter N as its program and its test run it: in exercise mode the learner's step
/// (exercise::Chapter<N>, whose header must be included) as learner code, else the solution,
/// whose backward pass is compiled once in the chapters' library (and so is the solution's step
/// alone, in both modes). `folder` is the chapter's folder, e.g. "08_logits".
template <int N>
ChapterSteps chapter_steps(std::string folder) {
    const BackwardFn<double> solution_step = &step<N, double>;
    if constexpr (exercise_mode) {
        using E = exercise::Chapter<N>;
        return {N,
                std::move(folder),
                Chapter<N>::info(),
                &as_learner_code<N, float, &E::template backward<float>, &backward<N, float>>,
                &as_learner_code<N, double, &E::template backward<double>, &backward<N, double>>,
                &as_learner_code<N, double, &E::template step<double>, &step<N, double>>,
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
