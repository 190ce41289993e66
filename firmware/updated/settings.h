// NAME
//   settings.h - the [updated] section of appliance.conf.
//
// DESCRIPTION
//   read_settings() takes every key from the section (docs/configuration.md);
//   the Reader refuses a channel, install or slot_backend outside its list,
//   and check_settings() checks the same of Settings made in code.
//   Directories left unset are placed under the state directory by
//   resolve_paths(). Without metadata_url the daemon is idle.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace appliance::updated {

// What the operator allows once a newer release is found.
enum class InstallPolicy {
  never,      // report it only
  notify,     // download and verify it, report it, install nothing
  automatic,  // download, verify and install it into the inactive slot
};
std::string_view policy_name(InstallPolicy policy);

struct Settings {
  std::string metadata_url;  // empty: idle
  std::string target_base_url;
  std::string channel = "stable";
  std::string install = "notify";
  InstallPolicy policy = InstallPolicy::notify;
  std::chrono::seconds check_interval{6 * 3600};
  std::chrono::seconds first_check_delay{60};
  std::chrono::seconds gate_timeout{15 * 60};
  std::filesystem::path metadata_dir;   // empty: <home>/update/metadata
  std::filesystem::path target_dir;     // empty: <home>/update/targets
  std::string slot_backend = "file";    // file | block
  std::filesystem::path slot_dir;       // empty: <home>/update/slots; block: state.json only
  std::filesystem::path slot_device_a;  // block: slot a's partition
  std::filesystem::path slot_device_b;
  std::filesystem::path status_file;     // empty: <home>/update/status.json
  std::filesystem::path reboot_request;  // empty: <home>/update/reboot-request

  bool idle() const { return metadata_url.empty(); }
};

Settings read_settings(config::Reader& section);
// channel is stable, beta or lts; install is never, notify or automatic.
Result<void> check_settings(Settings& settings);
void resolve_paths(Settings& settings, const std::filesystem::path& home);

}  // namespace appliance::updated
