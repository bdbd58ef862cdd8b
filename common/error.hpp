/// @file
/// @brief The errors a workbook program reports to its user instead of crashing, and the exit
/// codes of every program and script.
#pragma once

#include <stdexcept>
#include <string>

namespace ninja {

/// Bad input from the user: a malformed or missing file, a wrong option, impossible sizes.
/// Programs print its message as one line on stderr and exit with exit_bad_input.
class InputError : public std::runtime_error {
public:
    /// @param message one line, naming the file or option at fault
    explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

/// Exercise mode: the learner's code stopped with an error (common/program/learner_code.hpp).
/// Its message says what the error means; it is a verdict, `wrong`: exit_mismatch.
class StepError : public std::runtime_error {
public:
    /// @param message one line (and indented lines after it), beginning "your step ..."
    explicit StepError(const std::string& message) : std::runtime_error(message) {}
};

/// Exercise mode, where a program cannot go on without the learner's step: the step is not
/// written yet. Programs print its message as one line on stderr and exit with exit_not_started.
class ExerciseNotStarted : public std::runtime_error {
public:
    /// @param message one line, naming the step and the file to write it in
    explicit ExerciseNotStarted(const std::string& message) : std::runtime_error(message) {}
};

/// The exit codes of every program of the workbook, the one table of them. The scripts in tools/
/// read it from the file CMake writes from these lines (`exit-codes.sh` in the build folder).
enum ExitCode : int {
    exit_ok = 0,              ///< every comparison agreed; in exercise mode: correct
    exit_mismatch = 1,        ///< a comparison disagreed; in exercise mode: wrong
    exit_bad_input = 2,       ///< bad usage or input: one line on stderr, nothing was compared
    exit_not_started = 3,     ///< exercise mode: the learner's step is not written yet
    exit_internal_error = 4,  ///< a fault of the workbook itself (a bug): one line on stderr
};

}  // namespace ninja
