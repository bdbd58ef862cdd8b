// Chapter 21's step on the GPU: one thread per row.
#include "kernels/launch.cuh"

namespace ninja::gpu {

/// dlogits = (softmax(logits) - onehot(Yb)) / n. Each thread takes a row: its maximum, the sum
/// of the shifted exponentials, then its V outputs.
void cross_entropy_backward(const Launch& l, float* dlogits, const float* logits,
                            const std::int64_t* Yb) {
    const int n = l.d.n, V = l.d.V;
    for_each_element(l, n, [=] __device__(int i) {
        const float* row = logits + i * V;
        float m = row[0];
        for (int j = 1; j < V; ++j) m = fmaxf(m, row[j]);
        float sum = 0.0f;
        for (int j = 0; j < V; ++j) sum += expf(row[j] - m);
        for (int j = 0; j < V; ++j)
            dlogits[i * V + j] = math::dlogits_fused(expf(row[j] - m), sum, j == Yb[i], n);
    });
}

}  // namespace ninja::gpu
