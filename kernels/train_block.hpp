/// @file
/// @brief What the phases of the GPU's training step (kernels/train_step.hpp) work on: the
/// launch's arguments, one block's view of its shared memory and of device memory, how a phase
/// shares its items among the block's threads, and the few warp-level operations the phases use
/// (lane groups, their sums, the sums over the blocks' parts in the exchange). Plain C++ with
/// `__host__ __device__` functions: the kernel (kernels/train.cu) and the CPU executor
/// (tests/step_executor.hpp) both build a Block with block_view() and call the phases on it.
#pragma once

#include <cstdint>

#include "common/hyperparameters.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/train_layout.hpp"

namespace ninja::gpu {

/// The barrier that ends a phase.
enum class Sync {
    none,   ///< none: the next phase reads nothing this one writes (they could run in any order)
    block,  ///< `__syncthreads()`: every thread of the block
    grid,   ///< `this_grid().sync()`: every thread of every block
    end,    ///< the end of the launch
};

#define NINJA_SLICE_POINTER(name, type, count) type* name;
#define NINJA_SLICE_AT(name, type, count) p.name = reinterpret_cast<type*>(base + l.name.offset);
/// struct `Pointers`, one typed pointer per slice of SLICES, and pointers(base, layout).
#define NINJA_POINTERS(Pointers, Layout, SLICES)                      \
    struct Pointers {                                                 \
        SLICES(NINJA_SLICE_POINTER)                                   \
    };                                                                \
    NINJA_HD inline Pointers pointers(float* base, const Layout& l) { \
        Pointers p;                                                   \
        SLICES(NINJA_SLICE_AT)                                        \
        return p;                                                     \
    }
NINJA_POINTERS(ParamPointers, ParamLayout, NINJA_PARAM_SLICES)
NINJA_POINTERS(ExchangePointers, ExchangeLayout, NINJA_EXCHANGE_SLICES)
NINJA_POINTERS(OnChip, OnChipLayout, NINJA_ON_CHIP_SLICES)
#undef NINJA_POINTERS
#undef NINJA_SLICE_AT
#undef NINJA_SLICE_POINTER

/// Everything one launch reads: the plan, the buffers, the steps to run.
struct TrainLaunch {
    TrainPlan plan;                    ///< sizes, blocks, layouts
    float* params = nullptr;           ///< plan.params.words
    float* exchange = nullptr;         ///< plan.exchange.words
    const std::int64_t* X = nullptr;   ///< (N, B) the training set's contexts
    const std::int64_t* Y = nullptr;   ///< (N,) its targets
    const std::int64_t* ix = nullptr;  ///< (count, n) each step's rows of the training set
    float* losses = nullptr;           ///< (count,) each step's loss
    LrSchedule schedule;               ///< the learning rate of each step
    std::int64_t first_step = 0;       ///< the global index of the launch's first step
    int count = 0;                     ///< steps
};

/// What the threads of block g see.
struct Block {
    Dims d;                  ///< the sizes
    int BE;                  ///< B * E
    int g;                   ///< this block
    int G;                   ///< blocks
    int T;                   ///< threads per block
    int j0;                  ///< its first hidden column
    int c;                   ///< its number of hidden columns
    OnChip s;                ///< its shared memory
    ParamPointers p;         ///< the parameters in device memory
    ExchangePointers x;      ///< the exchange between blocks
    const std::int64_t* X;   ///< (N, B) the training set's contexts
    const std::int64_t* Y;   ///< (N,) its targets
    const std::int64_t* ix;  ///< (count, n) each step's rows of the training set
    float* losses;           ///< (count,) each step's loss
    int count;               ///< the launch's steps
};

/// Block g of launch `a`, with its shared memory at `shared`.
NINJA_HD inline Block block_view(const TrainLaunch& a, int g, float* shared) {
    const TrainPlan& plan = a.plan;
    return {plan.d,
            plan.d.B * plan.d.E,
            g,
            plan.blocks,
            plan.threads,
            plan.first_col(g),
            plan.cols_of(g),
            pointers(shared, plan.on_chip),
            pointers(a.params, plan.params),
            pointers(a.exchange, plan.exchange),
            a.X,
            a.Y,
            a.ix,
            a.losses,
            a.count};
}

/// One step of a launch.
struct Step {
    int local;  ///< its index in the launch: its row of `ix`, its entry of `losses`
    float lr;   ///< its learning rate
};

/// Step `local` of launch `a`.
NINJA_HD inline Step step_of(const TrainLaunch& a, int local) {
    return {local, a.schedule.at(a.first_step + local)};
}

/// What thread t does of `count` items in a phase: fn(k) for k = t, t + T, t + 2T, ...
template <class Fn>
NINJA_HD void share(const Block& b, int t, int count, Fn&& fn) {
    for (int k = t; k < count; k += b.T) fn(k);
}

/// An element another block wrote before the last grid barrier, read from L2 (the L1 cache of
/// this multiprocessor may hold an older copy of its line).
NINJA_HD inline float load_exchanged(const float* p) {
#ifdef __CUDA_ARCH__
    return __ldcg(p);
#else
    return *p;
#endif
}

/// A phase: what thread t of a block runs between two barriers.
using Phase = void (*)(const Block& b, int t, const Step& s);

/// A phase and the barrier that ends it: one entry of the table that the kernel runs and the
/// CPU executor replays (kernels/train_step.hpp).
struct PhaseStep {
    Phase phase;       ///< what every thread runs
    Sync sync;         ///< the barrier after it
    const char* name;  ///< the phase's name, for messages
};

/// `#pragma unroll` for nvcc's device code (the host compiler would warn about the pragma).
#ifdef __CUDA_ARCH__
#define NINJA_UNROLL _Pragma("unroll")
#else
#define NINJA_UNROLL
#endif

// ---- lane groups: a few threads of one warp on one item --------------------------------------

/// Thread t's part of an item shared by a group of L consecutive lanes of one warp.
struct Lane {
    int item;     ///< the group's item (an idle group repeats the last item)
    int lane;     ///< 0 .. L-1 within the group
    bool active;  ///< false in an idle group: it takes part in the shuffles and writes nothing
};

/// What thread t does of `count` items when each item takes a group of L lanes (L a power of
/// two, at most 32): fn(Lane) for item t / L, t / L + T / L, ... Every thread of the block runs
/// the same number of rounds, idle groups included, so that every lane of a warp reaches each
/// shuffle of a round (a block is whole warps: plan_training).
template <int L, class Fn>
NINJA_HD void share_groups(const Block& b, int t, int count, Fn&& fn) {
    static_assert(L >= 1 && L <= warp_size && (L & (L - 1)) == 0, "a group is 2^k lanes of a warp");
    for (int first = 0; first < count; first += b.T / L) {
        const int k = first + t / L;
        fn(Lane{k < count ? k : count - 1, t % L, k < count});
    }
}

/// Combines `mine` of the L lanes of a group with `op` in a butterfly: for o = L/2, ..., 1 each
/// lane combines its value with lane (its lane ^ o)'s, so every lane ends with the same bits.
/// On the GPU the values come from the other lanes' registers (warp shuffles). On the CPU
/// (tests/step_executor.hpp), where the lanes run one after another, the lane computes every
/// other lane's value with value_of(l) and runs the same butterfly: the same bits as the GPU
/// would give from the same values.
template <int L, class Op, class ValueOf>
NINJA_HD float lanes_combine(int lane, float mine, ValueOf&& value_of, Op op) {
#ifdef __CUDA_ARCH__
    (void)lane, (void)value_of;
    NINJA_UNROLL
    for (int o = L / 2; o > 0; o /= 2) mine = op(mine, __shfl_xor_sync(0xffffffffu, mine, o, L));
    return mine;
#else
    float v[L];
    for (int l = 0; l < L; ++l) v[l] = l == lane ? mine : value_of(l);
    for (int o = L / 2; o > 0; o /= 2) {
        float next[L];
        for (int l = 0; l < L; ++l) next[l] = op(v[l], v[l ^ o]);
        for (int l = 0; l < L; ++l) v[l] = next[l];
    }
    return v[lane];
#endif
}

/// a + b, and the larger of a and b, for lanes_combine.
struct Plus {
    NINJA_HD float operator()(float a, float b) const { return a + b; }
};
struct Larger {
    NINJA_HD float operator()(float a, float b) const { return fmaxf(a, b); }
};

/// The sum of term(i) over i < count by the L lanes of group g: lane l adds i = l, l + L, ...
/// in order, then the lanes' sums are combined (a row or column sum of the block).
template <int L, class Term>
NINJA_HD float lanes_sum(const Lane& g, int count, Term&& term) {
    const auto part = [&](int l) {
        float sum = 0.0f;
        for (int i = l; i < count; i += L) sum += term(i);
        return sum;
    };
    return lanes_combine<L>(g.lane, part(g.lane), part, Plus{});
}

/// sums[j] = the sum over the G blocks of parts[g * stride + k[j]] (0 where k[j] < 0), added in
/// the order of g in every block. The loads of up to 32 / N blocks' parts go out at once before
/// any is added: one round trip to L2 for the lecture's 13 blocks.
template <int N>
NINJA_HD void sum_over_blocks(const Block& b, const float* parts, int stride, const int (&k)[N],
                              float (&sums)[N]) {
    constexpr int batch = 32 / N;  // blocks per batch: 32 loads in flight
    for (int j = 0; j < N; ++j) sums[j] = 0.0f;
    for (int g0 = 0; g0 < b.G; g0 += batch) {
        float part[batch * N];  // part[u * N + j]: block g0 + u's part of item k[j]
        NINJA_UNROLL
        for (int x = 0; x < batch * N; ++x) {
            const int g = g0 + x / N, item = k[x % N];
            part[x] = g < b.G && item >= 0 ? load_exchanged(parts + g * stride + item) : 0.0f;
        }
        NINJA_UNROLL
        for (int x = 0; x < batch * N; ++x)
            if (g0 + x / N < b.G) sums[x % N] += part[x];
    }
}

/// Calls move(on_chip, in_memory, every_block_has_it) for each parameter element of block b
/// that thread t moves.
template <class Move>
NINJA_HD void for_each_param_element(const Block& b, int t, Move&& move) {
    const int V = b.d.V, H = b.d.H, c = b.c, j0 = b.j0;
    share(b, t, b.BE * c, [&](int k) { move(b.s.W1[k], b.p.W1[(k / c) * H + j0 + k % c], false); });
    share(b, t, c * V, [&](int k) { move(b.s.W2[k], b.p.W2[j0 * V + k], false); });
    share(b, t, c, [&](int jj) {
        move(b.s.b1[jj], b.p.b1[j0 + jj], false);
        move(b.s.bngain[jj], b.p.bngain[j0 + jj], false);
        move(b.s.bnbias[jj], b.p.bnbias[j0 + jj], false);
    });
    share(b, t, V * b.d.E, [&](int k) { move(b.s.C[k], b.p.C[k], true); });
    share(b, t, V, [&](int v) { move(b.s.b2[v], b.p.b2[v], true); });
}

}  // namespace ninja::gpu
