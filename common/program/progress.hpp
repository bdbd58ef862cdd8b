/// @file
/// @brief Progress of a long computation on stderr: silent for the first seconds, so that a
/// quick run prints nothing, then a line every few seconds with the share done and the time left.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace ninja {

/// Called with (done, total) as the work advances (in any unit of work); prints
/// `<program>: <what>: <percent>% done, <s> s so far, about <s> s left`
/// once the work has taken `quiet_seconds`, then every `every_seconds`.
class Progress {
public:
    /// @param program        the program's name, the first word of each line
    /// @param what           what is being done, e.g. "float64 central differences"
    /// @param quiet_seconds  nothing is printed before this
    /// @param every_seconds  then at most one line this often
    /// @param out            where the lines go
    Progress(std::string program, std::string what, double quiet_seconds = 2,
             double every_seconds = 5, std::FILE* out = stderr);
    /// Reports that `done` of `total` units are done (prints only when a line is due).
    void operator()(std::size_t done, std::size_t total);

private:
    using Clock = std::chrono::steady_clock;
    std::string program_, what_;
    double next_;  ///< seconds since start_ at which the next line is due
    double every_;
    std::FILE* out_;
    Clock::time_point start_ = Clock::now();
};

}  // namespace ninja
