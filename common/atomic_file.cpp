#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "common/error.hpp"

namespace ninja {

namespace {

/// Ignores SIGXFSZ once per process, so that a file-size limit makes write() fail with EFBIG
/// instead of killing the program.
void ignore_file_size_signal() {
    static const bool once = [] { return std::signal(SIGXFSZ, SIG_IGN) != SIG_ERR; }();
    (void)once;
}

/// `.<name>.tmp.<pid>.<n>` in the folder of `path`: hidden, and unique within the process.
std::string temporary_name(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path);
    const std::string name = "." + target.filename().string() + ".tmp." +
                             std::to_string(::getpid()) + "." + std::to_string(counter++);
    return (target.parent_path() / name).string();
}

/// Creates a new temporary file for `path` and sets `temporary` to its name; returns its
/// descriptor, or -1 with errno set (and `temporary` empty).
int create_temporary(const std::string& path, std::string& temporary) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temporary = temporary_name(path);
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) return fd;
        if (errno != EEXIST) break;  // EEXIST: left by another process of the same pid; retry
    }
    temporary.clear();
    return -1;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    ignore_file_size_signal();
    if (std::filesystem::path(path_).filename().empty())
        throw InputError(path_ + ": cannot write the file (the path names a folder)");
    fd_ = create_temporary(path_, temporary_);
    if (fd_ < 0) fail("cannot create the file", errno);
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::fail(const char* what, int error) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    temporary_.clear();
    throw InputError(path_ + ": " + what + " (" + std::strerror(error) + ")");
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (fd_ < 0) throw InputError(path_ + ": written after it was committed");
    const char* at = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t written = ::write(fd_, at, size);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) fail("cannot write the file", written < 0 ? errno : ENOSPC);
        at += written;
        size -= std::size_t(written);
    }
}

void AtomicFile::commit() {
    if (fd_ < 0) throw InputError(path_ + ": committed twice");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot write the file", errno);
    if (std::rename(temporary_.c_str(), path_.c_str()) != 0) fail("cannot write the file", errno);
    temporary_.clear();
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

void prepare_output_folder(const std::string& dir, const std::string& option) {
    const std::string where = option + " " + dir;
    std::error_code error;
    if (std::filesystem::exists(dir, error) && !std::filesystem::is_directory(dir, error))
        throw InputError(where + ": not a folder");
    std::filesystem::create_directories(dir, error);
    if (error) throw InputError(where + ": cannot create the folder (" + error.message() + ")");
    std::string probe;
    const int fd = create_temporary(dir + "/probe", probe);
    if (fd < 0)
        throw InputError(where + ": cannot write into the folder (" + std::strerror(errno) + ")");
    ::close(fd);
    ::unlink(probe.c_str());
}

}  // namespace ninja
