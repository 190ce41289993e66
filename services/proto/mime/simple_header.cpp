// NAME
//   simple_header.cpp - splitting a plain header into its fields.
#include "proto/mime/simple_header.h"

#include <algorithm>
#include <iterator>

namespace appliance::mime {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool blank(char c) {
  return c == ' ' || c == '\t';
}

// Printable ASCII, spaces and tabs, and CR only before LF, LF only after CR.
bool plain_bytes(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    if (c == '\n' && i > 0 && s[i - 1] == '\r') continue;
    if (c != '\t' && (c < 0x20 || c > 0x7e)) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view s) {
  auto space = [](char c) { return blank(c) || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool address_field(std::string_view name) {
  return name == "from" || name == "sender" || name == "reply-to" || name == "to" || name == "cc" ||
         name == "bcc";
}

// The values trimmed; no encoded word but where the values' own parsers
// decode them as GMime's message does (Subject, addresses), and no address
// field with a comment, which GMime's message reads otherwise than its
// parser of the field alone.
std::optional<SimpleFields> finished(SimpleFields out) {
  for (auto& [name, value] : out.fields) {
    bool words = name == "subject" || address_field(name);
    if (!words && value.find("=?") != std::string::npos) return std::nullopt;
    if (address_field(name) && value.find('(') != std::string::npos) return std::nullopt;
    value = std::string(trimmed(value));
  }
  return out;
}

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool atext(char c) {
  return alnum(c) ||
         (c != 0 && std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos);
}

bool ldh(char c) {
  return alnum(c) || c == '-';
}

// Labels of `allowed` characters, none empty.
bool dotted(std::string_view s, bool (*allowed)(char)) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != s.npos) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return c == '.' || allowed(c); });
}

}  // namespace

std::optional<Mailbox> plain_mailbox(std::string_view value) {
  if (value.starts_with('<') != value.ends_with('>')) return std::nullopt;
  if (value.starts_with('<')) value = value.substr(1, value.size() - 2);
  auto at = value.find('@');
  if (at == value.npos || value.find('@', at + 1) != value.npos) return std::nullopt;
  std::string_view local = value.substr(0, at), domain = value.substr(at + 1);
  if (!dotted(local, atext) || !dotted(domain, ldh)) return std::nullopt;
  for (std::size_t i = 0; i + 4 <= domain.size(); ++i)
    if (equal_nocase(domain.substr(i, 4), "xn--")) return std::nullopt;
  return Mailbox{std::string(local), std::string(domain)};
}

bool summarised(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "date", "subject", "from",        "sender",     "reply-to",    "to",
      "cc",   "bcc",     "in-reply-to", "message-id", "mime-version"};
  if (name.size() >= 8 && equal_nocase(name.substr(0, 8), "content-")) return true;
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](std::string_view n) { return equal_nocase(name, n); });
}

const std::string* SimpleFields::get(std::string_view lower_name) const {
  for (const auto& [name, value] : fields)
    if (name == lower_name) return &value;
  return nullptr;
}

std::optional<std::string> SimpleFields::unfolded(std::string_view lower_name) const {
  const std::string* v = get(lower_name);
  if (!v) return std::nullopt;
  std::string out;
  for (char c : *v)
    if (c != '\r' && c != '\n') out += c;
  return std::string(trimmed(out));
}

std::optional<SimpleFields> simple_fields(std::string_view header) {
  if (!plain_bytes(header) || !header.ends_with("\r\n")) return std::nullopt;
  SimpleFields out;
  std::string* value = nullptr;  // of the summarised field being read, else null
  bool field = false;            // a field has begun: a continuation may follow
  while (!header.empty()) {
    std::string_view line = header.substr(0, header.find("\r\n"));
    header.remove_prefix(line.size() + 2);
    if (line.empty()) return header.empty() ? finished(std::move(out)) : std::nullopt;
    if (blank(line.front())) {
      if (!field) return std::nullopt;
      if (value) *value += "\r\n" + std::string(line);
      continue;
    }
    auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    std::string_view name = line.substr(0, colon);
    if (std::any_of(name.begin(), name.end(), [](char c) { return blank(c); })) return std::nullopt;
    field = true;
    value = nullptr;
    if (!summarised(name)) continue;
    std::string lowered;
    std::transform(name.begin(), name.end(), std::back_inserter(lowered), lower);
    if (out.get(lowered)) return std::nullopt;  // twice: which one GMime takes varies
    out.fields.emplace_back(std::move(lowered), std::string(line.substr(colon + 1)));
    value = &out.fields.back().second;
  }
  return std::nullopt;  // no blank line
}

}  // namespace appliance::mime
