#include <boost/test/unit_test.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/atomic_file.hpp"
#include "test_helpers.hpp"

using namespace ninja;
using ninja::test::message_has;
using ninja::test::TempFile;

namespace {

/// The names of the entries of folder `dir`, sorted.
std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Lowers this process's file-size limit (`ulimit -f`) to `bytes` for its lifetime.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        BOOST_TEST_REQUIRE(getrlimit(RLIMIT_FSIZE, &saved_) == 0);
        rlimit lowered = saved_;
        lowered.rlim_cur = bytes;
        BOOST_TEST_REQUIRE(setrlimit(RLIMIT_FSIZE, &lowered) == 0);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &saved_); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit saved_{};
};

/// Runs `body` in a child process, which then exits (running its atexit functions); returns
/// how the child ended (waitpid's status).
template <class Body>
int in_child(Body&& body) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        body();
        std::exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

/// Whether the child that ended with `status` was ended by `signal`.
bool ended_by(int status, int signal) { return WIFSIGNALED(status) && WTERMSIG(status) == signal; }

}  // namespace

BOOST_AUTO_TEST_CASE(the_file_holds_the_bytes_and_nothing_else_is_left) {
    TempFile dir("unused", "");
    const std::string path = dir.dir() + "/t.npy", bytes(100000, 'x');
    write_file_atomically(path, bytes);
    BOOST_TEST(contents(path) == bytes);
    BOOST_TEST(entries(dir.dir()) == (std::vector<std::string>{"t.npy", "unused"}));
}

BOOST_AUTO_TEST_CASE(a_file_is_replaced_whole) {
    TempFile old("t.npy", "the old contents");
    write_file_atomically(old.path(), "new");
    BOOST_TEST(contents(old.path()) == "new");
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_no_partial_file) {
    // A file-size limit of 4 KiB stands for a full disk: the write fails after 4 KiB of the
    // 100 kB went into the temporary file (EFBIG, reported instead of the signal SIGXFSZ).
    TempFile dir("kept.npy", "the old contents");
    const std::string fresh = dir.dir() + "/fresh.npy";
    {
        FileSizeLimit limit(4096);
        BOOST_CHECK_EXCEPTION(write_file_atomically(fresh, std::string(100000, 'x')), InputError,
                              message_has("fresh.npy: cannot write the file (File too large)"));
        BOOST_CHECK_EXCEPTION(write_file_atomically(dir.path(), std::string(100000, 'x')),
                              InputError, message_has("kept.npy: cannot write the file"));
    }
    BOOST_TEST(entries(dir.dir()) == (std::vector<std::string>{"kept.npy"}));
    BOOST_TEST(contents(dir.path()) == "the old contents");
}

BOOST_AUTO_TEST_CASE(a_file_not_committed_is_removed) {
    TempFile dir("unused", "");
    {
        AtomicFile file(dir.dir() + "/picture.png");
        file.write("half a picture");
    }
    BOOST_TEST(entries(dir.dir()) == (std::vector<std::string>{"unused"}));
}

BOOST_AUTO_TEST_CASE(a_signal_removes_the_temporary_file) {
    // SIGTERM (or SIGINT, ...) while a file is being written: the handler removes the temporary
    // file, then the signal ends the process as it would have.
    TempFile dir("unused", "");
    for (const int signal : {SIGTERM, SIGINT, SIGHUP}) {
        const int status = in_child([&] {
            AtomicFile file(dir.dir() + "/picture.png");
            file.write("half a picture");
            std::raise(signal);
        });
        BOOST_TEST(ended_by(status, signal));
        BOOST_TEST(entries(dir.dir()) == (std::vector<std::string>{"unused"}));
    }
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_an_error) {
    BOOST_CHECK_EXCEPTION(write_file_atomically("/nonexistent/folder/x.png", "x"), InputError,
                          message_has("/nonexistent/folder/x.png: cannot create the file (No "
                                      "such file or directory)"));
}

BOOST_AUTO_TEST_SUITE(output_folders)

BOOST_AUTO_TEST_CASE(a_new_folder_is_made_and_left_empty) {
    TempFile dir("unused", "");
    const std::string out = dir.dir() + "/a/b";
    prepare_output_folder(out, "--dump");
    BOOST_TEST(std::filesystem::is_directory(out));
    BOOST_TEST(entries(out).empty());
}

BOOST_AUTO_TEST_CASE(a_folder_made_and_left_empty_goes_when_the_process_ends) {
    // At exit, and at a signal: the folders a process made and wrote nothing into are removed;
    // a folder that holds a file stays, and so does one that was there before.
    TempFile dir("unused", "");
    const std::string made = dir.dir() + "/made", kept = dir.dir() + "/kept";
    BOOST_TEST(in_child([&] { prepare_output_folder(made + "/a/b", "--out"); }) == 0);
    BOOST_TEST(ended_by(in_child([&] {
                            prepare_output_folder(made + "/c", "--out");
                            std::raise(SIGTERM);
                        }),
                        SIGTERM));
    BOOST_TEST(in_child([&] {
                   prepare_output_folder(kept + "/a", "--out");
                   write_file_atomically(kept + "/a/x.png", "x");
               }) == 0);
    BOOST_TEST(in_child([&] { prepare_output_folder(dir.dir(), "--out"); }) == 0);
    BOOST_TEST(entries(dir.dir()) == (std::vector<std::string>{"kept", "unused"}));
    BOOST_TEST(entries(kept + "/a") == (std::vector<std::string>{"x.png"}));
}

BOOST_AUTO_TEST_CASE(a_file_is_not_a_folder) {
    TempFile file("names.txt", "anna\n");
    BOOST_CHECK_EXCEPTION(prepare_output_folder(file.path(), "--dump"), InputError,
                          message_has("--dump " + file.path() + ": not a folder"));
    BOOST_CHECK_EXCEPTION(prepare_output_folder("/dev/null", "--out"), InputError,
                          message_has("--out /dev/null: not a folder"));
}

BOOST_AUTO_TEST_CASE(a_folder_under_a_file_cannot_be_made) {
    TempFile file("names.txt", "anna\n");
    BOOST_CHECK_EXCEPTION(prepare_output_folder(file.path() + "/dump", "--dump"), InputError,
                          message_has("names.txt/dump: cannot create the folder"));
}

BOOST_AUTO_TEST_CASE(proc_takes_no_files) {
    BOOST_CHECK_EXCEPTION(prepare_output_folder("/proc/ninja_dump", "--dump"), InputError,
                          message_has("--dump /proc/ninja_dump: cannot create the folder"));
    BOOST_CHECK_EXCEPTION(prepare_output_folder("/proc/self", "--out"), InputError,
                          message_has("--out /proc/self: cannot write into the folder"));
}

BOOST_AUTO_TEST_SUITE_END()
