/// @file
/// @brief The GPU entry points of a CPU-only build: no GPU is ever usable, so `--device cuda`
/// is a usage error. (A CUDA build compiles common/cuda/device.cpp instead.)
#include "common/device.hpp"

#include "common/cuda/train.hpp"
#include "common/error.hpp"

namespace ninja {

bool cuda_device_available(std::string& why) {
    why = "built without CUDA";
    return false;
}

void gpu_chapter_backward(int, Grads<float>&, const Forward<float>&, const Params<float>&,
                          const Batch&) {
    throw InputError("--device cuda: no usable CUDA GPU (built without CUDA)");
}

GpuTrainResult gpu_train(Params<float>&, const Examples&, std::size_t, const GpuTrainOptions&,
                         const IxSource&) {
    throw InputError("--device cuda: no usable CUDA GPU (built without CUDA)");
}

}  // namespace ninja
