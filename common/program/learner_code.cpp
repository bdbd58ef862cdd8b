#include "common/program/learner_code.hpp"

#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <regex>

#include "common/error.hpp"

namespace ninja {

namespace {

/// True while the learner's code runs: the handlers speak only then.
volatile sig_atomic_t in_learner_code = 0;

/// The lines the handlers write, prepared before the learner's code runs (a handler may not
/// format text).
char timeout_line[512];
char crash_prefix[128];
char exit_line[256];

/// The stack the handlers run on, so that a stack overflow (a recursion that never ends) can
/// still be reported.
alignas(16) char handler_stack[64 * 1024];

double now_seconds() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

/// write(2) until everything is written: async-signal-safe.
void write_text(const char* text) {
    std::size_t left = 0;
    while (text[left] != '\0') ++left;
    while (left > 0) {
        const ssize_t written = write(STDOUT_FILENO, text, left);
        if (written <= 0) return;
        text += written, left -= std::size_t(written);
    }
}

/// What a signal means in the learner's code, and what usually causes it.
const char* crash_reason(int signal) {
    switch (signal) {
        case SIGSEGV:
        case SIGBUS:
            return "a segmentation fault (SIGSEGV): it read or wrote memory it does not own. "
                   "The usual causes: an element of a tensor that has no shape yet (give it one "
                   "first, e.g. with xt::zeros_like), an index past the end of a raw buffer "
                   "(data()[k]), or a function that calls itself without end\n";
        case SIGFPE:
            return "an arithmetic fault (SIGFPE): an integer divided by zero (a size or a count "
                   "that is 0?)\n";
        case SIGILL:
            return "an illegal instruction (SIGILL): usually a function that should return a "
                   "value and reaches its end without a return statement\n";
        case SIGABRT:
            return "the program aborted (SIGABRT): a failed assert(), or an exception thrown "
                   "where none may leave (a destructor, a noexcept function)\n";
        default:
            return "a signal\n";
    }
}

/// The signals the handlers take, and what each did before (the default action, or another
/// part of the workbook's handler, such as the one that removes temporary files).
constexpr int handled[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM};
struct sigaction before[std::size(handled)];

extern "C" void on_signal(int signal);

/// Outside the learner's code a signal is not ours: what was there before takes it.
void pass_on(int signal) {
    for (std::size_t k = 0; k < std::size(handled); ++k) {
        if (handled[k] != signal) continue;
        if (before[k].sa_handler == SIG_IGN) return;
        if (before[k].sa_handler != SIG_DFL && before[k].sa_handler != on_signal) {
            before[k].sa_handler(signal);
            return;
        }
    }
    ::signal(signal, SIG_DFL);
    raise(signal);  // the default action, delivered when the handler returns
}

extern "C" void on_signal(int signal) {
    if (!in_learner_code) {
        pass_on(signal);
        return;
    }
    if (signal == SIGALRM) {
        write_text(timeout_line);
    } else {
        write_text(crash_prefix);
        write_text(crash_reason(signal));
    }
    _exit(exit_mismatch);
}

extern "C" void on_exit_call() {
    if (!in_learner_code) return;
    write_text(exit_line);
    _exit(exit_mismatch);
}

/// Puts the handlers in place, at the start of every stretch of the learner's code (another
/// part of the workbook may have put its own in place since: it is kept, and called outside the
/// learner's code).
void install_handlers() {
    static const bool once = [] {
        stack_t stack{};
        stack.ss_sp = handler_stack;
        stack.ss_size = sizeof handler_stack;
        sigaltstack(&stack, nullptr);
        std::atexit(on_exit_call);
        std::at_quick_exit(on_exit_call);
        return true;
    }();
    (void)once;
    struct sigaction action {};
    action.sa_handler = on_signal;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (std::size_t k = 0; k < std::size(handled); ++k) {
        struct sigaction old {};
        sigaction(handled[k], &action, &old);
        if (old.sa_handler != on_signal) before[k] = old;
    }
}

/// Arms the timer for `seconds` (0 disarms it).
void set_timer(double seconds) {
    itimerval timer{};
    const double whole = std::floor(seconds);
    timer.it_value.tv_sec = time_t(whole);
    timer.it_value.tv_usec = suseconds_t((seconds - whole) * 1e6);
    if (seconds > 0 && timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0)
        timer.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &timer, nullptr);
}

/// "12 s", "0.5 s".
std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, seconds >= 10 ? "%.0f s" : "%.2g s", seconds);
    return text;
}

/// Replaces every match of `pattern` in `text` with `replacement`.
std::string replace(const std::string& text, const char* pattern, const char* replacement) {
    return std::regex_replace(text, std::regex(pattern), replacement);
}

}  // namespace

double learner_time_limit(double solution_seconds) {
    return std::max(learner_time_floor, learner_time_factor * solution_seconds);
}

LearnerCode::LearnerCode(const std::string& what, double limit_seconds,
                         const std::string& limit_reason)
    : start_(now_seconds()) {
    install_handlers();
    std::snprintf(timeout_line, sizeof timeout_line,
                  "verdict: wrong: %s did not finish within %s (%s): an endless loop? A loop "
                  "whose counter is never incremented, or whose condition never becomes false\n",
                  what.c_str(), seconds_text(limit_seconds).c_str(), limit_reason.c_str());
    std::snprintf(crash_prefix, sizeof crash_prefix, "verdict: wrong: %s crashed: ", what.c_str());
    std::snprintf(exit_line, sizeof exit_line,
                  "verdict: wrong: %s ended the program (it called exit()): a step returns to "
                  "its caller\n",
                  what.c_str());
    std::cout.flush();
    std::fflush(stdout);
    in_learner_code = 1;
    set_timer(std::max(limit_seconds, 1e-6));
}

LearnerCode::~LearnerCode() {
    set_timer(0);
    in_learner_code = 0;
}

double LearnerCode::seconds() const { return now_seconds() - start_; }

std::string explain_learner_error(const std::string& message) {
    static const std::regex index_error(
        R"(index (\d+) is out of bounds for axis (\d+) with size (\d+))");
    static const std::regex broadcast_error(
        R"(Incompatible dimension of arrays:\s*LHS shape = \(([^)]*)\)\s*RHS shape = \(([^)]*)\))");
    std::smatch m;
    if (message == "std::bad_alloc")
        return "more memory was asked for than there is (std::bad_alloc): a size computed "
               "wrongly, or a tensor that grows in a loop?";
    if (message.find("Cannot change dimension of xtensor") != std::string::npos)
        return "an expression with another number of axes was assigned to a tensor (a sum "
               "without xt::keep_dims makes (n, V) into (n,), not (n, 1))";
    if (std::regex_search(message, m, index_error))
        return "index " + m.str(1) + " along axis " + m.str(2) +
               " of a tensor whose length there is " + m.str(3) +
               (m.str(3) == "0" ? " (a tensor with no shape yet: give it one first, e.g. "
                                  "xt::zeros_like)"
                                : "");
    if (std::regex_search(message, m, broadcast_error)) {
        const auto shape = [](const std::string& dims) {
            return "(" + replace(replace(dims, R"(,\s*$)", ""), R"(,\s*)", ", ") + ")";
        };
        return "shapes that do not broadcast together: " + shape(m.str(1)) + " and " +
               shape(m.str(2));
    }
    std::string text = replace(message, R"(^Assertion error!\s*)", "");
    text = replace(text, R"(\s*\S*/include/\S*(\(\d+\))?:?)", "");  // the library's file names
    text = replace(text, R"(\s*\n\s*)", "; ");
    return replace(text, R"(^[;\s]+|[;\s]+$)", "");
}

}  // namespace ninja
