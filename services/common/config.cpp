// NAME
//   config.cpp - parsing and typed reading of appliance.conf.
#include "common/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace appliance::config {
namespace {

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= ' ' || c == '\t'; });
}

Error line_error(std::string_view path, int line, std::string_view what) {
  return make_error(fmt::format("{}:{}: {}", path, line, what));
}

}  // namespace

const Section* Document::find(std::string_view name) const {
  for (const Section& s : sections)
    if (s.name == name) return &s;
  return nullptr;
}

const std::vector<std::string>& known_sections() {
  static const std::vector<std::string> names = {
      "appliance", "keyd", "smtpd", "deliverd", "dns", "imapd", "pop3d", "webd", "monitord", "updated",
      "accounts",
      "echod",  // the skeleton's test daemon
  };
  return names;
}

Result<Document> parse(std::string_view text, std::string_view path) {
  Document doc{std::string(path), {}};
  if (text.size() > kMaxFileSize)
    return make_error(fmt::format("{}: file larger than {} bytes", path, kMaxFileSize));
  int number = 0;
  while (!text.empty()) {
    ++number;
    auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (raw.size() > kMaxLineLength)
      return line_error(path, number, fmt::format("line longer than {} bytes", kMaxLineLength));
    if (!printable(raw)) return line_error(path, number, "control character in line");
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return line_error(path, number, "section header lacks ']'");
      std::string_view name = trim(line.substr(1, line.size() - 2));
      if (!valid_name(name))
        return line_error(path, number, fmt::format("bad section name '{}'", name));
      const auto& known = known_sections();
      if (std::find(known.begin(), known.end(), name) == known.end())
        return line_error(path, number, fmt::format("unknown section [{}]", name));
      if (doc.find(name))
        return line_error(path, number, fmt::format("section [{}] appears twice", name));
      doc.sections.push_back(Section{std::string(name), number, {}});
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return line_error(path, number, "expected 'key = value' or '[section]'");
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (!valid_name(key)) return line_error(path, number, fmt::format("bad key name '{}'", key));
    if (doc.sections.empty())
      return line_error(path, number, fmt::format("key '{}' before any [section]", key));
    Section& section = doc.sections.back();
    for (const Entry& e : section.entries)
      if (e.key == key)
        return line_error(path, number,
                          fmt::format("key '{}' repeats line {} in [{}]", key, e.line, section.name));
    section.entries.push_back(Entry{std::string(key), std::string(value), number});
  }
  return doc;
}

Result<Document> load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(fmt::format("{}: cannot open", path.string()));
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path.string());
}

Result<HostPort> parse_endpoint(std::string_view text) {
  HostPort hp;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return make_error("expected '[address]:port'");
    hp.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return make_error("expected 'host:port'");
    hp.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty() || value > 65535)
    return make_error(fmt::format("bad port '{}'", port));
  hp.port = static_cast<std::uint16_t>(value);
  return hp;
}

Reader::Reader(const Document& doc, std::string_view section)
    : doc_(doc), section_name_(section), section_(doc.find(section)) {}

const Entry* Reader::lookup(std::string_view key) {
  known_.emplace_back(key);
  if (!section_) return nullptr;
  for (const Entry& e : section_->entries)
    if (e.key == key) return &e;
  return nullptr;
}

void Reader::fail(const Entry* entry, std::string_view key, std::string_view what) {
  if (error_) return;  // the first error is the one worth reading
  int line = entry ? entry->line : (section_ ? section_->line : 0);
  std::string where = line ? fmt::format("{}:{}", doc_.path, line) : doc_.path;
  error_ = make_error(fmt::format("{}: [{}] key '{}': {}", where, section_name_, key, what));
}

std::string Reader::string(std::string_view key, std::string_view fallback) {
  const Entry* e = lookup(key);
  return e ? e->value : std::string(fallback);
}

std::string Reader::required_string(std::string_view key) {
  const Entry* e = lookup(key);
  if (!e || e->value.empty()) {
    fail(e, key, "is required");
    return {};
  }
  return e->value;
}

std::int64_t Reader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                             std::int64_t fallback) {
  const Entry* e = lookup(key);
  if (!e) return fallback;
  std::int64_t value = 0;
  const std::string& v = e->value;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty() || value < min || value > max) {
    fail(e, key, fmt::format("expected an integer from {} to {}, got '{}'", min, max, v));
    return fallback;
  }
  return value;
}

bool Reader::boolean(std::string_view key, bool fallback) {
  const Entry* e = lookup(key);
  if (!e) return fallback;
  if (e->value == "true" || e->value == "yes" || e->value == "on") return true;
  if (e->value == "false" || e->value == "no" || e->value == "off") return false;
  fail(e, key, fmt::format("expected true or false, got '{}'", e->value));
  return fallback;
}

std::string Reader::choice(std::string_view key, std::initializer_list<std::string_view> choices,
                          std::string_view fallback) {
  const Entry* e = lookup(key);
  if (!e) return std::string(fallback);
  for (std::string_view c : choices)
    if (e->value == c) return e->value;
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  fail(e, key, fmt::format("expected one of {}, got '{}'", list, e->value));
  return std::string(fallback);
}

std::filesystem::path Reader::path(std::string_view key, const std::filesystem::path& fallback) {
  const Entry* e = lookup(key);
  if (!e) return fallback;
  if (e->value.empty() || e->value.front() != '/') {
    fail(e, key, fmt::format("expected an absolute path, got '{}'", e->value));
    return fallback;
  }
  return e->value;
}

std::string Reader::endpoint(std::string_view key, std::string_view fallback) {
  const Entry* e = lookup(key);
  if (!e) return std::string(fallback);
  auto hp = parse_endpoint(e->value);
  if (!hp) {
    fail(e, key, fmt::format("{}, got '{}'", hp.message(), e->value));
    return std::string(fallback);
  }
  return e->value;
}

Result<void> Reader::finish() {
  if (error_) return *error_;
  if (!section_) return {};
  for (const Entry& e : section_->entries) {
    if (std::find(known_.begin(), known_.end(), e.key) == known_.end())
      return make_error(
          fmt::format("{}:{}: [{}] unknown key '{}'", doc_.path, e.line, section_name_, e.key));
  }
  return {};
}

}  // namespace appliance::config
