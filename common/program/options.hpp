/// @file
/// @brief The command line of every program: options parsed by CLI11, the options every program
/// shares declared once, `--help`, and errors as one line on stderr with the table's exit code.
///
/// CLI11 is a large header; only options.cpp includes it, so that a program's own file compiles
/// quickly. CommandLine is the thin face the programs see.
#pragma once

#include <cstdint>
#include <iostream>
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

    /// A flag: `--name` sets `value` to true.
    CommandLine& flag(const std::string& name, bool& value, const std::string& help);
    /// An option with a text value; when `choices` is not empty, the value must be one of them.
    CommandLine& option(const std::string& name, std::string& value, const std::string& metavar,
                        const std::string& help, const std::vector<std::string>& choices = {});
    /// An option with a non-negative integer value (digits only).
    CommandLine& option(const std::string& name, std::uint64_t& value, const std::string& metavar,
                        const std::string& help);
    /// An option with a finite number as its value.
    CommandLine& option(const std::string& name, double& value, const std::string& metavar,
                        const std::string& help);
    /// `--data`, `--seed`, `--batch-size`, `--n-hidden`, with `setup`'s values as the defaults.
    CommandLine& setup_options(SetupOptions& setup);

    /// Parses the arguments. Returns false when `--help` was given (the help is printed);
    /// throws InputError, with one line naming the option, for bad usage.
    bool parse(int argc, const char* const* argv);
    /// What `--help` prints.
    std::string help() const;
    /// The program's name.
    const std::string& program() const { return program_; }

private:
    std::string program_;
    std::unique_ptr<CLI::App> app_;
};

/// Runs `body` and returns its exit code. An InputError becomes one line on stderr,
/// `<program>: error: <message>`, and exit_bad_input; a StepError (the learner's code) the line
/// `<program>: <message>` and exit_mismatch; any other exception is a fault of the workbook:
/// `<program>: internal error: <message>` and exit_internal_error.
template <class Body>
int guarded_main(const std::string& program, Body&& body) {
    try {
        return body();
    } catch (const InputError& e) {
        std::cerr << program << ": error: " << e.what() << '\n';
        return exit_bad_input;
    } catch (const StepError& e) {  // exercise mode: the learner's code, not the workbook
        std::cerr << program << ": " << e.what() << '\n';
        return exit_mismatch;
    } catch (const std::exception& e) {
        std::cerr << program << ": internal error: " << e.what() << '\n';
        return exit_internal_error;
    }
}

}  // namespace ninja
