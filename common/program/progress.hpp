/// @file
/// @brief Progress of a long computation on stderr: silent for the first seconds, so that a
/// quick run prints nothing, then a line every few seconds with the share done and the time left.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace ninja {

/// Called with (done, total) as the work advances (in any unit of work); prints
/// `<program>: <what>: <percent>% done, <s> s so far, about <s> s left`
/// on stderr once the work has taken `quiet_seconds`, then every `every_seconds`.
class Progress {
public:
    /// @param program  the program's name, the first word of each line
    /// @param what     what is being done, e.g. "float64 central differences"
    Progress(std::string program, std::string what);
    /// Reports that `done` of `total` units are done (prints only when a line is due).
    void operator()(std::size_t done, std::size_t total);

    static constexpr double quiet_seconds = 2;  ///< nothing is printed before this
    static constexpr double every_seconds = 5;  ///< then at most one line this often

private:
    using Clock = std::chrono::steady_clock;
    std::string program_, what_;
    Clock::time_point start_ = Clock::now();
    double next_ = quiet_seconds;  ///< seconds since start_ at which the next line is due
};

}  // namespace ninja
