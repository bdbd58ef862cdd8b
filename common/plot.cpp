#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/plot_draw.hpp"

namespace ninja::plot {

Picture::Picture(int width, int height) : canvas_(std::make_unique<Canvas>()) {
    canvas_->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    canvas_->cr = cairo_create(canvas_->surface);
    set_colour(canvas_->cr, 0xffffff);
    cairo_paint(canvas_->cr);
}

Picture::~Picture() {
    if (!canvas_) return;
    cairo_destroy(canvas_->cr);
    cairo_surface_destroy(canvas_->surface);
}

Picture::Picture(Picture&&) noexcept = default;
Picture& Picture::operator=(Picture&&) noexcept = default;

int Picture::width() const { return cairo_image_surface_get_width(canvas_->surface); }

int Picture::height() const { return cairo_image_surface_get_height(canvas_->surface); }

std::uint32_t Picture::pixel(int x, int y) const {
    cairo_surface_flush(canvas_->surface);
    const unsigned char* row = cairo_image_surface_get_data(canvas_->surface) +
                               y * cairo_image_surface_get_stride(canvas_->surface);
    std::uint32_t value;  // RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB
    std::copy_n(row + 4 * x, 4, reinterpret_cast<unsigned char*>(&value));
    return value & 0xffffff;
}

std::vector<unsigned char> Picture::png() const {
    std::vector<unsigned char> bytes;
    const auto append = [](void* out, const unsigned char* data, unsigned int length) {
        auto& to = *static_cast<std::vector<unsigned char>*>(out);
        to.insert(to.end(), data, data + length);
        return CAIRO_STATUS_SUCCESS;
    };
    cairo_surface_flush(canvas_->surface);
    const cairo_status_t status =
        cairo_surface_write_to_png_stream(canvas_->surface, append, &bytes);
    if (status == CAIRO_STATUS_NO_MEMORY)  // a memory limit: one line naming it (guarded_main)
        throw std::bad_alloc();
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("cairo could not encode a PNG: ") +
                                 cairo_status_to_string(status));
    return bytes;
}

void write_png(const std::string& path, const Picture& picture) {
    const std::vector<unsigned char> bytes = picture.png();
    AtomicFile file(path);
    file.write(bytes.data(), bytes.size());
    file.commit();
}

void set_colour(cairo_t* cr, std::uint32_t rgb) {
    cairo_set_source_rgb(cr, double((rgb >> 16) & 0xff) / 255, double((rgb >> 8) & 0xff) / 255,
                         double(rgb & 0xff) / 255);
}

double text_width(const std::string& text, double size) {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t* cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    return extents.x_advance;
}

void draw_text(cairo_t* cr, double x, double y, const std::string& text, double size, Align align,
               bool upwards) {
    cairo_save(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    const double shift = align == Align::left     ? 0
                         : align == Align::centre ? extents.x_advance / 2
                                                  : extents.x_advance;
    cairo_translate(cr, x, y);
    if (upwards) cairo_rotate(cr, -M_PI / 2);
    cairo_move_to(cr, -shift, 0);
    cairo_show_text(cr, text.c_str());
    cairo_restore(cr);
}

std::uint32_t diverging_colour(double value, double scale) {
    // Five stops of ColorBrewer's RdBu scale, reversed: blue, light blue, white, light red, red.
    static constexpr std::array<std::array<double, 3>, 5> stops{
        {{33, 102, 172}, {146, 197, 222}, {247, 247, 247}, {244, 165, 130}, {178, 24, 43}}};
    // A square-root scale: the many small entries of a gradient beside a few large ones stay
    // visible (an entry at a quarter of the scale is half-way to full colour).
    const double r = std::clamp(scale > 0 ? value / scale : 0.0, -1.0, 1.0);
    const double t = std::copysign(std::sqrt(std::abs(r)), r);  // [-1, 1]
    const double at = (t + 1) * 2;                              // [0, 4]
    const auto k = std::min<std::size_t>(3, std::size_t(at));
    const double w = at - double(k);
    std::uint32_t rgb = 0;
    for (std::size_t c = 0; c < 3; ++c) {
        const double v = stops[k][c] + w * (stops[k + 1][c] - stops[k][c]);
        rgb = rgb << 8 | std::uint32_t(std::lround(v));
    }
    return rgb;
}

std::vector<double> nice_ticks(double lo, double hi, int target, double& step) {
    const double raw = (hi - lo) / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

std::string tick_label(double value, double step) {
    const int decimals = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string value_label(double value) {
    if (value == 0) return "0";
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

std::vector<double> block_means_log10(const std::vector<float>& losses, std::size_t block) {
    std::vector<double> means;
    for (std::size_t at = 0; at < losses.size(); at += block) {
        const std::size_t end = std::min(losses.size(), at + block);
        double sum = 0;
        for (std::size_t i = at; i < end; ++i)
            sum += std::log10(std::max(double(losses[i]), 1e-30));
        means.push_back(sum / double(end - at));
    }
    return means;
}

std::size_t curve_block(std::size_t steps) {
    return steps >= 100000 ? 1000 : std::max<std::size_t>(1, steps / 100);
}

}  // namespace ninja::plot
