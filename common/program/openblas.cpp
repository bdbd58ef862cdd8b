#include "common/program/openblas.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>  // cblas_sgemm

#include "common/error.hpp"

namespace ninja {

namespace {

/// The buffer OpenBLAS allocates for a thread: BUFFER_SIZE of its x86-64 builds (128 MiB) and a
/// page, as OpenBLAS 0.3.21's blas_memory_alloc asks malloc for it.
constexpr std::size_t blas_buffer_bytes = (std::size_t(128) << 20) + 4096;

/// The memory the process maps, in kB (VmSize).
unsigned long long mapped_kb() {
    std::ifstream statm("/proc/self/statm");
    unsigned long long pages = 0;
    statm >> pages;
    return pages * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE)) >> 10;
}

/// Runs this program again with OPENBLAS_NUM_THREADS=1, its arguments read back from
/// /proc/self/cmdline; returns only if that fails (the program then goes on as it is).
void run_again_with_one_blas_thread() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string cmdline{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<char*> argv;
    for (std::size_t at = 0; at < cmdline.size(); at += std::strlen(cmdline.c_str() + at) + 1)
        argv.push_back(const_cast<char*>(cmdline.c_str() + at));
    if (argv.empty() || ::setenv("OPENBLAS_NUM_THREADS", "1", 1) != 0) return;
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
}

}  // namespace

unsigned long long memory_limit_kb() {
    unsigned long long kb = 0;
    for (const int resource : {RLIMIT_AS, RLIMIT_DATA}) {
        rlimit limit{};
        if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) continue;
        const unsigned long long value = limit.rlim_cur >> 10;
        kb = kb == 0 ? value : std::min(kb, value);
    }
    return kb;
}

void prepare_openblas() {
    const unsigned long long limit = memory_limit_kb();
    if (limit == 0) return;
    const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
    if (threads == nullptr || std::string(threads) != "1") run_again_with_one_blas_thread();
    // Room for the buffer? Mapped (not touched) and unmapped again: what malloc will ask for.
    void* room = ::mmap(nullptr, blas_buffer_bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (room == MAP_FAILED)
        throw InputError("out of memory: the limit of " + std::to_string(limit) +
                         " kB (ulimit -v or -d) cannot hold OpenBLAS's buffer of " +
                         std::to_string(blas_buffer_bytes >> 10) + " kB besides the " +
                         std::to_string(mapped_kb()) + " kB the program maps already");
    ::munmap(room, blas_buffer_bytes);
    // A product of 128^3 > 100^3 multiply-adds, beyond the small-matrix kernels of OpenBLAS's
    // AVX-512 builds, which use no buffer: OpenBLAS allocates the buffer now, and keeps it.
    const int n = 128;
    const std::vector<float> a(std::size_t(n * n), 0.0f);
    std::vector<float> c(a.size());
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, a.data(), n,
                0.0f, c.data(), n);
}

}  // namespace ninja
