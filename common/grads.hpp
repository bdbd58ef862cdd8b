/// @file
/// @brief One gradient tensor for every intermediate and parameter: what the chapters fill in.
#pragma once

#include <string_view>

#include <xtensor/xtensor.hpp>

namespace ninja {

/// `d<name>` holds `dloss/d<name>` and has exactly the shape of `<name>`.
/// The members are listed in the order the lecture's notebook compares them with `cmp`.
template <class T>
struct Grads {
    xt::xtensor<T, 2> dlogprobs;       ///< (n, V)     chapter 01
    xt::xtensor<T, 2> dprobs;          ///< (n, V)     chapter 02
    xt::xtensor<T, 2> dcounts_sum_inv; ///< (n, 1)     chapter 03
    xt::xtensor<T, 2> dcounts_sum;     ///< (n, 1)     chapter 04
    xt::xtensor<T, 2> dcounts;         ///< (n, V)     chapter 05
    xt::xtensor<T, 2> dnorm_logits;    ///< (n, V)     chapter 06
    xt::xtensor<T, 2> dlogit_maxes;    ///< (n, 1)     chapter 07
    xt::xtensor<T, 2> dlogits;         ///< (n, V)     chapter 08
    xt::xtensor<T, 2> dh;              ///< (n, H)     chapter 09
    xt::xtensor<T, 2> dW2;             ///< (H, V)     chapter 09
    xt::xtensor<T, 1> db2;             ///< (V,)       chapter 09
    xt::xtensor<T, 2> dhpreact;        ///< (n, H)     chapter 10
    xt::xtensor<T, 2> dbngain;         ///< (1, H)     chapter 11
    xt::xtensor<T, 2> dbnbias;         ///< (1, H)     chapter 11
    xt::xtensor<T, 2> dbnraw;          ///< (n, H)     chapter 11
    xt::xtensor<T, 2> dbnvar_inv;      ///< (1, H)     chapter 12
    xt::xtensor<T, 2> dbnvar;          ///< (1, H)     chapter 13
    xt::xtensor<T, 2> dbndiff2;        ///< (n, H)     chapter 14
    xt::xtensor<T, 2> dbndiff;         ///< (n, H)     chapter 15
    xt::xtensor<T, 2> dbnmeani;        ///< (1, H)     chapter 16
    xt::xtensor<T, 2> dhprebn;         ///< (n, H)     chapter 17
    xt::xtensor<T, 2> dembcat;         ///< (n, B*E)   chapter 18
    xt::xtensor<T, 2> dW1;             ///< (B*E, H)   chapter 18
    xt::xtensor<T, 1> db1;             ///< (H,)       chapter 18
    xt::xtensor<T, 3> demb;            ///< (n, B, E)  chapter 19
    xt::xtensor<T, 2> dC;              ///< (V, E)     chapter 20

    /// Calls `fn(name, gradient)` for each member in the notebook's order; `name` is the name
    /// of the tensor the gradient belongs to (`"probs"` for `dprobs`).
    template <class F>
    void for_each(F&& fn) {
        fn("logprobs", dlogprobs), fn("probs", dprobs), fn("counts_sum_inv", dcounts_sum_inv);
        fn("counts_sum", dcounts_sum), fn("counts", dcounts), fn("norm_logits", dnorm_logits);
        fn("logit_maxes", dlogit_maxes), fn("logits", dlogits), fn("h", dh), fn("W2", dW2);
        fn("b2", db2), fn("hpreact", dhpreact), fn("bngain", dbngain), fn("bnbias", dbnbias);
        fn("bnraw", dbnraw), fn("bnvar_inv", dbnvar_inv), fn("bnvar", dbnvar);
        fn("bndiff2", dbndiff2), fn("bndiff", dbndiff), fn("bnmeani", dbnmeani);
        fn("hprebn", dhprebn), fn("embcat", dembcat), fn("W1", dW1), fn("b1", db1);
        fn("emb", demb), fn("C", dC);
    }
    /// The const version of for_each().
    template <class F>
    void for_each(F&& fn) const {
        const_cast<Grads&>(*this).for_each(
            [&](const char* name, const auto& t) { fn(name, t); });
    }
};

}  // namespace ninja
