/// @file
/// @brief The program every chapter shares: runs the chapter's backward steps and prints the
/// notebook's `cmp` table against PyTorch's gradients or float64 finite differences.
///
/// A chapter is a struct with
/// - `static ChapterInfo info()`: its number, title, the forward line it differentiates, shapes;
/// - `template <class T> static void backward(Grads<T>&, const Forward<T>&, const Params<T>&,
///   const Batch&)`: every backward step from the loss down to and including this chapter's,
///   written as the previous chapter's `backward` followed by this chapter's own step.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/cli.hpp"
#include "common/cmp.hpp"
#include "common/device.hpp"
#include "common/exercise.hpp"
#include "common/grads.hpp"
#include "common/npy.hpp"
#include "common/numerical.hpp"
#include "common/setup.hpp"

namespace ninja {

/// What a chapter program prints about its step.
struct ChapterInfo {
    int number;                         ///< 1..22
    std::string name;                   ///< folder name without the number, e.g. "probs"
    std::string title;                  ///< one line: what this chapter derives
    std::string forward_line;           ///< the line of the forward pass being differentiated
    std::string shapes;                 ///< the shapes involved, e.g. "probs (n, V) -> logprobs (n, V)"
    std::vector<std::string> grads;     ///< tensors whose gradients the step produces, e.g. {"probs"}
    std::vector<std::string> inputs;    ///< what the step reads, e.g. {"dlogprobs", "probs"}
    /// The program's name, e.g. "chapter_02_probs".
    std::string program() const {
        char number_text[8];
        std::snprintf(number_text, sizeof number_text, "%02d", number);
        return "chapter_" + std::string(number_text) + "_" + name;
    }
};

/// Where the reference gradients come from.
enum class ReferenceKind { pytorch, numerical };

/// Calls `fn(tensor)` for the tensor called `name`: a gradient (`d` prefix), a forward
/// intermediate or a parameter. Returns false when no tensor has that name.
template <class T, class F>
bool with_tensor(std::string_view name, Grads<T>& g, Forward<T>& f, Params<T>& p, F&& fn) {
    bool found = false;
    const auto visit = [&](std::string_view tname, auto& t) {
        if (tname == name) fn(t), found = true;
    };
    if (name.size() > 1 && name[0] == 'd')
        g.for_each([&](std::string_view tname, auto& t) {
            if (tname == name.substr(1)) fn(t), found = true;
        });
    f.for_each(visit);
    p.for_each(visit);
    return found;
}

/// The names of the gradients a chapter prints: its own, or with `all` every gradient of the
/// notebook's table up to its last own one.
inline std::vector<std::string> printed_grads(const ChapterInfo& info, bool all) {
    if (!all) return info.grads;
    std::vector<std::string> names;
    std::size_t last = 0;
    Grads<float>{}.for_each([&](const char* name, auto&) {
        names.emplace_back(name);
        if (std::find(info.grads.begin(), info.grads.end(), name) != info.grads.end())
            last = names.size();
    });
    names.resize(last);
    return names;
}

/// The state a chapter runs on: parameters, batch, forward pass, and the reference gradients.
template <class T>
struct ChapterRun {
    Params<T> params;  ///< the model's parameters
    Batch batch;       ///< the minibatch
    Forward<T> f;      ///< every intermediate of the forward pass
    Grads<T> g;        ///< the chapter's hand-derived gradients
    Grads<T> expected; ///< PyTorch's autograd, or central differences
};

// ---- optional members of a chapter struct (the fused chapters 21 and 22 use them) ---------------
// - `static std::vector<std::string> all_grads()`: what `--all` prints, for a chapter whose
//   backward skips the notebook's intermediates (a fused step); without it, printed_grads().
// - `static void declare_options(Cli&)`: options of the chapter's own, after the shared ones.
// - `template <class T> static bool extra_report(ChapterRun<T>&, const Cli&)`: more output after
//   the cmp lines (another comparison, a picture); false makes the exit code a mismatch.

/// Whether chapter struct `C` has `all_grads()`.
template <class C, class = void>
struct has_all_grads : std::false_type {};
/// See has_all_grads.
template <class C>
struct has_all_grads<C, std::void_t<decltype(C::all_grads())>> : std::true_type {};
/// Whether chapter struct `C` has `declare_options(Cli&)`.
template <class C, class = void>
struct has_declare_options : std::false_type {};
/// See has_declare_options.
template <class C>
struct has_declare_options<C, std::void_t<decltype(C::declare_options(std::declval<Cli&>()))>>
    : std::true_type {};
/// Whether chapter struct `C` has `extra_report(ChapterRun<T>&, const Cli&)`.
template <class C, class T, class = void>
struct has_extra_report : std::false_type {};
/// See has_extra_report.
template <class C, class T>
struct has_extra_report<C, T, std::void_t<decltype(C::extra_report(std::declval<ChapterRun<T>&>(),
                                                                    std::declval<const Cli&>()))>>
    : std::true_type {};

/// The gradients chapter `Chapter` prints: its own, or with `all` its all_grads() if it has one,
/// else every gradient of the notebook's table up to its last own one.
template <class Chapter>
std::vector<std::string> chapter_printed_grads(bool all) {
    if constexpr (has_all_grads<Chapter>::value)
        if (all) return Chapter::all_grads();
    return printed_grads(Chapter::info(), all);
}

/// Runs the chapter's extra_report() if it has one; true when it has none.
template <class Chapter, class T>
bool run_extra_report(ChapterRun<T>& r, const Cli& cli) {
    if constexpr (has_extra_report<Chapter, T>::value)
        return Chapter::extra_report(r, cli);
    else
        return true;
}

// ---- end of the optional members ----------------------------------------------------------------

/// Runs chapter `Chapter` on PyTorch's own forward pass (tests/reference/lecture), so that the
/// comparison judges the backward step alone, as the lecture's notebook does.
template <class Chapter>
ChapterRun<float> run_on_pytorch_reference(const Reference& ref) {
    ChapterRun<float> r{load_params(ref), load_batch(ref), load_forward(ref), {}, {}};
    Chapter::backward(r.g, r.f, r.params, r.batch);
    r.expected.for_each([&](const std::string& name, auto& t) { ref.load_into(t, "d" + name); });
    return r;
}

/// Runs chapter `Chapter` in double precision on `setup` and fills `expected` with central
/// differences of the loss for every gradient whose name satisfies `wanted`.
template <class Chapter, class Wanted>
ChapterRun<double> run_on_numerical_reference(const Setup& setup, Wanted&& wanted) {
    ChapterRun<double> r{cast_params<double>(setup.params), setup.batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    Chapter::backward(r.g, r.f, r.params, r.batch);
    numerical_grads(r.expected, r.params, r.batch, wanted);
    return r;
}

/// Compares each gradient in `names` with its reference, in the order given.
template <class T>
std::vector<Comparison> compare_grads(ChapterRun<T>& r, const std::vector<std::string>& names) {
    std::vector<Comparison> out;
    for (const std::string& name : names) {
        r.g.for_each([&](const std::string& gname, const auto& mine) {
            if (gname != name) return;
            r.expected.for_each([&](const std::string& ename, const auto& theirs) {
                if constexpr (std::is_same_v<decltype(mine), decltype(theirs)>)
                    if (ename == name) out.push_back(compare(name, mine, theirs));
            });
        });
    }
    return out;
}

/// Prints the cmp line of every gradient in `names`; true when all are approximately equal.
template <class T>
bool print_comparisons(ChapterRun<T>& r, const std::vector<std::string>& names) {
    bool all_close = true;
    for (const Comparison& c : compare_grads(r, names)) {
        std::cout << format_cmp(c) << '\n';
        all_close &= c.approximate;
    }
    return all_close;
}

/// Writes the chapter's gradients and the tensors its step reads as `.npy` files into `dir`.
template <class T>
void dump_step(ChapterRun<T>& r, const ChapterInfo& info, const std::string& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::string> names = info.inputs;
    for (const std::string& name : info.grads) names.push_back("d" + name);
    for (const std::string& name : names)
        with_tensor(name, r.g, r.f, r.params, [&](const auto& t) { write_npy(dir, name, t); });
    std::cout << "wrote " << names.size() << " tensors to " << dir << "\n";
}

/// Reads the sizes and seed shared by every chapter program.
inline Config config_from(const Cli& cli) {
    Config c;
    c.seed = cli.get_uint("seed");
    c.batch_size = cli.get_uint("batch-size");
    c.n_hidden = cli.get_uint("n-hidden");
    validate(c);
    return c;
}

/// Declares the options every chapter program takes.
inline void declare_chapter_options(Cli& cli) {
    const Config lecture;
    cli.flag("all", "print every gradient of the notebook's table so far, not only this step's")
        .flag("hint", "print hints for this chapter's exercise, and nothing else")
        .option("reference", "KIND", "pytorch",
                "compare with 'pytorch' (autograd, lecture setup only) or 'numerical' "
                "(float64 central differences, any setup)")
        .option("dump", "DIR", "", "write this step's gradients and its inputs as .npy files")
        .option("data", "PATH", "", "names.txt for --reference numerical (else $NINJA_NAMES, else data/names.txt)")
        .option("seed", "N", std::to_string(lecture.seed), "seed of the PyTorch generator")
        .option("batch-size", "N", std::to_string(lecture.batch_size), "examples per minibatch (>= 2)")
        .option("n-hidden", "N", std::to_string(lecture.n_hidden), "neurons in the hidden layer");
    cli.option("device", "KIND", "cpu",
               "run the backward steps on 'cpu' or on 'cuda' (a CUDA GPU; --reference pytorch)");
}

// ---- --device cpu|cuda ---------------------------------------------------------------------------

/// True when `--device cuda` was given and a GPU is usable; false for `--device cpu`.
/// InputError for another value, or for `cuda` without a usable GPU (CPU-only build included).
inline bool wants_gpu(const Cli& cli) {
    const std::string& device = cli.get("device");
    if (device == "cpu") return false;
    if (device != "cuda") throw InputError("--device must be 'cpu' or 'cuda', not '" + device + "'");
    std::string why;
    if (!cuda_device_available(why)) throw InputError("--device cuda: no usable CUDA GPU (" + why + ")");
    return true;
}

/// run_on_pytorch_reference() with the chapter's backward run by its chain of GPU kernels
/// (ninja::gpu::backward, kernels/kernels.hpp): chapters 1..N, as on the CPU.
template <class Chapter>
ChapterRun<float> run_on_pytorch_reference_gpu(const Reference& ref) {
    ChapterRun<float> r{load_params(ref), load_batch(ref), load_forward(ref), {}, {}};
    gpu_chapter_backward(Chapter::info().number, r.g, r.f, r.params, r.batch);
    r.expected.for_each([&](const std::string& name, auto& t) { ref.load_into(t, "d" + name); });
    return r;
}

// ---- end of --device ------------------------------------------------------------------------------

/// Prints the chapter's heading: title, forward line, shapes.
inline void print_heading(const ChapterInfo& info) {
    std::cout << "Chapter " << (info.number < 10 ? "0" : "") << info.number << ": " << info.title
              << "\n\n  forward:  " << info.forward_line << "\n  shapes:   " << info.shapes
              << "\n\n";
}

/// The reference kind named by `--reference`.
inline ReferenceKind reference_kind(const Cli& cli) {
    const std::string& kind = cli.get("reference");
    if (kind == "pytorch") return ReferenceKind::pytorch;
    if (kind == "numerical") return ReferenceKind::numerical;
    throw InputError("--reference must be 'pytorch' or 'numerical', not '" + kind + "'");
}

/// PyTorch's reference data exists for one setup only; any other is a usage error.
inline void require_lecture_setup(const Config& config, const Config& lecture) {
    if (config.seed != lecture.seed || config.batch_size != lecture.batch_size ||
        config.n_hidden != lecture.n_hidden)
        throw InputError("PyTorch reference data exists only for the lecture setup (seed " +
                         std::to_string(lecture.seed) + ", batch size " +
                         std::to_string(lecture.batch_size) + ", n_hidden " +
                         std::to_string(lecture.n_hidden) + "); use --reference numerical");
}

/// Exercise mode: prints the cmp line of every gradient in `printed`, then the verdict on the
/// learner's own gradients `own`: `correct`, `correct up to rounding`, or `wrong: ...` with the
/// element that differs most. Returns exit_ok or exit_mismatch.
template <class T>
int grade(ChapterRun<T>& r, const std::vector<std::string>& printed,
          const std::vector<std::string>& own) {
    std::vector<std::string> wrong;
    bool exact = true;
    for (const std::string& name : printed) {
        const bool is_own = std::find(own.begin(), own.end(), name) != own.end();
        r.g.for_each([&](const std::string& gname, const auto& mine) {
            if (gname != name) return;
            r.expected.for_each([&](const std::string& ename, const auto& theirs) {
                if constexpr (std::is_same_v<decltype(mine), decltype(theirs)>) {
                    if (ename != name) return;
                    if (!std::equal(mine.shape().begin(), mine.shape().end(),
                                    theirs.shape().begin(), theirs.shape().end())) {
                        std::cout << "d" << name << " has shape " << shape_string(mine.shape())
                                  << ", not " << shape_string(theirs.shape()) << '\n';
                        if (is_own)
                            wrong.push_back("d" + name + " has shape " +
                                            shape_string(mine.shape()) + "; it must have the shape of " +
                                            name + ", " + shape_string(theirs.shape()));
                        return;
                    }
                    const Comparison c = compare(name, mine, theirs);
                    std::cout << format_cmp(c) << '\n';
                    if (!is_own) return;
                    exact &= c.exact;
                    if (c.approximate) return;
                    const LargestDifference d = largest_difference(mine, theirs);
                    wrong.push_back((own.size() > 1 ? "d" + name + ": " : std::string()) +
                                    "largest difference at " + d.index + ": yours " + d.yours +
                                    ", expected " + d.expected);
                }
            });
        });
    }
    for (const std::string& line : wrong) std::cout << "verdict: wrong: " << line << '\n';
    if (!wrong.empty()) return exit_mismatch;
    std::cout << (exact ? "verdict: correct\n" : "verdict: correct up to rounding\n");
    return exit_ok;
}

/// Runs the comparison chosen on the command line and returns the exit code.
template <class Chapter, class T>
int report(ChapterRun<T>& r, const Cli& cli, const std::string& against) {
    const ChapterInfo info = Chapter::info();
    std::cout << "compared with " << against << ":\n";
    if constexpr (exercise_mode) {  // the learner's step: cmp lines and a verdict
        int code = grade(r, chapter_printed_grads<Chapter>(cli.has("all")), info.grads);
        if (!run_extra_report<Chapter>(r, cli) && code == exit_ok) code = exit_mismatch;
        if (!cli.get("dump").empty()) dump_step(r, info, cli.get("dump"));
        return code;
    }
    bool ok = print_comparisons(r, chapter_printed_grads<Chapter>(cli.has("all")));
    ok = run_extra_report<Chapter>(r, cli) && ok;
    if (!cli.get("dump").empty()) dump_step(r, info, cli.get("dump"));
    return ok ? exit_ok : exit_mismatch;
}

/// Prints the hints of chapter `Chapter`'s exercise (`--hint`).
template <class Chapter>
int print_hints(const ChapterInfo& info) {
    const std::vector<std::string> hints = hints_for<Chapter>();
    std::cout << "Hints for chapter " << (info.number < 10 ? "0" : "") << info.number << " ("
              << info.name << "): " << info.forward_line << "\n";
    if (hints.empty()) std::cout << "  (this chapter has no hints)\n";
    for (std::size_t i = 0; i < hints.size(); ++i)
        std::cout << "  " << i + 1 << ". " << hints[i] << '\n';
    return exit_ok;
}

/// The `main` of a chapter program.
template <class Chapter>
int run_chapter(int argc, const char* const* argv) {
    const ChapterInfo info = Chapter::info();
    const std::string program = info.program();
    return guarded_main(program.c_str(), [&] {
        Cli cli(program, "Chapter " + std::to_string(info.number) + ": " + info.title +
                             "\nPrints the notebook's cmp line for each gradient of this step.");
        declare_chapter_options(cli);
        if constexpr (has_declare_options<Chapter>::value) Chapter::declare_options(cli);
        if (!cli.parse(argc, argv)) return int(exit_ok);
        if (cli.has("hint")) return print_hints<Chapter>(info);
        const bool gpu = wants_gpu(cli);  // --device
        const Config config = config_from(cli);
        const ReferenceKind kind = reference_kind(cli);
        if (gpu && kind != ReferenceKind::pytorch)  // --device
            throw InputError("--device cuda compares with --reference pytorch only");
        if (gpu && exercise_mode)  // the GPU kernels are the workbook's, not the learner's step
            throw InputError("--device cuda runs the workbook's own kernels: exercise mode grades "
                             "your step on the CPU, leave --device out");
        using Run = ChapterFor<Chapter>;  // the learner's step in exercise mode
        try {
            if (kind == ReferenceKind::pytorch) {
                const Reference ref("lecture");
                require_lecture_setup(config, reference_config(ref));
                ChapterRun<float> r = gpu ? run_on_pytorch_reference_gpu<Chapter>(ref)  // --device
                                          : run_on_pytorch_reference<Run>(ref);
                print_heading(info);
                return report<Chapter>(r, cli, "PyTorch autograd on the lecture's batch");
            }
            const Setup setup = make_setup(config, resolve_data_path(cli.get("data")));
            const std::vector<std::string> names = chapter_printed_grads<Chapter>(cli.has("all"));
            ChapterRun<double> r = run_on_numerical_reference<Run>(setup, [&](std::string_view n) {
                return std::find(names.begin(), names.end(), n) != names.end();
            });
            print_heading(info);
            return report<Chapter>(r, cli, "float64 central differences (seed " +
                                               std::to_string(config.seed) + ", batch size " +
                                               std::to_string(config.batch_size) + ", n_hidden " +
                                               std::to_string(config.n_hidden) + ")");
        } catch (const NotImplemented& e) {  // exercise mode: the learner has not started
            print_heading(info);
            std::cout << "verdict: not started: " << e.what() << '\n';
            return exit_not_started;
        } catch (const InputError&) {
            throw;
        } catch (const std::exception& e) {  // exercise mode: thrown by the learner's step
            if (!exercise_mode) throw;
            print_heading(info);
            std::cout << "verdict: wrong: your step stopped with an error: " << e.what() << '\n';
            return int(exit_mismatch);
        }
    });
}

}  // namespace ninja
