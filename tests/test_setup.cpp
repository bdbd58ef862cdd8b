#define BOOST_TEST_MODULE setup
#include <boost/test/unit_test.hpp>

#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/setup.hpp"
#include "test_helpers.hpp"

using namespace ninja;

namespace {

/// The lecture's setup in C++ and PyTorch's reference of it, built once for all cases.
struct LectureFixture {
    Reference ref{"lecture"};
    Setup s = make_setup(reference_config(ref), test::names_path());
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lecture, LectureFixture)

BOOST_AUTO_TEST_CASE(parameter_count_is_4137) { BOOST_TEST(s.params.count() == 4137u); }

BOOST_AUTO_TEST_CASE(parameters_equal_pytorch_bit_for_bit) {
    const Params<float> torch_params = load_params(ref);
    int compared = 0;
    s.params.for_each([&](std::string_view name, const auto& t) {
        torch_params.for_each([&](std::string_view tname, const auto& tt) {
            if (name != tname) return;
            BOOST_TEST_CONTEXT(name) { BOOST_TEST(compare(name, t, tt).exact); }
            ++compared;
        });
    });
    BOOST_TEST(compared == 7);
}

BOOST_AUTO_TEST_CASE(minibatch_equals_pytorch) {
    const Batch torch_batch = load_batch(ref);
    BOOST_TEST(compare("ix", s.batch.ix, torch_batch.ix).exact);
    BOOST_TEST(compare("Xb", s.batch.Xb, torch_batch.Xb).exact);
    BOOST_TEST(compare("Yb", s.batch.Yb, torch_batch.Yb).exact);
}

BOOST_AUTO_TEST_CASE(every_stage_is_allclose_to_pytorch) {
    // Each stage is run alone on PyTorch's own inputs, so that it is judged by its own rounding.
    // (Run end to end, a one-ulp difference in a sum can become a large relative difference
    // downstream wherever two nearly equal numbers are subtracted, e.g. bndiff near zero.)
    Forward<float> torch_f = load_forward(ref);
    int compared = 0;
    for (int stage = 0; stage < int(Stage::loss); ++stage) {
        Forward<float> f = torch_f;
        int index = 0;
        f.for_each([&](std::string_view, auto& t) {  // poison the output: unwritten fails
            if (index++ == stage) t.fill(std::nanf(""));
        });
        index = 0;
        forward(f, s.params, s.batch, Stage(stage), Stage(stage));
        f.for_each([&](std::string_view name, const auto& t) {
            if (index++ != stage) return;
            torch_f.for_each([&](std::string_view torch_name, const auto& torch_t) {
                if constexpr (std::is_same_v<decltype(t), decltype(torch_t)>) {
                    if (torch_name != name) return;
                    const Comparison c = compare(name, t, torch_t);
                    BOOST_TEST_CONTEXT(name << " maxdiff " << c.maxdiff) { BOOST_TEST(c.approximate); }
                    ++compared;
                }
            });
        });
    }
    BOOST_TEST(compared == 19);
}

BOOST_AUTO_TEST_CASE(loss_agrees_with_pytorch_to_1e_6) {
    Forward<float> f;
    forward(f, s.params, s.batch);
    const float torch_loss = ref.load<float, 1>("loss")(0);
    BOOST_TEST(std::abs(double(f.loss) - double(torch_loss)) <= 1e-6);
    BOOST_TEST(std::abs(double(torch_loss) - ref.meta_number("loss")) <= 1e-7);
}

BOOST_AUTO_TEST_CASE(double_forward_pass_agrees_with_float) {
    Forward<float> f;
    forward(f, s.params, s.batch);
    Forward<double> fd;
    forward(fd, cast_params<double>(s.params), s.batch);
    BOOST_TEST(std::abs(fd.loss - double(f.loss)) <= 1e-5);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(batch_of_one_is_rejected) {
    Config c;
    c.batch_size = 1;
    BOOST_CHECK_EXCEPTION(validate(c), InputError, test::message_has("at least 2"));
}

BOOST_AUTO_TEST_CASE(n_hidden_200_has_12297_parameters) {
    Config c;
    c.n_hidden = 200;
    TorchGenerator g(c.seed);
    BOOST_TEST(init_params(c, g).count() == 12297u);
}
