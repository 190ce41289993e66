// NAME
//   key_list.cpp - the store setting that lists a domain's signing keys.
#include "proto/dkim/key_list.h"

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

}  // namespace appliance::dkim
