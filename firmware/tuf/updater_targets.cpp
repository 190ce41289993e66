// NAME
//   updater_targets.cpp - finding a target through delegations (5.6.7) and
//   fetching it (5.7).
#include <algorithm>
#include <utility>
#include <vector>

#include "tuf/delegations.h"
#include "tuf/digest.h"
#include "tuf/names.h"
#include "tuf/updater.h"

namespace appliance::tuf {
namespace {

struct Visit {
  std::string role;
  std::string delegator;
  bool accepted;  // inside the role the caller restricted the search to
};

// With consistent snapshots a target is fetched as HASH.name; prefer sha256.
std::optional<std::string> consistent_hash(const TargetFile& file) {
  auto it = file.hashes.find("sha256");
  if (it == file.hashes.end()) it = file.hashes.begin();
  return it->second;
}

}  // namespace

Result<TargetInfo> Updater::find_target(std::string_view path) {
  return search(path, std::nullopt);
}

Result<TargetInfo> Updater::find_target_in_role(std::string_view role, std::string_view path) {
  if (is_top_level_role(role)) return search(path, std::nullopt);
  return search(path, role);
}

Result<std::vector<TargetInfo>> Updater::channel_targets(std::string_view role) {
  const std::string name(role);
  if (!refreshed_) {
    if (auto r = refresh(); !r) return r.error();
  }
  const auto& top = trusted_->targets("targets")->signed_.delegations;
  auto entry = top ? std::find_if(top->roles.begin(), top->roles.end(),
                                  [&](const DelegatedRole& d) { return d.name == name; })
                   : std::vector<DelegatedRole>::const_iterator{};
  if (!top || entry == top->roles.end()) return Error{"targets does not delegate to role " + name};
  if (auto r = update_targets(name, "targets"); !r) {
    return Error{"loading role " + name + ": " + r.message()};
  }
  std::vector<TargetInfo> out;
  for (const auto& [path, file] : trusted_->targets(name)->signed_.targets) {
    // A role is trusted only for the paths it was delegated.
    if (is_safe_target_path(path) && role_covers_path(*entry, path)) {
      out.push_back(TargetInfo{path, file, name});
    }
  }
  return out;
}

Result<TargetInfo> Updater::search(std::string_view path, std::optional<std::string_view> within) {
  const std::string name(path);
  if (!is_safe_target_path(path)) return Error{"invalid target path \"" + name + "\""};
  if (!refreshed_) {
    if (auto r = refresh(); !r) return r.error();
  }
  std::vector<Visit> to_visit{{"targets", "root", !within}};
  std::vector<std::pair<std::string, std::string>> visited;
  std::uint32_t budget = config_.max_delegations;
  while (!to_visit.empty()) {
    Visit v = std::move(to_visit.back());
    to_visit.pop_back();
    std::pair<std::string, std::string> edge{v.role, v.delegator};
    if (std::find(visited.begin(), visited.end(), edge) != visited.end()) continue;
    if (budget-- == 0) {
      return Error{"target \"" + name + "\" not found: gave up after visiting " +
                   std::to_string(config_.max_delegations) + " roles"};
    }
    if (auto r = update_targets(v.role, v.delegator); !r) {
      return Error{"looking for \"" + name + "\" in " + v.role + ": " + r.message()};
    }
    const Targets& targets = trusted_->targets(v.role)->signed_;
    if (auto hit = targets.targets.find(name); v.accepted && hit != targets.targets.end()) {
      return TargetInfo{name, hit->second, v.role};
    }
    visited.push_back(std::move(edge));
    if (!targets.delegations) continue;
    auto children = roles_for_target(*targets.delegations, path);
    if (!children.empty() && children.back().terminating) to_visit.clear();
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      bool accepted = v.accepted || (within && it->role->name == *within);
      to_visit.push_back({it->role->name, v.role, accepted});
    }
  }
  return Error{"target \"" + name + "\" not found" +
               (within ? " in role " + std::string(*within) : std::string())};
}

Result<std::string> Updater::download_target(const TargetInfo& target,
                                             std::string_view target_base_url, TargetStore& store) {
  const std::string& name = target.path;
  const std::uint64_t length = target.file.length;
  if (!is_safe_target_path(name)) return Error{"invalid target path \"" + name + "\""};
  if (!trusted_) return Error{"internal error: download before refresh"};
  auto check = HashCheck::create(target.file.hashes);
  if (!check) return Error{"wrong target: " + name + ": " + check.message()};
  std::optional<std::string> prefix;
  if (trusted_->root().signed_.consistent_snapshot) prefix = consistent_hash(target.file);
  const std::string url = target_url(target_base_url, name, prefix);
  auto pending = store.create(name);
  if (!pending) return Error{"cannot store " + name + ": " + pending.message()};

  std::uint64_t received = 0;
  bool overflow = false;
  Result<void> write_status;
  FetchResult fetched = fetcher_.fetch(url, length, [&](std::string_view chunk) {
    if (chunk.size() > length - received) {
      overflow = true;
      return false;
    }
    received += chunk.size();
    check->update(chunk);
    write_status = (*pending)->write(chunk);
    return write_status.ok();
  });
  if (overflow || fetched.status == FetchStatus::too_large) {
    return Error{"endless data attack: target " + name + " exceeds " + std::to_string(length) +
                 " bytes"};
  }
  if (!write_status) return Error{"cannot store " + name + ": " + write_status.message()};
  if (fetched.status != FetchStatus::ok) {
    return Error{"cannot fetch " + url + ": " + fetched.detail};
  }
  if (received != length) {
    return Error{"wrong target: " + name + " is " + std::to_string(received) +
                 " bytes, metadata says " + std::to_string(length)};
  }
  if (auto r = check->finish(); !r) return Error{"wrong target: " + r.message() + " for " + name};
  return (*pending)->commit();
}

}  // namespace appliance::tuf
