/// @file
/// @brief Chapter 23, made fast: the same training step as train_step() (training.hpp) on
/// preallocated buffers, about ten times faster. What it computes is the same; how:
///
/// A step is six small matrix products (two forward, four backward, 1.1 million multiply-adds
/// in all) and elementwise work on a few (32, 200) blocks. PyTorch, which runs it as about a
/// hundred separate operations, takes several hundred microseconds; the class Trainer below
/// takes about 25 us on one core (BENCHMARKS.md at the root of the project has the
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
/// The test of chapter 23 holds this trainer to the plain loop, step by step on the same
/// batches, and both to PyTorch.
#pragma once

#include <string_view>
#include <vector>

#include "20_embedding_table/embedding_table.hpp"
#include "23_training/fast_math.hpp"
#include "common/error.hpp"

namespace ninja {

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
/// j, and \f$ S_{jv} = \sum_{i:\, X_{ij} = v} \mathrm{dhprebn}_i \f$ for the sum of the rows of
/// `dhprebn` whose context has symbol v at position j. Then, by linearity,
/// \f{align*}{
///   \mathrm{hprebn}_i &= b_1 + \sum_j C_{X_{ij}} W_1^{(j)},
///   \\ \mathrm{dW1}^{(j)} &= \sum_v C_v^\top S_{jv},
///   \\ \mathrm{dC}_v &= \sum_j S_{jv}\, W_1^{(j)\top}.
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
        : p_(std::move(params)),
          train_(&train),
          products_(products),
          n_(batch_size),
          B_(train.X.shape(1)),
          E_(p_.C.shape(1)),
          H_(p_.W1.shape(1)),
          V_(p_.W2.shape(1)),
          symbols_(p_.C.shape(0)) {
        if (n_ < 2)
            throw InputError(
                "the batch needs at least 2 examples: batchnorm's unbiased variance divides by "
                "n-1");
        if (p_.W1.shape(0) != B_ * E_)
            throw InputError("W1 does not match the context length of the data");
        const std::size_t n = n_, BE = B_ * E_, H = H_, V = V_, BS = B_ * symbols_;
        if (train.Y.size() > 0 &&
            (std::size_t(xt::amax(train.X)()) >= symbols_ || std::size_t(xt::amax(train.Y)()) >= V))
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
        // The minibatch rows are random: 64 cache misses a step in the contexts X and the
        // targets Y, two arrays. With a vocabulary of at most 256 symbols, a byte per symbol
        // packs a row's context and target side by side, (B + 1) bytes a row (730 kB for
        // names.txt), which stays in cache.
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

    /// `ix = torch.randint(0, N, (n,), generator=g)`, then `Xb, Yb = X[ix], Y[ix]`.
    ///
    /// The trainer draws one minibatch ahead: this call uses the indices drawn by the previous
    /// call with the same generator, and draws the next batch's now, so that their rows of the
    /// training set can be fetched into the cache while this step computes. The indices are the
    /// same, in the same order, as drawing each batch when it is used; only the generator runs
    /// one batch ahead of the training.
    void draw_batch(TorchGenerator& gen);

    /// Uses the rows `ix[0..n)` of the training set as the minibatch (and forgets a batch
    /// drawn ahead).
    void set_batch(const std::int64_t* ix);

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
        loss_ = cross_entropy_backward_fast(g_.dlogits.data(), logits, batch.Yb.data(), n, V);
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
        for_each_parameter(
            [lr](const char*, auto& param, const auto& grad) { sgd(param, grad, lr); });
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

    Batch batch;       ///< the current minibatch
    Forward<float> f;  ///< the forward intermediates of the compact pass (see the class comment)

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
            matmul(W2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n, -*fold_lr,
                   1.0f);
        else
            matmul(dW2T_.data(), g_.dlogits.data(), true, f.h.data(), false, V, H, n);
        probe(TrainStage::backward_gemm);
        column_sums(g_.db2.data(), g_.dlogits.data(), n, V);
        const float* h = f.h.data();
        const float* dh = g_.dh.data();
        float* dhpreact = g_.dhpreact.data();
        // Chapters 10 and 22: dhpreact = (1 - h**2) * dh with the sums dbngain and dbnbias
        // (chapter 11's gradients) in the same sweep, then dhprebn
        tanh_batchnorm_sums(dhpreact, g_.dbngain.data(), g_.dbnbias.data(), h, dh, f.bnraw.data(),
                            n, H);
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
    void batchnorm_tanh();

    /// emb = C[Xb]; embcat = emb.view(n, -1): the rows of C side by side.
    void embed();

    /// The distinct symbols of each context position in the batch: `distinct_[j * S + u]` is
    /// the u-th, `count_[j]` their number, `slot_[i * B + j]` the u of example i, and
    /// `members_[j * n + start_[j * (S + 1) + u] ...]` the examples that have it, in increasing
    /// order. (Locals again, as in set_batch().)
    void index_symbols();

    /// For every position j: `Cu_` gets the rows of C of its distinct symbols, and `P_` their
    /// products with W1's rows for position j.
    void symbol_products();

    /// Chapters 18, 19 and 20 as written.
    template <class Probe>
    void embedding_backward_as_chapters(Probe& probe, const float* fold_lr);

    /// The same gradients by symbol (see the class comment): the scatter-add of chapter 20
    /// first, on the rows of dhprebn, then chapter 18's two products on the merged rows.
    template <class Probe>
    void embedding_backward_by_symbol(Probe& probe, const float* fold_lr);

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
    xt::xtensor<float, 2> Cu_, P_, Su_, dCu_;    // (B * S, E), (B * S, H), (B * S, H), (B * S, E)
    std::vector<std::int64_t> next_ix_;          // the next minibatch, drawn ahead
    const TorchGenerator* ahead_of_ = nullptr;   // the generator it was drawn from
    bool w2_stale_ = false;
    float loss_ = 0;
};

}  // namespace ninja

#include "23_training/fast_trainer_parts.hpp"  // the longer private member functions
