// NAME
//   repository.h - a TUF repository as the release tool keeps it: pure
//   editing and signing, no I/O.
//
// DESCRIPTION
//   Roles: root, targets, snapshot, timestamp, and one delegated targets
//   role per channel (stable, beta, lts; paths "*", not terminating).
//   Snapshots are consistent: every new version of snapshot, targets and a
//   channel is published as V.<role>.json, each root as N.root.json (and
//   root.json, the newest), the timestamp as timestamp.json, a target as
//   HASH.name for each of its hashes.
//
//   Each change signs what it touched and everything above it (a channel,
//   then snapshot, then timestamp) with the signers of the keyring whose key
//   ids the role lists, then reads each new file back with the client's own
//   parsers and threshold check: a file the client would refuse is never
//   produced. output() lists the new files in the order to write them;
//   timestamp.json always comes last.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "tools/release_config.h"
#include "tuf/digest.h"
#include "tuf/signer.h"

namespace appliance::release {

using Keyring = std::vector<const tuf::Signer*>;

struct RoleKeys {
  std::vector<const tuf::Signer*> keys;
  std::uint64_t threshold = 1;
};

struct Release {
  std::string name;  // a target path: one file name, [A-Za-z0-9._+-], not starting with '.'
  std::uint64_t length = 0;
  tuf::Hashes hashes;  // sha256 and sha512
  std::string version;
  std::uint64_t security_version = 0;
};

// A metadata file by name; nullopt when it does not exist.
using MetadataReader = std::function<Result<std::optional<std::string>>(const std::string&)>;

class Repository {
 public:
  // Version 1 of every role; `roles` must name keys for all seven.
  static Result<Repository> create(const std::map<std::string, RoleKeys>& roles,
                                   ReleaseConfig config, std::int64_t now);
  // The newest published state: root.json, timestamp.json, and what they list.
  static Result<Repository> load(const MetadataReader& read, ReleaseConfig config);

  Result<void> add_release(const std::string& channel, const Release& release,
                           const Keyring& keyring, std::int64_t now);
  // A new timestamp version with a fresh expiry (run it well within 1 day).
  Result<void> refresh_timestamp(const Keyring& keyring, std::int64_t now);
  // Replaces every key of `role`. For root, N+1.root.json is signed by a
  // threshold of the old and of the new root keys.
  Result<void> rotate(const std::string& role, const RoleKeys& new_keys, const Keyring& keyring,
                      std::int64_t now);

  const std::vector<std::pair<std::string, std::string>>& output() const { return output_; }
  std::uint64_t version(const std::string& role) const;
  const nlohmann::json& body(const std::string& role) const;
  const ReleaseConfig& config() const { return config_; }

  // The file names one release is stored under in the targets directory.
  static std::vector<std::string> target_file_names(const Release& release);
  static Result<void> check_target_name(const std::string& name);

 private:
  Repository() = default;
  nlohmann::json& mutable_body(const std::string& role);
  nlohmann::json& key_holder(const std::string& role);  // root or targets
  nlohmann::json* role_entry(const std::string& role);
  Result<Keyring> signers_for(const std::string& role, const Keyring& keyring) const;
  Result<void> set_keys(const std::string& role, const RoleKeys& keys);
  void drop_unused_keys(const std::string& role);
  Result<void> publish(const std::string& role, const Keyring& keyring, std::int64_t now,
                       const Keyring& also_signing = {});
  Result<void> verify(const std::string& role, const std::string& bytes) const;
  Result<void> verify_root(const std::string& bytes) const;
  Result<void> publish_snapshot_and_timestamp(const Keyring& keyring, std::int64_t now);
  Result<void> publish_timestamp(const Keyring& keyring, std::int64_t now);
  Result<void> load_targets_roles(const MetadataReader& read);

  ReleaseConfig config_;
  std::map<std::string, nlohmann::json> bodies_;  // the "signed" part of each role
  std::map<std::string, std::string> bytes_;      // the newest file of each role
  std::vector<std::pair<std::string, std::string>> output_;
  bool creating_ = false;  // first versions are 1, not bumped
};

}  // namespace appliance::release
