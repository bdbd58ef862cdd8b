/// @file
/// @brief Chapter 23's fast trainer (fast_trainer.hpp): the same step as the plain loop, step by
/// step on the same batches, and as PyTorch's; its evaluation (fast_evaluation.hpp), as the plain one.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "23_training/fast_evaluation.hpp"
#include "23_training/fast_trainer.hpp"
#include "23_training/simd_maps.hpp"
#include "common/simd.hpp"
#include "training_test.hpp"

using namespace ninja;
using test::data;

namespace {

/// A fast trainer with the lecture's initialisation from a generator seeded like `c`.
Trainer make_trainer(const TrainingConfig& c, TorchGenerator& gen,
                     EmbeddingProducts way = EmbeddingProducts::by_symbol) {
    return Trainer(test::initial_params(c, gen), data().train, c.batch_size, way);
}

/// Both ways of computing the products with embcat, for the data-driven tests.
const std::vector<EmbeddingProducts> both_ways{EmbeddingProducts::as_chapters,
                                               EmbeddingProducts::by_symbol};

}  // namespace

namespace ninja {
/// Printed by Boost.Test in the name of each data-driven case.
inline std::ostream& operator<<(std::ostream& out, EmbeddingProducts p) {
    return out << (p == EmbeddingProducts::as_chapters ? "as_chapters" : "by_symbol");
}
}  // namespace ninja

BOOST_AUTO_TEST_CASE(the_fast_trainer_follows_the_plain_loop_for_2000_steps) {
    // The two loops on the same batches (two generators from the same seed), with the lecture's
    // sizes and learning rate. The fast step computes the same gradients in another order, with
    // a fitted tanh (3e-7) and one pass for the cross-entropy, so the two runs drift apart by
    // rounding, as two correct float32 implementations do (PyTorch's and ours, above). Measured:
    // the largest loss difference over the 2,000 steps is 1.4e-6 and the parameters end
    // within about 1e-6 of each other. The bounds, 2e-5 on the loss and allclose(1e-4, 1e-5) on
    // the parameters, are the reference run's; a 1% error in a gradient breaks the first within
    // 300 steps (a_gradient_one_percent_wrong_breaks_the_bound).
    TrainingConfig c;
    c.steps = 2000;
    TorchGenerator g_fast(c.seed), g_plain(c.seed);
    Trainer trainer = make_trainer(c, g_fast);
    Params<float> plain = test::initial_params(c, g_plain);
    double worst = 0;
    for (std::size_t i = 0; i < c.steps; ++i) {
        const float lr = c.schedule.at(std::int64_t(i));
        const float fast_loss = trainer.step(g_fast, lr);
        const float plain_loss = train_step(plain, data().train, c.batch_size, lr, g_plain);
        const double d = std::abs(double(fast_loss) - double(plain_loss));
        worst = std::max(worst, d);
        BOOST_TEST_CONTEXT("step " << i) { BOOST_TEST(d <= 2e-5); }
    }
    BOOST_TEST_MESSAGE("largest |fast - plain| loss over " << c.steps << " steps: " << worst);
    test::check_params_close(trainer.params(), plain);
}

BOOST_AUTO_TEST_CASE(the_fast_trainer_follows_pytorch_step_by_step) {
    // The training program's step (updates of W1 and W2 folded into their products, products
    // by symbol) against PyTorch's 300 steps; then the final parameters.
    const Reference ref("train");
    const TrainingConfig c = test::reference_training(ref);
    TorchGenerator gen(c.seed);
    Trainer trainer = make_trainer(c, gen);
    std::vector<float> losses(c.steps);
    for (std::size_t i = 0; i < c.steps; ++i)
        losses[i] = trainer.step(gen, c.schedule.at(std::int64_t(i)));
    test::check_losses_against_pytorch(losses, ref.load<float, 1>("loss"));
    test::check_params_close(trainer.params(), load_params(ref));
}

BOOST_AUTO_TEST_CASE(a_gradient_one_percent_wrong_breaks_the_bound) {
    // The same 300 steps with one parameter's gradient scaled by 0.99 before the update: each
    // must push some step's loss further from PyTorch's than the bound (forward(), backward(),
    // update(): the step with every gradient stored). Not b1: batchnorm subtracts the batch mean
    // right after adding b1, so b1 cannot change the loss and db1 is zero up to rounding
    // (checked below); scaling it changes nothing.
    const Reference ref("train");
    const TrainingConfig c = test::reference_training(ref);
    const auto expected = ref.load<float, 1>("loss");
    for (const char* wrong : {"C", "W1", "W2", "b2", "bngain", "bnbias"}) {
        TorchGenerator gen(c.seed);
        Trainer trainer = make_trainer(c, gen);
        double worst = 0;
        for (std::size_t i = 0; i < c.steps; ++i) {
            trainer.draw_batch(gen);
            worst = std::max(worst, std::abs(double(trainer.forward()) - double(expected(i))));
            trainer.backward();
            trainer.for_each_parameter([&](std::string_view name, auto&, auto& grad) {
                if (name == wrong) grad *= 0.99f;
            });
            trainer.update(c.schedule.at(std::int64_t(i)));
        }
        BOOST_TEST_MESSAGE("d" << wrong << " * 0.99: largest |loss difference| " << worst);
        BOOST_TEST_CONTEXT("d" << wrong) { BOOST_TEST(worst > test::pytorch_loss_tolerance); }
    }
}

BOOST_DATA_TEST_CASE(one_step_equals_the_chapters_steps, boost::unit_test::data::make(both_ways),
                     way) {
    // The trainer's buffers against common/model.hpp's forward() and the chapters' step
    // functions (21, 09, 10, 22, 18, 19, 20) run on the same batch.
    const TrainingConfig c;
    TorchGenerator gen(c.seed);
    Trainer trainer = make_trainer(c, gen, way);
    trainer.draw_batch(gen);
    const float loss = trainer.forward();
    trainer.backward();

    const Params<float> p = trainer.params();
    Forward<float> f;
    forward(f, p, trainer.batch);
    BOOST_TEST(loss == f.loss, boost::test_tools::tolerance(1e-6f));
    std::vector<TensorId> computed{TensorId::hprebn,    TensorId::bnmeani, TensorId::bnvar,
                                   TensorId::bnvar_inv, TensorId::bnraw,   TensorId::h,
                                   TensorId::logits};
    if (way == EmbeddingProducts::as_chapters) computed.push_back(TensorId::embcat);
    for (TensorId id : computed)
        visit_pair(id, trainer.f, f, [&](const auto& mine, const auto& theirs) {
            BOOST_TEST_MESSAGE("forward " << format_cmp(compare(info(id).name, mine, theirs)));
            BOOST_TEST_CONTEXT(id) { BOOST_TEST(xt::allclose(mine, theirs, 1e-5, 1e-6)); }
        });

    Grads<float> g;
    backward<22>(g, f, p, trainer.batch);                                       // 21, 09, 10, 22
    first_linear_backward(g.dembcat, g.dW1, g.db1, g.dhprebn, f.embcat, p.W1);  // 18
    emb_backward(g.demb, g.dembcat, f.emb);                                     // 19
    embedding_table_backward(g.dC, g.demb, p.C, trainer.batch.Xb);              // 20
    std::vector<TensorId> grads = tensor_ids(
        {"logits", "h", "W2", "b2", "hpreact", "bngain", "bnbias", "hprebn", "W1", "b1", "C"});
    if (way == EmbeddingProducts::as_chapters) grads.push_back(TensorId::embcat);
    for (TensorId id : grads)
        visit_pair(id, trainer.grads(), g, [&](const auto& mine, const auto& theirs) {
            const Comparison cmp = compare(info(id).name, mine, theirs);
            BOOST_TEST_MESSAGE("backward " << format_cmp(cmp));
            // The trainer's forward pass is not the chapters' bit for bit (its fitted tanh is
            // within 3e-7, its sums run in another order), so each gradient is held to its own
            // scale: the largest difference at most 1e-5 of its largest entry. Elementwise
            // allclose would judge entries near zero by rounding noise alone. A 1% error in any
            // gradient is 1000 times this bound. b1 is cancelled by the batch mean: its gradient
            // is zero but for rounding noise of about 1e-8, and it is held to 1e-7.
            const double scale = double(xt::amax(xt::abs(theirs))());
            const double bound = id == TensorId::b1 ? 1e-7 : 1e-5 * scale;
            BOOST_TEST_CONTEXT(id) { BOOST_TEST(cmp.maxdiff <= bound); }
        });
    BOOST_TEST(xt::amax(xt::abs(trainer.grads().db1))() <= 1e-7f);
}

BOOST_AUTO_TEST_CASE(both_ways_train_alike) {
    // 200 steps each way from the same start: the same batches, and losses and parameters
    // equal to float rounding.
    const TrainingConfig c;
    TorchGenerator g1(c.seed), g2(c.seed);
    Trainer a = make_trainer(c, g1, EmbeddingProducts::as_chapters);
    Trainer b = make_trainer(c, g2, EmbeddingProducts::by_symbol);
    double worst = 0;
    for (std::size_t i = 0; i < 200; ++i) {
        const float lr = c.schedule.at(std::int64_t(i));
        const float la = a.step(g1, lr), lb = b.step(g2, lr);
        BOOST_TEST_REQUIRE(a.batch.ix == b.batch.ix);
        worst = nan_max(worst, std::abs(double(la) - double(lb)));
    }
    BOOST_TEST_MESSAGE("largest |loss difference| between the two ways over 200 steps: " << worst);
    BOOST_TEST(worst <= 1e-5);
    test::check_params_close(a.params(), b.params());
}

BOOST_AUTO_TEST_CASE(drawing_ahead_keeps_the_batches) {
    // draw_batch() draws one batch ahead; the batches are still randint's, in order.
    const TrainingConfig c;
    TorchGenerator gen(c.seed), plain(c.seed);
    Trainer trainer = make_trainer(c, gen);
    test::initial_params(c, plain);  // the same draws as make_trainer's
    for (int k = 0; k < 5; ++k) {
        trainer.draw_batch(gen);
        const Batch expected = sample_batch(data().train, c.batch_size, plain);
        BOOST_TEST(trainer.batch.ix == expected.ix);
        BOOST_TEST(trainer.batch.Xb == expected.Xb);
        BOOST_TEST(trainer.batch.Yb == expected.Yb);
    }
}

BOOST_AUTO_TEST_CASE(the_rational_tanh_is_within_5_ulp) {
    // Against tanh in double on a fine grid of floats: within 3.1e-7 (the documented 3.0e-7
    // largest error, 5 units in the last place near 1), odd, never outside (-1, 1), and the
    // vector and the float version agree in every lane.
    double worst = 0;
    for (double x = -12; x <= 12; x += 1.0 / 4096) {
        const float xf = float(x);
        const float y = tanh_rational(xf);
        worst = std::max(worst, std::abs(double(y) - std::tanh(double(xf))));
        BOOST_TEST_REQUIRE(std::abs(y) < 1.0f);
        BOOST_TEST_REQUIRE(tanh_rational(-xf) == -y);
    }
    BOOST_TEST_MESSAGE("largest |tanh_rational(x) - tanh(x)|: " << worst);
    BOOST_TEST(worst <= 3.1e-7);
    BOOST_TEST(tanh_rational(0.0f) == 0.0f);
    alignas(64) float in[fbatch::size], out[fbatch::size];
    for (std::size_t k = 0; k < fbatch::size; ++k) in[k] = -3.5f + 0.9f * float(k);
    tanh_rational(fbatch::load_aligned(in)).store_aligned(out);
    for (std::size_t k = 0; k < fbatch::size; ++k) BOOST_TEST(out[k] == tanh_rational(in[k]));
}

BOOST_AUTO_TEST_CASE(the_evaluator_is_the_plain_calibration_and_losses) {
    // After 300 steps (a network that has learnt something), on the first 20,000 rows of the
    // training set and on the dev set: the fast evaluation (fast_evaluation.hpp: products by
    // symbol, batchnorm as one affine map, the fitted tanh, the loss from the logits) against
    // calibrate_batchnorm() and split_loss(). Measured: the statistics agree to about 1e-7
    // relative and the losses to about 1e-7; a loss of a network whose statistics were 1% off
    // differs by more than the bound (checked below).
    TrainingConfig c;
    TorchGenerator gen(c.seed);
    Trainer trainer = make_trainer(c, gen);
    for (std::int64_t i = 0; i < 300; ++i) trainer.step(gen, c.schedule.at(i));
    const Params<float>& p = trainer.params();
    const Examples rows{xt::view(data().train.X, xt::range(0, 20000), xt::all()),
                        xt::view(data().train.Y, xt::range(0, 20000))};
    const BatchnormStats plain = calibrate_batchnorm(p, rows);
    Evaluator evaluator(p);
    const BatchnormStats fast = evaluator.calibrate(rows);
    BOOST_TEST(xt::allclose(fast.mean, plain.mean, 1e-5, 1e-6));
    BOOST_TEST(xt::allclose(fast.var, plain.var, 1e-5, 1e-6));
    for (const Examples* split : {&rows, &data().dev}) {
        const double expected = split_loss(p, plain, *split);
        BOOST_TEST_MESSAGE("plain " << expected << ", fast "
                                    << evaluator.split_loss(plain, *split));
        BOOST_TEST(std::abs(evaluator.split_loss(plain, *split) - expected) <= 1e-5);
        BatchnormStats off = plain;
        off.mean += 0.01f * xt::sqrt(plain.var);
        BOOST_TEST(std::abs(evaluator.split_loss(off, *split) - expected) > 1e-5);
    }
}

BOOST_AUTO_TEST_CASE(the_evaluation_keeps_to_the_checked_bound) {
    // A chunk of rows holds (rows, H + V) numbers, within the bound that validate() checks.
    BOOST_TEST(evaluation_rows(200, 27) == 4096u);
    for (std::size_t H : {1u, 200u, 4096u, 65536u}) {
        const std::size_t rows = evaluation_rows(H, 27);
        BOOST_TEST(rows >= 1u);
        BOOST_TEST(rows * (H + 27) <= max_tensor_numbers);
    }
}
