/// @file
/// @brief The program of chapter 23: trains the network with the hand-written backward pass,
/// calibrates batchnorm, prints the train and dev losses and 20 sampled names, and draws the
/// loss curve.
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>

#include "23_training/blas.hpp"
#include "23_training/fast_evaluation.hpp"
#include "23_training/fast_trainer.hpp"
#include "23_training/grading.hpp"  // the exercise's step and its verdict (grade.cpp)
#include "23_training/training.hpp"
#include "24_layernorm/layernorm_training.hpp"
#include "common/atomic_file.hpp"
#include "common/device.hpp"
#include "common/plot.hpp"
#include "common/program/chapter_options.hpp"
#include "common/program/hints.hpp"
#include "common/program/options.hpp"
#include "common/program/progress.hpp"

namespace {

using namespace ninja;
using Clock = std::chrono::steady_clock;

constexpr const char* program = "chapter_23_training";

/// The options of the program.
struct Options {
    TrainingConfig training;
    std::string data;
    std::string out = ".";
    std::string device = "cpu";
    std::string trainer = "fast";
    std::string norm = "batch";  ///< `--norm layer`: LayerNorm (chapter 24), batchnorm beside it
    bool info = false;
    bool grade = false;       ///< `--grade`: the verdict on the exercise's train_step
    std::uint64_t hint = 0;   ///< `--hint N`: hint N of the exercise
    bool hint_given = false;  ///< whether `--hint` was given
};

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Prints the loss of step `i` the way the lecture does.
void print_loss(std::size_t i, std::size_t steps, float loss) {
    char line[64];
    std::snprintf(line, sizeof line, "%7zu/%7zu: %.4f\n", i, steps, double(loss));
    std::cout << line << std::flush;
}

/// The lecture's loop on one CPU thread: `step(i, lr)` runs step i and returns its loss. Prints
/// the loss every print_every steps, and the speed on stderr then or after 5 s without a line
/// (large batches); stops at a diverged loss (check_training_loss, `V` symbols); returns every
/// step's loss.
std::vector<float> train_on_cpu(const TrainingConfig& c, std::size_t V,
                                const std::function<float(std::size_t, float)>& step) {
    std::vector<float> losses(c.steps);
    const Clock::time_point start = Clock::now();
    Clock::time_point last = start;
    std::size_t last_step = 0;
    for (std::size_t i = 0; i < c.steps; ++i) {
        const float lr = c.schedule.at(std::int64_t(i));
        losses[i] = step(i, lr);
        check_training_loss(i, losses[i], lr, V);
        const bool printed = i % c.print_every == 0;
        if (printed) print_loss(i, c.steps, losses[i]);
        if (i == 0 || !(printed || seconds_since(last) >= 5)) continue;
        const double rate = double(i - last_step) / seconds_since(last);
        std::fprintf(stderr,
                     "%s: step %zu/%zu, %.0f steps/s (%.1f us/step) over the last %zu steps, "
                     "%.1f s so far\n",
                     program, i, c.steps, rate, 1e6 / rate, i - last_step, seconds_since(start));
        last = Clock::now(), last_step = i;
    }
    const double seconds = seconds_since(start);
    std::fprintf(stderr,
                 "%s: trained %zu steps in %.2f s: %.1f us/step (one thread, OpenBLAS's %s "
                 "kernels)\n",
                 program, c.steps, seconds, 1e6 * seconds / double(c.steps), blas_kernels());
    return losses;
}

/// The same loop on the GPU (kernels/train_step.hpp: one persistent kernel per 10,000 steps),
/// the minibatch indices drawn on the host from the same generator.
std::vector<float> train_on_gpu(const TrainingConfig& c, Params<float>& params,
                                const Examples& train, TorchGenerator& gen) {
    GpuTrainOptions o;
    o.steps = std::int64_t(c.steps), o.schedule = c.schedule;
    o.loss_every = std::int64_t(c.print_every);
    const GpuTrainResult r =
        gpu_train(params, train, c.batch_size, o,
                  torch_ix_source(gen, std::int64_t(train.Y.size()), c.batch_size));
    for (const auto& [step, loss] : r.printed) print_loss(std::size_t(step), c.steps, loss);
    std::fprintf(stderr,
                 "%s: trained %zu steps in %.3f s: %.2f us/step (GPU, %d blocks of %d threads)\n",
                 program, c.steps, r.seconds, r.us_per_step, r.blocks, r.threads);
    return r.losses;
}

/// What `--trainer yours` says when the exercise's step is not written.
constexpr const char* your_step_not_written =
    "--trainer yours: your train_step (chapters/" NINJA_CHAPTER_FOLDER
    "/exercise.hpp), or a step it calls, is not written yet (--grade says which)";

/// `--trainer yours` runs the exercise's train_step: one step on copies of the parameters and
/// the generator tells whether it is written, before anything is printed or created.
void require_your_step(const Params<float>& params, const Examples& train, std::size_t n,
                       const TorchGenerator& gen) {
    Params<float> p = params;
    TorchGenerator g = gen;
    try {
        exercise_train_step(p, train, n, LrSchedule().lr, g);
    } catch (const NotImplemented&) { throw ExerciseNotStarted(your_step_not_written); }
}

/// Trains `params` as the options say; returns every step's loss (the GPU's checked for
/// divergence after its run).
std::vector<float> train(const Options& o, Params<float>& params, const Examples& train,
                         TorchGenerator& gen) {
    const TrainingConfig& c = o.training;
    const std::size_t V = params.W2.shape(1);
    if (c.norm == Model::layernorm)  // chapter 24's step in the plain loop
        return train_on_cpu(c, V, [&](std::size_t, float lr) {
            return layernorm_train_step(params, train, c.batch_size, lr, gen);
        });
    if (o.device == "cuda") {
        const std::vector<float> losses = train_on_gpu(c, params, train, gen);
        for (std::size_t i = 0; i < losses.size(); ++i)
            check_training_loss(i, losses[i], c.schedule.at(std::int64_t(i)), V);
        return losses;
    }
    if (o.trainer != "fast") {  // the chapter's train_step, or the exercise's
        const TrainStepFn step = o.trainer == "plain" ? &train_step : &exercise_train_step;
        try {
            return train_on_cpu(c, V, [&](std::size_t, float lr) {
                return step(params, train, c.batch_size, lr, gen);
            });
        } catch (const NotImplemented&) { throw ExerciseNotStarted(your_step_not_written); }
    }
    Trainer trainer(params, train, c.batch_size);
    std::vector<float> losses =
        train_on_cpu(c, V, [&](std::size_t, float lr) { return trainer.step(gen, lr); });
    params = trainer.params();
    return losses;
}

/// The largest --steps: fifty times the lecture's 200,000 (the losses take 4 bytes a step).
constexpr std::uint64_t max_steps = 10'000'000;

/// Reads the options; false after --help.
bool parse(Options& o, int argc, const char* const* argv) {
    TrainingConfig& c = o.training;
    SetupOptions setup;
    setup.config = c.model();
    std::uint64_t steps = c.steps;
    double lr = c.schedule.lr;
    CommandLine cl(
        program,
        "Chapter 23: " + std::string(chapter<23>.title) +
            "\nTrains the makemore MLP (the lecture's Exercise 4), calibrates batchnorm on the"
            "\ntraining set, prints the train and dev losses and 20 sampled names, and writes"
            "\nthe loss curve loss_curve.png. The loss goes to stdout every " +
            std::to_string(c.print_every) + " steps; the\nspeed goes to stderr.\n");
    cl.option("steps", steps, "N", "SGD steps")
        .option("lr", lr, "RATE",
                "learning rate; a tenth of it from step " + std::to_string(c.schedule.decay_step) +
                    " on")
        .option("out", o.out, "DIR", "folder to write loss_curve.png into")
        .option("trainer", o.trainer, "KIND",
                "'fast' (fast_trainer.hpp), 'plain' (the chapter's train_step) or 'yours' "
                "(the exercise's, exercise.hpp)",
                {"fast", "plain", "yours"})
        .option("device", o.device, "KIND",
                "train on 'cpu' (one thread) or 'cuda' (one persistent kernel per 10,000 steps)",
                {"cpu", "cuda"})
        .option("norm", o.norm, "KIND",
                "'batch' (the lecture's batchnorm) or 'layer' (LayerNorm, chapter 24: the plain "
                "loop on the CPU, then batchnorm on the same minibatches, and both losses; a "
                "batch of one is fine)",
                {"batch", "layer"})
        .flag("info", o.info, "print the chapter's facts as 'key: value' lines, and nothing else")
        .flag("grade", o.grade,
              "grade the exercise's train_step against the solution's over 2,000 steps, and "
              "nothing else")
        .option("hint", o.hint, "N", "print hint N (from 1) of the exercise, and nothing else")
        .setup_options(setup);
    if (!cl.parse(argc, argv)) return false;
    o.hint_given = cl.given("hint");
    c.steps = steps, c.seed = setup.config.seed;
    c.batch_size = setup.config.batch_size, c.n_hidden = setup.config.n_hidden;
    c.schedule.lr = float(lr), c.schedule.lr_decayed = float(lr / 10);
    o.data = setup.data;
    if (c.steps < 1) throw InputError("--steps must be at least 1");
    if (steps > max_steps) throw InputError("--steps must be at most " + std::to_string(max_steps));
    if (!(lr > 0)) throw InputError("--lr must be positive");
    if (lr < 1e-37 || lr > 3e38)  // a normal float32, a tenth of it too
        throw InputError("--lr must be a float32 number, 1e-37 to 3e38");
    if (o.norm == "layer") {  // chapter 24's step, in the plain loop, on the CPU
        c.norm = Model::layernorm;
        for (const char* other : {"trainer", "device", "grade"})
            if (cl.given(other))
                throw InputError(
                    "--norm layer trains with chapter 24's step in the plain loop "
                    "on the CPU; --" +
                    std::string(other) + " is for batchnorm");
    }
    validate(c.model());  // batch size >= 2 (1 with LayerNorm), n_hidden >= 1
    if (o.device == "cuda" && cl.given("trainer"))
        throw InputError("--trainer " + o.trainer +
                         ": --device cuda trains with its own kernel; --trainer is for the CPU");
    return true;
}

/// The split must leave a training set of at least one batch, for the first step, and a dev set
/// to evaluate on; checked before any step is taken.
void check_split(const Dataset& data, const TrainingConfig& c, const std::string& path) {
    if (data.train.Y.size() < c.batch_size)
        throw InputError(path + ": " + std::to_string(data.words.size()) + " names give " +
                         std::to_string(data.train.Y.size()) +
                         " training examples, fewer than one batch of " +
                         std::to_string(c.batch_size) + " (--batch-size)");
    if (data.dev.Y.size() == 0)
        throw InputError(path + ": " + std::to_string(data.words.size()) +
                         " names leave the dev set (the names from 80% to 90%) empty");
}

/// Prints the 20 sampled names; a name cut at max_name_length says so.
void print_samples(const Params<float>& params, const BatchnormStats& stats, const Dataset& data,
                   const Config& model, std::uint64_t seed) {
    TorchGenerator sampler(seed);
    std::cout << "\n20 names sampled"
              << (model.model == Model::layernorm ? " from the LayerNorm network" : "")
              << " (generator seeded " << seed << "):\n";
    for (int k = 0; k < 20; ++k) {
        const std::string name = sample_name(params, stats, data.vocab, model.block_size, sampler);
        std::cout << name
                  << (name.back() == '.' ? ""
                                         : "... (cut at " + std::to_string(max_name_length) +
                                               " characters: no '.' drawn)")
                  << '\n';
    }
}

/// The train and dev losses of a trained network.
struct SplitLosses {
    double train, val;
};

void print_losses(const SplitLosses& l) {
    char line[64];
    std::snprintf(line, sizeof line, "train %.4f\nval   %.4f\n", l.train, l.val);
    std::cout << line;
}

/// Calibrates batchnorm on the training set (`stats`), and returns the losses with those
/// statistics (fast_evaluation.hpp); a last update that diverged stops the program.
SplitLosses batchnorm_losses(const Params<float>& params, const Dataset& data,
                             const TrainingConfig& c, BatchnormStats& stats) {
    Evaluator evaluator(params);
    stats = evaluator.calibrate(data.train, Progress(program, "calibrating batchnorm"));
    const double train =
        evaluator.split_loss(stats, data.train, Progress(program, "the train loss"));
    check_training_loss(c.steps, float(train), c.schedule.at(std::int64_t(c.steps) - 1),
                        data.vocab.size());
    return {train, evaluator.split_loss(stats, data.dev, Progress(program, "the dev loss"))};
}

/// `--norm layer`, after training: the LayerNorm network's losses, with nothing to calibrate;
/// then the lecture's network with batchnorm, trained on the same minibatches (the same seed: its
/// gain and bias take as many numbers from the generator as LayerNorm's) by the fast trainer and
/// calibrated; and the losses of both side by side.
void compare_with_batchnorm(const Options& o, const Params<float>& params, const Dataset& data) {
    const TrainingConfig& c = o.training;
    const SplitLosses layer{split_loss(params, {}, data.train), split_loss(params, {}, data.dev)};
    check_training_loss(c.steps, float(layer.train), c.schedule.at(std::int64_t(c.steps) - 1),
                        data.vocab.size());
    std::cout << "\nLayerNorm needs no calibration: an example's output depends on that example "
                 "alone,\nso the network is evaluated as it was trained. The losses:\n";
    print_losses(layer);
    if (c.batch_size < 2) {
        std::cout << "\nbatchnorm is not trained beside it: its unbiased variance needs batches "
                     "of at least 2\n";
        return;
    }
    Options batchnorm = o;
    batchnorm.training.norm = Model::batchnorm;
    Config model = batchnorm.training.model();
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    Params<float> bn = init_params(model, gen);
    std::cout << "\nbatchnorm, trained beside it on the same minibatches (the fast trainer):\n";
    train(batchnorm, bn, data.train, gen);
    BatchnormStats stats;
    const SplitLosses batch = batchnorm_losses(bn, data, batchnorm.training, stats);
    char table[160];
    std::snprintf(table, sizeof table,
                  "\nthe losses after training (batchnorm calibrated on the training set):\n"
                  "       LayerNorm  batchnorm\ntrain  %9.4f  %9.4f\nval    %9.4f  %9.4f\n",
                  layer.train, batch.train, layer.val, batch.val);
    std::cout << table;
}

int run(int argc, const char* const* argv) {
    Options o;
    if (!parse(o, argc, argv)) return exit_ok;
    if (o.info) {
        print_chapter_info(std::cout, chapter_info<23>(),
                           {{"run", "--out {out}"},
                            {"quick", "--steps 2000"},
                            {"also", "--norm layer --out {out}/layernorm"},
                            {"exercise", "chapters/" NINJA_CHAPTER_FOLDER "/exercise.hpp"},
                            {"hints", std::to_string(read_hints(NINJA_CHAPTER_FOLDER).size())},
                            {"grade", "--grade"}});
        return exit_ok;
    }
    if (o.hint_given) {
        print_hint(std::cout, NINJA_CHAPTER_FOLDER, o.hint);
        return exit_ok;
    }
    if (o.grade) return grade_training(o.data, &train_step, chapter_info<23>(), o.training);
    const TrainingConfig& c = o.training;
    if (o.device == "cuda") require_cuda_device();  // checked before any work
    use_one_blas_thread();

    Config model = c.model();
    const std::string data_path = resolve_data_path(o.data);
    const Dataset data = load_dataset(data_path, model.block_size);
    check_split(data, c, data_path);
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    Params<float> params = init_params(model, gen);
    if (o.trainer == "yours") require_your_step(params, data.train, c.batch_size, gen);
    prepare_output_folder(o.out, "--out");  // once the input is checked, before the work

    std::cout << "Chapter 23: " << chapter<23>.title << " (exercise 4)"
              << (c.norm == Model::layernorm
                      ? "\nwith LayerNorm in place of batchnorm: chapter 24's step, the plain loop"
                      : "")
              << "\n\n"
              << "parameters: " << params.count() << " (n_embd " << model.n_embd << ", n_hidden "
              << model.n_hidden << ", block_size " << model.block_size << "); examples: train "
              << data.train.Y.size() << ", dev " << data.dev.Y.size() << "\n"
              << c.steps << " steps of SGD, batch " << c.batch_size << ", lr " << c.schedule.lr
              << " (" << c.schedule.lr_decayed << " from step " << c.schedule.decay_step
              << "), generator seeded " << c.seed << "\n\n";

    const std::vector<float> losses = train(o, params, data.train, gen);
    BatchnormStats stats;  // the LayerNorm network needs none
    if (c.norm == Model::layernorm) {
        compare_with_batchnorm(o, params, data);
    } else {
        const SplitLosses batch = batchnorm_losses(params, data, c, stats);
        std::cout << "\nbatchnorm calibrated on all " << data.train.Y.size()
                  << " training examples; the losses with those statistics:\n";
        print_losses(batch);
    }
    print_samples(params, stats, data, model, c.seed + 10);

    const std::size_t block = plot::curve_block(c.steps);
    const std::string path = o.out + "/loss_curve.png";
    check_standard_output();  // a report that was lost: no picture either
    plot::write_png(path, plot::loss_curve(losses, block, std::size_t(c.schedule.decay_step)));
    std::cout << "\nwrote " << path << " ("
              << (c.norm == Model::layernorm ? "LayerNorm's loss: " : "")
              << "the mean of log10(loss) over each " << block
              << (block == 1 ? " step)\n" : " steps)\n");
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    return ninja::guarded_main(program, [&] { return run(argc, argv); });
}
