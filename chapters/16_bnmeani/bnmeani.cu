// Chapter 16's step on the GPU: a column reduction.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dbnmeani = -dbndiff.sum(0): one block per column (kernels/launch.cuh).
void bnmeani_backward(const Launch& l, float* dbnmeani, const float* dbndiff) {
    column_sum(dbnmeani, dbndiff, nullptr, -1.0f, l.d.n, l.d.H, l.stream);
}

}  // namespace ninja::gpu
