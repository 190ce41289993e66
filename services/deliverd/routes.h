// NAME
//   routes.h - per-domain routes and the smart host.
//
// DESCRIPTION
//   [deliverd] routes = b.example = 192.0.2.7:25, * = smarthost.example:587
//   sends mail for b.example to that host instead of its MX, and mail for
//   every other domain to the smart host `*`. A route's host is resolved
//   for addresses (A/AAAA) unless it is an address itself; no MX lookup.
//   Domains match whole and without case. parse_routes() is pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace appliance::deliverd {

struct Routes {
  std::map<std::string, config::HostPort> by_domain;  // lower-case; "*": the smart host

  std::optional<config::HostPort> find(std::string_view domain) const;
};

Result<Routes> parse_routes(std::string_view text);

}  // namespace appliance::deliverd
