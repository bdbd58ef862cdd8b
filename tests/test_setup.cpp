#include <boost/test/unit_test.hpp>

#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/setup.hpp"

#include <cmath>

#include <xtensor-blas/xlinalg.hpp>
#include "test_helpers.hpp"

using namespace ninja;

namespace {

/// The largest difference two correct float32 computations of `a @ b + bias` can have, element
/// by element. Each is within gamma_(K+1) * (|a| @ |b| + |bias|) of the exact value, whatever the
/// order of its sums: the textbook bound of a dot product of K terms followed by one addition,
/// with gamma_k = k u / (1 - k u) and u = 2^-24 (Higham, Accuracy and Stability of Numerical
/// Algorithms, section 3.1). Two of them differ by at most twice that.
xt::xtensor<double, 2> product_tolerance(const xt::xtensor<float, 2>& a,
                                         const xt::xtensor<float, 2>& b,
                                         const xt::xtensor<float, 1>& bias) {
    const double k = double(a.shape(1) + 1), u = std::ldexp(1.0, -24), gamma = k * u / (1 - k * u);
    const xt::xtensor<double, 2> magnitude =
        xt::linalg::dot(xt::abs(xt::cast<double>(a)), xt::abs(xt::cast<double>(b))) +
        xt::abs(xt::cast<double>(bias));
    return 2 * gamma * magnitude;
}

/// A setup in C++ and PyTorch's reference of it, built once for all cases of a suite.
struct ReferenceFixture {
    Reference ref;
    Setup s = make_setup(reference_config(ref), test::names_path());
    Model model = ref.config().model;

    explicit ReferenceFixture(const char* name) : ref(name) {}
};
struct LectureFixture : ReferenceFixture {
    LectureFixture() : ReferenceFixture("lecture") {}
};
struct LayerNormFixture : ReferenceFixture {  // chapter 24: the lecture's, LayerNorm in place
    LayerNormFixture() : ReferenceFixture("layernorm") {}
};

/// Every parameter of the fixture's model, drawn in C++, equals PyTorch's bit for bit.
void check_parameters(const ReferenceFixture& x) {
    const Params<float> torch_params = load_params(x.ref);
    std::size_t compared = 0;
    x.s.params.for_each([&](std::string_view name, const auto& t) {
        torch_params.for_each([&](std::string_view tname, const auto& tt) {
            TensorId id{};
            if (name != tname || !find_tensor(name, id) || !in_model(id, x.model)) return;
            BOOST_TEST_CONTEXT(name) { BOOST_TEST(compare(name, t, tt).exact); }
            ++compared;
        });
    });
    BOOST_TEST(compared == parameters_of(x.model).size());
}

/// Each stage of the forward pass is run alone on PyTorch's own inputs, so that it is judged by
/// its own rounding. (Run end to end, a one-ulp difference in a sum can become a large relative
/// difference downstream wherever two nearly equal numbers are subtracted, e.g. bndiff near
/// zero.) The elementwise stages and reductions must be allclose. The two products are held to
/// the bound two correct float32 products can differ by (product_tolerance): their sums run in an
/// order that depends on the BLAS kernel the CPU gets (OpenBLAS's AVX2 kernels put hprebn 9.5e-7
/// from PyTorch's, outside allclose where hprebn is near zero).
void check_every_stage(const ReferenceFixture& x) {
    const Forward<float> torch_f = load_forward(x.ref);
    std::size_t compared = 0;
    for (TensorId id : forward_order) {
        if (!in_model(id, x.model)) continue;
        Forward<float> f = torch_f;
        f.visit(id, [](auto& t) { t.fill(std::nanf("")); });  // poison the output: unwritten fails
        forward(f, x.s.params, x.s.batch, id, id);
        const std::string_view name = info(id).name;
        visit_pair(id, f, torch_f, [&](const auto& t, const auto& torch_t) {
            const Comparison c = compare(name, t, torch_t);
            if (id == TensorId::hprebn || id == TensorId::logits) {
                const xt::xtensor<double, 2> bound =
                    id == TensorId::hprebn
                        ? product_tolerance(torch_f.embcat, x.s.params.W1, x.s.params.b1)
                        : product_tolerance(torch_f.h, x.s.params.W2, x.s.params.b2);
                const xt::xtensor<double, 2> diff =
                    xt::abs(xt::cast<double>(t) - xt::cast<double>(torch_t));
                BOOST_TEST_MESSAGE(name << ": maxdiff " << c.maxdiff << ", largest bound "
                                        << xt::amax(bound)());
                BOOST_TEST_CONTEXT(name) { BOOST_TEST(xt::all(diff <= bound)); }
            } else {
                BOOST_TEST_CONTEXT(name << " maxdiff " << c.maxdiff) { BOOST_TEST(c.approximate); }
            }
            ++compared;
        });
    }
    BOOST_TEST(compared == tensor_count_of(x.model) - parameters_of(x.model).size());
}

/// The loss of the C++ forward pass is PyTorch's to 1e-6.
void check_loss(const ReferenceFixture& x) {
    Forward<float> f;
    forward(f, x.s.params, x.s.batch);
    const float torch_loss = x.ref.load<float, 1>("loss")(0);
    BOOST_TEST(std::abs(double(f.loss) - double(torch_loss)) <= 1e-6);
    BOOST_TEST(std::abs(double(torch_loss) - x.ref.meta_number("loss")) <= 1e-7);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lecture, LectureFixture)

BOOST_AUTO_TEST_CASE(parameter_count_is_4137) { BOOST_TEST(s.params.count() == 4137u); }
BOOST_AUTO_TEST_CASE(parameters_equal_pytorch_bit_for_bit) { check_parameters(*this); }

BOOST_AUTO_TEST_CASE(minibatch_equals_pytorch) {
    const Batch torch_batch = load_batch(ref);
    BOOST_TEST(compare("ix", s.batch.ix, torch_batch.ix).exact);
    BOOST_TEST(compare("Xb", s.batch.Xb, torch_batch.Xb).exact);
    BOOST_TEST(compare("Yb", s.batch.Yb, torch_batch.Yb).exact);
}

BOOST_AUTO_TEST_CASE(every_stage_agrees_with_pytorch) { check_every_stage(*this); }
BOOST_AUTO_TEST_CASE(loss_agrees_with_pytorch_to_1e_6) { check_loss(*this); }

BOOST_AUTO_TEST_CASE(pytorch_used_the_workbooks_batchnorm_epsilon) {
    BOOST_TEST(ref.meta_number("bn_eps") == bn_eps);  // common/hyperparameters.hpp
}

BOOST_AUTO_TEST_CASE(double_forward_pass_agrees_with_float) {
    Forward<float> f;
    forward(f, s.params, s.batch);
    Forward<double> fd;
    forward(fd, cast_params<double>(s.params), s.batch);
    BOOST_TEST(std::abs(fd.loss - double(f.loss)) <= 1e-5);
}

BOOST_AUTO_TEST_SUITE_END()

// Chapter 24's reference: the lecture's setup with LayerNorm, drawn from the same generator.
BOOST_FIXTURE_TEST_SUITE(layernorm, LayerNormFixture)

BOOST_AUTO_TEST_CASE(parameter_count_is_4137_with_a_gain_and_bias_of_h_numbers) {
    BOOST_TEST(s.params.count() == 4137u);
}
BOOST_AUTO_TEST_CASE(parameters_equal_pytorch_bit_for_bit) { check_parameters(*this); }

BOOST_AUTO_TEST_CASE(minibatch_is_the_lectures) {
    // As many numbers drawn for lngain and lnbias as for bngain and bnbias: the same minibatch.
    const Batch lecture_batch = load_batch(Reference("lecture"));
    BOOST_TEST(compare("ix", s.batch.ix, lecture_batch.ix).exact);
}

BOOST_AUTO_TEST_CASE(every_stage_agrees_with_pytorch) { check_every_stage(*this); }
BOOST_AUTO_TEST_CASE(loss_agrees_with_pytorch_to_1e_6) { check_loss(*this); }

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(batch_of_one_is_rejected) {
    Config c;
    c.batch_size = 1;
    BOOST_CHECK_EXCEPTION(validate(c), InputError, test::message_has("at least 2"));
}

BOOST_AUTO_TEST_CASE(layernorm_takes_a_batch_of_one_but_not_of_none) {
    Config c;
    c.model = Model::layernorm, c.batch_size = 1;
    BOOST_CHECK_NO_THROW(validate(c));
    c.batch_size = 0;
    BOOST_CHECK_EXCEPTION(validate(c), InputError, test::message_has("at least 1"));
}

BOOST_AUTO_TEST_CASE(n_hidden_200_has_12297_parameters) {
    Config c;
    c.n_hidden = 200;
    TorchGenerator g(c.seed);
    BOOST_TEST(init_params(c, g).count() == 12297u);
}
