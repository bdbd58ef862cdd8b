/// @file
/// @brief What the phases of the GPU's training step (kernels/train_step.hpp) work on: the
/// launch's arguments, one block's view of its shared memory and of device memory, and how a
/// phase shares its items among the block's threads. Plain C++ with `__host__ __device__`
/// functions: the kernel (kernels/train.cu) and the CPU executor (tests/step_executor.hpp) both
/// build a Block with block_view() and call the phases on it.
#pragma once

#include <cstdint>

#include "common/schedule.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/train_layout.hpp"

namespace ninja::gpu {

/// The barrier that ends a phase.
enum class Sync {
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
            a.losses};
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
