/// @file
/// @brief Where the GPU training step keeps everything: the slices of every buffer it carves,
/// written once, here, and the plan that spreads the step over the GPU.
///
/// The step (kernels/train_step.hpp) carves three buffers:
/// - the parameters in device memory (NINJA_PARAM_SLICES): the seven tensors in the lecture's
///   order and layout, so that each is one copy to or from its host tensor;
/// - the exchange between blocks (NINJA_EXCHANGE_SLICES): what every block needs from the hidden
///   columns of every other, each block's partial `logits` and partial `dembcat`;
/// - one block's shared memory (NINJA_ON_CHIP_SLICES): its share of the parameters, kept on chip
///   for a whole launch, and the step's tensors for its hidden columns.
///
/// A slice is declared once, in one of the three lists below, with its element type and size.
/// The same list declares the layout's members, places the slices one after another, sums the
/// allocation (`words`), and gives the kernel its pointers (train_step.hpp): a buffer cannot
/// be sized one way and carved another. tests/test_fused_step.cpp checks for many (n, H), the
/// lecture's among them, that every slice lies inside its allocation and that none overlap, and
/// runs the step with guard words between the slices, which must come out untouched.
/// Plain C++: compiled by nvcc for the kernel and by the host compiler for the tests.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "kernels/dims.hpp"
#include "kernels/elementwise.hpp"  // NINJA_HD

namespace ninja::gpu {

/// `count` elements of 4 bytes (a float or an int32) from element `offset` of a buffer.
struct Slice {
    std::size_t offset = 0;  ///< the first element
    std::size_t count = 0;   ///< elements
    /// One past the last element.
    std::size_t end() const { return offset + count; }
};

// clang-format off
/// The parameters in device memory. Columns: name, element type, elements. The sizes are
/// those of the layout function below: n, B, E, H, V, BE = B*E, G blocks, c columns per block.
#define NINJA_PARAM_SLICES(X) \
    X(C,      float, V * E)   /* (V, E)   */ \
    X(W1,     float, BE * H)  /* (B*E, H) */ \
    X(b1,     float, H)       /* (H,)     */ \
    X(W2,     float, H * V)   /* (H, V)   */ \
    X(b2,     float, V)       /* (V,)     */ \
    X(bngain, float, H)       /* (1, H)   */ \
    X(bnbias, float, H)       /* (1, H)   */

/// 32-bit words that hold one bit per lookup of a minibatch of `lookups` = n * B entries.
NINJA_HD constexpr int lookup_words(int lookups) { return (lookups + 31) / 32; }

/// The exchange: block g writes row g, every block reads every row.
#define NINJA_EXCHANGE_SLICES(X)                                                           \
    X(logits_partials,  float, G * n * V)   /* (G, n, V): h[:, cols of g] @ W2[cols of g] */  \
    X(dembcat_partials, float, G * n * BE)  /* (G, n, B*E): dhprebn[:, cols] @ W1[:, cols].T */

/// One block's shared memory, for its c hidden columns (the (n, c) slices are row-major with
/// the block's own column count as their row length). W = lookup_words(n * B).
#define NINJA_ON_CHIP_SLICES(X)                                                               \
    X(C,         float,         V * E)   /* (V, E) the whole table: each block a copy */      \
    X(b2,        float,         V)       /* (V,)   the whole bias: each block a copy */       \
    X(W1,        float,         BE * c)  /* (B*E, c) its columns of W1 */                     \
    X(b1,        float,         c)       /* (c,) */                                           \
    X(bngain,    float,         c)       /* (c,) */                                           \
    X(bnbias,    float,         c)       /* (c,) */                                           \
    X(W2,        float,         c * V)   /* (c, V) its rows of W2 */                          \
    X(Xb,        std::int32_t,  n * B)   /* (n, B) the minibatch's contexts */                \
    X(Yb,        std::int32_t,  n)       /* (n,)   its targets */                             \
    X(symbol_bits, std::uint32_t, V * W) /* (V, W) bit j of word w: Xb.flat[32w + j] == v */ \
    X(hprebn,    float,         n * c)   /* (n, c) */                                         \
    X(bnraw,     float,         n * c)   /* (n, c) */                                         \
    X(h,         float,         n * c)   /* (n, c) */                                         \
    X(dhpreact,  float,         n * c)   /* (n, c) */                                         \
    X(dhprebn,   float,         n * c)   /* (n, c) */                                         \
    X(scratch,   float,         n * VBE) /* (n, V) logits, dlogits; (n, B*E) demb: see below */ \
    X(row_max,   float,         n)       /* (n,) the logits' row maxima */                    \
    X(row_sum,   float,         n)       /* (n,) sum_j exp(logits - row_max) */               \
    X(row_loss,  float,         n)       /* (n,) each row's term of the loss */               \
    X(bnvar_inv, float,         c)       /* (c,) */                                           \
    X(dbngain,   float,         c)       /* (c,) */                                           \
    X(dbnbias,   float,         c)       /* (c,) */
// clang-format on
// `scratch` holds tensors whose lives do not overlap (kernels/train_step.hpp): the logits, then
// dlogits over them (from `logits` to second_layer_update), then demb (from embedding_sum to
// embedding_update). Sharing the slice keeps a batch of 1,000 within one block's shared memory
// on an H100.

#define NINJA_SLICE_MEMBER(name, type, count) Slice name;
#define NINJA_SLICE_VISIT(name, type, count) fn(#name, name);
#define NINJA_SLICE_PLACE(name, type, count) l.name = place(at, count, gap);
/// struct `Layout`: one Slice per row of SLICES, the allocation's size, and for_each().
#define NINJA_LAYOUT(Layout, SLICES)                                      \
    struct Layout {                                                       \
        SLICES(NINJA_SLICE_MEMBER)                                        \
        std::size_t words = 0; /* the allocation: 4-byte elements */      \
        /* Calls fn(name, slice) for every slice, in the list's order. */ \
        template <class Fn>                                               \
        void for_each(Fn&& fn) const {                                    \
            SLICES(NINJA_SLICE_VISIT)                                     \
        }                                                                 \
    };

NINJA_LAYOUT(ParamLayout, NINJA_PARAM_SLICES)
NINJA_LAYOUT(ExchangeLayout, NINJA_EXCHANGE_SLICES)
NINJA_LAYOUT(OnChipLayout, NINJA_ON_CHIP_SLICES)
#undef NINJA_LAYOUT
#undef NINJA_SLICE_MEMBER
#undef NINJA_SLICE_VISIT

/// The three layouts of one run.
struct Layouts {
    ParamLayout params;       ///< device memory, one allocation
    ExchangeLayout exchange;  ///< device memory, one allocation
    OnChipLayout on_chip;     ///< one block's shared memory
};

/// `count` elements at `at`, then `gap` elements left free; moves `at` past both.
inline Slice place(std::size_t& at, std::size_t count, std::size_t gap) {
    const Slice s{at, count};
    at += count + gap;
    return s;
}

/// The layouts for sizes `d`, `blocks` blocks of `cols` hidden columns. `gap` free elements
/// come before, between and after the slices: 0 on the GPU; the tests' guard words otherwise.
inline Layouts layouts(const Dims& d, int blocks, int cols, std::size_t gap = 0) {
    const std::size_t n = std::size_t(d.n), B = std::size_t(d.B), E = std::size_t(d.E),
                      H = std::size_t(d.H), V = std::size_t(d.V), BE = B * E, VBE = std::max(V, BE),
                      W = std::size_t(lookup_words(d.n * d.B)), G = std::size_t(blocks),
                      c = std::size_t(cols);
    Layouts all;
    std::size_t at = gap;
    {
        ParamLayout& l = all.params;
        NINJA_PARAM_SLICES(NINJA_SLICE_PLACE)
        l.words = at;
    }
    at = gap;
    {
        ExchangeLayout& l = all.exchange;
        NINJA_EXCHANGE_SLICES(NINJA_SLICE_PLACE)
        l.words = at;
    }
    at = gap;
    {
        OnChipLayout& l = all.on_chip;
        NINJA_ON_CHIP_SLICES(NINJA_SLICE_PLACE)
        l.words = at;
    }
    return all;
}
#undef NINJA_SLICE_PLACE

/// What a GPU offers the training kernel.
struct DeviceLimits {
    std::size_t shared_bytes = 0;  ///< shared memory one block may use (the opt-in maximum)
    int max_blocks = 0;            ///< blocks that are sure to run at once: one per multiprocessor
};

/// Hidden columns per block when the caller does not choose: H = 200 gives 13 blocks (BENCHMARKS.md
/// weighs the block count: fewer blocks, less traffic through L2; more, less arithmetic each).
inline constexpr int default_cols_per_block = 16;
/// Threads per block when the caller does not choose: 16 warps, so that each phase's items at
/// the lecture's sizes take one or two rounds of the block's threads (train_step.hpp).
inline constexpr int default_threads = 512;
/// Steps per launch when the caller does not choose: 20 launches for the lecture's run (the host
/// draws the next launch's minibatch indices while the GPU runs this one).
inline constexpr std::int64_t default_chunk_steps = 10000;
/// The most threads per block: the kernel's `__launch_bounds__`, which leaves each thread 128
/// registers.
inline constexpr int max_threads = 512;
/// Threads per warp. A block is whole warps: the phases' lane groups (train_block.hpp) exchange
/// values with warp shuffles, which every lane of a warp must reach.
inline constexpr int warp_size = 32;
/// The largest vocabulary: cross_entropy gives each of the 16 lanes of a row two of its logits.
inline constexpr int max_symbols = 32;

/// How one training run is spread over the GPU: G blocks, block g owning the hidden columns
/// [g * cols, g * cols + cols_of(g)), and where everything lives.
struct TrainPlan : Layouts {
    Dims d;           ///< the sizes
    int blocks = 0;   ///< G
    int cols = 0;     ///< columns per block (the last block may have fewer)
    int threads = 0;  ///< threads per block

    /// The first hidden column of block g.
    NINJA_HD int first_col(int g) const { return g * cols; }
    /// The number of hidden columns of block g.
    NINJA_HD int cols_of(int g) const { return d.H - g * cols < cols ? d.H - g * cols : cols; }
    /// The shared memory of one block.
    std::size_t shared_bytes() const { return on_chip.words * sizeof(float); }
};

/// The plan for sizes `d` on a GPU with `limits`: `blocks` blocks (0: as many as
/// default_cols_per_block columns each make, fewer columns each when a block's shared memory
/// would not fit), `threads` threads each, `gap` guard elements between slices (tests only).
/// Throws InputError when the sizes cannot be trained on this GPU (a batch too large for a
/// block's shared memory, or more blocks than can run at once).
inline TrainPlan plan_training(const Dims& d, const DeviceLimits& limits, int blocks = 0,
                               int threads = default_threads, std::size_t gap = 0) {
    const std::string sizes = "n = " + std::to_string(d.n) + ", H = " + std::to_string(d.H);
    if (d.n < 2 || d.B < 1 || d.E < 1 || d.H < 1 || d.V < 2)
        throw InputError("GPU training: impossible sizes (" + sizes + ")");
    if (d.V > max_symbols)
        throw InputError("GPU training: " + std::to_string(d.V) + " symbols; at most " +
                         std::to_string(max_symbols));
    if (threads < warp_size || threads > max_threads || threads % warp_size != 0)
        throw InputError("GPU training: " + std::to_string(threads) +
                         " threads per block (whole warps of 32, at most " +
                         std::to_string(max_threads) + ")");
    if (blocks < 0) throw InputError("GPU training: a negative number of blocks");
    TrainPlan p;
    p.d = d, p.threads = threads;
    p.cols = blocks > 0 ? (d.H + blocks - 1) / blocks : std::min(d.H, default_cols_per_block);
    const auto fits = [&] {
        static_cast<Layouts&>(p) = layouts(d, (d.H + p.cols - 1) / p.cols, p.cols, gap);
        return p.shared_bytes() <= limits.shared_bytes;
    };
    while (!fits() && blocks == 0 && p.cols > 1) --p.cols;
    p.blocks = (d.H + p.cols - 1) / p.cols;
    if (!fits())
        throw InputError("GPU training: a block's share of the step (" + sizes + ", " +
                         std::to_string(p.cols) + " hidden columns) needs " +
                         std::to_string(p.shared_bytes()) + " bytes of shared memory; the GPU " +
                         "gives " + std::to_string(limits.shared_bytes) + " (use a smaller batch)");
    if (p.blocks > limits.max_blocks)
        throw InputError("GPU training: " + sizes + " needs " + std::to_string(p.blocks) +
                         " blocks running at once; the GPU runs " +
                         std::to_string(limits.max_blocks));
    if (p.params.words >= (std::size_t(1) << 31) || p.exchange.words >= (std::size_t(1) << 31))
        throw InputError("GPU training: " + sizes + " is too large for 32-bit indices");
    return p;
}

}  // namespace ninja::gpu
