/// @file
/// @brief The lecture's training step as the phases of one persistent CUDA kernel: plain
/// functions, which kernels/train.cu runs on the GPU and tests/step_executor.hpp runs on the CPU.
/// What the phases work on (TrainLaunch, Block, share()) is in kernels/train_block.hpp; where
/// each tensor lives, in kernels/train_layout.hpp.
///
/// @section gpu_step_map How the step maps onto the GPU
/// One kernel launch runs many steps (a chunk of 10,000 by default) with every parameter on
/// chip. Its grid has G thread blocks of T threads (train_layout.hpp's TrainPlan; at the
/// lecture's sizes G = 13, T = 256). Block g owns the hidden columns [g*c, g*c + c) (c = 16):
/// their columns of W1, rows of W2, and entries of b1, bngain, bnbias live in the block's
/// shared memory for the whole launch, with a copy of C and b2 in every block. A hidden column
/// is independent of the others from `hprebn` to `h` (batchnorm normalises each column on its
/// own) and again from `dh` back to `dhprebn`, so each block computes its columns alone. Two
/// things need every column: `logits = h @ W2` and `dembcat = dhprebn @ W1.T`. Each block
/// writes its part of these sums into the exchange (device memory), every block waits at a
/// grid barrier, then adds up all the parts itself. C and b2 are updated by every block in the
/// same way, from the same data, in the same order, so their copies stay identical.
///
/// Every thread of block g runs the same phases in the same order: a phase is a plain function
/// `phase(block, t, step)` of the block and the thread's index t = threadIdx.x, and
/// for_each_phase() lists them with the barrier that ends each:
/// - Sync::block is `__syncthreads()`: what the block's threads wrote to shared memory in a
///   phase, every thread of the block may read in the next ones;
/// - Sync::grid is `cooperative_groups::this_grid().sync()` (the kernel is launched with
///   cudaLaunchCooperativeKernel, every block resident at once): what any block wrote to the
///   exchange, every block may read after it. Exchange reads go through load_exchanged(),
///   which bypasses the multiprocessor's L1 cache.
///
/// Within a phase, a thread touches only its share of the items (share(): items t, t + T, ...),
/// and no thread reads what another writes in the same phase. So the result cannot depend on
/// the order in which threads and blocks run between two barriers, and a CPU can run a launch
/// one thread after another: tests/step_executor.hpp does so, block by block between grid
/// barriers and thread by thread between block barriers, in both orders, and the results must
/// agree bit for bit.
///
/// @section gpu_step_cost What a step should cost (n = 32, H = 200, on an H100 / H200)
/// Expected from first principles, not measured (tools/gpu-check.sh measures it):
/// - launches: one per chunk, 20 for 200,000 steps; the host draws the next chunk's minibatch
///   indices while the GPU runs this one. Nothing per step.
/// - barriers: 2 grid barriers (each an atomic on L2 and a poll, about 1 us) and 12 block
///   barriers (tens of ns each): about 2.5 us.
/// - arithmetic: the six matrix products, 1.1 million multiply-adds, spread over 13
///   multiprocessors: 85,000 each, with both operands in shared memory (two 4-byte loads per
///   multiply-add; a multiprocessor serves about one warp-wide load per cycle): about 5,300
///   cycles, 2.8 us at 1.9 GHz. The rest of the arithmetic (batchnorm, tanh, softmax, SGD) is
///   about 20,000 operations per block, but partly in loops down a column's 32 rows or along a
///   row's 27 logits, where one thread waits for each load: about 1 us.
/// - device memory (L2): per step each block reads the 13 blocks' parts of `logits` and of
///   the `dembcat` rows it needs (about 45 kB each) and its minibatch rows (1.3 kB), and
///   writes its own parts (7 kB): about 1 us at one multiprocessor's share of L2 bandwidth.
///   No parameter leaves the chip during a launch.
///
/// So about 7-8 us a step, 1.5 s for 200,000 steps: within the target of 10 us a step, against
/// the CPU thread's 24.5 us, and PyTorch's eager loop of about a hundred kernel launches a step
/// (several hundred microseconds). The next lever, if the products dominate: each thread
/// computing a 2x2 tile of outputs, which halves the loads per multiply-add.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/elementwise.hpp"
#include "kernels/train_block.hpp"

namespace ninja::gpu {

// ---- the phases, in the order they run -------------------------------------------------------

/// Before the first step of a launch: the block's parameters into shared memory.
NINJA_HD inline void load_params(const Block& b, int t, const Step&) {
    for_each_param_element(b, t, [](float& chip, const float& memory, bool) { chip = memory; });
}

/// After the last step: the block's parameters back (C and b2 from block 0's copy).
NINJA_HD inline void store_params(const Block& b, int t, const Step&) {
    for_each_param_element(b, t, [&](const float& chip, float& memory, bool every_block) {
        if (!every_block || b.g == 0) memory = chip;
    });
}

/// 1. The minibatch: `Xb, Yb = X[ix], Y[ix]`, one thread per row.
NINJA_HD inline void gather_batch(const Block& b, int t, const Step& s) {
    const int n = b.d.n, B = b.d.B;
    const std::int64_t* ix = b.ix + std::int64_t(s.local) * n;
    share(b, t, n, [&](int i) {
        const std::int64_t row = ix[i];
        for (int k = 0; k < B; ++k) b.s.Xb[i * B + k] = std::int32_t(b.X[row * B + k]);
        b.s.Yb[i] = std::int32_t(b.Y[row]);
    });
}

/// 2. `hprebn = embcat @ W1 + b1` on the block's columns, one thread per element (n, c);
/// `embcat = C[Xb].view(n, -1)` is read through Xb, never stored.
NINJA_HD inline void hidden_preactivation(const Block& b, int t, const Step&) {
    const int B = b.d.B, E = b.d.E, c = b.c;
    share(b, t, b.d.n * c, [&](int k) {
        const int i = k / c, jj = k % c;
        float sum = 0.0f;
        for (int pos = 0; pos < B; ++pos) {
            const float* emb = b.s.C + b.s.Xb[i * B + pos] * E;  // emb[i, pos, :]
            const float* w = b.s.W1 + pos * E * c + jj;          // W1[pos*E + e, jj]
            for (int e = 0; e < E; ++e) sum += emb[e] * w[e * c];
        }
        b.s.bnraw[k] = sum + b.s.b1[jj];  // hprebn, until batchnorm_tanh
    });
}

/// 3. `bnmeani`, `bnvar` (unbiased) and `bnvar_inv` of each column, one thread per column
/// down its n rows.
NINJA_HD inline void batchnorm_statistics(const Block& b, int t, const Step&) {
    const int n = b.d.n, c = b.c;
    share(b, t, c, [&](int jj) {
        const float* hprebn = b.s.bnraw + jj;  // column jj: every c-th element
        float sum = 0.0f;
        for (int i = 0; i < n; ++i) sum += hprebn[i * c];
        const float bnmeani = (1.0f / float(n)) * sum;
        float sum2 = 0.0f;
        for (int i = 0; i < n; ++i) {
            const float bndiff = hprebn[i * c] - bnmeani;
            sum2 += bndiff * bndiff;
        }
        b.s.bnmeani[jj] = bnmeani;
        b.s.bnvar_inv[jj] = math::bnvar_inv((1.0f / float(n - 1)) * sum2);
    });
}

/// 4. `bnraw = bndiff * bnvar_inv`, `hpreact = bngain * bnraw + bnbias`, `h = tanh(hpreact)`.
NINJA_HD inline void batchnorm_tanh(const Block& b, int t, const Step&) {
    const int c = b.c;
    share(b, t, b.d.n * c, [&](int k) {
        const int jj = k % c;
        const float bnraw = (b.s.bnraw[k] - b.s.bnmeani[jj]) * b.s.bnvar_inv[jj];
        b.s.bnraw[k] = bnraw;
        b.s.h[k] = tanhf(b.s.bngain[jj] * bnraw + b.s.bnbias[jj]);
    });
}

/// 5. The block's part of `logits = h @ W2`, the sum over its columns, into the exchange.
NINJA_HD inline void logits_part(const Block& b, int t, const Step&) {
    const int V = b.d.V, c = b.c;
    float* part = b.x.logits_partials + b.g * b.d.n * V;
    share(b, t, b.d.n * V, [&](int k) {
        const int i = k / V, v = k % V;
        float sum = 0.0f;
        for (int jj = 0; jj < c; ++jj) sum += b.s.h[i * c + jj] * b.s.W2[jj * V + v];
        part[k] = sum;
    });
}

/// 6. `logits = h @ W2 + b2`: the blocks' parts added up.
NINJA_HD inline void logits(const Block& b, int t, const Step&) {
    const int count = b.d.n * b.d.V;
    share(b, t, count, [&](int k) {
        float sum = 0.0f;
        for (int g = 0; g < b.G; ++g) sum += load_exchanged(b.x.logits_partials + g * count + k);
        b.s.logits[k] = sum + b.s.b2[k % b.d.V];
    });
}

/// 7. Chapter 21, per row: the maximum, the sum of the shifted exponentials, and the row's
/// term of the loss, `-log softmax(logits)[i, Yb[i]]`. One thread per row.
NINJA_HD inline void cross_entropy_rows(const Block& b, int t, const Step&) {
    const int V = b.d.V;
    share(b, t, b.d.n, [&](int i) {
        const float* z = b.s.logits + i * V;
        float m = z[0];
        for (int v = 1; v < V; ++v) m = fmaxf(m, z[v]);
        float sum = 0.0f;
        for (int v = 0; v < V; ++v) sum += expf(z[v] - m);
        b.s.row_max[i] = m, b.s.row_sum[i] = sum;
        b.s.row_loss[i] = logf(sum) - (z[b.s.Yb[i]] - m);
    });
}

/// 8. Chapter 21: `dlogits = (softmax(logits) - onehot(Yb)) / n`, written over the logits.
/// Block 0's thread 0 records the step's loss, the mean of the rows' terms.
NINJA_HD inline void cross_entropy_grad(const Block& b, int t, const Step& s) {
    const int n = b.d.n, V = b.d.V;
    share(b, t, n * V, [&](int k) {
        const int i = k / V;
        const float e = expf(b.s.logits[k] - b.s.row_max[i]);
        b.s.logits[k] = math::dlogits_fused(e, b.s.row_sum[i], k % V == b.s.Yb[i], n);
    });
    if (b.g != 0 || t != 0) return;
    float sum = 0.0f;
    for (int i = 0; i < n; ++i) sum += b.s.row_loss[i];
    b.losses[s.local] = sum / float(n);
}

/// 9. Chapter 09: `dh = dlogits @ W2.T` on the block's columns; and `b2 -= lr * db2` with
/// `db2 = dlogits.sum(0)`.
NINJA_HD inline void hidden_grad(const Block& b, int t, const Step& s) {
    const int n = b.d.n, V = b.d.V, c = b.c;
    const float* dlogits = b.s.logits;
    share(b, t, n * c, [&](int k) {
        const int i = k / c, jj = k % c;
        float sum = 0.0f;
        for (int v = 0; v < V; ++v) sum += dlogits[i * V + v] * b.s.W2[jj * V + v];
        b.s.grad[k] = sum;  // dh
    });
    share(b, t, V, [&](int v) {
        float db2 = 0.0f;
        for (int i = 0; i < n; ++i) db2 += dlogits[i * V + v];
        b.s.b2[v] = math::sgd(b.s.b2[v], db2, s.lr);
    });
}

/// 10. Chapter 09: `W2 -= lr * dW2` with `dW2 = h.T @ dlogits` on the block's rows of W2.
/// Chapter 10 and chapter 22's sums, one thread per column down its rows:
/// `dhpreact = (1 - h**2) * dh` over dh, `dbnbias = dhpreact.sum(0)`,
/// `dbngain = (bnraw * dhpreact).sum(0)`.
NINJA_HD inline void second_layer_update(const Block& b, int t, const Step& s) {
    const int n = b.d.n, V = b.d.V, c = b.c;
    share(b, t, c * V, [&](int k) {
        const int jj = k / V, v = k % V;
        float dW2 = 0.0f;
        for (int i = 0; i < n; ++i) dW2 += b.s.h[i * c + jj] * b.s.logits[i * V + v];
        b.s.W2[k] = math::sgd(b.s.W2[k], dW2, s.lr);
    });
    share(b, t, c, [&](int jj) {
        float dbnbias = 0.0f, dbngain = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int k = i * c + jj;
            const float dhpreact = math::dhpreact(b.s.h[k], b.s.grad[k]);
            b.s.grad[k] = dhpreact;
            dbnbias += dhpreact;
            dbngain += math::dbngain_term(b.s.bnraw[k], dhpreact);
        }
        b.s.dbnbias[jj] = dbnbias, b.s.dbngain[jj] = dbngain;
    });
}

/// 11. Chapter 22: `dhprebn`, the fused batchnorm backward, written over dhpreact.
NINJA_HD inline void batchnorm_grad(const Block& b, int t, const Step&) {
    const int c = b.c;
    share(b, t, b.d.n * c, [&](int k) {
        const int jj = k % c;
        b.s.grad[k] = math::dhprebn_fused(b.s.bngain[jj], b.s.bnvar_inv[jj], b.d.n, b.s.grad[k],
                                          b.s.dbnbias[jj], b.s.bnraw[k], b.s.dbngain[jj]);
    });
}

/// 12. Chapter 18: the block's part of `dembcat = dhprebn @ W1.T` into the exchange, and
/// `b1 -= lr * db1` with `db1 = dhprebn.sum(0)`; chapter 22's `bngain -= lr * dbngain`,
/// `bnbias -= lr * dbnbias`.
NINJA_HD inline void embedding_grad_part(const Block& b, int t, const Step& s) {
    const int n = b.d.n, BE = b.BE, c = b.c;
    const float* dhprebn = b.s.grad;
    float* part = b.x.dembcat_partials + b.g * n * BE;
    share(b, t, n * BE, [&](int k) {
        const int i = k / BE, r = k % BE;
        float sum = 0.0f;
        for (int jj = 0; jj < c; ++jj) sum += dhprebn[i * c + jj] * b.s.W1[r * c + jj];
        part[k] = sum;
    });
    share(b, t, c, [&](int jj) {
        float db1 = 0.0f;
        for (int i = 0; i < n; ++i) db1 += dhprebn[i * c + jj];
        b.s.b1[jj] = math::sgd(b.s.b1[jj], db1, s.lr);
        b.s.bngain[jj] = math::sgd(b.s.bngain[jj], b.s.dbngain[jj], s.lr);
        b.s.bnbias[jj] = math::sgd(b.s.bnbias[jj], b.s.dbnbias[jj], s.lr);
    });
}

/// 13. Chapter 18: `W1 -= lr * dW1` with `dW1 = embcat.T @ dhprebn` on the block's columns,
/// embcat read through Xb from C (not yet updated).
NINJA_HD inline void first_layer_update(const Block& b, int t, const Step& s) {
    const int n = b.d.n, B = b.d.B, E = b.d.E, c = b.c;
    share(b, t, b.BE * c, [&](int k) {
        const int r = k / c, jj = k % c, pos = r / E, e = r % E;
        float dW1 = 0.0f;
        for (int i = 0; i < n; ++i)
            dW1 += b.s.C[b.s.Xb[i * B + pos] * E + e] * b.s.grad[i * c + jj];
        b.s.W1[k] = math::sgd(b.s.W1[k], dW1, s.lr);
    });
}

/// 14. Chapters 19 and 20: `C -= lr * dC`, where row v of dC adds up the rows of
/// `demb = dembcat.view(n, B, E)` whose context entry is v, each the sum of the blocks' parts.
NINJA_HD inline void embedding_update(const Block& b, int t, const Step& s) {
    const int E = b.d.E, lookups = b.d.n * b.d.B, part = b.d.n * b.BE;
    share(b, t, b.d.V * E, [&](int k) {
        const int v = k / E, e = k % E;
        float dC = 0.0f;
        for (int l = 0; l < lookups; ++l) {  // l = i * B + pos: demb[i, pos, e] is dembcat[l*E + e]
            if (b.s.Xb[l] != v) continue;
            float demb = 0.0f;
            for (int g = 0; g < b.G; ++g)
                demb += load_exchanged(b.x.dembcat_partials + g * part + l * E + e);
            dC += demb;
        }
        b.s.C[k] = math::sgd(b.s.C[k], dC, s.lr);
    });
}

/// One training step: run(phase, sync) for its phases in order, each with the barrier that
/// ends it.
template <class Run>
NINJA_HD void for_each_phase(Run&& run) {
    run(gather_batch, Sync::block);
    run(hidden_preactivation, Sync::block);
    run(batchnorm_statistics, Sync::block);
    run(batchnorm_tanh, Sync::block);
    run(logits_part, Sync::grid);
    run(logits, Sync::block);
    run(cross_entropy_rows, Sync::block);
    run(cross_entropy_grad, Sync::block);
    run(hidden_grad, Sync::block);
    run(second_layer_update, Sync::block);
    run(batchnorm_grad, Sync::block);
    run(embedding_grad_part, Sync::block);
    run(first_layer_update, Sync::grid);
    run(embedding_update, Sync::block);
}

/// One launch of `count` steps: run(phase, local step, sync) for everything the kernel runs, in
/// order: load_params, the steps' phases, store_params.
template <class Run>
NINJA_HD void for_each_phase_of_launch(int count, Run&& run) {
    run(load_params, 0, Sync::block);
    for (int local = 0; local < count; ++local)
        for_each_phase([&](Phase phase, Sync sync) { run(phase, local, sync); });
    run(store_params, 0, Sync::end);
}

}  // namespace ninja::gpu
