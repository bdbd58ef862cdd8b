/// @file
/// @brief The GPU entry points of a CPU-only build (common/device.hpp): no GPU is ever usable,
/// so `--device cuda` is a usage error. (A CUDA build compiles chapter_backward.cpp and
/// gpu_train.cpp instead.)
#include "common/device.hpp"

#include "common/error.hpp"

namespace ninja {

bool cuda_device_available(std::string& why) {
    why = "built without CUDA";
    return false;
}

void require_cuda_device() {
    throw InputError("--device cuda: no usable CUDA GPU (built without CUDA)");
}

bool gpu_has_chapter(int) { return false; }

void gpu_chapter_backward(int, Grads<float>&, const Forward<float>&, const Params<float>&,
                          const Batch&) {
    require_cuda_device();
}

void gpu_chapter_step(int, Grads<float>&, const Forward<float>&, const Params<float>&,
                      const Batch&) {
    require_cuda_device();
}

GpuTrainResult gpu_train(Params<float>&, const Examples&, std::size_t, const GpuTrainOptions&,
                         const IxSource&) {
    require_cuda_device();
    return {};
}

}  // namespace ninja
