/// @file
/// @brief The errors a workbook program reports to its user instead of crashing.
#pragma once

#include <stdexcept>
#include <string>

namespace ninja {

/// Bad input from the user: a malformed or missing file, a wrong option, impossible sizes.
/// Programs print its message as one line on stderr and exit with code 2.
class InputError : public std::runtime_error {
public:
    /// @param message one line, naming the file or option at fault
    explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

/// The exit codes every chapter program uses.
enum ExitCode : int {
    exit_ok = 0,        ///< every comparison printed was approximately equal
    exit_mismatch = 1,  ///< at least one comparison was not
    exit_bad_input = 2  ///< bad usage or input: nothing was compared
};

}  // namespace ninja
