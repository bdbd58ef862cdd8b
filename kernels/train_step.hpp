/// @file
/// @brief The lecture's training step as the phases of one persistent CUDA kernel: plain
/// functions, which kernels/train.cu runs on the GPU and tests/step_executor.hpp runs on the CPU.
/// What the phases work on (TrainLaunch, Block, share()) is in kernels/train_block.hpp; where
/// each tensor lives, in kernels/train_layout.hpp.
///
/// @section gpu_step_map How the step maps onto the GPU
/// One kernel launch runs many steps (a chunk of 10,000 by default) with every parameter on
/// chip. Its grid has G thread blocks of T threads (train_layout.hpp's TrainPlan; at the
/// lecture's sizes G = 13, T = 512). Block g owns the hidden columns [g*c, g*c + c) (c = 16):
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
/// `phase(block, t, step)` of the block and the thread's index t = threadIdx.x, and the table
/// step_phases lists them with the barrier that ends each. The kernel runs that table, entry by
/// entry; the CPU executor (tests/step_executor.hpp) replays the same table, so an entry out of
/// order or without its barrier fails tests/test_fused_step.cpp (which shows it does for every
/// entry). The barriers:
/// - Sync::block is `__syncthreads()`: what the block's threads wrote to shared memory in a
///   phase, every thread of the block may read in the next ones;
/// - Sync::grid is `cooperative_groups::this_grid().sync()` (the kernel is launched with
///   cudaLaunchCooperativeKernel, every block resident at once): what any block wrote to the
///   exchange, every block may read after it. Exchange reads go through load_exchanged(),
///   which bypasses the multiprocessor's L1 cache;
/// - Sync::none: the next phase neither reads what this one writes nor writes what it reads.
///
/// Within a phase, a thread touches only its share of the items (share(): items t, t + T, ...;
/// share_groups(): an item per group of 16 or 32 lanes of one warp), and no thread reads what
/// another writes in the same phase; the lanes of a group exchange values only through warp
/// shuffles (lanes_combine). So the result cannot depend on the order in which threads and
/// blocks run between two barriers, and a CPU can run a launch one thread after another:
/// tests/step_executor.hpp does so, block by block between grid barriers and thread by thread
/// between block barriers (each thread through every phase up to the next barrier), in both
/// orders, and the results must agree bit for bit.
///
/// @section gpu_step_unchecked What the CPU executor cannot check
/// The executor runs this code as C++ on the CPU. What only the GPU shows, and
/// tools/gpu-check.sh checks on one (the GPU tests against the same bounds, compute-sanitizer's
/// memcheck, racecheck and synccheck, the 200,000-step run against the CPU's losses):
/// - warp-level semantics: that every lane of a warp reaches each `__shfl_xor_sync` (the executor
///   computes a group's values without shuffles), and that the shuffles' butterfly gives the
///   bits the executor's copy of it gives;
/// - memory ordering: that `__syncthreads()` and the grid barrier make the writes before them
///   visible after them, and that exchange reads bypass L1 (load_exchanged);
/// - floating point: nvcc contracts `a * b + c` into one fused multiply-add, and the GPU's
///   expf, logf and tanhf differ from glibc's by a few units in the last place (the bounds of
///   tests/fused_step_check.hpp allow for both);
/// - resources: registers within `__launch_bounds__(max_threads, 1)` without spills (the CUDA build
///   warns on spills, and warnings are errors in CI), shared memory within the device's limit,
///   every block resident at once (checked at launch).
///
/// @section gpu_step_cost What a step costs
/// BENCHMARKS.md ("The GPU") gives the cost model of a step at n = 32, H = 200, phase by phase:
/// dependent round trips to L2, passes over shared memory, barriers; `bench_gpu_training
/// --phases` measures each phase on a GPU.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/elementwise.hpp"
#include "kernels/train_block.hpp"

namespace ninja::gpu {

// ---- the phases, in the order they run -------------------------------------------------------

/// `Xb, Yb = X[ix], Y[ix]` for step `local` of the launch: a thread per lookup and per row.
NINJA_HD inline void gather_batch(const Block& b, int t, int local) {
    const int n = b.d.n, B = b.d.B;
    const std::int64_t* ix = b.ix + std::int64_t(local) * n;
    share(b, t, n * B, [&](int l) { b.s.Xb[l] = std::int32_t(b.X[ix[l / B] * B + l % B]); });
    share(b, t, n, [&](int i) { b.s.Yb[i] = std::int32_t(b.Y[ix[i]]); });
}

/// Before the first step of a launch: the block's parameters into shared memory, and the first
/// step's minibatch.
NINJA_HD inline void load_params(const Block& b, int t, const Step& s) {
    for_each_param_element(b, t, [](float& chip, const float& memory, bool) { chip = memory; });
    gather_batch(b, t, s.local);
}

/// After the last step: the block's parameters back (C and b2 from block 0's copy).
NINJA_HD inline void store_params(const Block& b, int t, const Step&) {
    for_each_param_element(b, t, [&](const float& chip, float& memory, bool every_block) {
        if (!every_block || b.g == 0) memory = chip;
    });
}

/// 1. For chapter 20's `dC`: which lookups of the minibatch are each symbol, as bits (word w of
/// symbol v: bit j is set when `Xb.flat[32 w + j] == v`). A thread per word.
NINJA_HD inline void symbol_lookups(const Block& b, int t, const Step&) {
    const int count = b.d.n * b.d.B, W = lookup_words(count);
    share(b, t, b.d.V * W, [&](int k) {
        const int v = k / W, first = 32 * (k % W);
        std::uint32_t bits = 0;
        for (int j = 0; j < 32 && first + j < count; ++j)
            if (b.s.Xb[first + j] == v) bits |= std::uint32_t(1) << j;
        b.s.symbol_bits[k] = bits;
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
        b.s.hprebn[k] = sum + b.s.b1[jj];
    });
}

/// 3. Batchnorm and tanh, a group of 32 lanes per column (lane l takes rows l, l + 32, ...):
/// `bnmeani`, `bnvar` (unbiased) and `bnvar_inv` as sums of the lanes, then each lane's rows of
/// `bnraw = (hprebn - bnmeani) * bnvar_inv`, `hpreact = bngain * bnraw + bnbias`, `h = tanh`.
NINJA_HD inline void batchnorm_forward(const Block& b, int t, const Step&) {
    const int n = b.d.n, c = b.c;
    share_groups<32>(b, t, c, [&](const Lane& g) {
        const int jj = g.item;
        const float* hprebn = b.s.hprebn + jj;  // column jj: every c-th element
        const float bnmeani =
            (1.0f / float(n)) * lanes_sum<32>(g, n, [&](int i) { return hprebn[i * c]; });
        const float bnvar = (1.0f / float(n - 1)) * lanes_sum<32>(g, n, [&](int i) {
                                const float bndiff = hprebn[i * c] - bnmeani;
                                return bndiff * bndiff;
                            });
        const float bnvar_inv = math::bnvar_inv(bnvar);
        if (!g.active) return;
        for (int i = g.lane; i < n; i += 32) {
            const int k = i * c + jj;
            const float bnraw = (b.s.hprebn[k] - bnmeani) * bnvar_inv;
            b.s.bnraw[k] = bnraw;
            b.s.h[k] = tanhf(b.s.bngain[jj] * bnraw + b.s.bnbias[jj]);
        }
        if (g.lane == 0) b.s.bnvar_inv[jj] = bnvar_inv;
    });
}

/// 4. The block's part of `logits = h @ W2`, the sum over its columns, into the exchange.
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

/// out[k] = the sum over the G blocks of parts[g * count + k], for k < count, a thread per two
/// elements (sum_over_blocks: every load of a batch issued before its additions).
template <class Out>
NINJA_HD void sum_parts(const Block& b, int t, const float* parts, int count, Out&& out) {
    share(b, t, (count + 1) / 2, [&](int q) {
        const int k[2] = {2 * q, 2 * q + 1 < count ? 2 * q + 1 : -1};
        float sums[2];
        sum_over_blocks(b, parts, count, k, sums);
        for (int j = 0; j < 2; ++j)
            if (k[j] >= 0) out(k[j], sums[j]);
    });
}

/// 5. `logits = h @ W2 + b2`: the blocks' parts added up, into scratch.
NINJA_HD inline void logits(const Block& b, int t, const Step&) {
    const int V = b.d.V;
    sum_parts(b, t, b.x.logits_partials, b.d.n * V,
              [&](int k, float sum) { b.s.scratch[k] = sum + b.s.b2[k % V]; });
}

/// 6. Chapter 21, a group of 16 lanes per row (lane l holds logits l and l + 16): the row's
/// maximum and the sum of its shifted exponentials, combined across the lanes, and the row's
/// term of the loss, `-log softmax(logits)[i, Yb[i]]`.
NINJA_HD inline void cross_entropy_rows(const Block& b, int t, const Step&) {
    const int V = b.d.V;
    share_groups<16>(b, t, b.d.n, [&](const Lane& g) {
        const float* z = b.s.scratch + g.item * V;  // logits[i, :]
        const auto logit = [&](int v) { return v < V ? z[v] : -INFINITY; };
        const auto largest = [&](int l) { return fmaxf(logit(l), logit(l + 16)); };
        const float m = lanes_combine<16>(g.lane, largest(g.lane), largest, Larger{});
        const auto exp_sum = [&](int l) { return expf(logit(l) - m) + expf(logit(l + 16) - m); };
        const float sum = lanes_combine<16>(g.lane, exp_sum(g.lane), exp_sum, Plus{});
        if (!g.active || g.lane != 0) return;
        b.s.row_max[g.item] = m, b.s.row_sum[g.item] = sum;
        b.s.row_loss[g.item] = logf(sum) - (z[b.s.Yb[g.item]] - m);
    });
}

/// 7. Chapter 21: `dlogits = (softmax(logits) - onehot(Yb)) / n`, written over the logits.
NINJA_HD inline void cross_entropy_grad(const Block& b, int t, const Step&) {
    const int n = b.d.n, V = b.d.V;
    share(b, t, n * V, [&](int k) {
        const int i = k / V;
        const float e = expf(b.s.scratch[k] - b.s.row_max[i]);
        b.s.scratch[k] = math::dlogits_fused(e, b.s.row_sum[i], k % V == b.s.Yb[i], n);
    });
}

/// 8. Chapter 09: `dh = dlogits @ W2.T` on the block's columns, and chapter 10 at once:
/// `dhpreact = (1 - h**2) * dh`. Chapter 09's `b2 -= lr * db2` with `db2 = dlogits.sum(0)`, a
/// group of 16 lanes per column. Block 0 records the step's loss, the mean of the rows' terms.
NINJA_HD inline void hidden_grad(const Block& b, int t, const Step& s) {
    const int n = b.d.n, V = b.d.V, c = b.c;
    const float* dlogits = b.s.scratch;
    share(b, t, n * c, [&](int k) {
        const int i = k / c, jj = k % c;
        float dh = 0.0f;
        for (int v = 0; v < V; ++v) dh += dlogits[i * V + v] * b.s.W2[jj * V + v];
        b.s.dhpreact[k] = math::dhpreact(b.s.h[k], dh);
    });
    share_groups<16>(b, t, V, [&](const Lane& g) {
        const float db2 = lanes_sum<16>(g, n, [&](int i) { return dlogits[i * V + g.item]; });
        if (g.active && g.lane == 0) b.s.b2[g.item] = math::sgd(b.s.b2[g.item], db2, s.lr);
    });
    share_groups<32>(b, t, b.g == 0 ? 1 : 0, [&](const Lane& g) {
        const float sum = lanes_sum<32>(g, n, [&](int i) { return b.s.row_loss[i]; });
        if (g.active && g.lane == 0) b.losses[s.local] = sum / float(n);
    });
}

/// 9. Chapter 09: `W2 -= lr * dW2` with `dW2 = h.T @ dlogits` on the block's rows of W2. Chapter
/// 22, a group of 32 lanes per column: `dbnbias = dhpreact.sum(0)` and
/// `dbngain = (bnraw * dhpreact).sum(0)` across the lanes, then each lane's rows of `dhprebn`.
NINJA_HD inline void second_layer_update(const Block& b, int t, const Step& s) {
    const int n = b.d.n, V = b.d.V, c = b.c;
    share(b, t, c * V, [&](int k) {
        const int jj = k / V, v = k % V;
        float dW2 = 0.0f;
        for (int i = 0; i < n; ++i) dW2 += b.s.h[i * c + jj] * b.s.scratch[i * V + v];
        b.s.W2[k] = math::sgd(b.s.W2[k], dW2, s.lr);
    });
    share_groups<32>(b, t, c, [&](const Lane& g) {
        const int jj = g.item;
        const float dbnbias = lanes_sum<32>(g, n, [&](int i) { return b.s.dhpreact[i * c + jj]; });
        const float dbngain = lanes_sum<32>(
            g, n, [&](int i) { return b.s.bnraw[i * c + jj] * b.s.dhpreact[i * c + jj]; });
        if (!g.active) return;
        for (int i = g.lane; i < n; i += 32) {
            const int k = i * c + jj;
            b.s.dhprebn[k] = math::dhprebn_fused(b.s.bngain[jj], b.s.bnvar_inv[jj], n,
                                                 b.s.dhpreact[k], dbnbias, b.s.bnraw[k], dbngain);
        }
        if (g.lane == 0) b.s.dbnbias[jj] = dbnbias, b.s.dbngain[jj] = dbngain;
    });
}

/// 10. Chapter 18: the block's part of `dembcat = dhprebn @ W1.T` into the exchange, and
/// `b1 -= lr * db1` with `db1 = dhprebn.sum(0)` (a group of 32 lanes per column); chapter 22's
/// `bngain -= lr * dbngain`, `bnbias -= lr * dbnbias`.
NINJA_HD inline void embedding_grad_part(const Block& b, int t, const Step& s) {
    const int n = b.d.n, BE = b.BE, c = b.c;
    float* part = b.x.dembcat_partials + b.g * n * BE;
    share(b, t, n * BE, [&](int k) {
        const int i = k / BE, r = k % BE;
        float sum = 0.0f;
        for (int jj = 0; jj < c; ++jj) sum += b.s.dhprebn[i * c + jj] * b.s.W1[r * c + jj];
        part[k] = sum;
    });
    share_groups<32>(b, t, c, [&](const Lane& g) {
        const int jj = g.item;
        const float db1 = lanes_sum<32>(g, n, [&](int i) { return b.s.dhprebn[i * c + jj]; });
        if (!g.active || g.lane != 0) return;
        b.s.b1[jj] = math::sgd(b.s.b1[jj], db1, s.lr);
        b.s.bngain[jj] = math::sgd(b.s.bngain[jj], b.s.dbngain[jj], s.lr);
        b.s.bnbias[jj] = math::sgd(b.s.bnbias[jj], b.s.dbnbias[jj], s.lr);
    });
}

/// 11. Chapter 18: `W1 -= lr * dW1` with `dW1 = embcat.T @ dhprebn` on the block's columns,
/// embcat read through Xb from C (not yet updated).
NINJA_HD inline void first_layer_update(const Block& b, int t, const Step& s) {
    const int n = b.d.n, B = b.d.B, E = b.d.E, c = b.c;
    share(b, t, b.BE * c, [&](int k) {
        const int r = k / c, jj = k % c, pos = r / E, e = r % E;
        float dW1 = 0.0f;
        for (int i = 0; i < n; ++i)
            dW1 += b.s.C[b.s.Xb[i * B + pos] * E + e] * b.s.dhprebn[i * c + jj];
        b.s.W1[k] = math::sgd(b.s.W1[k], dW1, s.lr);
    });
}

/// 12. Chapter 19: `demb = dembcat.view(n, B, E)`, each element the sum of the blocks' parts,
/// into scratch (dlogits is spent).
NINJA_HD inline void embedding_sum(const Block& b, int t, const Step&) {
    float* demb = b.s.scratch;  // (n * B, E): row l = i * B + pos is demb[i, pos, :]
    sum_parts(b, t, b.x.dembcat_partials, b.d.n * b.BE, [&](int k, float sum) { demb[k] = sum; });
}

/// 13. Chapter 20: `C -= lr * dC`, where row v of dC adds up the rows of demb whose lookup is
/// symbol v (symbol_lookups' bits), in the order of the lookups. A thread per element (v, e):
/// for each word of 32 lookups it loads the rows its bits select, then adds them. The next
/// step's minibatch is gathered in the same phase (nothing here reads Xb or Yb).
NINJA_HD inline void embedding_update(const Block& b, int t, const Step& s) {
    const int E = b.d.E, W = lookup_words(b.d.n * b.d.B);
    const float* demb = b.s.scratch;
    share(b, t, b.d.V * E, [&](int k) {
        const int v = k / E, e = k % E;
        float dC = 0.0f;
        for (int w = 0; w < W; ++w) {
            const std::uint32_t bits = b.s.symbol_bits[v * W + w];
            float rows[32];
            NINJA_UNROLL
            for (int j = 0; j < 32; ++j)
                rows[j] = bits >> j & 1u ? demb[(32 * w + j) * E + e] : 0.0f;
            NINJA_UNROLL
            for (int j = 0; j < 32; ++j)
                if (bits >> j & 1u) dC += rows[j];
        }
        b.s.C[k] = math::sgd(b.s.C[k], dC, s.lr);
    });
    if (s.local + 1 < b.count) gather_batch(b, t, s.local + 1);
}

/// The phases of one training step, in order, each with the barrier that ends it: the one
/// table the kernel runs (kernels/train.cu) and the CPU executor replays.
#define NINJA_PHASE(phase, sync) \
    PhaseStep { phase, Sync::sync, #phase }
inline constexpr PhaseStep step_phases[] = {
    NINJA_PHASE(symbol_lookups, none),
    NINJA_PHASE(hidden_preactivation, block),
    NINJA_PHASE(batchnorm_forward, block),
    NINJA_PHASE(logits_part, grid),
    NINJA_PHASE(logits, block),
    NINJA_PHASE(cross_entropy_rows, block),
    NINJA_PHASE(cross_entropy_grad, block),
    NINJA_PHASE(hidden_grad, block),
    NINJA_PHASE(second_layer_update, block),
    NINJA_PHASE(embedding_grad_part, grid),
    NINJA_PHASE(first_layer_update, none),
    NINJA_PHASE(embedding_sum, block),
    NINJA_PHASE(embedding_update, block),
};
/// Before the first step of a launch, and after its last.
inline constexpr PhaseStep launch_start = NINJA_PHASE(load_params, block);
inline constexpr PhaseStep launch_end = NINJA_PHASE(store_params, end);
#undef NINJA_PHASE
/// The number of phases of a step.
inline constexpr int step_phase_count = int(sizeof step_phases / sizeof step_phases[0]);

}  // namespace ninja::gpu
