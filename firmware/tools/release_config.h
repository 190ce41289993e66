// NAME
//   release_config.h - what the release tool remembers beside a repository:
//   the expiry policy and the names of the online keys in keyd.
//
// DESCRIPTION
//   Kept as releasectl.json next to (not inside) the published metadata:
//     {"expires": {"root": 31536000, ..., "timestamp": 86400},
//      "keyd_keys": {"snapshot": ["update/snapshot/v1"], ...}}
//   Lifetimes are in seconds; a role missing from "expires" gets the
//   default (root 365 d, targets and channels 90 d, snapshot 7 d, timestamp
//   1 d).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace appliance::release {

inline constexpr std::array<const char*, 3> kChannels = {"stable", "beta", "lts"};
inline constexpr std::array<const char*, 7> kRoles = {"root",   "targets", "snapshot", "timestamp",
                                                      "stable", "beta",    "lts"};
inline constexpr std::int64_t kDay = 24 * 3600;

bool is_channel(std::string_view role);
bool is_known_role(std::string_view role);

struct ReleaseConfig {
  std::map<std::string, std::int64_t> expires;                // role -> lifetime in seconds
  std::map<std::string, std::vector<std::string>> keyd_keys;  // online role -> keyd key names

  std::int64_t lifetime(const std::string& role) const;
};

ReleaseConfig default_config();

// "90d", "12h", "3600s" or plain seconds; at least one second.
Result<std::int64_t> parse_duration(std::string_view text);

Result<ReleaseConfig> parse_config(std::string_view text);
std::string format_config(const ReleaseConfig& config);

}  // namespace appliance::release
