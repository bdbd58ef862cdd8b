/// @file
/// @brief Times chapter 23's training loop on the GPU (gpu_train(): the persistent kernel of
/// kernels/train_step.hpp) for several block counts: the median microseconds per step over
/// repeated runs, each block count's runs interleaved with the others' (so that a slow spell of
/// the machine hits them all). The first count's median is also printed as
/// `median_us_per_step X`. With --phases, one more run counts the clock cycles of each phase of
/// the step (block 0's view: from the previous barrier to the end of the phase's own), for
/// BENCHMARKS.md's cost model. tools/gpu-check.sh runs it; BENCHMARKS.md says how to read it.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "23_training/training.hpp"
#include "common/device.hpp"
#include "common/program/options.hpp"

namespace {

using namespace ninja;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/// "0,7,13" as numbers.
std::vector<int> numbers(const std::string& list) {
    std::vector<int> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        std::size_t used = 0;
        const int k = item.empty() ? -1 : std::stoi(item, &used);
        if (used != item.size() || k < 0)
            throw InputError("--blocks: '" + list + "' is not a comma-separated list of counts");
        out.push_back(k);
    }
    return out;
}

/// The phases of a profiled run, one line each.
void print_phases(const GpuTrainResult& r) {
    double cycles = 0;
    for (const GpuPhaseTime& p : r.phases) cycles += p.cycles;
    std::printf(
        "\nper phase (%d blocks of %d threads; block 0, from the previous barrier to the "
        "end of the phase's):\n%-22s %-8s %10s %8s\n",
        r.blocks, r.threads, "phase", "barrier", "cycles", "us");
    for (const GpuPhaseTime& p : r.phases)
        std::printf("%-22s %-8s %10.0f %8.2f\n", p.name.c_str(), p.barrier.c_str(), p.cycles, p.us);
    std::printf("%-22s %-8s %10.0f %8.2f  (%.2f GHz)\n", "a step", "", cycles, r.us_per_step,
                cycles / r.us_per_step / 1e3);
}

int run(int argc, const char* const* argv) {
    TrainingConfig c;
    SetupOptions setup;
    setup.config = c.model();
    std::uint64_t steps = 20000, repeats = 5;
    std::string blocks = "0,7,10,13,20,25,40";
    bool phases = false;
    CommandLine cl("bench_gpu_training",
                   "Times chapter 23's training loop on the GPU for several block counts: the\n"
                   "median microseconds per step (GPU time of all steps / steps) of each.\n");
    cl.option("steps", steps, "N", "steps per timed run")
        .option("repeats", repeats, "N", "timed runs of each block count (the median is reported)")
        .option("blocks", blocks, "LIST", "block counts to time, comma-separated (0: the default)")
        .flag("phases", phases, "also time each phase of the step, with the first block count")
        .setup_options(setup);
    if (!cl.parse(argc, argv)) return exit_ok;
    if (steps < 1 || repeats < 1) throw InputError("--steps and --repeats must be at least 1");
    c.n_hidden = setup.config.n_hidden, c.batch_size = setup.config.batch_size;
    c.seed = setup.config.seed;
    validate(c.model());
    const std::vector<int> counts = numbers(blocks);
    require_cuda_device();

    Config model = c.model();
    const Dataset data = load_dataset(resolve_data_path(setup.data), model.block_size);
    model.vocab_size = data.vocab.size();
    TorchGenerator gen(c.seed);
    const Params<float> initial = init_params(model, gen);
    const auto time_once = [&](int count, std::uint64_t run_steps, bool profile = false) {
        Params<float> params = initial;
        GpuTrainOptions o;
        o.steps = std::int64_t(run_steps), o.blocks = count, o.profile_phases = profile;
        return gpu_train(params, data.train, c.batch_size, o,
                         torch_ix_source(gen, std::int64_t(data.train.Y.size()), c.batch_size));
    };
    std::vector<std::vector<double>> us(counts.size());
    std::vector<GpuTrainResult> shape(counts.size());
    for (std::size_t k = 0; k < counts.size(); ++k)
        shape[k] = time_once(counts[k], 100);  // warm-up
    for (std::uint64_t r = 0; r < repeats; ++r)
        for (std::size_t k = 0; k < counts.size(); ++k)
            us[k].push_back(time_once(counts[k], steps).us_per_step);
    std::printf("n_hidden %zu, batch %zu: %llu runs of %llu steps per block count\n", c.n_hidden,
                c.batch_size, static_cast<unsigned long long>(repeats),
                static_cast<unsigned long long>(steps));
    std::printf("%-16s %8s %8s %14s\n", "blocks (asked)", "blocks", "threads", "us/step median");
    for (std::size_t k = 0; k < counts.size(); ++k)
        std::printf("%-16d %8d %8d %14.2f\n", counts[k], shape[k].blocks, shape[k].threads,
                    median(us[k]));
    std::printf("median_us_per_step %.2f\n", median(us[0]));
    if (phases) print_phases(time_once(counts[0], steps, true));
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    return ninja::guarded_main("bench_gpu_training", [&] { return run(argc, argv); });
}
