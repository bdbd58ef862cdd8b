#include "23_training/blas.hpp"

/// OpenBLAS's switch for its thread count and the name of the kernels it chose, declared weak so
/// that a build against another BLAS still links (the calls are then skipped).
extern "C" void openblas_set_num_threads(int) __attribute__((weak));
extern "C" char* openblas_get_corename() __attribute__((weak));

namespace ninja {

void use_one_blas_thread() {
    if (openblas_set_num_threads != nullptr) openblas_set_num_threads(1);
}

const char* blas_kernels() {
    return openblas_get_corename != nullptr ? openblas_get_corename() : "unknown";
}

}  // namespace ninja
