#include "common/program/options.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <sstream>
#include <type_traits>

#include <CLI/CLI.hpp>

#include "common/decimal.hpp"
#include "common/program/openblas.hpp"

namespace ninja {

static_assert(std::is_same_v<std::size_t, std::uint64_t>,
              "sizes are read as 64-bit non-negative integers");

namespace {

/// Accepts a text that `parse` reads (common/decimal.hpp); else says it expected `what`.
template <class Parse>
CLI::Validator accepting(Parse parse, const std::string& what) {
    return CLI::Validator(
        [parse, what](const std::string& text) -> std::string {
            if (parse(text)) return {};
            return "expects " + what + ", got '" + text + "'";
        },
        "", what);
}

/// Accepts any text but the empty one: `--data ''` or `--out ''` is not the option left out.
CLI::Validator non_empty(const std::string& metavar) {
    return CLI::Validator(
        [metavar](const std::string& text) -> std::string {
            return text.empty() ? "expects " + metavar + ", got an empty text" : std::string();
        },
        "", metavar);
}

/// Adds option `--name`, whose text `parse` converts into `value` (common/decimal.hpp): CLI11's
/// own conversion would read "010" as octal (strtoull's base 0).
template <class T, class Parse>
void add_number(CLI::App& app, const std::string& name, T& value, const std::string& metavar,
                const std::string& help, Parse parse, const std::string& what) {
    std::ostringstream default_value;
    default_value << value;
    app.add_option_function<std::string>(
           "--" + name, [&value, parse](const std::string& text) { value = T(*parse(text)); }, help)
        ->type_name(metavar)
        ->default_str(default_value.str())
        ->check(accepting(parse, what));
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
    app_->add_flag("--" + name, value, help)->disable_flag_override();
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, std::string& value,
                                 const std::string& metavar, const std::string& help,
                                 const std::vector<std::string>& choices) {
    CLI::Option* o = app_->add_option("--" + name, value, help)->type_name(metavar);
    if (!value.empty()) o->capture_default_str();
    o->check(non_empty(metavar));
    if (!choices.empty()) o->check(CLI::IsMember(choices));
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, std::uint64_t& value,
                                 const std::string& metavar, const std::string& help) {
    add_number(*app_, name, value, metavar, help, parse_decimal_integer,
               "a non-negative decimal integer");
    return *this;
}

CommandLine& CommandLine::option(const std::string& name, double& value, const std::string& metavar,
                                 const std::string& help) {
    add_number(*app_, name, value, metavar, help, parse_decimal_number, "a finite decimal number");
    return *this;
}

CommandLine& CommandLine::setup_options(SetupOptions& setup) {
    Config& c = setup.config;
    option("data", setup.data, "PATH", "names.txt (else $NINJA_NAMES, else data/names.txt)");
    option("seed", c.seed, "N", "seed of the PyTorch generator behind the parameters and batches");
    option("batch-size", c.batch_size, "N",
           c.model == Model::layernorm ? "examples per minibatch (at least 1)"
                                       : "examples per minibatch (at least 2)");
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
        throw InputError(std::string(e.what()) + " (see --help)");
    }
}

void check_standard_output() {
    errno = 0;
    std::cout.flush();  // into stdout's buffer, which it flushes
    const bool flushed = std::fflush(stdout) == 0;
    const int error = errno;  // of the first write that failed in either flush
    if (flushed && !std::ferror(stdout) && std::cout.good()) return;
    throw InputError("cannot write to standard output" +
                     (error != 0 ? " (" + std::string(std::strerror(error)) + ")" : std::string()) +
                     ": what was printed is incomplete");
}

bool CommandLine::given(const std::string& name) const { return app_->count("--" + name) > 0; }

std::string CommandLine::help() const { return app_->help(); }

namespace {

/// `message` on one line: a control character (a newline in a path, a carriage return, an
/// escape sequence) is written as `\n`, `\r`, `\t` or `\xNN`, and a backslash as `\\`.
std::string one_line(const std::string& message) {
    std::string line;
    for (const char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\\') {
            line += "\\\\";
        } else if (c == '\n' || c == '\r' || c == '\t') {
            line += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
        } else if (byte < 0x20 || byte == 0x7f) {
            char code[8];
            std::snprintf(code, sizeof code, "\\x%02x", byte);
            line += code;
        } else {
            line += c;
        }
    }
    return line;
}

/// Opens /dev/null on whichever of the standard descriptors 0, 1 and 2 is closed, so that no
/// file the program opens later takes its number (and receives its output); returns false when
/// standard output was closed.
bool reopen_closed_standard_streams() {
    bool output_open = true;
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        output_open &= fd != 1;
        const int opened = ::open("/dev/null", O_RDWR);  // the lowest free descriptor: fd
        if (opened >= 0 && opened != fd) ::close(opened);
    }
    return output_open;
}

/// The line for a run that ran out of memory, with the limit it ran under.
std::string out_of_memory() {
    const unsigned long long limit = memory_limit_kb();
    const std::string under =
        limit == 0 ? "the memory of the machine"
                   : "the process's limit of " + std::to_string(limit) + " kB (ulimit -v or -d)";
    return "out of memory: this run needs more than " + under +
           "; use smaller sizes (--batch-size, --n-hidden, the names file) or more memory";
}

}  // namespace

int guarded_main(const std::string& program, const std::function<int()>& body) {
    const auto report = [&](const char* kind, const std::string& message, int code) {
        std::cerr << program << ": " << kind << ": " << one_line(message) << '\n';
        return code;
    };
    if (!reopen_closed_standard_streams())
        return report("error", "standard output is closed (>&-): nothing could be printed",
                      exit_bad_input);
    std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit on stdout is a failed write, not a kill
    int code = exit_ok;
    try {
        prepare_openblas();  // under a memory limit: one BLAS thread, its buffer allocated now
        code = body();
    } catch (const ExerciseNotStarted& e) {
        return report("not started", e.what(), exit_not_started);
    } catch (const InputError& e) {
        return report("error", e.what(), exit_bad_input);
    } catch (const StepError& e) {  // exercise mode: the learner's code, not the workbook
        return report("wrong", e.what(), exit_mismatch);
    } catch (const std::bad_alloc&) {
        return report("error", out_of_memory(), exit_bad_input);
    } catch (const std::exception& e) {
        return report("internal error", e.what(), exit_internal_error);
    }
    try {
        check_standard_output();
    } catch (const InputError& e) { return report("error", e.what(), exit_bad_input); }
    return code;
}

}  // namespace ninja
