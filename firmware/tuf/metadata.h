// NAME
//   metadata.h - the four TUF roles as C++ values, and their pure parsers.
//
// DESCRIPTION
//   parse_root / parse_timestamp / parse_snapshot / parse_targets take the
//   bytes of a metadata file and return its envelope (the canonical bytes of
//   "signed" and the signatures) and the typed body. They check form only:
//   _type, spec_version major 1, versions > 0, thresholds >= 1, exact
//   "expires" form, key ids matching their keys, unique role names. Whether
//   the signatures are good, versions move forward and nothing has expired is
//   the trusted set's business (trusted_set.h).
//
//   Unknown fields are kept in Envelope::signed_json, so they stay covered by
//   the signatures as the specification requires.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "tuf/digest.h"
#include "tuf/keys.h"

namespace appliance::tuf {

inline constexpr const char* kSpecMajor = "1";

struct Signature {
  std::string keyid;
  std::string sig;  // hex
};

struct Envelope {
  nlohmann::json signed_json;
  std::string signed_bytes;  // canonical JSON of signed_json: what the signatures cover
  std::vector<Signature> signatures;
};

// The keys one role trusts and how many of them must sign.
struct RoleKeys {
  std::vector<std::string> keyids;
  std::uint64_t threshold = 1;
};

struct SignedCommon {
  std::string type;
  std::string spec_version;
  std::uint64_t version = 0;
  std::int64_t expires = 0;  // seconds since the epoch
  // The specification: expiry MUST be higher than the update start time.
  bool is_expired(std::int64_t now) const { return expires <= now; }
};

// An entry of METAFILES: what timestamp says of snapshot and snapshot of targets.
struct MetaFile {
  std::uint64_t version = 0;
  std::optional<std::uint64_t> length;
  Hashes hashes;  // may be empty
};

struct Root : SignedCommon {
  bool consistent_snapshot = false;
  std::map<std::string, Key> keys;
  std::map<std::string, RoleKeys> roles;  // root, timestamp, snapshot, targets (+ others)
};

struct Timestamp : SignedCommon {
  MetaFile snapshot_meta;  // meta["snapshot.json"]
};

struct Snapshot : SignedCommon {
  std::map<std::string, MetaFile> meta;  // "targets.json", "<role>.json"
};

struct TargetFile {
  std::uint64_t length = 0;
  Hashes hashes;          // never empty
  nlohmann::json custom;  // null when absent
};

struct DelegatedRole {
  std::string name;
  RoleKeys keys;
  bool terminating = false;
  bool by_hash_prefix = false;  // path_hash_prefixes rather than paths
  std::vector<std::string> paths;
  std::vector<std::string> path_hash_prefixes;
};

struct Delegations {
  std::map<std::string, Key> keys;
  std::vector<DelegatedRole> roles;  // in order of priority
};

struct Targets : SignedCommon {
  std::map<std::string, TargetFile> targets;
  std::optional<Delegations> delegations;
};

template <class Body>
struct Metadata {
  Envelope envelope;
  Body signed_;
};

Result<Envelope> parse_envelope(std::string_view bytes);
Result<Metadata<Root>> parse_root(std::string_view bytes);
Result<Metadata<Timestamp>> parse_timestamp(std::string_view bytes);
Result<Metadata<Snapshot>> parse_snapshot(std::string_view bytes);
Result<Metadata<Targets>> parse_targets(std::string_view bytes);

bool is_top_level_role(std::string_view name);

}  // namespace appliance::tuf
