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

struct TrainingConfig;  // training.hpp

/// A training step: draws a minibatch of `n` rows of `train` from `g`, runs the forward and the
/// backward pass, updates `p` with the learning rate `lr`; returns the loss before the update.
using TrainStepFn = float (*)(Params<float>& p, const Examples& train, std::size_t n, float lr,
                              TorchGenerator& g);

/// The learner's train_step (chapters/23_training/exercise.hpp), as learner code: a crash or
/// a step longer than 10 s ends the program with one line, an error is a StepError.
float exercise_train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                          TorchGenerator& g);

/// `chapter_23_training --grade`: runs the learner's step beside `solution` (training.hpp's
/// train_step) at every step, both from the same parameters and the same generator, and
/// compares the minibatch drawn, the loss and every parameter's update; 2,000 steps at the
/// sizes and seed of `asked` (the options'; the lecture's by default) with the learning rate
/// dropping from 0.1 to 0.01 at step 1,000 (so that a step that does not use the `lr` it is
/// given shows), then 300 steps at other sizes and another seed (so that a batch size or a width
/// written into the step shows). Prints the verdict under the heading of `info`. Returns
/// exit_ok, exit_mismatch or exit_not_started.
int grade_training(const std::string& data_path, TrainStepFn solution, const ChapterInfo& info,
                   const TrainingConfig& asked);

}  // namespace ninja
