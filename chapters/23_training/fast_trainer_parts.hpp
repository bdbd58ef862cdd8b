/// @file
/// @brief The longer member functions of the fast Trainer (fast_trainer.hpp): the minibatch,
/// the forward pass from the products to `h`, and the products with `embcat`, as the chapters
/// write them or by symbol.
#pragma once

#include "23_training/fast_trainer.hpp"

namespace ninja {

inline void Trainer::draw_batch(TorchGenerator& gen) {
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

inline void Trainer::set_batch(const std::int64_t* ix) {
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
    if (products_ == EmbeddingProducts::by_symbol) index_symbols();
}

inline void Trainer::batchnorm_tanh() {
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
        const float* const* rows = by_symbol ? &products_of_row_[i * B] : nullptr;
        over_columns(H, [&](std::size_t t, auto lanes) {
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
        over_columns(H, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            const Vec d = load_as<Vec>(hprebn + i * H + t) - load_as<Vec>(mean + t);
            store_to(var + t, load_as<Vec>(var + t) + d * d);
        });
    for (std::size_t j = 0; j < H; ++j) var[j] *= float(1.0 / double(n - 1));
    batchnorm_inv_std(var_inv, var, H);
    for (std::size_t i = 0; i < n; ++i)
        over_columns(H, [&](std::size_t t, auto lanes) {
            using Vec = decltype(lanes);
            const Vec d = load_as<Vec>(hprebn + i * H + t) - load_as<Vec>(mean + t);  // again
            const Vec r = d * load_as<Vec>(var_inv + t);
            const Vec x = load_as<Vec>(gain + t) * r + load_as<Vec>(bias + t);
            store_to(bnraw + i * H + t, r);
            store_to(h + i * H + t, tanh_rational(x));
        });
}

inline void Trainer::embed() {
    for (std::size_t i = 0; i < n_; ++i)
        for (std::size_t k = 0; k < B_; ++k) {
            const float* from = &p_.C(std::size_t(batch.Xb(i, k)), 0);
            float* to = &f.embcat(i, k * E_);
            for (std::size_t e = 0; e < E_; ++e) to[e] = from[e];
        }
}

inline void Trainer::index_symbols() {
    const std::size_t S = symbols_, n = n_, B = B_;
    const std::int64_t* Xb = batch.Xb.data();
    int* slot_of = slot_of_.data();
    std::size_t* count = count_.data();
    std::size_t* distinct = distinct_.data();
    std::size_t* slot = slot_.data();
    std::size_t* start = start_.data();
    std::size_t* members = members_.data();
    std::size_t* cursor = cursor_.data();
    std::fill_n(slot_of, B * S, -1);
    std::fill_n(start, B * (S + 1), 0);
    for (std::size_t j = 0; j < B; ++j) {
        int* slot_of_j = slot_of + j * S;
        std::size_t* distinct_j = distinct + j * S;
        std::size_t* sizes = start + j * (S + 1) + 1;  // group sizes, then their offsets
        std::size_t c = 0;
        for (std::size_t i = 0; i < n; ++i) {  // without a branch on "seen before?"
            const auto v = std::size_t(Xb[i * B + j]);
            const int seen = slot_of_j[v];
            const std::size_t fresh = seen < 0;
            const std::size_t u = fresh ? c : std::size_t(seen);
            slot_of_j[v] = int(u);
            distinct_j[u] = v;
            c += fresh;
            slot[i * B + j] = u;
            ++sizes[u];
        }
        count[j] = c;
        std::size_t* offsets = start + j * (S + 1);
        for (std::size_t u = 0; u < c; ++u) offsets[u + 1] += offsets[u];
        for (std::size_t u = 0; u < c; ++u) cursor[u] = offsets[u];
        for (std::size_t i = 0; i < n; ++i) members[j * n + cursor[slot[i * B + j]]++] = i;
    }
}

inline void Trainer::symbol_products() {
    const std::size_t S = symbols_, E = E_, H = H_;
    for (std::size_t j = 0; j < B_; ++j) {
        for (std::size_t u = 0; u < count_[j]; ++u) {
            const float* from = &p_.C(distinct_[j * S + u], 0);
            float* to = &Cu_(j * S + u, 0);
            for (std::size_t e = 0; e < E; ++e) to[e] = from[e];
        }
        matmul(&P_(j * S, 0), &Cu_(j * S, 0), false, &p_.W1(j * E, 0), false, count_[j], H, E);
    }
}

template <class Probe>
void Trainer::embedding_backward_as_chapters(Probe& probe, const float* fold_lr) {
    const std::size_t n = n_, E = E_, B = B_, BE = B_ * E_, H = H_;
    // Chapter 18: dembcat = dhprebn @ W1.T, dW1 = embcat.T @ dhprebn, db1 = dhprebn.sum(0)
    matmul(g_.dembcat.data(), g_.dhprebn.data(), false, p_.W1.data(), true, n, BE, H);
    if (fold_lr)
        matmul(p_.W1.data(), f.embcat.data(), true, g_.dhprebn.data(), false, BE, H, n, -*fold_lr,
               1.0f);
    else
        matmul(g_.dW1.data(), f.embcat.data(), true, g_.dhprebn.data(), false, BE, H, n);
    probe(TrainStage::backward_gemm);
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
    probe(TrainStage::backward_elementwise);
}

template <class Probe>
void Trainer::embedding_backward_by_symbol(Probe& probe, const float* fold_lr) {
    const std::size_t n = n_, E = E_, H = H_, S = symbols_;
    // Su[j, u] = the sum of the rows i of dhprebn with Xb[i, j] = distinct[j, u], the rows
    // in increasing order: chapter 20's scatter-add, done on dhprebn
    const float* dhprebn = g_.dhprebn.data();
    constexpr std::size_t L = fbatch::size, R = 8;  // R vectors of a row in registers
    for (std::size_t j = 0; j < B_; ++j)
        for (std::size_t u = 0; u < count_[j]; ++u) {
            const std::size_t* members = members_.data() + j * n + start_[j * (S + 1) + u];
            const std::size_t m = start_[j * (S + 1) + u + 1] - start_[j * (S + 1) + u];
            const auto row = [&](std::size_t r) { return dhprebn + members[r] * H; };
            float* out = Su_.data() + (j * S + u) * H;
            std::size_t t = 0;
            for (; t + R * L <= H; t += R * L) {
                fbatch acc[R];
                for (std::size_t k = 0; k < R; ++k)
                    acc[k] = fbatch::load_unaligned(row(0) + t + k * L);
                for (std::size_t r = 1; r < m; ++r)
                    for (std::size_t k = 0; k < R; ++k)
                        acc[k] += fbatch::load_unaligned(row(r) + t + k * L);
                for (std::size_t k = 0; k < R; ++k) acc[k].store_unaligned(out + t + k * L);
            }
            over_columns(H - t, [&](std::size_t c, auto lanes) {
                using Vec = decltype(lanes);
                Vec acc = load_as<Vec>(row(0) + t + c);
                for (std::size_t r = 1; r < m; ++r) acc += load_as<Vec>(row(r) + t + c);
                store_to(out + t + c, acc);
            });
        }
    // db1 = dhprebn.sum(0): the groups of position 0 hold every row once, so it is the sum
    // of their count_[0] rows of Su instead of the n rows of dhprebn
    column_sums(g_.db1.data(), Su_.data(), count_[0], H);
    probe(TrainStage::backward_elementwise);
    for (std::size_t j = 0; j < B_; ++j) {
        // dCu_j = Su_j @ W1[jE:(j+1)E].T: chapter 18's dhprebn @ W1.T, rows merged
        matmul(&dCu_(j * S, 0), &Su_(j * S, 0), false, &p_.W1(j * E, 0), true, count_[j], E, H);
        // dW1[jE:(j+1)E] = Cu_j.T @ Su_j: chapter 18's embcat.T @ dhprebn, rows merged
        if (fold_lr)
            matmul(&p_.W1(j * E, 0), &Cu_(j * S, 0), true, &Su_(j * S, 0), false, E, H, count_[j],
                   -*fold_lr, 1.0f);
        else
            matmul(&g_.dW1(j * E, 0), &Cu_(j * S, 0), true, &Su_(j * S, 0), false, E, H, count_[j]);
    }
    probe(TrainStage::backward_gemm);
    // Chapter 20's scatter-add, now of one row per distinct (j, v)
    float* dC = g_.dC.data();
    std::fill_n(dC, g_.dC.size(), 0.0f);
    for (std::size_t j = 0; j < B_; ++j)
        for (std::size_t u = 0; u < count_[j]; ++u) {
            float* row = dC + distinct_[j * S + u] * E;
            const float* from = &dCu_(j * S + u, 0);
            for (std::size_t e = 0; e < E; ++e) row[e] += from[e];
        }
    probe(TrainStage::backward_elementwise);
}

}  // namespace ninja
