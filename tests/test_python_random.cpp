// Tests for common/rng's CPython generator: values printed by CPython 3.11 for the same calls
// (random.seed, getrandbits, shuffle), and the shuffle of names.txt that the lecture's split uses.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "common/dataset.hpp"
#include "common/rng.hpp"

namespace {

using ninja::PythonRandom;

/// Where the names file is: $NINJA_NAMES, else data/names.txt in the source tree.
std::string names_path() { return ninja::resolve_data_path(""); }

}  // namespace

BOOST_AUTO_TEST_SUITE(python_random)

BOOST_AUTO_TEST_CASE(seed_42_first_words) {
    PythonRandom r(42);
    const std::array<std::uint32_t, 4> want = {0xa3b1799d, 0x1c80317f, 0x06671ad1, 0xbdd640fb};
    for (std::uint32_t w : want) { BOOST_TEST(r.getrandbits(32) == w); }
}

BOOST_AUTO_TEST_CASE(getrandbits_takes_the_top_bits) {
    PythonRandom r(42);
    BOOST_TEST(r.getrandbits(1) == 0xa3b1799dU >> 31);
    BOOST_TEST(r.getrandbits(15) == 0x1c80317fU >> 17);
}

/// The first 5 (i, j) swaps of shuffling 32033 items after seed(42).
const std::array<std::pair<std::uint32_t, std::uint32_t>, 5> first_swaps = {
    {{32032, 20952}, {32031, 3648}, {32030, 819}, {32029, 24299}, {32028, 9012}}};

BOOST_AUTO_TEST_CASE(shuffle_draws_randbelow_i_plus_1) {
    PythonRandom r(42);
    for (const auto& [i, j] : first_swaps) {
        BOOST_TEST(r.randbelow(i + 1) == j, "swap at i = " << i);
    }
}

BOOST_AUTO_TEST_CASE(shuffle_of_indices_shows_the_first_swaps) {
    // Position i is final once swap i is done (later swaps only touch positions < i), and the
    // value it receives is the untouched x[j] = j because these j are all distinct and small.
    std::vector<std::uint32_t> x(32033);
    std::iota(x.begin(), x.end(), 0U);
    PythonRandom(42).shuffle(x);
    for (const auto& [i, j] : first_swaps) { BOOST_TEST(x[i] == j); }
    std::vector<std::uint32_t> sorted(x);
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> identity(x.size());
    std::iota(identity.begin(), identity.end(), 0U);
    BOOST_TEST((sorted == identity), "shuffle must be a permutation");
}

BOOST_AUTO_TEST_CASE(shuffle_of_tiny_vectors) {
    std::vector<int> empty;
    std::vector<int> one = {7};
    PythonRandom r(42);
    r.shuffle(empty);
    r.shuffle(one);
    BOOST_TEST(empty.empty());
    BOOST_TEST(one == std::vector<int>{7}, boost::test_tools::per_element());
    // Neither drew a word.
    BOOST_TEST(r.getrandbits(32) == 0xa3b1799dU);
}

BOOST_AUTO_TEST_CASE(shuffle_of_names_txt) {
    std::ifstream in(names_path());
    if (!in) {
        BOOST_TEST_MESSAGE("skipped: " << names_path() << " not found (set NINJA_NAMES)");
        return;
    }
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);) { words.push_back(line); }
    BOOST_REQUIRE_EQUAL(words.size(), 32033U);
    PythonRandom(42).shuffle(words);
    const std::vector<std::string> want = {"yuheng", "diondre", "xavien",  "jori",    "juanluis",
                                           "erandi", "phia",    "samatha", "phoenix", "emmelynn"};
    BOOST_TEST(std::vector<std::string>(words.begin(), words.begin() + 10) == want,
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
