// Tests for common/rng's PyTorch generator: values printed by PyTorch 1.13.1 for the same
// calls, plus the error cases. (CPython's generator: test_python_random.cpp.)
#include <boost/test/unit_test.hpp>

#include "common/dataset.hpp"
#include "common/rng.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using ninja::PythonRandom;
using ninja::TorchGenerator;

/// The seed of every lecture: torch.Generator().manual_seed(2147483647).
constexpr std::uint64_t lecture_seed = 2147483647ULL;

std::uint32_t bits_of(float f) {
    std::uint32_t b;
    std::memcpy(&b, &f, sizeof b);
    return b;
}

/// Checks that the first values of `got` have exactly the bit patterns `want`.
void check_bits(const std::vector<float>& got, const std::vector<std::uint32_t>& want) {
    BOOST_REQUIRE_GE(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        BOOST_TEST_CONTEXT("element " << i << " = " << got[i]) {
            BOOST_TEST(bits_of(got[i]) == want[i]);
        }
    }
}

/// The next word of g without disturbing g (g is taken by value).
std::uint32_t peek_word(TorchGenerator g) { return g.random(); }

/// The word std::mt19937 gives after skipping `consumed` words; TorchGenerator's next word must
/// equal it when exactly `consumed` words have been used since manual_seed.
std::uint32_t mt19937_word_after(std::uint32_t seed, unsigned long long consumed) {
    std::mt19937 reference(seed);
    reference.discard(consumed);
    return static_cast<std::uint32_t>(reference());
}

/// The lecture's parameter draws C, W1, b1, W2, b2 (raw randn, before any scaling).
struct LectureDraws {
    std::vector<float> C, W1, b1, W2, b2;
};

LectureDraws draw_lecture_params(TorchGenerator& g, std::size_t n_hidden) {
    LectureDraws d;
    d.C = g.randn(27 * 10);
    d.W1 = g.randn(30 * n_hidden);
    d.b1 = g.randn(n_hidden);
    d.W2 = g.randn(n_hidden * 27);
    d.b2 = g.randn(27);
    return d;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(first_eight_words) {
    TorchGenerator g(lecture_seed);
    const std::array<std::uint32_t, 8> want = {0x64b547ef, 0xe45aaf6a, 0xa81afd9d, 0xa399824c,
                                               0x16172759, 0xb31701e8, 0xf6e1daf0, 0xeafd1d28};
    for (std::uint32_t w : want) { BOOST_TEST(g.random() == w); }
}

BOOST_AUTO_TEST_CASE(matches_std_mt19937) {
    TorchGenerator g(lecture_seed);
    std::mt19937 reference(static_cast<std::uint32_t>(lecture_seed));
    for (int i = 0; i < 5000; ++i) { BOOST_REQUIRE_EQUAL(g.random(), reference()); }
}

BOOST_AUTO_TEST_CASE(only_low_32_bits_of_the_seed_count) {
    TorchGenerator a((std::uint64_t{0xDEADBEEF} << 32) | lecture_seed);
    TorchGenerator b(lecture_seed);
    for (int i = 0; i < 10; ++i) { BOOST_TEST(a.random() == b.random()); }
}

BOOST_AUTO_TEST_CASE(default_seed) {
    TorchGenerator g;
    BOOST_TEST(g.random() ==
               mt19937_word_after(static_cast<std::uint32_t>(TorchGenerator::default_seed), 0));
}

BOOST_AUTO_TEST_CASE(random64_first_word_is_high_half) {
    TorchGenerator g(lecture_seed);
    BOOST_TEST(g.random64() == 0x64b547efe45aaf6aULL);
}

BOOST_AUTO_TEST_CASE(uniform_double_uses_low_53_bits) {
    TorchGenerator g(lecture_seed);
    const std::uint64_t low53 = 0x64b547efe45aaf6aULL & ((std::uint64_t{1} << 53) - 1);
    BOOST_TEST(g.uniform_double() == std::ldexp(static_cast<double>(low53), -53));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(randn_block_path)

BOOST_AUTO_TEST_CASE(C_first_row) {
    TorchGenerator g(lecture_seed);
    check_bits(g.randn(27 * 10), {0x3fc89f51, 0xbe72fcc2, 0xbce055ae, 0xbf8ce657});
}

BOOST_AUTO_TEST_CASE(C_flat_8_is_the_sin_half_of_C00) {
    TorchGenerator g(lecture_seed);
    BOOST_TEST(bits_of(g.randn(27 * 10)[8]) == 0x3da21229U);
}

BOOST_AUTO_TEST_CASE(W1_first_row_raw) {
    for (std::size_t n_hidden : {64, 200}) {
        BOOST_TEST_CONTEXT("n_hidden " << n_hidden) {
            TorchGenerator g(lecture_seed);
            g.randn(27 * 10);
            check_bits(g.randn(30 * n_hidden), {0xbf95d986, 0x3d9353eb, 0xbfecb44c, 0x3f693246});
        }
    }
}

BOOST_AUTO_TEST_CASE(b2_raw_all_27_with_tail_block) {
    TorchGenerator g(lecture_seed);
    const LectureDraws d = draw_lecture_params(g, 64);
    check_bits(d.b2,
               {0x3f464b45, 0xbfa149cf, 0x3d669026, 0xbf493b21, 0xbf61acf4, 0x3fb1527d, 0x3fbb8bbb,
                0x3f9be844, 0x3e7a448a, 0xbf6998c6, 0xbee1a71d, 0xbfb8568b, 0x3f67783b, 0xbf043b03,
                0xbfc8b857, 0x3e8b558d, 0xbec9bd0d, 0xbf9e3bd7, 0xbf19023a, 0x3fb058d9, 0x3efa5d39,
                0xbfb68e41, 0x3f06b400, 0xbeca0a03, 0x3f827b6f, 0xbf070b60, 0xbfcc6f15});
}

BOOST_AUTO_TEST_CASE(words_consumed_match_the_table) {
    // Spec 3.1: numel words, plus 16 for the tail block when numel % 16 != 0.
    struct Row {
        std::size_t n_hidden;
        std::array<unsigned long long, 5> cumulative;  // after C, W1, b1, W2, b2
    };
    const std::array<Row, 2> rows = {{{64, {286, 286 + 1920, 2206 + 64, 2270 + 1728, 4041}},
                                      {200, {286, 286 + 6000, 6286 + 216, 6502 + 5416, 11961}}}};
    for (const Row& row : rows) {
        BOOST_TEST_CONTEXT("n_hidden " << row.n_hidden) {
            const std::size_t nh = row.n_hidden;
            const std::array<std::size_t, 5> sizes = {27 * 10, 30 * nh, nh, nh * 27, 27};
            TorchGenerator g(lecture_seed);
            for (std::size_t t = 0; t < sizes.size(); ++t) {
                g.randn(sizes[t]);
                BOOST_TEST(
                    peek_word(g) == mt19937_word_after(static_cast<std::uint32_t>(lecture_seed),
                                                       row.cumulative[t]),
                    "after tensor " << t);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(exact_multiple_of_16_has_no_tail) {
    TorchGenerator g(lecture_seed);
    g.randn(32);
    BOOST_TEST(peek_word(g) == mt19937_word_after(static_cast<std::uint32_t>(lecture_seed), 32));
}

BOOST_AUTO_TEST_CASE(bulk_randn_matches_pytorch_checksum) {
    // FNV-1a 64 over the little-endian bytes of torch.randn(200000) from manual_seed(2147483647),
    // computed with PyTorch 1.13.1 (AVX2 kernel). A single 1-ulp difference anywhere (for example
    // a lost or extra FMA, which would change about 1% of values) changes it.
    TorchGenerator g(lecture_seed);
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (float v : g.randn(200000)) {
        const std::uint32_t b = bits_of(v);
        for (int byte = 0; byte < 4; ++byte) {
            hash ^= (b >> (8 * byte)) & 0xFFU;
            hash *= 0x100000001b3ULL;
        }
    }
    BOOST_TEST(hash == 0xb7fd8f2024d8f6a9ULL);
}

BOOST_AUTO_TEST_CASE(no_negative_zero) {
    TorchGenerator g(lecture_seed);
    for (float v : g.randn(100000)) { BOOST_REQUIRE(!(v == 0.0f && std::signbit(v))); }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(randn_element_path)

BOOST_AUTO_TEST_CASE(randn3_uses_8_words_and_caches_one_value) {
    TorchGenerator g(lecture_seed);
    const std::vector<float> three = g.randn(3);
    BOOST_TEST(three.size() == 3U);
    const std::uint32_t word_after_8 =
        mt19937_word_after(static_cast<std::uint32_t>(lecture_seed), 8);
    BOOST_TEST(peek_word(g) == word_after_8);

    // The 4th value of the second pair is cached: randn(1) returns it without drawing.
    TorchGenerator reference(lecture_seed);
    const std::vector<float> four = reference.randn(4);
    const std::vector<float> one = g.randn(1);
    BOOST_TEST(bits_of(one[0]) == bits_of(four[3]));
    BOOST_TEST(peek_word(g) == word_after_8);
}

BOOST_AUTO_TEST_CASE(block_path_keeps_the_cache) {
    TorchGenerator g(lecture_seed);
    TorchGenerator reference(lecture_seed);
    const std::vector<float> four = reference.randn(4);
    g.randn(3);
    g.randn(1000);  // the block path neither uses nor clears the cached value
    BOOST_TEST(bits_of(g.randn(1)[0]) == bits_of(four[3]));
}

BOOST_AUTO_TEST_CASE(manual_seed_clears_the_cache) {
    TorchGenerator g(lecture_seed);
    g.randn(3);
    g.manual_seed(lecture_seed);
    TorchGenerator fresh(lecture_seed);
    BOOST_TEST(bits_of(g.randn(1)[0]) == bits_of(fresh.randn(1)[0]));
    BOOST_TEST(peek_word(g) == mt19937_word_after(static_cast<std::uint32_t>(lecture_seed), 4));
}

BOOST_AUTO_TEST_CASE(empty_randn_consumes_nothing) {
    TorchGenerator g(lecture_seed);
    BOOST_TEST(g.randn(0).empty());
    BOOST_TEST(g.random() == 0x64b547efU);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(randint)

BOOST_AUTO_TEST_CASE(first_minibatch_after_the_parameters) {
    // Spec section 10: the first randint right after C, W1, b1, W2, b2; then the same after the
    // workbook's bngain and bnbias too (1 x n_hidden each, block path), values from PyTorch 1.13.1
    // running that same sequence.
    struct Case {
        std::size_t n_hidden;
        bool bngain_and_bnbias;
        std::vector<std::int64_t> want;  // the first 8 of 32 indices
    };
    const Case cases[] = {
        {64, false, {120000, 157809, 82137, 69514, 73004, 68734, 286, 123947}},
        {200, false, {1680, 115963, 46562, 106512, 133208, 8221, 157987, 166078}},
        {64, true, {105228, 83077, 43964, 35274, 99056, 122328, 42767, 161501}},
        {200, true, {26838, 175152, 71220, 112139, 131027, 157579, 43946, 165526}},
    };
    for (const auto& [n_hidden, bngain_and_bnbias, want] : cases) {
        BOOST_TEST_CONTEXT("n_hidden " << n_hidden << ", bngain and bnbias " << bngain_and_bnbias) {
            TorchGenerator g(lecture_seed);
            draw_lecture_params(g, n_hidden);
            if (bngain_and_bnbias) {
                g.randn(n_hidden);  // bngain
                g.randn(n_hidden);  // bnbias
            }
            const std::vector<std::int64_t> ix = g.randint(0, 182625, 32);
            BOOST_TEST(std::vector<std::int64_t>(ix.begin(), ix.begin() + 8) == want,
                       boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(one_word_per_element_below_2_pow_32) {
    TorchGenerator g(lecture_seed);
    const std::vector<std::int64_t> ix = g.randint(-5, 182620, 32);
    BOOST_TEST(peek_word(g) == mt19937_word_after(static_cast<std::uint32_t>(lecture_seed), 32));
    BOOST_TEST(ix[0] == static_cast<std::int64_t>(0x64b547efU % 182625U) - 5);
}

BOOST_AUTO_TEST_CASE(two_words_per_element_from_2_pow_32) {
    const std::int64_t range = std::int64_t{1} << 33;
    TorchGenerator g(lecture_seed);
    const std::vector<std::int64_t> ix = g.randint(0, range, 4);
    BOOST_TEST(peek_word(g) == mt19937_word_after(static_cast<std::uint32_t>(lecture_seed), 8));
    BOOST_TEST(ix[0] ==
               static_cast<std::int64_t>(0x64b547efe45aaf6aULL % (std::uint64_t{1} << 33)));
}

BOOST_AUTO_TEST_CASE(full_int64_range_does_not_overflow) {
    TorchGenerator g(lecture_seed);
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    for (std::int64_t v : g.randint(lo, hi, 100)) { BOOST_TEST(v < hi); }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(multinomial)

BOOST_AUTO_TEST_CASE(exponential_first_values) {
    TorchGenerator g(lecture_seed + 10);
    check_bits(g.exponential(27), {0x3fb6047e, 0x3fc467c1, 0x40906270, 0x3b33f417});
}

BOOST_AUTO_TEST_CASE(uniform_row_first_ten_draws) {
    const std::vector<float> row(27, 1.0f / 27.0f);
    BOOST_TEST(bits_of(row[0]) == 0x3d17b426U);
    TorchGenerator g(lecture_seed + 10);
    const std::array<std::size_t, 10> want = {3, 2, 18, 16, 26, 8, 24, 17, 20, 2};
    for (std::size_t w : want) { BOOST_TEST(g.multinomial(row.data(), row.size()) == w); }
    BOOST_TEST(peek_word(g) ==
               mt19937_word_after(static_cast<std::uint32_t>(lecture_seed + 10), 10 * 54));
}

BOOST_AUTO_TEST_CASE(zero_probability_is_never_drawn) {
    const std::vector<float> row = {0.0f, 3.0f, 0.0f};  // need not be normalised
    TorchGenerator g(lecture_seed);
    for (int i = 0; i < 100; ++i) { BOOST_TEST(g.multinomial(row.data(), row.size()) == 1U); }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(invalid_arguments)

BOOST_AUTO_TEST_CASE(randint_needs_high_above_low) {
    TorchGenerator g;
    BOOST_CHECK_THROW(g.randint(5, 5, 1), std::invalid_argument);
    BOOST_CHECK_THROW(g.randint(5, 4, 1), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(multinomial_rejects_bad_rows) {
    TorchGenerator g(lecture_seed);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<std::vector<float>> bad = {
        {0.5f, -0.1f}, {0.5f, nan}, {inf, 1.0f}, {0.0f, 0.0f, 0.0f}};
    const float one = 1.0f;
    BOOST_CHECK_THROW(g.multinomial(&one, 0), std::invalid_argument);
    for (const std::vector<float>& row : bad) {
        BOOST_CHECK_THROW(g.multinomial(row.data(), row.size()), std::invalid_argument);
    }
    // The checks come before any word is drawn.
    BOOST_TEST(g.random() == 0x64b547efU);
}

BOOST_AUTO_TEST_CASE(getrandbits_range) {
    PythonRandom r(42);
    BOOST_CHECK_THROW(r.getrandbits(0), std::invalid_argument);
    BOOST_CHECK_THROW(r.getrandbits(33), std::invalid_argument);
    BOOST_CHECK_THROW(r.getrandbits(-1), std::invalid_argument);
    BOOST_CHECK_THROW(r.randbelow(0), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
