#include "23_training/fast_evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "23_training/blas.hpp"
#include "23_training/simd_maps.hpp"
#include "common/simd.hpp"

namespace ninja {

Evaluator::Evaluator(const Params<float>& p)
    : p_(p),
      B_(p.W1.shape(0) / p.C.shape(1)),
      V_(p.C.shape(0)),
      H_(p.W1.shape(1)),
      chunk_(std::min<std::size_t>(evaluation_rows(H_, p.W2.shape(1)), 512)),
      P_(B_ * V_ * H_),
      h_(chunk_ * H_),
      logits_(chunk_ * p.W2.shape(1)),
      W2T_(xt::transpose(p.W2)),
      context_rows_(B_) {
    const std::size_t E = p.C.shape(1);
    for (std::size_t j = 0; j < B_; ++j)  // P[j] = C @ W1[j*E : (j+1)*E]  (V, H)
        matmul(&P_[j * V_ * H_], p.C.data(), false, &p.W1(j * E, 0), false, V_, H_, E);
}

template <class Fn>
void Evaluator::over_hprebn(const Examples& data, std::size_t r, Fn&& fn) {
    const float** rows = context_rows_.data();
    for (std::size_t j = 0; j < B_; ++j) rows[j] = &P_[(j * V_ + data.X(r, j)) * H_];
    const float* b1 = p_.b1.data();
    over_columns<float>(H_, [&](std::size_t t, auto lanes) {
        using Vec = decltype(lanes);
        Vec v = load_as<Vec>(b1 + t);
        for (std::size_t j = 0; j < B_; ++j) v += load_as<Vec>(rows[j] + t);
        fn(t, v);
    });
}

BatchnormStats Evaluator::calibrate(const Examples& train, const RowProgress& progress) {
    const std::size_t N = train.Y.size(), H = H_;
    std::vector<double> sum(H, 0.0), sum2(H, 0.0);
    for (std::size_t r = 0; r < N; ++r) {
        if (progress && r % chunk_ == 0) progress(r, N);
        float* x = h_.data();  // (1, H): one row at a time, its sums while it is in cache
        over_hprebn(train, r, [x](std::size_t j, auto v) { store_to(x + j, v); });
        for (std::size_t j = 0; j < H; ++j) {
            const double v = x[j];
            sum[j] += v, sum2[j] += v * v;
        }
    }
    BatchnormStats stats{xt::xtensor<float, 2>::from_shape({1, H}),
                         xt::xtensor<float, 2>::from_shape({1, H})};
    for (std::size_t j = 0; j < H; ++j) {
        const double mean = sum[j] / double(N);
        stats.mean(0, j) = float(mean);
        stats.var(0, j) = float(std::max(0.0, (sum2[j] - double(N) * mean * mean) / double(N - 1)));
    }
    return stats;
}

double Evaluator::split_loss(const BatchnormStats& stats, const Examples& data,
                             const RowProgress& progress) {
    const std::size_t N = data.Y.size(), H = H_, V = p_.W2.shape(1);
    std::vector<float> scale(H), shift(H);  // hpreact = hprebn * scale + shift
    for (std::size_t j = 0; j < H; ++j) {
        scale[j] = p_.bngain(0, j) / std::sqrt(stats.var(0, j) + float(bn_eps));
        shift[j] = p_.bnbias(0, j) - stats.mean(0, j) * scale[j];
    }
    double total = 0;
    for (std::size_t first = 0; first < N; first += chunk_) {
        const std::size_t rows = std::min(chunk_, N - first);
        if (progress) progress(first, N);
        for (std::size_t r = 0; r < rows; ++r) {  // h = tanh(hprebn * scale + shift)
            float* x = &h_[r * H];
            over_hprebn(data, first + r, [&](std::size_t j, auto v) {
                using Vec = decltype(v);
                store_to(x + j,
                         tanh_rational(v * load_as<Vec>(&scale[j]) + load_as<Vec>(&shift[j])));
            });
        }
        matmul(logits_.data(), h_.data(), false, W2T_.data(), true, rows, V, H);  // h @ W2
        total += chunk_loss(rows, V, &data.Y(first));
    }
    return total / double(N);
}

double Evaluator::chunk_loss(std::size_t rows, std::size_t V, const Symbol* Y) {
    const float* b2 = p_.b2.data();
    double total = 0;
    for (std::size_t r = 0; r < rows; ++r) {  // z - m, and the -(z_y - m) terms
        float* z = &logits_[r * V];
        for (std::size_t k = 0; k < V; ++k) z[k] += b2[k];
        const float m = max_of(z, V);
        for (std::size_t k = 0; k < V; ++k) z[k] -= m;
        total -= double(z[Y[r]]);
    }
    exp_inplace(logits_.data(), rows * V);  // the whole chunk at once
    for (std::size_t r = 0; r < rows; ++r) total += std::log(double(sum_of(&logits_[r * V], V)));
    return total;
}

}  // namespace ninja
