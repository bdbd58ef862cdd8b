#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "common/error.hpp"

namespace ninja {

namespace {

/// Ignores SIGXFSZ once per process, so that a file-size limit makes write() fail with EFBIG
/// instead of killing the program.
void ignore_file_size_signal() {
    static const bool once = [] { return std::signal(SIGXFSZ, SIG_IGN) != SIG_ERR; }();
    (void)once;
}

/// What the process removes when a signal ends it (SIGINT, SIGTERM, ...): the temporary files
/// it is writing and the output folders it created, in slots a signal handler can read (it may
/// neither allocate nor lock: a path is a C string, its slot an atomic pointer). A folder goes
/// only if it is empty (rmdir), at a signal or when the process exits.
namespace cleanup {

constexpr std::size_t slots = 32;
std::atomic<const char*> temporaries[slots];  // the temporary files being written
std::atomic<const char*> folders[slots];      // the folders created, parents first
std::atomic<std::size_t> folder_count{0};

/// Removes the folders created that are empty, children first; safe in a signal handler.
void remove_empty_folders() {
    for (std::size_t k = folder_count.load(); k-- > 0;)
        if (const char* path = folders[k].load()) ::rmdir(path);  // fails unless empty
}

/// The handler of the signals that end the process: removes the temporary files, then the
/// empty folders, then ends the process as the signal would have, once the handler returns.
void on_signal(int signal) {
    for (auto& slot : temporaries)
        if (const char* path = slot.load()) ::unlink(path);
    remove_empty_folders();
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

/// Installs on_signal for the signals that end a process (those not ignored: a program started
/// with nohup keeps SIGHUP ignored), and remove_empty_folders at exit, once.
void install() {
    static const bool once = [] {
        for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGALRM}) {
            struct sigaction action {};
            if (::sigaction(signal, nullptr, &action) != 0 || action.sa_handler == SIG_IGN)
                continue;
            action.sa_handler = on_signal;
            sigemptyset(&action.sa_mask);
            action.sa_flags = 0;
            ::sigaction(signal, &action, nullptr);
        }
        return std::atexit(remove_empty_folders) == 0;
    }();
    (void)once;
}

/// Puts `path` (which must outlive its slot) into a free slot of `table`; false when none is
/// free (the path is then not cleaned up after a signal, which is all that is lost).
bool add(std::atomic<const char*> (&table)[slots], const char* path) {
    install();
    for (auto& slot : table) {
        const char* empty = nullptr;
        if (slot.compare_exchange_strong(empty, path)) return true;
    }
    return false;
}

/// Empties the slot of `path` in `table`.
void remove(std::atomic<const char*> (&table)[slots], const char* path) {
    for (auto& slot : table) {
        const char* held = path;
        if (slot.compare_exchange_strong(held, nullptr)) return;
    }
}

/// Records a folder the process created (kept until the process ends; the string is never freed).
void add_folder(const std::string& dir) {
    const std::size_t k = folder_count.load();
    if (k == slots) return;
    char* copy = new char[dir.size() + 1];
    std::memcpy(copy, dir.c_str(), dir.size() + 1);
    install();
    folders[k].store(copy);
    folder_count.store(k + 1);
}

}  // namespace cleanup

/// `.<name>.tmp.<pid>.<n>` in the folder of `path`: hidden, and unique within the process.
std::string temporary_name(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path);
    const std::string name = "." + target.filename().string() + ".tmp." +
                             std::to_string(::getpid()) + "." + std::to_string(counter++);
    return (target.parent_path() / name).string();
}

/// Creates a new temporary file for `path` and sets `temporary` to its name, which a signal
/// handler removes until cleanup::remove() is called for it; returns its descriptor, or -1 with
/// errno set (and `temporary` empty).
int create_temporary(const std::string& path, std::string& temporary) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        temporary = temporary_name(path);
        cleanup::add(cleanup::temporaries, temporary.c_str());  // before the file exists
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) return fd;
        cleanup::remove(cleanup::temporaries, temporary.c_str());
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
    discard_temporary();
}

void AtomicFile::discard_temporary() {
    if (temporary_.empty()) return;
    ::unlink(temporary_.c_str());
    cleanup::remove(cleanup::temporaries, temporary_.c_str());
    temporary_.clear();
}

void AtomicFile::fail(const char* what, int error) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    discard_temporary();
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
    cleanup::remove(cleanup::temporaries, temporary_.c_str());  // a signal now unlinks nothing
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
    std::vector<std::filesystem::path> missing;  // dir and the parents it lacks, dir first
    for (std::filesystem::path at = dir; !at.empty() && !std::filesystem::exists(at, error);
         at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) break;  // a root that does not exist
    }
    for (auto at = missing.rbegin(); at != missing.rend(); ++at) {
        if (std::filesystem::create_directory(*at, error)) cleanup::add_folder(at->string());
        if (error) throw InputError(where + ": cannot create the folder (" + error.message() + ")");
    }
    std::string probe;
    const int fd = create_temporary(dir + "/probe", probe);
    if (fd < 0)
        throw InputError(where + ": cannot write into the folder (" + std::strerror(errno) + ")");
    ::close(fd);
    ::unlink(probe.c_str());
    cleanup::remove(cleanup::temporaries, probe.c_str());
}

}  // namespace ninja
