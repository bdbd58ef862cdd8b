/// @file
/// @brief The picture of each gradient a chapter computes: a heatmap on a diverging colour
/// scale centred on zero, its axes named by the lecture's dimensions; for a fused chapter, side
/// by side with the same gradient from the chapters it replaces.
#pragma once

#include <string>
#include <vector>

#include "common/plot.hpp"
#include "common/program/runs.hpp"

namespace ninja {

/// The file name of the picture of tensor `id`'s gradient in chapter `folder`:
/// "chapter_08_logits_dlogits.png".
std::string picture_name(const std::string& folder, TensorId id);

/// Draws the picture of every gradient of `chapter` into `dir`, each with a panel of `composed`'s
/// same gradient beside it when `composed` is not null (a fused chapter: `composed_label` names
/// the chapters it replaces); returns a line per gradient: "wrote PATH", or, for a gradient the
/// step left empty (an exercise that does not write it), that it has no picture.
template <class T>
std::vector<std::string> draw_gradients(const ChapterRun<T>& r, const ChapterInfo& chapter,
                                        const Grads<T>* composed, const std::string& composed_label,
                                        const std::string& dir);

}  // namespace ninja
