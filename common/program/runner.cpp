#include "common/program/runner.hpp"

#include <cstdio>
#include <iostream>

#include "common/device.hpp"
#include "common/program/grade.hpp"
#include "common/program/hints.hpp"
#include "common/program/pictures.hpp"
#include "common/program/progress.hpp"

namespace ninja {

namespace {

/// "08" for chapter 8.
std::string two_digits(int number) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d", number);
    return text;
}

/// Calls `fn(tensor)` for the tensor a chapter's info names: a gradient (`dprobs`), a forward
/// intermediate or a parameter. False when no tensor has that name.
template <class T, class Fn>
bool visit_named(const std::string& name, const ChapterRun<T>& r, Fn&& fn) {
    TensorId id{};
    if (name.size() > 1 && name[0] == 'd' && find_tensor(name.substr(1), id)) {
        r.g.visit(id, fn);
        return true;
    }
    if (!find_tensor(name, id)) return false;
    visit_tensor(id, r.params, r.f, fn);
    return true;
}

/// Writes the chapter's gradients and the tensors its step reads as `.npy` files into `dir`
/// (checked by check_output_folders before the work), each complete or not at all.
template <class T>
void dump_step(const ChapterRun<T>& r, const ChapterInfo& info, const std::string& dir) {
    std::vector<std::string> names = info.inputs;
    for (const std::string& name : info.grads) names.push_back("d" + name);
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

/// A fused chapter's gradients against the chapters it replaces, composed, on the same forward
/// pass; fills `composed` and returns whether every gradient agrees.
template <class T>
bool compare_with_composed(const ChapterRun<T>& r, const ChapterProgram& program,
                           Grads<T>& composed) {
    const Composed& c = program.composed;
    if constexpr (std::is_same_v<T, float>)
        c.backward_float(composed, r.f, r.params, r.batch);
    else
        c.backward_double(composed, r.f, r.params, r.batch);
    std::cout << "\ncompared with " << c.label << " composed (chapter " << two_digits(c.chapter)
              << "'s backward, same forward pass):\n";
    bool all_close = true;
    for (TensorId id : tensor_ids(program.steps.info.grads))
        visit_pair(id, r.g, composed, [&](const auto& fused, const auto& steps) {
            all_close &= cmp(info(id).name, fused, steps, std::cout).approximate;
        });
    return all_close;
}

/// Draws the pictures of the chapter's gradients into `dir` (made ready by check_output_folders),
/// and says so.
template <class T>
void draw_pictures(const ChapterRun<T>& r, const ChapterProgram& program, const Grads<T>* composed,
                   const std::string& dir) {
    std::cout << '\n';
    for (const std::string& line :
         draw_gradients(r, program.steps, composed, program.composed.label, dir))
        std::cout << line << '\n';
}

/// Prints the comparisons (and, in exercise mode, the verdict), a fused chapter's comparison
/// with the chapters it replaces, the program's extras, the pictures and the dump; returns the
/// exit code.
template <class T>
int report(const ChapterRun<T>& r, const ChapterProgram& program, const ChapterOptions& o,
           ExtraReport<T> extra, const std::string& against) {
    const ChapterInfo& info = program.steps.info;
    std::cout << "compared with " << against << ":\n";
    const std::vector<TensorId> printed = printed_grads(info, o.all);
    Verdict verdict;  // exercise mode: what is wrong with the learner's step
    bool ok = exercise_mode ? (verdict = grade(r, program.steps, printed)).wrong.empty()
                            : print_comparisons(r, printed);
    const auto fail = [&](const std::string& comparison) {  // a later comparison disagrees
        ok = false;
        verdict.wrong.push_back(comparison + " says approximate: False");
    };
    Grads<T> composed;
    const bool fused = program.composed.chapter > 0;
    if (fused && !compare_with_composed(r, program, composed))
        fail("the comparison with " + program.composed.label + " composed");
    if (extra != nullptr && verdict.wrong.empty() && !extra(r, o))
        fail("a comparison printed after the gradients");
    if (exercise_mode) ok = print_verdict(verdict) == exit_ok;
    check_standard_output();  // a report that was lost: no files either
    if (!o.out.empty()) draw_pictures(r, program, fused ? &composed : nullptr, o.out);
    if (!o.dump.empty()) {
        dump_step(r, info, o.dump);
        dump_expected(r, verdict, info, o.dump);
    }
    return ok ? exit_ok : exit_mismatch;
}

/// PyTorch's reference data exists for one setup only; any other is a usage error.
void require_lecture_setup(const Config& config, const Config& lecture) {
    if (config.seed != lecture.seed || config.batch_size != lecture.batch_size ||
        config.n_hidden != lecture.n_hidden)
        throw InputError("PyTorch reference data exists only for the lecture setup (seed " +
                         std::to_string(lecture.seed) + ", batch size " +
                         std::to_string(lecture.batch_size) + ", n_hidden " +
                         std::to_string(lecture.n_hidden) + "); use --reference numerical");
}

/// PyTorch's reference data was made from one names file (meta.txt's names_sha256): the names
/// file of the run (`--data`, $NINJA_NAMES, data/names.txt) must be that one, else it is a usage
/// error. The file is read (and checked) once.
void require_reference_names(const Reference& ref, const std::string& path) {
    const std::string sha256 = read_names_file(path).sha256;
    if (sha256 != ref.names_sha256())
        throw InputError(path + ": there is no PyTorch reference data for these names (SHA-256 " +
                         sha256.substr(0, 16) + "..., the reference's " +
                         ref.names_sha256().substr(0, 16) + "...); use --reference numerical");
}

/// The folders the program will write into can take files: checked once the input is (so that
/// bad input leaves no folder behind), before any work.
void check_output_folders(const ChapterOptions& o) {
    if (!o.dump.empty()) prepare_output_folder(o.dump, "--dump");
    if (!o.out.empty()) prepare_output_folder(o.out, "--out");
}

/// The run against PyTorch's gradients, on the CPU or on the GPU.
int run_against_pytorch(const ChapterProgram& program, const ChapterOptions& o, bool gpu) {
    const ChapterSteps& s = program.steps;
    const Reference ref("lecture");
    require_lecture_setup(o.setup.config, ref.config());
    require_reference_names(ref, resolve_data_path(o.setup.data));
    ChapterRun<float> r = load_pytorch_run(ref);
    check_output_folders(o);
    print_heading(std::cout, s.number, s.info);
    if (gpu)
        gpu_chapter_backward(s.number, r.g, r.f, r.params, r.batch);
    else
        s.backward_float(r.g, r.f, r.params, r.batch);
    return report(r, program, o, program.extra_float, "PyTorch autograd on the lecture's batch");
}

/// The run against float64 central differences, on any setup.
int run_against_numerical(const ChapterProgram& program, const ChapterOptions& o) {
    const ChapterSteps& s = program.steps;
    const Config& c = o.setup.config;
    const Setup setup = make_setup(c, resolve_data_path(o.setup.data));
    check_output_folders(o);
    print_heading(std::cout, s.number, s.info);
    OracleReport oracle;
    ChapterRun<double> r =
        run_on_numerical_reference(s.backward_double, setup, printed_grads(s.info, o.all),
                                   Progress(s.program(), "float64 central differences"), &oracle);
    if (oracle.unresolved > 0)
        std::cout << "note: " << oracle.unresolved << " of the " << oracle.elements
                  << " central differences could not be refined to 1% of the tolerance (their "
                     "error estimate reaches "
                  << python_float(oracle.worst_fraction)
                  << " times that): a False there may be the oracle's\n\n";
    return report(r, program, o, program.extra_double,
                  "float64 central differences (seed " + std::to_string(c.seed) + ", batch size " +
                      std::to_string(c.batch_size) + ", n_hidden " + std::to_string(c.n_hidden) +
                      ")");
}

/// Runs the comparison the options ask for; in exercise mode the learner's step may not be
/// written yet, or may stop with an error: both are verdicts, not failures of the program (the
/// heading is printed before the learner's code runs).
int run(const ChapterProgram& program, const ChapterOptions& o) {
    const bool gpu = o.device == "cuda";
    if (gpu) {
        require_cuda_device();
        if (o.reference != "pytorch")
            throw InputError("--device cuda compares with --reference pytorch only");
        if (exercise_mode)  // the GPU kernels are the workbook's, not the learner's step
            throw InputError(
                "--device cuda runs the workbook's own kernels: exercise mode grades "
                "your step on the CPU, leave --device out");
    }
    const ChapterSteps& s = program.steps;
    try {
        return o.reference == "pytorch" ? run_against_pytorch(program, o, gpu)
                                        : run_against_numerical(program, o);
    } catch (const NotImplemented&) {  // exercise mode: the learner has not started
        std::cout << "verdict: not started: " << s.label()
                  << ": not implemented yet \u2014 write your answer in chapters/" << s.folder
                  << "/exercise.hpp\n";
        return exit_not_started;
    } catch (const StepError& e) {  // exercise mode: thrown by the learner's step
        std::cout << "verdict: wrong: " << e.what() << '\n';
        return exit_mismatch;
    }
}

}  // namespace

void print_heading(std::ostream& out, int number, const ChapterInfo& info) {
    out << "Chapter " << two_digits(number) << ": " << info.title
        << "\n\n  forward:  " << info.forward_line << "\n  shapes:   " << info.shapes << "\n\n";
}

void print_chapter_info(std::ostream& out, int number, const std::string& folder,
                        const ChapterInfo& info,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
    const auto joined = [](const std::vector<std::string>& names) {
        std::string text;
        for (const std::string& name : names) text += (text.empty() ? "" : " ") + name;
        return text;
    };
    out << "chapter: " << number << "\nfolder: " << folder << "\nprogram: chapter_" << folder
        << "\ntitle: " << info.title << "\ngoal: " << info.goal
        << "\nforward: " << info.forward_line << "\nshapes: " << info.shapes
        << "\ngrads: " << joined(info.grads) << "\ninputs: " << joined(info.inputs) << '\n';
    for (const auto& [key, value] : extra) out << key << ": " << value << '\n';
}

int run_chapter_program(int argc, const char* const* argv, const ChapterProgram& program) {
    const ChapterSteps& s = program.steps;
    return guarded_main(s.program(), [&] {
        ChapterOptions o;
        CommandLine cl(s.program(), "Chapter " + two_digits(s.number) + ": " + s.info.title +
                                        "\nPrints the notebook's cmp line for each gradient of "
                                        "this step.\n");
        cl.flag("all", o.all,
                "print every gradient of the notebook's table so far, not only this step's")
            .option("hint", o.hint, "N",
                    "print hint N (from 1) of this chapter's exercise, and nothing else")
            .flag("info", o.info,
                  "print the chapter's facts as 'key: value' lines, and nothing else")
            .option("reference", o.reference, "KIND",
                    "compare with 'pytorch' (autograd, lecture setup only) or 'numerical' "
                    "(float64 central differences, any setup)",
                    {"pytorch", "numerical"})
            .option("dump", o.dump, "DIR",
                    "write this step's gradients and its inputs as .npy files")
            .option("out", o.out, "DIR", "draw the pictures of the step's gradients into DIR")
            .option(
                "device", o.device, "KIND",
                "run the backward steps on 'cpu' or on 'cuda' (a CUDA GPU; --reference pytorch)",
                {"cpu", "cuda"})
            .setup_options(o.setup);
        if (!cl.parse(argc, argv)) return int(exit_ok);
        if (o.info) {
            std::vector<std::pair<std::string, std::string>> extra{
                {"exercise", "chapters/" + s.folder + "/exercise.hpp"},
                {"hints", std::to_string(read_hints(s.folder).size())},
                {"run", "--out {out}"}};
            std::string pictures;
            for (TensorId id : tensor_ids(s.info.grads))
                pictures += (pictures.empty() ? "" : " ") + picture_name(s.folder, id);
            extra.emplace_back("pictures", pictures);
            if (program.composed.chapter > 0)
                extra.emplace_back("composes", std::to_string(program.composed.chapter));
            print_chapter_info(std::cout, s.number, s.folder, s.info, extra);
            return int(exit_ok);
        }
        if (cl.given("hint")) {
            print_hint(std::cout, s.folder, o.hint);
            return int(exit_ok);
        }
        validate(o.setup.config);
        return run(program, o);
    });
}

}  // namespace ninja
