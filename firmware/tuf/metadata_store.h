// NAME
//   metadata_store.h - where trusted metadata is kept between runs.
//
// DESCRIPTION
//   The store keeps one file per role under its unversioned name
//   (root.json, timestamp.json, snapshot.json, targets.json, <role>.json,
//   role names percent-encoded). save() replaces a file atomically: a crash
//   leaves the old or the new copy, never a torn one.
//
//   What the store returns is not trusted as such: the updater verifies every
//   file it loads against the trusted root before using it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "tuf/files.h"

namespace appliance::tuf {

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;
  // nullopt when the role has no stored file.
  virtual Result<std::optional<std::string>> load(std::string_view role,
                                                  std::uint64_t max_length) = 0;
  virtual Result<void> save(std::string_view role, std::string_view bytes) = 0;
  virtual Result<void> remove(std::string_view role) = 0;
};

class DirectoryMetadataStore : public MetadataStore {
 public:
  // Creates the directory (not its parents) if it is missing.
  static Result<DirectoryMetadataStore> open(const std::string& path);

  Result<std::optional<std::string>> load(std::string_view role, std::uint64_t max_length) override;
  Result<void> save(std::string_view role, std::string_view bytes) override;
  Result<void> remove(std::string_view role) override;

 private:
  explicit DirectoryMetadataStore(files::Directory dir) : dir_(std::move(dir)) {}
  files::Directory dir_;
};

}  // namespace appliance::tuf
