/// @file
/// @brief The chain table: what each chapter's backward pass is made of. The one place where the
/// chapters are listed; the CPU backward passes, the GPU chain, the tests, the numerical sweep
/// and the website are driven by it (plain C++: the CUDA code reads it too).
///
/// Chapter N's backward pass is the whole backward pass of chapter `after`, then the own steps of
/// the chapters in `then`, then its own step (if it has one). The steps of chapters 01 to 20 walk
/// the graph one line at a time, each after the one before; the fused steps start again from the
/// loss (21) or from the fused cross-entropy (22: 21, then the second linear layer 09 and tanh
/// 10, then the batchnorm in one step). A fused step names the chapters it replaces: its program
/// compares its result with their backward pass. Chapter 23's training step has no step of its
/// own: its backward pass is the lecture's, 22's, then the first linear layer, the view and the
/// embedding table (18, 19, 20).
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <vector>

namespace ninja {

/// One row of the chain table.
struct ChainLink {
    int chapter = 0;                ///< N
    int after = 0;                  ///< whose whole backward pass comes first (0: none, the loss)
    std::array<int, 3> then{};      ///< then the own steps of these chapters, in order (0: none)
    std::array<int, 2> replaces{};  ///< a fused step: the first and last chapters it replaces
};

// clang-format off
/// The chain table, one row per chapter with a backward step, in the chapters' order.
inline constexpr ChainLink chain_table[] = {
    {1, 0},   {2, 1},   {3, 2},   {4, 3},   {5, 4},   {6, 5},   {7, 6},   {8, 7},
    {9, 8},   {10, 9},  {11, 10}, {12, 11}, {13, 12}, {14, 13}, {15, 14}, {16, 15},
    {17, 16}, {18, 17}, {19, 18}, {20, 19},
    {21, 0,  {},      {1, 8}},    // the cross-entropy in one step
    {22, 21, {9, 10}, {11, 17}},  // the batchnorm layer in one step
    {23, 22, {18, 19, 20}},       // the training step: the whole backward pass, fused
    {24, 21, {9, 10}},            // LayerNorm in one step, in place of batchnorm
};
// clang-format on

/// The row of chapter N; a row with `chapter` 0 when N has no backward step.
constexpr ChainLink chain_link(int chapter) {
    for (const ChainLink& link : chain_table)
        if (link.chapter == chapter) return link;
    return {};
}

/// Whether chapter N has a backward step (a row in the table).
constexpr bool in_chain(int chapter) { return chain_link(chapter).chapter == chapter; }

/// The number of chapters with a backward step.
inline constexpr std::size_t chain_size = std::size(chain_table);

/// The own steps of chapter N's backward pass, in the order they run: {1, 2, 3} for chapter 03,
/// {21, 9, 10, 22} for chapter 22 (empty for a chapter without a row).
inline std::vector<int> chain_steps(int chapter, bool has_own_step = true) {
    const ChainLink link = chain_link(chapter);
    std::vector<int> steps = link.after > 0 ? chain_steps(link.after) : std::vector<int>{};
    for (int c : link.then)
        if (c > 0) steps.push_back(c);
    if (link.chapter == chapter && has_own_step) steps.push_back(chapter);
    return steps;
}

/// Whether every row refers only to chapters listed before it, in increasing order, and a fused
/// step replaces chapters of the table that come before it.
constexpr bool chain_is_consistent() {
    int previous = 0;
    for (const ChainLink& link : chain_table) {
        if (link.chapter <= previous) return false;
        if (link.after != 0 && !(in_chain(link.after) && link.after < link.chapter)) return false;
        for (int c : link.then)
            if (c != 0 && !(in_chain(c) && c < link.chapter)) return false;
        for (int c : link.replaces)
            if (c != 0 && !(in_chain(c) && c < link.chapter)) return false;
        previous = link.chapter;
    }
    return true;
}
static_assert(chain_is_consistent(),
              "chain_table: every chapter named in a row must be a chapter of an earlier row");

}  // namespace ninja
