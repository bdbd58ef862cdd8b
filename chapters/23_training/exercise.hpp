/// @file
/// @brief Chapter 23's exercise: the lecture's training step (train_step of training.hpp), for
/// you to write.
///
/// Write one step of the lecture's training loop yourself, in the marked place below: a
/// minibatch, the forward pass, the backward pass with your steps of chapters 21, 09, 10, 22,
/// 18, 19 and 20, and the SGD update. `tools/exercises.py` grades it each time you save this
/// file (by hand: build `chapter_23_training` with the `exercises` preset and run it with
/// `--grade`): it trains 2,000 steps with your step and 2,000 with the solution's, from the same
/// parameters on the same minibatches, and compares the losses step by step. Its `hint` command
/// gives one hint at a time, from hints.txt. Once it is right, `chapter_23_training --trainer
/// yours` trains the lecture's 200,000 steps with it. The solution is train_step in
/// training.hpp, beside this file: try not to look before you are done.
///
/// In this namespace the steps of chapters 01 to 22 are yours (`cross_entropy_backward`,
/// `second_linear_backward`, ...): solve those chapters first, or call the solutions by their
/// full names (`ninja::cross_entropy_backward`, ...).
#pragma once

#include "09_second_linear/exercise.hpp"
#include "10_hpreact/exercise.hpp"
#include "18_first_linear/exercise.hpp"
#include "19_emb/exercise.hpp"
#include "20_embedding_table/exercise.hpp"
#include "21_cross_entropy/exercise.hpp"
#include "22_batchnorm/exercise.hpp"

namespace ninja::exercise {

// Until the answer is written, the parameters are unused: no warnings for that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

/// Your training step: draws a minibatch of `n` rows of `train` from `g` (sample_batch), runs
/// the forward pass (forward), your backward pass, and `p -= lr * grad` for every parameter.
/// Returns the loss of the forward pass, before the update.
/// @param[in,out] p the parameters
/// @param train     the training set
/// @param n         the batch size
/// @param lr        the learning rate of this step
/// @param g         the generator that draws the minibatch
inline float train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                        TorchGenerator& g) {
    // ---- your answer below ----
    throw NotImplemented();
    // ---- your answer above ----
}

#pragma GCC diagnostic pop

}  // namespace ninja::exercise
