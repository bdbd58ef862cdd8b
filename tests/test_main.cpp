/// @file
/// @brief The `main` of every test program, compiled once. Each test file only defines its test
/// cases; its module is named after its program (`test_chapter_08_logits` runs the module
/// `chapter_08_logits`), as BOOST_TEST_MODULE would name it.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

/// True once the tests have run to their end.
bool tests_returned = false;

/// The test program's process (a test may fork a child, which ends with exit() as it should).
pid_t test_process = 0;

/// A test that calls exit() (in exercise mode: the learner's step) would end the program with
/// exit()'s code, 0 perhaps, as if every test had passed: it fails instead.
void exit_before_the_end() {
    if (tests_returned || getpid() != test_process) return;
    std::fputs("a test ended the program early: the step called exit()\n", stderr);
    std::_Exit(1);
}

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
    test_process = getpid();
    std::atexit(exit_before_the_end);
    std::at_quick_exit(exit_before_the_end);
    const int code = boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
    tests_returned = true;
    return code;
}
