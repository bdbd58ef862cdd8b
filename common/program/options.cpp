#include "common/program/options.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <type_traits>

#include <CLI/CLI.hpp>

namespace ninja {

static_assert(std::is_same_v<std::size_t, std::uint64_t>,
              "sizes are read as 64-bit non-negative integers");

namespace {

/// Accepts digits only, and a value that fits in 64 bits ("-3" is refused, not wrapped).
CLI::Validator non_negative_integer() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) != 0;
            });
            errno = 0;
            if (digits) std::strtoull(text.c_str(), nullptr, 10);
            if (!digits || errno == ERANGE)
                return "expects a non-negative integer, got '" + text + "'";
            return {};
        },
        "", "non-negative integer");
}

/// Accepts a finite number ("nan", "inf" and "1e999" are refused).
CLI::Validator finite_number() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            char* end = nullptr;
            errno = 0;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(value))
                return "expects a finite number, got '" + text + "'";
            return {};
        },
        "", "finite number");
}

/// The exit codes, for the end of `--help`.
const char* exit_code_footer() {
    static const std::string footer = [] {
        const std::pair<int, const char*> codes[] = {
            {exit_ok, "every comparison agreed (exercise mode: correct)"},
            {exit_mismatch, "a comparison disagreed (exercise mode: wrong)"},
            {exit_bad_input, "bad usage or input (one line on stderr)"},
            {exit_not_started, "exercise mode: the exercise is not started"},
            {exit_internal_error, "an internal error of the workbook"}};
        std::string text = "Exit codes:";
        for (const auto& [code, meaning] : codes)
            text += "\n  " + std::to_string(code) + "  " + meaning;
        return text;
    }();
    return footer.c_str();
}

}  // namespace

CommandLine::CommandLine(std::string program, std::string description)
    : program_(std::move(program)), app_(std::make_unique<CLI::App>(description, program_)) {
    app_->footer(exit_code_footer());
    app_->get_formatter()->column_width(26);
}

CommandLine::~CommandLine() = default;

CommandLine& CommandLine::flag(const std::string& name, bool& value, const std::string& help) {
    app_->add_flag("--" + name, value, help);
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, std::string& value,
                                 const std::string& metavar, const std::string& help,
                                 const std::vector<std::string>& choices) {
    CLI::Option* o = app_->add_option("--" + name, value, help)->type_name(metavar);
    if (!value.empty()) o->capture_default_str();
    if (!choices.empty()) o->check(CLI::IsMember(choices));
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, std::uint64_t& value,
                                 const std::string& metavar, const std::string& help) {
    app_->add_option("--" + name, value, help)
        ->type_name(metavar)
        ->capture_default_str()
        ->check(non_negative_integer());
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, double& value, const std::string& metavar,
                                 const std::string& help) {
    app_->add_option("--" + name, value, help)
        ->type_name(metavar)
        ->capture_default_str()
        ->check(finite_number());
    return *this;
}

CommandLine& CommandLine::setup_options(SetupOptions& setup) {
    Config& c = setup.config;
    option("data", setup.data, "PATH", "names.txt (else $NINJA_NAMES, else data/names.txt)");
    option("seed", c.seed, "N", "seed of the PyTorch generator behind the parameters and batches");
    option("batch-size", c.batch_size, "N", "examples per minibatch (at least 2)");
    option("n-hidden", c.n_hidden, "N", "neurons in the hidden layer");
    return *this;
}

bool CommandLine::parse(int argc, const char* const* argv) {
    try {
        app_->parse(argc, argv);
        return true;
    } catch (const CLI::CallForHelp&) {
        std::cout << help();
        return false;
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        std::replace(message.begin(), message.end(), '\n', ' ');
        throw InputError(message + " (see --help)");
    }
}

std::string CommandLine::help() const { return app_->help(); }

}  // namespace ninja
