/// @file
/// @brief The programs' pictures, drawn with cairo: heatmaps of gradients on a diverging colour
/// scale centred on zero, with a colour bar in the gradient's own units and axes named by the
/// lecture's dimensions, and the loss curve of a training run. Each is written as a PNG file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ninja::plot {

/// A picture: `width` x `height` pixels on a white background, drawn with cairo (cairo's own
/// types stay in plot.cpp).
class Picture {
public:
    Picture(int width, int height);
    ~Picture();
    Picture(Picture&&) noexcept;
    Picture& operator=(Picture&&) noexcept;
    /// Pixels across.
    int width() const;
    /// Pixels down.
    int height() const;
    /// The colour of pixel (x, y), from the top left, as 0xRRGGBB.
    std::uint32_t pixel(int x, int y) const;
    /// The picture as the bytes of a PNG file.
    std::vector<unsigned char> png() const;

    struct Canvas;  ///< cairo's surface and context (plot.cpp)
    /// The canvas to draw on (for the drawing code in common/plot_*.cpp).
    Canvas& canvas() const { return *canvas_; }

private:
    std::unique_ptr<Canvas> canvas_;
};

/// One axis of a heatmap: its name and, optionally, a label for every index (the characters of
/// the vocabulary); without labels the indices are numbered. An axis of blocks (the B*E columns
/// of `embcat`: E numbers for each of the B context positions) has a separator between blocks,
/// and its ticks name the blocks instead of the indices.
struct Axis {
    std::string name;                   ///< e.g. "n: examples"
    std::vector<std::string> labels;    ///< one per row or column, or empty
    std::size_t block = 0;              ///< indices per block, or 0 for no blocks
    std::string block_label = "block";  ///< the blocks' ticks: "position 1", "position 2", ...
};

/// The sums a heatmap draws beside its grid, in the same colours, so that a gradient whose
/// columns or rows must sum to zero shows it at a glance: none, each column's in a strip under
/// the grid, or each row's in a strip to its right.
enum class Sums { none, columns, rows };

/// One matrix of a heatmap picture.
struct Panel {
    xt::xtensor<double, 2> values;  ///< (rows, cols)
    std::string title;              ///< above the panel: the one label, e.g. "dC (V, E)"
    Axis rows;                      ///< down
    Axis cols;                      ///< across
    Sums sums = Sums::none;         ///< the strip of sums beside the grid, if any
};

/// The level below which a heatmap draws an entry as zero: `relative` times `reference`, the
/// largest |value| of the gradient and of the gradients it was computed from (named by `of`).
/// An entry that small is rounding: a float32 sum of a few terms of size `reference` is off by
/// a few 1e-7 of it. Drawn at full colour it would look like signal.
struct Rounding {
    static constexpr double relative = 1e-6;
    double reference = 0;  ///< e.g. the largest |dnorm_logits|; 0: nothing is rounding
    std::string of;        ///< what `reference` is the largest |value| of, e.g. "dnorm_logits"
    /// The level itself.
    double level() const { return relative * reference; }
};

/// The colour of `value` on the diverging scale of the heatmaps: white at 0, blue for negative
/// values and red for positive ones, full colour at -scale and +scale (clamped beyond), as
/// 0xRRGGBB. The scale is a square root of |value| / scale, so that small entries beside a few
/// large ones stay visible: a quarter of the scale is half-way to full colour.
std::uint32_t diverging_colour(double value, double scale);

/// Heatmaps of `panels` side by side, one colour scale for all of them (symmetric about zero, up
/// to the largest |value| drawn), with a colour bar on the right whose ticks are round values in
/// the data's units. Entries below `rounding`'s level are drawn as zero, and a line under the
/// picture says how many there are and why.
Picture heatmaps(const std::vector<Panel>& panels, const Rounding& rounding = {});

/// The points of the loss curve: the mean of log10(loss) over each block of `block` steps
/// (a last, shorter block included).
std::vector<double> block_means_log10(const std::vector<float>& losses, std::size_t block);

/// The block size of the loss curve: 1,000 steps as in the lecture, or steps/100 (at least 1)
/// for runs shorter than 100,000 steps, so that a short run still draws a curve.
std::size_t curve_block(std::size_t steps);

/// The loss curve of a training run: the mean of log10(loss) over each block of `block` steps,
/// over a light band from the 10th to the 90th percentile of the single steps, with the step
/// where the learning rate drops marked when it falls inside the run.
/// @param losses     the loss of every step
/// @param block      steps per point of the curve
/// @param decay_step the first step of the smaller learning rate
Picture loss_curve(const std::vector<float>& losses, std::size_t block, std::size_t decay_step);

/// Writes `picture` to `path` as a PNG file, completely or not at all (common/atomic_file.hpp);
/// throws InputError naming the file if it cannot.
void write_png(const std::string& path, const Picture& picture);

}  // namespace ninja::plot
