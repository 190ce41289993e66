// NAME
//   updater.h - the TUF client workflow (specification section 5).
//
// DESCRIPTION
//   Updater::refresh() runs 5.1 to 5.6.6: fixed start time, trusted root,
//   root rotation, timestamp, snapshot, top-level targets; each admitted file
//   is persisted in the MetadataStore. find_target() then walks delegations
//   pre-order depth-first (5.6.7); find_target_in_role() does the same but
//   only accepts what one delegated role (a channel: stable, beta, lts) or
//   the roles it delegates to list. download_target() fetches a target
//   within its length and commits it only if every listed hash matches.
//
//   All I/O goes through the Fetcher, MetadataStore, TargetStore and Clock
//   given; the updater itself touches neither network nor disk.
//
// EXAMPLE
//   DirectoryMetadataStore store = ...; CurlFetcher fetcher; SystemClock clock;
//   Updater updater({.metadata_base_url = "https://updates.example/metadata/"},
//                   fetcher, store, clock);
//   auto target = updater.find_target_in_role("stable", "appliance.img");
//   if (target) updater.download_target(*target, "https://updates.example/targets/", dir);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "tuf/clock.h"
#include "tuf/fetcher.h"
#include "tuf/metadata.h"
#include "tuf/metadata_store.h"
#include "tuf/target_store.h"
#include "tuf/trusted_set.h"

namespace appliance::tuf {

struct UpdaterConfig {
  std::string metadata_base_url;
  std::uint32_t max_root_rotations = 32;
  std::uint64_t root_max_length = 512 * 1024;
  std::uint64_t timestamp_max_length = 16 * 1024;
  std::uint64_t snapshot_max_length = 2 * 1024 * 1024;  // when timestamp lists no length
  std::uint64_t targets_max_length = 5 * 1024 * 1024;   // when snapshot lists no length
  std::uint32_t max_delegations = 32;                   // roles visited per search
};

struct TargetInfo {
  std::string path;
  TargetFile file;   // length, hashes, custom
  std::string role;  // the role whose metadata listed it
};

class Updater {
 public:
  Updater(UpdaterConfig config, Fetcher& fetcher, MetadataStore& store, const Clock& clock);

  Result<void> refresh();

  // Refreshes first if refresh() has not succeeded yet.
  Result<TargetInfo> find_target(std::string_view path);
  Result<TargetInfo> find_target_in_role(std::string_view role, std::string_view path);
  // The targets a role that top-level targets delegates to directly (a
  // channel) lists within its delegated paths, in path order; refreshes first
  // if needed. Resolve the one chosen with find_target_in_role(), which
  // applies the full search order.
  Result<std::vector<TargetInfo>> channel_targets(std::string_view role);

  // Returns where the TargetStore put the file.
  Result<std::string> download_target(const TargetInfo& target, std::string_view target_base_url,
                                      TargetStore& store);

  // The metadata trusted by the last refresh (nullptr before one succeeded).
  const TrustedSet* trusted() const { return refreshed_ ? &*trusted_ : nullptr; }

 private:
  Result<void> load_trusted_root();
  Result<void> rotate_root();
  Result<void> forget_if_rotated(const RoleKeys& old_timestamp, const RoleKeys& old_snapshot);
  Result<void> update_timestamp();
  Result<void> update_snapshot();
  Result<void> update_targets(const std::string& role, const std::string& delegator);
  Result<std::string> download_metadata(std::string_view role, std::optional<std::uint64_t> version,
                                        std::uint64_t max_length);
  Result<TargetInfo> search(std::string_view path, std::optional<std::string_view> within);

  UpdaterConfig config_;
  Fetcher& fetcher_;
  MetadataStore& store_;
  const Clock& clock_;
  std::optional<TrustedSet> trusted_;
  bool refreshed_ = false;
};

}  // namespace appliance::tuf
