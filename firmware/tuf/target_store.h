// NAME
//   target_store.h - where downloaded targets are written.
//
// DESCRIPTION
//   The updater streams a target into a PendingTarget while hashing it, and
//   commits it only after length and every hash have been checked; a target
//   that fails is discarded and never appears under its name.
//   DirectoryTargetStore writes <dir>/<percent-encoded target path> through a
//   temporary file, fsync and rename.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "tuf/files.h"

namespace appliance::tuf {

class PendingTarget {
 public:
  virtual ~PendingTarget() = default;  // discards the data unless committed
  virtual Result<void> write(std::string_view chunk) = 0;
  // Makes the target visible; returns where it now is.
  virtual Result<std::string> commit() = 0;
};

class TargetStore {
 public:
  virtual ~TargetStore() = default;
  virtual Result<std::unique_ptr<PendingTarget>> create(std::string_view target_path) = 0;
  // Removes every stored target but `target_path`: older downloads.
  virtual Result<void> keep_only(std::string_view target_path) = 0;
};

class DirectoryTargetStore : public TargetStore {
 public:
  static Result<DirectoryTargetStore> open(const std::string& path);
  Result<std::unique_ptr<PendingTarget>> create(std::string_view target_path) override;
  // Removes every other file of the directory, which must be the store's own.
  Result<void> keep_only(std::string_view target_path) override;
  // The file a target is stored under, relative to the directory.
  static std::string file_name(std::string_view target_path);

 private:
  explicit DirectoryTargetStore(files::Directory dir) : dir_(std::move(dir)) {}
  files::Directory dir_;
};

}  // namespace appliance::tuf
