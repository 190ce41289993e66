// NAME
//   names.h - file names and URLs of metadata and targets.
//
// DESCRIPTION
//   Role names and target paths come from signed but remote metadata, so they
//   are percent-encoded before they become a local file name (no '/', no
//   "..") or a URL path segment.
//
//   Repository layout (specification 5, consistent snapshots):
//     <metadata base>/N.root.json, timestamp.json,
//       [V.]snapshot.json, [V.]targets.json, [V.]<role>.json
//     <targets base>/[dir/][HASH.]name
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace appliance::tuf {

// Keeps ALPHA DIGIT '-' '.' '_' '~'; every other byte becomes %XX.
std::string percent_encode(std::string_view s);

// "targets" -> "targets.json"; the local metadata file of a role.
std::string role_file_name(std::string_view role);

// Ensures exactly one trailing '/'.
std::string with_trailing_slash(std::string_view base);

std::string metadata_url(std::string_view base, std::string_view role,
                         std::optional<std::uint64_t> version);

// Each '/'-separated segment of the path is encoded; with a hash prefix the
// last segment becomes "HASH.name".
std::string target_url(std::string_view base, std::string_view path,
                       std::optional<std::string_view> hash_prefix);

}  // namespace appliance::tuf
