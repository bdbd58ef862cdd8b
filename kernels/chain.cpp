/// @file
/// @brief The chain of a chapter's GPU backward: each chapter's own step on the device model, and
/// the steps a chapter composes, as on the CPU (kernels/backward.cu has the steps' kernels).
#include <iterator>
#include <stdexcept>
#include <string>

#include "kernels/kernels.hpp"

namespace ninja::gpu {

// ---- the chapters' steps on a Model, and the chain ---------------------------------------------

namespace {

void step01(Model& m) { logprobs_backward(m.g.dlogprobs, m.b.Yb, m.d.n, m.d.V, m.stream); }
void step02(Model& m) {
    probs_backward(m.g.dprobs, m.g.dlogprobs, m.f.probs, m.d.n, m.d.V, m.stream);
}
void step03(Model& m) {
    counts_sum_inv_backward(m.g.dcounts_sum_inv, m.g.dprobs, m.f.counts, m.d.n, m.d.V, m.stream);
}
void step04(Model& m) {
    counts_sum_backward(m.g.dcounts_sum, m.g.dcounts_sum_inv, m.f.counts_sum, m.d.n, m.stream);
}
void step05(Model& m) {
    counts_backward(m.g.dcounts, m.g.dprobs, m.f.counts_sum_inv, m.g.dcounts_sum, m.d.n, m.d.V,
                    m.stream);
}
void step06(Model& m) {
    norm_logits_backward(m.g.dnorm_logits, m.g.dcounts, m.f.counts, m.d.n, m.d.V, m.stream);
}
void step07(Model& m) {
    logit_maxes_backward(m.g.dlogit_maxes, m.g.dnorm_logits, m.d.n, m.d.V, m.stream);
}
void step08(Model& m) {
    logits_backward(m.g.dlogits, m.g.dnorm_logits, m.g.dlogit_maxes, m.f.logits, m.d.n, m.d.V,
                    m.stream);
}
void step09(Model& m) {
    second_linear_backward(m.blas, m.g.dh, m.g.dW2, m.g.db2, m.g.dlogits, m.f.h, m.p.W2, m.d.n,
                           m.d.H, m.d.V, m.stream);
}
void step10(Model& m) { hpreact_backward(m.g.dhpreact, m.g.dh, m.f.h, m.d.n, m.d.H, m.stream); }
void step11(Model& m) {
    batchnorm_scale_backward(m.g.dbngain, m.g.dbnbias, m.g.dbnraw, m.g.dhpreact, m.f.bnraw,
                             m.p.bngain, m.d.n, m.d.H, m.stream);
}
void step12(Model& m) {
    bnvar_inv_backward(m.g.dbnvar_inv, m.g.dbnraw, m.f.bndiff, m.d.n, m.d.H, m.stream);
}
void step13(Model& m) { bnvar_backward(m.g.dbnvar, m.g.dbnvar_inv, m.f.bnvar, m.d.H, m.stream); }
void step14(Model& m) { bndiff2_backward(m.g.dbndiff2, m.g.dbnvar, m.d.n, m.d.H, m.stream); }
void step15(Model& m) {
    bndiff_backward(m.g.dbndiff, m.g.dbnraw, m.f.bnvar_inv, m.g.dbndiff2, m.f.bndiff, m.d.n, m.d.H,
                    m.stream);
}
void step16(Model& m) { bnmeani_backward(m.g.dbnmeani, m.g.dbndiff, m.d.n, m.d.H, m.stream); }
void step17(Model& m) {
    hprebn_backward(m.g.dhprebn, m.g.dbndiff, m.g.dbnmeani, m.d.n, m.d.H, m.stream);
}
void step18(Model& m) {
    first_linear_backward(m.blas, m.g.dembcat, m.g.dW1, m.g.db1, m.g.dhprebn, m.f.emb, m.p.W1,
                          m.d.n, m.d.B * m.d.E, m.d.H, m.stream);
}
void step19(Model& m) { emb_backward(m.g.demb, m.g.dembcat, m.d.n * m.d.B * m.d.E, m.stream); }
void step20(Model& m) {
    embedding_table_backward(m.g.dC, m.g.demb, m.b.Xb, m.d.n, m.d.B, m.d.E, m.d.V, m.stream);
}
void step21(Model& m) {
    cross_entropy_backward(m.g.dlogits, m.f.logits, m.b.Yb, m.d.n, m.d.V, m.stream);
}
void step22(Model& m) {
    batchnorm_backward(m.g.dhprebn, m.g.dhpreact, m.f.bnraw, m.p.bngain, m.f.bnvar_inv, m.d.n,
                       m.d.H, m.stream);
}

/// One chapter's own step on the device model (reads the gradients the previous steps wrote).
using Step = void (*)(Model&);

/// `steps[c - 1]` is chapter c's own step.
const Step steps[] = {step01, step02, step03, step04, step05, step06, step07, step08,
                      step09, step10, step11, step12, step13, step14, step15, step16,
                      step17, step18, step19, step20, step21, step22};

/// Chapter c's own step.
void step(int c, Model& m) { steps[c - 1](m); }

}  // namespace

bool has_chapter(int chapter) { return chapter >= 1 && chapter <= int(std::size(steps)); }

void backward(int chapter, Model& m) {
    if (!has_chapter(chapter))
        throw std::out_of_range("no GPU backward for chapter " + std::to_string(chapter));
    if (chapter <= 20) {
        for (int c = 1; c <= chapter; ++c) step(c, m);
    } else if (chapter == 21) {
        step(21, m);  // the fused cross-entropy: dlogits in one step
    } else {
        // As the CPU's chapter 22: fused CE, to dhpreact (09, 10), dbngain and dbnbias (11's sums,
        // which also write dbnraw), then the fused batchnorm for dhprebn.
        step(21, m), step(9, m), step(10, m), step(11, m), step(22, m);
    }
}

}  // namespace ninja::gpu
