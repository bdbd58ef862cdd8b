/// @file
/// @brief The program of chapter N (01-22), from `main` to its last line, in one route down the
/// layers: the options (chapter_options), the run against its reference (runs), the chapter's
/// backward pass (its steps: the chapters' library, or in exercise mode yours), what the chain
/// table adds (a fused step's composed chapters; in exercise mode your step on made-up
/// gradients), then what is printed and written (report). The precision is the run's: float
/// against PyTorch, double against central differences.
#pragma once

#include <iostream>

#include "common/device.hpp"
#include "common/program/progress.hpp"
#include "common/program/report.hpp"
#include "common/program/steps.hpp"

namespace ninja {

/// What the chain table and exercise mode add to chapter N's run `r` (see RunExtras).
template <int N, class T>
RunExtras<T> run_extras(const ChapterRun<T>& r) {
    RunExtras<T> extras;
    if constexpr (constexpr int last = chain_link(N).replaces[1]; last > 0) {
        extras.composed.emplace();
        backward<last, T>(*extras.composed, r.f, r.params, r.batch);
    }
    if constexpr (exercise_mode) {
        if (gradients_read(chapter_info<N>()).empty()) return extras;
        ChapterRun<double>& m = extras.made_up.emplace(made_up_run(r.params, r.batch));
        Steps<N>::step(m.g, m.f, m.params, m.batch);          // yours
        step<N, double>(m.expected, m.f, m.params, m.batch);  // the solution's
    }
    return extras;
}

/// Chapter N against PyTorch's gradients on the lecture's batch, on the CPU or the GPU.
template <int N>
int run_against_pytorch(const ChapterInfo& chapter, const ChapterOptions& o) {
    ChapterRun<float> r = pytorch_run(o);
    print_heading(std::cout, chapter);
    if (o.device == "cuda")
        gpu_chapter_backward(N, r.g, r.f, r.params, r.batch);
    else
        Steps<N>::backward(r.g, r.f, r.params, r.batch);
    return report(r, chapter, o, run_extras<N>(r), "PyTorch autograd on the lecture's batch");
}

/// Chapter N in double against float64 central differences, on any setup.
template <int N>
int run_against_numerical(const ChapterInfo& chapter, const ChapterOptions& o) {
    ChapterRun<double> r = numerical_run(o);
    print_heading(std::cout, chapter);
    Steps<N>::backward(r.g, r.f, r.params, r.batch);
    const OracleReport oracle =
        add_numerical_reference(r, printed_grads(chapter, o.all),
                                Progress(chapter.program(), "float64 central differences"));
    if (oracle.unresolved > 0)
        std::cout << "note: " << oracle.unresolved << " of the " << oracle.elements
                  << " central differences could not be refined to 1% of the tolerance (their "
                     "error estimate reaches "
                  << python_float(oracle.worst_fraction)
                  << " times that): a False there may be the oracle's\n\n";
    return report(r, chapter, o, run_extras<N>(r), numerical_reference_name(o));
}

/// The `main` of chapter N's program. In exercise mode the learner's step may not be written
/// yet, or may stop with an error: both are verdicts, not failures of the program.
template <int N>
int run_chapter(int argc, const char* const* argv) {
    const ChapterInfo& chapter = chapter_info<N>();
    return guarded_main(chapter.program(), [&] {
        const std::optional<ChapterOptions> o = parse_chapter_options(argc, argv, chapter);
        if (!o) return int(exit_ok);  // --help, --info, --hint
        if (o->device == "cuda") require_cuda_device();
        try {
            return o->reference == "pytorch" ? run_against_pytorch<N>(chapter, *o)
                                             : run_against_numerical<N>(chapter, *o);
        } catch (const NotImplemented&) {
            return report_not_started(chapter);
        } catch (const StepError& e) { return report_step_error(e); }
    });
}

}  // namespace ninja
