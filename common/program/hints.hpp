/// @file
/// @brief The hints of a chapter's exercise: `chapters/NN_name/hints.txt`, outside the file the
/// learner edits, so that reading the exercise does not show them. The programs' `--hint N` and
/// `--info` and the exercise loop (tools/exercises.py, through `--hint N`) all read them here.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace ninja {

/// The hints of the chapter in `folder` ("08_logits"), in order: the paragraphs of its
/// hints.txt (lines starting with '#' are comments), each as its lines. An internal error
/// (std::runtime_error) when the file is missing.
std::vector<std::vector<std::string>> read_hints(const std::string& folder);

/// Prints hint `k` (from 1) of the chapter in `folder`, "hint 1 of 3:" and its lines indented;
/// InputError when there is no hint `k`.
void print_hint(std::ostream& out, const std::string& folder, std::size_t k);

}  // namespace ninja
