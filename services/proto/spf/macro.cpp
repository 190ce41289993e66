// NAME
//   macro.cpp - SPF macro expansion (RFC 7208 7.3, 7.4).
#include "proto/spf/macro.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace appliance::spf {

namespace {

struct Macro {
  char letter = 0;
  std::size_t keep = 0;  // 0: all
  bool reverse = false;
  std::string delimiters = ".";
  std::size_t length = 0;  // of the text "%{...}"
};

bool is_delimiter(char c) { return std::string_view(".-+,/_=").find(c) != std::string_view::npos; }

Result<Macro> read_macro(std::string_view text) {
  // text starts with "%{"
  auto close = text.find('}');
  if (close == std::string_view::npos) return make_error("macro without '}'");
  std::string_view body = text.substr(2, close - 2);
  Macro m;
  m.length = close + 1;
  if (body.empty()) return make_error("empty macro");
  char l = static_cast<char>(body[0] | 0x20);
  if (std::string_view("slodipvh").find(l) == std::string_view::npos)
    return make_error(fmt::format("unknown macro letter '{}'", body[0]));
  m.letter = body[0];
  std::size_t i = 1;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') {
    m.keep = m.keep * 10 + static_cast<std::size_t>(body[i] - '0');
    if (m.keep > 128) return make_error("macro keeps too many parts");
    ++i;
  }
  if (i > 1 && m.keep == 0) return make_error("macro keeps zero parts");
  if (i < body.size() && (body[i] == 'r' || body[i] == 'R')) m.reverse = true, ++i;
  if (i < body.size()) m.delimiters.clear();
  for (; i < body.size(); ++i) {
    if (!is_delimiter(body[i])) return make_error(fmt::format("bad macro delimiter '{}'", body[i]));
    m.delimiters += body[i];
  }
  return m;
}

std::string ip_text(const Address& a) {
  if (!a.v6) return fmt::format("{}.{}.{}.{}", a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]);
  std::string out;
  for (std::uint8_t b : a.bytes) out += fmt::format("{:x}.{:x}.", b >> 4, b & 15);
  out.pop_back();
  return out;
}

std::string value_of(char letter, const MacroContext& c) {
  auto at = c.sender.rfind('@');
  switch (letter | 0x20) {
    case 's': return c.sender;
    case 'l': return at == std::string::npos ? "postmaster" : c.sender.substr(0, at);
    case 'o': return at == std::string::npos ? c.sender : c.sender.substr(at + 1);
    case 'd': return c.domain;
    case 'i': return ip_text(c.ip);
    case 'v': return c.ip.v6 ? "ip6" : "in-addr";
    case 'h': return c.helo;
    default: return "unknown";  // p
  }
}

std::string transform(const Macro& m, const std::string& value) {
  std::vector<std::string> parts(1);
  for (char ch : value) {
    if (m.delimiters.find(ch) != std::string::npos)
      parts.emplace_back();
    else
      parts.back() += ch;
  }
  if (m.reverse) std::reverse(parts.begin(), parts.end());
  std::size_t from = m.keep && m.keep < parts.size() ? parts.size() - m.keep : 0;
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) out += (i > from ? "." : "") + parts[i];
  if (m.letter >= 'A' && m.letter <= 'Z') {  // URL-escaped (RFC 7208 7.3)
    std::string escaped;
    for (unsigned char ch : out) {
      bool plain = std::isalnum(ch) || std::string_view("-._~").find(static_cast<char>(ch)) !=
                                           std::string_view::npos;
      escaped += plain ? std::string(1, static_cast<char>(ch)) : fmt::format("%{:02X}", ch);
    }
    return escaped;
  }
  return out;
}

Result<std::string> walk(std::string_view text, const MacroContext* c) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char ch = text[i];
    if (ch < 0x21 || ch > 0x7e) return make_error("control or non-ASCII byte in a macro string");
    if (ch != '%') {
      out += ch;
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return make_error("'%' at the end of a macro string");
    char next = text[i + 1];
    if (next == '%' || next == '_' || next == '-') {
      out += next == '%' ? "%" : next == '_' ? " " : "%20";
      i += 2;
      continue;
    }
    if (next != '{') return make_error(fmt::format("bad macro '%{}'", next));
    auto m = read_macro(text.substr(i));
    if (!m) return m.error();
    if (c) out += transform(*m, value_of(m->letter, *c));
    i += m->length;
  }
  return out;
}

}  // namespace

Result<void> check_macro_string(std::string_view text, bool domain_spec) {
  auto r = walk(text, nullptr);
  if (!r) return r.error();
  if (domain_spec && text.empty()) return make_error("empty domain-spec");
  return {};
}

Result<std::string> expand(std::string_view text, const MacroContext& c) {
  auto r = walk(text, &c);
  if (!r) return r;
  // A domain longer than 253 octets loses labels on the left (RFC 7208 7.3).
  std::string& s = *r;
  while (s.size() > 253) {
    auto dot = s.find('.');
    if (dot == std::string::npos) break;
    s.erase(0, dot + 1);
  }
  return r;
}

}  // namespace appliance::spf
