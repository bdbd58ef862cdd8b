/// @file
/// @brief What the chapters' GPU steps share: the model's tensors as device pointers (generated
/// from the table of common/tensor_table.hpp), the launch context, the reductions and matrix
/// products, and the chain of a chapter's GPU backward. Each chapter's kernel is in its folder
/// (chapters/NN_name/name.cu), in the plain form a learner reads (one thread per element). (The
/// training loop fuses the whole step into one kernel: kernels/train_step.hpp.)
///
/// Everything here takes raw device pointers and sizes (float32, row-major, the shapes of
/// common/tensor_table.hpp's legend: n batch, B block, E embedding, H hidden, V vocabulary).
/// The host side (chapter_backward.cpp) moves xtensor tensors to and from these buffers.
/// Launchers only enqueue work on `stream`; they never synchronise. A failed launch or cuBLAS call
/// throws ninja::gpu::CudaError (kernels/check.hpp) naming the call and its source file and line.
#pragma once

#include <cstdint>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "common/tensor_table.hpp"
#include "kernels/check.hpp"
#include "kernels/dims.hpp"

namespace ninja::gpu {

/// The parameters on the device (one pointer per parameter of the table in
/// common/tensor_table.hpp; shapes as in ninja::Params).
struct Params {
#define NINJA_POINTER(kind, name, ...) NINJA_IF_##kind(float* name = nullptr;)
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of parameter `id` (null for an intermediate).
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_##kind(case TensorId::name : return &name;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                return nullptr;
        }
    }
};

/// Every intermediate of the forward pass on the device (one pointer per intermediate of the
/// table; shapes as in ninja::Forward). `embcat` is `emb` seen as (n, B*E): the same memory, as
/// `emb.view(n, -1)` in PyTorch.
struct Forward {
#define NINJA_POINTER(kind, name, ...) NINJA_IF_NOT_##kind(float* name = nullptr;)
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of intermediate `id` (null for a parameter).
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) NINJA_IF_NOT_##kind(case TensorId::name : return &name;)
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
            default:
                return nullptr;
        }
    }
};

/// Every gradient on the device (one pointer per tensor of the table; shapes as in
/// ninja::Grads).
struct Grads {
#define NINJA_POINTER(kind, name, ...) float* d##name = nullptr;
    NINJA_TENSORS(NINJA_POINTER)
#undef NINJA_POINTER
    /// The pointer of the gradient of tensor `id`.
    float** slot(TensorId id) {
        switch (id) {
#define NINJA_CASE(kind, name, ...) \
    case TensorId::name:            \
        return &d##name;
            NINJA_TENSORS(NINJA_CASE)
#undef NINJA_CASE
        }
        return nullptr;
    }
};

/// The minibatch on the device: the indices as int64, as on the host.
struct Batch {
    const std::int64_t* Xb = nullptr;  ///< (n, B) contexts
    const std::int64_t* Yb = nullptr;  ///< (n,) targets
};

/// The sizes of a run and where its steps are enqueued: what every chapter's GPU step takes first.
struct Launch {
    Dims d;                         ///< the sizes
    cudaStream_t stream = nullptr;  ///< where every kernel is enqueued
    cublasHandle_t blas = nullptr;  ///< bound to `stream` by the caller
};

/// Everything one chapter's GPU backward reads and writes, and where it runs.
struct Model {
    Launch launch;  ///< the sizes, the stream and the cuBLAS handle
    Params p;       ///< the parameters
    Forward f;      ///< the forward pass's intermediates
    Grads g;        ///< the gradients
    Batch b;        ///< the minibatch
};

// ---- what the chapters' kernels share (kernels/reduce.cu) -------------------------------------

/// Row-major C (M, N) = alpha * op(A) (M, K) @ op(B) (K, N) + beta * C, through cuBLAS (which is
/// column-major). `trans_a`: A is stored as (K, M) and used transposed; likewise `trans_b`.
void gemm(cublasHandle_t blas, bool trans_a, bool trans_b, int M, int N, int K, const float* A,
          const float* B, float* C, float beta = 0.0f);

/// Column sums: out[j] = scale * sum_i a[i, j] * (b ? b[i, j] : 1), for a, b (rows, cols); one
/// block per column.
void column_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
                cudaStream_t s);

/// Row sums: out[i] = scale * sum_j a[i, j] * (b ? b[i, j] : 1), for a, b (rows, cols); one
/// block per row.
void row_sum(float* out, const float* a, const float* b, float scale, int rows, int cols,
             cudaStream_t s);

// ---- the chapters' GPU backward ----------------------------------------------------------------
//
// Chapter NN_name's step on the GPU is `ninja::gpu::name_backward`, in chapters/NN_name/name.cu:
// it takes the Launch, then a device pointer for each argument of the chapter's step, in the
// order of the CPU step's parameters (float* for what it writes, const float* for what it reads,
// const std::int64_t* for Xb and Yb). The chain of GPU steps of a chapter is its chain table row.

/// Whether every step of chapter `chapter`'s backward pass has a GPU kernel.
bool has_chapter(int chapter);

/// Chapter `chapter`'s GPU backward: the GPU steps of its chain table row, in order. Throws
/// CudaError for a failed launch, std::out_of_range for a chapter without a GPU step.
void backward(int chapter, Model& m);

/// Chapter `chapter`'s own GPU step alone, on the gradients already in `m`.
void step(int chapter, Model& m);

}  // namespace ninja::gpu
