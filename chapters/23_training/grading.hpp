/// @file
/// @brief Chapter 23's verdict on the learner's train_step (exercise.hpp): it trains side by
/// side with the solution's, from the same parameters on the same minibatches, and the losses
/// must agree at every step.
#pragma once

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "23_training/exercise.hpp"
#include "common/program/chapter_run.hpp"
#include "common/program/runner.hpp"

namespace ninja {

/// The grading run: the lecture's model and generator (H = 200, n = 32, seed 2147483647) for
/// 2,000 steps, with the learning rate dropping from 0.1 to 0.01 at step 1,000, so that a step
/// that does not use the `lr` it is given shows.
inline TrainingConfig grading_run() {
    TrainingConfig c;
    c.steps = 2000;
    c.schedule.decay_step = 1000;
    return c;
}

/// The bound on |your loss - the solution's loss| at every step of the grading run. The same
/// step, compiled from the same code, gives the same bits: the difference is 0. A step computed
/// in another order (another but equivalent formula, other sums) rounds differently; those
/// differences compound through the updates, and over 2,000 steps they stay near 1e-6: the
/// fast trainer, which computes every gradient in another order than train_step, stays within
/// 1.4e-6 of it over 2,000 steps (test_fast_trainer). A gradient 1% wrong in any parameter
/// tensor that matters moves the loss by more than 1e-5 within 300 steps (the same test), so
/// 1e-5 separates the two by a margin of about seven on the side of rounding.
inline constexpr double training_loss_tolerance = 1e-5;

/// Which of the learner's steps that train_step calls (chapters 21, 09, 10, 22, 18, 19, 20) are
/// not written yet: "09, 18".
inline std::string unwritten_steps(const Params<float>& params, const Batch& batch) {
    ChapterRun<double> r{cast_params<double>(params), batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    std::string missing;
    const auto check = [&](auto chapter, const char* number) {
        try {
            decltype(chapter)::template backward<double>(r.g, r.f, r.params, r.batch);
        } catch (const NotImplemented&) {
            missing += (missing.empty() ? "" : ", ") + std::string(number);
        }
    };
    check(exercise::Chapter<21>{}, "21"), check(exercise::Chapter<9>{}, "09");
    check(exercise::Chapter<10>{}, "10"), check(exercise::Chapter<22>{}, "22");
    check(exercise::Chapter<18>{}, "18"), check(exercise::Chapter<19>{}, "19");
    check(exercise::Chapter<20>{}, "20");
    return missing;
}

/// Every step's loss of `step` on the grading run, until it differs from `expected` (if given)
/// by more than the bound.
template <class Step>
std::vector<float> train_for_grading(const Dataset& data, Step&& step,
                                     const std::vector<float>& expected = {}) {
    const TrainingConfig c = grading_run();
    Config model = c.model();
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    Params<float> p = init_params(model, gen);
    std::vector<float> losses;
    for (std::size_t i = 0; i < c.steps; ++i) {
        losses.push_back(step(p, data.train, c.batch_size, c.schedule.at(std::int64_t(i)), gen));
        if (!expected.empty() &&
            !(std::abs(double(losses[i]) - double(expected[i])) <= training_loss_tolerance))
            break;
    }
    return losses;
}

/// What the first step at which the losses part says about the mistake.
inline std::string where_it_parts(std::size_t step, float yours) {
    const TrainingConfig c = grading_run();
    if (!std::isfinite(yours)) return "your loss is not a number: a gradient overflowed";
    if (step == 0)
        return "step 0 comes before any update: the minibatch (sample_batch from g), the forward "
               "pass, or the loss returned is not the lecture's";
    if (step == std::size_t(c.schedule.decay_step) + 1)
        return "the first update with the lower learning rate (step " +
               std::to_string(c.schedule.decay_step) + ") differs: use the lr the step is given";
    return "the update of step " + std::to_string(step - 1) +
           " differs: a gradient, or p -= lr * grad for one of the parameters";
}

/// Prints the losses every 500 steps and the verdict; returns exit_ok or exit_mismatch.
inline int report_training(const std::vector<float>& yours, const std::vector<float>& expected) {
    char line[96];
    double worst = 0;
    for (std::size_t i = 0; i < yours.size(); ++i) {
        const double d = std::abs(double(yours[i]) - double(expected[i]));
        worst = std::isnan(d) ? d : std::max(worst, d);
        if (i % 500 != 0 && d <= training_loss_tolerance && i + 1 != expected.size()) continue;
        std::snprintf(line, sizeof line, "step %5zu: yours %.6f, expected %.6f\n", i,
                      double(yours[i]), double(expected[i]));
        std::cout << line;
    }
    const std::size_t last = yours.size() - 1;
    if (!(worst <= training_loss_tolerance)) {
        std::cout << "verdict: wrong: the losses part at step " << last << ": yours "
                  << python_float(yours[last]) << ", expected " << python_float(expected[last])
                  << "\n  how it differs: " << where_it_parts(last, yours[last]) << '\n';
        return exit_mismatch;
    }
    std::cout << "the largest |loss difference| over the " << yours.size()
              << " steps: " << python_float(worst) << " (bound "
              << python_float(training_loss_tolerance) << ")\n"
              << (worst == 0 ? "verdict: correct\n" : "verdict: correct up to rounding\n");
    return exit_ok;
}

/// `chapter_23_training --grade`: the verdict on the learner's train_step.
inline int grade_training(const std::string& data_path) {
    print_heading(std::cout, 23, Chapter<23>::info());
    const TrainingConfig c = grading_run();
    Config model = c.model();
    const Dataset data = load_dataset(resolve_data_path(data_path), model.block_size);
    const std::vector<float> expected = train_for_grading(data, &train_step);
    std::cout << "trained with the solution's train_step and with yours, from the same "
                 "parameters on the same "
              << c.steps << " minibatches (lr " << c.schedule.lr << ", " << c.schedule.lr_decayed
              << " from step " << c.schedule.decay_step << "):\n";
    try {
        return report_training(train_for_grading(data, &exercise::train_step, expected), expected);
    } catch (const NotImplemented&) {
        model.vocab_size = data.vocab.size();
        TorchGenerator gen(c.seed);
        const Params<float> p = init_params(model, gen);
        const std::string missing = unwritten_steps(p, sample_batch(data.train, c.batch_size, gen));
        std::cout << "verdict: not started: chapter 23 (training): not implemented yet \u2014 "
                     "write your answer in chapters/23_training/exercise.hpp"
                  << (missing.empty() ? ""
                                      : "; it calls your steps of chapters " + missing +
                                            ", not written yet either: solve them first, or "
                                            "call the solutions (ninja::...) instead")
                  << '\n';
        return exit_not_started;
    } catch (const InputError&) { throw; } catch (const std::exception& e) {
        std::cout << "verdict: wrong: your step stopped with an error: " << e.what() << '\n';
        return exit_mismatch;
    }
}

}  // namespace ninja
