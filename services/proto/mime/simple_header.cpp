// NAME
//   simple_header.cpp - splitting a plain header into its fields.
#include "proto/mime/simple_header.h"

#include <algorithm>

#include "proto/common/ascii.h"

namespace appliance::mime {
namespace {

constexpr std::string_view kAddressFields[] = {"from", "sender", "reply-to", "to", "cc", "bcc"};

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
  return std::any_of(std::begin(kAddressFields), std::end(kAddressFields),
                     [&](std::string_view n) { return ascii::iequals(name, n); });
}

// Each value trimmed, and unfolded beside; no encoded word but where the
// values' own parsers decode them as GMime's message does (Subject,
// addresses), and no address field with a comment, which GMime's message
// reads otherwise than its parser of the field alone.
std::optional<SimpleFields> finished(SimpleFields out) {
  for (auto& f : out.fields) {
    bool words = ascii::iequals(f.name, "subject") || address_field(f.name);
    if (!words && f.folded.find("=?") != std::string::npos) return std::nullopt;
    if (address_field(f.name) && f.folded.find('(') != std::string::npos) return std::nullopt;
    f.folded = std::string(trimmed(f.folded));
    for (char c : f.folded)
      if (c != '\r' && c != '\n') f.value += c;
    f.value = std::string(trimmed(f.value));
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
  if (ascii::lowered(domain).find("xn--") != std::string::npos) return std::nullopt;
  return Mailbox{std::string(local), std::string(domain)};
}

bool summarised(std::string_view name) {
  static constexpr std::string_view kNames[] = {"date", "subject", "in-reply-to", "message-id",
                                                "mime-version"};
  if (name.size() >= 8 && ascii::iequals(name.substr(0, 8), "content-")) return true;
  return address_field(name) || std::any_of(std::begin(kNames), std::end(kNames), [&](auto n) {
           return ascii::iequals(name, n);
         });
}

const SimpleFields::Field* SimpleFields::get(std::string_view name) const {
  for (const Field& f : fields)
    if (ascii::iequals(f.name, name)) return &f;
  return nullptr;
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
    if (out.get(name)) return std::nullopt;  // twice: which one GMime takes varies
    out.fields.push_back({std::string(name), std::string(line.substr(colon + 1)), {}});
    value = &out.fields.back().folded;
  }
  return std::nullopt;  // no blank line
}

}  // namespace appliance::mime
