// Heatmaps of gradients (common/plot.hpp): panels side by side, one diverging colour scale.
#include <algorithm>
#include <cmath>

#include "common/plot_draw.hpp"

namespace ninja::plot {

namespace {

constexpr double title_height = 46;  // the picture's title
constexpr double panel_top = 30;     // a panel's title, above its grid
constexpr double axis_left = 72;     // row ticks and the rows' name, left of a grid
constexpr double axis_below = 52;    // column ticks and the columns' name, below a grid
constexpr double panel_gap = 28;     // between panels
constexpr double bar_width = 16;     // the colour bar
constexpr double bar_area = 110;     // the colour bar with its labels
constexpr double max_grid_width = 600;
constexpr double max_grid_height = 430;
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

/// The largest |value| of all panels (NaN left out); 1 when they are all zero.
double colour_scale(const std::vector<Panel>& panels) {
    double scale = 0;
    for (const Panel& p : panels)
        for (const double v : p.values)
            if (std::isfinite(v)) scale = std::max(scale, std::abs(v));
    return scale > 0 ? scale : 1;
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

std::string index_label(const Axis& axis, std::size_t k) {
    return axis.labels.empty() ? std::to_string(k) : axis.labels[k];
}

/// One panel with its grid's top left corner at (x, y).
void draw_panel(cairo_t* cr, const Panel& p, double x, double y, Cells c, double scale) {
    const std::size_t rows = p.values.shape(0), cols = p.values.shape(1);
    set_colour(cr, ink);
    draw_text(cr, x + double(cols) * c.width / 2, y - 10, p.title, 13, Align::centre);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            const double v = p.values(i, j);
            set_colour(cr, std::isnan(v) ? nan_colour : diverging_colour(v, scale));
            cairo_rectangle(cr, x + double(j) * c.width, y + double(i) * c.height, c.width,
                            c.height);
            cairo_fill(cr);
        }
    set_colour(cr, ink);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x - 0.5, y - 0.5, double(cols) * c.width + 1, double(rows) * c.height + 1);
    cairo_stroke(cr);
    const double bottom = y + double(rows) * c.height;
    if (rows > 1)  // a single row (a vector) needs no row axis
        for (const std::size_t k : tick_indices(rows, c.height, !p.rows.labels.empty()))
            draw_text(cr, x - 6, y + (double(k) + 0.5) * c.height + 4, index_label(p.rows, k), 10,
                      Align::right);
    for (const std::size_t k : tick_indices(cols, c.width, !p.cols.labels.empty()))
        draw_text(cr, x + (double(k) + 0.5) * c.width, bottom + 15, index_label(p.cols, k), 10,
                  Align::centre);
    draw_text(cr, x + double(cols) * c.width / 2, bottom + 38, p.cols.name, 12, Align::centre);
    if (rows > 1)
        draw_text(cr, x - axis_left + 16, y + double(rows) * c.height / 2, p.rows.name, 12,
                  Align::centre, true);
}

/// The colour bar, `height` pixels tall, its top left corner at (x, y).
void draw_colour_bar(cairo_t* cr, double x, double y, double height, double scale) {
    const auto value_at = [scale](double f) {
        return std::copysign(f * f, f) * scale;
    };  // f in [-1, 1]
    for (int k = 0; k < int(height); ++k) {
        set_colour(cr, diverging_colour(value_at(1 - 2 * (k + 0.5) / height), scale));
        cairo_rectangle(cr, x, y + k, bar_width, 1);
        cairo_fill(cr);
    }
    set_colour(cr, ink);
    cairo_rectangle(cr, x - 0.5, y - 0.5, bar_width + 1, height + 1);
    cairo_stroke(cr);
    for (const double f : {1.0, 0.5, 0.0, -0.5, -1.0}) {
        const double ty = y + (1 - f) / 2 * height;
        cairo_move_to(cr, x + bar_width, ty);
        cairo_line_to(cr, x + bar_width + 5, ty);
        cairo_stroke(cr);
        draw_text(cr, x + bar_width + 8, ty + 4, value_label(value_at(f)), 10);
    }
}

}  // namespace

Picture heatmaps(const std::vector<Panel>& panels, const std::string& title) {
    const Cells c = cell_size(panels);
    double width = bar_area, grid_height = 120;
    for (const Panel& p : panels) {
        width += axis_left + double(p.values.shape(1)) * c.width + panel_gap;
        grid_height = std::max(grid_height, double(p.values.shape(0)) * c.height);
    }
    const double top = title_height + panel_top;
    Picture picture(int(std::ceil(width)), int(std::ceil(top + grid_height + axis_below)));
    cairo_t* cr = picture.canvas().cr;
    set_colour(cr, ink);
    draw_text(cr, width / 2, 28, title, 16, Align::centre);
    const double scale = colour_scale(panels);
    double x = 0;
    for (const Panel& p : panels) {
        x += axis_left;
        draw_panel(cr, p, x, top, c, scale);
        x += double(p.values.shape(1)) * c.width + panel_gap;
    }
    draw_colour_bar(cr, x + 8, top, std::min(grid_height, 300.0), scale);
    return picture;
}

}  // namespace ninja::plot
