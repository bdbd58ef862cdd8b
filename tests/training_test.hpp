/// @file
/// @brief What the tests of chapter 23's two loops share: the data set, the settings of
/// PyTorch's 300-step reference run (tests/reference/train), and the loss bound against it.
#pragma once

#include <string>

#include "23_training/training.hpp"
#include "common/npy.hpp"
#include "common/program/learner_code.hpp"
#include "common/program/runs.hpp"
#include "test_helpers.hpp"

namespace ninja::test {

/// Runs `fn`, which calls the train_step under test: in exercise mode as learner code (common/
/// program/learner_code.hpp), so that a crash or an endless loop of the learner's step ends the
/// test with one line instead of a signal or a hang; else as it is.
template <class Fn>
decltype(auto) as_tested(Fn&& fn) {
    if constexpr (exercise_mode)
        return run_learner_code("your train_step", learner_time_floor, "at least 10 s", fn);
    else
        return fn();
}

/// The data set, read once.
inline const Dataset& data() {
    static const Dataset d = load_dataset(names_path(), Config{}.block_size);
    return d;
}

/// The settings of tests/reference/train (n_hidden 200, batch 32, seed 2147483647, 300 steps),
/// or of train_layernorm (the same with LayerNorm, chapter 24).
inline TrainingConfig reference_training(const Reference& ref) {
    TrainingConfig c;
    c.n_hidden = ref.config().n_hidden;
    c.batch_size = ref.config().batch_size;
    c.seed = ref.config().seed;
    c.steps = std::size_t(ref.meta_integer("steps"));
    c.schedule.lr = float(ref.meta_number("lr"));
    c.schedule.lr_decayed = c.schedule.lr / 10;
    c.schedule.decay_step = std::int64_t(ref.meta_integer("lr_decay_step"));
    c.norm = ref.config().model;
    return c;
}

/// The lecture's initial parameters for `c`, drawn from `gen` (seeded with c.seed).
inline Params<float> initial_params(const TrainingConfig& c, TorchGenerator& gen) {
    Config model = c.model();
    model.vocab_size = data().vocab.size();
    return init_params(model, gen);
}

/// The bound on |C++ loss - PyTorch loss| at every step of the 300-step reference run.
///
/// Step 0 sees identical parameters and an identical batch: only float32 rounding separates the
/// two forward passes (summation orders in the products and reductions, xsimd's exp and tanh
/// against PyTorch's), a few units of 1e-7 on a loss near 4. From step 1 on, the runs have
/// taken slightly different SGD steps, and rounding differences compound through the updates.
/// Measured: the largest difference over the 300 steps is about 1.2e-6 for the fast trainer and
/// the plain loop alike (relative 4e-7, 3 to 5 units in the last place of a float near 2.5-4); it
/// does not grow steadily. The bound, 1e-5, leaves room for another BLAS kernel, compiler or CPU,
/// while test_fast_trainer shows that a gradient only 1% wrong in any parameter tensor that
/// matters moves the loss by more than the bound within these 300 steps.
inline constexpr double pytorch_loss_tolerance = 1e-5;

/// The largest |losses[i] - expected[i]|, and checks every step against the bound (step 0 to
/// 1e-6).
inline double check_losses_against_pytorch(const std::vector<float>& losses,
                                           const xt::xtensor<float, 1>& expected) {
    BOOST_TEST_REQUIRE(losses.size() == expected.size());
    BOOST_TEST(std::abs(losses[0] - expected(0)) <= 1e-6f);
    double worst = 0;
    for (std::size_t i = 0; i < losses.size(); ++i) {
        const double d = std::abs(double(losses[i]) - double(expected(i)));
        worst = std::max(worst, d);
        BOOST_TEST_CONTEXT("step " << i) { BOOST_TEST(d <= pytorch_loss_tolerance); }
    }
    BOOST_TEST_MESSAGE("step 0: " << losses[0] << " vs PyTorch " << expected(0)
                                  << "; largest |difference| over " << losses.size()
                                  << " steps: " << worst);
    return worst;
}

/// Every parameter within 1e-5 + 1e-4 * |p| of `expected` (the measured largest difference
/// after 300 steps is about 4e-7; see pytorch_loss_tolerance for why it is not zero).
inline void check_params_close(const Params<float>& mine, const Params<float>& expected,
                               double rtol = 1e-4, double atol = 1e-5) {
    for (TensorId id : parameters_of(model_of(expected)))
        visit_pair(id, mine, expected, [&](const auto& a, const auto& b) {
            BOOST_TEST_REQUIRE((a.shape() == b.shape()), info(id).name);
            BOOST_TEST_MESSAGE(format_cmp(compare(info(id).name, a, b)));
            BOOST_TEST_CONTEXT(info(id).name) { BOOST_TEST(xt::allclose(a, b, rtol, atol)); }
        });
}

}  // namespace ninja::test
