// Project files on disk: loadProject() reads with size and type checks before parsing;
// saveProject() and writeFileAtomically() never leave a half-written file behind.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"

namespace netloom::engine {
namespace {

constexpr int64_t kMaxProjectBytes = int64_t{1} << 30;

std::string errnoText(int err) {
    return std::strerror(err);
}

// Closes a descriptor on scope exit unless released.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// The file a save should replace: a symlink's target, so the link survives the rename.
std::string resolveTarget(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_symlink(path, ec)) {
        auto target = std::filesystem::canonical(path, ec);
        if (!ec) return target.string();
    }
    return path;
}

std::string randomSuffix() {
    static thread_local std::mt19937_64 gen{std::random_device{}()};
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s(8, 'x');
    for (char& c : s) c = kChars[gen() % (sizeof(kChars) - 1)];
    return s;
}

}  // namespace

Project loadProject(const std::string& path) {
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) throw Error(path + ": cannot open: " + errnoText(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) throw Error(path + ": cannot open: " + errnoText(errno));
    if (S_ISDIR(st.st_mode)) throw Error(path + ": cannot open: " + errnoText(EISDIR));
    if (!S_ISREG(st.st_mode)) throw Error(path + ": cannot open: not a regular file");
    if (st.st_size > kMaxProjectBytes)
        throw Error(path + ": cannot open: the file is " + std::to_string(st.st_size) +
                    " bytes; project files are limited to 1 GiB");

    std::string text;
    text.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::read(f.fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(path + ": cannot read: " + errnoText(errno));
        }
        if (n == 0) break;  // the file shrank meanwhile: parse what is there
        done += static_cast<size_t>(n);
    }
    text.resize(done);
    return parseProject(text, path);
}

void saveProject(const Project& project, const std::string& path) {
    writeFileAtomically(path, serializeProject(project));
}

void writeFileAtomically(const std::string& requestedPath, const std::string& contents) {
    const std::string path = resolveTarget(requestedPath);
    const std::filesystem::path target(path);
    std::filesystem::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    if (target.filename().empty())
        throw Error(requestedPath + ": cannot save: the path names a folder, not a file");

    // Keep an existing file's permissions; new files get the usual 0666 & ~umask.
    struct stat old {};
    const bool replacing = ::stat(path.c_str(), &old) == 0;
    if (replacing && S_ISDIR(old.st_mode))
        throw Error(requestedPath + ": cannot save: " + errnoText(EISDIR));

    std::string temp;
    Fd f;
    for (int attempt = 0; attempt < 100 && f.fd < 0; ++attempt) {
        std::string name(".");  // appended piecewise: GCC 12 warns falsely on "." + string
        name += target.filename().string();
        name += ".tmp-";
        name += randomSuffix();
        temp = (dir / name).string();
        f.fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (f.fd < 0 && errno != EEXIST)
            throw Error(requestedPath + ": cannot save: cannot create a file in " + dir.string() +
                        ": " + errnoText(errno));
    }
    if (f.fd < 0) throw Error(requestedPath + ": cannot save: no free temporary file name");

    // From here on, any failure removes the temp file and leaves the old file untouched.
    auto fail = [&](const std::string& step, int err) {
        ::close(f.fd);
        f.fd = -1;
        ::unlink(temp.c_str());
        throw Error(requestedPath + ": cannot save: " + step + ": " + errnoText(err));
    };
    if (replacing && ::fchmod(f.fd, old.st_mode & 07777) != 0)
        fail("cannot set permissions", errno);
    size_t done = 0;
    while (done < contents.size()) {
        ssize_t n = ::write(f.fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write failed", errno);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(f.fd) != 0) fail("fsync failed", errno);
    int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw Error(requestedPath + ": cannot save: close failed: " + errnoText(err));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw Error(requestedPath + ": cannot save: cannot replace the file: " + errnoText(err));
    }
    // Make the rename itself durable; a failure here cannot undo the save, so it is ignored.
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

}  // namespace netloom::engine
