// NAME
//   record.cpp - the SPF record grammar (RFC 7208 12).
#include "proto/spf/record.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "proto/common/ascii.h"
#include "proto/spf/macro.h"

namespace appliance::spf {

namespace {

Result<int> cidr_length(std::string_view text, int max) {
  int n = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > max ||
      (text.size() > 1 && text[0] == '0'))
    return make_error(fmt::format("bad CIDR length \"{}\"", text.substr(0, 10)));
  return n;
}

// "/24", "//64", "/24//64" after a domain-spec (a, mx).
Result<void> read_dual_cidr(std::string_view& rest, Mechanism& m) {
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  std::string_view cidr = rest.substr(slash);
  rest = rest.substr(0, slash);
  auto six = cidr.find("//");
  std::string_view four = cidr.substr(0, six);
  if (!four.empty()) {
    auto n = cidr_length(four.substr(1), 32);
    if (!n) return n.error();
    m.cidr4 = *n;
  }
  if (six != std::string_view::npos) {
    auto n = cidr_length(cidr.substr(six + 2), 128);
    if (!n) return n.error();
    m.cidr6 = *n;
  }
  return {};
}

Result<void> read_network(std::string_view value, Mechanism& m) {
  bool v6 = m.kind == Kind::ip6;
  auto slash = value.find('/');
  auto ip = parse_address(value.substr(0, slash));
  if (!ip || ip->v6 != v6) return make_error(fmt::format("bad {} network", v6 ? "ip6" : "ip4"));
  m.network = *ip;
  if (slash == std::string_view::npos) return {};
  auto n = cidr_length(value.substr(slash + 1), v6 ? 128 : 32);
  if (!n) return n.error();
  (v6 ? m.cidr6 : m.cidr4) = *n;
  return {};
}

struct Named {
  std::string_view name;
  Kind kind;
  bool needs_value;
};
constexpr Named kMechanisms[] = {
    {"all", Kind::all, false}, {"include", Kind::include, true}, {"a", Kind::a, false},
    {"mx", Kind::mx, false},   {"ptr", Kind::ptr, false},         {"ip4", Kind::ip4, true},
    {"ip6", Kind::ip6, true},  {"exists", Kind::exists, true},
};

Result<Mechanism> read_mechanism(std::string_view term) {
  Mechanism m;
  if (std::string_view("+-~?").find(term.front()) != std::string_view::npos) {
    m.qualifier = static_cast<Qualifier>(term.front());
    term.remove_prefix(1);
  }
  auto sep = term.find_first_of(":/");
  std::string name = ascii::lowered(term.substr(0, sep));
  auto it = std::find_if(std::begin(kMechanisms), std::end(kMechanisms),
                         [&](const Named& n) { return n.name == name; });
  if (it == std::end(kMechanisms)) return make_error(fmt::format("unknown mechanism \"{}\"", name.substr(0, 20)));
  m.kind = it->kind;
  std::string_view rest = sep == std::string_view::npos ? std::string_view() : term.substr(sep);
  if (m.kind == Kind::all) {
    if (!rest.empty()) return make_error("\"all\" takes no argument");
    return m;
  }
  if (m.kind == Kind::a || m.kind == Kind::mx)
    if (auto r = read_dual_cidr(rest, m); !r) return r.error();
  bool has_value = !rest.empty() && rest.front() == ':';
  if (!rest.empty() && !has_value) return make_error(fmt::format("bad argument of \"{}\"", name));
  std::string_view value = has_value ? rest.substr(1) : std::string_view();
  if (it->needs_value && value.empty()) return make_error(fmt::format("\"{}\" needs an argument", name));
  if (has_value && value.empty()) return make_error(fmt::format("empty argument of \"{}\"", name));
  if (m.kind == Kind::ip4 || m.kind == Kind::ip6) {
    if (auto r = read_network(value, m); !r) return r.error();
    return m;
  }
  if (!value.empty()) {
    if (auto ok = check_macro_string(value, true); !ok) return ok.error();
    m.domain = value;
  }
  return m;
}

Result<void> read_modifier(std::string_view name, std::string_view value, Record& r) {
  std::string n = ascii::lowered(name);
  if (n.empty() || !((n[0] >= 'a' && n[0] <= 'z')) ||
      !std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      }))
    return make_error(fmt::format("bad modifier name \"{}\"", name.substr(0, 20)));
  if (auto ok = check_macro_string(value, n == "redirect"); !ok) return ok.error();
  auto* slot = n == "redirect" ? &r.redirect : n == "exp" ? &r.explanation : nullptr;
  if (!slot) return {};  // unknown modifiers are ignored (RFC 7208 6)
  if (*slot) return make_error(fmt::format("\"{}\" given twice", n));
  if (value.empty()) return make_error(fmt::format("\"{}\" needs a domain", n));
  *slot = std::string(value);
  return {};
}

}  // namespace

std::optional<Address> parse_address(std::string_view text) {
  std::string s(text);
  Address a;
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    return a;
  }
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return a;
}

bool in_network(const Address& ip, const Address& network, int prefix) {
  if (ip.v6 != network.v6) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    int byte = bit / 8, shift = 7 - bit % 8;
    if (((ip.bytes[byte] >> shift) & 1) != ((network.bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

bool is_spf(std::string_view txt) {
  if (txt.size() < 6) return false;
  if (ascii::lowered(txt.substr(0, 6)) != "v=spf1") return false;
  return txt.size() == 6 || txt[6] == ' ';
}

Result<Record> parse_record(std::string_view txt) {
  if (!is_spf(txt)) return make_error("not an SPF record (no \"v=spf1\")");
  Record r;
  std::size_t at = 6;
  while (at < txt.size()) {
    if (txt[at] == ' ') {
      ++at;
      continue;
    }
    auto end = std::min(txt.find(' ', at), txt.size());
    std::string_view term = txt.substr(at, end - at);
    at = end;
    auto eq = term.find('=');
    auto colon = term.find_first_of(":/");
    if (eq != std::string_view::npos && (colon == std::string_view::npos || eq < colon)) {
      if (auto m = read_modifier(term.substr(0, eq), term.substr(eq + 1), r); !m) return m.error();
      continue;
    }
    auto m = read_mechanism(term);
    if (!m) return m.error();
    r.mechanisms.push_back(std::move(*m));
  }
  return r;
}

}  // namespace appliance::spf
