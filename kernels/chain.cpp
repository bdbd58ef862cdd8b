/// @file
/// @brief The chain of a chapter's GPU backward: the GPU steps of its chain table row
/// (common/chain.hpp), in order, as on the CPU.
#include <stdexcept>
#include <string>

#include "common/chain.hpp"
#include "kernels/gpu_steps.hpp"

namespace ninja::gpu {

namespace {

/// Chapter c's GPU step, or null when it has none.
const GpuStep* find_step(int c) {
    for (std::size_t k = 0; k < gpu_step_count; ++k)
        if (gpu_steps[k].chapter == c) return &gpu_steps[k];
    return nullptr;
}

}  // namespace

bool has_chapter(int chapter) {
    if (!in_chain(chapter) || find_step(chapter) == nullptr) return false;
    for (int c : chain_steps(chapter))
        if (find_step(c) == nullptr) return false;
    return true;
}

void step(int chapter, Model& m) {
    const GpuStep* s = find_step(chapter);
    if (s == nullptr) throw std::out_of_range("no GPU step for chapter " + std::to_string(chapter));
    s->run(m);
}

void backward(int chapter, Model& m) {
    if (!has_chapter(chapter))
        throw std::out_of_range("no GPU backward for chapter " + std::to_string(chapter));
    for (int c : chain_steps(chapter)) step(c, m);
}

}  // namespace ninja::gpu
