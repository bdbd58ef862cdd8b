/// @file
/// @brief What several test programs share: the data file, temporary files, error checks.
#pragma once

#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "common/dataset.hpp"
#include "common/error.hpp"

namespace ninja::test {

/// The real names.txt ($NINJA_NAMES or data/names.txt); the tests that need it fail with a
/// clear message when it is absent (it is part of the repository).
inline std::string names_path() {
    const std::string path = resolve_data_path("");
    BOOST_TEST_REQUIRE(
        std::filesystem::exists(path),
        "names.txt not found at " << path << ": restore data/names.txt or set " << data_env_var);
    return path;
}

/// A file in a fresh temporary folder, removed with the object.
class TempFile {
public:
    /// Writes `contents` (bytes, as given) to a new file called `name`.
    /// The folder is made by mkdtemp: unique even when test programs run side by side.
    TempFile(const std::string& name, const std::string& contents) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ninja-test-XXXXXX").string();
        BOOST_TEST_REQUIRE(mkdtemp(pattern.data()) != nullptr, "mkdtemp failed for " << pattern);
        dir_ = pattern;
        path_ = (dir_ / name).string();
        std::ofstream(path_, std::ios::binary) << contents;
    }
    ~TempFile() { std::filesystem::remove_all(dir_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    /// The file's path.
    const std::string& path() const { return path_; }
    /// The folder it is in.
    std::string dir() const { return dir_.string(); }

private:
    std::filesystem::path dir_;
    std::string path_;
};

/// A predicate for BOOST_CHECK_EXCEPTION: the InputError's message contains `part`.
inline auto message_has(const std::string& part) {
    return [part](const InputError& e) {
        const bool found = std::string(e.what()).find(part) != std::string::npos;
        if (!found) BOOST_TEST_MESSAGE("message was: " << e.what());
        return found;
    };
}

}  // namespace ninja::test
