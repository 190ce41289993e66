// NAME
//   key_name.cpp - parse and check key names.
//
// DESCRIPTION
//   Names reach here from configuration and the admin API, so a rejected name
//   is quoted back with anything unprintable escaped.
#include "key_name.h"

#include <array>
#include <cstdio>
#include <vector>

namespace appliance::hsm {

namespace {

constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxSegment = 63;

constexpr std::array<std::pair<std::string_view, Purpose>, 6> kPurposes{{
    {"tls", Purpose::tls},
    {"dkim", Purpose::dkim},
    {"secret", Purpose::secret},
    {"seal", Purpose::seal},
    {"wrap", Purpose::wrap},
    {"update", Purpose::update},
}};

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, kMaxName + 8)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    }
  }
  if (text.size() > kMaxName + 8) out += "...";
  return out + "\"";
}

bool segment_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

std::vector<std::string_view> split(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = name.find('/', start);
    parts.push_back(name.substr(start, slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

Result<void> check_segment(std::string_view segment, std::size_t index) {
  const std::string where = "segment " + std::to_string(index + 1) + " " + quoted(segment);
  if (segment.empty()) return Error{"segment " + std::to_string(index + 1) + " is empty"};
  if (segment.size() > kMaxSegment) return Error{where + " is longer than 63 characters"};
  if (segment == "." || segment == "..") return Error{where + " is not allowed"};
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (!segment_char(segment[i])) {
      return Error{where + " has character " + quoted(segment.substr(i, 1)) + " at position " +
                   std::to_string(i) + " (allowed: a-z 0-9 . - _)"};
    }
  }
  return {};
}

Result<Purpose> find_purpose(std::string_view word) {
  for (const auto& [text, purpose] : kPurposes)
    if (word == text) return purpose;
  return Error{"unknown purpose " + quoted(word) +
               " (expected tls, dkim, secret, seal, wrap or update)"};
}

}  // namespace

std::string_view purpose_name(Purpose purpose) {
  for (const auto& [text, p] : kPurposes)
    if (p == purpose) return text;
  return "?";
}

Result<KeyName> parse_key_name(std::string_view name) {
  const std::string context = "key name " + quoted(name);
  if (name.empty()) return Error{"key name is empty"};
  if (name.size() > kMaxName) return Error{context + ": longer than 128 characters"};
  const auto parts = split(name);
  auto purpose = find_purpose(parts[0]);
  if (!purpose) return Error{context + ": " + purpose.message()};
  if (parts.size() < 2)
    return Error{context + ": needs at least one segment after the purpose, e.g. \"" +
                 std::string(parts[0]) + "/example/v1\""};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (auto ok = check_segment(parts[i], i); !ok) return Error{context + ": " + ok.message()};
  }
  return KeyName{*purpose, std::string(name)};
}

}  // namespace appliance::hsm
