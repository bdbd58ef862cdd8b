/// @file
/// @brief The command line of a chapter program (01-22) and its facts as they are printed:
/// `--help`, `--info`, `--hint N`, and the heading of a run.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/chapter.hpp"
#include "common/program/options.hpp"

namespace ninja {

/// The options of a chapter program.
struct ChapterOptions {
    bool all = false;                   ///< `--all`: every gradient of the backward pass
    std::string reference = "pytorch";  ///< `--reference pytorch|numerical`
    std::string dump;                   ///< `--dump DIR`: write the step's tensors as .npy
    std::string out;                    ///< `--out DIR`: where pictures go (none without it)
    std::string device = "cpu";         ///< `--device cpu|cuda`
    SetupOptions setup;                 ///< `--data`, `--seed`, `--batch-size`, `--n-hidden`
};

/// Reads the options of `chapter`'s program. `--help`, `--info` and `--hint N` print what they
/// ask for and give nothing back: the program is done. Bad usage throws InputError.
std::optional<ChapterOptions> parse_chapter_options(int argc, const char* const* argv,
                                                    const ChapterInfo& chapter);

/// Prints what `--info` prints: `key: value` lines (chapter, folder, program, title, goal,
/// forward, shapes, grads, inputs, and `extra`), read by the scripts in tools/ and the website's
/// build.
void print_chapter_info(std::ostream& out, const ChapterInfo& chapter,
                        const std::vector<std::pair<std::string, std::string>>& extra);

/// Prints the chapter's heading: title, forward line, shapes.
void print_heading(std::ostream& out, const ChapterInfo& chapter);

}  // namespace ninja
