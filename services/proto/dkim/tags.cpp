// NAME
//   tags.cpp - the DKIM tag-list parser (RFC 6376 3.2).
#include "proto/dkim/tags.h"

#include <fmt/format.h>

#include <algorithm>

namespace appliance::dkim {

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }
bool is_fws(char c) { return is_wsp(c) || c == '\r' || c == '\n'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_valchar(char c) { return c >= 0x21 && c <= 0x7e && c != ';'; }

std::string_view trim_fws(std::string_view s) {
  while (!s.empty() && is_fws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_fws(s.back())) s.remove_suffix(1);
  return s;
}

bool valid_name(std::string_view name) {
  if (name.empty() || !is_alpha(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '_'; });
}

// FWS is [*WSP CRLF] 1*WSP: CR only in CRLF, and a line break only before white space.
Result<void> check_folding(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && !(i + 2 < text.size() && text[i + 1] == '\n' && is_wsp(text[i + 2])))
      return make_error("bad line folding in tag-list");
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      return make_error("bare LF in tag-list");
  }
  return {};
}

// A value: runs of VALCHAR separated by FWS.
Result<void> check_value(std::string_view name, std::string_view value) {
  for (char c : value)
    if (!is_valchar(c) && !is_fws(c))
      return make_error(fmt::format("tag {}: byte 0x{:02x} not allowed in a value", name,
                                    static_cast<unsigned char>(c)));
  return {};
}

Result<Tag> parse_spec(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos)
    return make_error(fmt::format("tag-spec \"{}\" has no '='", trim_fws(spec).substr(0, 40)));
  std::string_view name = trim_fws(spec.substr(0, eq));
  if (!valid_name(name))
    return make_error(fmt::format("bad tag name \"{}\"", name.substr(0, 40)));
  std::string_view raw = spec.substr(eq + 1);
  std::string_view value = trim_fws(raw);
  if (auto ok = check_value(name, value); !ok) return ok.error();
  return Tag{std::string(name), std::string(value)};
}

}  // namespace

std::optional<std::string_view> TagList::get(std::string_view name) const {
  for (const Tag& t : tags_)
    if (t.name == name) return std::string_view(t.value);
  return std::nullopt;
}

Result<TagList> parse_tags(std::string_view text) {
  if (auto ok = check_folding(text); !ok) return ok.error();
  std::vector<Tag> tags;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    std::string_view spec =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    bool last = end == std::string_view::npos;
    if (last && !tags.empty() && trim_fws(spec).empty()) break;  // after a final ";"
    if (trim_fws(spec).empty()) return make_error("empty tag-spec in tag-list");
    auto tag = parse_spec(spec);
    if (!tag) return tag.error();
    bool seen = std::any_of(tags.begin(), tags.end(),
                            [&](const Tag& t) { return t.name == tag->name; });
    if (seen) return make_error(fmt::format("duplicate tag {}", tag->name));
    tags.push_back(std::move(*tag));
    if (last) break;
    start = end + 1;
  }
  return TagList(std::move(tags));
}

std::string strip_fws(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (!is_fws(c)) out += c;
  return out;
}

std::vector<std::string> split_colons(std::string_view value) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    auto end = value.find(':', start);
    items.emplace_back(trim_fws(value.substr(start, end == std::string_view::npos
                                                        ? std::string_view::npos
                                                        : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return items;
}

}  // namespace appliance::dkim
