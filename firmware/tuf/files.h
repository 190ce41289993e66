// NAME
//   files.h - the POSIX file operations of the stores: bounded reads and
//   atomic replacement (temp file, fsync, rename, fsync of the directory).
//
// DESCRIPTION
//   Only the store implementations use this; the TUF core does no I/O.
//   Names passed here are single path components (the callers encode them),
//   and files are opened with O_NOFOLLOW relative to an open directory.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::tuf::files {

// A directory held open; all names below are relative to it.
class Directory {
 public:
  static Result<Directory> open(const std::string& path, bool create);
  Directory(Directory&& other) noexcept;
  Directory& operator=(Directory&& other) noexcept;
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  ~Directory();

  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

  // nullopt when the file does not exist; an error when it exceeds max_length.
  Result<std::optional<std::string>> read(const std::string& name, std::uint64_t max_length) const;
  Result<void> write_atomically(const std::string& name, std::string_view bytes) const;
  Result<void> remove(const std::string& name) const;
  // Names of the regular files in the directory, in no particular order.
  Result<std::vector<std::string>> files() const;
  Result<void> sync() const;

 private:
  Directory(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// An exclusive flock(2) on DIR/.lock, held until destruction: one command
// at a time changes a metadata or repository directory.
class DirectoryLock {
 public:
  static Result<DirectoryLock> take(const std::string& dir);
  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  DirectoryLock(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

// Reads the file at `path` in chunks of at most 1 MiB, handing each to
// `chunk` (which may stop the read with an error); returns the total length.
Result<std::uint64_t> read_chunks(const std::string& path,
                                  const std::function<Result<void>(std::string_view)>& chunk);

// A file being written under a temporary name; commit() makes it appear under
// its final name, destruction without commit() removes it.
class PendingFile {
 public:
  static Result<PendingFile> create(const Directory& dir, const std::string& final_name);
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&&) = delete;
  PendingFile(const PendingFile&) = delete;
  ~PendingFile();

  Result<void> write(std::string_view bytes);
  Result<void> commit();

 private:
  PendingFile(int dir_fd, int fd, std::string temp, std::string final_name)
      : dir_fd_(dir_fd), fd_(fd), temp_(std::move(temp)), final_(std::move(final_name)) {}
  int dir_fd_ = -1;  // our own duplicate of the directory's descriptor
  int fd_ = -1;
  std::string temp_;
  std::string final_;
};

}  // namespace appliance::tuf::files
