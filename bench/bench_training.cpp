/// @file
/// @brief Times chapter 23's training step: the median microseconds per step over repeated runs,
/// and where the time of a step goes, stage by stage.
///
/// The step is the one the training program runs (Trainer::step: minibatch, forward, backward,
/// SGD update), on the lecture's sizes by default, with one BLAS thread. Three measurements:
/// 1. `--repeats` runs of `--steps` consecutive steps, timed as a whole with the wall clock and
///    with the thread's CPU clock; the median of each.
/// 2. `--steps` steps timed one by one; the median of the single-step times. On a busy machine
///    the other processes take turns on the core and inflate the totals of (1), but they hit
///    only some of the steps, and the median step is the one they did not hit.
/// 3. The same with a clock read at the end of every stage of the step; the median of each
///    stage (the reads, about 15 a step, add a little to the total).
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "23_training/blas.hpp"
#include "23_training/fast_trainer.hpp"
#include "23_training/training.hpp"
#include "common/program/options.hpp"

namespace {

using namespace ninja;
using Clock = std::chrono::steady_clock;

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/// Accumulates the wall time between consecutive calls into the stage that just ended.
struct StageTimer {
    std::array<double, std::size_t(TrainStage::count)> seconds{};
    Clock::time_point last = Clock::now();
    void operator()(TrainStage s) {
        const Clock::time_point now = Clock::now();
        seconds[std::size_t(s)] += std::chrono::duration<double>(now - last).count();
        last = now;
    }
};

std::string first_line_of(const std::string& path, const std::string& prefix) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) return line.substr(line.find(':') + 1);
    return " (unknown)";
}

int run(int argc, const char* const* argv) {
    TrainingConfig c;
    SetupOptions setup;
    setup.config = c.model();
    std::uint64_t steps = 5000, repeats = 7, warmup = 1000, plain_steps = 300;
    std::string way = "by_symbol";
    CommandLine cl(
        "bench_training",
        "Times chapter 23's training step (one thread): the median microseconds per step\n"
        "over repeated runs, a per-stage breakdown, and the plain loop's step (the\n"
        "chapter's train_step) as the baseline of the same run.\n");
    cl.option("steps", steps, "N", "steps per timed repeat")
        .option("repeats", repeats, "N", "timed repeats (the median is reported)")
        .option("warmup", warmup, "N", "steps run before timing")
        .option("plain-steps", plain_steps, "N",
                "steps of the plain loop, timed one by one (0: none)")
        .option("products", way, "WAY",
                "the products with embcat: 'by_symbol' (the default of the training program) or "
                "'as_chapters' (chapters 18-20 as written)",
                {"by_symbol", "as_chapters"})
        .setup_options(setup);
    if (!cl.parse(argc, argv)) return 0;
    c.n_hidden = setup.config.n_hidden, c.batch_size = setup.config.batch_size;
    c.seed = setup.config.seed;
    if (steps < 1 || repeats < 1) throw InputError("--steps and --repeats must be at least 1");
    validate(c.model());
    const EmbeddingProducts products =
        way == "by_symbol" ? EmbeddingProducts::by_symbol : EmbeddingProducts::as_chapters;
    use_one_blas_thread();

    Config model = c.model();
    const Dataset data = load_dataset(resolve_data_path(setup.data), model.block_size);
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    Trainer trainer(init_params(model, gen), data.train, c.batch_size, products);
    std::size_t step = 0;
    float sink = 0;  // keeps the losses alive
    for (; step < warmup; ++step) sink += trainer.step(gen, c.schedule.at(std::int64_t(step)));

    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    std::cout << "cpu:" << first_line_of("/proc/cpuinfo", "model name")
              << "\nload average (1, 5, 15 min): " << first_line_of("/proc/loadavg", "") << "\n"
              << "model: n_hidden " << c.n_hidden << ", batch " << c.batch_size << ", "
              << trainer.params().count() << " parameters; products with embcat " << way << "; "
              << repeats << " repeats of " << steps << " steps after " << warmup
              << " warm-up steps; 1 BLAS thread\nOpenBLAS kernels: " << blas_kernels()
              << " (OPENBLAS_CORETYPE " << (coretype != nullptr ? coretype : "unset") << ")\n\n";
    std::vector<double> wall, cpu;
    for (std::size_t r = 0; r < repeats; ++r) {
        const Clock::time_point t0 = Clock::now();
        const double c0 = thread_cpu_seconds();
        for (std::size_t i = 0; i < steps; ++i, ++step)
            sink += trainer.step(gen, c.schedule.at(std::int64_t(step)));
        const double w = std::chrono::duration<double>(Clock::now() - t0).count();
        wall.push_back(1e6 * w / double(steps));
        cpu.push_back(1e6 * (thread_cpu_seconds() - c0) / double(steps));
        std::printf("repeat %zu: %7.2f us/step wall, %7.2f us/step cpu\n", r + 1, wall.back(),
                    cpu.back());
    }

    std::vector<double> single(steps);
    for (std::size_t i = 0; i < steps; ++i, ++step) {
        const Clock::time_point t0 = Clock::now();
        sink += trainer.step(gen, c.schedule.at(std::int64_t(step)));
        single[i] = 1e6 * std::chrono::duration<double>(Clock::now() - t0).count();
    }
    const double median_step = median(single);
    std::printf("\none step at a time: median %.2f us, 10%% of the steps under %.2f us\n",
                median_step, [&] {
                    auto v = single;
                    std::nth_element(v.begin(), v.begin() + long(v.size() / 10), v.end());
                    return v[v.size() / 10];
                }());

    constexpr std::size_t stages = std::size_t(TrainStage::count);
    std::vector<std::array<double, stages>> per_step(steps);
    StageTimer timer;
    for (std::size_t i = 0; i < steps; ++i, ++step) {
        timer.seconds.fill(0);
        timer.last = Clock::now();
        sink += trainer.step(gen, c.schedule.at(std::int64_t(step)), std::ref(timer));
        per_step[i] = timer.seconds;
    }
    std::printf("\nper stage (median over %zu steps of each stage's time in the step):\n", steps);
    double total = 0;
    std::array<double, stages> stage_median{};
    for (std::size_t s = 0; s < stages; ++s) {
        std::vector<double> v(steps);
        for (std::size_t i = 0; i < steps; ++i) v[i] = 1e6 * per_step[i][s];
        stage_median[s] = median(v);
        total += stage_median[s];
    }
    for (std::size_t s = 0; s < stages; ++s)
        std::printf("  %-30s %7.2f us  %5.1f%%\n", stage_name(TrainStage(s)), stage_median[s],
                    100 * stage_median[s] / total);
    std::printf("  %-30s %7.2f us\n", "sum of the stage medians", total);
    std::printf(
        "\nmedian: %.2f us/step wall, %.2f us/step cpu over runs of %zu steps; "
        "%.2f us for the median single step (last loss %.4f)\n",
        median(wall), median(cpu), steps, median_step, double(sink - sink + trainer.loss()));
    std::printf(
        "median_us_per_step %.3f\nmedian_cpu_us_per_step %.3f\nmedian_single_step_us %.3f\n"
        "openblas_kernels %s\n",
        median(wall), median(cpu), median_step, blas_kernels());
    if (plain_steps > 0) {
        // The baseline: the chapter's plain loop (train_step), on the same parameters and data.
        Params<float> params = trainer.params();
        std::vector<double> plain(plain_steps);
        for (std::size_t i = 0; i < plain_steps; ++i, ++step) {
            const Clock::time_point t0 = Clock::now();
            sink += train_step(params, data.train, c.batch_size, c.schedule.at(std::int64_t(step)),
                               gen);
            plain[i] = 1e6 * std::chrono::duration<double>(Clock::now() - t0).count();
        }
        std::printf(
            "\nthe plain loop (train_step), one step at a time: median %.2f us, %.1fx the "
            "fast trainer's median single step\nmedian_plain_step_us %.3f\n",
            median(plain), median(plain) / median_step, median(plain));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return ninja::guarded_main("bench_training", [&] { return run(argc, argv); });
}
