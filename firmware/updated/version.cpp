// NAME
//   version.cpp - release version ordering.
#include "updated/version.h"

#include <algorithm>
#include <vector>

namespace appliance::updated {
namespace {

std::vector<std::string_view> split(std::string_view v) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == '.' || v[i] == '-' || v[i] == '+') {
      parts.push_back(v.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool numeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int compare_parts(std::string_view a, std::string_view b) {
  const bool an = numeric(a), bn = numeric(b);
  if (an != bn) return an ? -1 : 1;
  if (an) {
    // Compare digit strings without overflow: leading zeros off, then length.
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const auto pa = split(a), pb = split(b);
  for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
    if (int c = compare_parts(pa[i], pb[i]); c != 0) return c;
  }
  if (pa.size() == pb.size()) return 0;
  return pa.size() < pb.size() ? -1 : 1;
}

}  // namespace appliance::updated
