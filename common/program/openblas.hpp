/// @file
/// @brief OpenBLAS in a process with a memory limit (`ulimit -v`, `ulimit -d`).
///
/// OpenBLAS gives each of its threads a buffer for its products, 128 MiB and a page, allocated
/// when the thread starts (its worker threads: when the library loads, before `main`) or makes
/// its first product (the main thread), and kept for the life of the process. When the
/// allocation fails, OpenBLAS tries again, forever: under a memory limit that cannot hold the
/// buffers, a program would hang in its first matrix product, or at its exit, waiting for a
/// worker thread that never got its buffer. The programs prevent both before their work.
#pragma once

namespace ninja {

/// The limit on the process's memory in kB, the smaller of RLIMIT_AS (`ulimit -v`) and
/// RLIMIT_DATA (`ulimit -d`); 0 when there is none.
unsigned long long memory_limit_kb();

/// Under a memory limit (RLIMIT_AS or RLIMIT_DATA), makes OpenBLAS use one thread and allocate
/// that thread's buffer now. OpenBLAS reads its thread count from the environment when it loads,
/// so a process whose `OPENBLAS_NUM_THREADS` is not 1 runs itself again (`/proc/self/exe`, the
/// same arguments, the same process) with `OPENBLAS_NUM_THREADS=1`: the workbook's products are
/// small, and every program runs them on one thread anyway. Throws InputError, naming the limit,
/// when the buffer does not fit under it. Without a limit it does nothing.
void prepare_openblas();

}  // namespace ninja
