// NAME
//   trusted_set.h - the metadata the client trusts, and every rule for
//   admitting a new file into it (specification 5.3 to 5.6).
//
// DESCRIPTION
//   Pure: bytes in, a verdict out; no fetching, no storage, no clock (the
//   fixed update start time is given at creation). The Updater drives it in
//   the only order the specification allows: root (any number of times),
//   timestamp, snapshot, then targets and delegated targets.
//
//   Each rejection names the attack it stopped, e.g.
//     "rollback attack: timestamp version 3 < trusted 5"
//     "freeze attack: snapshot expired at 2024-01-01T00:00:00Z (update started ...)"
//     "mix-and-match attack: snapshot version 4 != timestamp's 5"
//     "arbitrary software attack: threshold not met: root has 1 valid signature of 2 required"
//
//   A local (previously trusted) timestamp or snapshot is admitted even when
//   expired or out of date, so that it still protects against rollback of
//   the next one; the error returned then only says it cannot be final.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "tuf/metadata.h"

namespace appliance::tuf {

enum class Admission { updated, unchanged };

class TrustedSet {
 public:
  // The trusted root must carry a threshold of its own root keys; its expiry
  // is not checked here (5.2).
  static Result<TrustedSet> create(std::string_view root_bytes, std::int64_t reference_time);

  // 5.3: admits version N+1 of root. `unchanged` when the file holds version
  // N again (the specification says: discard it and go on).
  Result<Admission> update_root(std::string_view bytes);
  // 5.3.10: after rotation.
  Result<void> check_root_fresh() const;

  // 5.4. `unchanged` when the version equals the trusted one.
  Result<Admission> update_timestamp(std::string_view bytes);
  // 5.5. `from_local` skips nothing that matters: a local copy that does not
  // match the timestamp's hashes, version or has expired is kept for
  // rollback checks but reported as not final.
  Result<void> update_snapshot(std::string_view bytes, bool from_local);
  // 5.6, for "targets" (delegator "root") or a delegated role (delegator: the
  // targets role that delegates to it, which must already be trusted).
  Result<void> update_targets(std::string_view role, std::string_view delegator,
                              std::string_view bytes);

  const Metadata<Root>& root() const { return root_; }
  const Metadata<Timestamp>* timestamp() const { return timestamp_ ? &*timestamp_ : nullptr; }
  const Metadata<Snapshot>* snapshot() const { return snapshot_ ? &*snapshot_ : nullptr; }
  const Metadata<Targets>* targets(std::string_view role) const;
  std::int64_t reference_time() const { return now_; }

 private:
  TrustedSet(Metadata<Root> root, std::int64_t now) : root_(std::move(root)), now_(now) {}

  Result<void> check_timestamp_final() const;
  Result<void> check_snapshot_final(std::string_view bytes) const;
  Result<void> check_snapshot_rollback(const Snapshot& next) const;
  Result<void> check_against_meta(std::string_view what, std::string_view listed_by,
                                  const MetaFile& meta, std::string_view bytes) const;
  struct Authority {
    const std::map<std::string, Key>* keys;
    const RoleKeys* role;
    std::string name;
  };
  Result<Authority> authority_for(std::string_view role, std::string_view delegator) const;

  Metadata<Root> root_;
  std::optional<Metadata<Timestamp>> timestamp_;
  std::optional<Metadata<Snapshot>> snapshot_;
  bool snapshot_final_ = false;
  std::map<std::string, Metadata<Targets>, std::less<>> targets_;
  std::int64_t now_;
};

std::string freeze_error(std::string_view what, std::int64_t expires, std::int64_t now);

}  // namespace appliance::tuf
