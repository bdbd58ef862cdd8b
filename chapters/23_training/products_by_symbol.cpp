#include "23_training/products_by_symbol.hpp"

#include <algorithm>

#include "23_training/blas.hpp"
#include "common/simd.hpp"

namespace ninja {

ProductsBySymbol::ProductsBySymbol(std::size_t n, std::size_t B, std::size_t E, std::size_t H,
                                   std::size_t symbols)
    : n_(n),
      B_(B),
      E_(E),
      H_(H),
      S_(symbols),
      slot_(n * B),
      distinct_(B * symbols),
      count_(B),
      members_(n * B),
      start_(B * (symbols + 1)),
      cursor_(symbols),
      slot_of_(B * symbols),
      rows_of_(n * B),
      Cu_(xt::xtensor<float, 2>::from_shape({B * symbols, E})),
      P_(xt::xtensor<float, 2>::from_shape({B * symbols, H})),
      Su_(xt::xtensor<float, 2>::from_shape({B * symbols, H})),
      dCu_(xt::xtensor<float, 2>::from_shape({B * symbols, E})) {}

void ProductsBySymbol::index(const std::int64_t* Xb) {
    // Sizes and pointers in locals: the stores of integers below could otherwise alias the
    // members, which the compiler would then reload every time.
    const std::size_t S = S_, n = n_, B = B_;
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
    for (std::size_t i = 0; i < n; ++i)  // the rows of P that make up hprebn[i]
        for (std::size_t k = 0; k < B; ++k) rows_of_[i * B + k] = &P_(k * S + slot[i * B + k], 0);
}

void ProductsBySymbol::forward(const xt::xtensor<float, 2>& C, const xt::xtensor<float, 2>& W1) {
    const std::size_t S = S_, E = E_, H = H_;
    for (std::size_t j = 0; j < B_; ++j) {
        for (std::size_t u = 0; u < count_[j]; ++u) {
            const float* from = &C(distinct_[j * S + u], 0);
            float* to = &Cu_(j * S + u, 0);
            for (std::size_t e = 0; e < E; ++e) to[e] = from[e];
        }
        matmul(&P_(j * S, 0), &Cu_(j * S, 0), false, &W1(j * E, 0), false, count_[j], H, E);
    }
}

void ProductsBySymbol::backward(float* dC, float* db1, float* dW1, xt::xtensor<float, 2>& W1,
                                const float* dhprebn, const float* fold_lr,
                                const StageProbe& probe) {
    const std::size_t n = n_, E = E_, H = H_, S = S_;
    // Su[j, u] = the sum of the rows i of dhprebn with Xb[i, j] = distinct[j, u], the rows in
    // increasing order: chapter 20's scatter-add, done on dhprebn
    for (std::size_t j = 0; j < B_; ++j)
        for (std::size_t u = 0; u < count_[j]; ++u) {
            const std::size_t* members = members_.data() + j * n + start_[j * (S + 1) + u];
            const std::size_t m = start_[j * (S + 1) + u + 1] - start_[j * (S + 1) + u];
            sum_rows(
                &Su_(j * S + u, 0), [=](std::size_t r) { return dhprebn + members[r] * H; }, m, H);
        }
    // db1 = dhprebn.sum(0): the groups of position 0 hold every row once, so it is the sum of
    // their count_[0] rows of Su instead of the n rows of dhprebn
    column_sums(db1, Su_.data(), count_[0], H);
    stage_done(probe, TrainStage::backward_elementwise);
    for (std::size_t j = 0; j < B_; ++j) {
        // dCu_j = Su_j @ W1[jE:(j+1)E].T: chapter 18's dhprebn @ W1.T, rows merged
        matmul(&dCu_(j * S, 0), &Su_(j * S, 0), false, &W1(j * E, 0), true, count_[j], E, H);
        // dW1[jE:(j+1)E] = Cu_j.T @ Su_j: chapter 18's embcat.T @ dhprebn, rows merged
        if (fold_lr)
            matmul(&W1(j * E, 0), &Cu_(j * S, 0), true, &Su_(j * S, 0), false, E, H, count_[j],
                   -*fold_lr, 1.0f);
        else
            matmul(dW1 + j * E * H, &Cu_(j * S, 0), true, &Su_(j * S, 0), false, E, H, count_[j]);
    }
    stage_done(probe, TrainStage::backward_gemm);
    // Chapter 20's scatter-add, now of one row per distinct (j, v)
    std::fill_n(dC, S * E, 0.0f);
    for (std::size_t j = 0; j < B_; ++j)
        for (std::size_t u = 0; u < count_[j]; ++u) {
            float* row = dC + distinct_[j * S + u] * E;
            const float* from = &dCu_(j * S + u, 0);
            for (std::size_t e = 0; e < E; ++e) row[e] += from[e];
        }
    stage_done(probe, TrainStage::backward_elementwise);
}

}  // namespace ninja
