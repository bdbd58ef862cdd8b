#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <ostream>

#include "common/dataset.hpp"
#include "common/sha256.hpp"
#include "test_helpers.hpp"

using namespace ninja;
using ninja::test::message_has;
using ninja::test::TempFile;

BOOST_AUTO_TEST_SUITE(real_file)

BOOST_AUTO_TEST_CASE(split_has_the_lectures_example_counts) {
    const Dataset d = load_dataset(test::names_path(), 3);
    BOOST_TEST(d.words.size() == 32033u);
    BOOST_TEST(d.vocab.size() == 27u);
    BOOST_TEST(d.train.X.shape(0) == 182625u);
    BOOST_TEST(d.dev.X.shape(0) == 22655u);
    BOOST_TEST(d.test.X.shape(0) == 22866u);
    BOOST_TEST(d.train.X.shape(1) == 3u);
}

BOOST_AUTO_TEST_CASE(shuffle_matches_python) {
    const Dataset d = load_dataset(test::names_path(), 3);
    const std::vector<std::string> expected{"yuheng", "diondre", "xavien",  "jori",    "juanluis",
                                            "erandi", "phia",    "samatha", "phoenix", "emmelynn"};
    for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST(d.words[i] == expected[i]);
}

BOOST_AUTO_TEST_CASE(vocabulary_is_dot_then_a_to_z) {
    const Vocabulary v(read_names(test::names_path()));
    BOOST_TEST(v.itos(0) == '.');
    BOOST_TEST(v.itos(1) == 'a');
    BOOST_TEST(v.itos(26) == 'z');
    BOOST_TEST(v.stoi('m') == 13);
}

namespace {

/// A names file and the start of the error it gets.
struct Malformed {
    std::string contents, error;
};

std::ostream& operator<<(std::ostream& out, const Malformed& m) { return out << m.error; }

}  // namespace

BOOST_DATA_TEST_CASE(more_malformed_files,
                     boost::unit_test::data::make(std::vector<Malformed>{
                         {"anna\nab\rcd\n", "names.txt:2: invalid character byte 0x0d in column 3"},
                         {"anna\nbob\n\r", "names.txt:3: blank line"},
                         {"anna\n",
                          "names.txt: the file holds 1 name; the lecture's split needs at least 2"},
                         {std::string(max_name_length + 1, 'q') + "\nbob\n",
                          "names.txt:1: a name longer than 64 characters"}}),
                     m) {
    TempFile f("names.txt", m.contents);
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError, message_has(m.error));
}

BOOST_AUTO_TEST_CASE(a_folder) {
    TempFile f("names.txt", "anna\n");
    BOOST_CHECK_EXCEPTION(read_names(f.dir()), InputError,
                          message_has(f.dir() + ": a folder, not a names file"));
}

BOOST_AUTO_TEST_CASE(a_single_name_leaves_the_training_set_empty) {
    BOOST_CHECK_EXCEPTION(make_dataset({"anna"}, 3), InputError,
                          message_has("the data set holds 1 name"));
}

BOOST_AUTO_TEST_CASE(a_name_of_the_longest_length_allowed) {
    const std::string longest(max_name_length, 'q');
    TempFile fine("names.txt", longest + "\nbob\n");
    BOOST_TEST(read_names(fine.path()).front() == longest);
}

BOOST_AUTO_TEST_CASE(a_stream_of_zero_bytes_is_refused_at_its_first_byte) {
    BOOST_CHECK_EXCEPTION(read_names("/dev/zero"), InputError,
                          message_has("/dev/zero:1: invalid character byte 0x00 in column 1"));
}

BOOST_AUTO_TEST_SUITE_END()

#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer keeps freed memory in quarantine
BOOST_AUTO_TEST_CASE(memory_stays_within_10_times_the_files_size) {
    // A names file of 20 MB (names.txt 88 times): the data set's peak memory, measured as the
    // growth of this process's peak resident size (reset through /proc/self/clear_refs), stays
    // below 10 bytes per byte of the file (the examples take 4, the names 32 bytes each).
    std::ifstream in(test::names_path(), std::ios::binary);
    std::string names((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (names.back() != '\n') names += '\n';  // so that the copies do not run together
    std::string big;
    for (int k = 0; k < 88; ++k) big += names;
    TempFile f("big.txt", big);
    big.clear(), big.shrink_to_fit();
    const auto status_kb = [](const std::string& key) {
        std::ifstream status("/proc/self/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1));
        return -1.0;
    };
    std::ofstream("/proc/self/clear_refs") << "5";  // the peak resident size := the current one
    const double before = status_kb("VmRSS");
    BOOST_TEST_REQUIRE(status_kb("VmHWM") <= before + 1024);  // the reset worked
    const Dataset d = load_dataset(f.path(), 3);
    const double grown = (status_kb("VmHWM") - before) * 1024, size = double(names.size() * 88);
    BOOST_TEST_MESSAGE("peak memory of the data set: " << grown / size << " bytes per byte of a "
                                                       << size / 1e6 << " MB file");
    BOOST_TEST(d.words.size() == 88 * 32033u);
    BOOST_TEST(grown <= 10 * size);
}
#endif

BOOST_AUTO_TEST_CASE(contexts_slide_over_each_name) {
    const std::vector<std::string> words{"emma", "ab"};
    const Vocabulary v(words);  // . a b e m
    const Examples ex = build_examples(words, v, 3);
    BOOST_TEST(ex.X.shape(0) == 5u + 3u);  // len+1 rows per name
    // "emma": ... -> e, ..e -> m, .em -> m, emm -> a, mma -> .
    const std::int64_t e = v.stoi('e'), m = v.stoi('m'), a = v.stoi('a');
    const std::vector<std::array<std::int64_t, 4>> rows{
        {0, 0, 0, e}, {0, 0, e, m}, {0, e, m, m}, {e, m, m, a}, {m, m, a, 0}};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t k = 0; k < 3; ++k) BOOST_TEST(ex.X(r, k) == rows[r][k]);
        BOOST_TEST(ex.Y(r) == rows[r][3]);
    }
    BOOST_TEST(ex.X(5, 2) == 0);  // the next name starts from "..." again
}

BOOST_AUTO_TEST_CASE(split_points_follow_pythons_int_of_a_product) {
    std::vector<std::string> words;
    for (int i = 0; i < 10; ++i) words.push_back(std::string(1, char('a' + i)));
    const Dataset d = make_dataset(words, 2);
    BOOST_TEST(d.train.Y.size() == 8u * 2);  // int(0.8*10) = 8 names of 1 letter: 2 rows each
    BOOST_TEST(d.dev.Y.size() == 1u * 2);
    BOOST_TEST(d.test.Y.size() == 1u * 2);
}

BOOST_AUTO_TEST_SUITE(digest)

BOOST_AUTO_TEST_CASE(the_sha256_of_names_txt_is_the_recorded_one) {
    // data/names.txt.sha256 holds sha256sum's line; the digest comes out of the one reading.
    std::ifstream recorded(std::string(NINJA_SOURCE_DIR) + "/data/names.txt.sha256");
    std::string expected;
    recorded >> expected;
    const NamesFile file = read_names_file(test::names_path());
    BOOST_TEST(file.sha256 == expected);
    BOOST_TEST(file.words == read_names(test::names_path()));
}

BOOST_AUTO_TEST_CASE(the_sha256_of_known_texts) {
    // FIPS 180-4's examples (one block, two blocks), and a names file as sha256sum reads it.
    Sha256 empty;
    BOOST_TEST(empty.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(read_names_file(TempFile("names.txt", "abc\nd").path()).sha256 ==
               "4f0ef76b5a15634e3956ccb30dc53c7368f30c7c3153f8e2dbbf7a3e0fbd0e94");
    Sha256 abc;
    abc.feed("abc", 3);
    BOOST_TEST(abc.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256 two_blocks;  // 56 bytes: the padding needs a second block
    const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    two_blocks.feed(text.data(), 20), two_blocks.feed(text.data() + 20, text.size() - 20);
    BOOST_TEST(two_blocks.hex() ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(line_ends)

BOOST_AUTO_TEST_CASE(final_newline_is_optional) {
    TempFile with("names.txt", "ab\ncd\n"), without("names.txt", "ab\ncd");
    BOOST_TEST(read_names(with.path()) == read_names(without.path()));
    BOOST_TEST(read_names(without.path()).size() == 2u);
}

BOOST_AUTO_TEST_CASE(crlf_is_read_as_lf) {
    TempFile crlf("names.txt", "ab\r\ncd\r\n");
    BOOST_TEST(read_names(crlf.path()) == (std::vector<std::string>{"ab", "cd"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed)

BOOST_AUTO_TEST_CASE(missing_file) {
    BOOST_CHECK_EXCEPTION(read_names("/nonexistent/names.txt"), InputError,
                          message_has("/nonexistent/names.txt: cannot open"));
}

/// A malformed names file: what is wrong, its content, and the error line it must give.
struct Malformed {
    const char* what;
    const char* content;
    const char* error;
};

// clang-format off
const Malformed malformed_files[] = {
    {"an empty file",         "",                   "is empty"},
    {"a blank line",          "anna\n\nbob\n",      "names.txt:2: blank line"},
    {"a trailing blank line", "anna\nbob\n\n",      "names.txt:3: blank line"},
    {"an uppercase letter",   "anna\nBob\n",        "names.txt:2: invalid character 'B' (0x42) in column 1"},
    {"a digit",               "anna\nbo3b\n",       "names.txt:2: invalid character '3' (0x33) in column 3"},
    {"a non-ASCII byte",      "anna\nzo\xc3\xab\n", "names.txt:2: invalid character byte 0xc3 in column 3"},  // zoë
    {"a space inside a line", "anna marie\n",       "names.txt:1: invalid character byte 0x20 in column 5"},
};
// clang-format on

BOOST_AUTO_TEST_CASE(each_gives_its_error_line) {
    for (const Malformed& m : malformed_files) {
        BOOST_TEST_CONTEXT(m.what) {
            TempFile f("names.txt", m.content);
            BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError, message_has(m.error));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
