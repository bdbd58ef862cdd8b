#include "23_training/fast_trainer.hpp"

#include <algorithm>
#include <string>

#include "21_cross_entropy/cross_entropy_fast.hpp"
#include "22_batchnorm/batchnorm_fast.hpp"
#include "23_training/blas.hpp"
#include "23_training/simd_maps.hpp"
#include "common/error.hpp"
#include "common/simd.hpp"

namespace ninja {

namespace {

/// `param -= lr * grad`, elementwise.
template <class Tensor>
void sgd(Tensor& param, const Tensor& grad, float lr) {
    float* x = param.data();
    const float* d = grad.data();
    for (std::size_t k = 0; k < param.size(); ++k) x[k] -= lr * d[k];
}

/// A (rows, cols) matrix, its values left unset.
xt::xtensor<float, 2> matrix(std::size_t rows, std::size_t cols) {
    return xt::xtensor<float, 2>::from_shape({rows, cols});
}

}  // namespace

Trainer::Trainer(Params<float> params, const Examples& train, std::size_t batch_size,
                 EmbeddingProducts products)
    : p_(std::move(params)),
      train_(&train),
      products_(products),
      n_(batch_size),
      B_(train.X.shape(1)),
      E_(p_.C.shape(1)),
      H_(p_.W1.shape(1)),
      V_(p_.W2.shape(1)),
      symbols_(p_.C.shape(0)),
      by_symbol_(n_, B_, E_, H_, symbols_) {
    if (n_ < 2)
        throw InputError(
            "the batch needs at least 2 examples: batchnorm's unbiased variance divides by n-1");
    if (p_.W1.shape(0) != B_ * E_)
        throw InputError("W1 does not match the context length of the data");
    const std::size_t n = n_, BE = B_ * E_, H = H_, V = V_;
    if (train.Y.size() > 0 &&
        (std::size_t(xt::amax(train.X)()) >= symbols_ || std::size_t(xt::amax(train.Y)()) >= V))
        throw InputError("the training set holds symbols outside the model's vocabulary");
    batch.ix = xt::xtensor<std::int64_t, 1>::from_shape({n});
    batch.Xb = xt::xtensor<std::int64_t, 2>::from_shape({n, B_});
    batch.Yb = xt::xtensor<std::int64_t, 1>::from_shape({n});
    if (products_ == EmbeddingProducts::as_chapters) f.embcat = matrix(n, BE);
    f.hprebn = matrix(n, H);
    f.bnmeani = matrix(1, H);
    f.bnvar = matrix(1, H);
    f.bnvar_inv = matrix(1, H);
    f.bnraw = matrix(n, H);
    f.h = matrix(n, H);
    f.logits = matrix(n, V);
    g_.dlogits = matrix(n, V);
    g_.dh = matrix(n, H);
    g_.dW2 = matrix(H, V);
    g_.db2 = xt::xtensor<float, 1>::from_shape({V});
    g_.dhpreact = matrix(n, H);
    g_.dbngain = matrix(1, H);
    g_.dbnbias = matrix(1, H);
    g_.dhprebn = matrix(n, H);
    if (products_ == EmbeddingProducts::as_chapters) g_.dembcat = matrix(n, BE);
    g_.dW1 = matrix(BE, H);
    g_.db1 = xt::xtensor<float, 1>::from_shape({H});
    g_.dC = matrix(symbols_, E_);
    W2T_ = xt::transpose(p_.W2);
    dW2T_ = matrix(V, H);
    work_ = xt::xtensor<float, 1>::from_shape({H});
    // The minibatch rows are random: 64 cache misses a step in the contexts X and the targets Y,
    // two arrays. With a vocabulary of at most 256 symbols, a byte per symbol packs a row's
    // context and target side by side, (B + 1) bytes a row (730 kB for names.txt), which stays
    // in cache.
    const bool bytes_suffice = train.Y.size() > 0 && symbols_ <= 256 && V <= 256;
    if (bytes_suffice) {
        packed_.resize(train.Y.size() * (B_ + 1));
        for (std::size_t r = 0; r < train.Y.size(); ++r) {
            for (std::size_t k = 0; k < B_; ++k)
                packed_[r * (B_ + 1) + k] = std::uint8_t(train.X(r, k));
            packed_[r * (B_ + 1) + B_] = std::uint8_t(train.Y(r));
        }
    }
}

float Trainer::step(TorchGenerator& gen, float lr, const StageProbe& probe) {
    draw_batch(gen);
    stage_done(probe, TrainStage::batch);
    const float loss = forward(probe);
    backward_pass(probe, &lr);
    for_each_parameter([lr](const char* name, auto& param, const auto& grad) {
        if (std::string_view(name) == "W1" || std::string_view(name) == "W2") return;
        sgd(param, grad, lr);
    });
    stage_done(probe, TrainStage::update);
    return loss;
}

void Trainer::update(float lr) {
    for_each_parameter([lr](const char*, auto& param, const auto& grad) { sgd(param, grad, lr); });
    w2_stale_ = true;
}

float Trainer::forward(const StageProbe& probe) {
    const std::size_t n = n_, H = H_, V = V_;
    if (products_ == EmbeddingProducts::as_chapters) {
        embed();
        stage_done(probe, TrainStage::forward_elementwise);
        matmul(f.hprebn.data(), f.embcat.data(), false, p_.W1.data(), false, n, H, B_ * E_);
        stage_done(probe, TrainStage::forward_gemm);
    } else {
        by_symbol_.forward(p_.C, p_.W1);  // P[j, v] = C[v] @ W1^(j), the batch's distinct (j, v)
        stage_done(probe, TrainStage::forward_gemm);
    }
    batchnorm_tanh();
    stage_done(probe, TrainStage::forward_elementwise);

    matmul(f.logits.data(), f.h.data(), false, W2T_.data(), true, n, V, H);  // h @ W2T.T
    stage_done(probe, TrainStage::forward_gemm);
    float* logits = f.logits.data();
    const float* b2 = p_.b2.data();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < V; ++j) logits[i * V + j] += b2[j];  // + b2
    // Chapter 21: the loss and dlogits from one pass (dlogits belongs to the backward pass, but
    // it is the same computation as the loss).
    loss_ = cross_entropy_backward_fast(g_.dlogits.data(), logits, batch.Yb.data(), n, V);
    stage_done(probe, TrainStage::forward_elementwise);
    return loss_;
}

void Trainer::backward_pass(const StageProbe& probe, const float* fold_lr) {
    const std::size_t n = n_, H = H_, V = V_;
    // Chapter 09: dh = dlogits @ W2.T, dW2 = h.T @ dlogits (as dW2T = dlogits.T @ h),
    // db2 = dlogits.sum(0)
    matmul(g_.dh.data(), g_.dlogits.data(), false, W2T_.data(), false, n, H, V);
    if (fold_lr)
        matmul(W2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n, -*fold_lr, 1.0f);
    else
        matmul(dW2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n);
    stage_done(probe, TrainStage::backward_gemm);
    column_sums(g_.db2.data(), g_.dlogits.data(), n, V);
    // Chapters 10 and 22: chapter 22's fast step, its first sweep computing chapter 10's
    // dhpreact = (1 - h**2) * dh as the values it adds up (dh and h read once): the sums dbngain
    // and dbnbias (chapter 11's gradients), then dhprebn
    const float* h = f.h.data();
    const float* dh = g_.dh.data();
    float* dhpreact = g_.dhpreact.data();
    const auto hpreact_step = [=](std::size_t k, auto lanes) {  // dhpreact from index k on
        using Vec = decltype(lanes);
        const Vec d = hpreact_grad(load_as<Vec>(h + k), load_as<Vec>(dh + k));
        store_to(dhpreact + k, d);
        return d;
    };
    batchnorm_backward_fast(g_.dhprebn.data(), g_.dbngain.data(), g_.dbnbias.data(), work_.data(),
                            dhpreact, f.bnraw.data(), p_.bngain.data(), f.bnvar_inv.data(), n, H,
                            hpreact_step);
    stage_done(probe, TrainStage::backward_elementwise);
    if (products_ == EmbeddingProducts::as_chapters)
        embedding_backward_as_chapters(probe, fold_lr);
    else
        by_symbol_.backward(g_.dC.data(), g_.db1.data(), g_.dW1.data(), p_.W1, g_.dhprebn.data(),
                            fold_lr, probe);
    w2_stale_ = true;
}

void Trainer::draw_batch(TorchGenerator& gen) {
    const auto N = static_cast<std::int64_t>(train_->Y.size());
    if (ahead_of_ != &gen) next_ix_ = gen.randint(0, N, n_);
    set_batch(next_ix_.data());
    next_ix_ = gen.randint(0, N, n_);
    ahead_of_ = &gen;
#if defined(__GNUC__)
    for (const std::int64_t row : next_ix_) {
        if (std::size_t(row) >= train_->Y.size()) continue;  // set_batch() will say so
        if (!packed_.empty())
            __builtin_prefetch(&packed_[std::size_t(row) * (B_ + 1)]);
        else
            __builtin_prefetch(&train_->X(std::size_t(row), 0)),
                __builtin_prefetch(&train_->Y(std::size_t(row)));
    }
#endif
}

void Trainer::set_batch(const std::int64_t* ix) {
    if (ix != next_ix_.data()) ahead_of_ = nullptr;
    // Sizes and pointers in locals: the stores of integers below could otherwise alias the
    // members and the tensors' strides, which the compiler would then reload every time.
    const std::size_t n = n_, B = B_, stride = B + 1, N = train_->Y.size();
    std::int64_t* bix = batch.ix.data();
    std::int64_t* Xb = batch.Xb.data();
    std::int64_t* Yb = batch.Yb.data();
    const std::uint8_t* packed = packed_.empty() ? nullptr : packed_.data();
    const Symbol* X = train_->X.data();
    const Symbol* Y = train_->Y.data();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t value = ix[i];
        const auto row = static_cast<std::size_t>(value);
        if (row >= N)
            throw InputError("batch index " + std::to_string(value) +
                             " is outside the training set");
        bix[i] = value;
        if (packed) {  // the compact copy: one cache line holds 16 rows
            const std::uint8_t* r = packed + row * stride;
            for (std::size_t k = 0; k < B; ++k) Xb[i * B + k] = r[k];
            Yb[i] = r[B];
        } else {
            for (std::size_t k = 0; k < B; ++k) Xb[i * B + k] = X[row * B + k];
            Yb[i] = Y[row];
        }
    }
    if (products_ == EmbeddingProducts::by_symbol) by_symbol_.index(batch.Xb.data());
}

void Trainer::batchnorm_tanh() {
    const std::size_t n = n_, H = H_, B = B_;
    float* hprebn = f.hprebn.data();
    float* mean = f.bnmeani.data();
    float* var = f.bnvar.data();
    float* var_inv = f.bnvar_inv.data();
    float* bnraw = f.bnraw.data();
    float* h = f.h.data();
    const float* b1 = p_.b1.data();
    const float* gain = p_.bngain.data();
    const float* bias = p_.bnbias.data();
    const bool by_symbol = products_ == EmbeddingProducts::by_symbol;
    std::fill_n(mean, H, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
        float* x = hprebn + i * H;
        const float* const* rows = by_symbol ? by_symbol_.rows_of(i) : nullptr;
        over_columns<float>(H, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            Vec v;
            if (by_symbol) {
                v = load_as<Vec>(rows[0] + t);
                for (std::size_t k = 1; k < B; ++k) v += load_as<Vec>(rows[k] + t);
            } else {
                v = load_as<Vec>(x + t);
            }
            v += load_as<Vec>(b1 + t);
            store_to(x + t, v);
            store_to(mean + t, load_as<Vec>(mean + t) + v);
        });
    }
    for (std::size_t j = 0; j < H; ++j) mean[j] *= float(1.0 / double(n));
    std::fill_n(var, H, 0.0f);
    for (std::size_t i = 0; i < n; ++i)
        over_columns<float>(H, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            const Vec d = load_as<Vec>(hprebn + i * H + t) - load_as<Vec>(mean + t);
            store_to(var + t, load_as<Vec>(var + t) + d * d);
        });
    for (std::size_t j = 0; j < H; ++j) var[j] *= float(1.0 / double(n - 1));
    map_values(var_inv, var, H, [](auto v) { return batchnorm_inv_std(v); });
    for (std::size_t i = 0; i < n; ++i)
        over_columns<float>(H, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            const Vec d = load_as<Vec>(hprebn + i * H + t) - load_as<Vec>(mean + t);  // again
            const Vec r = d * load_as<Vec>(var_inv + t);
            const Vec x = load_as<Vec>(gain + t) * r + load_as<Vec>(bias + t);
            store_to(bnraw + i * H + t, r);
            store_to(h + i * H + t, tanh_rational(x));
        });
}

void Trainer::embed() {
    for (std::size_t i = 0; i < n_; ++i)
        for (std::size_t k = 0; k < B_; ++k) {
            const float* from = &p_.C(std::size_t(batch.Xb(i, k)), 0);
            float* to = &f.embcat(i, k * E_);
            for (std::size_t e = 0; e < E_; ++e) to[e] = from[e];
        }
}

void Trainer::embedding_backward_as_chapters(const StageProbe& probe, const float* fold_lr) {
    const std::size_t n = n_, E = E_, B = B_, BE = B_ * E_, H = H_;
    // Chapter 18: dembcat = dhprebn @ W1.T, dW1 = embcat.T @ dhprebn, db1 = dhprebn.sum(0)
    matmul(g_.dembcat.data(), g_.dhprebn.data(), false, p_.W1.data(), true, n, BE, H);
    if (fold_lr)
        matmul(p_.W1.data(), f.embcat.data(), true, g_.dhprebn.data(), false, BE, H, n, -*fold_lr,
               1.0f);
    else
        matmul(g_.dW1.data(), f.embcat.data(), true, g_.dhprebn.data(), false, BE, H, n);
    stage_done(probe, TrainStage::backward_gemm);
    column_sums(g_.db1.data(), g_.dhprebn.data(), n, H);
    // Chapter 19: demb = dembcat.view(n, B, E): the same numbers, nothing to do.
    // Chapter 20: dC[Xb[k, j]] += demb[k, j], example by example, position by position
    float* dC = g_.dC.data();
    const float* demb = g_.dembcat.data();
    std::fill_n(dC, g_.dC.size(), 0.0f);
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t j = 0; j < B; ++j) {
            float* row = dC + std::size_t(batch.Xb(k, j)) * E;
            for (std::size_t e = 0; e < E; ++e) row[e] += demb[(k * B + j) * E + e];
        }
    stage_done(probe, TrainStage::backward_elementwise);
}

void Trainer::sync() {
    if (!w2_stale_) return;
    p_.W2 = xt::transpose(W2T_);
    g_.dW2 = xt::transpose(dW2T_);
    w2_stale_ = false;
}

}  // namespace ninja
