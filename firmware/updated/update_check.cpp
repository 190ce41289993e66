// NAME
//   update_check.cpp - refresh, choose, refuse, download, install.
#include "updated/update_check.h"

#include <algorithm>
#include <optional>

#include "slots/slot_manager.h"
#include "tuf/updater.h"
#include "updated/version.h"

namespace appliance::updated {
namespace {

std::optional<std::string> version_of(const tuf::TargetInfo& t) {
  const nlohmann::json& custom = t.file.custom;
  if (!custom.is_object()) return std::nullopt;
  auto v = custom.find("version");
  if (v == custom.end() || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

// The channel's newest target by custom version; ties keep the first path.
std::optional<tuf::TargetInfo> newest(const std::vector<tuf::TargetInfo>& listed) {
  std::optional<tuf::TargetInfo> best;
  for (const tuf::TargetInfo& t : listed) {
    auto v = version_of(t);
    if (v && (!best || compare_versions(*v, *version_of(*best)) > 0)) best = t;
  }
  return best;
}

std::string pending_version(const slots::BootState& s) {
  const slots::SlotInfo& active = s.slot(s.active);
  if (s.active == s.booted || active.status != slots::SlotStatus::trying) return {};
  return active.version;
}

CheckResult with(CheckResult r, Outcome outcome, std::string message) {
  r.outcome = outcome;
  r.message = std::move(message);
  return r;
}

// A lower security_version is refused before anything is downloaded.
Result<void> check_floor(const slots::BootState& s, const tuf::TargetInfo& target) {
  auto c = slots::candidate_from_target(target, "");
  if (!c) return c.error();
  const std::uint64_t floor = std::max(s.security_floor, s.slot(s.booted).security_version);
  if (c->security_version < floor) {
    return Error{"refused " + target.path + ": security_version " +
                 std::to_string(c->security_version) + " < " + std::to_string(floor) +
                 " (security_version never goes down)"};
  }
  return {};
}

// Only the newest download is kept; a failure to remove the others is
// reported, not fatal. Returns what to add to the check's message.
std::string remove_older_downloads(CheckIo& io, const tuf::TargetInfo& kept) {
  if (auto r = io.targets.keep_only(kept.path); !r)
    return "; older downloads not removed: " + r.message();
  return {};
}

CheckResult download_and_install(const Settings& settings, CheckIo& io, tuf::Updater& updater,
                                 const tuf::TargetInfo& target, CheckResult r) {
  auto path = updater.download_target(target, settings.target_base_url, io.targets);
  if (!path) return with(r, Outcome::failed, "download of " + target.path + ": " + path.message());
  if (settings.policy == InstallPolicy::notify) {
    return with(r, Outcome::available,
                "version " + r.available_version + " downloaded and verified; install = notify" +
                    remove_older_downloads(io, target));
  }
  auto candidate = slots::candidate_from_target(target, *path);
  if (!candidate) return with(r, Outcome::refused, candidate.message());
  slots::SlotManager manager(io.slots);
  auto slot = manager.install(*candidate);
  if (!slot) return with(r, Outcome::failed, "install of " + target.path + ": " + slot.message());
  r.pending_version = r.available_version;
  return with(r, Outcome::installed,
              "version " + r.available_version + " installed into slot " + slots::slot_name(*slot) +
                  "; it boots next" + remove_older_downloads(io, target));
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::up_to_date: return "up_to_date";
    case Outcome::pending: return "pending";
    case Outcome::refused: return "refused";
    case Outcome::available: return "available";
    case Outcome::installed: return "installed";
    case Outcome::failed: return "failed";
  }
  return "?";
}

CheckResult check_for_update(const Settings& settings, CheckIo& io) {
  CheckResult r;
  auto state = io.slots.load_state();
  if (!state) return with(r, Outcome::failed, "slot state: " + state.message());
  r.running_version = state->slot(state->booted).version;
  r.pending_version = pending_version(*state);

  tuf::UpdaterConfig config;
  config.metadata_base_url = settings.metadata_url;
  tuf::Updater updater(config, io.fetcher, io.metadata, io.clock);
  auto listed = updater.channel_targets(settings.channel);
  if (!listed) return with(r, Outcome::failed, listed.message());
  auto best = newest(*listed);
  if (!best || compare_versions(*version_of(*best), r.running_version) <= 0) {
    return with(r, Outcome::up_to_date, "running " + r.running_version + ", the newest in " +
                                            settings.channel);
  }
  r.available_version = *version_of(*best);
  if (r.available_version == r.pending_version) {
    return with(r, Outcome::pending, "version " + r.pending_version + " waits for a reboot");
  }
  // Resolve through the full search: delegation order and terminating roles.
  auto target = updater.find_target_in_role(settings.channel, best->path);
  if (!target) return with(r, Outcome::failed, target.message());
  if (auto floor = check_floor(*state, *target); !floor) {
    return with(r, Outcome::refused, floor.message());
  }
  if (settings.policy == InstallPolicy::never) {
    return with(r, Outcome::available, "version " + r.available_version + " available; install = never");
  }
  return download_and_install(settings, io, updater, *target, std::move(r));
}

}  // namespace appliance::updated
