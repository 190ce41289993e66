// NAME
//   address.cpp - RFC 5321 paths, mailboxes, domains and address literals.
#include "proto/smtp/address.h"

#include "proto/smtp/syntax.h"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>

namespace appliance::smtp {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_high(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

bool is_atext(char c, bool utf8) {
  return is_alnum(c) || std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr || (utf8 && is_high(c));
}

bool valid_dot_string(std::string_view s, bool utf8) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i], utf8)) return false;
  }
  return true;
}

// Reads a quoted-string starting at s[0] == '"'; returns octets used, 0 if bad.
std::size_t read_quoted(std::string_view s, bool utf8, std::string& decoded) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return i + 1;
    if (c == '\\') {
      if (++i == s.size() || s[i] < 32 || s[i] > 126) return 0;
      decoded += s[i];
    } else if ((c >= 32 && c <= 126) || (utf8 && is_high(c))) {
      decoded += c;
    } else {
      return 0;
    }
  }
  return 0;
}

// The closing '>' of a path, skipping any inside a quoted local part.
std::size_t find_close(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (quoted && s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      quoted = !quoted;
    else if (!quoted && s[i] == '>')
      return i;
  }
  return std::string_view::npos;
}

// "@a.example,@b.example:" before the mailbox: checked, then dropped.
bool skip_source_route(std::string_view& inner) {
  std::size_t colon = inner.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view route = inner.substr(0, colon);
  while (!route.empty()) {
    std::size_t comma = route.find(',');
    std::string_view hop = route.substr(0, comma);
    if (hop.size() < 2 || hop[0] != '@' || !valid_domain(hop.substr(1), false)) return false;
    route = comma == std::string_view::npos ? std::string_view() : route.substr(comma + 1);
    if (comma != std::string_view::npos && route.empty()) return false;
  }
  inner.remove_prefix(colon + 1);
  return true;
}

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  while (true) {
    std::size_t n = 0;
    int value = 0;
    while (n < s.size() && n < 4 && s[n] >= '0' && s[n] <= '9') value = value * 10 + (s[n++] - '0');
    if (n == 0 || n > 3 || value > 255) return false;
    ++parts;
    s.remove_prefix(n);
    if (s.empty()) return parts == 4;
    if (s[0] != '.' || parts == 4) return false;
    s.remove_prefix(1);
  }
}

PathResult fault(PathFault f, std::string why) {
  PathResult r;
  r.fault = f;
  r.why = std::move(why);
  return r;
}

PathResult parse_mailbox(std::string_view inner, const PathOptions& o) {
  PathResult r;
  std::size_t at;
  if (!inner.empty() && inner[0] == '"') {
    std::size_t used = read_quoted(inner, o.utf8, r.mailbox.local);
    if (used == 0) return fault(PathFault::syntax, "bad quoted local part");
    at = used;
  } else {
    at = inner.find('@');
    if (at == std::string_view::npos) return fault(PathFault::syntax, "address has no domain");
    r.mailbox.local = inner.substr(0, at);
    if (!valid_dot_string(r.mailbox.local, o.utf8))
      return fault(PathFault::syntax, "bad local part");
  }
  if (at > kMaxLocalPart) return fault(PathFault::too_long, "local part too long");
  if (at >= inner.size() || inner[at] != '@')
    return fault(PathFault::syntax, "address has no domain");
  std::string_view domain = inner.substr(at + 1);
  if (domain.size() > kMaxDomain) return fault(PathFault::too_long, "domain too long");
  bool literal = !domain.empty() && domain[0] == '[';
  if (literal ? !valid_address_literal(domain) : !valid_domain(domain, o.utf8))
    return fault(PathFault::syntax, "bad domain");
  r.mailbox.domain = domain;
  return r;
}

}  // namespace

std::string Mailbox::text() const {
  if (null()) return {};
  std::string out;
  if (valid_dot_string(local, true)) {
    out = local;
  } else {
    out = "\"";
    for (char c : local) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  if (!domain.empty()) out += "@" + domain;
  return out;
}

PathResult parse_path(std::string_view text, const PathOptions& o) {
  if (text.empty() || text[0] != '<') return fault(PathFault::syntax, "address must be in <>");
  std::size_t close = find_close(text);
  if (close == std::string_view::npos) return fault(PathFault::syntax, "no closing >");
  if (close + 1 > kMaxPath) return fault(PathFault::too_long, "path too long");
  std::string_view inner = text.substr(1, close - 1);
  if (!is_ascii(inner) && !o.utf8) return fault(PathFault::needs_utf8, "needs SMTPUTF8");
  if (!valid_utf8(inner)) return fault(PathFault::syntax, "invalid UTF-8");
  PathResult r;
  if (inner.empty()) {
    if (!o.allow_null) return fault(PathFault::syntax, "null path not allowed here");
  } else if (inner[0] == '@' && !skip_source_route(inner)) {
    return fault(PathFault::syntax, "bad source route");
  } else if (o.postmaster && iequals(inner, "postmaster")) {
    r.mailbox.local = inner;
  } else {
    r = parse_mailbox(inner, o);
    if (r.fault != PathFault::none) return r;
  }
  r.used = close + 1;
  return r;
}

Parsed<PathArgs> read_path_args(std::string_view text, PathOptions options,
                                std::string_view status) {
  // RFC 5321 has no space after the colon; many clients send one (Postfix allows it too).
  while (!text.empty() && text[0] == ' ') text.remove_prefix(1);
  options.utf8 = true;
  PathResult r = parse_path(text, options);
  std::string_view role = status == "5.1.7" ? "sender" : "recipient";
  if (r.fault != PathFault::none)
    return make_reply(501, status, "Bad " + std::string(role) + " address: " + r.why);
  std::string_view rest = text.substr(r.used);
  if (!rest.empty() && rest[0] != ' ')
    return make_reply(501, "5.5.4", "Syntax: space expected after address");
  return PathArgs{std::move(r.mailbox), rest, is_ascii(text.substr(0, r.used))};
}

Reply needs_smtputf8() {
  return make_reply(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
}

bool valid_domain(std::string_view d, bool utf8) {
  if (d.empty() || d.size() > kMaxDomain) return false;
  while (true) {
    std::size_t dot = d.find('.');
    std::string_view label = d.substr(0, dot);
    if (label.empty() || label.size() > kMaxLabel) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-' && !(utf8 && is_high(c))) return false;
    }
    if (dot == std::string_view::npos) return true;
    d.remove_prefix(dot + 1);
  }
}

bool valid_address_literal(std::string_view s) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  s = s.substr(1, s.size() - 2);
  if (s.size() > 5 && iequals(s.substr(0, 5), "IPv6:")) {
    std::string ip(s.substr(5));
    unsigned char out[16];
    return ip.size() <= 45 && inet_pton(AF_INET6, ip.c_str(), out) == 1;
  }
  // General address literals (RFC 5321 4.1.3) name no registered tag but IPv6: refused.
  return valid_ipv4(s);
}

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (is_high(c)) return false;
  }
  return true;
}

bool valid_utf8(std::string_view s) {
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80             ? 0
                    : (c & 0xe0) == 0xc0 ? 1
                    : (c & 0xf0) == 0xe0 ? 2
                    : (c & 0xf8) == 0xf0 ? 3
                                         : 4;
    if (n == 4 || s.size() - i <= n) return false;
    std::uint32_t cp = n == 0 ? c : c & (0x3f >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and code points past Unicode are not UTF-8.
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace appliance::smtp
