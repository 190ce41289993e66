// NAME
//   delegations.cpp - glob matching of target paths and delegation order.
#include "tuf/delegations.h"

#include "tuf/digest.h"

namespace appliance::tuf {
namespace {

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

// Matches "[...]" at pattern[p] against c. Sets `next` past the ']'; returns
// false with next == 0 if the bracket is not closed (then '[' is literal).
bool match_bracket(std::string_view pat, std::size_t p, char c, std::size_t& next) {
  std::size_t i = p + 1;
  bool negate = i < pat.size() && (pat[i] == '!' || pat[i] == '^');
  if (negate) ++i;
  bool found = false;
  bool first = true;
  for (; i < pat.size() && (pat[i] != ']' || first); ++i, first = false) {
    if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
      found = found || (pat[i] <= c && c <= pat[i + 2]);
      i += 2;
    } else {
      found = found || pat[i] == c;
    }
  }
  if (i >= pat.size()) {
    next = 0;
    return false;
  }
  next = i + 1;
  return found != negate;
}

// Iterative glob with single-star backtracking: linear in practice and never
// recursive, whatever the pattern.
bool match_segment(std::string_view pat, std::string_view s) {
  std::size_t p = 0, i = 0;
  std::size_t star = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    std::size_t next = 0;
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      star_i = i;
      continue;
    }
    if (p < pat.size() && pat[p] == '?') {
      ++p, ++i;
      continue;
    }
    if (p < pat.size() && pat[p] == '[') {
      bool ok = match_bracket(pat, p, s[i], next);
      if (next != 0 && ok) {
        p = next, ++i;
        continue;
      }
      if (next == 0 && s[i] == '[') {  // unclosed: a literal '['
        ++p, ++i;
        continue;
      }
    } else if (p < pat.size() && pat[p] == s[i]) {
      ++p, ++i;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

bool match_path_pattern(std::string_view pattern, std::string_view path) {
  auto pat_parts = split(pattern);
  auto path_parts = split(path);
  if (pat_parts.size() != path_parts.size()) return false;
  for (std::size_t i = 0; i < pat_parts.size(); ++i) {
    if (!match_segment(pat_parts[i], path_parts[i])) return false;
  }
  return true;
}

bool role_covers_path(const DelegatedRole& role, std::string_view path) {
  if (role.by_hash_prefix) {
    std::string digest = sha256_hex(path);
    for (const auto& prefix : role.path_hash_prefixes) {
      if (digest.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
  }
  for (const auto& pattern : role.paths) {
    if (match_path_pattern(pattern, path)) return true;
  }
  return false;
}

std::vector<RoleToVisit> roles_for_target(const Delegations& delegations, std::string_view path) {
  std::vector<RoleToVisit> out;
  for (const DelegatedRole& role : delegations.roles) {
    if (!role_covers_path(role, path)) continue;
    out.push_back({&role, role.terminating});
    if (role.terminating) break;
  }
  return out;
}

bool is_safe_target_path(std::string_view path) {
  if (path.empty() || path.size() > 4096) return false;
  for (std::string_view segment : split(path)) {
    if (segment.empty() || segment == "." || segment == "..") return false;
  }
  return path.find('\0') == std::string_view::npos;
}

}  // namespace appliance::tuf
