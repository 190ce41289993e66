// NAME
//   repository_simulator.h - a TUF repository built and signed in memory,
//   served to the client through the Fetcher interface.
//
// DESCRIPTION
//   Tests edit the "signed" bodies (root, timestamp, snapshot, targets and
//   delegated roles) and the keys, publish, and then tamper with what is
//   served: `metadata` (file name -> bytes) and `target_files` are plain maps
//   a test may overwrite to stage an attack. publish() re-signs the targets
//   roles marked dirty (bumping their version), then snapshot and timestamp.
//
//   Served names follow the repository layout: N.root.json; timestamp.json;
//   snapshot.json / targets.json / <role>.json, or V.<name> when
//   consistent_snapshot is on; targets by path, or dir/HASH.name (one copy
//   per listed hash) when consistent_snapshot is on.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "tuf/fetcher.h"
#include "tuf/testing/signer.h"

namespace appliance::tuf::testing {

struct SimulatorOptions {
  KeyKind key_kind = KeyKind::ed25519;
  bool consistent_snapshot = false;
  std::int64_t now = 1'700'000'000;         // 2023-11-14T22:13:20Z
  std::int64_t lifetime = 365 * 24 * 3600;  // expiry of every role, from now
  bool timestamp_lists_hashes = true;       // length + sha256 of snapshot
  bool snapshot_lists_hashes = false;       // length + sha256 of targets roles
};

struct DelegationSpec {
  std::string name;
  std::vector<std::string> paths;
  std::vector<std::string> path_hash_prefixes;  // used instead of paths if not empty
  bool terminating = false;
  std::uint64_t threshold = 1;
  int keys = 1;
};

class RepositorySimulator : public Fetcher {
 public:
  static constexpr const char* kMetadataUrl = "https://repo.test/metadata/";
  static constexpr const char* kTargetsUrl = "https://repo.test/targets/";

  // Generates one key per top-level role and publishes version 1 of all.
  static Result<std::unique_ptr<RepositorySimulator>> create(SimulatorOptions options = {});

  // --- editing -----------------------------------------------------------
  nlohmann::json root;
  nlohmann::json timestamp;
  nlohmann::json snapshot;
  std::map<std::string, nlohmann::json> targets;  // "targets" and delegated roles
  std::map<std::string, std::vector<std::shared_ptr<Signer>>> signers;
  std::set<std::string> dirty;  // targets roles to re-sign

  // A new key for a role: in root for top-level roles, else in the delegating
  // role's "delegations". The new key also signs from now on.
  Result<std::shared_ptr<Signer>> add_key(const std::string& role, KeyKind kind);
  // Stops trusting and signing with a key.
  void remove_key(const std::string& role, const std::string& keyid);
  void set_threshold(const std::string& role, std::uint64_t threshold);
  void add_target(const std::string& role, const std::string& path, const std::string& content,
                  const nlohmann::json& custom = nullptr);
  // Serves other bytes for a target under all its names (metadata unchanged).
  void replace_target_content(const std::string& path, const std::string& content);
  Result<void> add_delegation(const std::string& delegator, const DelegationSpec& spec);
  void set_expires(const std::string& role, std::int64_t expires);
  // The role's body and its current signers' signatures, as file bytes.
  Result<std::string> sign(const std::string& role) const;
  Result<std::string> sign_with(const nlohmann::json& body,
                                const std::vector<std::shared_ptr<Signer>>& signers) const;

  // --- publishing --------------------------------------------------------
  // Root version N+1, signed by the current root keys and `also_signed_by`
  // (the previous root keys, when they rotate).
  Result<void> publish_root(const std::vector<std::shared_ptr<Signer>>& also_signed_by = {});
  Result<void> publish_targets(const std::string& role);
  // Recomputes "meta" from the published targets roles unless told to sign
  // the body as a test left it.
  Result<void> publish_snapshot(bool recompute_meta = true);
  Result<void> publish_timestamp();
  Result<void> publish();  // dirty targets roles, snapshot, timestamp

  const std::string& root_file(std::uint64_t version) const;
  std::string metadata_name(const std::string& role, std::uint64_t version) const;
  std::string target_name(const std::string& path, const std::string& hash) const;

  // Writes metadata/ and targets/ under `dir`, as a static web server serves them.
  Result<void> write_to(const std::string& dir) const;

  // --- serving -----------------------------------------------------------
  std::map<std::string, std::string> metadata;      // served name -> bytes
  std::map<std::string, std::string> target_files;  // served name -> bytes
  std::vector<std::string> fetch_log;               // every URL asked for
  bool ignore_max_length = false;                   // behave like a careless fetcher

  FetchResult fetch(const std::string& url, std::uint64_t max_length,
                    const ChunkSink& sink) override;

 private:
  explicit RepositorySimulator(SimulatorOptions options) : options_(options) {}
  Result<void> init();
  nlohmann::json* delegation_entry(const std::string& role);
  nlohmann::json* role_keys_entry(const std::string& role);
  nlohmann::json& keys_object_for(const std::string& role);
  nlohmann::json snapshot_meta() const;
  void publish_target_files(const std::string& path, const std::string& content,
                            const nlohmann::json& hashes);

  SimulatorOptions options_;
  std::map<std::string, std::string> delegator_of_;  // delegated role -> delegator
  std::set<std::string> published_;
  std::map<std::string, std::string> last_bytes_;  // targets role -> last published file
  std::string snapshot_bytes_;
};

}  // namespace appliance::tuf::testing
