#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

#include "common/program/progress.hpp"

using namespace ninja;

namespace {

/// What was written to `file`.
std::string written(std::FILE* file) {
    std::rewind(file);
    std::string text;
    for (int c; (c = std::fgetc(file)) != EOF;) text += char(c);
    return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(quick_work_prints_nothing) {
    std::FILE* out = std::tmpfile();
    BOOST_TEST_REQUIRE(out != nullptr);
    Progress progress("chapter_05_counts", "float64 central differences", 60, 5, out);
    for (std::size_t done = 1; done <= 1000; ++done) progress(done, 1000);
    BOOST_TEST(written(out).empty());
    std::fclose(out);
}

BOOST_AUTO_TEST_CASE(a_line_tells_the_share_done_and_then_waits) {
    std::FILE* out = std::tmpfile();
    BOOST_TEST_REQUIRE(out != nullptr);
    Progress progress("chapter_05_counts", "float64 central differences", 0, 60, out);
    progress(1, 4);  // due at once: quiet for 0 s
    progress(2, 4);  // the next is 60 s away
    const std::string text = written(out);
    BOOST_TEST(text.rfind("chapter_05_counts: float64 central differences: 25% done, 0 s so far, "
                          "about 0 s left\n",
                          0) == 0);
    BOOST_TEST(text.find('\n') == text.size() - 1);  // one line
    std::fclose(out);
}
