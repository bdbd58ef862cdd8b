/// @file
/// @brief What the drawing code of the pictures shares (common/plot_*.cpp only): cairo's canvas
/// behind a Picture, text, colours and round tick values.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/plot.hpp"

namespace ninja::plot {

/// cairo's image surface and the context that draws on it.
struct Picture::Canvas {
    cairo_surface_t* surface = nullptr;
    cairo_t* cr = nullptr;
};

/// Where a text is placed relative to its point.
enum class Align { left, centre, right };

/// Sets the colour for the next strokes and fills, from 0xRRGGBB.
void set_colour(cairo_t* cr, std::uint32_t rgb);

/// Writes `text` in DejaVu Sans of `size` pixels, its baseline at y, placed at x by `align`;
/// `upwards` turns it a quarter to the left (for a vertical axis's name).
void draw_text(cairo_t* cr, double x, double y, const std::string& text, double size,
               Align align = Align::left, bool upwards = false);

/// The width of `text` in DejaVu Sans of `size` pixels, as draw_text would write it.
double text_width(const std::string& text, double size);

/// Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about `target`
/// of them; `step` receives the step.
std::vector<double> nice_ticks(double lo, double hi, int target, double& step);

/// A tick's label with as many decimals as the tick step needs ("0.25", "3", "-0.04").
std::string tick_label(double value, double step);

/// A short label for a value of the colour bar: 3 significant digits, "0" for zero.
std::string value_label(double value);

}  // namespace ninja::plot
