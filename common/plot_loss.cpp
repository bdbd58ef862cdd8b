// The loss curve of a training run (common/plot.hpp).
#include <algorithm>
#include <cmath>

#include "common/plot_draw.hpp"

namespace ninja::plot {

namespace {

constexpr int picture_width = 900, picture_height = 560;
constexpr double left = 96, right = 40, top = 56, bottom = 72;
constexpr double plot_width = picture_width - left - right,
                 plot_height = picture_height - top - bottom;
constexpr std::uint32_t ink = 0x202020, grid = 0xe4e4e4, band = 0xbed0ee, curve = 0x18469f,
                        marker = 0x909090;

/// The single steps' log10 losses as a band: for each column of pixels, the 10th and 90th
/// percentiles of the steps it covers (at least 8 of them).
void percentile_band(const std::vector<double>& logs, std::vector<double>& lo,
                     std::vector<double>& hi) {
    const std::size_t steps = logs.size(), columns = std::size_t(plot_width);
    std::vector<double> cell;
    for (std::size_t col = 0; col < columns; ++col) {
        const auto a = std::size_t(double(col) / double(columns) * double(steps));
        const auto b = std::min(
            steps, std::max(a + 8, std::size_t(double(col + 1) / double(columns) * double(steps))));
        cell.assign(logs.begin() + long(a), logs.begin() + long(b));
        const auto quantile = [&](double q) {
            const auto it = cell.begin() + long(q * double(cell.size() - 1));
            std::nth_element(cell.begin(), it, cell.end());
            return *it;
        };
        lo.push_back(quantile(0.1));
        hi.push_back(quantile(0.9));
    }
}

/// The axes' frame, grid lines, ticks and labels, for the data ranges given.
void draw_axes(cairo_t* cr, double xmax, double ylo, double yhi) {
    const auto X = [&](double s) { return left + s / xmax * plot_width; };
    const auto Y = [&](double v) {
        return top + plot_height - (v - ylo) / (yhi - ylo) * plot_height;
    };
    double xstep = 1, ystep = 1;
    const std::vector<double> xt = nice_ticks(0, xmax, 6, xstep),
                              yt = nice_ticks(ylo, yhi, 6, ystep);
    cairo_set_line_width(cr, 1);
    set_colour(cr, grid);
    for (const double t : yt)
        cairo_move_to(cr, left, Y(t)), cairo_line_to(cr, left + plot_width, Y(t));
    for (const double t : xt)
        cairo_move_to(cr, X(t), top), cairo_line_to(cr, X(t), top + plot_height);
    cairo_stroke(cr);
    set_colour(cr, ink);
    for (const double t : xt)
        draw_text(cr, X(t), top + plot_height + 20, tick_label(t, xstep), 12, Align::centre);
    for (const double t : yt)
        draw_text(cr, left - 10, Y(t) + 4, tick_label(t, ystep), 12, Align::right);
    cairo_set_line_width(cr, 1.5);
    cairo_rectangle(cr, left, top, plot_width, plot_height);
    cairo_stroke(cr);
    draw_text(cr, left + plot_width / 2, picture_height - 22, "step", 13, Align::centre);
    draw_text(cr, 24, top + plot_height / 2, "log10(loss)", 13, Align::centre, true);
}

}  // namespace

Picture loss_curve(const std::vector<float>& losses, std::size_t block, std::size_t decay_step) {
    Picture picture(picture_width, picture_height);
    cairo_t* cr = picture.canvas().cr;
    const std::size_t steps = losses.size();
    std::vector<double> logs;
    for (const float loss : losses) logs.push_back(std::log10(std::max(double(loss), 1e-30)));
    const std::vector<double> means = block_means_log10(losses, block);
    const bool as_band = steps > std::size_t(plot_width);
    std::vector<double> band_lo, band_hi;
    if (as_band) percentile_band(logs, band_lo, band_hi);

    // The y range: the curve of means and the lower edge of the band, with a margin; the band's
    // upper edge is clipped (the first steps' losses are far above the rest).
    double ylo = 0, yhi = 1;
    if (!means.empty())
        ylo = *std::min_element(means.begin(), means.end()),
        yhi = *std::max_element(means.begin(), means.end());
    if (!band_lo.empty()) ylo = std::min(ylo, *std::min_element(band_lo.begin(), band_lo.end()));
    if (yhi - ylo < 1e-3) ylo -= 0.05, yhi += 0.05;
    const double pad = 0.06 * (yhi - ylo);
    ylo -= pad, yhi += pad;
    const double xmax = std::max<double>(1, double(steps));
    const auto X = [&](double s) { return left + s / xmax * plot_width; };
    const auto Y = [&](double v) {
        return std::clamp(top + plot_height - (v - ylo) / (yhi - ylo) * plot_height, top,
                          top + plot_height);
    };
    draw_axes(cr, xmax, ylo, yhi);

    set_colour(cr, band);
    cairo_set_line_width(cr, 1);
    if (as_band) {
        for (std::size_t col = 0; col < band_lo.size(); ++col)
            cairo_move_to(cr, left + double(col) + 0.5, Y(band_hi[col])),
                cairo_line_to(cr, left + double(col) + 0.5, Y(band_lo[col]));
    } else {
        for (std::size_t i = 0; i < steps; ++i)
            (i ? cairo_line_to : cairo_move_to)(cr, X(double(i)), Y(logs[i]));
    }
    cairo_stroke(cr);
    if (decay_step > 0 && decay_step < steps) {  // the learning-rate drop, dashed
        const double dash[] = {6, 5};
        set_colour(cr, marker);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, X(double(decay_step)), top),
            cairo_line_to(cr, X(double(decay_step)), top + plot_height);
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
        draw_text(cr, X(double(decay_step)) + 8, top + 20, "learning rate / 10", 12);
    }
    set_colour(cr, curve);
    cairo_set_line_width(cr, 2.5);
    for (std::size_t k = 0; k < means.size(); ++k) {
        const double centre = 0.5 * double(k * block + std::min(steps, (k + 1) * block) - 1);
        (k ? cairo_line_to : cairo_move_to)(cr, X(centre), Y(means[k]));
    }
    if (means.size() == 1) cairo_line_to(cr, X(xmax), Y(means[0]));
    cairo_stroke(cr);

    set_colour(cr, ink);
    draw_text(cr, picture_width / 2.0, 30,
              "Training loss: the mean of log10(loss) over each " + std::to_string(block) +
                  (block == 1 ? " step" : " steps"),
              15, Align::centre);
    set_colour(cr, 0x6e8cc3);
    draw_text(cr, left + plot_width - 10, top + 20,
              as_band ? "light: 10th to 90th percentile of single steps" : "light: every step", 12,
              Align::right);
    return picture;
}

}  // namespace ninja::plot
