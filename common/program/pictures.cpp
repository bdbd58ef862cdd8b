#include "common/program/pictures.hpp"

#include <algorithm>

namespace ninja {

namespace {

/// The dimension letters of a shape: "(n, B*E)" gives {"n", "B*E"}.
std::vector<std::string> letters_of(std::string_view shape) {
    std::vector<std::string> letters;
    std::string current;
    for (const char c : shape) {
        if (c == '(' || c == ' ') continue;
        if (c == ',' || c == ')') {
            if (!current.empty()) letters.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    return letters;
}

/// An axis of `size` indices along the dimension called `letter`: "V: characters", its indices
/// labelled with the characters when there are the lecture's 27.
plot::Axis axis_of(const std::string& letter, std::size_t size) {
    plot::Axis axis{letter, {}};
    for (const auto& [name, meaning] : dimension_names)
        if (name == letter) axis.name += ": " + std::string(meaning);
    const std::string vocabulary = ".abcdefghijklmnopqrstuvwxyz";
    if (letter == "V" && size == vocabulary.size())
        for (const char c : vocabulary) axis.labels.emplace_back(1, c);
    return axis;
}

/// The heatmap panel of a gradient `d` of tensor `id` (any rank: a vector is one row, emb's
/// (n, B, E) is shown as (n, B*E)), titled `title`.
template <class G>
plot::Panel gradient_panel(TensorId id, const G& d, const std::string& title) {
    std::vector<std::string> letters = letters_of(info(id).shape);
    std::size_t rows = 1, cols = d.size();
    if (d.dimension() >= 2) rows = d.shape()[0], cols = d.size() / rows;
    if (letters.size() == 1) letters.insert(letters.begin(), "1");  // a vector: one row
    if (letters.size() == 3) letters = {letters[0], letters[1] + "*" + letters[2]};
    plot::Panel panel{xt::xtensor<double, 2>::from_shape({rows, cols}), title,
                      axis_of(letters[0], rows), axis_of(letters[1], cols)};
    std::copy(d.begin(), d.end(), panel.values.begin());
    return panel;
}

}  // namespace

std::string picture_name(const std::string& folder, TensorId id) {
    return "chapter_" + folder + "_d" + std::string(info(id).name) + ".png";
}

template <class T>
std::vector<std::string> draw_gradients(const ChapterRun<T>& r, const ChapterSteps& chapter,
                                        const Grads<T>* composed, const std::string& composed_label,
                                        const std::string& dir) {
    std::vector<std::string> lines;
    for (TensorId id : tensor_ids(chapter.info.grads)) {
        const std::string name = "d" + std::string(info(id).name);
        bool empty = false;  // a step that never wrote this gradient (an exercise's mistake)
        r.g.visit(id, [&](const auto& d) { empty = d.size() == 0; });
        if (empty) {
            lines.push_back("no picture of " + name + ": the step left it empty");
            continue;
        }
        std::vector<plot::Panel> panels;
        r.g.visit(id, [&](const auto& d) {
            panels.push_back(gradient_panel(id, d, composed ? name + ", fused" : name));
        });
        if (composed)
            composed->visit(id, [&](const auto& d) {
                panels.push_back(gradient_panel(id, d, name + ", " + composed_label));
            });
        const std::string title = "Chapter " + chapter.folder.substr(0, 2) + ": " + name + " " +
                                  std::string(info(id).shape) + "; red positive, blue negative";
        const std::string path = dir + "/" + picture_name(chapter.folder, id);
        plot::write_png(path, plot::heatmaps(panels, title));
        lines.push_back("wrote " + path);
    }
    return lines;
}

template std::vector<std::string> draw_gradients(const ChapterRun<float>&, const ChapterSteps&,
                                                 const Grads<float>*, const std::string&,
                                                 const std::string&);
template std::vector<std::string> draw_gradients(const ChapterRun<double>&, const ChapterSteps&,
                                                 const Grads<double>*, const std::string&,
                                                 const std::string&);

}  // namespace ninja
