// NAME
//   routes.cpp - "domain = host:port" pairs, comma-separated.
#include "deliverd/routes.h"

#include <fmt/format.h>

#include <cctype>

#include "proto/common/ascii.h"

namespace appliance::deliverd {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<config::HostPort> Routes::find(std::string_view domain) const {
  auto it = by_domain.find(ascii::lowered(domain));
  if (it == by_domain.end()) it = by_domain.find("*");
  if (it == by_domain.end()) return std::nullopt;
  return it->second;
}

Result<Routes> parse_routes(std::string_view text) {
  Routes out;
  while (!trim(text).empty()) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return make_error(fmt::format("route '{}': expected 'domain = host:port'", item));
    std::string domain = ascii::lowered(trim(item.substr(0, eq)));
    if (domain.empty()) return make_error(fmt::format("route '{}': no domain", item));
    auto target = config::parse_endpoint(trim(item.substr(eq + 1)));
    if (!target) return make_error(fmt::format("route for {}: {}", domain, target.message()));
    if (target->port == 0) return make_error(fmt::format("route for {}: port 0", domain));
    if (!out.by_domain.emplace(domain, *target).second)
      return make_error(fmt::format("route for {} given twice", domain));
  }
  return out;
}

}  // namespace appliance::deliverd
