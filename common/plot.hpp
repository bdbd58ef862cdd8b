/// @file
/// @brief The programs' pictures: a gradient as a grid of gray blocks (chapter 21), and the loss
/// curve as a PNG plot with axes, ticks, labels and a title (chapter 23), drawn with a small
/// built-in 5x7 bitmap font.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "common/png.hpp"

namespace ninja::plot {

/// A colour: red, green, blue.
struct Color {
    std::uint8_t r;  ///< red, 0..255
    std::uint8_t g;  ///< green, 0..255
    std::uint8_t b;  ///< blue, 0..255
};

/// The glyphs of the built-in font: 7 rows of 5 pixels each, the most significant of the 5 low
/// bits being the leftmost pixel, in a line 9 rows high. Digits, letters of both cases and the
/// punctuation the plot needs; the letters with a descender are drawn 2 rows lower.
struct Glyph {
    char ch;               ///< the character
    std::uint8_t drop;     ///< rows to move the glyph down (2 for g, j, p, q, y)
    std::uint8_t rows[7];  ///< its rows, top first
};

/// The font table (a character missing from it is drawn as a hollow box).
inline const Glyph font[] = {
    {' ', 0, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {'.', 0, {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
    {',', 0, {0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08}},
    {':', 0, {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}},
    {'-', 0, {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'+', 0, {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00}},
    {'(', 0, {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', 0, {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
    {'/', 0, {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00}},
    {'=', 0, {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00}},
    {'_', 0, {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F}},
    {'%', 0, {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}},
    {'>', 0, {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08}},
    {'<', 0, {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02}},
    {'0', 0, {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    {'1', 0, {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', 0, {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    {'3', 0, {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', 0, {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    {'5', 0, {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', 0, {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    {'7', 0, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', 0, {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    {'9', 0, {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'A', 0, {0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11}},
    {'B', 0, {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
    {'C', 0, {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
    {'D', 0, {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},
    {'E', 0, {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    {'F', 0, {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
    {'G', 0, {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
    {'H', 0, {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'I', 0, {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'J', 0, {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'K', 0, {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
    {'L', 0, {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
    {'M', 0, {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
    {'N', 0, {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    {'O', 0, {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'P', 0, {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
    {'Q', 0, {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
    {'R', 0, {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
    {'S', 0, {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    {'T', 0, {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    {'U', 0, {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'V', 0, {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
    {'W', 0, {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
    {'X', 0, {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
    {'Y', 0, {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}},
    {'Z', 0, {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
    {'a', 0, {0x00, 0x00, 0x0E, 0x01, 0x0F, 0x11, 0x0F}},
    {'b', 0, {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1E}},
    {'c', 0, {0x00, 0x00, 0x0E, 0x10, 0x10, 0x11, 0x0E}},
    {'d', 0, {0x01, 0x01, 0x0D, 0x13, 0x11, 0x11, 0x0F}},
    {'e', 0, {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E}},
    {'f', 0, {0x06, 0x09, 0x08, 0x1C, 0x08, 0x08, 0x08}},
    {'g', 2, {0x0F, 0x11, 0x11, 0x11, 0x0F, 0x01, 0x0E}},
    {'h', 0, {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11}},
    {'i', 0, {0x04, 0x00, 0x0C, 0x04, 0x04, 0x04, 0x0E}},
    {'j', 2, {0x02, 0x00, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'k', 0, {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12}},
    {'l', 0, {0x0C, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'m', 0, {0x00, 0x00, 0x1A, 0x15, 0x15, 0x11, 0x11}},
    {'n', 0, {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11}},
    {'o', 0, {0x00, 0x00, 0x0E, 0x11, 0x11, 0x11, 0x0E}},
    {'p', 2, {0x1E, 0x11, 0x11, 0x11, 0x1E, 0x10, 0x10}},
    {'q', 2, {0x0F, 0x11, 0x11, 0x11, 0x0F, 0x01, 0x01}},
    {'r', 0, {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10}},
    {'s', 0, {0x00, 0x00, 0x0E, 0x10, 0x0E, 0x01, 0x1E}},
    {'t', 0, {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06}},
    {'u', 0, {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0D}},
    {'v', 0, {0x00, 0x00, 0x11, 0x11, 0x11, 0x0A, 0x04}},
    {'w', 0, {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0A}},
    {'x', 0, {0x00, 0x00, 0x11, 0x0A, 0x04, 0x0A, 0x11}},
    {'y', 2, {0x11, 0x11, 0x11, 0x11, 0x0F, 0x01, 0x0E}},
    {'z', 0, {0x00, 0x00, 0x1F, 0x02, 0x04, 0x08, 0x1F}},
};

/// The glyph of `ch`, or null if the font has none.
inline const Glyph* glyph_of(char ch) {
    for (const Glyph& g : font)
        if (g.ch == ch) return &g;
    return nullptr;
}

/// An RGB picture to draw on; coordinates outside it are clipped.
class Canvas {
public:
    /// A `width` x `height` canvas filled with `background`.
    Canvas(std::size_t width, std::size_t height, Color background) : image_(width, height, 3) {
        fill_rect(0, 0, long(width), long(height), background);
    }

    /// Sets one pixel (ignored outside the canvas).
    void pixel(long x, long y, Color c) {
        if (x < 0 || y < 0 || x >= long(image_.width) || y >= long(image_.height)) return;
        std::uint8_t* px = image_.at(std::size_t(x), std::size_t(y));
        px[0] = c.r, px[1] = c.g, px[2] = c.b;
    }

    /// Fills the rectangle [x0, x1) x [y0, y1).
    void fill_rect(long x0, long y0, long x1, long y1, Color c) {
        for (long y = y0; y < y1; ++y)
            for (long x = x0; x < x1; ++x) pixel(x, y, c);
    }

    /// A straight line from (x0, y0) to (x1, y1), `thickness` pixels wide (a square brush).
    void line(double x0, double y0, double x1, double y1, Color c, int thickness = 1) {
        const double steps = std::max({std::abs(x1 - x0), std::abs(y1 - y0), 1.0});
        const long lo = -(thickness - 1) / 2, hi = thickness / 2;
        for (long s = 0; s <= long(steps); ++s) {
            const double t = double(s) / steps;
            const long x = std::lround(x0 + t * (x1 - x0)), y = std::lround(y0 + t * (y1 - y0));
            fill_rect(x + lo, y + lo, x + hi + 1, y + hi + 1, c);
        }
    }

    /// The width in pixels of `text` at `scale` (each glyph 5 wide plus 1 of spacing).
    static long text_width(const std::string& text, int scale) {
        return text.empty() ? 0 : long(text.size()) * 6 * scale - scale;
    }

    /// Writes `text` left to right with its top-left corner at (x, y), each font pixel a
    /// `scale` x `scale` square.
    void text(long x, long y, const std::string& text, Color c, int scale) {
        for (std::size_t i = 0; i < text.size(); ++i)
            glyph(text[i], [&](long col, long row) {
                fill_rect(x + (long(i) * 6 + col) * scale, y + row * scale,
                          x + (long(i) * 6 + col + 1) * scale, y + (row + 1) * scale, c);
            });
    }

    /// Writes `text` reading upwards (turned a quarter left), starting at (x, y) as its
    /// bottom-left corner.
    void text_up(long x, long y, const std::string& text, Color c, int scale) {
        for (std::size_t i = 0; i < text.size(); ++i)
            glyph(text[i], [&](long col, long row) {
                const long u = long(i) * 6 + col;  // along the text
                fill_rect(x + row * scale, y - (u + 1) * scale, x + (row + 1) * scale,
                          y - u * scale, c);
            });
    }

    /// The picture drawn so far.
    const png::Image& image() const { return image_; }

private:
    /// Calls `set(col, row)` for every lit pixel of the glyph of `ch`.
    template <class Set>
    static void glyph(char ch, Set&& set) {
        const Glyph* g = glyph_of(ch);
        const long drop = g ? g->drop : 0;
        for (long row = 0; row < 7; ++row)
            for (long col = 0; col < 5; ++col) {
                const bool box = row == 0 || row == 6 || col == 0 || col == 4;
                const bool lit = g ? (g->rows[row] >> (4 - col)) & 1 : box;
                if (lit) set(col, row + drop);
            }
    }

    png::Image image_;
};

/// The picture of a gradient such as `dlogits` (chapter 21 describes it): a `block` x `block` pixel square per
/// entry, gray level 128 at zero, 0 at \f$ -a \f$ and 255 at \f$ +a \f$ with
/// \f$ a = \max|\texttt{dlogits}| \f$.
/// @param dlogits (n, V)
/// @param block   side of one entry's square, in pixels
/// @return an 8-bit gray picture of V * block by n * block pixels
inline png::Image gradient_image(const xt::xtensor<double, 2>& dlogits, std::size_t block = 12) {
    const std::size_t n = dlogits.shape(0), V = dlogits.shape(1);
    double a = 0;
    for (const double v : dlogits) a = std::max(a, std::abs(v));
    if (a == 0) a = 1;  // an all-zero gradient is all mid gray
    png::Image image(V * block, n * block, 1);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < V; ++j) {
            const double level = 127.5 + 127.5 * (dlogits(i, j) / a);  // [0, 255]
            const auto gray = static_cast<std::uint8_t>(std::lround(std::clamp(level, 0.0, 255.0)));
            for (std::size_t y = i * block; y < (i + 1) * block; ++y)
                std::fill_n(image.at(j * block, y), block, gray);
        }
    return image;
}

/// Round tick positions covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about
/// `target` of them.
inline std::vector<double> nice_ticks(double lo, double hi, int target,
                                      double* step_out = nullptr) {
    const double raw = (hi - lo) / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (step_out) *step_out = step;
    return ticks;
}

/// A tick label with as many decimals as the tick step needs.
inline std::string tick_label(double value, double step) {
    const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

/// log10 of a loss, a loss of 0 drawn at 1e-30.
inline double log10_of_loss(float loss) { return std::log10(std::max(double(loss), 1e-30)); }

/// The points of the loss curve: the mean of log10(loss) over each block of `block` steps
/// (a last, shorter block included).
inline std::vector<double> block_means_log10(const std::vector<float>& losses, std::size_t block) {
    std::vector<double> means;
    for (std::size_t at = 0; at < losses.size(); at += block) {
        const std::size_t end = std::min(losses.size(), at + block);
        double s = 0;
        for (std::size_t i = at; i < end; ++i) s += log10_of_loss(losses[i]);
        means.push_back(s / double(end - at));
    }
    return means;
}

/// The block size of the loss curve: 1,000 steps as in the lecture, or steps/100 (at least 1)
/// for runs shorter than 100,000 steps, so that a short run still draws a curve.
inline std::size_t curve_block(std::size_t steps) {
    return steps >= 100000 ? 1000 : std::max<std::size_t>(1, steps / 100);
}

/// The loss curve of a training run.
/// @param losses     the loss of every step
/// @param block      steps per point of the curve (the mean of their log10 losses)
/// @param decay_step the step where the learning rate drops (marked if inside the run)
/// @return an RGB picture, 900 x 560 pixels
inline png::Image loss_curve(const std::vector<float>& losses, std::size_t block,
                             std::size_t decay_step) {
    const Color white{255, 255, 255}, black{0, 0, 0}, grid{228, 228, 228}, band{190, 208, 238},
        curve{24, 70, 160}, marker{160, 160, 160};
    const long W = 900, Hpx = 560, left = 110, right = 56, top = 56, bottom = 78;
    const long pw = W - left - right, ph = Hpx - top - bottom;
    Canvas canvas(W, Hpx, white);

    const std::size_t steps = losses.size();
    std::vector<double> logs(steps);
    for (std::size_t i = 0; i < steps; ++i) logs[i] = log10_of_loss(losses[i]);
    const std::vector<double> means = block_means_log10(losses, block);
    std::vector<double> centres;
    for (std::size_t at = 0; at < steps; at += block)
        centres.push_back(0.5 * double(at + std::min(steps, at + block) - 1));
    // The raw losses as a band: for each pixel column, the 10th to the 90th percentile of the
    // steps it covers, and at least 8 (a polyline instead, when the steps are fewer than the
    // columns).
    const bool as_band = steps > std::size_t(pw);
    std::vector<double> band_lo, band_hi;
    if (as_band) {
        std::vector<double> cell;
        for (long col = 0; col < pw; ++col) {
            const auto a = std::size_t(double(col) / double(pw) * double(steps));
            const auto b = std::min(
                steps, std::max(a + 8, std::size_t(double(col + 1) / double(pw) * double(steps))));
            cell.assign(logs.begin() + long(a), logs.begin() + long(b));
            const auto at = [&](double q) {
                auto it = cell.begin() + long(q * double(cell.size() - 1));
                std::nth_element(cell.begin(), it, cell.end());
                return *it;
            };
            band_lo.push_back(at(0.1));
            band_hi.push_back(at(0.9));
        }
    }
    // The y range: the curve of means and the lower edge of the band, with a margin; the band's
    // upper edge is clipped (the first steps' losses are far above the rest).
    double ylo = 0, yhi = 1;
    if (!means.empty()) {
        ylo = *std::min_element(means.begin(), means.end());
        yhi = *std::max_element(means.begin(), means.end());
    }
    if (!band_lo.empty()) ylo = std::min(ylo, *std::min_element(band_lo.begin(), band_lo.end()));
    if (yhi - ylo < 1e-3) ylo -= 0.05, yhi += 0.05;
    const double pad = 0.06 * (yhi - ylo);
    ylo -= pad, yhi += pad;
    const double xhi = std::max<double>(1, double(steps));
    const auto X = [&](double step) { return double(left) + step / xhi * double(pw); };
    const auto Y = [&](double v) {
        return double(top + ph) - (v - ylo) / (yhi - ylo) * double(ph);
    };
    const auto clip = [&](double y) { return std::clamp(y, double(top), double(top + ph)); };

    double xstep = 1, ystep = 1;
    const std::vector<double> xt = nice_ticks(0, xhi, 6, &xstep),
                              yt = nice_ticks(ylo, yhi, 6, &ystep);
    for (double t : yt) canvas.line(double(left), Y(t), double(left + pw), Y(t), grid);
    for (double t : xt) canvas.line(X(t), double(top), X(t), double(top + ph), grid);

    if (as_band) {
        for (long col = 0; col < pw; ++col)
            canvas.line(double(left + col), clip(Y(band_hi[std::size_t(col)])), double(left + col),
                        clip(Y(band_lo[std::size_t(col)])), band);
    } else {
        for (std::size_t i = 1; i < steps; ++i)
            canvas.line(X(double(i - 1)), clip(Y(logs[i - 1])), X(double(i)), clip(Y(logs[i])),
                        band);
    }
    if (decay_step > 0 && decay_step < steps) {  // the learning-rate drop, dashed
        for (long y = top; y < top + ph; y += 10)
            canvas.line(X(double(decay_step)), double(y), X(double(decay_step)),
                        double(std::min(y + 5, top + ph)), marker);
        canvas.text(long(X(double(decay_step))) + 8, top + ph - 26, "lr / 10", Color{110, 110, 110},
                    2);
    }
    for (std::size_t k = 1; k < means.size(); ++k)
        canvas.line(X(centres[k - 1]), Y(means[k - 1]), X(centres[k]), Y(means[k]), curve, 3);
    if (means.size() == 1) canvas.line(X(0), Y(means[0]), X(xhi), Y(means[0]), curve, 3);

    // Axes, ticks, labels, title.
    canvas.line(double(left), double(top), double(left), double(top + ph), black, 2);
    canvas.line(double(left), double(top + ph), double(left + pw), double(top + ph), black, 2);
    for (double t : xt) {
        canvas.line(X(t), double(top + ph), X(t), double(top + ph + 6), black, 2);
        const std::string label = tick_label(t, xstep);
        canvas.text(long(X(t)) - Canvas::text_width(label, 2) / 2, top + ph + 12, label, black, 2);
    }
    for (double t : yt) {
        canvas.line(double(left - 6), Y(t), double(left), Y(t), black, 2);
        const std::string label = tick_label(t, ystep);
        canvas.text(left - 12 - Canvas::text_width(label, 2), long(Y(t)) - 7, label, black, 2);
    }
    const std::string xlabel = "step", ylabel = "log10(loss)";
    canvas.text(left + pw / 2 - Canvas::text_width(xlabel, 2) / 2, Hpx - 30, xlabel, black, 2);
    canvas.text_up(18, top + ph / 2 + Canvas::text_width(ylabel, 2) / 2, ylabel, black, 2);
    const std::string title = "Training loss: mean of log10(loss) over each " +
                              std::to_string(block) + (block == 1 ? " step" : " steps");
    canvas.text(W / 2 - Canvas::text_width(title, 2) / 2, 18, title, black, 2);
    const std::string legend = as_band ? "light: 10-90% of the steps" : "light: every step";
    canvas.text(left + pw - Canvas::text_width(legend, 2) - 10, top + 10, legend,
                Color{110, 140, 195}, 2);
    return canvas.image();
}

}  // namespace ninja::plot
