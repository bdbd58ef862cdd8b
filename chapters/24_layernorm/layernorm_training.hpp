/// @file
/// @brief Chapter 24's network trained: chapter 23's training step with LayerNorm in place of
/// batchnorm (`chapter_23_training --norm layer`).
#pragma once

#include "23_training/training.hpp"
#include "24_layernorm/layernorm.hpp"

namespace ninja {

// [step]
/// One step of chapter 23's loop for the network with LayerNorm (its parameters drawn by
/// init_params for Model::layernorm): the minibatch and the forward pass as in train_step; the
/// backward pass is chapter 24's chain (21, 09, 10, then its own step), then chapter 23's last
/// steps (18, 19, 20), as the chain table has them. Returns the loss before the update.
/// @param[in,out] p the parameters (lngain and lnbias, no bngain and bnbias)
/// @param train     the training set
/// @param n         the batch size (1 is fine)
/// @param lr        the learning rate of this step
/// @param g         the generator that draws the minibatch
inline float layernorm_train_step(Params<float>& p, const Examples& train, std::size_t n, float lr,
                                  TorchGenerator& g) {
    const Batch batch = sample_batch(train, n, g);  // Xb (n, B), Yb (n,)
    Forward<float> f;
    forward(f, p, batch);  // emb, embcat, hprebn, lnvar_inv, lnraw, hpreact, ..., loss

    Grads<float> d;
    backward<24>(d, f, p, batch);    // 21, 09, 10, 24: dlogits, ..., dhprebn, dlngain, dlnbias
    then_steps<23>(d, f, p, batch);  // 18, 19, 20: dembcat, dW1, db1, demb, dC

    for (TensorId id : parameters_of(Model::layernorm))  // C, W1, b1, W2, b2, lngain, lnbias
        visit_pair(id, p, d, [lr](auto& param, const auto& grad) { param -= lr * grad; });
    return f.loss;
}
// [step]

}  // namespace ninja
