// NAME
//   store_verdict.cpp - writing and strictly reading the store check's verdict.
#include "common/store_verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace appliance {
namespace {

using json = nlohmann::json;

bool is_boot_id(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = s[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// 2026-11-23T16:00:00Z: the form only; the gate does not judge the time.
bool is_utc_time(std::string_view s) {
  constexpr std::string_view kForm = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kForm.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (kForm[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kForm[i]) return false;
  }
  return true;
}

bool is_one_line(std::string_view s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A cut through a UTF-8 sequence at the end drops what is left of it.
void drop_cut_sequence(std::string& s) {
  std::size_t lead = s.size();
  while (lead > 0 && (static_cast<unsigned char>(s[lead - 1]) & 0xc0) == 0x80) --lead;
  if (lead == 0) return;
  const auto c = static_cast<unsigned char>(s[lead - 1]);
  const std::size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (s.size() - (lead - 1) < want) s.resize(lead - 1);
}

Result<std::string> string_field(const json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end()) return make_error(fmt::format("store verdict: no \"{}\"", key));
  if (!it->is_string())
    return make_error(fmt::format("store verdict: \"{}\" is not a string", key));
  return it->get<std::string>();
}

}  // namespace

StoreVerdict make_store_verdict(std::string boot_id, std::int64_t now, bool ok,
                                std::string_view reason) {
  std::string line(reason.substr(0, reason.find('\n')));
  std::replace_if(
      line.begin(), line.end(),
      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, ' ');
  if (line.size() > kMaxVerdictReason) {
    line.resize(kMaxVerdictReason);
    drop_cut_sequence(line);
  }
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return StoreVerdict{std::move(boot_id), when, ok, std::move(line)};
}

std::string format_store_verdict(const StoreVerdict& v) {
  json doc = {{"boot_id", v.boot_id},
              {"time", v.time},
              {"result", v.ok ? "ok" : "failed"},
              {"reason", v.reason}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<StoreVerdict> parse_store_verdict(std::string_view text) {
  if (text.size() > kMaxVerdict)
    return make_error(fmt::format("store verdict: {} bytes, at most {}", text.size(), kMaxVerdict));
  // A key given twice is refused, not silently taken from its last copy.
  std::set<std::string> keys;
  bool duplicate = false;
  json::parser_callback_t note_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 &&
        !keys.insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), note_keys, false);
  if (doc.is_discarded()) return make_error("store verdict: not valid JSON");
  if (duplicate) return make_error("store verdict: a key appears twice");
  if (!doc.is_object()) return make_error("store verdict: not a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    if (key != "boot_id" && key != "time" && key != "result" && key != "reason")
      return make_error(fmt::format("store verdict: unknown key \"{}\"", key.substr(0, 64)));
  }
  StoreVerdict v;
  auto boot_id = string_field(doc, "boot_id");
  if (!boot_id) return boot_id.error();
  if (!is_boot_id(*boot_id)) return make_error("store verdict: \"boot_id\" is not a boot id");
  auto time = string_field(doc, "time");
  if (!time) return time.error();
  if (!is_utc_time(*time)) return make_error("store verdict: \"time\" is not YYYY-MM-DDTHH:MM:SSZ");
  auto result = string_field(doc, "result");
  if (!result) return result.error();
  if (*result != "ok" && *result != "failed")
    return make_error("store verdict: \"result\" is neither \"ok\" nor \"failed\"");
  auto reason = string_field(doc, "reason");
  if (!reason) return reason.error();
  if (reason->size() > kMaxVerdictReason || !is_one_line(*reason))
    return make_error("store verdict: \"reason\" is not one line of at most 512 bytes");
  return StoreVerdict{std::move(*boot_id), std::move(*time), *result == "ok", std::move(*reason)};
}

Result<std::string> read_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!std::getline(in, id)) return make_error("cannot read /proc/sys/kernel/random/boot_id");
  if (!is_boot_id(id)) return make_error("/proc/sys/kernel/random/boot_id: not a boot id");
  return id;
}

}  // namespace appliance
