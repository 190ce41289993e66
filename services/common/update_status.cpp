// NAME
//   update_status.cpp - writing and strictly reading updated's status file.
#include "common/update_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/status_file.h"

namespace appliance {
namespace {

using json = nlohmann::json;

constexpr std::string_view kWhat = "update status";

constexpr std::array<std::string_view, 3> kChannels = {"stable", "beta", "lts"};
constexpr std::array<std::string_view, 3> kPolicies = {"never", "notify", "automatic"};
constexpr std::array<std::string_view, 2> kStates = {"idle", "checking"};
constexpr std::array<std::string_view, 7> kResults = {
    "not checked yet", "up_to_date", "pending", "refused", "available", "installed", "failed"};

// The texts, in the order of the file's keys.
constexpr std::array<std::string_view, 5> kTexts = {"message", "running_version",
                                                    "available_version", "pending_version", "boot"};

template <std::size_t N>
Result<std::string> word(const json& doc, std::string_view key,
                         const std::array<std::string_view, N>& words) {
  auto value = status_file::string_field(doc, key, kWhat);
  if (!value) return value.error();
  if (std::find(words.begin(), words.end(), *value) == words.end())
    return make_error(fmt::format("{}: \"{}\" is not one of its words", kWhat, key));
  return value;
}

Result<std::string> text(const json& doc, std::string_view key) {
  auto value = status_file::string_field(doc, key, kWhat);
  if (!value) return value.error();
  if (value->size() > kMaxUpdateText || !status_file::is_one_line(*value))
    return make_error(
        fmt::format("{}: \"{}\" is not one line of at most {} bytes", kWhat, key, kMaxUpdateText));
  return value;
}

}  // namespace

std::string format_update_status(const UpdateStatus& s) {
  auto line = [](const std::string& t) { return status_file::one_line(t, kMaxUpdateText); };
  return status_file::dump({
      {"channel", s.channel},
      {"install", s.install},
      {"state", s.state},
      {"last_check", s.last_check ? json(*s.last_check) : json(nullptr)},
      {"result", s.result},
      {"message", line(s.message)},
      {"running_version", line(s.running_version)},
      {"available_version", line(s.available_version)},
      {"pending_version", line(s.pending_version)},
      {"boot", line(s.boot)},
  });
}

Result<UpdateStatus> parse_update_status(std::string_view input) {
  auto doc = status_file::parse_flat_object(
      input, kMaxUpdateStatus, kWhat,
      {"channel", "install", "state", "last_check", "result", "message", "running_version",
       "available_version", "pending_version", "boot"});
  if (!doc) return doc.error();
  UpdateStatus s;
  auto channel = word(*doc, "channel", kChannels);
  if (!channel) return channel.error();
  s.channel = std::move(*channel);
  auto install = word(*doc, "install", kPolicies);
  if (!install) return install.error();
  s.install = std::move(*install);
  auto state = word(*doc, "state", kStates);
  if (!state) return state.error();
  s.state = std::move(*state);
  auto last = doc->find("last_check");
  if (last == doc->end()) return make_error("update status: no \"last_check\"");
  if (!last->is_null()) {
    if (!last->is_string() || !status_file::is_utc_time(last->get<std::string>()))
      return make_error("update status: \"last_check\" is neither null nor YYYY-MM-DDTHH:MM:SSZ");
    s.last_check = last->get<std::string>();
  }
  auto result = word(*doc, "result", kResults);
  if (!result) return result.error();
  s.result = std::move(*result);
  std::string* fields[] = {&s.message, &s.running_version, &s.available_version, &s.pending_version,
                           &s.boot};
  for (std::size_t i = 0; i < kTexts.size(); ++i) {
    auto value = text(*doc, kTexts[i]);
    if (!value) return value.error();
    *fields[i] = std::move(*value);
  }
  return s;
}

}  // namespace appliance
