// NAME
//   policy.cpp - the MTA-STS record, policy file, HTTP response and MX
//   patterns, read strictly.
#include "proto/mta_sts/policy.h"

#include <fmt/format.h>

#include <charconv>

#include "proto/common/ascii.h"

namespace appliance::mta_sts {
namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool wsp(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && wsp(s.back())) s.remove_suffix(1);
  return s;
}

// sts-ext-name / sts-policy-ext-name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
bool ext_name(std::string_view s) {
  if (s.empty() || s.size() > 32 || !alnum(s[0])) return false;
  for (char c : s)
    if (!alnum(c) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

// A line up to LF (a CR before it dropped); advances `rest`.
std::string_view next_line(std::string_view& rest) {
  auto lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest.remove_prefix(lf == std::string_view::npos ? rest.size() : lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool printable(std::string_view s) {
  for (char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return !s.empty();
}

// A host name: dot-separated labels of letters, digits and hyphens.
bool host_name(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') return false;
      label = 0;
    } else if (alnum(s[i]) || s[i] == '-') {
      ++label;
    } else {
      return false;
    }
  }
  return true;
}

std::string_view without_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii::lower(a[i]) != ascii::lower(b[i])) return false;
  return true;
}

struct Field {
  std::string_view key, value;
};

Result<void> set_policy_field(Policy& p, const Field& f, int& seen_version, int& seen_mode,
                              int& seen_age) {
  if (f.key == "version") {
    if (seen_version++ || f.value != "STSv1") return make_error("version must be STSv1, once");
  } else if (f.key == "mode") {
    if (seen_mode++) return make_error("mode given twice");
    if (f.value == "enforce") p.mode = Mode::enforce;
    else if (f.value == "testing") p.mode = Mode::testing;
    else if (f.value == "none") p.mode = Mode::none;
    else return make_error(fmt::format("mode '{}' is not enforce, testing or none", f.value));
  } else if (f.key == "max_age") {
    if (seen_age++) return make_error("max_age given twice");
    std::int64_t v = -1;
    auto [end, ec] = std::from_chars(f.value.data(), f.value.data() + f.value.size(), v);
    if (ec != std::errc() || end != f.value.data() + f.value.size() || f.value.size() > 10 ||
        v < 0 || v > kMaxAge)
      return make_error(fmt::format("max_age '{}' is not 0 to {}", f.value, kMaxAge));
    p.max_age = v;
  } else if (f.key == "mx") {
    std::string_view host = f.value.starts_with("*.") ? f.value.substr(2) : f.value;
    if (!host_name(without_dot(host))) return make_error(fmt::format("mx '{}' is not a host name pattern", f.value));
    p.mx.push_back(ascii::lowered(without_dot(f.value)));
  } else if (!ext_name(f.key)) {
    return make_error(fmt::format("'{}' is not a field name", f.key));
  }
  return {};
}

// Content-Type's media type, without parameters, is text/plain.
bool text_plain(std::string_view value) {
  return iequal(trimmed(value.substr(0, value.find(';'))), "text/plain");
}

}  // namespace

const char* mode_name(Mode m) {
  switch (m) {
    case Mode::enforce:
      return "enforce";
    case Mode::testing:
      return "testing";
    case Mode::none:
      return "none";
  }
  return "?";
}

Result<Record> parse_record(std::string_view txt) {
  if (!txt.starts_with("v=STSv1")) return make_error("not an MTA-STS record (v=STSv1 first)");
  std::string_view rest = txt.substr(7);
  Record r;
  bool have_id = false;
  while (!rest.empty()) {
    rest = trimmed(rest);
    if (rest.empty() || rest.front() != ';') return make_error("fields must be separated by ';'");
    rest = trimmed(rest.substr(1));
    if (rest.empty()) break;  // a trailing ';'
    auto end = rest.find(';');
    std::string_view field = trimmed(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    auto eq = field.find('=');
    if (eq == std::string_view::npos) return make_error(fmt::format("field '{}' has no '='", field));
    std::string_view name = field.substr(0, eq), value = field.substr(eq + 1);
    if (name == "id") {
      if (have_id) return make_error("id given twice");
      if (value.empty() || value.size() > 32)
        return make_error("id must be 1 to 32 letters or digits");
      for (char c : value)
        if (!alnum(c)) return make_error("id must be 1 to 32 letters or digits");
      r.id = value;
      have_id = true;
    } else if (!ext_name(name) || !printable(value) || value.find('=') != std::string_view::npos) {
      return make_error(fmt::format("field '{}' is malformed", field));
    }
  }
  if (!have_id) return make_error("no id field");
  return r;
}

std::optional<Record> find_record(const std::vector<std::string>& txts) {
  std::optional<Record> found;
  int count = 0;
  for (const auto& t : txts) {
    if (!t.starts_with("v=STSv1")) continue;
    ++count;
    auto r = parse_record(t);
    if (r) found = std::move(*r);
  }
  if (count != 1) return std::nullopt;
  return found;
}

Result<Policy> parse_policy(std::string_view text) {
  if (text.size() > kMaxPolicy) return make_error("policy longer than 64 KiB");
  Policy p;
  int seen_version = 0, seen_mode = 0, seen_age = 0;
  std::string_view rest = text;
  for (int n = 1; !rest.empty(); ++n) {
    std::string_view line = next_line(rest);
    if (trimmed(line).empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return make_error(fmt::format("line {}: no ':'", n));
    Field f{line.substr(0, colon), trimmed(line.substr(colon + 1))};
    if (!printable(f.value)) return make_error(fmt::format("line {}: empty or unprintable value", n));
    if (auto set = set_policy_field(p, f, seen_version, seen_mode, seen_age); !set)
      return make_error(fmt::format("line {}: {}", n, set.message()));
  }
  if (!seen_version) return make_error("no version");
  if (!seen_mode) return make_error("no mode");
  if (!seen_age) return make_error("no max_age");
  if (p.mode != Mode::none && p.mx.empty()) return make_error("no mx pattern");
  return p;
}

Result<std::string_view> policy_body(std::string_view response) {
  auto end = response.find("\r\n\r\n");
  if (end == std::string_view::npos) return make_error("HTTP response without a complete header");
  std::string_view head = response.substr(0, end + 2), body = response.substr(end + 4);
  std::string_view status = next_line(head);
  if (!(status.starts_with("HTTP/1.0 ") || status.starts_with("HTTP/1.1 ")) || status.size() < 12)
    return make_error("not an HTTP/1.x status line");
  std::string_view code = status.substr(9, 3);
  if (code != "200") {
    if (code[0] == '3') return make_error(fmt::format("HTTP {}: redirects are not followed", code));
    return make_error(fmt::format("HTTP {}", code));
  }
  bool typed = false;
  std::optional<std::size_t> length;
  while (!head.empty()) {
    std::string_view line = next_line(head);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return make_error("malformed HTTP header line");
    std::string_view name = line.substr(0, colon), value = trimmed(line.substr(colon + 1));
    if (iequal(name, "content-type")) {
      if (!text_plain(value)) return make_error(fmt::format("media type '{}', not text/plain", value));
      typed = true;
    } else if (iequal(name, "transfer-encoding") && !iequal(value, "identity")) {
      return make_error("HTTP transfer coding is not supported");
    } else if (iequal(name, "content-length")) {
      std::size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || (length && *length != n))
        return make_error("malformed Content-Length");
      length = n;
    }
  }
  if (!typed) return make_error("no Content-Type (text/plain required)");
  if (length && *length != body.size()) return make_error("body shorter or longer than Content-Length");
  if (body.size() > kMaxPolicy) return make_error("policy longer than 64 KiB");
  return body;
}

bool pattern_matches(std::string_view pattern, std::string_view host) {
  host = without_dot(host);
  if (pattern.starts_with("*.")) {
    auto dot = host.find('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    return iequal(host.substr(dot + 1), pattern.substr(2));
  }
  return iequal(host, pattern);
}

bool mx_matches(const Policy& p, std::string_view host) {
  for (const auto& pattern : p.mx)
    if (pattern_matches(pattern, host)) return true;
  return false;
}

}  // namespace appliance::mta_sts
