/// @file
/// @brief Chapter 23's exercise as its program uses it: the learner's train_step and the verdict
/// on it (grade.cpp, the one file of the program that includes exercise.hpp, so that a save
/// recompiles that file alone).
#pragma once

#include <cstddef>
#include <string>

#include "common/chapter.hpp"
#include "common/dataset.hpp"
#include "common/rng.hpp"

namespace ninja {

/// A training step: draws a minibatch of `n` rows of `train` from `g`, runs the forward and the
/// backward pass, updates `p` with the learning rate `lr`; returns the loss before the update.
using TrainStepFn = float (*)(Params<float>& p, const Examples& train, std::size_t n, float lr,
                              TorchGenerator& g);

/// The learner's train_step (chapters/23_training/exercise.hpp).
float exercise_train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                          TorchGenerator& g);

/// `chapter_23_training --grade`: trains 2,000 steps with the learner's step and with
/// `solution` (training.hpp's train_step), from the same parameters on the same minibatches,
/// the learning rate dropping from 0.1 to 0.01 at step 1,000 (so that a step that does not use
/// the `lr` it is given shows); prints the losses and the verdict under the heading of `info`.
/// Returns exit_ok, exit_mismatch or exit_not_started.
int grade_training(const std::string& data_path, TrainStepFn solution, const ChapterInfo& info);

}  // namespace ninja
