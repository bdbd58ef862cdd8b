#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "chapter_test.hpp"
#include "common/npy.hpp"
#include "common/numerical.hpp"
#include "common/program/runs.hpp"
#include "test_helpers.hpp"

using namespace ninja;
using ninja::test::message_has;
using ninja::test::TempFile;

BOOST_AUTO_TEST_SUITE(numerical)

BOOST_AUTO_TEST_CASE(central_differences_of_a_cubic) {
    // L(x) = sum(x^3) + x0*x1, so dL/dx0 = 3 x0^2 + x1, dL/dx1 = 3 x1^2 + x0, dL/dx2 = 3 x2^2.
    xt::xtensor<double, 1> x{0.5, -1.5, 2.0}, grad;
    const auto loss = [&] { return xt::sum(x * x * x)() + x(0) * x(1); };
    central_differences(grad, x, loss, 1e-5);
    BOOST_TEST(grad(0) == 3 * 0.25 - 1.5, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(grad(1) == 3 * 2.25 + 0.5, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(grad(2) == 3 * 4.0, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(x(1) == -1.5);  // restored
}

BOOST_AUTO_TEST_CASE(richardson_resolves_a_derivative_next_to_a_singularity) {
    // L(x) = (x + 1e-5)^-1/2, batchnorm's bnvar_inv, at x = 1e-7: the singularity is 1.01e-5
    // away, as close as the old fixed step of 1e-5, whose difference is off by more than 100%.
    const double eps = 1e-5, at = 1e-7;
    xt::xtensor<double, 1> x{at};
    const auto loss = [&] { return 1 / std::sqrt(x(0) + eps); };
    const double exact = -0.5 * std::pow(at + eps, -1.5);
    const double fixed = central_difference(x, 0, loss, default_fd_step);
    BOOST_TEST(std::abs(fixed - exact) > std::abs(exact));
    const Derivative d = richardson_derivative(x, 0, loss);
    BOOST_TEST_MESSAGE("derivative " << d.value << " (exact " << exact << "), error estimate "
                                     << d.error << ", " << d.losses << " losses");
    BOOST_TEST(d.error <= oracle_tolerance(d.value));
    BOOST_TEST(std::abs(d.value - exact) <= oracle_tolerance(exact));
    BOOST_TEST(x(0) == at);  // restored
}

BOOST_AUTO_TEST_CASE(richardson_passes_over_steps_where_the_loss_is_nan) {
    // L(x) = sqrt(x) at x = 1e-6: every step above 1e-6 reaches a negative x, where L is NaN.
    xt::xtensor<double, 1> x{1e-6};
    const auto loss = [&] { return std::sqrt(x(0)); };
    const Derivative d = richardson_derivative(x, 0, loss);
    BOOST_TEST(std::abs(d.value - 500.0) <= oracle_tolerance(500.0));
}

BOOST_AUTO_TEST_CASE(a_loss_flat_in_x_takes_two_steps) {
    // Two differences (four losses) are the least that carry an error estimate.
    xt::xtensor<double, 1> x{0.3};
    const auto loss = [] { return 2.5; };
    const Derivative d = richardson_derivative(x, 0, loss);
    BOOST_TEST(d.value == 0.0);
    BOOST_TEST(d.error == 0.0);
    BOOST_TEST(d.losses == 4);
}

BOOST_AUTO_TEST_CASE(the_false_alarm_of_seed_99_at_batch_size_2_is_gone) {
    // With a fixed step of 1e-5, chapter 13 printed "approximate: False | maxdiff: 788.6" here,
    // though its dbnvar is right: one column's bnvar + 1e-5 is about 1.08e-5.
    ChapterRun<double> r = double_run(test::setup_for({99, 2, 64}));
    backward<13, double>(r.g, r.f, r.params, r.batch);
    const OracleReport oracle = add_numerical_reference(r, {TensorId::bnvar});
    BOOST_TEST_REQUIRE(xt::amin(r.f.bnvar)() + bn_eps < 1.1e-5);
    const Comparison c = compare("bnvar", r.g.dbnvar, r.expected.dbnvar);
    BOOST_TEST_MESSAGE(format_cmp(c) << "; oracle: " << oracle.losses << " losses for "
                                     << oracle.elements << " elements");
    BOOST_TEST(c.approximate);
    BOOST_TEST(oracle.unresolved == 0u);
}

BOOST_AUTO_TEST_CASE(dlogprobs_is_minus_one_over_n_at_the_targets) {
    // loss = -mean(logprobs[i, Yb[i]]): a fact checkable without any derivation.
    Config c;
    c.batch_size = 5;
    c.n_hidden = 4;
    TorchGenerator g(7);
    const Params<double> p = cast_params<double>(init_params(c, g));
    Batch b;
    b.Yb = {1, 0, 26, 1, 5};
    b.ix = xt::zeros<std::int64_t>({5});
    b.Xb = {{0, 0, 0}, {0, 0, 1}, {0, 1, 2}, {3, 4, 5}, {26, 26, 0}};
    Grads<double> num;
    numerical_grads(num, p, b, {TensorId::logprobs});
    BOOST_TEST(num.dlogprobs.shape(0) == 5u);
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 27; ++j) {
            const double expected = j == std::size_t(b.Yb(i)) ? -1.0 / 5 : 0.0;
            BOOST_TEST(num.dlogprobs(i, j) == expected, boost::test_tools::tolerance(1e-9));
        }
    BOOST_TEST(num.dprobs.size() == 0u);  // only what was asked for
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(npy)

BOOST_AUTO_TEST_CASE(round_trip) {
    TempFile dir("unused", "");
    const xt::xtensor<float, 2> t{{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}};
    write_npy(dir.dir(), "t", t);
    const auto back = read_npy<float, 2>(dir.dir() + "/t.npy");
    BOOST_TEST(back == t);
}

BOOST_AUTO_TEST_CASE(missing_file_names_the_file) {
    BOOST_CHECK_EXCEPTION((read_npy<float, 2>("/nonexistent/dprobs.npy")), InputError,
                          message_has("/nonexistent/dprobs.npy: missing reference file"));
}

BOOST_AUTO_TEST_CASE(truncated_file) {
    const std::string full = xt::dump_npy(xt::xtensor<float, 1>{1.f, 2.f, 3.f, 4.f});
    TempFile f("short.npy", full.substr(0, full.size() - 3));
    BOOST_CHECK_EXCEPTION((read_npy<float, 1>(f.path())), InputError, message_has("truncated"));
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
    TempFile f("long.npy", xt::dump_npy(xt::xtensor<float, 1>{1.f}) + "xx");
    BOOST_CHECK_EXCEPTION((read_npy<float, 1>(f.path())), InputError,
                          message_has("unexpected bytes"));
}

BOOST_AUTO_TEST_CASE(not_npy_at_all) {
    TempFile f("garbage.npy", "this is not numpy data at all, just text");
    BOOST_CHECK_EXCEPTION((read_npy<float, 1>(f.path())), InputError,
                          message_has("garbage.npy: not a valid npy"));
}

BOOST_AUTO_TEST_CASE(wrong_element_type) {
    TempFile f("d.npy", xt::dump_npy(xt::xtensor<double, 1>{1.0}));
    BOOST_CHECK_EXCEPTION((read_npy<float, 1>(f.path())), InputError,
                          message_has("d.npy: not a valid npy"));
}

BOOST_AUTO_TEST_CASE(wrong_rank) {
    TempFile f("r.npy", xt::dump_npy(xt::xtensor<float, 1>{1.f}));
    BOOST_CHECK_EXCEPTION((read_npy<float, 2>(f.path())), InputError,
                          message_has("expected a 2-d array, found shape (1,)"));
}

/// A copy of the lecture's reference data in a temporary folder, read through $NINJA_REFERENCE
/// while the object lives.
class ReferenceCopy {
public:
    ReferenceCopy() : dir_("unused", "") {
        std::filesystem::copy(std::string(NINJA_SOURCE_DIR) + "/tests/reference/lecture",
                              dir_.dir() + "/lecture");
        setenv(reference_env_var, dir_.dir().c_str(), 1);
    }
    ~ReferenceCopy() { unsetenv(reference_env_var); }
    ReferenceCopy(const ReferenceCopy&) = delete;
    ReferenceCopy& operator=(const ReferenceCopy&) = delete;
    /// Replaces `<name>.npy` of the copy with `t`.
    template <class E>
    void replace(const std::string& name, const E& t) {
        write_npy(dir_.dir() + "/lecture", name, t);
    }
    /// Replaces the line of meta.txt that sets `key` with `line` (none: removes it).
    void edit_meta(const std::string& key, const std::string& line) {
        const std::string path = dir_.dir() + "/lecture/meta.txt";
        std::ifstream in(path);
        std::string text;
        for (std::string old; std::getline(in, old);)
            text += old.rfind(key + " ", 0) == 0 ? (line.empty() ? "" : line + "\n") : old + "\n";
        write_file_atomically(path, text);
    }

private:
    TempFile dir_;
};

BOOST_AUTO_TEST_CASE(an_index_outside_the_vocabulary_names_the_file_and_the_entry) {
    const Batch batch = load_batch(Reference("lecture"));
    const auto refused = [](const std::string& name, const auto& t, const std::string& message) {
        ReferenceCopy copy;
        copy.replace(name, t);
        BOOST_CHECK_EXCEPTION(load_batch(Reference("lecture")), InputError, message_has(message));
    };
    xt::xtensor<std::int64_t, 1> Yb = batch.Yb;
    Yb(5) = 27;
    refused("Yb", Yb, "lecture/Yb.npy: entry [5] is 27, outside the vocabulary of 27 symbols");
    xt::xtensor<std::int64_t, 2> Xb = batch.Xb;
    Xb(13, 1) = -1;
    refused("Xb", Xb, "lecture/Xb.npy: entry [13, 1] is -1, outside the vocabulary");
}

BOOST_AUTO_TEST_CASE(a_tensor_of_another_shape_names_the_file) {
    ReferenceCopy copy;
    copy.replace("dprobs", xt::xtensor<float, 2>(xt::zeros<float>({32, 26})));
    BOOST_CHECK_EXCEPTION(load_grads(Reference("lecture")), InputError,
                          message_has("lecture/dprobs.npy: shape (32, 26), expected (32, 27)"));
    copy.replace("Yb", xt::xtensor<std::int64_t, 1>(xt::zeros<std::int64_t>({31})));
    BOOST_CHECK_EXCEPTION(load_batch(Reference("lecture")), InputError,
                          message_has("lecture/Yb.npy: shape (31,), expected (32,)"));
}

BOOST_AUTO_TEST_CASE(the_tables_shapes_in_the_lectures_sizes) {
    const Config c;  // n 32, B 3, E 10, H 64, V 27
    BOOST_TEST(table_shape(TensorId::embcat, c) == (std::vector<std::size_t>{32, 30}));
    BOOST_TEST(table_shape(TensorId::b2, c) == (std::vector<std::size_t>{27}));
    BOOST_TEST(table_shape(TensorId::emb, c) == (std::vector<std::size_t>{32, 3, 10}));
    BOOST_TEST(table_shape(TensorId::bnvar, c) == (std::vector<std::size_t>{1, 64}));
}

BOOST_AUTO_TEST_CASE(a_nan_or_an_infinity_names_the_file_and_the_entry) {
    // PyTorch's data is finite: a NaN would be reported as a wrong gradient, an infinity
    // accepted as a right one.
    const auto refused = [](const std::string& name, float value, const std::string& message) {
        ReferenceCopy copy;
        xt::xtensor<float, 2> t = load_grads(Reference("lecture")).dprobs;
        t(3, 4) = value;
        copy.replace(name, t);
        BOOST_CHECK_EXCEPTION(load_grads(Reference("lecture")), InputError, message_has(message));
    };
    refused("dprobs", NAN, "lecture/dprobs.npy: entry [3, 4] is nan, not a finite number");
    refused("dprobs", INFINITY, "lecture/dprobs.npy: entry [3, 4] is inf, not a finite number");
    refused("dprobs", -INFINITY, "lecture/dprobs.npy: entry [3, 4] is -inf");
    ReferenceCopy copy;
    copy.replace("loss", xt::xtensor<float, 1>{NAN});
    BOOST_CHECK_EXCEPTION(load_forward(Reference("lecture")), InputError,
                          message_has("lecture/loss.npy: entry [0] is nan"));
}

BOOST_AUTO_TEST_CASE(meta_txt_is_checked_as_it_is_read) {
    // Sizes and seed are decimal integers that describe a model; a key is given once.
    const auto refused = [](const std::string& key, const std::string& line,
                            const std::string& message) {
        ReferenceCopy copy;
        copy.edit_meta(key, line);
        BOOST_CHECK_EXCEPTION(Reference("lecture"), InputError, message_has(message));
    };
    const std::string integer = "must be a non-negative decimal integer, got '";
    refused("seed", "seed abc", "lecture/meta.txt: 'seed' " + integer + "abc'");
    refused("seed", "seed 12345678901234567890123", "'seed' " + integer + "1234567890");
    for (const std::string value : {"1e30", "nan", "-32", "32.7", "0x20", "+32"})
        refused("batch_size", "batch_size " + value, "'batch_size' " + integer + value + "'");
    refused("batch_size", "batch_size 1", "lecture/meta.txt: batch_size must be at least 2");
    refused("vocab_size", "vocab_size 1", "lecture/meta.txt: vocab_size must have from 2 to 256");
    refused("seed", "", "lecture/meta.txt: no 'seed' entry");
    refused("loss", "loss 3.5\nloss 3.5", "meta.txt:12: 'loss' given a second time");
    refused("seed", "seed 1 2", "meta.txt:2: expected 'key value'");
    refused("names_sha256", "names_sha256 0a30", "'names_sha256' must be 64 hexadecimal digits");
    ReferenceCopy copy;
    copy.edit_meta("batch_size", "batch_size 010");  // ten, not eight
    BOOST_TEST(Reference("lecture").config().batch_size == 10u);
    copy.edit_meta("loss", "loss inf");
    BOOST_CHECK_EXCEPTION(Reference("lecture").meta_number("loss"), InputError,
                          message_has("'loss' must be a finite decimal number, got 'inf'"));
}

BOOST_AUTO_TEST_CASE(missing_reference_folder) {
    BOOST_CHECK_EXCEPTION(Reference("no_such_configuration"), InputError,
                          message_has("no_such_configuration/meta.txt: missing reference data"));
}

BOOST_AUTO_TEST_SUITE_END()
