// NAME
//   release_files.h - the release tool's file work: key files, hashing and
//   storing target files, reading and writing the repository directory.
//
// DESCRIPTION
//   A repository directory holds releasectl.json (release_config.h),
//   metadata/ (what clients fetch as their metadata URL) and targets/ (their
//   target base URL). Metadata files are replaced atomically, in the order
//   Repository::output() gives, so timestamp.json changes last.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "tools/release_config.h"
#include "tools/repository.h"
#include "tuf/signer.h"

namespace appliance::release::files {

Result<std::string> read_file(const std::string& path, std::uint64_t max_length);

// A PEM private key file, ed25519 or ECDSA P-256.
Result<std::unique_ptr<tuf::PrivateKeySigner>> load_key(const std::string& path);
// Writes a new key (mode 0600); refuses to overwrite a file.
Result<std::string> generate_key(const std::string& path, tuf::KeyKind kind);

// Length, sha256 and sha512 of a file, read in chunks.
Result<Release> describe_file(const std::string& path, const std::string& name);

Result<ReleaseConfig> read_config(const std::string& repo_dir);
Result<void> write_config(const std::string& repo_dir, const ReleaseConfig& config);

Result<Repository> load_repository(const std::string& repo_dir, ReleaseConfig config);
Result<void> write_metadata(const std::string& repo_dir, const Repository& repository);
// Copies `source` into targets/ under each of Repository::target_file_names().
Result<void> store_target(const std::string& repo_dir, const std::string& source,
                          const Release& release);

}  // namespace appliance::release::files
