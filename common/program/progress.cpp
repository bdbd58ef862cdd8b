#include "common/program/progress.hpp"

#include <cstdio>

namespace ninja {

Progress::Progress(std::string program, std::string what)
    : program_(std::move(program)), what_(std::move(what)) {}

void Progress::operator()(std::size_t done, std::size_t total) {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (seconds < next_ || done == 0 || total == 0) return;
    next_ = seconds + every_seconds;
    const double share = double(done) / double(total);
    std::fprintf(stderr, "%s: %s: %.0f%% done, %.0f s so far, about %.0f s left\n",
                 program_.c_str(), what_.c_str(), 100 * share, seconds,
                 seconds * (1 - share) / share);
    std::fflush(stderr);
}

}  // namespace ninja
