/// @file
/// @brief Checking every CUDA runtime and cuBLAS call: a failure throws ninja::gpu::CudaError whose
/// message names the call, the error, and the source file and line of the call.
#pragma once

#include <stdexcept>
#include <string>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

namespace ninja::gpu {

/// A failed CUDA runtime or cuBLAS call.
class CudaError : public std::runtime_error {
public:
    /// @param message the failing call, the error, and the source file and line
    explicit CudaError(const std::string& message) : std::runtime_error(message) {}
};

/// Throws CudaError unless `status` is cudaSuccess.
inline void check_cuda(cudaError_t status, const char* call, const char* file, int line) {
    if (status == cudaSuccess) return;
    throw CudaError(std::string(call) + " failed: " + cudaGetErrorName(status) + " (" +
                    cudaGetErrorString(status) + ") at " + file + ":" + std::to_string(line));
}

/// Throws CudaError unless `status` is CUBLAS_STATUS_SUCCESS.
inline void check_cublas(cublasStatus_t status, const char* call, const char* file, int line) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    throw CudaError(std::string(call) + " failed: " + cublasGetStatusName(status) + " (" +
                    cublasGetStatusString(status) + ") at " + file + ":" + std::to_string(line));
}

}  // namespace ninja::gpu

/// Checks a CUDA runtime call: `NINJA_CUDA_CHECK(cudaMalloc(&p, bytes));`
#define NINJA_CUDA_CHECK(call) ::ninja::gpu::check_cuda((call), #call, __FILE__, __LINE__)
/// Checks a cuBLAS call.
#define NINJA_CUBLAS_CHECK(call) ::ninja::gpu::check_cublas((call), #call, __FILE__, __LINE__)
/// Checks the kernel launch just made (a bad configuration is reported here, not at the launch).
#define NINJA_CUDA_CHECK_LAUNCH() NINJA_CUDA_CHECK(cudaGetLastError())
