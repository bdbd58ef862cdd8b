#include "common/program/report.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <type_traits>

#include "common/program/grade.hpp"
#include "common/program/pictures.hpp"

namespace ninja {

namespace {

/// Calls `fn(tensor)` for what a chapter's info names: a gradient (`dprobs`), an intermediate
/// or a parameter.
template <class T, class Fn>
void visit_named(const std::string& name, const ChapterRun<T>& r, Fn&& fn) {
    TensorId id{};
    if (find_tensor(name, id))
        visit_tensor(id, r.params, r.f, fn);
    else if (name.size() > 1 && name[0] == 'd' && find_tensor(name.substr(1), id))
        r.g.visit(id, fn);
}

/// Writes the chapter's gradients and the tensors its step reads as `.npy` files into `dir`
/// (made ready before the work), each complete or not at all.
template <class T>
void dump_step(const ChapterRun<T>& r, const ChapterInfo& chapter, const std::string& dir) {
    std::vector<std::string> names = chapter.inputs;
    for (TensorId id : chapter.grads) names.push_back("d" + std::string(info(id).name));
    for (const std::string& name : names)
        visit_named(name, r, [&](const auto& t) { write_npy(dir, name, t); });
    std::cout << "wrote " << names.size() << " tensors to " << dir << "\n";
}

/// Prints the cmp line of every gradient in `ids`; true when all are approximately equal.
template <class T>
bool print_comparisons(const ChapterRun<T>& r, const std::vector<TensorId>& ids) {
    bool all_close = true;
    for (const Comparison& c : compare_grads(r, ids)) {
        std::cout << format_cmp(c) << '\n';
        all_close &= c.approximate;
    }
    return all_close;
}

/// "chapters 11-17": the chapters a fused step replaces.
std::string replaced_label(const ChapterInfo& chapter) {
    const std::array<int, 2> replaced = chain_link(chapter.number).replaces;
    char text[32];
    std::snprintf(text, sizeof text, "chapters %02d-%02d", replaced[0], replaced[1]);
    return text;
}

/// A fused step's gradients against the chapters it replaces, composed; true when all agree.
template <class T>
bool compare_with_composed(const ChapterRun<T>& r, const ChapterInfo& chapter,
                           const Grads<T>& composed) {
    std::cout << "\ncompared with " << replaced_label(chapter) << " composed (chapter "
              << replaced_label(chapter).substr(12) << "'s backward, same forward pass):\n";
    bool all_close = true;
    for (TensorId id : chapter.grads)
        visit_pair(id, r.g, composed, [&](const auto& fused, const auto& steps) {
            all_close &= cmp(info(id).name, fused, steps, std::cout).approximate;
        });
    return all_close;
}

/// The chapter's fact that the rows (or columns) of a gradient sum to zero, shown: the largest
/// |sum| (zero but for rounding), and the largest |entry| beside it for scale.
template <class T>
void print_vanishing_sums(const ChapterRun<T>& r, const ChapterInfo& chapter) {
    if (chapter.facts.sums_to_zero.empty()) return;
    const auto [id, rows] = vanishing_sums(chapter.facts.sums_to_zero);
    const std::string name = "d" + std::string(info(id).name);
    visit_named(name, r, [&](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        if constexpr (D::rank == 2) {
            using V = typename D::value_type;  // summed in the gradient's own precision
            const std::size_t lines = rows ? d.shape(0) : d.shape(1);
            const std::size_t along = rows ? d.shape(1) : d.shape(0);
            V worst = 0, largest = 0;
            for (std::size_t a = 0; a < lines; ++a) {
                V sum = 0;
                for (std::size_t b = 0; b < along; ++b) {
                    const V x = rows ? d(a, b) : d(b, a);
                    sum += x;
                    largest = nan_max(largest, std::abs(x));
                }
                worst = nan_max(worst, std::abs(sum));
            }
            std::cout << "\nevery " << (rows ? "row" : "column") << " of " << name
                      << " sums to zero: the largest |" << (rows ? "row" : "column") << " sum| is "
                      << python_float(double(worst))
                      << " (the largest |entry|: " << python_float(double(largest)) << ")\n";
        }
    });
}

}  // namespace

template <class T>
int report(const ChapterRun<T>& r, const ChapterInfo& chapter, const ChapterOptions& o,
           const RunExtras<T>& extras, const std::string& against) {
    std::cout << "compared with " << against << ":\n";
    const std::vector<TensorId> printed = printed_grads(chapter, o.all);
    Verdict verdict;  // exercise mode: what is wrong with the learner's step
    bool ok = exercise_mode ? (verdict = grade(r, chapter, printed, extras.made_up)).wrong.empty()
                            : print_comparisons(r, printed);
    if (extras.composed && !compare_with_composed(r, chapter, *extras.composed)) {
        ok = false;
        verdict.wrong.push_back("the comparison with " + replaced_label(chapter) +
                                " composed says approximate: False");
    }
    if (verdict.wrong.empty()) print_vanishing_sums(r, chapter);
    if (exercise_mode) ok = print_verdict(verdict) == exit_ok;
    check_standard_output();  // a report that was lost: no files either
    if (!o.out.empty()) {
        std::cout << '\n';
        const Grads<T>* composed = extras.composed ? &*extras.composed : nullptr;
        for (const std::string& line :
             draw_gradients(r, chapter, composed, replaced_label(chapter), o.out))
            std::cout << line << '\n';
    }
    if (!o.dump.empty()) {
        dump_step(r, chapter, o.dump);
        dump_expected(r, extras.made_up, chapter, o.dump);
    }
    return ok ? exit_ok : exit_mismatch;
}

std::string numerical_reference_name(const ChapterOptions& o) {
    const Config& c = o.setup.config;
    return "float64 central differences (seed " + std::to_string(c.seed) + ", batch size " +
           std::to_string(c.batch_size) + ", n_hidden " + std::to_string(c.n_hidden) + ")";
}

int report_not_started(const ChapterInfo& chapter) {
    std::cout << "verdict: not started: " << chapter.label()
              << ": not implemented yet \u2014 write your answer in chapters/" << chapter.folder
              << "/exercise.hpp\n";
    return exit_not_started;
}

int report_step_error(const StepError& e) {
    std::cout << "verdict: wrong: " << e.what() << '\n';
    return exit_mismatch;
}

template int report(const ChapterRun<float>&, const ChapterInfo&, const ChapterOptions&,
                    const RunExtras<float>&, const std::string&);
template int report(const ChapterRun<double>&, const ChapterInfo&, const ChapterOptions&,
                    const RunExtras<double>&, const std::string&);

}  // namespace ninja
