// Heatmaps of gradients (common/plot.hpp): panels side by side, one diverging colour scale.
#include <algorithm>
#include <cmath>

#include "common/plot_draw.hpp"

namespace ninja::plot {

namespace {

constexpr double panel_top = 40;    // a panel's title, above its grid
constexpr double axis_left = 72;    // row ticks and the rows' name, left of a grid
constexpr double axis_below = 52;   // column ticks and the columns' name, below a grid
constexpr double panel_gap = 28;    // between panels
constexpr double sums_gap = 8;      // between a grid and the strip of its sums
constexpr double bar_width = 16;    // the colour bar
constexpr double bar_area = 100;    // the colour bar with its labels
constexpr double note_height = 18;  // a line of text under the picture
constexpr double max_grid_width = 600;
constexpr double max_grid_height = 430;
constexpr double title_size = 14, note_size = 12;
constexpr std::uint32_t ink = 0x202020, nan_colour = 0x000000;

/// The size of one cell of every grid: square, as large as fits, at most 28 pixels; a grid of
/// few rows gets taller cells, so that a row vector is still a visible strip.
struct Cells {
    double width, height;
};

Cells cell_size(const std::vector<Panel>& panels) {
    double cell = 28;
    const double room = std::max(280.0, max_grid_width / double(panels.size()));
    for (const Panel& p : panels) {
        cell = std::min(cell, room / double(p.values.shape(1)));
        cell = std::min(cell, max_grid_height / double(p.values.shape(0)));
    }
    cell = std::max(1.0, std::floor(cell));
    std::size_t rows = 0;
    for (const Panel& p : panels) rows = std::max(rows, p.values.shape(0));
    return {cell, std::max(cell, std::ceil(24.0 / double(rows)))};
}

/// A panel as it is drawn: its values with the rounding set to zero, and its sums.
struct Drawn {
    xt::xtensor<double, 2> values;  // (rows, cols)
    xt::xtensor<double, 1> sums;    // (cols) or (rows): empty unless the panel asks for them
    std::size_t rounded = 0;        // nonzero entries drawn as zero
};

double rounded(double v, double level) { return std::abs(v) < level ? 0.0 : v; }

Drawn drawn(const Panel& p, double level) {
    Drawn d{p.values, {}, 0};
    for (double& v : d.values) {
        d.rounded += v != 0 && std::abs(v) < level;
        v = rounded(v, level);
    }
    if (p.sums != Sums::none) {
        d.sums = xt::sum(p.values, {p.sums == Sums::columns ? 0 : 1});
        for (double& s : d.sums) s = rounded(s, level);
    }
    return d;
}

/// The largest |value| drawn (NaN left out), or `fallback` when every one is zero (the
/// reference of the rounding, so that an all-rounding picture still has its data's scale).
double colour_scale(const std::vector<Drawn>& all, double fallback) {
    double scale = 0;
    for (const Drawn& d : all)
        for (const double v : d.values)
            if (std::isfinite(v)) scale = std::max(scale, std::abs(v));
    return scale > 0 ? scale : fallback > 0 ? fallback : 1;
}

/// The indices that get a tick: all of them when their labels fit, else round steps.
std::vector<std::size_t> tick_indices(std::size_t count, double cell, bool labelled) {
    std::vector<std::size_t> at;
    if (labelled && cell >= 9) {
        for (std::size_t k = 0; k < count; ++k) at.push_back(k);
        return at;
    }
    const std::size_t most = std::max<std::size_t>(1, std::size_t(double(count) * cell / 40));
    double step = 1;
    for (const double t :
         nice_ticks(0, double(count - 1), int(std::min<std::size_t>(most, 10)), step))
        at.push_back(std::size_t(t));
    if (step < 1) at.assign({0});
    return at;
}

/// The ticks of an axis of `count` cells of `cell` pixels: (position in cells, label). A block
/// axis names its blocks at their centres.
std::vector<std::pair<double, std::string>> ticks(const Axis& axis, std::size_t count,
                                                  double cell) {
    std::vector<std::pair<double, std::string>> out;
    if (axis.block > 0) {
        for (std::size_t b = 0; b * axis.block < count; ++b)
            out.emplace_back(double(b * axis.block) + double(axis.block) / 2,
                             std::to_string(b + 1));
        return out;
    }
    for (const std::size_t k : tick_indices(count, cell, !axis.labels.empty()))
        out.emplace_back(double(k) + 0.5, axis.labels.empty() ? std::to_string(k) : axis.labels[k]);
    return out;
}

void fill_cell(cairo_t* cr, double v, double scale, double x, double y, Cells c) {
    set_colour(cr, std::isnan(v) ? nan_colour : diverging_colour(v, scale));
    cairo_rectangle(cr, x, y, c.width, c.height);
    cairo_fill(cr);
}

void frame(cairo_t* cr, double x, double y, double width, double height) {
    set_colour(cr, ink);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x - 0.5, y - 0.5, width + 1, height + 1);
    cairo_stroke(cr);
}

/// The separators between the blocks of a block axis, across the grid.
void draw_blocks(cairo_t* cr, const Panel& p, double x, double y, Cells c) {
    const std::size_t rows = p.values.shape(0), cols = p.values.shape(1);
    set_colour(cr, ink);
    cairo_set_line_width(cr, 2);
    for (std::size_t k = p.cols.block; p.cols.block > 0 && k < cols; k += p.cols.block)
        cairo_move_to(cr, x + double(k) * c.width, y),
            cairo_line_to(cr, x + double(k) * c.width, y + double(rows) * c.height);
    for (std::size_t k = p.rows.block; p.rows.block > 0 && k < rows; k += p.rows.block)
        cairo_move_to(cr, x, y + double(k) * c.height),
            cairo_line_to(cr, x + double(cols) * c.width, y + double(k) * c.height);
    cairo_stroke(cr);
}

/// The height of the strip of column sums under a grid, with its gap (0 without such sums).
double sums_height(const std::vector<Panel>& panels, Cells c) {
    for (const Panel& p : panels)
        if (p.sums == Sums::columns) return sums_gap + std::max(c.height, 12.0);
    return 0;
}

/// The width of the strip of row sums right of a panel's grid, with its gap (0 without them).
double sums_width(const Panel& p, Cells c) {
    return p.sums == Sums::rows ? sums_gap + std::max(c.width, 12.0) : 0;
}

/// The strip of a panel's sums, beside its grid of `width` by `height` pixels at (x, y):
/// `below` high under it (column sums), or right of it (row sums), labelled "sum".
void draw_sums(cairo_t* cr, const Panel& p, const Drawn& d, double x, double y, Cells c,
               double scale, double below) {
    const double width = double(p.values.shape(1)) * c.width;
    const double height = double(p.values.shape(0)) * c.height;
    const bool columns = p.sums == Sums::columns;
    const Cells strip =
        columns ? Cells{c.width, below - sums_gap} : Cells{sums_width(p, c) - sums_gap, c.height};
    const double sx = columns ? x : x + width + sums_gap, sy = columns ? y + height + sums_gap : y;
    for (std::size_t k = 0; k < d.sums.size(); ++k)
        fill_cell(cr, d.sums(k), scale, sx + (columns ? double(k) * c.width : 0),
                  sy + (columns ? 0 : double(k) * c.height), strip);
    frame(cr, sx, sy, columns ? width : strip.width, columns ? strip.height : height);
    set_colour(cr, ink);
    if (columns)
        draw_text(cr, x - 6, sy + strip.height / 2 + 4, "sum", 10, Align::right);
    else
        draw_text(cr, sx + strip.width / 2, y - 4, "sum", 10, Align::centre);
}

/// One panel with its grid's top left corner at (x, y); `below` is the height of the strip of
/// column sums (of any panel) under the grid.
void draw_panel(cairo_t* cr, const Panel& p, const Drawn& d, double x, double y, Cells c,
                double scale, double below) {
    const std::size_t rows = p.values.shape(0), cols = p.values.shape(1);
    const double width = double(cols) * c.width, height = double(rows) * c.height;
    set_colour(cr, ink);
    draw_text(cr, x + width / 2, y - 12, p.title, title_size, Align::centre);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            fill_cell(cr, d.values(i, j), scale, x + double(j) * c.width, y + double(i) * c.height,
                      c);
    draw_blocks(cr, p, x, y, c);
    frame(cr, x, y, width, height);
    if (p.sums != Sums::none) draw_sums(cr, p, d, x, y, c, scale, below);
    if (rows > 1)  // a single row (a vector) needs no row axis
        for (const auto& [at, label] : ticks(p.rows, rows, c.height))
            draw_text(cr, x - 6, y + at * c.height + 4, label, 10, Align::right);
    const double bottom = y + height + below;
    for (const auto& [at, label] : ticks(p.cols, cols, c.width))
        draw_text(cr, x + at * c.width, bottom + 15, label, 10, Align::centre);
    draw_text(cr, x + width / 2, bottom + 38, p.cols.name, 12, Align::centre);
    if (rows > 1)
        draw_text(cr, x - axis_left + 16, y + height / 2, p.rows.name, 12, Align::centre, true);
}

/// The colour bar, `height` pixels tall, its top left corner at (x, y): ticks at round values of
/// the data (1, 2 or 5 times a power of ten), placed on the square-root scale of the colours,
/// the largest first, each at least 28 pixels from the one before and 20 from zero.
void draw_colour_bar(cairo_t* cr, double x, double y, double height, double scale) {
    const auto offset = [&](double v) { return std::sqrt(v / scale) * height / 2; };  // from 0
    for (int k = 0; k < int(height); ++k) {
        const double f = 1 - 2 * (k + 0.5) / height;
        set_colour(cr, diverging_colour(std::copysign(f * f, f) * scale, scale));
        cairo_rectangle(cr, x, y + k, bar_width, 1);
        cairo_fill(cr);
    }
    frame(cr, x, y, bar_width, height);
    std::vector<double> values{0};
    double last = height;  // the offset of the last tick kept
    for (double power = std::pow(10.0, std::floor(std::log10(scale))); offset(power) >= 20;
         power /= 10)
        for (const double m : {5.0, 2.0, 1.0})
            if (const double v = m * power; v <= scale && offset(v) >= 20 && last - offset(v) >= 28)
                values.push_back(v), last = offset(v);
    for (const double v : values)
        for (const double sign : {1.0, -1.0}) {
            const double ty = y + height / 2 - sign * offset(v);
            cairo_move_to(cr, x + bar_width, ty);
            cairo_line_to(cr, x + bar_width + 5, ty);
            cairo_stroke(cr);
            draw_text(cr, x + bar_width + 8, ty + 4, value_label(sign * v), 10);
            if (v == 0) break;
        }
}

/// `text` broken into lines of at most `width` pixels at `size`, at its spaces.
std::vector<std::string> wrapped(const std::string& text, double width, double size) {
    std::vector<std::string> lines{""};
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        const std::string word = text.substr(at, end - at);
        const std::string longer = lines.back().empty() ? word : lines.back() + " " + word;
        if (!lines.back().empty() && text_width(longer, size) > width)
            lines.push_back(word);
        else
            lines.back() = longer;
        at = end + 1;
    }
    return lines;
}

/// The lines under the picture: what was drawn as zero, and the sums.
std::vector<std::string> notes(const std::vector<Panel>& panels, const std::vector<Drawn>& all,
                               const Rounding& rounding) {
    std::vector<std::string> lines;
    std::size_t count = 0;
    bool blank = true;
    Sums sums = Sums::none;
    double largest_sum = 0;
    for (std::size_t k = 0; k < panels.size(); ++k) {
        count += all[k].rounded;
        blank = blank && std::all_of(all[k].values.begin(), all[k].values.end(),
                                     [](double v) { return v == 0; });
        if (panels[k].sums == Sums::none) continue;
        sums = panels[k].sums;
        const int axis = sums == Sums::columns ? 0 : 1;
        for (const double s : xt::eval(xt::sum(panels[k].values, {axis})))
            largest_sum = std::max(largest_sum, std::abs(s));
    }
    std::size_t entries = 0;
    for (const Panel& p : panels) entries += p.values.size();
    const std::string below = "below 1e-6 of " + value_label(rounding.reference) +
                              " (the largest |" + rounding.of + "|): rounding, drawn as 0.";
    if (count > 0)
        lines.push_back(blank ? "Every entry is " + below
                              : std::to_string(count) + " of " + std::to_string(entries) +
                                    " entries are " + below);
    const std::string line = sums == Sums::columns ? "column" : "row";
    if (sums != Sums::none)
        lines.push_back(largest_sum < rounding.level()
                            ? "sum: every " + line +
                                  " sums to 0 up to rounding (the largest |sum| is " +
                                  value_label(largest_sum) + ")."
                            : "sum: the sum of each " + line + ", in the same colours.");
    return lines;
}

}  // namespace

Picture heatmaps(const std::vector<Panel>& panels, const Rounding& rounding) {
    const Cells c = cell_size(panels);
    std::vector<Drawn> all;
    for (const Panel& p : panels) all.push_back(drawn(p, rounding.level()));
    // Each panel's slot: its row axis, its grid, the gap; wider when its title or its columns'
    // name is wider than the grid (a single column), so that no text is clipped.
    std::vector<double> pads;
    double width = bar_area, grid_height = 0;
    for (const Panel& p : panels) {
        const double grid = double(p.values.shape(1)) * c.width;
        const double text = std::max(text_width(p.title, title_size), text_width(p.cols.name, 12));
        pads.push_back(std::max(0.0, (text - grid) / 2 - axis_left + 8));
        width +=
            axis_left + pads.back() + grid + sums_width(p, c) + std::max(panel_gap, pads.back());
        grid_height = std::max(grid_height, double(p.values.shape(0)) * c.height);
    }
    std::vector<std::string> lines;  // the notes, wrapped to the picture's width (at least 360)
    width = std::max(width, 360.0);
    for (const std::string& note : notes(panels, all, rounding))
        for (const std::string& line : wrapped(note, width - 24, note_size)) lines.push_back(line);
    const double below = sums_height(panels, c);
    const double bar_height = std::clamp(grid_height, 120.0, 300.0);
    const double bottom = panel_top + std::max(grid_height + below + axis_below, bar_height + 12);
    Picture picture(int(std::ceil(width)),
                    int(std::ceil(bottom + note_height * double(lines.size()) + 6)));
    cairo_t* cr = picture.canvas().cr;
    const double scale = colour_scale(all, rounding.reference);
    double x = 0;
    for (std::size_t k = 0; k < panels.size(); ++k) {
        x += axis_left + pads[k];
        draw_panel(cr, panels[k], all[k], x, panel_top, c, scale, below);
        x += double(panels[k].values.shape(1)) * c.width + sums_width(panels[k], c) +
             std::max(panel_gap, pads[k]);
    }
    draw_colour_bar(cr, x + 8, panel_top, bar_height, scale);
    set_colour(cr, ink);
    for (std::size_t k = 0; k < lines.size(); ++k)
        draw_text(cr, 12, bottom + note_height * double(k + 1) - 4, lines[k], note_size);
    return picture;
}

}  // namespace ninja::plot
