// NAME
//   ascii.h - ASCII case folding for protocol names (header fields, domains,
//   tags), which compare without regard to ASCII case and nothing more.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace appliance::ascii {

inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return lower(c); });
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace appliance::ascii
