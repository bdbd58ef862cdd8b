/// @file
/// @brief Device memory for xtensor tensors: an RAII buffer, uploads and downloads, and the
/// CUDA stream + cuBLAS handle every GPU run needs. Compiled only in a CUDA build.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "kernels/check.hpp"

namespace ninja::gpu {

/// `count` elements of T in device memory, freed with the object. Move-only.
template <class T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    /// Allocates `count` elements (uninitialised).
    explicit DeviceBuffer(std::size_t count) : count_(count) {
        if (count > 0)
            NINJA_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
    }
    /// Frees the memory.
    ~DeviceBuffer() {
        if (data_) cudaFree(data_);  // no throwing from a destructor: an error here is ignored
    }
    /// Takes over `other`'s memory.
    DeviceBuffer(DeviceBuffer&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), count_(std::exchange(other.count_, 0)) {}
    /// Swaps memory with `other` (which frees ours).
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
        std::swap(data_, other.data_), std::swap(count_, other.count_);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    /// The device pointer.
    T* data() { return data_; }
    /// The device pointer.
    const T* data() const { return data_; }
    /// The number of elements.
    std::size_t size() const { return count_; }

    /// Copies size() elements from host memory `src` (blocking).
    void upload(const T* src) {
        if (count_)
            NINJA_CUDA_CHECK(cudaMemcpy(data_, src, count_ * sizeof(T), cudaMemcpyHostToDevice));
    }
    /// Copies size() elements to host memory `dst` (blocking).
    void download(T* dst) const {
        if (count_)
            NINJA_CUDA_CHECK(cudaMemcpy(dst, data_, count_ * sizeof(T), cudaMemcpyDeviceToHost));
    }
    /// Fills every byte with 0xFF: as float, every element is a NaN, so an element a kernel
    /// forgets to write is caught by any comparison.
    void poison() {
        if (count_) NINJA_CUDA_CHECK(cudaMemset(data_, 0xFF, count_ * sizeof(T)));
    }

private:
    T* data_ = nullptr;
    std::size_t count_ = 0;
};

/// A tensor's contents in a new device buffer (any xtensor container, contiguous row-major).
template <class Tensor>
auto to_device(const Tensor& t) {
    DeviceBuffer<typename Tensor::value_type> buffer(t.size());
    buffer.upload(t.data());
    return buffer;
}

/// Copies a device buffer into a tensor of the same number of elements (shape kept).
template <class Tensor>
void to_host(const DeviceBuffer<typename Tensor::value_type>& buffer, Tensor& t) {
    if (buffer.size() != t.size())
        throw CudaError("to_host: " + std::to_string(buffer.size()) +
                        " device elements into a tensor of " + std::to_string(t.size()));
    buffer.download(t.data());
}

/// A stream and a cuBLAS handle bound to it, released with the object.
class Context {
public:
    /// Creates the stream and the handle.
    Context() {
        // A blocking stream: DeviceBuffer's upload()/download() use the legacy default stream,
        // which orders itself with blocking streams, so a kernel never sees a half-done upload.
        NINJA_CUDA_CHECK(cudaStreamCreate(&stream_));
        if (const cublasStatus_t s = cublasCreate(&blas_); s != CUBLAS_STATUS_SUCCESS) {
            cudaStreamDestroy(stream_);
            NINJA_CUBLAS_CHECK(s);
        }
        NINJA_CUBLAS_CHECK(cublasSetStream(blas_, stream_));
    }
    /// Destroys the handle and the stream.
    ~Context() {
        cublasDestroy(blas_);
        cudaStreamDestroy(stream_);
    }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    /// The stream every launch goes to.
    cudaStream_t stream() const { return stream_; }
    /// The cuBLAS handle, bound to stream().
    cublasHandle_t blas() const { return blas_; }
    /// Waits for everything enqueued on the stream; throws on an asynchronous kernel error.
    void sync() const { NINJA_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

private:
    cudaStream_t stream_ = nullptr;
    cublasHandle_t blas_ = nullptr;
};

}  // namespace ninja::gpu
