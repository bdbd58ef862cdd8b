#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iterator>
#include <type_traits>

#include "common/plot.hpp"
#include "tested.hpp"
#include "training_test.hpp"

using namespace ninja;
using test::data;

namespace {

/// The plain loop (train_step; the learner's in exercise mode) replayed on the reference run's
/// settings.
struct PlainReplay {
    std::vector<float> losses;
    Params<float> params;
};

const PlainReplay& plain_replay() {
    static const PlainReplay r = [] {
        const TrainingConfig c = test::reference_training(Reference("train"));
        TorchGenerator gen(c.seed);
        PlainReplay out{std::vector<float>(c.steps), test::initial_params(c, gen)};
        test::as_tested([&] {
            for (std::size_t i = 0; i < c.steps; ++i)
                out.losses[i] = tested::train_step(out.params, data().train, c.batch_size,
                                                   c.schedule.at(std::int64_t(i)), gen);
        });
        return out;
    }();
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_minibatches_are_pytorchs_bit_for_bit, *test::about_the_model()) {
    // train_step draws with sample_batch(), right after init_params() on the same generator.
    const Reference ref("train");
    const TrainingConfig c = test::reference_training(ref);
    const auto expected = ref.load<std::int64_t, 2>("ix");
    BOOST_TEST_REQUIRE(expected.shape(0) == c.steps);
    TorchGenerator gen(c.seed);
    test::initial_params(c, gen);
    for (std::size_t i = 0; i < c.steps; ++i) {
        const Batch batch = sample_batch(data().train, c.batch_size, gen);
        const xt::xtensor<std::int64_t, 1> torch_ix = xt::view(expected, i, xt::all());
        BOOST_TEST_CONTEXT("step " << i) { BOOST_TEST(batch.ix == torch_ix); }
    }
}

BOOST_AUTO_TEST_CASE(the_plain_loop_follows_pytorch_step_by_step) {
    test::check_losses_against_pytorch(plain_replay().losses,
                                       Reference("train").load<float, 1>("loss"));
}

BOOST_AUTO_TEST_CASE(the_plain_loops_final_parameters_are_pytorchs) {
    test::check_params_close(plain_replay().params, load_params(Reference("train")));
}

BOOST_AUTO_TEST_CASE(a_step_with_learning_rate_zero_changes_no_parameter) {
    // The step uses the learning rate it is given (the schedule is the caller's): with lr = 0,
    // p -= 0 * grad leaves every parameter as it was, bit for bit. (The reference run keeps lr at
    // 0.1 for its 300 steps, so a step that ignores lr would pass the comparisons above.)
    const TrainingConfig c = test::reference_training(Reference("train"));
    TorchGenerator gen(c.seed);
    const Params<float> before = test::initial_params(c, gen);
    Params<float> after = before;
    const float loss = test::as_tested(
        [&] { return tested::train_step(after, data().train, c.batch_size, 0.0f, gen); });
    BOOST_TEST(std::isfinite(loss));
    for (TensorId id : parameter_order)
        visit_pair(id, after, before, [&](const auto& a, const auto& b) {
            BOOST_TEST_CONTEXT(info(id).name) { BOOST_TEST(xt::all(xt::equal(a, b))); }
        });
}

BOOST_AUTO_TEST_CASE(a_step_at_other_sizes_follows_central_differences) {
    // The reference run has the lecture's sizes only; here n = 20, H = 50 and another seed, so
    // that a batch size or a width written into the step shows. The step must draw one minibatch
    // of n rows, return the loss of the forward pass on it, and move every parameter by
    // -lr * (its float64 central-difference gradient), within what float32 rounding allows:
    // 1e-3 of the tensor's largest update, plus two units in the last place of the parameter
    // (the tolerance of chapter 23's verdict, explained in grade.cpp).
    Config c;
    c.batch_size = 20, c.n_hidden = 50, c.seed = 42, c.vocab_size = data().vocab.size();
    TorchGenerator gen(c.seed);
    const Params<float> before = init_params(c, gen);
    TorchGenerator expected_gen = gen;
    const Batch batch = sample_batch(data().train, c.batch_size, expected_gen);
    const Params<double> exact = cast_params<double>(before);
    Grads<double> num;
    numerical_grads(num, exact, batch, parameters_of(Model::batchnorm));
    Forward<double> f;
    forward(f, exact, batch);

    const float lr = 0.1f;
    Params<float> after = before;
    const float loss = test::as_tested(
        [&] { return tested::train_step(after, data().train, c.batch_size, lr, gen); });
    BOOST_TEST((gen == expected_gen), "the step draws one minibatch of n = 20 rows");
    BOOST_TEST(loss == f.loss, boost::test_tools::tolerance(1e-5));
    for (TensorId id : parameter_order)
        visit_pair(id, after, before, [&](const auto& a, const auto& b) {
            num.visit(id, [&](const auto& grad) {
                if constexpr (std::decay_t<decltype(a)>::rank ==
                              std::decay_t<decltype(grad)>::rank) {
                    BOOST_TEST_REQUIRE((a.shape() == b.shape()), info(id).name);
                    const double largest = lr * xt::amax(xt::abs(grad))();
                    for (std::size_t k = 0; k < a.size(); ++k) {
                        const float p = a.data()[k];
                        const double expected = double(b.data()[k]) - lr * grad.data()[k];
                        const double ulp =
                            double(std::nextafter(std::abs(p), INFINITY) - std::abs(p));
                        BOOST_TEST_CONTEXT(info(id).name << " element " << k) {
                            BOOST_TEST(std::abs(double(p) - expected) <= 1e-3 * largest + 2 * ulp);
                        }
                    }
                }
            });
        });
}

BOOST_AUTO_TEST_CASE(the_learning_rate_drops_at_step_100000, *test::about_the_model()) {
    const LrSchedule s;
    BOOST_TEST(s.at(0) == 0.1f);
    BOOST_TEST(s.at(99999) == 0.1f);
    BOOST_TEST(s.at(100000) == 0.01f);
    BOOST_TEST(s.at(199999) == 0.01f);
}

BOOST_AUTO_TEST_CASE(the_defaults_are_pytorchs_reference_run, *test::about_the_model()) {
    // The program's defaults (TrainingConfig, common/hyperparameters.hpp) and PyTorch's run of
    // the lecture's Exercise 4 (tests/reference/train, tools/make_reference.py) are one setting.
    const Reference ref("train");
    const TrainingConfig c;
    BOOST_TEST(c.n_hidden == ref.config().n_hidden);
    BOOST_TEST(c.batch_size == ref.config().batch_size);
    BOOST_TEST(c.seed == ref.config().seed);
    BOOST_TEST(double(c.schedule.lr) == double(float(ref.meta_number("lr"))));
    BOOST_TEST(double(c.schedule.lr_decayed) == double(float(ref.meta_number("lr_after_decay"))));
    BOOST_TEST(std::uint64_t(c.schedule.decay_step) == ref.meta_integer("lr_decay_step"));
}

BOOST_AUTO_TEST_CASE(calibration_evaluation_and_sampling, *test::about_the_model()) {
    // On the initial parameters: the calibrated statistics are the moments of hprebn over the
    // training set, the losses are finite and near ln(27) or above, and the names end with '.'.
    const TrainingConfig c;
    TorchGenerator gen(c.seed);
    const Params<float> p = test::initial_params(c, gen);
    const BatchnormStats stats = calibrate_batchnorm(p, data().train);
    // The moments of the first 2,000 rows alone, in double: close, not equal.
    const Batch rows = gather_batch(data().train, xt::arange<std::int64_t>(2000));
    Forward<float> f;
    forward(f, p, rows, Stage::first(), TensorId::hprebn);
    const double m0 = xt::mean(xt::cast<double>(xt::col(f.hprebn, 0)))();
    BOOST_TEST(std::abs(m0 - stats.mean(0, 0)) < 0.2 * std::sqrt(double(stats.var(0, 0))));
    BOOST_TEST(xt::all(stats.var > 0.f));
    const double train = split_loss(p, stats, data().train), dev = split_loss(p, stats, data().dev);
    BOOST_TEST_MESSAGE("untrained: train " << train << ", dev " << dev);
    BOOST_TEST(std::isfinite(train));
    BOOST_TEST(train > 3.0);
    BOOST_TEST(std::abs(train - dev) < 0.1);
    TorchGenerator sampler(c.seed + 10);
    for (int k = 0; k < 5; ++k) {
        const std::string name = sample_name(p, stats, data().vocab, 3, sampler);
        BOOST_TEST(!name.empty());
        BOOST_TEST(name.back() == '.');
        BOOST_TEST(name.find('.') == name.size() - 1);
    }
}

BOOST_AUTO_TEST_CASE(calibration_is_the_split_mean_and_unbiased_variance,
                     *test::about_the_model()) {
    // On a split of 5 rows, against the mean and var(ddof=1) of hprebn computed directly.
    const TrainingConfig c;
    TorchGenerator gen(c.seed);
    const Params<float> p = test::initial_params(c, gen);
    Examples five{xt::view(data().train.X, xt::range(0, 5), xt::all()),
                  xt::view(data().train.Y, xt::range(0, 5))};
    const BatchnormStats stats = calibrate_batchnorm(p, five);
    Forward<float> f;
    forward(f, p, gather_batch(five, xt::arange<std::int64_t>(5)), Stage::first(),
            TensorId::hprebn);
    const xt::xtensor<double, 2> x = xt::cast<double>(f.hprebn);
    const xt::xtensor<double, 1> mean = xt::mean(x, {0});
    const xt::xtensor<double, 1> var = xt::sum(xt::square(x - mean), {0}) / 4.0;
    BOOST_TEST(xt::allclose(xt::cast<double>(xt::row(stats.mean, 0)), mean, 1e-6, 1e-7));
    BOOST_TEST(xt::allclose(xt::cast<double>(xt::row(stats.var, 0)), var, 1e-5, 1e-7));
}

BOOST_AUTO_TEST_CASE(the_loss_curve_is_a_picture, *test::about_the_model()) {
    std::vector<float> losses(5000);
    for (std::size_t i = 0; i < losses.size(); ++i)
        losses[i] = 2.0f + 1.5f * std::exp(-float(i) / 500.0f);
    const plot::Picture picture =
        plot::loss_curve(losses, plot::curve_block(losses.size()), 100000);
    BOOST_TEST(picture.width() == 900);
    BOOST_TEST(picture.height() == 560);
    BOOST_TEST(plot::curve_block(200000) == 1000u);
    BOOST_TEST(plot::curve_block(2000) == 20u);
    const std::vector<double> means = plot::block_means_log10(losses, 1000);
    BOOST_TEST(means.size() == 5u);
    BOOST_TEST(means.front() > means.back());
}

BOOST_AUTO_TEST_CASE(a_diverged_loss_stops_training) {
    // The bound is 10 ln V: 32.96 for 27 symbols; NaN and infinity are over it whatever their sign.
    BOOST_TEST(max_training_loss(27) == 10 * std::log(27.0));
    BOOST_CHECK_NO_THROW(check_training_loss(7, 32.9f, 0.1f, 27));
    BOOST_CHECK_EXCEPTION(check_training_loss(7, 33.0f, 0.1f, 27), InputError,
                          test::message_has("training diverged at step 7: loss 33 with learning "
                                            "rate 0.1 (the bound is 10 ln 27 = 33.0)"));
    BOOST_CHECK_EXCEPTION(check_training_loss(3, -std::nanf(""), 1e20f, 27), InputError,
                          test::message_has("at step 3: loss nan with learning rate 1e+20"));
    BOOST_CHECK_THROW(check_training_loss(3, INFINITY, 1.f, 27), InputError);
}

BOOST_AUTO_TEST_CASE(a_name_that_never_ends_is_cut) {
    // A network that never draws '.': its logit stays 100 below the others.
    const TrainingConfig c;
    TorchGenerator gen(c.seed);
    Params<float> p = test::initial_params(c, gen);
    xt::col(p.W2, 0) = 0.f;
    p.b2(0) = -100.f;
    const BatchnormStats stats = calibrate_batchnorm(p, data().train);
    TorchGenerator sampler(c.seed + 10);
    const std::string name = sample_name(p, stats, data().vocab, 3, sampler);
    BOOST_TEST(name.size() == max_name_length);
    BOOST_TEST(name.find('.') == std::string::npos);
}
