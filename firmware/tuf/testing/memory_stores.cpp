// NAME
//   memory_stores.cpp - in-memory stores for tests.
#include "tuf/testing/memory_stores.h"

namespace appliance::tuf::testing {
namespace {

class MemoryPendingTarget : public PendingTarget {
 public:
  MemoryPendingTarget(MemoryTargetStore& store, std::string path)
      : store_(store), path_(std::move(path)) {}
  Result<void> write(std::string_view chunk) override {
    data_.append(chunk);
    return {};
  }
  Result<std::string> commit() override {
    store_.committed[path_] = std::move(data_);
    return "memory:" + path_;
  }

 private:
  MemoryTargetStore& store_;
  std::string path_;
  std::string data_;
};

}  // namespace

Result<std::optional<std::string>> MemoryMetadataStore::load(std::string_view role,
                                                             std::uint64_t max_length) {
  auto it = files.find(role);
  if (it == files.end()) return std::optional<std::string>();
  if (it->second.size() > max_length) return Error{std::string(role) + " is too large"};
  return std::optional<std::string>(it->second);
}

Result<void> MemoryMetadataStore::save(std::string_view role, std::string_view bytes) {
  files.insert_or_assign(std::string(role), std::string(bytes));
  return {};
}

Result<void> MemoryMetadataStore::remove(std::string_view role) {
  if (auto it = files.find(role); it != files.end()) files.erase(it);
  return {};
}

Result<std::unique_ptr<PendingTarget>> MemoryTargetStore::create(std::string_view target_path) {
  return std::unique_ptr<PendingTarget>(
      std::make_unique<MemoryPendingTarget>(*this, std::string(target_path)));
}

}  // namespace appliance::tuf::testing
