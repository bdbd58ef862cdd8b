/// @file
/// @brief `--device cuda`: what every build offers about the GPU, CUDA compiled in or not.
///
/// In a CPU-only build these come from common/device_cpu.cpp: no GPU is ever usable ("built
/// without CUDA"). In a CUDA build they come from common/cuda/device.cpp.
#pragma once

#include <string>

#include "common/grads.hpp"
#include "common/model.hpp"

namespace ninja {

/// True when a CUDA GPU can run the kernels; otherwise false, with the reason in `why`
/// ("built without CUDA", or the CUDA runtime's error, e.g. "no CUDA-capable device is detected").
bool cuda_device_available(std::string& why);

/// Chapter `chapter`'s backward (the chain of GPU steps of chapters 1..chapter, see
/// ninja::gpu::backward) on PyTorch-style inputs: uploads `p`, `f` and `b`, runs the chain on
/// the GPU, and downloads every gradient into `g`. Gradients the chain does not write come back
/// as NaN (the device buffers are poisoned first). Throws InputError in a CPU-only build and
/// ninja::gpu::CudaError when a CUDA call fails.
void gpu_chapter_backward(int chapter, Grads<float>& g, const Forward<float>& f,
                          const Params<float>& p, const Batch& b);

}  // namespace ninja
