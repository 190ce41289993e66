// NAME
//   memory_stores.h - MetadataStore and TargetStore kept in maps, for tests.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tuf/metadata_store.h"
#include "tuf/target_store.h"

namespace appliance::tuf::testing {

class MemoryMetadataStore : public MetadataStore {
 public:
  Result<std::optional<std::string>> load(std::string_view role, std::uint64_t max_length) override;
  Result<void> save(std::string_view role, std::string_view bytes) override;
  Result<void> remove(std::string_view role) override;

  std::map<std::string, std::string, std::less<>> files;  // role -> bytes
};

class MemoryTargetStore : public TargetStore {
 public:
  Result<std::unique_ptr<PendingTarget>> create(std::string_view target_path) override;
  Result<void> keep_only(std::string_view target_path) override {
    std::erase_if(committed, [&](const auto& entry) { return entry.first != target_path; });
    return {};
  }

  std::map<std::string, std::string> committed;  // target path -> bytes
};

}  // namespace appliance::tuf::testing
