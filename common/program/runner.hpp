/// @file
/// @brief The program every chapter 01-22 shares: runs the chapter's backward pass and prints the
/// notebook's `cmp` table against PyTorch's gradients or float64 finite differences; in exercise
/// mode it ends with a verdict on the learner's step. Included by the chapters' main.cpp only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "common/program/chapter_run.hpp"
#include "common/program/options.hpp"

namespace ninja {

/// The options of a chapter program.
struct ChapterOptions {
    bool all = false;                   ///< `--all`: every gradient of the table so far
    std::uint64_t hint = 0;             ///< `--hint N`: hint N of the exercise, and nothing else
    bool info = false;                  ///< `--info`: the chapter's facts, and nothing else
    std::string reference = "pytorch";  ///< `--reference pytorch|numerical`
    std::string dump;                   ///< `--dump DIR`: write the step's tensors as .npy
    std::string out;                    ///< `--out DIR`: where pictures go (none without it)
    std::string device = "cpu";         ///< `--device cpu|cuda`
    SetupOptions setup;                 ///< `--data`, `--seed`, `--batch-size`, `--n-hidden`
};

/// More output after the cmp lines (another comparison, a picture); false makes the exit code a
/// mismatch (in exercise mode: the verdict wrong; it runs only when the gradients are right).
template <class T>
using ExtraReport = bool (*)(const ChapterRun<T>&, const ChapterOptions&);

/// The chapters a fused step replaces, run one step at a time: what its result is compared
/// with and drawn beside.
struct Composed {
    int chapter = 0;                               ///< the last of them: backward<chapter>
    std::string label;                             ///< e.g. "chapters 01-08"
    BackwardFn<float> backward_float = nullptr;    ///< backward<chapter, float>
    BackwardFn<double> backward_double = nullptr;  ///< backward<chapter, double>
};

/// A chapter program: the chapter, and what the program adds to it.
struct ChapterProgram {
    ChapterSteps steps;  ///< the chapter (the learner's step in exercise mode)
    Composed composed;   ///< a fused chapter's composed chapters
    ExtraReport<float> extra_float = nullptr;    ///< more output, on PyTorch's data
    ExtraReport<double> extra_double = nullptr;  ///< more output, on central differences
};

/// The `main` of a chapter program: parses the options, runs, prints, returns the exit code.
int run_chapter_program(int argc, const char* const* argv, const ChapterProgram& program);

/// Prints what `--info` prints: `key: value` lines (chapter, folder, program, title, goal,
/// forward, shapes, grads, inputs, and `extra`), read by the scripts in tools/ and the website's
/// build.
void print_chapter_info(std::ostream& out, int number, const std::string& folder,
                        const ChapterInfo& info,
                        const std::vector<std::pair<std::string, std::string>>& extra);

/// Prints the chapter's heading: title, forward line, shapes.
void print_heading(std::ostream& out, int number, const ChapterInfo& info);

}  // namespace ninja
