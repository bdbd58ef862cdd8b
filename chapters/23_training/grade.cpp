// Chapter 23's verdict on the learner's train_step: it trains side by side with the solution's,
// from the same parameters on the same minibatches, and the losses must agree at every step.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

#include "23_training/exercise.hpp"
#include "23_training/grading.hpp"
#include "common/program/chapter_run.hpp"
#include "common/program/runner.hpp"
#include "common/schedule.hpp"

namespace ninja {

namespace {

/// The grading run's model and generator: the lecture's Exercise 4 (H = 200, n = 32, seed
/// 2147483647), for 2,000 steps.
constexpr std::size_t grading_steps = 2000;
Config grading_model(const Dataset& data) {
    Config c;
    c.n_hidden = 200, c.batch_size = 32, c.seed = 2147483647;
    c.vocab_size = data.vocab.size();
    return c;
}

/// 0.1, then 0.01 from step 1,000.
LrSchedule grading_schedule() {
    LrSchedule s;
    s.decay_step = 1000;
    return s;
}

/// The bound on |your loss - the solution's loss| at every step of the grading run. The same
/// step, compiled from the same code, gives the same bits: the difference is 0. A step computed
/// in another order (another but equivalent formula, other sums) rounds differently; those
/// differences compound through the updates, and over 2,000 steps they stay near 1e-6: the
/// fast trainer, which computes every gradient in another order than train_step, stays within
/// 1.4e-6 of it over 2,000 steps (test_fast_trainer). A gradient 1% wrong in any parameter
/// tensor that matters moves the loss by more than 1e-5 within 300 steps (the same test), so
/// 1e-5 separates the two by a margin of about seven on the side of rounding.
constexpr double training_loss_tolerance = 1e-5;

/// Every step's loss of `step` on the grading run, until it differs from `expected` (if given)
/// by more than the bound.
std::vector<float> train_for_grading(const Dataset& data, TrainStepFn step,
                                     const std::vector<float>& expected = {}) {
    const Config c = grading_model(data);
    const LrSchedule schedule = grading_schedule();
    TorchGenerator gen(c.seed);
    Params<float> p = init_params(c, gen);
    std::vector<float> losses;
    for (std::size_t i = 0; i < grading_steps; ++i) {
        losses.push_back(step(p, data.train, c.batch_size, schedule.at(std::int64_t(i)), gen));
        if (!expected.empty() &&
            !(std::abs(double(losses[i]) - double(expected[i])) <= training_loss_tolerance))
            break;
    }
    return losses;
}

/// Which of the learner's steps that train_step calls (chapters 21, 09, 10, 22, 18, 19, 20) are
/// not written yet, "09, 18": each runs in the order of the backward pass, the solution's
/// standing in for one that is not written.
std::string unwritten_steps(const Dataset& data) {
    const Config c = grading_model(data);
    TorchGenerator gen(c.seed);
    const Params<float> p = init_params(c, gen);
    const Batch batch = sample_batch(data.train, c.batch_size, gen);
    Forward<float> f;
    forward(f, p, batch);
    Grads<float> g;
    const struct {
        const char* number;
        BackwardFn<float> yours, solution;
    } steps[] = {{"21", &exercise::Chapter<21>::step<float>, &step<21, float>},
                 {"09", &exercise::Chapter<9>::step<float>, &step<9, float>},
                 {"10", &exercise::Chapter<10>::step<float>, &step<10, float>},
                 {"22", &exercise::Chapter<22>::step<float>, &step<22, float>},
                 {"18", &exercise::Chapter<18>::step<float>, &step<18, float>},
                 {"19", &exercise::Chapter<19>::step<float>, &step<19, float>},
                 {"20", &exercise::Chapter<20>::step<float>, &step<20, float>}};
    std::string missing;
    for (const auto& s : steps) {
        try {
            s.yours(g, f, p, batch);
        } catch (const NotImplemented&) {
            missing += (missing.empty() ? "" : ", ") + std::string(s.number);
            s.solution(g, f, p, batch);
        }
    }
    return missing;
}

/// What the first step at which the losses part says about the mistake.
std::string where_it_parts(std::size_t step, float yours) {
    const LrSchedule schedule = grading_schedule();
    if (!std::isfinite(yours)) return "your loss is not a number: a gradient overflowed";
    if (step == 0)
        return "step 0 comes before any update: the minibatch (sample_batch from g), the forward "
               "pass, or the loss returned is not the lecture's";
    if (step == std::size_t(schedule.decay_step) + 1)
        return "the first update with the lower learning rate (step " +
               std::to_string(schedule.decay_step) + ") differs: use the lr the step is given";
    return "the update of step " + std::to_string(step - 1) +
           " differs: a gradient, or p -= lr * grad for one of the parameters";
}

/// Prints the losses every 500 steps and the verdict; returns exit_ok or exit_mismatch.
int report_training(const std::vector<float>& yours, const std::vector<float>& expected) {
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

}  // namespace

float exercise_train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                          TorchGenerator& g) {
    return exercise::train_step(p, train, n, lr, g);
}

int grade_training(const std::string& data_path, TrainStepFn solution, const ChapterInfo& info) {
    print_heading(std::cout, 23, info);
    const Dataset data = load_dataset(resolve_data_path(data_path), Config{}.block_size);
    const std::vector<float> expected = train_for_grading(data, solution);
    const LrSchedule schedule = grading_schedule();
    std::cout << "trained with the solution's train_step and with yours, from the same "
                 "parameters on the same "
              << grading_steps << " minibatches (lr " << schedule.lr << ", " << schedule.lr_decayed
              << " from step " << schedule.decay_step << "):\n";
    try {
        return report_training(train_for_grading(data, &exercise_train_step, expected), expected);
    } catch (const NotImplemented&) {
        const std::string missing = unwritten_steps(data);
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
