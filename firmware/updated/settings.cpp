// NAME
//   settings.cpp - reading and checking [updated].
#include "updated/settings.h"

#include <algorithm>
#include <array>

#include "common/paths.h"

namespace appliance::updated {
namespace {

constexpr std::array<std::string_view, 3> kChannels = {"stable", "beta", "lts"};
constexpr std::array<InstallPolicy, 3> kPolicies = {InstallPolicy::never, InstallPolicy::notify,
                                                    InstallPolicy::automatic};

std::chrono::seconds seconds(config::Reader& s, std::string_view key, std::int64_t min,
                             std::int64_t max, std::chrono::seconds fallback) {
  return std::chrono::seconds(s.integer(key, min, max, fallback.count()));
}

}  // namespace

std::string_view policy_name(InstallPolicy policy) {
  switch (policy) {
    case InstallPolicy::never: return "never";
    case InstallPolicy::notify: return "notify";
    case InstallPolicy::automatic: return "automatic";
  }
  return "?";
}

Settings read_settings(config::Reader& s) {
  Settings out;
  out.metadata_url = s.string("metadata_url", "");
  // A metadata URL without a place to fetch targets from is half a setting.
  out.target_base_url =
      out.metadata_url.empty() ? s.string("target_base_url", "") : s.required_string("target_base_url");
  out.channel = s.choice("channel", {"stable", "beta", "lts"}, out.channel);
  out.install = s.choice("install", {"never", "notify", "automatic"}, out.install);
  out.check_interval = seconds(s, "check_interval", 60, 7 * 24 * 3600, out.check_interval);
  out.first_check_delay = seconds(s, "first_check_delay", 0, 24 * 3600, out.first_check_delay);
  out.gate_timeout = seconds(s, "gate_timeout", 10, 24 * 3600, out.gate_timeout);
  out.metadata_dir = s.path("metadata_dir", {});
  out.target_dir = s.path("target_dir", {});
  out.slot_dir = s.path("slot_dir", {});
  out.slot_backend = s.choice("slot_backend", {"file", "block"}, out.slot_backend);
  // No default partitions: check_settings() requires both with the block backend.
  out.slot_device_a = s.path("slot_device_a", {});
  out.slot_device_b = s.path("slot_device_b", {});
  out.status_file = s.path("status_file", {});
  out.reboot_request = s.path("reboot_request", {});
  return out;
}

Result<void> check_settings(Settings& settings) {
  if (std::find(kChannels.begin(), kChannels.end(), settings.channel) == kChannels.end()) {
    return Error{"[updated] key 'channel': expected stable, beta or lts, got '" +
                 settings.channel + "'"};
  }
  if (settings.slot_backend != "file" && settings.slot_backend != "block")
    return Error{"[updated] key 'slot_backend': expected file or block, got '" +
                 settings.slot_backend + "'"};
  if (settings.slot_backend == "block" &&
      (settings.slot_device_a.empty() || settings.slot_device_b.empty() ||
       settings.slot_device_a == settings.slot_device_b))
    return Error{
        "[updated] keys 'slot_device_a' and 'slot_device_b': two different devices "
        "are required with slot_backend = block"};
  // Older downloads are removed from target_dir: it must hold nothing else.
  if (!settings.target_dir.empty() &&
      (settings.target_dir == settings.metadata_dir || settings.target_dir == settings.slot_dir))
    return Error{
        "[updated] key 'target_dir': must be a directory of its own, not metadata_dir "
        "or slot_dir"};
  for (InstallPolicy p : kPolicies) {
    if (policy_name(p) == settings.install) {
      settings.policy = p;
      return {};
    }
  }
  return Error{"[updated] key 'install': expected never, notify or automatic, got '" +
               settings.install + "'"};
}

void resolve_paths(Settings& settings, const std::filesystem::path& home) {
  const std::filesystem::path base = home / "update";
  if (settings.metadata_dir.empty()) settings.metadata_dir = base / "metadata";
  if (settings.target_dir.empty()) settings.target_dir = base / "targets";
  if (settings.slot_dir.empty()) settings.slot_dir = base / "slots";
  if (settings.status_file.empty()) settings.status_file = Paths{home}.update_status();
  if (settings.reboot_request.empty()) settings.reboot_request = base / "reboot-request";
}

}  // namespace appliance::updated
