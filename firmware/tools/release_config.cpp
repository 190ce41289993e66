// NAME
//   release_config.cpp - the expiry policy and online key names of
//   releasectl.json, read strictly (the file may have been edited by hand).
#include "tools/release_config.h"

#include <algorithm>
#include <charconv>

#include "tuf/canonical_json.h"

namespace appliance::release {
namespace {

using json = nlohmann::json;

constexpr std::int64_t kMaxLifetime = 10 * 366 * kDay;

Result<void> read_expires(const json& obj, ReleaseConfig& out) {
  if (!obj.is_object()) return Error{"releasectl.json: \"expires\" is not an object"};
  for (const auto& [role, value] : obj.items()) {
    if (!is_known_role(role)) return Error{"releasectl.json: unknown role \"" + role + "\""};
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() == 0 ||
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxLifetime)) {
      return Error{"releasectl.json: lifetime of " + role + " must be 1 s to 10 years"};
    }
    out.expires[role] = value.get<std::int64_t>();
  }
  return {};
}

Result<void> read_keyd_keys(const json& obj, ReleaseConfig& out) {
  if (!obj.is_object()) return Error{"releasectl.json: \"keyd_keys\" is not an object"};
  for (const auto& [role, names] : obj.items()) {
    if (!is_known_role(role)) return Error{"releasectl.json: unknown role \"" + role + "\""};
    if (!names.is_array()) return Error{"releasectl.json: keyd_keys." + role + " is not a list"};
    for (const json& name : names) {
      if (!name.is_string()) return Error{"releasectl.json: a key name is not a string"};
      out.keyd_keys[role].push_back(name.get<std::string>());
    }
  }
  return {};
}

}  // namespace

bool is_channel(std::string_view role) {
  return std::any_of(kChannels.begin(), kChannels.end(),
                     [&](const char* c) { return role == c; });
}

bool is_known_role(std::string_view role) {
  return std::any_of(kRoles.begin(), kRoles.end(), [&](const char* r) { return role == r; });
}

std::int64_t ReleaseConfig::lifetime(const std::string& role) const {
  auto it = expires.find(role);
  if (it != expires.end()) return it->second;
  return default_config().expires.at(is_known_role(role) ? role : "targets");
}

ReleaseConfig default_config() {
  ReleaseConfig c;
  c.expires = {{"root", 365 * kDay},  {"targets", 90 * kDay}, {"snapshot", 7 * kDay},
               {"timestamp", kDay},   {"stable", 90 * kDay},  {"beta", 90 * kDay},
               {"lts", 90 * kDay}};
  return c;
}

Result<std::int64_t> parse_duration(std::string_view text) {
  std::int64_t unit = 1;
  if (!text.empty() && (text.back() == 'd' || text.back() == 'h' || text.back() == 's')) {
    unit = text.back() == 'd' ? kDay : text.back() == 'h' ? 3600 : 1;
    text.remove_suffix(1);
  }
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0 ||
      n > kMaxLifetime / unit) {
    return Error{"bad duration \"" + std::string(text) + "\" (e.g. 90d, 12h, 3600s)"};
  }
  return n * unit;
}

Result<ReleaseConfig> parse_config(std::string_view text) {
  auto doc = tuf::parse_json(text);
  if (!doc) return Error{"releasectl.json: " + doc.message()};
  if (!doc->is_object()) return Error{"releasectl.json: not an object"};
  ReleaseConfig config;
  for (const auto& [field, value] : doc->items()) {
    Result<void> r = field == "expires"     ? read_expires(value, config)
                     : field == "keyd_keys" ? read_keyd_keys(value, config)
                                            : Result<void>(Error{"releasectl.json: unknown field \"" + field + "\""});
    if (!r) return r.error();
  }
  return config;
}

std::string format_config(const ReleaseConfig& config) {
  json doc = {{"expires", config.expires}, {"keyd_keys", json::object()}};
  for (const auto& [role, names] : config.keyd_keys) doc["keyd_keys"][role] = names;
  return doc.dump(2) + "\n";
}

}  // namespace appliance::release
