// NAME
//   metadata_store.cpp - the metadata directory on disk.
#include "tuf/metadata_store.h"

#include "tuf/names.h"

namespace appliance::tuf {

Result<DirectoryMetadataStore> DirectoryMetadataStore::open(const std::string& path) {
  auto dir = files::Directory::open(path, true);
  if (!dir) return dir.error();
  return DirectoryMetadataStore(std::move(*dir));
}

Result<std::optional<std::string>> DirectoryMetadataStore::load(std::string_view role,
                                                                std::uint64_t max_length) {
  return dir_.read(role_file_name(role), max_length);
}

Result<void> DirectoryMetadataStore::save(std::string_view role, std::string_view bytes) {
  return dir_.write_atomically(role_file_name(role), bytes);
}

Result<void> DirectoryMetadataStore::remove(std::string_view role) {
  return dir_.remove(role_file_name(role));
}

}  // namespace appliance::tuf
