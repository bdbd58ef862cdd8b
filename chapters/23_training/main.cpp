/// @file
/// @brief The program of chapter 23: trains the network with the hand-written backward pass,
/// calibrates batchnorm, prints the train and dev losses and 20 sampled names, and draws the
/// loss curve.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "23_training/training.hpp"
#include "23_training/training_plot.hpp"
#include "common/cuda/train.hpp"
#include "common/device.hpp"

namespace {

using namespace ninja;
using Clock = std::chrono::steady_clock;

constexpr const char* program = "chapter_23_training";

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// The settings from the command line; InputError for impossible ones.
TrainingConfig training_config(const Cli& cli) {
    TrainingConfig c;
    c.steps = cli.get_uint("steps");
    c.n_hidden = cli.get_uint("n-hidden");
    c.seed = cli.get_uint("seed");
    c.batch_size = cli.get_uint("batch-size");
    c.lr = cli.get_double("lr");
    if (c.steps < 1) throw InputError("--steps must be at least 1");
    if (!(c.lr > 0)) throw InputError("--lr must be positive");
    validate(c.model());  // batch size >= 2, n_hidden >= 1
    return c;
}

/// One line on stderr per print interval: the speed since the previous one.
void print_progress(std::size_t step, std::size_t steps, std::size_t since, double seconds,
                    double total) {
    const double rate = double(since) / seconds;
    std::fprintf(stderr, "%s: step %zu/%zu, %.0f steps/s (%.1f us/step) over the last %zu steps, "
                 "%.1f s so far\n", program, step, steps, rate, 1e6 / rate, since, total);
}

/// Prints the loss of step `i` the way the lecture does.
void print_loss(std::size_t i, std::size_t steps, float loss) {
    char line[64];
    std::snprintf(line, sizeof line, "%7zu/%7zu: %.4f\n", i, steps, double(loss));
    std::cout << line << std::flush;
}

/// The lecture's loop on one CPU thread; fills `losses` with every step's loss.
Params<float> train_on_cpu(const TrainingConfig& c, Params<float> params, const Examples& train,
                           TorchGenerator& gen, std::vector<float>& losses) {
    Trainer trainer(std::move(params), train, c.batch_size);
    losses.assign(c.steps, 0.f);
    const Clock::time_point start = Clock::now();
    Clock::time_point last = start;
    std::size_t last_step = 0;
    for (std::size_t i = 0; i < c.steps; ++i) {
        losses[i] = trainer.step(gen, learning_rate(c, i));
        if (i % c.print_every != 0) continue;
        print_loss(i, c.steps, losses[i]);
        if (i > 0) {
            print_progress(i, c.steps, i - last_step, seconds_since(last), seconds_since(start));
            last = Clock::now(), last_step = i;
        }
    }
    const double seconds = seconds_since(start);
    std::fprintf(stderr, "%s: trained %zu steps in %.2f s: %.1f us/step (one thread)\n", program,
                 c.steps, seconds, 1e6 * seconds / double(c.steps));
    return trainer.params();
}

/// The same loop on the GPU (kernels/train.cu): one CUDA Graph per step, the minibatch indices
/// drawn on the host from the same generator, the loss read back once per chunk of steps.
Params<float> train_on_gpu(const TrainingConfig& c, Params<float> params, const Examples& train,
                           TorchGenerator& gen, std::vector<float>& losses) {
    GpuTrainOptions o;
    o.steps = std::int64_t(c.steps);
    o.lr = float(c.lr), o.lr_decayed = float(c.lr / 10);
    o.decay_at = std::int64_t(c.decay_step), o.loss_every = std::int64_t(c.print_every);
    const GpuTrainResult r = gpu_train(params, train, c.batch_size, o,
                                       torch_ix_source(gen, std::int64_t(train.Y.size()), c.batch_size));
    for (const auto& [step, loss] : r.printed) print_loss(std::size_t(step), c.steps, loss);
    std::fprintf(stderr, "%s: trained %zu steps in %.2f s: %.1f us/step (GPU)\n", program, c.steps,
                 r.seconds, r.us_per_step);
    losses = r.losses;
    return params;
}

int run(int argc, const char* const* argv) {
    const TrainingConfig lecture;
    Cli cli(program,
            "Chapter 23: trains the makemore MLP with the hand-written backward pass (the\n"
            "lecture's Exercise 4), calibrates batchnorm on the training set, prints the train\n"
            "and dev losses and 20 sampled names, and writes the loss curve loss_curve.png.\n"
            "The loss goes to stdout every 10000 steps; the speed goes to stderr.");
    cli.option("steps", "N", std::to_string(lecture.steps), "SGD steps")
        .option("n-hidden", "N", std::to_string(lecture.n_hidden), "neurons in the hidden layer")
        .option("seed", "N", std::to_string(lecture.seed),
                "seed of the PyTorch generator for init and minibatches (sampling uses seed + 10)")
        .option("batch-size", "N", std::to_string(lecture.batch_size), "examples per minibatch (>= 2)")
        .option("lr", "RATE", "0.1", "learning rate; a tenth of it from step 100000 on")
        .option("out", "DIR", ".", "folder to write loss_curve.png into")
        .option("data", "PATH", "", "names.txt (else $NINJA_NAMES, else data/names.txt)")
        .option("device", "KIND", "cpu", "train on 'cpu' (one thread) or 'cuda' (a CUDA Graph per step)");
    if (!cli.parse(argc, argv)) return int(exit_ok);
    const TrainingConfig c = training_config(cli);
    const std::string out_dir = cli.get("out");
    use_one_blas_thread();

    Config model = c.model();
    const Dataset data = load_dataset(resolve_data_path(cli.get("data")), model.block_size);
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    const bool gpu = wants_gpu(cli);  // --device cuda, checked before any work
    Params<float> params = init_params(model, gen);

    std::cout << "Chapter 23: training with the hand-written backward pass (exercise 4)\n\n"
              << "parameters: " << params.count() << " (n_embd " << model.n_embd
              << ", n_hidden " << model.n_hidden << ", block_size " << model.block_size
              << "); examples: train " << data.train.Y.size() << ", dev " << data.dev.Y.size()
              << "\n" << c.steps << " steps of SGD, batch " << c.batch_size << ", lr " << c.lr
              << " (" << c.lr / 10 << " from step " << c.decay_step << "), generator seeded "
              << c.seed << "\n\n";

    std::vector<float> losses;
    params = gpu ? train_on_gpu(c, std::move(params), data.train, gen, losses)
                 : train_on_cpu(c, std::move(params), data.train, gen, losses);
    char line[64];

    const BatchnormStats stats = calibrate_batchnorm(params, data.train);
    std::snprintf(line, sizeof line, "train %.4f\nval   %.4f\n",
                  split_loss(params, stats, data.train), split_loss(params, stats, data.dev));
    std::cout << "\nbatchnorm calibrated on all " << data.train.Y.size()
              << " training examples; the losses with those statistics:\n" << line;

    TorchGenerator sampler(c.seed + 10);
    Inference net(params, 1);
    std::cout << "\n20 names sampled (generator seeded " << c.seed + 10 << "):\n";
    for (int k = 0; k < 20; ++k)
        std::cout << sample_name(net, stats, data.vocab, model.block_size, sampler) << '\n';

    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    if (error) throw InputError("--out " + out_dir + ": cannot create the folder (" + error.message() + ")");
    const std::size_t block = curve_block(c.steps);
    const std::string path = out_dir + "/loss_curve.png";
    png::write(path, plot::loss_curve(losses, block, c.decay_step));
    std::cout << "\nwrote " << path << " (the mean of log10(loss) over each " << block
              << (block == 1 ? " step)\n" : " steps)\n");
    return int(exit_ok);
}

}  // namespace

int main(int argc, char** argv) {
    return ninja::guarded_main(program, [&] { return run(argc, argv); });
}
