#include <boost/test/unit_test.hpp>

#include "common/dataset.hpp"
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

BOOST_AUTO_TEST_SUITE_END()

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

BOOST_AUTO_TEST_CASE(empty_file) {
    TempFile f("names.txt", "");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError, message_has("is empty"));
}

BOOST_AUTO_TEST_CASE(blank_line) {
    TempFile f("names.txt", "anna\n\nbob\n");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError, message_has("names.txt:2: blank line"));
}

BOOST_AUTO_TEST_CASE(trailing_blank_line) {
    TempFile f("names.txt", "anna\nbob\n\n");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError, message_has("names.txt:3: blank line"));
}

BOOST_AUTO_TEST_CASE(uppercase_letter) {
    TempFile f("names.txt", "anna\nBob\n");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError,
                          message_has("names.txt:2: invalid character 'B' (0x42) in column 1"));
}

BOOST_AUTO_TEST_CASE(digit) {
    TempFile f("names.txt", "anna\nbo3b\n");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError,
                          message_has("names.txt:2: invalid character '3' (0x33) in column 3"));
}

BOOST_AUTO_TEST_CASE(non_ascii_byte) {
    TempFile f("names.txt", "anna\nzo\xc3\xab\n");  // "zoë" in UTF-8
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError,
                          message_has("names.txt:2: invalid character byte 0xc3 in column 3"));
}

BOOST_AUTO_TEST_CASE(space_inside_a_line) {
    TempFile f("names.txt", "anna marie\n");
    BOOST_CHECK_EXCEPTION(read_names(f.path()), InputError,
                          message_has("names.txt:1: invalid character byte 0x20 in column 5"));
}

BOOST_AUTO_TEST_SUITE_END()
