// The gradients' pictures (common/program/pictures.hpp), as `--out DIR` draws them: one PNG file
// per gradient of the chapter; a gradient that an exercise's step left empty gets a line
// saying so instead of a picture (it must not stop the program).
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "11_batchnorm_scale/batchnorm_scale.hpp"
#include "common/program/chapter_run.hpp"
#include "common/program/pictures.hpp"
#include "test_helpers.hpp"

using namespace ninja;

namespace {

/// Chapter 11 on the lecture's batch: three gradients, dbngain, dbnbias and dbnraw.
ChapterSteps chapter_11() {
    return {11,
            "11_batchnorm_scale",
            Chapter<11>::info(),
            &backward<11, float>,
            &backward<11, double>,
            &step<11, double>,
            &step<11, double>};
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_gradient_is_drawn) {
    const ChapterSteps chapter = chapter_11();
    const ChapterRun<float> r =
        run_on_pytorch_reference(chapter.backward_float, Reference("lecture"));
    test::TempFile folder("unused", "");
    const std::vector<std::string> lines =
        draw_gradients<float>(r, chapter, nullptr, "", folder.dir());
    BOOST_TEST_REQUIRE(lines.size() == 3u);
    for (const char* name : {"dbngain", "dbnbias", "dbnraw"}) {
        const std::string path = folder.dir() + "/chapter_11_batchnorm_scale_" + name + ".png";
        BOOST_TEST(std::filesystem::file_size(path) > 1000u, path);
    }
}

BOOST_AUTO_TEST_CASE(an_empty_gradient_gets_a_line_not_a_picture) {
    const ChapterSteps chapter = chapter_11();
    ChapterRun<float> r = run_on_pytorch_reference(chapter.backward_float, Reference("lecture"));
    r.g.dbnbias = xt::xtensor<float, 2>();  // what an exercise that never writes dbnbias leaves
    test::TempFile folder("unused", "");
    const std::vector<std::string> lines =
        draw_gradients<float>(r, chapter, nullptr, "", folder.dir());
    BOOST_TEST_REQUIRE(lines.size() == 3u);
    BOOST_TEST(lines[1] == "no picture of dbnbias: the step left it empty");
    BOOST_TEST(!std::filesystem::exists(folder.dir() + "/chapter_11_batchnorm_scale_dbnbias.png"));
    BOOST_TEST(std::filesystem::exists(folder.dir() + "/chapter_11_batchnorm_scale_dbnraw.png"));
}
