// NAME
//   status_file.cpp - strict reading of flat JSON status files.
#include "common/status_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>

namespace appliance {

Result<std::string> read_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!std::getline(in, id)) return make_error("cannot read /proc/sys/kernel/random/boot_id");
  if (!status_file::is_boot_id(id))
    return make_error("/proc/sys/kernel/random/boot_id: not a boot id");
  return id;
}

namespace status_file {
namespace {

using json = nlohmann::json;

bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
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

}  // namespace

Result<json> parse_flat_object(std::string_view text, std::size_t max, std::string_view what,
                               std::initializer_list<std::string_view> keys) {
  if (text.size() > max)
    return make_error(fmt::format("{}: {} bytes, at most {}", what, text.size(), max));
  // A key given twice is refused, not silently taken from its last copy.
  std::set<std::string> seen;
  bool duplicate = false;
  json::parser_callback_t note_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 &&
        !seen.insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  json doc = json::parse(text.begin(), text.end(), note_keys, false);
  if (doc.is_discarded()) return make_error(fmt::format("{}: not valid JSON", what));
  if (duplicate) return make_error(fmt::format("{}: a key appears twice", what));
  if (!doc.is_object()) return make_error(fmt::format("{}: not a JSON object", what));
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
      return make_error(fmt::format("{}: unknown key \"{}\"", what, it.key().substr(0, 64)));
  }
  return doc;
}

Result<std::string> string_field(const json& doc, std::string_view key, std::string_view what) {
  auto it = doc.find(key);
  if (it == doc.end()) return make_error(fmt::format("{}: no \"{}\"", what, key));
  if (!it->is_string()) return make_error(fmt::format("{}: \"{}\" is not a string", what, key));
  return it->get<std::string>();
}

bool is_boot_id(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = s[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_utc_time(std::string_view s) {
  constexpr std::string_view kForm = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kForm.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (kForm[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kForm[i]) return false;
  }
  return true;
}

bool is_one_line(std::string_view s) {
  return std::none_of(s.begin(), s.end(), is_control);
}

std::string one_line(std::string_view text, std::size_t max) {
  std::string line(text.substr(0, text.find('\n')));
  std::replace_if(line.begin(), line.end(), is_control, ' ');
  if (line.size() > max) {
    line.resize(max);
    drop_cut_sequence(line);
  }
  return line;
}

std::string dump(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace status_file
}  // namespace appliance
