// Chapter 23's verdict on the learner's train_step: at every step it runs beside the solution's
// from the same parameters and the same generator, and the minibatch, the loss and the update of
// every parameter must agree; at the sizes asked for (the lecture's by default) and at others.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>
#include <tuple>
#include <type_traits>
#include <vector>

#include "23_training/exercise.hpp"
#include "23_training/grading.hpp"
#include "23_training/training.hpp"
#include "common/cmp.hpp"
#include "common/program/chapter_options.hpp"
#include "common/program/difference.hpp"
#include "common/program/learner_code.hpp"

namespace ninja {

namespace {

/// The runs of the grading: the sizes asked for (the lecture's unless the options say
/// otherwise), 2,000 steps; then other sizes and another seed, 300 steps: a batch size or a
/// width written into the step is right at one of them at most. Each at the lecture's learning
/// rates, the lower one from half-way (so that a step that does not use the lr it is given
/// shows).
std::vector<TrainingConfig> grading_runs(const TrainingConfig& asked) {
    TrainingConfig first = asked;
    first.schedule = LrSchedule();
    first.steps = 2000, first.schedule.decay_step = 1000;
    TrainingConfig other = first;
    other.batch_size = asked.batch_size == 20 ? 24 : 20;
    other.n_hidden = asked.n_hidden == 50 ? 60 : 50;
    other.seed = asked.seed + 1;
    other.steps = 300, other.schedule.decay_step = 150;
    return {first, other};
}

/// "n 32, H 200, seed 2147483647".
std::string sizes(const Config& c) {
    return "n " + std::to_string(c.batch_size) + ", H " + std::to_string(c.n_hidden) + ", seed " +
           std::to_string(c.seed);
}

/// "0.1", "0.01": a float as it was written.
std::string short_float(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", double(value));
    return text;
}

/// How far an update may be from the solution's, relative to the largest update of the same
/// tensor in the same step. The same step compiled from the same code gives the same bits; an
/// equivalent step computed in another order (other sums, the composed chapters instead of the
/// fused ones) rounds differently: its gradients differ from the solution's by about 1e-6 of
/// their size. A typical mistake (a factor, a missing term, a wrong learning rate) changes an
/// update by a percent or more. 1e-3 lies between the two. Each element may differ besides by
/// two units in the last place of its parameter: p - lr * grad is rounded to float32 once.
constexpr double update_tolerance = 1e-3;

/// The loss before the update may differ by rounding only (1e-5 relative: a forward pass in
/// float32 computed in another order differs by about 1e-7).
constexpr double loss_tolerance = 1e-5;

/// A unit in the last place of float32 at |x|.
double ulp(float x) {
    const float a = std::abs(x);
    return double(std::nextafter(a, INFINITY) - a);
}

/// The verdict's line for a parameter whose update differs, or "": `before` the parameters
/// before the step, `yours` and `expected` after it.
template <class A>
std::string compare_update(const std::string& name, const A& before, const A& yours,
                           const A& expected, std::size_t n, bool& exact, bool& visible) {
    if (yours.shape() != expected.shape())
        return name + " has shape " + shape_string(yours.shape()) + " after your step, not " +
               shape_string(expected.shape());
    using Update = xt::xtensor<double, std::tuple_size_v<typename A::shape_type>>;
    const Update mine = xt::cast<double>(yours) - xt::cast<double>(before);
    const Update theirs = xt::cast<double>(expected) - xt::cast<double>(before);
    const double scale = xt::amax(xt::abs(theirs))();
    std::size_t worst = 0;
    double worst_excess = 0;
    for (std::size_t k = 0; k < mine.size(); ++k) {
        const double rounding = 2 * ulp(expected.data()[k]);
        visible |= std::abs(theirs.data()[k]) > rounding;
        exact &= yours.data()[k] == expected.data()[k];
        const double excess =
            std::abs(mine.data()[k] - theirs.data()[k]) - (update_tolerance * scale + rounding);
        if (!(excess <= worst_excess))
            worst = k, worst_excess = std::isnan(excess) ? INFINITY : excess;
    }
    if (worst_excess <= 0) return {};
    char line[200];
    std::snprintf(line, sizeof line, ": at element %zu yours changes it by %.4g, expected %.4g",
                  worst, mine.data()[worst], theirs.data()[worst]);
    const std::string how = describe_difference(flatten(mine), flatten(theirs), n, {}, "update");
    return "the update of " + name + " differs" + line + (how.empty() ? "" : "\n  how: " + how);
}

/// What the learner's step did differently at one step, or "" when it agrees.
struct StepCheck {
    bool exact = true;           ///< every bit the solution's
    std::set<TensorId> visible;  ///< the parameters whose update was ever above rounding
};

/// Compares one step of the learner's with the solution's, from the same `before` parameters
/// and generator: the minibatch drawn, the loss, each parameter's update. "" when they agree.
std::string compare_step(StepCheck& check, const Params<float>& before, const Params<float>& yours,
                         const Params<float>& expected, float my_loss, float loss, bool same_draws,
                         std::size_t n) {
    if (!same_draws)
        return "your step drew another minibatch than the solution's: draw one minibatch of the "
               "n rows the step is given, with sample_batch(train, n, g) (here n = " +
               std::to_string(n) + ")";
    if (!(std::abs(double(my_loss) - double(loss)) <= loss_tolerance * std::abs(double(loss))))
        return "your loss is " + python_float(my_loss) + ", expected " + python_float(loss) +
               ": the forward pass, or the loss returned, is not the lecture's (return the loss "
               "of the forward pass, before the update)";
    check.exact &= my_loss == loss;
    for (TensorId id : parameters_of(model_of(before))) {
        std::string wrong;
        bool visible = false;
        visit_pair(id, yours, expected, [&](const auto& y, const auto& x) {
            before.visit(id, [&](const auto& b) {
                if constexpr (std::is_same_v<decltype(b), decltype(x)>)  // one tensor, three times
                    wrong = compare_update(std::string(info(id).name), b, y, x, n, check.exact,
                                           visible);
            });
        });
        if (visible) check.visible.insert(id);
        if (!wrong.empty()) return wrong;
    }
    return {};
}

/// The wall time `fn()` takes, in seconds, added to `total`.
template <class Fn>
auto timed(double& total, Fn&& fn) {
    const auto start = std::chrono::steady_clock::now();
    auto result = fn();
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

/// The learner's time: ten times the solution's, and at least learner_time_floor.
struct Budget {
    double solution = 0, yours = 0;
    double left() const { return learner_time_limit(solution) - yours; }
};

/// Runs `run` step by step, the learner's step beside the solution's; prints the line that says
/// how it went; returns the verdict's line ("" when every step agrees).
std::string grade_run(const TrainingConfig& run, const Dataset& data, TrainStepFn solution,
                      StepCheck& check, Budget& budget) {
    Config c = run.model();
    c.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    Params<float> p = init_params(c, gen);
    for (std::size_t i = 0; i < run.steps; ++i) {
        const float lr = run.schedule.at(std::int64_t(i));
        Params<float> expected = p, yours = p;
        TorchGenerator expected_gen = gen, your_gen = gen;
        const float loss = timed(budget.solution, [&] {
            return solution(expected, data.train, c.batch_size, lr, expected_gen);
        });
        const float my_loss = timed(budget.yours, [&] {
            return run_learner_code("your train_step", budget.left(),
                                    "ten times the solution's time, and at least 10 s", [&] {
                                        return exercise::train_step(yours, data.train, c.batch_size,
                                                                    lr, your_gen);
                                    });
        });
        const std::string wrong = compare_step(check, p, yours, expected, my_loss, loss,
                                               your_gen == expected_gen, c.batch_size);
        if (!wrong.empty())
            return "at step " + std::to_string(i) + " (" + sizes(c) + ", lr " + short_float(lr) +
                   (i == std::size_t(run.schedule.decay_step)
                        ? ", the first step with the lower learning rate: use the lr the step "
                          "is given"
                        : "") +
                   "): " + wrong;
        p = std::move(expected), gen = expected_gen;
    }
    std::cout << sizes(c) << ": " << run.steps
              << " steps, every minibatch, loss and update agrees with the solution's (lr "
              << run.schedule.lr << ", " << run.schedule.lr_decayed << " from step "
              << run.schedule.decay_step << ")\n";
    return {};
}

/// The verdict `not started`: the learner's train_step is not written yet, or it calls a step
/// of the chain (the chain table's row 23) that is not: `thrown_in` is the file of the throw.
std::string not_started(const std::string& thrown_in) {
    const std::size_t at = thrown_in.rfind("chapters/");
    const std::string folder = at == std::string::npos
                                   ? ""
                                   : thrown_in.substr(at + 9, thrown_in.find('/', at + 9) - at - 9);
    if (folder.empty() || folder == NINJA_CHAPTER_FOLDER) {
        std::string chain;
        for (int c : chain_steps(23, false))
            chain += (chain.empty() ? "" : ", ") + chapter_number(c);
        return "chapter 23 (training): not implemented yet \u2014 write your answer in chapters/" +
               std::string(NINJA_CHAPTER_FOLDER) +
               "/exercise.hpp; it calls your steps of chapters " + chain +
               " (tools/exercises.py list says which are solved): call the solutions "
               "(ninja::name_backward) for those you have not written";
    }
    const std::string name = folder.substr(3);
    return "your train_step calls the step of chapter " + folder.substr(0, 2) + " (" + name +
           "), which is not written yet (chapters/" + folder +
           "/exercise.hpp): solve it first, or call the solution, ninja::" + name + "_backward";
}

/// The parameters whose update was never above rounding: nothing can tell whether the
/// learner's step updates them. Batchnorm makes b1 one of them (chapter 23's page).
std::string invisible_updates(const StepCheck& check, Model model) {
    std::string names;
    for (TensorId id : parameters_of(model))
        if (check.visible.count(id) == 0)
            names += (names.empty() ? "" : ", ") + std::string(info(id).name);
    if (names.empty()) return {};
    return "note: the update of " + names +
           " was never larger than the rounding of the parameter itself: its gradient is zero "
           "but for rounding" +
           (names.find("b1") == std::string::npos
                ? std::string(".")
                : ". b1 is added to every row of hprebn alike, and batchnorm subtracts the "
                  "batch mean right after, so b1 never reaches the loss: a bias before "
                  "batchnorm is spurious (the lecture's point).") +
           " Whether your step updates it cannot be seen, and does not matter to the loss.\n";
}

}  // namespace

float exercise_train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                          TorchGenerator& g) {
    return run_learner_code("your train_step", learner_time_floor, "10 s for one step",
                            [&] { return exercise::train_step(p, train, n, lr, g); });
}

int grade_training(const std::string& data_path, TrainStepFn solution, const ChapterInfo& info,
                   const TrainingConfig& asked) {
    Config model = asked.model();
    const Dataset data = load_dataset(resolve_data_path(data_path), model.block_size);
    model.vocab_size = data.vocab.size();
    print_heading(std::cout, info);
    std::cout << "your train_step and the solution's, side by side at every step from the same "
                 "parameters and the same generator:\n";
    StepCheck check;
    Budget budget;
    try {
        for (const TrainingConfig& run : grading_runs(asked)) {
            const std::string wrong = grade_run(run, data, solution, check, budget);
            if (wrong.empty()) continue;
            std::cout << "verdict: wrong: " << wrong << '\n';
            return exit_mismatch;
        }
    } catch (const NotImplemented& e) {
        std::cout << "verdict: not started: " << not_started(e.file()) << '\n';
        return exit_not_started;
    } catch (const StepError& e) {
        std::cout << "verdict: wrong: " << e.what() << '\n';
        return exit_mismatch;
    }
    std::cout << invisible_updates(check, model.model)
              << (check.exact ? "verdict: correct\n" : "verdict: correct up to rounding\n");
    return exit_ok;
}

}  // namespace ninja
