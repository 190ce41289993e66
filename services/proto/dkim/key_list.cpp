// NAME
//   key_list.cpp - the store setting that lists a domain's signing keys.
#include "proto/dkim/key_list.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace appliance::dkim {

std::string key_list_setting(std::string_view domain) { return fmt::format("dkim:{}", domain); }

std::vector<std::string> parse_key_list(std::string_view value) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while ((start = value.find_first_not_of(" \t\r\n", start)) != std::string_view::npos) {
    std::size_t end = value.find_first_of(" \t\r\n", start);
    names.emplace_back(value.substr(start, end - start));
    start = end;
  }
  return names;
}

std::string compose_key_list(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, " "));
}

std::string key_list_with(const std::string* value, const std::string& name) {
  auto names = value ? parse_key_list(*value) : std::vector<std::string>{};
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return compose_key_list(names);
}

}  // namespace appliance::dkim
