#include "common/program/progress.hpp"

namespace ninja {

Progress::Progress(std::string program, std::string what, double quiet_seconds,
                   double every_seconds, std::FILE* out)
    : program_(std::move(program)),
      what_(std::move(what)),
      next_(quiet_seconds),
      every_(every_seconds),
      out_(out) {}

void Progress::operator()(std::size_t done, std::size_t total) {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    if (seconds < next_ || done == 0 || total == 0) return;
    next_ = seconds + every_;
    const double share = double(done) / double(total);
    std::fprintf(out_, "%s: %s: %.0f%% done, %.0f s so far, about %.0f s left\n", program_.c_str(),
                 what_.c_str(), 100 * share, seconds, seconds * (1 - share) / share);
    std::fflush(out_);
}

}  // namespace ninja
