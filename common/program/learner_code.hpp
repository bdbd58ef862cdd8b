/// @file
/// @brief Exercise mode runs the learner's code under a time limit and turns what can end a
/// program abruptly into a verdict line: a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), an
/// endless loop, a call to exit(). Whatever happens, the learner reads one line that says what
/// went wrong and what usually causes it, and the program exits with exit_mismatch.
///
/// A crash or an endless loop cannot be caught as an exception: the handlers of the signals
/// write their prepared line with write(2) and end the process with _exit(2), the only things a
/// signal handler may do safely. Outside the learner's code (a fault of the workbook itself) the
/// signals keep their default action.
#pragma once

#include <stdexcept>
#include <string>

#include "common/chapter.hpp"  // NotImplemented
#include "common/error.hpp"    // StepError

namespace ninja {

/// (Declared below, used by run_learner_code.)
std::string explain_learner_error(const std::string& message);

/// The shortest time the learner's code is allowed before it counts as endless, in seconds.
inline constexpr double learner_time_floor = 10;

/// How much longer than the solution the learner's code may take.
inline constexpr double learner_time_factor = 10;

/// The time limit of learner code whose solution takes `solution_seconds`:
/// max(learner_time_floor, learner_time_factor * solution_seconds).
double learner_time_limit(double solution_seconds);

/// One stretch of the learner's code: standard output is flushed first (so that nothing printed
/// before is lost if the code never returns), the signal handlers are in place, and a timer ends
/// the program after `limit_seconds` with the line `verdict: wrong: <what> did not finish within
/// ...` (`what` is e.g. "your step"). Exceptions pass through as they are. Scopes do not nest.
class LearnerCode {
public:
    /// @param what          who runs: "your step", "your train_step"
    /// @param limit_seconds the wall time it may take
    /// @param limit_reason  why that limit, e.g. "ten times the solution's time, and at least 10 s"
    LearnerCode(const std::string& what, double limit_seconds, const std::string& limit_reason);
    ~LearnerCode();
    LearnerCode(const LearnerCode&) = delete;
    LearnerCode& operator=(const LearnerCode&) = delete;

    /// The wall time spent in the scope so far, in seconds.
    double seconds() const;

private:
    double start_;
};

/// Runs `fn()`, the learner's code, in a LearnerCode scope. An exception it throws becomes a
/// StepError, "<what> stopped with an error: <explain_learner_error>", except NotImplemented,
/// which passes as it is: the exercise is not started.
template <class Fn>
decltype(auto) run_learner_code(const std::string& what, double limit_seconds,
                                const std::string& limit_reason, Fn&& fn) {
    LearnerCode scope(what, limit_seconds, limit_reason);
    try {
        return fn();
    } catch (const NotImplemented&) { throw; } catch (const std::exception& e) {
        throw StepError(what + " stopped with an error: " + explain_learner_error(e.what()));
    } catch (...) { throw StepError(what + " threw something that is not a std::exception"); }
}

/// The message of an exception thrown in the learner's code, in words a learner can use:
/// xtensor's assertion texts (exercise builds define XTENSOR_ENABLE_ASSERT) become what they
/// mean (an index out of a tensor's shape, a sum that lost its axis, shapes that do not
/// broadcast), without file names; other messages stay as they are, on one line.
std::string explain_learner_error(const std::string& message);

}  // namespace ninja
