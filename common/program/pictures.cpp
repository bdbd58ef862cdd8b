#include "common/program/pictures.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

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

/// An axis of `size` indices along the dimension called `letter`: "V: characters" (a 1 is only
/// itself: one row, or one column), its indices
/// labelled with the characters when there are the lecture's 27; the B*E axis of `embcat` in
/// blocks of `embedding` (E) numbers, one block per context position.
plot::Axis axis_of(const std::string& letter, std::size_t size, std::size_t embedding) {
    plot::Axis axis{letter, {}};
    for (const auto& [name, meaning] : dimension_names)
        if (name == letter && letter != "1") axis.name += ": " + std::string(meaning);
    const std::string vocabulary = ".abcdefghijklmnopqrstuvwxyz";
    if (letter == "V" && size == vocabulary.size())
        for (const char c : vocabulary) axis.labels.emplace_back(1, c);
    if (letter == "B*E" && embedding > 0 && size % embedding == 0) {
        axis.block = embedding;
        axis.name = "B*E: context positions 1 to " + std::to_string(size / embedding) +
                    ", E = " + std::to_string(embedding) + " numbers each";
    }
    return axis;
}

/// The heatmap panel of a gradient `d` of tensor `id` (any rank: a vector is one row, emb's
/// (n, B, E) is shown as (n, B*E)), titled `title`; `embedding` is E. The chapter's fact that the
/// columns or rows of this gradient sum to zero (batchnorm subtracts each column's mean, so a
/// constant added to a column of `hprebn` changes nothing downstream) draws their sums beside it.
template <class G>
plot::Panel gradient_panel(const ChapterInfo& chapter, TensorId id, const G& d,
                           const std::string& title, std::size_t embedding) {
    std::vector<std::string> letters = letters_of(info(id).shape);
    std::size_t rows = 1, cols = d.size();
    if (d.dimension() >= 2) rows = d.shape()[0], cols = d.size() / rows;
    if (letters.size() == 1) letters.insert(letters.begin(), "1");  // a vector: one row
    if (letters.size() == 3) letters = {letters[0], letters[1] + "*" + letters[2]};
    plot::Panel panel{xt::xtensor<double, 2>::from_shape({rows, cols}), title,
                      axis_of(letters[0], rows, embedding), axis_of(letters[1], cols, embedding)};
    std::copy(d.begin(), d.end(), panel.values.begin());
    if (const std::string_view fact = chapter.facts.sums_to_zero; !fact.empty())
        if (const VanishingSums sums = vanishing_sums(fact); sums.id == id)
            panel.sums = sums.rows ? plot::Sums::rows : plot::Sums::columns;
    return panel;
}

/// The rounding level of the picture of `id`'s gradient: relative to the largest |value| of that
/// gradient and of the gradients the chapter's step reads (its inputs named d...).
template <class T>
plot::Rounding rounding_of(const Grads<T>& g, const ChapterInfo& chapter, TensorId id) {
    plot::Rounding r{0, "d" + std::string(info(id).name)};
    const auto largest = [&](TensorId of) {
        double m = 0;
        g.visit(of, [&](const auto& d) {
            for (const auto v : d)  // NaN and infinity (an exercise's mistake) left out
                if (std::isfinite(double(v))) m = std::max(m, std::abs(double(v)));
        });
        return m;
    };
    r.reference = largest(id);
    for (TensorId upstream : gradients_read(chapter))
        if (const double m = largest(upstream); m > r.reference)
            r.reference = m, r.of = "d" + std::string(info(upstream).name);
    return r;
}

}  // namespace

std::string picture_name(const std::string& folder, TensorId id) {
    return "chapter_" + folder + "_d" + std::string(info(id).name) + ".png";
}

template <class T>
std::vector<std::string> draw_gradients(const ChapterRun<T>& r, const ChapterInfo& chapter,
                                        const Grads<T>* composed, const std::string& composed_label,
                                        const std::string& dir) {
    std::vector<std::string> lines;
    for (TensorId id : chapter.grads) {
        const std::string name = "d" + std::string(info(id).name);
        bool empty = false;  // a step that never wrote this gradient (an exercise's mistake)
        r.g.visit(id, [&](const auto& d) { empty = d.size() == 0; });
        if (empty) {
            lines.push_back("no picture of " + name + ": the step left it empty");
            continue;
        }
        const std::string title = name + " " + std::string(info(id).shape);  // "dC (V, E)"
        const std::size_t embedding = r.params.C.shape(1);                   // E
        std::vector<plot::Panel> panels;
        r.g.visit(id, [&](const auto& d) {
            panels.push_back(
                gradient_panel(chapter, id, d, composed ? title + ", fused" : title, embedding));
        });
        if (composed)
            composed->visit(id, [&](const auto& d) {
                panels.push_back(
                    gradient_panel(chapter, id, d, name + ", " + composed_label, embedding));
            });
        const std::string path = dir + "/" + picture_name(chapter.folder, id);
        plot::write_png(path, plot::heatmaps(panels, rounding_of(r.g, chapter, id)));
        lines.push_back("wrote " + path);
    }
    return lines;
}

#define NINJA_PICTURES(T)                                                                      \
    template std::vector<std::string> draw_gradients(const ChapterRun<T>&, const ChapterInfo&, \
                                                     const Grads<T>*, const std::string&,      \
                                                     const std::string&);
NINJA_PICTURES(float)
NINJA_PICTURES(double)
#undef NINJA_PICTURES

}  // namespace ninja
