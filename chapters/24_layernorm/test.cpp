#include "24_layernorm/layernorm.hpp"
#include "24_layernorm/layernorm_training.hpp"
#include "chapter_test.hpp"
#include "training_test.hpp"

#include <cmath>

using namespace ninja;

NINJA_CHAPTER_TESTS()

namespace {

/// Each row of dhprebn sums to zero, up to rounding relative to the size of its terms: adding a
/// constant to a row of hprebn changes nothing after the normalisation. With one feature (H = 1)
/// the whole row is zero: a row of one number normalises to 0, and hpreact is lnbias alone.
template <class T>
void check_rows_sum_to_zero(const ChapterRun<T>& r, T tolerance) {
    const bool one_feature = r.g.dhprebn.shape(1) == 1;
    for (std::size_t i = 0; i < r.g.dhprebn.shape(0); ++i) {
        const auto row = xt::view(r.g.dhprebn, i, xt::all());
        const T total = xt::sum(row)(), size = xt::sum(xt::abs(row))();
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST((size > T(0)) != one_feature);
            BOOST_TEST(std::abs(total) <= tolerance * size);
        }
    }
}

/// The gain's and the bias's gradients are sums over the batch, as batchnorm's (chapter 11).
template <class T>
void check_gain_and_bias_sum_the_batch(const ChapterRun<T>& r, T tolerance) {
    const xt::xtensor<T, 1> bias = xt::sum(r.g.dhpreact, {0});
    const xt::xtensor<T, 1> gain = xt::sum(r.g.dhpreact * r.f.lnraw, {0});
    BOOST_TEST(xt::allclose(r.g.dlnbias, bias, tolerance, 0));
    BOOST_TEST(xt::allclose(r.g.dlngain, gain, tolerance, 0));
}

/// The page's lines, step by step (chapters 11 to 17 along the other axis), in double: the
/// gradients from `dhpreact`, with the forward pass's statistics computed again from `hprebn`.
struct LineByLine {
    xt::xtensor<double, 2> lnvar_inv, dhprebn;  // (n, 1), (n, H)
    xt::xtensor<double, 1> dlngain, dlnbias;    // (H,), (H,)
};

LineByLine line_by_line(const xt::xtensor<double, 2>& dhpreact,
                        const xt::xtensor<double, 2>& hprebn,
                        const xt::xtensor<double, 1>& lngain) {
    const double H = double(hprebn.shape(1));
    LineByLine out;
    const xt::xtensor<double, 2> lnmeani = 1 / H * xt::sum(hprebn, {1}, xt::keep_dims);
    const xt::xtensor<double, 2> lndiff = hprebn - lnmeani;
    const xt::xtensor<double, 2> lndiff2 = lndiff * lndiff;
    const xt::xtensor<double, 2> lnvar = 1 / H * xt::sum(lndiff2, {1}, xt::keep_dims);
    out.lnvar_inv = xt::pow(lnvar + bn_eps, -0.5);
    const xt::xtensor<double, 2> lnraw = lndiff * out.lnvar_inv;
    out.dlngain = xt::sum(lnraw * dhpreact, {0});
    out.dlnbias = xt::sum(dhpreact, {0});
    const xt::xtensor<double, 2> dlnraw = lngain * dhpreact;
    xt::xtensor<double, 2> dlndiff = out.lnvar_inv * dlnraw;
    const xt::xtensor<double, 2> dlnvar_inv = xt::sum(lndiff * dlnraw, {1}, xt::keep_dims);
    const xt::xtensor<double, 2> dlnvar = -0.5 * xt::pow(lnvar + bn_eps, -1.5) * dlnvar_inv;
    const xt::xtensor<double, 2> dlndiff2 = 1 / H * dlnvar;
    dlndiff += 2 * lndiff * dlndiff2;
    const xt::xtensor<double, 2> dlnmeani = -xt::sum(dlndiff, {1}, xt::keep_dims);
    out.dhprebn = dlndiff + 1 / H * dlnmeani;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_fused_step_equals_the_pages_lines_step_by_step) {
    ChapterRun<double> r = double_run(test::setup_for({2147483647, 32, 64}, Model::layernorm));
    test::Tested::backward(r.g, r.f, r.params, r.batch);
    const LineByLine lines = line_by_line(r.g.dhpreact, r.f.hprebn, r.params.lngain);
    BOOST_TEST(xt::allclose(lines.lnvar_inv, r.f.lnvar_inv, 1e-12, 0));
    BOOST_TEST(xt::allclose(r.g.dhprebn, lines.dhprebn, 1e-9, 1e-15));
    BOOST_TEST(xt::allclose(r.g.dlngain, lines.dlngain, 1e-9, 1e-15));
    BOOST_TEST(xt::allclose(r.g.dlnbias, lines.dlnbias, 1e-12, 0));
}

NINJA_PROPERTY(rows_sum_to_zero, check_rows_sum_to_zero, 1e-5f, 1e-12)
NINJA_PROPERTY(gain_and_bias_sum_the_batch, check_gain_and_bias_sum_the_batch, 1e-5f, 1e-12)

BOOST_DATA_TEST_CASE(a_batch_of_one_is_fine, boost::unit_test::data::make({1u, 2u}), n) {
    // Batchnorm's unbiased variance divides by n - 1; LayerNorm's statistics are a row's own.
    const std::vector<TensorId>& own = test::tested_chapter().grads;
    const ChapterRun<double> r = test::run_in_double({2147483647, n, 64}, own);
    BOOST_TEST_REQUIRE(r.batch.size() == n);
    test::require_close(compare_grads(r, own), own.size());
}

BOOST_AUTO_TEST_CASE(a_rows_gradient_depends_on_that_row_alone) {
    // The examples of a batch are independent again: the first row of a batch of 5, run alone as
    // a batch of one, gets the same gradient.
    const Setup five = test::setup_for({7, 5, 16}, Model::layernorm);
    ChapterRun<double> all = double_run(five), first = all;
    first.batch = gather_batch(five.data.train, xt::view(five.batch.ix, xt::range(0, 1)));
    forward(first.f, first.params, first.batch);
    test::Tested::backward(all.g, all.f, all.params, all.batch);
    test::Tested::backward(first.g, first.f, first.params, first.batch);
    const xt::xtensor<double, 1> alone = xt::view(first.g.dhprebn, 0, xt::all());
    const xt::xtensor<double, 1> in_batch = xt::view(all.g.dhprebn, 0, xt::all());
    // The loss is a mean over the batch: row 0's share of it is 1/5 in the batch, all of it alone.
    BOOST_TEST(xt::allclose(alone, 5.0 * in_batch, 1e-12, 1e-15));
}

BOOST_AUTO_TEST_CASE(training_with_layernorm_follows_pytorch_step_by_step,
                     *boost::unit_test::enable_if<!exercise_mode>()) {
    // `chapter_23_training --norm layer`: layernorm_train_step in the plain loop, against
    // PyTorch's 300 steps of the same network (tools/layernorm_reference.py), the same bounds as
    // chapter 23's plain loop against batchnorm's run.
    const Reference ref("train_layernorm");
    const TrainingConfig c = test::reference_training(ref);
    BOOST_TEST_REQUIRE((c.norm == Model::layernorm));
    TorchGenerator gen(c.seed);
    Params<float> params = test::initial_params(c, gen);
    const Params<float> initial = params;
    const auto expected_ix = ref.load<std::int64_t, 2>("ix");
    std::vector<float> losses(c.steps);
    for (std::size_t i = 0; i < c.steps; ++i) {
        TorchGenerator drawn = gen;  // the minibatch the step is about to draw
        const xt::xtensor<std::int64_t, 1> ix =
            sample_batch(test::data().train, c.batch_size, drawn).ix;
        BOOST_TEST_CONTEXT("step " << i) { BOOST_TEST(ix == xt::view(expected_ix, i, xt::all())); }
        losses[i] = layernorm_train_step(params, test::data().train, c.batch_size,
                                         c.schedule.at(std::int64_t(i)), gen);
    }
    test::check_losses_against_pytorch(losses, ref.load<float, 1>("loss"));
    test::check_params_close(params, load_params(ref));
    // b1 learns now (batchnorm's made it invisible, chapter 23), all but its mean over the
    // features: db1 = dhprebn.sum(0), and each row of dhprebn sums to zero.
    const double moved = xt::amax(xt::abs(params.b1 - initial.b1))();
    const double mean_moved = std::abs(double(xt::mean(params.b1)() - xt::mean(initial.b1)()));
    BOOST_TEST_MESSAGE("b1: largest change " << moved << ", change of its mean " << mean_moved);
    BOOST_TEST(moved > 1e-3);
    BOOST_TEST(mean_moved < 1e-3 * moved);
}
