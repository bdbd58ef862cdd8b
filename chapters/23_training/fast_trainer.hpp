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
///   BLAS thread (blas.hpp);
/// - W2 is kept transposed, so that its three products run along H = 200 rather than V = 27;
/// - the three products with `embcat` go by symbol: a batch holds about 40 distinct
///   (position, symbol) pairs among its 96 context entries, and each is multiplied once
///   (products_by_symbol.hpp says why this is the same sum);
/// - the SGD update of W1 and W2 is folded into the products that compute their gradients;
/// - the elementwise work runs in a few sweeps over contiguous rows on SIMD vectors
///   (common/simd.hpp): tanh as a rational function fitted for it (simd_maps.hpp), the loss and
///   `dlogits` with chapter 21's fast pass (`cross_entropy_backward_fast`), and chapter 22's
///   fast step (`batchnorm_backward_fast`) with chapter 10's step computed inside its first
///   sweep;
/// - the training set is packed into a byte per symbol, and the next minibatch is drawn one
///   step ahead so that its rows are already in the cache.
///
/// The test of chapter 23 holds this trainer to the plain loop, step by step on the same
/// batches, and both to PyTorch.
#pragma once

#include <cstdint>
#include <vector>

#include "23_training/products_by_symbol.hpp"
#include "23_training/train_stages.hpp"
#include "common/model.hpp"

namespace ninja {

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
/// **The embedding products go by symbol** (EmbeddingProducts::by_symbol): each product of a
/// row of C with W1's rows for a context position is computed once per distinct (position,
/// symbol) pair of the batch, about 40 of its 96 context entries, and the backward products
/// likewise on the merged rows (ProductsBySymbol, products_by_symbol.hpp, says why this is the
/// same sum). EmbeddingProducts::as_chapters runs the chapters' products as written, for
/// comparison.
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
            EmbeddingProducts products = EmbeddingProducts::by_symbol);

    /// One whole step: minibatch from `gen`, forward, backward, update with `lr`; returns the
    /// loss before the update. `probe(stage)` is called as each stage ends. The updates of W1
    /// and W2 are folded into the products that compute their gradients (see backward_pass()),
    /// so after step() grads() holds every gradient of the step but dW1 and dW2; forward(),
    /// backward() and update() do the same step with all of them.
    float step(TorchGenerator& gen, float lr, const StageProbe& probe = {});

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
    float forward(const StageProbe& probe = {});

    /// The backward pass: every gradient, from the dlogits that forward() left.
    void backward(const StageProbe& probe = {}) { backward_pass(probe, nullptr); }

    /// SGD: `p -= lr * grad` for the seven parameters.
    void update(float lr);

    /// Calls `fn(name, parameter, gradient)` for the seven parameters, W2 and its gradient in
    /// the trainer's transposed layout.
    template <class F>
    void for_each_parameter(F&& fn) {
        fn("C", p_.C, g_.dC), fn("W1", p_.W1, g_.dW1), fn("b1", p_.b1, g_.db1);
        fn("W2", W2T_, dW2T_), fn("b2", p_.b2, g_.db2);
        fn("bngain", p_.bngain, g_.dbngain), fn("bnbias", p_.bnbias, g_.dbnbias);
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

private:
    /// The backward pass. With `fold_lr`, the two largest gradients, dW1 and dW2, are not
    /// stored: their products add `-lr * gradient` straight into W1 and W2 (sgemm with
    /// alpha = -lr and beta = 1), which is their SGD update, and saves writing and reading
    /// 11,400 gradients a step. (The products that need the old W1 and W2 run first.)
    void backward_pass(const StageProbe& probe, const float* fold_lr);

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

    /// Chapters 18, 19 and 20 as written.
    void embedding_backward_as_chapters(const StageProbe& probe, const float* fold_lr);

    /// Copies W2 and dW2 back from W2T and dW2T when a step changed them.
    void sync();

    Params<float> p_;
    Grads<float> g_;
    const Examples* train_;
    EmbeddingProducts products_;
    std::size_t n_, B_, E_, H_, V_;
    std::size_t symbols_;                       // rows of C
    xt::xtensor<float, 2> W2T_, dW2T_;          // (V, H) W2 and dW2, transposed
    xt::xtensor<float, 1> work_;                // (H,) scratch of the fused batchnorm step
    std::vector<std::uint8_t> packed_;          // (N, B + 1) the training set, a byte per symbol
    ProductsBySymbol by_symbol_;                // the products with embcat, by symbol
    std::vector<std::int64_t> next_ix_;         // the next minibatch, drawn ahead
    const TorchGenerator* ahead_of_ = nullptr;  // the generator it was drawn from
    bool w2_stale_ = false;
    float loss_ = 0;
};

}  // namespace ninja
