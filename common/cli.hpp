/// @file
/// @brief A small command-line parser shared by the chapter programs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ninja {

/// Declares the options of a program, parses `argv`, prints `--help`.
/// Options take the forms `--name value`, `--name=value`, or `--flag`.
class Cli {
public:
    /// @param program the program's name, for the usage line
    /// @param summary one paragraph printed by `--help`
    Cli(std::string program, std::string summary);
    /// Declares an option that takes a value, with its default ("" for none).
    Cli& option(const std::string& name, const std::string& metavar, const std::string& fallback,
                const std::string& help);
    /// Declares an option without a value.
    Cli& flag(const std::string& name, const std::string& help);
    /// Parses the arguments. Returns false when `--help` was given (the help was printed);
    /// throws InputError for an unknown option, a missing value or a stray argument.
    bool parse(int argc, const char* const* argv);
    /// The value of an option (its default if not given).
    const std::string& get(const std::string& name) const;
    /// Whether a flag was given.
    bool has(const std::string& name) const;
    /// The value of an option as a non-negative integer; InputError if it is not one.
    std::uint64_t get_uint(const std::string& name) const;
    /// The value of an option as a number; InputError if it is not one.
    double get_double(const std::string& name) const;
    /// The text `--help` prints.
    std::string help() const;

private:
    struct Spec {
        std::string name, metavar, fallback, help;
        bool takes_value;
    };
    const Spec& find(const std::string& name) const;
    std::string program_, summary_;
    std::vector<Spec> specs_;
    std::map<std::string, std::string> values_;
};

/// Runs `body` and turns an InputError (or any other exception) into one line on stderr,
/// `<program>: error: <message>`, and exit code 2 (3 for an unexpected internal error).
template <class Body>
int guarded_main(const char* program, Body&& body);

/// Prints `<program>: error: <message>` on stderr.
void report_error(const char* program, const char* message);

}  // namespace ninja

#include "common/error.hpp"

template <class Body>
int ninja::guarded_main(const char* program, Body&& body) {
    try {
        return body();
    } catch (const InputError& e) {
        report_error(program, e.what());
        return exit_bad_input;
    } catch (const std::exception& e) {
        report_error(program, (std::string("internal error: ") + e.what()).c_str());
        return 3;
    }
}
