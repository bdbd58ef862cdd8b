#include "common/program/chapter_options.hpp"

#include <iostream>

#include "common/program/hints.hpp"
#include "common/program/pictures.hpp"

namespace ninja {

namespace {

/// " "-separated.
template <class Names>
std::string joined(const Names& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : " ") + std::string(name);
    return text;
}

/// The names of the tensors `ids`.
std::vector<std::string_view> names_of(const std::vector<TensorId>& ids) {
    std::vector<std::string_view> names;
    for (TensorId id : ids) names.push_back(info(id).name);
    return names;
}

/// What `--info` adds for a chapter with a step: its exercise, hints, pictures, its chain.
std::vector<std::pair<std::string, std::string>> step_facts(const ChapterInfo& chapter) {
    std::vector<std::pair<std::string, std::string>> extra{
        {"exercise", "chapters/" + chapter.folder + "/exercise.hpp"},
        {"hints", std::to_string(read_hints(chapter.folder).size())},
        {"run", "--out {out}"}};
    std::vector<std::string> pictures;
    for (TensorId id : chapter.grads) pictures.push_back(picture_name(chapter.folder, id));
    extra.emplace_back("pictures", joined(pictures));
    if (const int last = chain_link(chapter.number).replaces[1]; last > 0)
        extra.emplace_back("composes", std::to_string(last));
    return extra;
}

}  // namespace

std::optional<ChapterOptions> parse_chapter_options(int argc, const char* const* argv,
                                                    const ChapterInfo& chapter) {
    ChapterOptions o;
    bool info = false;
    std::uint64_t hint = 0;
    o.setup.config.model = chapter.model;  // the smallest batch of its --help
    CommandLine cl(chapter.program(), "Chapter " + chapter.number_text() + ": " +
                                          std::string(chapter.facts.title) +
                                          "\nPrints the notebook's cmp line for each gradient "
                                          "of this step.\n");
    cl.flag("all", o.all, "print every gradient of the backward pass, not only this step's")
        .option("hint", hint, "N",
                "print hint N (from 1) of this chapter's exercise, and nothing else")
        .flag("info", info, "print the chapter's facts as 'key: value' lines, and nothing else")
        .option("reference", o.reference, "KIND",
                "compare with 'pytorch' (autograd, lecture setup only) or 'numerical' "
                "(float64 central differences, any setup)",
                {"pytorch", "numerical"})
        .option("dump", o.dump, "DIR", "write this step's gradients and its inputs as .npy files")
        .option("out", o.out, "DIR", "draw the pictures of the step's gradients into DIR")
        .option("device", o.device, "KIND",
                "run the backward steps on 'cpu' or on 'cuda' (a CUDA GPU; --reference pytorch)",
                {"cpu", "cuda"})
        .setup_options(o.setup);
    if (!cl.parse(argc, argv)) return std::nullopt;
    if (info) {
        print_chapter_info(std::cout, chapter, step_facts(chapter));
        return std::nullopt;
    }
    if (cl.given("hint")) {
        print_hint(std::cout, chapter.folder, hint);
        return std::nullopt;
    }
    validate(o.setup.config);
    if (o.device == "cuda" && o.reference != "pytorch")
        throw InputError("--device cuda compares with --reference pytorch only");
    if (o.device == "cuda" && exercise_mode)  // the GPU kernels are the workbook's, not yours
        throw InputError(
            "--device cuda runs the workbook's own kernels: exercise mode grades your step on "
            "the CPU, leave --device out");
    return o;
}

void print_heading(std::ostream& out, const ChapterInfo& chapter) {
    out << "Chapter " << chapter.number_text() << ": " << chapter.facts.title
        << "\n\n  forward:  " << chapter.facts.forward << "\n  shapes:   " << chapter.facts.shapes
        << "\n\n";
}

void print_chapter_info(std::ostream& out, const ChapterInfo& chapter,
                        const std::vector<std::pair<std::string, std::string>>& extra) {
    out << "chapter: " << chapter.number << "\nfolder: " << chapter.folder
        << "\nprogram: " << chapter.program() << "\ntitle: " << chapter.facts.title
        << "\ngoal: " << chapter.facts.goal << "\nforward: " << chapter.facts.forward
        << "\nshapes: " << chapter.facts.shapes << "\ngrads: " << joined(names_of(chapter.grads))
        << "\ninputs: " << joined(chapter.inputs)
        << "\nmodel: " << (chapter.model == Model::layernorm ? "layernorm" : "batchnorm") << '\n';
    if (in_chain(chapter.number)) {  // the steps of its backward pass, in order: "21 09 10 22"
        std::vector<std::string> steps;
        for (int c : chain_steps(chapter.number, !chapter.facts.step.empty()))
            steps.push_back(chapter_number(c));
        out << "chain: " << joined(steps) << '\n';
    }
    for (const auto& [key, value] : extra) out << key << ": " << value << '\n';
}

}  // namespace ninja
