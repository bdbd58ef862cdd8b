/// @file
/// @brief The `main` of every test program, compiled once. Each test file only defines its test
/// cases; its module is named after its program (`test_chapter_08_logits` runs the module
/// `chapter_08_logits`), as BOOST_TEST_MODULE would name it.
#include <boost/test/unit_test.hpp>

#include <string>

namespace {

bool init_unit_test() {
    auto& master = boost::unit_test::framework::master_test_suite();
    std::string name = master.argc > 0 ? master.argv[0] : "tests";
    name = name.substr(name.find_last_of('/') + 1);
    if (name.rfind("test_", 0) == 0) name.erase(0, 5);
    master.p_name.value = name;
    return true;
}

}  // namespace

int main(int argc, char* argv[]) {
    return boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
}
