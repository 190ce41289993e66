// NAME
//   updater.cpp - refresh(): specification 5.1 to 5.6.6, one step per function.
//
// DESCRIPTION
//   Local copies of timestamp, snapshot and targets are offered to the
//   trusted set first: they guard against rollback of the new ones, and a
//   local snapshot or targets file that is still final saves a download.
//   Their failures are not errors (the remote copy decides); remote failures
//   abort the refresh and leave the stored metadata as it was.
#include "tuf/updater.h"

#include <set>

#include "tuf/names.h"

namespace appliance::tuf {
namespace {

std::set<std::string> keyid_set(const RoleKeys& r) {
  return {r.keyids.begin(), r.keyids.end()};
}

}  // namespace

Updater::Updater(UpdaterConfig config, Fetcher& fetcher, MetadataStore& store, const Clock& clock)
    : config_(std::move(config)), fetcher_(fetcher), store_(store), clock_(clock) {}

Result<void> Updater::refresh() {
  refreshed_ = false;
  trusted_.reset();
  if (auto r = load_trusted_root(); !r) return r;
  const Root& initial = trusted_->root().signed_;
  RoleKeys old_timestamp = initial.roles.at("timestamp");
  RoleKeys old_snapshot = initial.roles.at("snapshot");
  if (auto r = rotate_root(); !r) return r;
  if (auto r = trusted_->check_root_fresh(); !r) return r;
  if (auto r = forget_if_rotated(old_timestamp, old_snapshot); !r) return r;
  if (auto r = update_timestamp(); !r) return r;
  if (auto r = update_snapshot(); !r) return r;
  if (auto r = update_targets("targets", "root"); !r) return r;
  refreshed_ = true;
  return {};
}

// 5.1 and 5.2: the start time is read once; the root comes from the store.
Result<void> Updater::load_trusted_root() {
  const std::int64_t start = clock_.now();
  auto bytes = store_.load("root", config_.root_max_length);
  if (!bytes) return Error{"cannot load the trusted root: " + bytes.message()};
  if (!bytes->has_value()) return Error{"no trusted root.json in the metadata store (run init)"};
  auto set = TrustedSet::create(**bytes, start);
  if (!set) return Error{"trusted root.json is not usable: " + set.message()};
  trusted_.emplace(std::move(*set));
  return {};
}

// 5.3.2 to 5.3.9: N+1.root.json until there is none, at most
// max_root_rotations of them.
Result<void> Updater::rotate_root() {
  for (std::uint32_t round = 0; round < config_.max_root_rotations; ++round) {
    const std::uint64_t next = trusted_->root().signed_.version + 1;
    const std::string url = metadata_url(config_.metadata_base_url, "root", next);
    FetchedBytes fetched = fetch_bytes(fetcher_, url, config_.root_max_length);
    if (fetched.result.status == FetchStatus::not_found) return {};
    if (fetched.result.status == FetchStatus::too_large) {
      return Error{"endless data attack: root exceeds " + std::to_string(config_.root_max_length) +
                   " bytes (" + url + ")"};
    }
    if (fetched.result.status != FetchStatus::ok) {
      return Error{"cannot fetch " + url + ": " + fetched.result.detail};
    }
    auto admitted = trusted_->update_root(fetched.body);
    if (!admitted) return admitted.error();
    if (*admitted == Admission::unchanged) return {};
    if (auto r = store_.save("root", fetched.body); !r) return r;
  }
  return {};
}

// 5.3.11: new timestamp or snapshot keys mean the old files may carry
// fast-forwarded versions; forget them so the new ones are not judged by them.
Result<void> Updater::forget_if_rotated(const RoleKeys& old_timestamp,
                                        const RoleKeys& old_snapshot) {
  const Root& root = trusted_->root().signed_;
  bool rotated = keyid_set(old_timestamp) != keyid_set(root.roles.at("timestamp")) ||
                 keyid_set(old_snapshot) != keyid_set(root.roles.at("snapshot"));
  if (!rotated) return {};
  if (auto r = store_.remove("timestamp"); !r) return r;
  return store_.remove("snapshot");
}

Result<std::string> Updater::download_metadata(std::string_view role,
                                               std::optional<std::uint64_t> version,
                                               std::uint64_t max_length) {
  const std::string url = metadata_url(config_.metadata_base_url, role, version);
  FetchedBytes fetched = fetch_bytes(fetcher_, url, max_length);
  switch (fetched.result.status) {
    case FetchStatus::ok:
      return std::move(fetched.body);
    case FetchStatus::too_large:
      return Error{"endless data attack: " + std::string(role) + " exceeds " +
                   std::to_string(max_length) + " bytes (" + url + ")"};
    case FetchStatus::not_found:
      return Error{"not found: " + url};
    case FetchStatus::failed:
      break;
  }
  return Error{"cannot fetch " + url + ": " + fetched.result.detail};
}

// 5.4.
Result<void> Updater::update_timestamp() {
  auto local = store_.load("timestamp", config_.timestamp_max_length);
  if (local && local->has_value()) (void)trusted_->update_timestamp(**local);
  auto bytes = download_metadata("timestamp", std::nullopt, config_.timestamp_max_length);
  if (!bytes) return bytes.error();
  auto admitted = trusted_->update_timestamp(*bytes);
  if (!admitted) return admitted.error();
  if (*admitted == Admission::unchanged) return {};
  return store_.save("timestamp", *bytes);
}

// 5.5.
Result<void> Updater::update_snapshot() {
  auto local = store_.load("snapshot", config_.snapshot_max_length);
  if (local && local->has_value() && trusted_->update_snapshot(**local, true)) return {};
  const MetaFile& meta = trusted_->timestamp()->signed_.snapshot_meta;
  std::optional<std::uint64_t> version;
  if (trusted_->root().signed_.consistent_snapshot) version = meta.version;
  auto bytes =
      download_metadata("snapshot", version, meta.length.value_or(config_.snapshot_max_length));
  if (!bytes) return bytes.error();
  if (auto r = trusted_->update_snapshot(*bytes, false); !r) return r;
  return store_.save("snapshot", *bytes);
}

// 5.6.1 to 5.6.6, for the top-level targets role and for delegated roles.
Result<void> Updater::update_targets(const std::string& role, const std::string& delegator) {
  if (trusted_->targets(role)) return {};
  auto local = store_.load(role, config_.targets_max_length);
  if (local && local->has_value() && trusted_->update_targets(role, delegator, **local)) return {};
  const auto& meta = trusted_->snapshot()->signed_.meta;
  auto entry = meta.find(role + ".json");
  if (entry == meta.end()) return Error{"snapshot does not list " + role + ".json"};
  std::optional<std::uint64_t> version;
  if (trusted_->root().signed_.consistent_snapshot) version = entry->second.version;
  auto bytes =
      download_metadata(role, version, entry->second.length.value_or(config_.targets_max_length));
  if (!bytes) return bytes.error();
  if (auto r = trusted_->update_targets(role, delegator, *bytes); !r) return r;
  return store_.save(role, *bytes);
}

}  // namespace appliance::tuf
