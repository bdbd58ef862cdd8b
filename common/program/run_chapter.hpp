/// @file
/// @brief `run_chapter<N>()`: the `main` of chapter N's program (chapters/NN_name/main.cpp).
///
/// CMake compiles each chapter's program with NINJA_CHAPTER_NUMBER and NINJA_CHAPTER_FOLDER set
/// from its folder's name, so that the folder is the one place a chapter's number and name are
/// written; run_chapter<N> checks at compile time that N is that number.
#pragma once

#include <type_traits>

#include "common/program/runner.hpp"

namespace ninja {

/// A chapter program with nothing of its own besides the chapter.
struct NoAdditions {};

/// The main of chapter N's program. `Additions` (a fused chapter's) has
/// - `static constexpr int composed`, the last chapter its step replaces, and
///   `static constexpr const char* composed_label`, e.g. "chapters 01-08";
/// - `template <class T> static bool extra_report(const ChapterRun<T>&, const ChapterOptions&)`:
///   more output after the cmp lines.
template <int N, class Additions = NoAdditions>
int run_chapter(int argc, const char* const* argv) {
    static_assert(N == NINJA_CHAPTER_NUMBER, "run_chapter<N>: N must be the number of the folder");
    ChapterProgram program;
    program.steps = chapter_steps<N>(NINJA_CHAPTER_FOLDER);
    if constexpr (!std::is_same_v<Additions, NoAdditions>) {
        program.extra_float = &Additions::template extra_report<float>;
        program.extra_double = &Additions::template extra_report<double>;
        constexpr int M = Additions::composed;
        program.composed = {M, Additions::composed_label, &backward<M, float>,
                            &backward<M, double>};
    }
    return run_chapter_program(argc, argv, program);
}

}  // namespace ninja
