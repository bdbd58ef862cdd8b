// The gradients' pictures (common/program/pictures.hpp), as `--out DIR` draws them: one PNG file
// per gradient of the chapter; a gradient that an exercise's step left empty gets a line
// saying so instead of a picture (it must not stop the program).
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "common/program/pictures.hpp"
#include "test_helpers.hpp"

using namespace ninja;

namespace {

/// Chapter 11 on the lecture's batch: three gradients, dbngain, dbnbias and dbnraw.
ChapterRun<float> chapter_11_run() {
    ChapterRun<float> r = load_pytorch_run(Reference("lecture"));
    backward<11, float>(r.g, r.f, r.params, r.batch);
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_gradient_is_drawn) {
    const ChapterRun<float> r = chapter_11_run();
    test::TempFile folder("unused", "");
    const std::vector<std::string> lines =
        draw_gradients<float>(r, chapter_info<11>(), nullptr, "", folder.dir());
    BOOST_TEST_REQUIRE(lines.size() == 3u);
    for (const char* name : {"dbngain", "dbnbias", "dbnraw"}) {
        const std::string path = folder.dir() + "/chapter_11_batchnorm_scale_" + name + ".png";
        BOOST_TEST(std::filesystem::file_size(path) > 1000u, path);
    }
}

BOOST_AUTO_TEST_CASE(an_empty_gradient_gets_a_line_not_a_picture) {
    ChapterRun<float> r = chapter_11_run();
    r.g.dbnbias = xt::xtensor<float, 2>();  // what an exercise that never writes dbnbias leaves
    test::TempFile folder("unused", "");
    const std::vector<std::string> lines =
        draw_gradients<float>(r, chapter_info<11>(), nullptr, "", folder.dir());
    BOOST_TEST_REQUIRE(lines.size() == 3u);
    BOOST_TEST(lines[1] == "no picture of dbnbias: the step left it empty");
    BOOST_TEST(!std::filesystem::exists(folder.dir() + "/chapter_11_batchnorm_scale_dbnbias.png"));
    BOOST_TEST(std::filesystem::exists(folder.dir() + "/chapter_11_batchnorm_scale_dbnraw.png"));
}
