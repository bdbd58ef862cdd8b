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
#include <vector>

#include "common/cli.hpp"
#include "common/cmp.hpp"
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
        .option("reference", "KIND", "pytorch",
                "compare with 'pytorch' (autograd, lecture setup only) or 'numerical' "
                "(float64 central differences, any setup)")
        .option("dump", "DIR", "", "write this step's gradients and its inputs as .npy files")
        .option("data", "PATH", "", "names.txt for --reference numerical (else $NINJA_NAMES, else data/names.txt)")
        .option("seed", "N", std::to_string(lecture.seed), "seed of the PyTorch generator")
        .option("batch-size", "N", std::to_string(lecture.batch_size), "examples per minibatch (>= 2)")
        .option("n-hidden", "N", std::to_string(lecture.n_hidden), "neurons in the hidden layer");
}

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

/// Runs the comparison chosen on the command line and returns the exit code.
template <class Chapter, class T>
int report(ChapterRun<T>& r, const Cli& cli, const std::string& against) {
    const ChapterInfo info = Chapter::info();
    std::cout << "compared with " << against << ":\n";
    const bool ok = print_comparisons(r, printed_grads(info, cli.has("all")));
    if (!cli.get("dump").empty()) dump_step(r, info, cli.get("dump"));
    return ok ? exit_ok : exit_mismatch;
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
        if (!cli.parse(argc, argv)) return int(exit_ok);
        const Config config = config_from(cli);
        const ReferenceKind kind = reference_kind(cli);
        if (kind == ReferenceKind::pytorch) {
            const Reference ref("lecture");
            require_lecture_setup(config, reference_config(ref));
            ChapterRun<float> r = run_on_pytorch_reference<Chapter>(ref);
            print_heading(info);
            return report<Chapter>(r, cli, "PyTorch autograd on the lecture's batch");
        }
        const Setup setup = make_setup(config, resolve_data_path(cli.get("data")));
        const std::vector<std::string> names = printed_grads(info, cli.has("all"));
        ChapterRun<double> r = run_on_numerical_reference<Chapter>(setup, [&](std::string_view n) {
            return std::find(names.begin(), names.end(), n) != names.end();
        });
        print_heading(info);
        return report<Chapter>(r, cli, "float64 central differences (seed " +
                                           std::to_string(config.seed) + ", batch size " +
                                           std::to_string(config.batch_size) + ", n_hidden " +
                                           std::to_string(config.n_hidden) + ")");
    });
}

}  // namespace ninja
