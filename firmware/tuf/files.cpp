// NAME
//   files.cpp - bounded reads and atomic writes relative to a directory fd.
#include "tuf/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace appliance::tuf::files {
namespace {

Error errno_error(const std::string& what) {
  return Error{what + ": " + std::strerror(errno)};
}

std::string random_suffix() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 12; ++i) out.push_back(kChars[rd() % (sizeof kChars - 1)]);
  return out;
}

Result<void> write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("write");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<Directory> Directory::open(const std::string& path, bool create) {
  if (create && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return errno_error("cannot create directory " + path);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error("cannot open directory " + path);
  return Directory(fd, path);
}

Directory::Directory(Directory&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

Directory& Directory::operator=(Directory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

Directory::~Directory() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::optional<std::string>> Directory::read(const std::string& name,
                                                   std::uint64_t max_length) const {
  int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return errno_error("cannot open " + name);
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = errno_error("cannot read " + name);
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > max_length - out.size()) {
      ::close(fd);
      return Error{name + " exceeds " + std::to_string(max_length) + " bytes"};
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(out));
}

Result<void> Directory::write_atomically(const std::string& name, std::string_view bytes) const {
  auto file = PendingFile::create(*this, name);
  if (!file) return file.error();
  if (auto r = file->write(bytes); !r) return r;
  return file->commit();
}

Result<void> Directory::remove(const std::string& name) const {
  if (::unlinkat(fd_, name.c_str(), 0) != 0 && errno != ENOENT) {
    return errno_error("cannot remove " + name);
  }
  return sync();
}

Result<std::vector<std::string>> Directory::files() const {
  int fd = ::openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error("cannot list " + path_);
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    Error e = errno_error("cannot list " + path_);
    ::close(fd);
    return e;
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir)) {
    struct stat st {};
    if (::fstatat(fd_, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
      names.emplace_back(entry->d_name);
  }
  ::closedir(dir);
  return names;
}

Result<void> Directory::sync() const {
  if (::fsync(fd_) != 0) return errno_error("cannot sync directory " + path_);
  return {};
}

Result<PendingFile> PendingFile::create(const Directory& dir, const std::string& final_name) {
  int dir_fd = ::fcntl(dir.fd(), F_DUPFD_CLOEXEC, 0);
  if (dir_fd < 0) return errno_error("cannot duplicate directory descriptor");
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string temp = "." + final_name.substr(0, 200) + ".tmp-" + random_suffix();
    int fd =
        ::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return PendingFile(dir_fd, fd, std::move(temp), final_name);
    if (errno != EEXIST) break;
  }
  Error e = errno_error("cannot create a temporary file for " + final_name);
  ::close(dir_fd);
  return e;
}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : dir_fd_(other.dir_fd_),
      fd_(other.fd_),
      temp_(std::move(other.temp_)),
      final_(std::move(other.final_)) {
  other.dir_fd_ = -1;
  other.fd_ = -1;
  other.temp_.clear();
}

PendingFile::~PendingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty() && dir_fd_ >= 0) ::unlinkat(dir_fd_, temp_.c_str(), 0);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

Result<void> PendingFile::write(std::string_view bytes) {
  if (fd_ < 0) return Error{"file already closed"};
  return write_all(fd_, bytes);
}

Result<void> PendingFile::commit() {
  if (fd_ < 0) return Error{"file already closed"};
  if (::fsync(fd_) != 0) return errno_error("cannot sync " + final_);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return errno_error("cannot close " + final_);
  if (::renameat(dir_fd_, temp_.c_str(), dir_fd_, final_.c_str()) != 0) {
    return errno_error("cannot rename into " + final_);
  }
  temp_.clear();
  if (::fsync(dir_fd_) != 0) return errno_error("cannot sync the directory of " + final_);
  return {};
}

Result<DirectoryLock> DirectoryLock::take(const std::string& dir) {
  const std::string path = dir + "/.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_error("cannot open " + path);
  if (::flock(fd, LOCK_EX) != 0) {
    Error e = errno_error("cannot lock " + path);
    ::close(fd);
    return e;
  }
  return DirectoryLock(fd);
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::uint64_t> read_chunks(const std::string& path,
                                  const std::function<Result<void>(std::string_view)>& chunk) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("cannot open " + path);
  std::string buf(1 << 20, '\0');
  std::uint64_t total = 0;
  while (true) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Result<std::uint64_t> end = total;
      if (n < 0) end = errno_error("cannot read " + path);
      ::close(fd);
      return end;
    }
    total += static_cast<std::uint64_t>(n);
    if (auto r = chunk(std::string_view(buf.data(), static_cast<std::size_t>(n))); !r) {
      ::close(fd);
      return r.error();
    }
  }
}

}  // namespace appliance::tuf::files
