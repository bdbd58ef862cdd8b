/// @file
/// @brief Chapter N's steps as its program and its test run them: the solution's, or in
/// exercise mode the learner's own step (after the solutions of the steps before it), run as
/// learner code (common/program/learner_code.hpp).
#pragma once

#include <chrono>
#include <string>

#include "common/chapter.hpp"
#include "common/program/learner_code.hpp"

namespace ninja {

/// What is wrong with the shapes of `info`'s gradients in `g` after a step stopped with an
/// error: "  dcounts_sum_inv has shape (0, 0); it must have the shape of counts_sum_inv,
/// (32, 1)", one line each; "" when every one has its tensor's shape.
template <class T>
std::string output_shape_errors(const ChapterInfo& info, const Grads<T>& g, const Forward<T>& f,
                                const Params<T>& p);

/// Chapter N's steps, the learner's in exercise mode (Yours<N>), else the solution's.
template <int N>
struct Steps {
    /// The chapter's own step on the gradients in `g`. In exercise mode yours, as learner code
    /// (a crash or an endless loop is a verdict), with ten times the time that the solution's
    /// takes on the same gradients, and at least 10 s; an error it throws is a StepError that
    /// also says which of its gradients have a wrong shape.
    template <class T>
    static void step(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        if constexpr (!exercise_mode) {
            ninja::step<N, T>(g, f, p, b);
        } else {
            Grads<T> scratch = g;
            const auto start = std::chrono::steady_clock::now();
            ninja::step<N, T>(scratch, f, p, b);
            const std::chrono::duration<double> solution = std::chrono::steady_clock::now() - start;
            try {
                run_learner_code("your step", learner_time_limit(solution.count()),
                                 "ten times the solution's time, and at least 10 s",
                                 [&] { call_wired<N>(Yours<N>{}, g, f, p, b); });
            } catch (const StepError& e) {
                const std::string shapes = output_shape_errors(chapter_info<N>(), g, f, p);
                throw StepError(e.what() + (shapes.empty() ? "" : "\n" + shapes));
            }
        }
    }

    /// The chapter's whole backward pass: the chain table's steps before it, then step().
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        if constexpr (!exercise_mode) {
            ninja::backward<N, T>(g, f, p, b);
        } else {
            backward_before<N, T>(g, f, p, b);
            step(g, f, p, b);
        }
    }
};

}  // namespace ninja
