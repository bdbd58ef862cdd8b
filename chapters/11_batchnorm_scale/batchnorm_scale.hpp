/// @file
/// @brief Chapter 11: backprop through the batchnorm gain and bias to bngain, bnbias and bnraw.
///
/// @section ch11_forward The forward line
/// @code
/// hpreact = bngain * bnraw + bnbias
/// @endcode
/// Shapes: bngain (1, H) * bnraw (n, H) + bnbias (1, H) -> hpreact (n, H).
///
/// @section ch11_derivation The derivation
/// TODO(derivation)
#pragma once

#include "10_hpreact/hpreact.hpp"

namespace ninja {

/// dbngain = (bnraw * dhpreact).sum(0), dbnbias = dhpreact.sum(0) (both broadcast over the
/// batch, so summed over it, keeping the (1, H) shape), dbnraw = bngain * dhpreact.
/// @param[out] dbngain (1, H)
/// @param[out] dbnbias (1, H)
/// @param[out] dbnraw  (n, H)
/// @param dhpreact     (n, H)
/// @param bnraw        (n, H)
/// @param bngain       (1, H)
template <class T>
void batchnorm_scale_backward(xt::xtensor<T, 2>& dbngain, xt::xtensor<T, 2>& dbnbias,
                              xt::xtensor<T, 2>& dbnraw, const xt::xtensor<T, 2>& dhpreact,
                              const xt::xtensor<T, 2>& bnraw, const xt::xtensor<T, 2>& bngain) {
    dbngain = xt::sum(bnraw * dhpreact, {0}, xt::keep_dims);  // (1, H)
    dbnbias = xt::sum(dhpreact, {0}, xt::keep_dims);          // (1, H)
    dbnraw = bngain * dhpreact;                               // (n, H)
}

/// Chapter 11: backprop through the batchnorm gain and bias to bngain, bnbias and bnraw.
struct BatchnormScaleChapter {
    /// What the program prints about this step.
    static ChapterInfo info() {
        return {11, "batchnorm_scale", "backprop through the batchnorm gain and bias to bngain, bnbias and bnraw",
                "hpreact = bngain * bnraw + bnbias", "bngain (1, H) * bnraw (n, H) + bnbias (1, H) -> hpreact (n, H)",
                {"bngain", "bnbias", "bnraw"}, {"dhpreact", "bnraw", "bngain"}};
    }
    /// The steps of chapters 01..10, then this one: fills `dbngain`, `dbnbias`, `dbnraw`.
    template <class T>
    static void backward(Grads<T>& g, const Forward<T>& f, const Params<T>& p, const Batch& b) {
        HpreactChapter::backward(g, f, p, b);
        batchnorm_scale_backward(g.dbngain, g.dbnbias, g.dbnraw, g.dhpreact, f.bnraw, p.bngain);
    }
};

}  // namespace ninja
