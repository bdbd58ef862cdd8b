/// @file
/// @brief Chapter 23: training the network with the hand-written backward pass (the lecture's
/// Exercise 4), then calibrating batchnorm, evaluating, and sampling names.
///
/// @section ch23_loop The loop
/// Exercise 4 puts the derived gradients to work. The network grows to
/// \f$ H = 200 \f$ hidden units (12,297 parameters) and is trained for 200,000 steps of
/// minibatch stochastic gradient descent, with no autograd anywhere. One step:
/// 1. **Minibatch.** `ix = torch.randint(0, N, (32,), generator=g)`: 32 rows of the training set,
///    drawn from the same PyTorch-identical generator (seeded 2147483647) that drew the
///    parameters, so the C++ run sees exactly the batches the PyTorch run sees.
/// 2. **Forward pass**, in the compact form of the exercise: `emb = C[Xb]`,
///    `hprebn = embcat @ W1 + b1`, the batch mean and unbiased variance,
///    `bnraw = (hprebn - bnmean) * bnvar_inv`, `hpreact = bngain * bnraw + bnbias`,
///    `h = tanh(hpreact)`, `logits = h @ W2 + b2`, and the loss.
/// 3. **Backward pass**, each step one of the chapters:
///    - `dlogits` (and the loss, from the same pass): \f$ (\mathrm{softmax} - \mathrm{onehot})/n \f$,
///      chapter 21;
///    - `dh`, `dW2`, `db2`: \f$ \texttt{dlogits}\, W_2^\top \f$, \f$ h^\top \texttt{dlogits} \f$
///      and the column sums of `dlogits`, chapter 09;
///    - `dhpreact`: \f$ (1 - h^2) \odot \texttt{dh} \f$, chapter 10;
///    - `dbngain`, `dbnbias`, `dhprebn`: the two column sums (chapter 11's gradients), then the
///      fused batchnorm formula, chapter 22;
///    - `dembcat`, `dW1`, `db1`: \f$ \texttt{dhprebn}\, W_1^\top \f$,
///      \f$ \texttt{embcat}^\top \texttt{dhprebn} \f$ and the column sums of `dhprebn`,
///      chapter 18;
///    - `demb`: the same numbers seen as (n, B, E), chapter 19;
///    - `dC`: the rows of `demb` added into the rows of C they came from, chapter 20.
/// 4. **Update.** Every parameter takes a step against its gradient,
///    \f$ \theta \leftarrow \theta - \eta\, \partial L / \partial \theta \f$, with learning rate
///    \f$ \eta = 0.1 \f$ for the first 100,000 steps and \f$ \eta = 0.01 \f$ from then on
///    (the lecture's rule: the decay point does not move with `--steps`).
///
/// @section ch23_calibration Calibrating batchnorm
/// During training, `hpreact` of an example depends on the 31 other examples of its batch,
/// through the batch mean and variance. To use the network on a single example, the lecture
/// replaces both by their values over the whole training set, after training:
/// \f[
///   \mu_j = \frac{1}{N}\sum_{r=1}^{N} x_{rj}, \qquad
///   \sigma_j^2 = \frac{1}{N-1}\sum_{r=1}^{N} (x_{rj} - \mu_j)^2, \qquad
///   x = \texttt{embcat} \cdot W_1 + b_1 \text{ on all } N = 182{,}625 \text{ rows}.
/// \f]
/// Here the sums are accumulated in double precision over chunks of rows; the statistics are
/// then rounded to float32 and used as `bnmean` and `bnvar` in
/// `hpreact = bngain * (x - bnmean) * (bnvar + 1e-5)**-0.5 + bnbias`. The train and dev losses
/// are the mean cross-entropy over all rows of each split with these fixed statistics.
///
/// @section ch23_sampling Sampling
/// With the calibrated network, a name grows one character at a time from the context `...`:
/// the forward pass gives the 27 logits, `softmax` turns them into probabilities, and
/// `torch.multinomial` (reproduced bit for bit, generator seeded 2147483647 + 10) draws the next
/// character, until it draws `.`.
///
/// @section ch23_speed Speed
/// A step is six small matrix products (two forward, four backward, 1.1 million multiply-adds
/// in all) and elementwise work on a few (32, 200) blocks. PyTorch, which runs it as about a
/// hundred separate operations, takes several hundred microseconds; the class Trainer below
/// takes about 24 us on one core (BENCHMARKS.md at the root of the project has the
/// measurements), without changing what is computed:
/// - every buffer is allocated once; the products call `cblas_sgemm` on them directly, with one
///   BLAS thread;
/// - W2 is kept transposed, so that its three products run along H = 200 rather than V = 27;
/// - the three products with `embcat` go by symbol: a batch holds about 40 distinct
///   (position, symbol) pairs among its 96 context entries, and each is multiplied once (see
///   Trainer for why this is the same sum);
/// - the SGD update of W1 and W2 is folded into the products that compute their gradients;
/// - the elementwise work runs in a few sweeps over contiguous rows on SIMD vectors: tanh as a
///   rational function fitted for it, the loss and `dlogits` in chapter 21's single pass,
///   chapter 10's step inside the sweep for chapter 22's two column sums, and chapter 22's
///   step with its own functions;
/// - the training set is packed into a byte per symbol, and the next minibatch is drawn one
///   step ahead so that its rows are already in the cache.
///
/// @section ch23_picture The loss curve
/// The program writes `loss_curve.png` into `--out`: \f$ \log_{10} \f$ of the training loss,
/// averaged over each block of 1,000 steps as in the lecture (over blocks of steps/100 for a
/// run of fewer than 100,000 steps), drawn over a light band that spans the 10th to the 90th
/// percentile of the single steps' values. The step where the learning rate drops is marked
/// with a dashed line; the curve falls by a small step there.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "20_embedding_table/embedding_table.hpp"
#include "22_batchnorm/batchnorm.hpp"

/// OpenBLAS's switch for its thread count, declared weak so that a build against another BLAS
/// still links (the call is then skipped).
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace ninja {

/// Makes OpenBLAS use one thread: the training step's products are far too small to share.
inline void use_one_blas_thread() {
    if (openblas_set_num_threads != nullptr) openblas_set_num_threads(1);
}

/// The settings of a training run; the defaults are the lecture's Exercise 4.
struct TrainingConfig {
    std::size_t n_hidden = 200;          ///< H
    std::size_t batch_size = 32;         ///< n
    std::uint64_t seed = 2147483647;     ///< seed of the generator behind init and minibatches
    std::size_t steps = 200000;          ///< SGD steps
    double lr = 0.1;                     ///< learning rate before decay_step
    std::size_t decay_step = 100000;     ///< from this step on the learning rate is lr / 10
    std::size_t print_every = 10000;     ///< print the loss every this many steps

    /// The model configuration (n_embd 10, block size 3, vocabulary 27) with these sizes.
    Config model() const {
        Config c;
        c.n_hidden = n_hidden;
        c.batch_size = batch_size;
        c.seed = seed;
        return c;
    }
};

/// The learning rate of step `i`: the lecture's `lr = 0.1 if i < 100000 else 0.01`.
inline float learning_rate(const TrainingConfig& c, std::size_t i) {
    return float(i < c.decay_step ? c.lr : c.lr / 10);
}

/// The SIMD vector of floats of the build's target (8 lanes with AVX2).
using fbatch = xsimd::batch<float>;

/// tanh as one rational function of \f$ t = x^2 \f$:
/// \f[ \tanh x \approx x\, \frac{p_0 + p_1 t + \dots + p_4 t^4}{1 + q_1 t + \dots + q_4 t^4}, \f]
/// on x clamped to \f$ \pm L \f$ with \f$ L = 7.9053 \f$, where \f$ 1 - \tanh L \approx 2.7
/// \cdot 10^{-7} \f$ is no larger than the error of the approximation itself. The coefficients
/// were fitted for this workbook by weighted least squares on [0, L], the weights updated until
/// the relative error was level (Lawson's iteration towards the minimax fit): 5.7e-9 in exact
/// arithmetic. Evaluated in float, the largest error is 3.0e-7 (5 units in the last place), and
/// the result never leaves (-1, 1). Eight fused multiply-adds and one division: about twice as
/// fast as xsimd's tanh, which evaluates two formulas and blends them. The training step would
/// otherwise spend a tenth of its time in tanh. `V` is a float or a SIMD vector of floats, with
/// the same result in every lane as for the float alone.
template <class V>
inline V tanh_rational(V x) {
    const V limit(7.90531110763549805f);
    x = xsimd::min(limit, xsimd::max(V(-7.90531110763549805f), x));
    const V t = x * x;
    V p(1.54171265857291e-08f);
    p = xsimd::fma(t, p, V(2.20162468424135e-05f));
    p = xsimd::fma(t, p, V(3.57859189610791e-03f));
    p = xsimd::fma(t, p, V(1.34502899197853e-01f));
    p = xsimd::fma(t, p, V(9.99999994336518e-01f));
    V q(8.59460847730599e-07f);
    q = xsimd::fma(t, q, V(3.42298016626464e-04f));
    q = xsimd::fma(t, q, V(2.61907359450998e-02f));
    q = xsimd::fma(t, q, V(4.67836179017635e-01f));
    q = xsimd::fma(t, q, V(1.0f));
    return x * p / q;
}

/// `out[k] = tanh_rational(in[k])` for `count` values (in place when out == in).
inline void tanh_rational(float* out, const float* in, std::size_t count) {
    constexpr std::size_t L = fbatch::size;
    std::size_t k = 0;
    for (; k + L <= count; k += L) tanh_rational(fbatch::load_unaligned(in + k)).store_unaligned(out + k);
    for (; k < count; ++k) out[k] = tanh_rational(in[k]);
}

/// `bnvar_inv = (bnvar + eps)**-0.5`, written as the forward pass of common/model.hpp writes it;
/// for a float or a SIMD vector of floats (square root and division are exactly rounded in
/// both, so every lane gets the float's result).
template <class V>
inline V batchnorm_inv_std(V bnvar) {
    using std::sqrt;
    using xsimd::sqrt;
    return V(1.0f) / sqrt(bnvar + V(float(bn_eps)));
}

/// batchnorm_inv_std() of `count` floats.
inline void batchnorm_inv_std(float* out, const float* bnvar, std::size_t count) {
    constexpr std::size_t L = fbatch::size;
    std::size_t k = 0;
    for (; k + L <= count; k += L)
        batchnorm_inv_std(fbatch::load_unaligned(bnvar + k)).store_unaligned(out + k);
    for (; k < count; ++k) out[k] = batchnorm_inv_std(bnvar[k]);
}

/// Calls `fn(t, fbatch())` for the SIMD vectors of columns [t, t + 8) of [0, count), then
/// `fn(t, 0.0f)` for each column left over: the body, written once with load_as<Vec>() and
/// store_to(), serves both.
template <class Fn>
inline void over_columns(std::size_t count, Fn&& fn) {
    constexpr std::size_t L = fbatch::size;
    std::size_t t = 0;
    for (; t + L <= count; t += L) fn(t, fbatch());
    for (; t < count; ++t) fn(t, 0.0f);
}

/// Loads a float or a SIMD vector of floats from `p`.
template <class V>
inline V load_as(const float* p) {
    if constexpr (std::is_same_v<V, float>)
        return *p;
    else
        return V::load_unaligned(p);
}

/// Stores a float or a SIMD vector of floats at `p`.
template <class V>
inline void store_to(float* p, const V& v) {
    if constexpr (std::is_same_v<V, float>)
        *p = v;
    else
        v.store_unaligned(p);
}

/// One entry of chapter 10's step, `dhpreact = (1 - h**2) * dh`.
template <class T>
inline T tanh_grad(T h, T dh) {
    return (T(1) - h * h) * dh;
}

/// `out[j] = sum over the n rows of x[i, j]`: down the columns a SIMD vector of columns at a
/// time, each sum in a register, the rows added in order.
template <class T>
void column_sums(T* out, const T* x, std::size_t n, std::size_t cols) {
    using batch = xsimd::batch<T>;
    std::size_t j = 0;
    for (; j + batch::size <= cols; j += batch::size) {
        batch sum(T(0));
        for (std::size_t i = 0; i < n; ++i) sum += batch::load_unaligned(x + i * cols + j);
        sum.store_unaligned(out + j);
    }
    for (; j < cols; ++j) {
        T sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += x[i * cols + j];
        out[j] = sum;
    }
}

/// Chapter 10's step and chapter 22's two column sums in one sweep down the columns:
/// `dhpreact = (1 - h**2) * dh`, then `dbnbias = dhpreact.sum(0)` and
/// `dbngain = (dhpreact * bnraw).sum(0)` from the values still in registers. The rows are added
/// in order, as in batchnorm_backward_sums(), so the sums are the same floats; `dh` and `h` are
/// read once instead of twice.
/// @param[out] dhpreact (n, H)
/// @param[out] dbngain  (1, H)
/// @param[out] dbnbias  (1, H)
/// @param h             (n, H)
/// @param dh            (n, H)
/// @param bnraw         (n, H)
/// @param n             rows (the batch)
/// @param H             columns (hidden units)
inline void tanh_batchnorm_sums(float* dhpreact, float* dbngain, float* dbnbias, const float* h,
                                const float* dh, const float* bnraw, std::size_t n, std::size_t H) {
    over_columns(H, [&](std::size_t j, auto lanes) {
        using Vec = decltype(lanes);
        Vec gain_sum(0.0f), bias_sum(0.0f);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = i * H + j;
            const Vec d = tanh_grad(load_as<Vec>(h + k), load_as<Vec>(dh + k));
            store_to(dhpreact + k, d);
            bias_sum += d;
            gain_sum += d * load_as<Vec>(bnraw + k);
        }
        store_to(dbngain + j, gain_sum);
        store_to(dbnbias + j, bias_sum);
    });
}

/// `C = alpha * op(A) @ op(B) + beta * C` for row-major float matrices (op: transpose or not),
/// one cblas_sgemm.
/// @param[in,out] C    (M, N)
/// @param A            (M, K), or (K, M) when transpose_A
/// @param transpose_A  whether op(A) is A's transpose
/// @param B            (K, N), or (N, K) when transpose_B
/// @param transpose_B  whether op(B) is B's transpose
/// @param M            rows of C
/// @param N            columns of C
/// @param K            the summed dimension
/// @param alpha        the factor of the product
/// @param beta         the factor of C's previous content (0: C is overwritten)
inline void matmul(float* C, const float* A, bool transpose_A, const float* B, bool transpose_B,
                   std::size_t M, std::size_t N, std::size_t K, float alpha = 1.0f,
                   float beta = 0.0f) {
    const int lda = int(transpose_A ? M : K), ldb = int(transpose_B ? K : N);
    cblas_sgemm(CblasRowMajor, transpose_A ? CblasTrans : CblasNoTrans,
                transpose_B ? CblasTrans : CblasNoTrans, int(M), int(N), int(K), alpha, A, lda, B,
                ldb, beta, C, int(N));
}

/// The parts of a training step, for a per-stage breakdown of its time.
enum class TrainStage { batch, forward_gemm, forward_elementwise, backward_gemm,
                        backward_elementwise, update, count };

/// The names of the TrainStage values, in order.
inline const char* stage_name(TrainStage s) {
    static const char* const names[] = {"minibatch (randint, gather)", "forward matmuls (2)",
                                        "forward elementwise",         "backward matmuls (4)",
                                        "backward elementwise",        "SGD update"};
    return names[int(s)];
}

/// A probe that measures nothing: the default of Trainer::step(), which then costs nothing.
struct NoProbe {
    /// Called when a stage ends.
    void operator()(TrainStage) {}
};

/// How the trainer computes the three products that involve `embcat` (see Trainer).
enum class EmbeddingProducts {
    as_chapters,  ///< `embcat @ W1`, then chapters 18, 19 and 20 as written
    by_symbol     ///< each distinct symbol of a context position once (the default: faster)
};

/// The lecture's training step on preallocated buffers: forward pass, the hand-written backward
/// pass (chapters 21, 09, 10, 22, 18, 19, 20), and the SGD update.
///
/// The tensors are the workbook's own types, so that a test can hold the trainer's
/// intermediates and gradients beside those of the chapters: `f` holds the forward
/// intermediates that the compact forward pass computes (`hprebn`, `bnmeani`, `bnvar`,
/// `bnvar_inv`, `bnraw`, `h`, `logits`, and with EmbeddingProducts::as_chapters
/// `embcat`), grads() the gradients of the backward pass
/// (`dlogits`, `dh`, `dW2`, `db2`, `dhpreact`, `dbngain`, `dbnbias`, `dhprebn`, `dW1`, `db1`,
/// `dC`, and with EmbeddingProducts::as_chapters `dembcat`); the other members stay empty.
/// Nothing is allocated after construction but the 32 indices that TorchGenerator::randint
/// returns.
///
/// Three choices of layout and order make the step faster without changing what it computes.
///
/// **W2 is kept transposed**, as `W2T` (V, H), and its gradient as `dW2T`. Then all three
/// products that involve W2 (`h @ W2`, `dlogits @ W2.T`, `h.T @ dlogits`) run along the long
/// dimension H = 200 instead of V = 27, which suits the vector units; the update of
/// `W2T[v, k]` is the update of `W2[k, v]`. params() and grads() hand out the lecture's layout.
///
/// **The embedding products go by symbol** (EmbeddingProducts::by_symbol). A row of `embcat` is
/// B rows of C side by side, and a batch of 32 contexts holds only about 14 distinct symbols at
/// each of the 3 positions. Write \f$ W_1^{(j)} \f$ for the E rows of W1 that multiply position
/// j, and \f$ S_{jv} = \sum_{i:\, X_{ij} = v} \texttt{dhprebn}_i \f$ for the sum of the rows of
/// `dhprebn` whose context has symbol v at position j. Then, by linearity,
/// \f{align*}{
///   \texttt{hprebn}_i &= b_1 + \sum_j C_{X_{ij}} W_1^{(j)},
///   \\ \texttt{dW1}^{(j)} &= \sum_v C_v^\top S_{jv},
///   \\ \texttt{dC}_v &= \sum_j S_{jv}\, W_1^{(j)\top}.
/// \f}
/// The first computes each product \f$ C_v W_1^{(j)} \f$ once per distinct (j, v) instead of once
/// per example. The other two are chapter 18's `embcat.T @ dhprebn` with the equal rows of
/// `embcat` merged, and chapters 18-20's `dhprebn @ W1.T`, viewed as `demb` and scattered into
/// `dC`, with the scatter-add moved in front of the product (both are linear, so they commute).
/// The same terms are summed, in another order, so the results agree with the chapters' to
/// float rounding (the test of chapter 23 checks both ways against the chapters and against
/// PyTorch); the three products shrink from 96 rows to about 40. EmbeddingProducts::as_chapters
/// runs the chapters' products as written, for comparison.
///
/// **The update of W1 and W2 is folded into their products** in step(): the product that would
/// compute dW1 (or dW2) adds `-lr` times its result straight into W1 (W2), which is the SGD
/// update `p -= lr * grad` without storing the gradient and reading it back.
class Trainer {
public:
    /// @param params     the initial parameters (copied; updated in place by every step)
    /// @param train      the training set; must outlive the trainer
    /// @param batch_size n, at least 2
    /// @param products   how the products with `embcat` are computed
    Trainer(Params<float> params, const Examples& train, std::size_t batch_size,
            EmbeddingProducts products = EmbeddingProducts::by_symbol)
        : p_(std::move(params)), train_(&train), products_(products), n_(batch_size),
          B_(train.X.shape(1)), E_(p_.C.shape(1)), H_(p_.W1.shape(1)), V_(p_.W2.shape(1)),
          symbols_(p_.C.shape(0)) {
        if (n_ < 2) throw InputError("the batch needs at least 2 examples: batchnorm's unbiased variance divides by n-1");
        if (p_.W1.shape(0) != B_ * E_) throw InputError("W1 does not match the context length of the data");
        const std::size_t n = n_, BE = B_ * E_, H = H_, V = V_, BS = B_ * symbols_;
        if (train.Y.size() > 0 && (xt::amin(train.X)() < 0 || std::size_t(xt::amax(train.X)()) >= symbols_ ||
                                   xt::amin(train.Y)() < 0 || std::size_t(xt::amax(train.Y)()) >= V))
            throw InputError("the training set holds symbols outside the model's vocabulary");
        const auto matrix = [](std::size_t rows, std::size_t cols) {
            return xt::xtensor<float, 2>::from_shape({rows, cols});
        };
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
        slot_.resize(n * B_);
        members_.resize(n * B_);
        products_of_row_.resize(n * B_);
        start_.resize(B_ * (symbols_ + 1));
        cursor_.resize(symbols_);
        slot_of_.resize(BS);
        distinct_.resize(BS);
        count_.resize(B_);
        Cu_ = matrix(BS, E_);
        P_ = matrix(BS, H);
        Su_ = matrix(BS, H);
        dCu_ = matrix(BS, E_);
        // The minibatch rows are random: 32 cache misses a step in the 5.8 MB of int64 contexts
        // and targets. With a vocabulary of at most 256 symbols, a byte per symbol packs the
        // training set into (B + 1) bytes a row (730 kB for names.txt), which stays in cache.
        const bool bytes_suffice = train.Y.size() > 0 && symbols_ <= 256 && V <= 256;
        if (bytes_suffice) {
            packed_.resize(train.Y.size() * (B_ + 1));
            for (std::size_t r = 0; r < train.Y.size(); ++r) {
                for (std::size_t k = 0; k < B_; ++k) packed_[r * (B_ + 1) + k] = std::uint8_t(train.X(r, k));
                packed_[r * (B_ + 1) + B_] = std::uint8_t(train.Y(r));
            }
        }
    }

    /// `ix = torch.randint(0, N, (n,), generator=g)`, then `Xb, Yb = X[ix], Y[ix]`.
    ///
    /// The trainer draws one minibatch ahead: this call uses the indices drawn by the previous
    /// call with the same generator, and draws the next batch's now, so that their rows of the
    /// training set can be fetched into the cache while this step computes. The indices are the
    /// same, in the same order, as drawing each batch when it is used; only the generator runs
    /// one batch ahead of the training.
    void draw_batch(TorchGenerator& gen) {
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
                __builtin_prefetch(&train_->X(std::size_t(row), 0)), __builtin_prefetch(&train_->Y(std::size_t(row)));
        }
#endif
    }

    /// Uses the rows `ix[0..n)` of the training set as the minibatch (and forgets a batch
    /// drawn ahead).
    void set_batch(const std::int64_t* ix) {
        if (ix != next_ix_.data()) ahead_of_ = nullptr;
        // Sizes and pointers in locals: the stores of integers below could otherwise alias the
        // members and the tensors' strides, which the compiler would then reload every time.
        const std::size_t n = n_, B = B_, stride = B + 1, N = train_->Y.size();
        std::int64_t* bix = batch.ix.data();
        std::int64_t* Xb = batch.Xb.data();
        std::int64_t* Yb = batch.Yb.data();
        const std::uint8_t* packed = packed_.empty() ? nullptr : packed_.data();
        const std::int64_t* X = train_->X.data();
        const std::int64_t* Y = train_->Y.data();
        for (std::size_t i = 0; i < n; ++i) {
            const std::int64_t value = ix[i];
            const auto row = static_cast<std::size_t>(value);
            if (row >= N) throw InputError("batch index " + std::to_string(value) + " is outside the training set");
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

    /// The forward pass on the current minibatch; returns the loss.
    template <class Probe = NoProbe>
    float forward(Probe&& probe = {}) {
        const std::size_t n = n_, H = H_, V = V_;
        if (products_ == EmbeddingProducts::as_chapters) {
            embed();
            probe(TrainStage::forward_elementwise);
            matmul(f.hprebn.data(), f.embcat.data(), false, p_.W1.data(), false, n, H, B_ * E_);
            probe(TrainStage::forward_gemm);
        } else {
            symbol_products();  // P[j, v] = C[v] @ W1^(j) for the batch's distinct (j, v)
            probe(TrainStage::forward_gemm);
            for (std::size_t i = 0; i < n; ++i)  // the rows of P that make up hprebn[i]
                for (std::size_t k = 0; k < B_; ++k)
                    products_of_row_[i * B_ + k] = &P_(k * symbols_ + slot_[i * B_ + k], 0);
        }
        batchnorm_tanh();
        probe(TrainStage::forward_elementwise);

        matmul(f.logits.data(), f.h.data(), false, W2T_.data(), true, n, V, H);  // h @ W2T.T
        probe(TrainStage::forward_gemm);
        float* logits = f.logits.data();
        const float* b2 = p_.b2.data();
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < V; ++j) logits[i * V + j] += b2[j];  // + b2
        // Chapter 21: the loss and dlogits from one pass (dlogits belongs to the backward pass,
        // but it is the same computation as the loss).
        loss_ = cross_entropy_backward(g_.dlogits.data(), logits, batch.Yb.data(), n, V);
        probe(TrainStage::forward_elementwise);
        return loss_;
    }

    /// The backward pass: every gradient, from the dlogits that forward() left.
    template <class Probe = NoProbe>
    void backward(Probe&& probe = {}) {
        backward(probe, nullptr);
    }

    /// `param -= lr * grad`, elementwise.
    template <class Tensor>
    static void sgd(Tensor& param, const Tensor& grad, float lr) {
        float* x = param.data();
        const float* d = grad.data();
        for (std::size_t k = 0; k < param.size(); ++k) x[k] -= lr * d[k];
    }

    /// Calls `fn(name, parameter, gradient)` for the seven parameters, W2 and its gradient in
    /// the trainer's transposed layout.
    template <class F>
    void for_each_parameter(F&& fn) {
        fn("C", p_.C, g_.dC), fn("W1", p_.W1, g_.dW1), fn("b1", p_.b1, g_.db1);
        fn("W2", W2T_, dW2T_), fn("b2", p_.b2, g_.db2);
        fn("bngain", p_.bngain, g_.dbngain), fn("bnbias", p_.bnbias, g_.dbnbias);
    }

    /// SGD: `p -= lr * grad` for the seven parameters.
    void update(float lr) {
        for_each_parameter([lr](const char*, auto& param, const auto& grad) { sgd(param, grad, lr); });
        w2_stale_ = true;
    }

    /// The loss of the last forward().
    float loss() const { return loss_; }

    /// The parameters in the lecture's layout (W2 is copied back from the trainer's W2T).
    const Params<float>& params() {
        sync();
        return p_;
    }

    /// The gradients of the last backward() in the lecture's layout (dW2 from dW2T).
    const Grads<float>& grads() {
        sync();
        return g_;
    }

    Batch batch;      ///< the current minibatch
    Forward<float> f; ///< the forward intermediates of the compact pass (see the class comment)

    // [step]
    /// One whole step: minibatch from `gen`, forward, backward, update with `lr`; returns the
    /// loss before the update. `probe(stage)` is called as each stage ends. The updates of W1
    /// and W2 are folded into the products that compute their gradients (see the private
    /// backward()), so after step() grads() holds every gradient of the step but dW1 and dW2;
    /// forward(), backward() and update() do the same step with all of them.
    template <class Probe = NoProbe>
    float step(TorchGenerator& gen, float lr, Probe&& probe = {}) {
        draw_batch(gen);
        probe(TrainStage::batch);
        const float loss = forward(probe);
        backward(probe, &lr);
        for_each_parameter([lr](const char* name, auto& param, const auto& grad) {
            if (std::string_view(name) == "W1" || std::string_view(name) == "W2") return;
            sgd(param, grad, lr);
        });
        probe(TrainStage::update);
        return loss;
    }

private:
    /// The backward pass. With `fold_lr`, the two largest gradients, dW1 and dW2, are not
    /// stored: their products add `-lr * gradient` straight into W1 and W2 (sgemm with
    /// alpha = -lr and beta = 1), which is their SGD update, and saves writing and reading
    /// 11,400 gradients a step. (The products that need the old W1 and W2 run first.)
    template <class Probe>
    void backward(Probe& probe, const float* fold_lr) {
        const std::size_t n = n_, H = H_, V = V_;
        // Chapter 09: dh = dlogits @ W2.T, dW2 = h.T @ dlogits (as dW2T = dlogits.T @ h),
        // db2 = dlogits.sum(0)
        matmul(g_.dh.data(), g_.dlogits.data(), false, W2T_.data(), false, n, H, V);
        if (fold_lr)
            matmul(W2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n, -*fold_lr, 1.0f);
        else
            matmul(dW2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n);
        probe(TrainStage::backward_gemm);
        column_sums(g_.db2.data(), g_.dlogits.data(), n, V);
        const float* h = f.h.data();
        const float* dh = g_.dh.data();
        float* dhpreact = g_.dhpreact.data();
        // Chapters 10 and 22: dhpreact = (1 - h**2) * dh with the sums dbngain and dbnbias
        // (chapter 11's gradients) in the same sweep, then dhprebn
        tanh_batchnorm_sums(dhpreact, g_.dbngain.data(), g_.dbnbias.data(), h, dh, f.bnraw.data(), n, H);
        batchnorm_backward_input(g_.dhprebn.data(), work_.data(), dhpreact, f.bnraw.data(),
                                 p_.bngain.data(), f.bnvar_inv.data(), g_.dbngain.data(),
                                 g_.dbnbias.data(), n, H);
        probe(TrainStage::backward_elementwise);
        if (products_ == EmbeddingProducts::as_chapters)
            embedding_backward_as_chapters(probe, fold_lr);
        else
            embedding_backward_by_symbol(probe, fold_lr);
        w2_stale_ = true;
    }

    // [step]

    /// From `embcat @ W1` (or the products by symbol) to `h`: common/model.hpp's forward pass,
    /// line by line, in three sweeps over the rows: `hprebn = embcat @ W1 + b1` (by symbol: the
    /// sum of the rows of P, then `+ b1`) with the column sums for `bnmeani = 1/n *
    /// hprebn.sum(0)`; `bndiff = hprebn - bnmeani` with the sums for `bnvar = 1/(n-1) *
    /// (bndiff**2).sum(0)`, then `bnvar_inv = (bnvar + eps)**-0.5`; `bndiff` once more (cheaper
    /// than storing it), `bnraw = bndiff * bnvar_inv`, `hpreact = bngain * bnraw + bnbias` and
    /// `h = tanh(hpreact)`, while they are in registers (`hpreact` itself is not kept: the
    /// backward pass needs only `h`).
    void batchnorm_tanh() {
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

    /// emb = C[Xb]; embcat = emb.view(n, -1): the rows of C side by side.
    void embed() {
        for (std::size_t i = 0; i < n_; ++i)
            for (std::size_t k = 0; k < B_; ++k) {
                const float* from = &p_.C(std::size_t(batch.Xb(i, k)), 0);
                float* to = &f.embcat(i, k * E_);
                for (std::size_t e = 0; e < E_; ++e) to[e] = from[e];
            }
    }

    /// The distinct symbols of each context position in the batch: `distinct_[j * S + u]` is
    /// the u-th, `count_[j]` their number, `slot_[i * B + j]` the u of example i, and
    /// `members_[j * n + start_[j * (S + 1) + u] ...]` the examples that have it, in increasing
    /// order. (Locals again, as in set_batch().)
    void index_symbols() {
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

    /// For every position j: `Cu_` gets the rows of C of its distinct symbols, and `P_` their
    /// products with W1's rows for position j.
    void symbol_products() {
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

    /// Chapters 18, 19 and 20 as written.
    template <class Probe>
    void embedding_backward_as_chapters(Probe& probe, const float* fold_lr) {
        const std::size_t n = n_, E = E_, B = B_, BE = B_ * E_, H = H_;
        // Chapter 18: dembcat = dhprebn @ W1.T, dW1 = embcat.T @ dhprebn, db1 = dhprebn.sum(0)
        matmul(g_.dembcat.data(), g_.dhprebn.data(), false, p_.W1.data(), true, n, BE, H);
        if (fold_lr)
            matmul(p_.W1.data(), f.embcat.data(), true, g_.dhprebn.data(), false, BE, H, n, -*fold_lr, 1.0f);
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

    /// The same gradients by symbol (see the class comment): the scatter-add of chapter 20
    /// first, on the rows of dhprebn, then chapter 18's two products on the merged rows.
    template <class Probe>
    void embedding_backward_by_symbol(Probe& probe, const float* fold_lr) {
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
                    for (std::size_t k = 0; k < R; ++k) acc[k] = fbatch::load_unaligned(row(0) + t + k * L);
                    for (std::size_t r = 1; r < m; ++r)
                        for (std::size_t k = 0; k < R; ++k) acc[k] += fbatch::load_unaligned(row(r) + t + k * L);
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

    void sync() {
        if (!w2_stale_) return;
        p_.W2 = xt::transpose(W2T_);
        g_.dW2 = xt::transpose(dW2T_);
        w2_stale_ = false;
    }

    Params<float> p_;
    Grads<float> g_;
    const Examples* train_;
    EmbeddingProducts products_;
    std::size_t n_, B_, E_, H_, V_;
    std::size_t symbols_;               // rows of C
    xt::xtensor<float, 2> W2T_, dW2T_;  // (V, H) W2 and dW2, transposed
    xt::xtensor<float, 1> work_;        // (H,) scratch of the fused batchnorm step
    std::vector<std::uint8_t> packed_;  // (N, B + 1) the training set, a byte per symbol
    // by symbol: the batch's distinct symbols per position, and the products on them
    std::vector<std::size_t> slot_, distinct_, count_, members_, start_, cursor_;
    std::vector<int> slot_of_;
    std::vector<const float*> products_of_row_;  // (n, B) the rows of P that make up hprebn
    xt::xtensor<float, 2> Cu_, P_, Su_, dCu_;  // (B * S, E), (B * S, H), (B * S, H), (B * S, E)
    std::vector<std::int64_t> next_ix_;        // the next minibatch, drawn ahead
    const TorchGenerator* ahead_of_ = nullptr;  // the generator it was drawn from
    bool w2_stale_ = false;
    float loss_ = 0;
};

/// Batchnorm's statistics over a whole data set (`bnmean`, `bnvar` of the lecture).
struct BatchnormStats {
    xt::xtensor<float, 2> mean;  ///< (1, H)
    xt::xtensor<float, 2> var;   ///< (1, H) unbiased
};

/// The forward pass at inference time, with batchnorm's statistics fixed, over chunks of rows.
class Inference {
public:
    /// @param p    the trained parameters; must outlive this object
    /// @param rows the largest chunk
    Inference(const Params<float>& p, std::size_t rows)
        : p_(&p), E_(p.C.shape(1)), BE_(p.W1.shape(0)), H_(p.W1.shape(1)), V_(p.W2.shape(1)),
          embcat_(xt::xtensor<float, 2>::from_shape({rows, BE_})),
          hidden_(xt::xtensor<float, 2>::from_shape({rows, H_})),
          logits_(xt::xtensor<float, 2>::from_shape({rows, V_})),
          scratch_(xt::xtensor<float, 2>::from_shape({rows, V_})) {}

    /// `hprebn = C[X].view(rows, -1) @ W1 + b1` for `rows` contexts `X` (rows, B); returns the
    /// (rows, H) buffer.
    const float* hprebn(const std::int64_t* X, std::size_t rows) {
        const std::size_t B = BE_ / E_;
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t k = 0; k < B; ++k)
                std::copy_n(&p_->C(std::size_t(X[i * B + k]), 0), E_, &embcat_(i, k * E_));
        matmul(hidden_.data(), embcat_.data(), false, p_->W1.data(), false, rows, H_, BE_);
        float* x = hidden_.data();
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < H_; ++j) x[i * H_ + j] += p_->b1(j);
        return x;
    }

    /// The logits (rows, V) of `rows` contexts, with batchnorm's statistics `stats`:
    /// `hpreact = bngain * (hprebn - bnmean) * (bnvar + eps)**-0.5 + bnbias`, `tanh`, `@ W2 + b2`.
    const float* logits(const std::int64_t* X, std::size_t rows, const BatchnormStats& stats) {
        hprebn(X, rows);
        float* x = hidden_.data();
        std::vector<float>& inv = inv_;
        inv.resize(H_);
        batchnorm_inv_std(inv.data(), stats.var.data(), H_);
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < H_; ++j)
                x[i * H_ + j] =
                    p_->bngain(0, j) * ((x[i * H_ + j] - stats.mean(0, j)) * inv[j]) + p_->bnbias(0, j);
        tanh_rational(x, x, rows * H_);
        matmul(logits_.data(), x, false, p_->W2.data(), false, rows, V_, H_);
        float* z = logits_.data();
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < V_; ++j) z[i * V_ + j] += p_->b2(j);
        return z;
    }

    /// The mean cross-entropy of `rows` examples (chapter 21's pass; its gradient is discarded).
    float loss(const std::int64_t* X, const std::int64_t* Y, std::size_t rows,
               const BatchnormStats& stats) {
        const float* z = logits(X, rows, stats);
        return cross_entropy_backward(scratch_.data(), z, Y, rows, V_);
    }

private:
    const Params<float>* p_;
    std::size_t E_, BE_, H_, V_;
    xt::xtensor<float, 2> embcat_, hidden_, logits_, scratch_;
    std::vector<float> inv_;
};

/// Rows per chunk when a whole split goes through the network.
inline constexpr std::size_t eval_chunk = 4096;

/// The lecture's calibration: mean and unbiased variance of `embcat @ W1 + b1` over every row of
/// `data`, accumulated in double over chunks, rounded to float.
inline BatchnormStats calibrate_batchnorm(const Params<float>& p, const Examples& data) {
    const std::size_t N = data.Y.size(), H = p.W1.shape(1);
    if (N < 2) throw InputError("calibration needs at least 2 training examples");
    Inference net(p, eval_chunk);
    std::vector<double> sum(H, 0.0), sum2(H, 0.0);
    for (std::size_t at = 0; at < N; at += eval_chunk) {
        const std::size_t rows = std::min(eval_chunk, N - at);
        const float* x = net.hprebn(&data.X(at, 0), rows);
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < H; ++j) {
                const double v = x[i * H + j];
                sum[j] += v, sum2[j] += v * v;
            }
    }
    BatchnormStats s{xt::xtensor<float, 2>::from_shape({1, H}), xt::xtensor<float, 2>::from_shape({1, H})};
    for (std::size_t j = 0; j < H; ++j) {
        const double mean = sum[j] / double(N);
        s.mean(0, j) = float(mean);
        s.var(0, j) = float(std::max(0.0, (sum2[j] - double(N) * mean * mean) / double(N - 1)));
    }
    return s;
}

/// The lecture's `split_loss`: the mean loss over every row of `data`, batchnorm fixed to `stats`.
inline double split_loss(const Params<float>& p, const BatchnormStats& stats, const Examples& data) {
    const std::size_t N = data.Y.size();
    if (N == 0) throw InputError("split_loss: the split is empty");
    Inference net(p, eval_chunk);
    double total = 0;
    for (std::size_t at = 0; at < N; at += eval_chunk) {
        const std::size_t rows = std::min(eval_chunk, N - at);
        total += double(net.loss(&data.X(at, 0), &data.Y(at), rows, stats)) * double(rows);
    }
    return total / double(N);
}

/// One name from the trained network, as the lecture samples it: context `...`, then
/// `softmax(logits)` and `torch.multinomial` until `.`; the returned text ends with the `.`.
inline std::string sample_name(Inference& net, const BatchnormStats& stats, const Vocabulary& vocab,
                               std::size_t block_size, TorchGenerator& gen) {
    std::vector<std::int64_t> context(block_size, 0);
    std::vector<float> probs(vocab.size());
    std::string out;
    while (true) {
        const float* z = net.logits(context.data(), 1, stats);
        const float m = *std::max_element(z, z + probs.size());
        for (std::size_t j = 0; j < probs.size(); ++j) probs[j] = z[j] - m;
        exp_inplace(probs.data(), probs.size());
        float sum = 0;
        for (const float c : probs) sum += c;
        for (float& c : probs) c /= sum;  // F.softmax
        const auto ix = std::int64_t(gen.multinomial(probs.data(), probs.size()));
        std::rotate(context.begin(), context.begin() + 1, context.end());
        context.back() = ix;
        out += vocab.itos(ix);
        if (ix == 0) return out;
    }
}

/// The points of the loss curve: the mean of log10(loss) over each block of `block` steps
/// (a last, shorter block included).
inline std::vector<double> block_means_log10(const std::vector<float>& losses, std::size_t block) {
    std::vector<double> means;
    for (std::size_t at = 0; at < losses.size(); at += block) {
        const std::size_t end = std::min(losses.size(), at + block);
        double s = 0;
        for (std::size_t i = at; i < end; ++i) s += std::log10(double(losses[i]));
        means.push_back(s / double(end - at));
    }
    return means;
}

/// The block size of the loss curve: 1,000 steps as in the lecture, or steps/100 (at least 1)
/// for runs shorter than 100,000 steps, so that a short run still draws a curve.
inline std::size_t curve_block(std::size_t steps) {
    return steps >= 100000 ? 1000 : std::max<std::size_t>(1, steps / 100);
}

}  // namespace ninja
