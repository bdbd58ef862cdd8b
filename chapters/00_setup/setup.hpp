/// @file
/// @brief Chapter 00: the lecture's setup, before any gradient.
///
/// Before any gradient can be derived, the workbook must stand exactly where the lecture
/// stands when Exercise 1 begins. The program of this chapter rebuilds that state in C++ and
/// checks it against PyTorch: the same shuffled split of the names (CPython's Mersenne Twister),
/// the same parameters (PyTorch's normal sampler, bit for bit), the same minibatch, and the same
/// loss.
#pragma once

#include "common/chapter.hpp"

namespace ninja {

/// Chapter 00: no step yet; the data, the parameters, one minibatch and the forward pass.
template <>
inline constexpr ChapterFacts chapter<0> = {
    "the lecture's setup",
    "nothing to derive yet: the data, the split, the parameters, one minibatch and the loss, as "
    "they are when the lecture's Exercise 1 begins",
    "the whole forward pass, from emb = C[Xb] to loss = -logprobs[range(n), Yb].mean()",
    "Xb (n, B) and Yb (n,) -> loss ()", ""};

}  // namespace ninja
