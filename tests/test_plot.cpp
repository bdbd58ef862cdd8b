// The pictures (common/plot.hpp): the colour scale, heatmaps, the PNG files cairo writes.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <limits>

#include "common/plot.hpp"
#include "test_helpers.hpp"

using namespace ninja;

namespace {

int red(std::uint32_t rgb) { return int(rgb >> 16); }
int green(std::uint32_t rgb) { return int((rgb >> 8) & 0xff); }
int blue(std::uint32_t rgb) { return int(rgb & 0xff); }

/// A 2 x 3 panel with a negative, a zero and a positive entry in each row.
plot::Panel small_panel() {
    plot::Panel p{xt::xtensor<double, 2>{{-2, 0, 2}, {-1, 0, 1}},
                  "d",
                  {"n: examples", {}},
                  {"V: characters", {".", "a", "b"}}};
    return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_colour_scale_is_centred_on_zero) {
    BOOST_TEST(plot::diverging_colour(0, 1) == 0xf7f7f7u);  // near white
    const std::uint32_t negative = plot::diverging_colour(-1, 1),
                        positive = plot::diverging_colour(1, 1);
    BOOST_TEST(blue(negative) > red(negative));
    BOOST_TEST(red(positive) > blue(positive));
    BOOST_TEST(plot::diverging_colour(-5, 1) == negative);  // clamped beyond the scale
    BOOST_TEST(plot::diverging_colour(0.5, 1) == plot::diverging_colour(5, 10));  // relative
    // Symmetric: a value and its negative are as far from white, in mirrored hues.
    const std::uint32_t a = plot::diverging_colour(0.3, 1), b = plot::diverging_colour(-0.3, 1);
    BOOST_TEST(std::abs(red(a) - blue(b)) <= 40);
    BOOST_TEST(green(a) < 247);
    BOOST_TEST(green(b) < 247);
}

BOOST_AUTO_TEST_CASE(a_heatmap_colours_every_cell_by_its_value) {
    const plot::Picture picture = plot::heatmaps({small_panel()});
    BOOST_TEST_REQUIRE(picture.width() > 100);
    BOOST_TEST_REQUIRE(picture.height() > 100);
    // Find the three cells of the first row by their colours: exactly the scale's colours.
    const std::uint32_t left = plot::diverging_colour(-2, 2), middle = plot::diverging_colour(0, 2),
                        right = plot::diverging_colour(2, 2);
    int seen_left = 0, seen_middle = 0, seen_right = 0;
    for (int y = 0; y < picture.height(); ++y)
        for (int x = 0; x < picture.width(); ++x) {
            const std::uint32_t p = picture.pixel(x, y);
            seen_left += p == left, seen_middle += p == middle, seen_right += p == right;
        }
    BOOST_TEST(seen_left > 100);  // a cell of at least 10 x 10 pixels (and the colour bar)
    BOOST_TEST(seen_middle > 100);
    BOOST_TEST(seen_right > 100);
}

BOOST_AUTO_TEST_CASE(panels_side_by_side_share_one_scale) {
    plot::Panel twice = small_panel();
    twice.values *= 2.0;  // entries up to 4: the first panel's 2 is no longer full red
    const plot::Picture one = plot::heatmaps({small_panel()});
    const plot::Picture two = plot::heatmaps({small_panel(), twice});
    BOOST_TEST(two.width() > one.width());
    int full_red = 0, half_red = 0;
    for (int y = 0; y < two.height(); ++y)
        for (int x = 0; x < two.width(); ++x) {
            full_red += two.pixel(x, y) == plot::diverging_colour(4, 4);
            half_red += two.pixel(x, y) == plot::diverging_colour(2, 4);
        }
    BOOST_TEST(full_red > 100);
    BOOST_TEST(half_red > 100);
}

/// How many pixels of `picture` have the colour `rgb`.
int count_colour(const plot::Picture& picture, std::uint32_t rgb) {
    int n = 0;
    for (int y = 0; y < picture.height(); ++y)
        for (int x = 0; x < picture.width(); ++x) n += picture.pixel(x, y) == rgb;
    return n;
}

BOOST_AUTO_TEST_CASE(rounding_is_drawn_as_zero) {
    // Entries of 1e-9 beside a reference of 0.03 are rounding: white, and the scale is the
    // reference's; without the rounding they would be the full colours of their own scale.
    plot::Panel noise = small_panel();
    noise.values = xt::xtensor<double, 2>{{-1e-9, 2e-9, 1e-9}, {3e-9, -2e-9, 1e-9}};
    const plot::Picture raw = plot::heatmaps({noise});
    const plot::Picture rounded = plot::heatmaps({noise}, {0.03, "dY"});
    const std::uint32_t full_red = plot::diverging_colour(3e-9, 3e-9);
    BOOST_TEST(count_colour(raw, full_red) > 100);  // the cell of 3e-9 and the colour bar
    BOOST_TEST(count_colour(rounded, plot::diverging_colour(0, 1)) >
               count_colour(raw, plot::diverging_colour(0, 1)) + 4 * 100);
    BOOST_TEST(rounded.height() > raw.height());  // the line that says so
    // A reference of 0 (no rounding) changes nothing.
    BOOST_TEST(plot::heatmaps({noise}, {0, "dY"}).png() == raw.png());
}

BOOST_AUTO_TEST_CASE(nan_and_infinity_are_drawn_not_fatal) {
    // What a wrong exercise can hand the pictures: NaN is black, infinity the scale's end.
    plot::Panel bad = small_panel();
    bad.values(0, 0) = std::nan("");
    bad.values(1, 2) = std::numeric_limits<double>::infinity();
    bad.sums = plot::Sums::columns;
    const plot::Picture picture = plot::heatmaps({bad}, {2, "dY"});
    BOOST_TEST(count_colour(picture, 0x000000u) > 100);
}

BOOST_AUTO_TEST_CASE(column_sums_are_a_strip_under_the_grid) {
    plot::Panel p = small_panel();  // columns sum to -3, 0, 3
    const plot::Picture without = plot::heatmaps({p});
    p.sums = plot::Sums::columns;
    const plot::Picture with = plot::heatmaps({p});
    BOOST_TEST(with.height() > without.height());
    BOOST_TEST(with.width() == without.width());
    // The sums -3 and 3 are beyond the scale of the entries (2): full colours, in the strip.
    BOOST_TEST(count_colour(with, plot::diverging_colour(3, 2)) >
               count_colour(without, plot::diverging_colour(3, 2)) + 100);
}

BOOST_AUTO_TEST_CASE(row_sums_are_a_strip_right_of_the_grid) {
    // Wide enough for the strip to widen the picture; row 0 sums to 6, beyond the entries'
    // largest (4), row 1 to 0.
    plot::Panel p{xt::zeros<double>({2, 40}), "d", {"n: examples", {}}, {"H: hidden units", {}}};
    p.values(0, 0) = 4, p.values(0, 1) = 2;
    const plot::Picture without = plot::heatmaps({p});
    p.sums = plot::Sums::rows;
    const plot::Picture with = plot::heatmaps({p});
    BOOST_TEST(with.width() > without.width());
    BOOST_TEST(count_colour(with, plot::diverging_colour(6, 4)) >
               count_colour(without, plot::diverging_colour(6, 4)) + 100);
}

BOOST_AUTO_TEST_CASE(a_title_wider_than_its_grid_widens_the_picture) {
    plot::Panel narrow = small_panel();
    const plot::Picture short_title = plot::heatmaps({narrow});
    narrow.title = "a title much wider than the three columns of this small grid";
    const plot::Picture long_title = plot::heatmaps({narrow});
    BOOST_TEST(long_title.width() > short_title.width());
}

BOOST_AUTO_TEST_CASE(the_png_file_is_complete) {
    const plot::Picture picture = plot::heatmaps({small_panel()});
    const std::vector<unsigned char> bytes = picture.png();
    const unsigned char signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    BOOST_TEST_REQUIRE(bytes.size() > 100u);
    BOOST_TEST(std::equal(std::begin(signature), std::end(signature), bytes.begin()));
    const std::string iend(bytes.end() - 8, bytes.end() - 4);
    BOOST_TEST(iend == "IEND");
    test::TempFile file("picture.png", "");
    plot::write_png(file.path(), picture);
    std::ifstream in(file.path(), std::ios::binary);
    const std::vector<unsigned char> written((std::istreambuf_iterator<char>(in)),
                                             std::istreambuf_iterator<char>());
    BOOST_TEST(written == bytes);
    BOOST_CHECK_EXCEPTION(plot::write_png(file.dir() + "/no/such/folder/x.png", picture),
                          InputError, test::message_has("x.png: cannot create the file"));
}

BOOST_AUTO_TEST_CASE(a_loss_curve_is_drawn_and_marks_the_drop) {
    std::vector<float> losses(3000);
    for (std::size_t i = 0; i < losses.size(); ++i) losses[i] = 2.0f + std::exp(-float(i) / 300.0f);
    const plot::Picture with = plot::loss_curve(losses, 30, 1500),
                        without = plot::loss_curve(losses, 30, 100000);
    int curve = 0, differ = 0;
    for (int y = 0; y < with.height(); ++y)
        for (int x = 0; x < with.width(); ++x) {
            curve += with.pixel(x, y) == 0x18469fu;  // the curve's colour
            differ += with.pixel(x, y) != without.pixel(x, y);
        }
    BOOST_TEST(curve > 500);
    BOOST_TEST(differ > 200);  // the dashed line and its label, only where the drop is in the run
}
