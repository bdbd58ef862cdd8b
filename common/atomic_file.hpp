/// @file
/// @brief Files written completely or not at all, and output folders checked before the work.
///
/// Every file a program writes (`--dump`'s .npy files, the pictures, anything under `--out`)
/// goes through AtomicFile: the bytes go to a temporary file beside the target (same folder,
/// so the same file system), every write and the close are checked, and only then is the
/// temporary file renamed onto the target, which POSIX makes atomic. A failure anywhere (a full
/// disk, a file-size limit, a folder that vanished) removes the temporary file and throws
/// InputError naming the target: the target is then either absent or still its old self, never
/// a partial file.
///
/// The guarantee is against writes that fail, not against a power cut: nothing is fsync'ed
/// (local file systems report a full disk at write(); network ones at close(), which is checked).
///
/// A process whose file-size limit (`ulimit -f`) is reached is killed by SIGXFSZ unless it
/// ignores the signal; the first AtomicFile sets it to be ignored, so that the limit is a failed
/// write (EFBIG) like any other and gets its one line.
///
/// A signal that ends the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGALRM)
/// while a temporary file exists removes it first: the first temporary file or output folder
/// installs a handler that removes them and then ends the process as the signal would have
/// (SIGKILL cannot be caught: it may leave a temporary file, never a partial target). Output
/// folders the process created and left empty are removed when it ends, by a signal or an exit
/// (a run refused or stopped leaves no folder behind).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ninja {

/// A file being written: bytes go to a temporary file beside `path`; commit() puts it in place.
/// Destroyed without commit() (an exception, an early return), it removes the temporary file.
///
/// For an encoder that writes through a callback (for example cairo's
/// `cairo_surface_write_to_png_stream`), pass the AtomicFile as the closure and call write()
/// from the callback; an InputError thrown there must be caught and turned into the library's
/// error status, then rethrown after the library returns.
class AtomicFile {
public:
    /// Creates the temporary file `.<name>.tmp.<pid>.<n>` in the folder of `path`; throws
    /// InputError naming `path` if it cannot.
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends `size` bytes; throws InputError naming the target on any failed write.
    void write(const void* data, std::size_t size);
    /// Appends `bytes`.
    void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
    /// Closes the temporary file and renames it onto the target; throws InputError (and removes
    /// the temporary file) if the close or the rename fails.
    void commit();

    /// The target.
    const std::string& path() const { return path_; }

private:
    /// Removes the temporary file (if any) and forgets it.
    void discard_temporary();
    /// Removes the temporary file and throws InputError with `what` and errno's text.
    [[noreturn]] void fail(const char* what, int error);

    std::string path_;
    std::string temporary_;
    int fd_ = -1;
};

/// Writes `bytes` to `path` completely or not at all (see AtomicFile).
void write_file_atomically(const std::string& path, std::string_view bytes);

/// Makes sure that files can be written into folder `dir` before any work is done: creates it
/// (and its parents) if needed, then creates and removes a temporary file in it. The folders
/// it creates are removed again when the process ends if they are still empty. Throws
/// InputError naming `option` (e.g. "--dump") and `dir` when it is a file, lies under a file,
/// or cannot be created or written into (`/proc`, a read-only file system, no permission).
void prepare_output_folder(const std::string& dir, const std::string& option);

}  // namespace ninja
