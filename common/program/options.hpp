/// @file
/// @brief The command line of every program: options parsed by CLI11, the options every program
/// shares declared once, `--help`, and errors as one line on stderr with the table's exit code.
///
/// CLI11 is a large header; only options.cpp includes it, so that a program's own file compiles
/// quickly. CommandLine is the thin face the programs see.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/model.hpp"

namespace CLI {
class App;
}

namespace ninja {

/// What `--data`, `--seed`, `--batch-size` and `--n-hidden` set, in every program that has them.
struct SetupOptions {
    std::string data;  ///< `--data`: names.txt ("" for $NINJA_NAMES, else data/names.txt)
    Config config;     ///< `--seed`, `--batch-size`, `--n-hidden` (the rest stays the lecture's)
};

/// A program's options, `--help` and parsing (CLI11 underneath).
class CommandLine {
public:
    /// @param program     the program's name, for `--help` and error lines
    /// @param description what the program does, printed first by `--help`
    CommandLine(std::string program, std::string description);
    ~CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    /// A flag: `--name` sets `value` to true (`--name=VALUE` is refused).
    CommandLine& flag(const std::string& name, bool& value, const std::string& help);
    /// An option with a text value, never empty; when `choices` is not empty, the value must be
    /// one of them.
    CommandLine& option(const std::string& name, std::string& value, const std::string& metavar,
                        const std::string& help, const std::vector<std::string>& choices = {});
    /// An option with a non-negative integer value in decimal digits (common/decimal.hpp).
    CommandLine& option(const std::string& name, std::uint64_t& value, const std::string& metavar,
                        const std::string& help);
    /// An option with a finite number, written in decimal, as its value.
    CommandLine& option(const std::string& name, double& value, const std::string& metavar,
                        const std::string& help);
    /// `--data`, `--seed`, `--batch-size`, `--n-hidden`, with `setup`'s values as the defaults.
    CommandLine& setup_options(SetupOptions& setup);

    /// Parses the arguments. Returns false when `--help` was given (the help is printed);
    /// throws InputError, with one line naming the option, for bad usage.
    bool parse(int argc, const char* const* argv);
    /// Whether option `--name` was given (after parse()).
    bool given(const std::string& name) const;
    /// What `--help` prints.
    std::string help() const;
    /// The program's name.
    const std::string& program() const { return program_; }

private:
    std::string program_;
    std::unique_ptr<CLI::App> app_;
};

/// Flushes standard output; throws InputError when anything printed could not be written (a
/// full disk, `> /dev/full`, a file-size limit). Called before a program writes its files, so
/// that a run whose report is lost writes none, and by guarded_main() at the end.
void check_standard_output();

/// Runs a program's `body` and returns its exit code; what it ends with becomes one line on
/// stderr, `<program>: <kind>: <message>`, with control characters in the message escaped (a
/// path may hold a newline):
/// - an InputError: `error`, exit_bad_input; so is running out of memory (std::bad_alloc), with
///   the limit the process runs under;
/// - an ExerciseNotStarted: `not started`, exit_not_started;
/// - a StepError (exercise mode: the learner's code stopped with an error): `wrong`,
///   exit_mismatch;
/// - any other exception, a fault of the workbook: `internal error`, exit_internal_error.
///
/// Standard output is flushed and checked at the end: what the program printed and could not
/// write (a full disk, `> /dev/full`, a file-size limit: SIGXFSZ is ignored) is an error too. A closed standard output (`>&-`) is refused
/// before `body` runs, and a closed standard input or error is opened on /dev/null, so that no
/// file the program opens takes their place.
int guarded_main(const std::string& program, const std::function<int()>& body);

}  // namespace ninja
